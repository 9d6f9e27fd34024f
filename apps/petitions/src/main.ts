import { startService } from '@recert/messaging';
import { PetitionsModule } from './petitions.module';

startService(PetitionsModule.forRoot(), {
  consumesEvents: true,
  description: 'Petitions for courses that are not pre-approved, and their fee (R6).',
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
