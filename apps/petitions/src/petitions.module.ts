import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';
import { PetitionsHttpController } from './decide-petition/petitions.http.controller';
import { PortalSubmissionsMessageController } from './open-petition/portal-submissions.message.controller';
import { PaymentEventsMessageController } from './record-petition-fee/payment-events.message.controller';

/** Petitions for courses that are not pre-approved, and their fee (R6). */
@Module({})
export class PetitionsModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: PetitionsModule,
      imports: [
        PlatformModule.forService({ service: 'petitions', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
      ],
      controllers: [PetitionsHttpController, PortalSubmissionsMessageController, PaymentEventsMessageController],
    };
  }
}
