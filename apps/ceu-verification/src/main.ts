import { startService } from '@recert/messaging';
import { CeuVerificationModule } from './ceu-verification.module';

startService(CeuVerificationModule, { consumesEvents: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
