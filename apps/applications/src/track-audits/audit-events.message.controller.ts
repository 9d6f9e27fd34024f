import { Controller, OnModuleInit } from '@nestjs/common';
import { AuditCompleted, AuditDrawn, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RecertificationRepository } from '../database/recertification.repository';
import { ApplicationDecider } from '../decide-application/application-decider';
import { recordAuditCompleted } from './audit-findings';

/** R11: a selected application waits for its audit (policy: NASM approves only after it passes). */
@Controller()
export class AuditEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly decider: ApplicationDecider,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.auditEvents.name, {
      [AuditDrawn.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof AuditDrawn>;
        const repository = new RecertificationRepository(scope.manager);
        const application = await repository.application(a.applicationId);
        // An audit that completed before its draw was recorded here is not set back.
        if (!application || application.auditState === 'passed' || application.auditState === 'failed') return;
        await repository.setAuditState(a.applicationId, a.selected ? 'awaiting-documents' : 'not-selected');
        await this.decider.evaluate(scope, a.applicationId);
      },
      [AuditCompleted.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof AuditCompleted>;
        await recordAuditCompleted(scope.manager, a);
        await this.decider.evaluate(scope, a.applicationId);
      },
    });
  }
}
