import { Injectable, Logger } from '@nestjs/common';
import { PayableRefunded, PayableSettled } from '@recert/contracts';
import { EventScope } from '@recert/messaging';

export type PayablePurpose = 'application-fee' | 'petition-fee';
export type ProcessorEventKind = 'succeeded' | 'failed' | 'refunded';

/** What every processor event carries (PaymentSucceeded, PaymentFailed, PaymentRefunded). */
export interface ProcessorEvent {
  processorEventId: string;
  paymentId: string;
  payableId: string;
  amountCents: number;
  occurredAt: string;
}

interface PayableRow {
  payable_id: string;
  purpose: PayablePurpose;
  reference_id: string;
  trainer_id: string;
  amount_cents: number;
  status: 'open' | 'paid' | 'refunded';
}

/**
 * Every fee is one payable item, settled at most once: a second success for a paid item is
 * recorded as a duplicate charge (to refund), never as a second settlement. Processor events
 * that arrive before their item exists are kept and applied when it is opened.
 */
@Injectable()
export class PayableLedger {
  private readonly logger = new Logger(PayableLedger.name);

  static payableId(purpose: PayablePurpose, referenceId: string): string {
    return `${purpose}:${referenceId}`;
  }

  /**
   * Serialises everything that touches one payable. Opening an item and a processor event for it
   * may be handled at once (they come on different topics); without this lock each could miss the
   * other's uncommitted row and the payment would never be settled.
   */
  async lock(scope: EventScope, payableId: string): Promise<void> {
    await scope.manager.query(`SELECT pg_advisory_xact_lock(hashtext('payable:' || $1))`, [payableId]);
  }

  async open(
    scope: EventScope,
    purpose: PayablePurpose,
    referenceId: string,
    trainerId: string,
    amountCents: number,
  ): Promise<void> {
    const payableId = PayableLedger.payableId(purpose, referenceId);
    await this.lock(scope, payableId);
    const inserted = await scope.manager.query(
      `INSERT INTO payables (payable_id, purpose, reference_id, trainer_id, amount_cents, status)
       VALUES ($1, $2, $3, $4, $5, 'open') ON CONFLICT DO NOTHING RETURNING 1`,
      [payableId, purpose, referenceId, trainerId, amountCents],
    );
    if (inserted.length === 0) return;
    const early: { processor_event_id: string; payment_id: string; amount_cents: number }[] = await scope.manager.query(
      `SELECT processor_event_id, payment_id, amount_cents FROM processor_events
       WHERE payable_id = $1 AND kind = 'succeeded' AND outcome = 'awaiting-payable' ORDER BY occurred_at`,
      [payableId],
    );
    for (const e of early) {
      const outcome = await this.settle(scope, payableId, e.payment_id, e.amount_cents);
      await scope.manager.query(`UPDATE processor_events SET outcome = $2 WHERE processor_event_id = $1`, [
        e.processor_event_id,
        outcome,
      ]);
    }
  }

  /**
   * Records what the processor reported, once per processor event id (a redelivery in a new
   * envelope changes nothing), and applies it. Returns what became of it, or null for a repeat.
   */
  async recordProcessorEvent(scope: EventScope, kind: ProcessorEventKind, e: ProcessorEvent): Promise<string | null> {
    await this.lock(scope, e.payableId);
    const initial = kind === 'succeeded' ? 'awaiting-payable' : kind === 'failed' ? 'item stays open' : 'received';
    const inserted = await scope.manager.query(
      `INSERT INTO processor_events (processor_event_id, payable_id, payment_id, kind, amount_cents, occurred_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
      [e.processorEventId, e.payableId, e.paymentId, kind, e.amountCents, e.occurredAt, initial],
    );
    if (inserted.length === 0) return null;
    if (kind === 'failed') return initial;
    const outcome =
      kind === 'succeeded'
        ? await this.settle(scope, e.payableId, e.paymentId, e.amountCents)
        : await this.refund(scope, e.payableId);
    await scope.manager.query(`UPDATE processor_events SET outcome = $2 WHERE processor_event_id = $1`, [
      e.processorEventId,
      outcome,
    ]);
    if (outcome === 'duplicate-charge')
      this.logger.warn(`duplicate charge ${e.paymentId} for ${e.payableId}: to refund`);
    return outcome;
  }

  /** Returns what became of the payment: settled, duplicate charge, wrong amount, or awaiting its payable. */
  private async settle(scope: EventScope, payableId: string, paymentId: string, amountCents: number): Promise<string> {
    const [payable]: PayableRow[] = await scope.manager.query(
      `SELECT * FROM payables WHERE payable_id = $1 FOR UPDATE`,
      [payableId],
    );
    if (!payable) return 'awaiting-payable';
    if (payable.status !== 'open') return 'duplicate-charge';
    if (amountCents !== payable.amount_cents) return `wrong-amount: ${amountCents} of ${payable.amount_cents} cents`;
    await scope.manager.query(`UPDATE payables SET status = 'paid', paid_payment_id = $2 WHERE payable_id = $1`, [
      payableId,
      paymentId,
    ]);
    scope.publish(PayableSettled, {
      payableId,
      purpose: payable.purpose,
      referenceId: payable.reference_id,
      trainerId: payable.trainer_id,
      amountCents,
      paymentId,
    });
    return 'settled';
  }

  /** R6: a petition fee is never refunded; the processor's refund is recorded for follow-up. */
  private async refund(scope: EventScope, payableId: string): Promise<string> {
    const [payable]: PayableRow[] = await scope.manager.query(
      `SELECT * FROM payables WHERE payable_id = $1 FOR UPDATE`,
      [payableId],
    );
    if (!payable) return 'unknown-payable';
    if (payable.purpose === 'petition-fee') return 'refused: R6 petition fees are non-refundable';
    if (payable.status !== 'paid') return `ignored: the item is ${payable.status}`;
    await scope.manager.query(`UPDATE payables SET status = 'refunded' WHERE payable_id = $1`, [payableId]);
    scope.publish(PayableRefunded, {
      payableId,
      purpose: payable.purpose,
      referenceId: payable.reference_id,
      trainerId: payable.trainer_id,
      amountCents: payable.amount_cents,
    });
    return 'refunded';
  }
}
