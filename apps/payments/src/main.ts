import { startService } from '@recert/messaging';
import { PaymentsModule, PAYMENTS_START_OPTIONS } from './payments.module';

startService(PaymentsModule.forRoot(), PAYMENTS_START_OPTIONS).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
