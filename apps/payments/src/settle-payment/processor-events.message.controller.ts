import { Controller, OnModuleInit } from '@nestjs/common';
import {
  PaymentFailed,
  PaymentRefunded,
  PaymentSucceeded,
  PayloadOf,
  RecertifyForLifeMembershipPurchased,
  Topics,
} from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RecordMembershipHandler } from '../record-membership/record-membership.handler';
import { PayableLedger, ProcessorEvent } from './payable-ledger';

/**
 * What the payment processor reports: a payment succeeded, failed (retryable by the trainer) or
 * was refunded; a Recertify for Life membership was bought.
 */
@Controller()
export class ProcessorEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly payables: PayableLedger,
    private readonly memberships: RecordMembershipHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.processorEvents.name, {
      [PaymentSucceeded.type]: async (envelope, scope) => {
        await this.payables.recordProcessorEvent(scope, 'succeeded', envelope.payload as ProcessorEvent);
      },
      [PaymentFailed.type]: async (envelope, scope) => {
        await this.payables.recordProcessorEvent(scope, 'failed', envelope.payload as ProcessorEvent);
      },
      [PaymentRefunded.type]: async (envelope, scope) => {
        await this.payables.recordProcessorEvent(scope, 'refunded', envelope.payload as ProcessorEvent);
      },
      [RecertifyForLifeMembershipPurchased.type]: async (envelope, scope) => {
        await this.memberships.record(scope, envelope.payload as PayloadOf<typeof RecertifyForLifeMembershipPurchased>);
      },
    });
  }
}
