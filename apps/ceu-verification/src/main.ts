import { startService } from '@recert/messaging';
import { CeuVerificationModule } from './ceu-verification.module';

startService(CeuVerificationModule.forRoot(), {
  consumesEvents: true,
  description:
    "Course completions, the approved-provider registry, CPR/AED cards and each trainer's CEU ledger (R2–R5, R7).",
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
