import { startService } from '@recert/messaging';
import { CeuVerificationModule, CEU_VERIFICATION_START_OPTIONS } from './ceu-verification.module';

startService(CeuVerificationModule.forRoot(), CEU_VERIFICATION_START_OPTIONS).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
