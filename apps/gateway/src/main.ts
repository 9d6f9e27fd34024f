import { startService } from '@recert/messaging';
import { GatewayModule } from './gateway.module';

startService(GatewayModule.forRoot(), {
  consumesEvents: false,
  description: 'The public HTTP API: ingestion for upstream systems and queries for ops dashboards.',
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
