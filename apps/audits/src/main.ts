import { startService } from '@recert/messaging';
import { AuditsModule, AUDITS_START_OPTIONS } from './audits.module';

startService(AuditsModule.forRoot(), AUDITS_START_OPTIONS).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
