import { startService } from '@recert/messaging';
import { PetitionsModule, PETITIONS_START_OPTIONS } from './petitions.module';

startService(PetitionsModule.forRoot(), PETITIONS_START_OPTIONS).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
