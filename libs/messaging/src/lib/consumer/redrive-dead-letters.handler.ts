import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK } from '@recert/clock';
import { recordStaffAction } from '@recert/platform';
import { ConsumeOutcome, IdempotentConsumer } from './idempotent-consumer';
import { ParkedFilter, ParkedMessage, ParkedMessages } from './parked-messages';

/** Who acts: the authenticated staff member, recorded with the act. */
export interface Actor {
  readonly name: string;
  readonly roles: readonly string[];
}

export type Refusal = { readonly ok: false; readonly status: 404 | 409; readonly message: string };
export type Redriven = { readonly ok: true; readonly parked: ParkedMessage; readonly outcome: ConsumeOutcome };
export type Discarded = { readonly ok: true; readonly parked: ParkedMessage };

/** A set replay answers for each message it selected, in the order they were parked. */
export type SetReplay = { readonly id: string } & ({ readonly outcome: ConsumeOutcome } | { readonly refused: string });

/**
 * Ops redrive what the service's consumer parked, once the cause is fixed: a replay runs the whole
 * original through the consumer again (validated again, applied once); a discard closes it with a
 * reason. Both keep the parked row, mark it with who and when, and record the staff action.
 */
@Injectable()
export class RedriveDeadLettersHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consumer: IdempotentConsumer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Removes the parked inbox record and marks the row replayed in one transaction, then consumes the
   * original. Failing again parks it again, in a new row: each row keeps who replayed it and when.
   * A row already replayed is refused once the inbox holds the message again (processed, or parked
   * again); without that record its replay was cut short (a crash before the consumer committed),
   * and it runs again.
   */
  async replay(id: string, by: Actor): Promise<Redriven | Refusal> {
    const claimed = await this.dataSource.transaction(async (m): Promise<ParkedMessage | Refusal> => {
      const parked = await ParkedMessages.read(m, id, true);
      if (!parked) return { ok: false, status: 404, message: `no parked message ${id}` };
      if (parked.consumer !== this.consumer.name)
        return { ok: false, status: 409, message: `parked by ${parked.consumer}, not this service's consumer` };
      if (parked.status === 'discarded')
        return { ok: false, status: 409, message: `discarded by ${parked.settledBy} at ${iso(parked.settledAt)}` };
      if (parked.status === 'replayed' && (await inInbox(m, parked)))
        return {
          ok: false,
          status: 409,
          message: `already replayed by ${parked.settledBy} at ${iso(parked.settledAt)}`,
        };
      const at = this.clock.now();
      await m.query(`DELETE FROM inbox WHERE consumer = $1 AND message_id = $2 AND outcome = 'dead-lettered'`, [
        parked.consumer,
        parked.messageId,
      ]);
      await ParkedMessages.settle(m, id, 'replayed', by.name, at, null);
      await recordStaffAction(m, {
        at,
        by,
        action: 'dead-letter.replay',
        subject: `${parked.consumer}/${parked.messageId}`,
        reason: null,
        details: { parkedId: id, topic: parked.original.topic, eventType: parked.eventType },
      });
      return parked;
    });
    if ('ok' in claimed) return claimed;
    const outcome = await this.consumer.replay(claimed.original);
    return { ok: true, parked: (await ParkedMessages.read(this.dataSource.manager, id)) as ParkedMessage, outcome };
  }

  /** Replays the messages still parked that the filter selects, oldest first, at most `limit`. */
  async replayAll(filter: Omit<ParkedFilter, 'status'>, limit: number, by: Actor): Promise<SetReplay[]> {
    const ids = await ParkedMessages.ids(this.dataSource.manager, { ...filter, status: 'parked' }, limit);
    const results: SetReplay[] = [];
    for (const id of ids) {
      const result = await this.replay(id, by);
      results.push(result.ok ? { id, outcome: result.outcome } : { id, refused: result.message });
    }
    return results;
  }

  /**
   * Closes a parked message without replaying it. Its inbox record stays, so a redelivery of the
   * original is still a no-op.
   */
  async discard(id: string, reason: string, by: Actor): Promise<Discarded | Refusal> {
    return this.dataSource.transaction(async (m) => {
      const parked = await ParkedMessages.read(m, id, true);
      if (!parked) return { ok: false, status: 404, message: `no parked message ${id}` };
      if (parked.status !== 'parked')
        return {
          ok: false,
          status: 409,
          message: `already ${parked.status} by ${parked.settledBy} at ${iso(parked.settledAt)}`,
        };
      const at = this.clock.now();
      await ParkedMessages.settle(m, id, 'discarded', by.name, at, reason);
      await recordStaffAction(m, {
        at,
        by,
        action: 'dead-letter.discard',
        subject: `${parked.consumer}/${parked.messageId}`,
        reason,
        details: { parkedId: id, topic: parked.original.topic, eventType: parked.eventType },
      });
      return { ok: true, parked: (await ParkedMessages.read(m, id)) as ParkedMessage };
    });
  }
}

async function inInbox(m: EntityManager, parked: ParkedMessage): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2`, [
    parked.consumer,
    parked.messageId,
  ]);
  return rows.length > 0;
}

function iso(at: Date | null): string {
  return at ? at.toISOString() : 'an unknown time';
}
