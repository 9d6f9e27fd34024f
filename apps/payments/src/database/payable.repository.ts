import { EntityManager } from 'typeorm';
import { Payable, PayablePurpose, PayableStatus } from '@recert/rules';

export type { PayablePurpose };
export type ProcessorEventKind = 'succeeded' | 'failed' | 'refunded';

/** What every processor event carries (PaymentSucceeded, PaymentFailed, PaymentRefunded). */
export interface ProcessorEvent {
  processorEventId: string;
  paymentId: string;
  payableId: string;
  amountCents: number;
  occurredAt: string;
}

export interface PayableRecord extends Payable {
  readonly payableId: string;
  readonly referenceId: string;
  readonly trainerId: string;
}

/** The payables table and its money trail (every processor event, with what became of it). */
export class PayableRepository {
  constructor(private readonly m: EntityManager) {}

  static payableId(purpose: PayablePurpose, referenceId: string): string {
    return `${purpose}:${referenceId}`;
  }

  /**
   * Serialises everything that touches one payable. Opening an item, its end and a processor event
   * for it come on different topics (or the webhook) and may be handled at once; without this lock
   * each could miss the other's uncommitted row.
   */
  async lock(payableId: string): Promise<void> {
    await this.m.query(`SELECT pg_advisory_xact_lock(hashtext('payable:' || $1))`, [payableId]);
  }

  async forUpdate(payableId: string): Promise<PayableRecord | null> {
    const [r] = await this.m.query(`SELECT * FROM payables WHERE payable_id = $1 FOR UPDATE`, [payableId]);
    return r ? toRecord(r) : null;
  }

  async insert(p: Omit<PayableRecord, 'status' | 'settledBy' | 'endedBecause'>): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO payables (payable_id, purpose, reference_id, trainer_id, amount_cents, status)
       VALUES ($1, $2, $3, $4, $5, 'open') ON CONFLICT DO NOTHING RETURNING 1`,
      [p.payableId, p.purpose, p.referenceId, p.trainerId, p.amountCents],
    );
    return inserted.length > 0;
  }

  async save(p: PayableRecord): Promise<void> {
    await this.m.query(
      `UPDATE payables SET status = $2, paid_payment_id = $3, ended_because = $4 WHERE payable_id = $1`,
      [p.payableId, p.status, p.settledBy, p.endedBecause],
    );
  }

  /** Records a processor event once per id; false for a repeat (a redelivery changes nothing). */
  async recordEvent(kind: ProcessorEventKind, e: ProcessorEvent, outcome: string): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO processor_events (processor_event_id, payable_id, payment_id, kind, amount_cents, occurred_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
      [e.processorEventId, e.payableId, e.paymentId, kind, e.amountCents, e.occurredAt, outcome],
    );
    return inserted.length > 0;
  }

  async setOutcome(processorEventId: string, outcome: string): Promise<void> {
    await this.m.query(`UPDATE processor_events SET outcome = $2 WHERE processor_event_id = $1`, [
      processorEventId,
      outcome,
    ]);
  }

  /** Payments that came before their item existed, oldest first. */
  async awaitingPayable(
    payableId: string,
  ): Promise<{ processorEventId: string; paymentId: string; amountCents: number }[]> {
    return this.m.query(
      `SELECT processor_event_id AS "processorEventId", payment_id AS "paymentId", amount_cents AS "amountCents"
       FROM processor_events
       WHERE payable_id = $1 AND kind = 'succeeded' AND outcome = 'awaiting-payable' ORDER BY occurred_at, processor_event_id`,
      [payableId],
    );
  }

  /**
   * What the trail knows of one payment on this item: how its charge ended (null if it never
   * charged this item), and whether a refund of it was already applied (other than `exceptEvent`).
   */
  async charge(
    payableId: string,
    paymentId: string,
    exceptEvent: string,
  ): Promise<{ outcome: string; alreadyRefunded: boolean } | null> {
    const [row] = await this.m.query(
      `SELECT (SELECT outcome FROM processor_events
               WHERE payable_id = $1 AND payment_id = $2 AND kind = 'succeeded'
               ORDER BY occurred_at DESC, processor_event_id DESC LIMIT 1) AS outcome,
              EXISTS (SELECT 1 FROM processor_events
                      WHERE payable_id = $1 AND payment_id = $2 AND kind = 'refunded'
                        AND processor_event_id <> $3 AND outcome LIKE 'refunded%') AS "alreadyRefunded"`,
      [payableId, paymentId, exceptEvent],
    );
    return row.outcome === null ? null : { outcome: row.outcome, alreadyRefunded: row.alreadyRefunded };
  }
}

function toRecord(r: Record<string, unknown>): PayableRecord {
  return {
    payableId: r['payable_id'] as string,
    purpose: r['purpose'] as PayablePurpose,
    referenceId: r['reference_id'] as string,
    trainerId: r['trainer_id'] as string,
    amountCents: r['amount_cents'] as number,
    status: r['status'] as PayableStatus,
    settledBy: (r['paid_payment_id'] as string | null) ?? null,
    endedBecause: (r['ended_because'] as string | null) ?? null,
  };
}
