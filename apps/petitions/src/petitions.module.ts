import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, ServiceStartOptions } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';
import { DecidePetitionHandler } from './decide-petition/decide-petition.handler';
import { PetitionsHttpController } from './decide-petition/petitions.http.controller';
import { OpenPetitionHandler } from './open-petition/open-petition.handler';
import { PortalSubmissionsMessageController } from './open-petition/portal-submissions.message.controller';
import { PetitionQueriesHttpController } from './query-petitions/petition-queries.http.controller';
import { PaymentEventsMessageController } from './record-petition-fee/payment-events.message.controller';
import { RecordPetitionFeeHandler } from './record-petition-fee/record-petition-fee.handler';
import { WithdrawPetitionHandler } from './withdraw-petition/withdraw-petition.handler';

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
      controllers: [
        PetitionQueriesHttpController,
        PetitionsHttpController,
        PortalSubmissionsMessageController,
        PaymentEventsMessageController,
      ],
      providers: [DecidePetitionHandler, OpenPetitionHandler, WithdrawPetitionHandler, RecordPetitionFeeHandler],
    };
  }
}

/** How the service starts (its own process, or the one-process host). */
export const PETITIONS_START_OPTIONS: ServiceStartOptions = {
  consumesEvents: true,
  description: 'Petitions for courses that are not pre-approved, and their fee (R6).',
};
