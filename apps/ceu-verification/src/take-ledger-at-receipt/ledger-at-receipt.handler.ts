import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics } from '@recert/contracts';
import { ConsumerPositions, EventScope, IdempotentConsumer, PartitionOffsets, TopicPosition } from '@recert/messaging';
import { CeuLedger, Receipt } from '../ledger/ceu-ledger';

/** A topic whose records a ledger at receipt must include: the trainer's partition of it, or all of it. */
export interface ReceiptInput {
  readonly topic: string;
  readonly partitions: 'of-trainer' | 'all';
}

/**
 * What a ledger at receipt is made of: completions, cards and petition credits, keyed by trainer
 * (the trainer's partition is enough), and the registry that values the courses (keyed by course:
 * all its partitions).
 */
export const DEFAULT_RECEIPT_INPUTS: readonly ReceiptInput[] = [
  { topic: Topics.courseCompletions.name, partitions: 'of-trainer' },
  { topic: Topics.cprAedCards.name, partitions: 'of-trainer' },
  { topic: Topics.petitionEvents.name, partitions: 'of-trainer' },
  { topic: Topics.providerRegistry.name, partitions: 'all' },
];

export const RECEIPT_INPUTS = Symbol('ReceiptInputs');
export const PARTITION_OFFSETS = Symbol('PartitionOffsets');

/**
 * "A decision waits for the facts" (R2, R7, R12): an application is judged with every
 * completion, card and petition credit the system recorded before its receipt. When the
 * receipt arrives here, whatever was recorded before it is on Kafka already, below the current
 * end of the trainer's partition of each input topic (and of the registry's partitions). The ledger is published once this service
 * has applied those partitions up to there: at once in the usual case, otherwise when the
 * consumer gets there (its position is recorded after each message, see ConsumerPositions).
 */
@Injectable()
export class LedgerAtReceiptHandler implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
    @Inject(PARTITION_OFFSETS) private readonly offsets: PartitionOffsets,
    @Inject(RECEIPT_INPUTS) private readonly inputs: readonly ReceiptInput[],
  ) {}

  onModuleInit(): void {
    this.consumer.trackPositions({
      topics: this.inputs.map((i) => i.topic),
      onAdvance: (scope, p) => this.onAdvance(scope, p),
    });
  }

  async received(scope: EventScope, receipt: Receipt): Promise<void> {
    const m = scope.manager;
    const ends = (
      await Promise.all(
        this.inputs.map(async (i) =>
          i.partitions === 'all'
            ? this.offsets.endsOf(i.topic, scope.receivedAt)
            : [await this.offsets.endOf(i.topic, receipt.trainerId, scope.receivedAt)],
        ),
      )
    ).flat();
    await ConsumerPositions.lockToWait(m, this.consumer.name, ends);
    const applied = await this.appliedUpTo(scope, ends);
    const unmet = ends.filter((end) => (applied.get(key(end)) ?? 0) < end.nextOffset);
    if (unmet.length === 0) return this.ledger.publishAtReceipt(scope, receipt);
    const inserted = await m.query(
      `INSERT INTO receipts_awaiting_inputs (application_id, trainer_id, credential_id, cycle_expires_on)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
      [receipt.applicationId, receipt.trainerId, receipt.credentialId, receipt.cycleExpiresOn],
    );
    if (inserted.length === 0) return;
    await m.query(
      `INSERT INTO receipt_waits (application_id, topic, partition, next_offset)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])`,
      [receipt.applicationId, unmet.map((u) => u.topic), unmet.map((u) => u.partition), unmet.map((u) => u.nextOffset)],
    );
  }

  /** A partition moved on: the receipts it was the last wait of get their ledger now. */
  private async onAdvance(scope: EventScope, position: TopicPosition): Promise<void> {
    const m = scope.manager;
    // A DELETE … RETURNING answers [rows, count] through TypeORM.
    const [released]: [{ application_id: string }[], number] = await m.query(
      `DELETE FROM receipt_waits WHERE topic = $1 AND partition = $2 AND next_offset <= $3 RETURNING application_id`,
      [position.topic, position.partition, position.nextOffset],
    );
    for (const applicationId of new Set(released.map((r) => r.application_id))) {
      const [[ready]]: [{ trainer_id: string; credential_id: string; cycle_expires_on: string }[], number] =
        await m.query(
          `DELETE FROM receipts_awaiting_inputs r WHERE application_id = $1
           AND NOT EXISTS (SELECT 1 FROM receipt_waits w WHERE w.application_id = r.application_id)
           RETURNING trainer_id, credential_id, cycle_expires_on`,
          [applicationId],
        );
      if (!ready) continue;
      await this.ledger.publishAtReceipt(scope, {
        applicationId,
        trainerId: ready.trainer_id,
        credentialId: ready.credential_id,
        cycleExpiresOn: ready.cycle_expires_on,
      });
    }
  }

  /**
   * How far each partition has been applied: the recorded position, or what the group committed
   * (a partition last read before positions were recorded has a commit but no position).
   */
  private async appliedUpTo(scope: EventScope, ends: readonly TopicPosition[]): Promise<Map<string, number>> {
    const applied = await ConsumerPositions.read(scope.manager, this.consumer.name, ends);
    for (const end of ends.filter((e) => !applied.has(key(e)) && e.nextOffset > 0)) {
      const committed = await this.offsets.committed(this.consumer.name, end.topic);
      applied.set(key(end), Math.max(0, committed.get(end.partition) ?? 0));
    }
    return applied;
  }
}

const key = (p: Omit<TopicPosition, 'nextOffset'>) => `${p.topic}/${p.partition}`;
