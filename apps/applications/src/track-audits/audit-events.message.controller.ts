import { Controller, OnModuleInit } from '@nestjs/common';
import { AuditCompleted, AuditDrawn, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RecertificationRepository } from '../database/recertification.repository';
import { ApplicationDecider } from '../decide-application/application-decider';
import { findingsOf } from './audit-findings';

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
        const application = await new RecertificationRepository(scope.manager).recordAuditDrawn(a.applicationId, a.selected);
        if (application) await this.decider.evaluateRecord(scope, application);
      },
      [AuditCompleted.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof AuditCompleted>;
        const application = await new RecertificationRepository(scope.manager).recordAuditCompleted(
          a.applicationId,
          a.outcome,
          findingsOf(a),
        );
        if (application) await this.decider.evaluateRecord(scope, application);
      },
    });
  }
}
