import { startService } from '@recert/messaging';
import { AuditsModule } from './audits.module';

startService(AuditsModule.forRoot(), {
  consumesEvents: true,
  description: 'The reproducible random audit draw and the 30-day documentation window (R11).',
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
