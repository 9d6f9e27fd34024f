import { startService } from '@recert/messaging';
import { AuditsModule } from './audits.module';

startService(AuditsModule, { consumesEvents: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
