import { startService } from '@recert/messaging';
import { GatewayModule } from './gateway.module';

startService(GatewayModule, { consumesEvents: false }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
