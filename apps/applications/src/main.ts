import { startService } from '@recert/messaging';
import { ApplicationsModule } from './applications.module';

startService(ApplicationsModule, { consumesEvents: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
