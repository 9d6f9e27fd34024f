import { startService } from '@recert/messaging';
import { ApplicationsModule } from './applications.module';

startService(ApplicationsModule.forRoot(), {
  consumesEvents: true,
  description:
    'Credentials, cycles and recertification applications: window, fee tier at receipt, decision (R1, R8–R10, R12).',
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
