import { DynamicModule, Module } from '@nestjs/common';
import { DeadlinesModule } from '@recert/deadlines';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';
import { ApplicationEventsMessageController } from './draw-audit/application-events.message.controller';
import { AuditDocumentsMessageController } from './receive-document/audit-documents.message.controller';
import { AuditQueueHttpController } from './query-audits/audit-queue.http.controller';
import { AuditDeadlines } from './enforce-audit-deadlines/audit-deadlines';
import { DocumentReviewHttpController } from './review-document/document-review.http.controller';
import { AuditEvaluator } from './receive-document/audit-evaluator';

/** The reproducible random audit draw and the 30-day documentation window (R11). */
@Module({})
export class AuditsModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: AuditsModule,
      imports: [
        PlatformModule.forService({ service: 'audits', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
        DeadlinesModule.forService(),
      ],
      controllers: [
        ApplicationEventsMessageController,
        AuditDocumentsMessageController,
        AuditQueueHttpController,
        DocumentReviewHttpController,
      ],
      providers: [AuditEvaluator, AuditDeadlines],
    };
  }
}
