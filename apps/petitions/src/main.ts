import { startService } from '@recert/messaging';
import { PetitionsModule } from './petitions.module';

startService(PetitionsModule, { consumesEvents: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
