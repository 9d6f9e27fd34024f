import { DynamicModule, Module } from '@nestjs/common';
import { DeadlinesModule } from '@recert/deadlines';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { ApplicationEventsMessageController } from './track-cycle/application-events.message.controller';
import { CeuLedger } from './ledger/ceu-ledger';
import { CourseCompletionsMessageController } from './record-completion/course-completions.message.controller';
import { CprAedCardsMessageController } from './record-cpr-card/cpr-aed-cards.message.controller';
import { PetitionEventsMessageController } from './credit-petition/petition-events.message.controller';
import { ProviderRegistryMessageController } from './register-approved-course/provider-registry.message.controller';
import { migrations } from './database/migrations';
import { WaiverEnd } from './enforce-waiver-end/waiver-end';
import { TrainerLedgerHttpController } from './query-trainer-ledger/trainer-ledger.http.controller';

/** Course completions, the approved-provider registry, CPR/AED cards and each trainer's CEU ledger (R2–R5, R7). */
@Module({})
export class CeuVerificationModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: CeuVerificationModule,
      imports: [
        PlatformModule.forService({ service: 'ceu-verification', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
        DeadlinesModule.forService(),
      ],
      controllers: [
        CourseCompletionsMessageController,
        CprAedCardsMessageController,
        ProviderRegistryMessageController,
        ApplicationEventsMessageController,
        PetitionEventsMessageController,
        TrainerLedgerHttpController,
      ],
      providers: [CeuLedger, WaiverEnd],
    };
  }
}
