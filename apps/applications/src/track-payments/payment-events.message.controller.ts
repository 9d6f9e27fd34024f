import { Controller, OnModuleInit } from '@nestjs/common';
import { MembershipAtReceipt, PayableRefunded, PayableSettled, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RecertificationRepository } from '../database/recertification.repository';
import { ApplicationDecider } from '../decide-application/application-decider';
import { JudgeAtReceiptHandler } from '../judge-at-receipt/judge-at-receipt.handler';

/**
 * R10: the fee is fixed on the membership payments held at receipt; an application waits for its
 * fee; once paid it may be decided. A refund of the payment that settled it makes the fee unpaid
 * again: an open application waits for a new payment.
 */
@Controller()
export class PaymentEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly decider: ApplicationDecider,
    private readonly judgeAtReceipt: JudgeAtReceiptHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.paymentEvents.name, {
      [MembershipAtReceipt.type]: async (envelope, scope) => {
        await this.judgeAtReceipt.membershipArrived(scope, envelope.payload as PayloadOf<typeof MembershipAtReceipt>);
      },
      [PayableSettled.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PayableSettled>;
        if (p.purpose !== 'application-fee') return;
        const application = await new RecertificationRepository(scope.manager).setFeePaid(p.referenceId, true);
        if (application) await this.decider.evaluateRecord(scope, application);
      },
      [PayableRefunded.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PayableRefunded>;
        if (p.purpose !== 'application-fee') return;
        // A decided application is final; its fee is still recorded as it now is.
        await new RecertificationRepository(scope.manager).setFeePaid(p.referenceId, false);
      },
    });
  }
}
