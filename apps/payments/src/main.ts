import { startService } from '@recert/messaging';
import { PaymentsModule } from './payments.module';

startService(PaymentsModule, { consumesEvents: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
