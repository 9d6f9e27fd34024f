import { startService } from '@recert/messaging';
import { ApplicationsModule, APPLICATIONS_START_OPTIONS } from './applications.module';

startService(ApplicationsModule.forRoot(), APPLICATIONS_START_OPTIONS).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
