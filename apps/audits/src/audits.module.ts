import { Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';
import { ApplicationEventsMessageController } from './draw-audit/application-events.message.controller';
import { AuditDocumentsMessageController } from './receive-document/audit-documents.message.controller';
import { AuditEvaluator } from './receive-document/audit-evaluator';

/** The reproducible random audit draw and the 30-day documentation window (R11). */
@Module({
  imports: [
    PlatformModule.forService({ service: 'audits', database: { entities: [], migrations } }),
    MessagingModule.forRoot(),
  ],
  controllers: [ApplicationEventsMessageController, AuditDocumentsMessageController],
  providers: [AuditEvaluator],
})
export class AuditsModule {}
