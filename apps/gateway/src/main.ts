import { startService } from '@recert/messaging';
import { GatewayModule, GATEWAY_START_OPTIONS } from './gateway.module';

startService(GatewayModule.forRoot(), GATEWAY_START_OPTIONS).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
