import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { PaymentFailed, PaymentRefunded, PaymentSucceeded, PayloadOf, Topics } from '@recert/contracts';
import { EventScope, IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { PayableLedger } from './payable-ledger';

type ProcessorEvent = PayloadOf<typeof PaymentSucceeded>;

/** What the payment processor reports: succeeded, failed (retryable by the trainer), refunded. */
@Controller()
export class ProcessorEventsMessageController {
  private readonly logger = new Logger(ProcessorEventsMessageController.name);

  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly payables: PayableLedger,
  ) {}

  @EventPattern(Topics.processorEvents.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [PaymentSucceeded.type]: async (envelope, scope) => {
        const e = envelope.payload as ProcessorEvent;
        // The processor may send the same event again (in a new envelope): its own id decides.
        if (!(await this.log(scope, e, 'succeeded', 'awaiting-payable'))) return;
        const outcome = await this.payables.settle(scope, e.payableId, e.paymentId, e.amountCents);
        await this.setOutcome(scope, e, outcome);
        if (outcome === 'duplicate-charge')
          this.logger.warn(`duplicate charge ${e.paymentId} for ${e.payableId}: to refund`);
      },
      [PaymentFailed.type]: async (envelope, scope) => {
        await this.log(scope, envelope.payload as ProcessorEvent, 'failed', 'item stays open');
      },
      [PaymentRefunded.type]: async (envelope, scope) => {
        const e = envelope.payload as ProcessorEvent;
        if (!(await this.log(scope, e, 'refunded', 'received'))) return;
        await this.setOutcome(scope, e, await this.payables.refund(scope, e.payableId));
      },
    });
  }

  /** Records the processor event; false when it was recorded before. */
  private async log(scope: EventScope, e: ProcessorEvent, kind: string, outcome: string): Promise<boolean> {
    const inserted = await scope.manager.query(
      `INSERT INTO processor_events (processor_event_id, payable_id, payment_id, kind, amount_cents, occurred_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
      [e.processorEventId, e.payableId, e.paymentId, kind, e.amountCents, e.occurredAt, outcome],
    );
    return inserted.length > 0;
  }

  private async setOutcome(scope: EventScope, e: ProcessorEvent, outcome: string): Promise<void> {
    await scope.manager.query(`UPDATE processor_events SET outcome = $2 WHERE processor_event_id = $1`, [
      e.processorEventId,
      outcome,
    ]);
  }
}
