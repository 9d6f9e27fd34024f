import { Inject, Injectable } from '@nestjs/common';
import { CeuLedgerChanged } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { RecertPolicy, tallyCeu } from '@recert/rules';
import { TrainerRecordsRepository } from '../database/trainer-records.repository';

/**
 * A trainer's CEU ledger for the current cycle, recomputed from everything on record whenever
 * something changes (R2–R7), and published. The trainer's ledger row is locked first, so changes
 * of one trainer apply one at a time and each publication carries a higher revision.
 */
@Injectable()
export class CeuLedger {
  constructor(@Inject(RECERT_POLICY) private readonly policy: RecertPolicy) {}

  async recompute(scope: EventScope, trainerId: string): Promise<void> {
    const m = scope.manager;
    const [{ revision }] = await m.query(
      `INSERT INTO ledgers (trainer_id) VALUES ($1)
       ON CONFLICT (trainer_id) DO UPDATE SET revision = ledgers.revision RETURNING revision`,
      [trainerId],
    );
    // Records that arrive before the trainer's certification wait for it (events may come out of order).
    const records = await new TrainerRecordsRepository(m).load(trainerId);
    if (!records) return;
    const tally = tallyCeu(records.cycle, records.completions, records.petitionCredits, records.registry, this.policy);

    const next = revision + 1;
    await m.query(`UPDATE ledgers SET revision = $2 WHERE trainer_id = $1`, [trainerId, next]);
    scope.publish(CeuLedgerChanged, {
      trainerId,
      cycleExpiresOn: records.cycle.expiresOn.toString(),
      revision: next,
      totalCeuHundredths: tally.totalCeu,
      counted: tally.counted.map((c) => ({
        source: c.source,
        id: c.id,
        ceuHundredths: c.ceu,
        completedOn: c.completedOn.toString(),
      })),
      cprAedCards: records.cprAedCards.map((c) => ({
        ...c,
        issuedOn: c.issuedOn.toString(),
        expiresOn: c.expiresOn.toString(),
      })),
    });
  }
}
