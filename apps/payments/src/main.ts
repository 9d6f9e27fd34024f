import { startService } from '@recert/messaging';
import { PaymentsModule } from './payments.module';

startService(PaymentsModule.forRoot(), {
  consumesEvents: true,
  description: 'Every fee as a payable item, charged once whatever the retries (R6, R10).',
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
