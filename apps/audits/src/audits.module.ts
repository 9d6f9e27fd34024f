import { DynamicModule, Module } from '@nestjs/common';
import { DeadlinesModule } from '@recert/deadlines';
import { MessagingModule, ServiceStartOptions } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { AuditLifecycle } from './audit-lifecycle/audit-lifecycle';
import { migrations } from './database/migrations';
import { AuditDecisionHttpController } from './decide-audit/audit-decision.http.controller';
import { DecideAuditHandler } from './decide-audit/decide-audit.handler';
import { ApplicationEventsMessageController } from './draw-audit/application-events.message.controller';
import { DrawAuditHandler } from './draw-audit/draw-audit.handler';
import { AuditDeadlines } from './enforce-audit-deadlines/audit-deadlines';
import { EnforceAuditDeadlineHandler } from './enforce-audit-deadlines/enforce-audit-deadline.handler';
import { AuditExtensionHttpController } from './extend-audit/audit-extension.http.controller';
import { ExtendAuditHandler } from './extend-audit/extend-audit.handler';
import { AuditQueueHttpController } from './query-audits/audit-queue.http.controller';
import { AuditDocumentsMessageController } from './receive-document/audit-documents.message.controller';
import { ReceiveDocumentHandler } from './receive-document/receive-document.handler';
import { DocumentReviewHttpController } from './review-document/document-review.http.controller';
import { ReviewDocumentHandler } from './review-document/review-document.handler';

/** The reproducible random audit draw, the documentation window and the reviewers' decisions (R11). */
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
        AuditDecisionHttpController,
        AuditExtensionHttpController,
      ],
      providers: [
        AuditLifecycle,
        AuditDeadlines,
        DrawAuditHandler,
        ReceiveDocumentHandler,
        ReviewDocumentHandler,
        DecideAuditHandler,
        ExtendAuditHandler,
        EnforceAuditDeadlineHandler,
      ],
    };
  }
}

/** How the service starts (its own process, or the one-process host). */
export const AUDITS_START_OPTIONS: ServiceStartOptions = {
  consumesEvents: true,
  description: 'The reproducible random audit draw and the 30-day documentation window (R11).',
};
