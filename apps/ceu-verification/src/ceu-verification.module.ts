import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Module } from '@nestjs/common';
import { DeadlinesModule } from '@recert/deadlines';
import { KAFKA, MessagingModule, PartitionOffsets, ServiceStartOptions } from '@recert/messaging';
import { Kafka } from 'kafkajs';
import { PlatformModule } from '@recert/platform';
import { ApplicationEventsMessageController } from './track-cycle/application-events.message.controller';
import { CeuLedger } from './ledger/ceu-ledger';
import { CourseCompletionsMessageController } from './record-completion/course-completions.message.controller';
import { CprAedCardsMessageController } from './record-cpr-card/cpr-aed-cards.message.controller';
import { PetitionEventsMessageController } from './credit-petition/petition-events.message.controller';
import { CourseApprovalWorkMessageController } from './register-approved-course/course-approval-work.message.controller';
import { ProviderRegistryMessageController } from './register-approved-course/provider-registry.message.controller';
import { RegisterApprovedCourseHandler } from './register-approved-course/register-approved-course.handler';
import { migrations } from './database/migrations';
import { WaiverEnd } from './enforce-waiver-end/waiver-end';
import { TrainerLedgerHttpController } from './query-trainer-ledger/trainer-ledger.http.controller';
import {
  DEFAULT_RECEIPT_INPUTS,
  LedgerAtReceiptHandler,
  PARTITION_OFFSETS,
  RECEIPT_INPUTS,
} from './take-ledger-at-receipt/ledger-at-receipt.handler';

/** The broker admin connection closes with the service. */
@Injectable()
class PartitionOffsetsLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(PARTITION_OFFSETS) private readonly offsets: PartitionOffsets) {}

  beforeApplicationShutdown(): Promise<void> {
    return this.offsets.close();
  }
}

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
        CourseApprovalWorkMessageController,
        ApplicationEventsMessageController,
        PetitionEventsMessageController,
        TrainerLedgerHttpController,
      ],
      providers: [
        CeuLedger,
        RegisterApprovedCourseHandler,
        WaiverEnd,
        LedgerAtReceiptHandler,
        { provide: RECEIPT_INPUTS, useValue: DEFAULT_RECEIPT_INPUTS },
        {
          provide: PARTITION_OFFSETS,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) => new PartitionOffsets(kafka),
        },
        PartitionOffsetsLifecycle,
      ],
    };
  }
}

/** How the service starts (its own process, or the one-process host). */
export const CEU_VERIFICATION_START_OPTIONS: ServiceStartOptions = {
  consumesEvents: true,
  description:
    "Course completions, the approved-provider registry, CPR/AED cards and each trainer's CEU ledger (R2–R5, R7).",
};
