import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { MembershipAtReceipt } from '@recert/contracts';
import { ConsumerPositions, EventScope, IdempotentConsumer, PartitionOffsets, TopicPosition } from '@recert/messaging';
import { MembershipRepository, Receipt } from '../database/membership.repository';

/** Where the processor's membership facts arrive on Kafka (the processor events topic). */
export const MEMBERSHIP_TOPIC = Symbol('MembershipTopic');

/**
 * Payments' answer to an application's receipt (R10: the fee is fixed at receipt; issue 13:
 * Recertify for Life is a membership payments records). Whatever the processor sent before the
 * receipt is on Kafka already, below the current end of the trainer's partition of its topic: the
 * answer waits until this service has applied it (at once in the usual case), as the CEU ledger at
 * receipt does. A membership counts if it was bought at or before the instant received; one bought
 * later, or recorded later through the webhook, does not change a fee already fixed.
 */
@Injectable()
export class MembershipAtReceiptHandler implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly offsets: PartitionOffsets,
    @Inject(MEMBERSHIP_TOPIC) private readonly topic: string,
  ) {}

  onModuleInit(): void {
    this.consumer.trackPositions({ topics: [this.topic], onAdvance: (scope, p) => this.onAdvance(scope, p) });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.offsets.close();
  }

  async received(scope: EventScope, receipt: Receipt): Promise<void> {
    const end = await this.offsets.endOf(this.topic, receipt.trainerId, scope.receivedAt);
    await ConsumerPositions.lockToWait(scope.manager, this.consumer.name, [end]);
    if ((await this.appliedUpTo(scope, end)) >= end.nextOffset) return this.answer(scope, receipt);
    await new MembershipRepository(scope.manager).awaitPosition(receipt, end);
  }

  /** The trainer's partition moved on: the receipts it was waited for by are answered now. */
  private async onAdvance(scope: EventScope, position: TopicPosition): Promise<void> {
    for (const receipt of await new MembershipRepository(scope.manager).released(position))
      await this.answer(scope, receipt);
  }

  private async answer(scope: EventScope, receipt: Receipt): Promise<void> {
    scope.publish(MembershipAtReceipt, {
      ...receipt,
      recertifyForLife: await new MembershipRepository(scope.manager).heldAt(receipt.trainerId, receipt.receivedAt),
    });
  }

  /**
   * How far the partition has been applied: the recorded position, or what the group committed
   * (a partition last read before positions were recorded has a commit but no position).
   */
  private async appliedUpTo(scope: EventScope, end: TopicPosition): Promise<number> {
    const recorded = (await ConsumerPositions.read(scope.manager, this.consumer.name, [end])).get(
      `${end.topic}/${end.partition}`,
    );
    if (recorded !== undefined || end.nextOffset === 0) return recorded ?? 0;
    const committed = await this.offsets.committed(this.consumer.name, end.topic);
    return Math.max(0, committed.get(end.partition) ?? 0);
  }
}
