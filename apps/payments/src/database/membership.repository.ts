import { EntityManager } from 'typeorm';
import { TopicPosition } from '@recert/messaging';

/** A Recertify for Life membership the processor reported (RecertifyForLifeMembershipPurchased). */
export interface MembershipPurchase {
  processorEventId: string;
  membershipId: string;
  trainerId: string;
  paymentId: string;
  amountCents: number;
  purchasedAt: string;
}

/** An application received, as payments answers it: whose, and the instant the system received it. */
export interface Receipt {
  applicationId: string;
  trainerId: string;
  receivedAt: string;
}

/** The memberships table, and the receipts waiting for the trainer's processor events to be applied. */
export class MembershipRepository {
  constructor(private readonly m: EntityManager) {}

  /** Records a membership once (by membership and by processor event); false for a repeat. */
  async record(p: MembershipPurchase, recordedAt: Date): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO memberships (membership_id, trainer_id, processor_event_id, payment_id, amount_cents, purchased_at, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
      [p.membershipId, p.trainerId, p.processorEventId, p.paymentId, p.amountCents, p.purchasedAt, recordedAt],
    );
    return inserted.length > 0;
  }

  /** The trainer's first membership bought at or before `instant`, or null. */
  async heldAt(trainerId: string, instant: string): Promise<{ membershipId: string; purchasedAt: string } | null> {
    const [row]: { membershipId: string; purchasedAt: Date }[] = await this.m.query(
      `SELECT membership_id AS "membershipId", purchased_at AS "purchasedAt" FROM memberships
       WHERE trainer_id = $1 AND purchased_at <= $2 ORDER BY purchased_at, membership_id LIMIT 1`,
      [trainerId, instant],
    );
    return row ? { membershipId: row.membershipId, purchasedAt: row.purchasedAt.toISOString() } : null;
  }

  /** A receipt waits until this service has applied `until`; false when it waits already. */
  async awaitPosition(receipt: Receipt, until: TopicPosition): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO receipts_awaiting_memberships (application_id, trainer_id, received_at, topic, partition, next_offset)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
      [receipt.applicationId, receipt.trainerId, receipt.receivedAt, until.topic, until.partition, until.nextOffset],
    );
    return inserted.length > 0;
  }

  /** The receipts this position releases, removed from the waiting list. */
  async released(position: TopicPosition): Promise<Receipt[]> {
    // A DELETE … RETURNING answers [rows, count] through TypeORM.
    const [rows]: [{ applicationId: string; trainerId: string; receivedAt: Date }[], number] = await this.m.query(
      `DELETE FROM receipts_awaiting_memberships WHERE topic = $1 AND partition = $2 AND next_offset <= $3
       RETURNING application_id AS "applicationId", trainer_id AS "trainerId", received_at AS "receivedAt"`,
      [position.topic, position.partition, position.nextOffset],
    );
    return rows.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() }));
  }
}
