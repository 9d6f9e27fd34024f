import { Inject, Injectable } from '@nestjs/common';
import { CeuLedgerChanged, CourseCompleted, LedgerAtReceipt, PayloadOf } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { CeuTally, CprAedCard, RecertPolicy, tallyCeu } from '@recert/rules';
import { ApprovedCourseLock } from './approved-course-lock';
import { CredentialCeuRecords, TrainerRecordsRepository } from '../database/trainer-records.repository';

/** What an application's receipt needs judged against (see LedgerAtReceipt). */
export interface Receipt {
  readonly applicationId: string;
  readonly trainerId: string;
  readonly credentialId: string;
  readonly cycleExpiresOn: string;
}

/**
 * Each credential's CEU ledger for its current cycle, recomputed from everything on record
 * whenever something changes (R2–R7), and published. The trainer's ledger row is locked first,
 * so changes of one trainer apply one at a time and each publication carries a higher revision.
 */
@Injectable()
export class CeuLedger {
  constructor(@Inject(RECERT_POLICY) private readonly policy: RecertPolicy) {}

  tally(records: CredentialCeuRecords): CeuTally {
    return tallyCeu(
      records.cycle,
      records.completions,
      records.petitionCredits,
      records.registry,
      this.policy,
      records.usedByEarlierCycles,
    );
  }

  /** R4, R5: records a reported completion (the same one reported twice, once) and recomputes the trainer's ledger. */
  async recordCompletion(scope: EventScope, c: PayloadOf<typeof CourseCompleted>): Promise<void> {
    await ApprovedCourseLock.shared(scope.manager, c.providerId, c.courseId);
    await scope.manager.query(
      `INSERT INTO completions (completion_id, trainer_id, provider_id, course_id, completed_on, course_title)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (completion_id) DO NOTHING`,
      [c.completionId, c.trainerId, c.providerId, c.courseId, c.completedOn, c.courseTitle ?? null],
    );
    await this.recompute(scope, c.trainerId);
  }

  /** Locks the trainer's ledger row: every change of one trainer's records applies in turn. */
  async lock(scope: EventScope, trainerId: string): Promise<number> {
    const [{ revision }] = await scope.manager.query(
      `INSERT INTO ledgers (trainer_id) VALUES ($1)
       ON CONFLICT (trainer_id) DO UPDATE SET revision = ledgers.revision RETURNING revision`,
      [trainerId],
    );
    return revision;
  }

  async recompute(scope: EventScope, trainerId: string): Promise<void> {
    const revision = await this.lock(scope, trainerId);
    const repository = new TrainerRecordsRepository(scope.manager);
    // Records that arrive before the trainer's certification wait for it (events may come out of order).
    const credentials = await repository.currentCycles(trainerId);
    if (credentials.length === 0) return;
    const next = revision + 1;
    await scope.manager.query(`UPDATE ledgers SET revision = $2 WHERE trainer_id = $1`, [trainerId, next]);
    for (const { credentialId } of credentials) {
      const records = await repository.load(trainerId, credentialId);
      if (!records) continue;
      const tally = this.tally(records);
      scope.publish(CeuLedgerChanged, {
        trainerId,
        credentialId,
        cycleExpiresOn: records.cycle.expiresOn.toString(),
        revision: next,
        totalCeuHundredths: tally.totalCeu,
        counted: countedOf(tally),
        cprAedCards: cardsOf(records.cprAedCards),
      });
    }
  }

  /** "A decision waits for the facts": the ledger of the application's cycle, as it stands now. */
  async publishAtReceipt(scope: EventScope, receipt: Receipt): Promise<void> {
    await this.lock(scope, receipt.trainerId);
    const records = await new TrainerRecordsRepository(scope.manager).load(
      receipt.trainerId,
      receipt.credentialId,
      receipt.cycleExpiresOn,
    );
    if (!records) throw new Error(`no cycle ${receipt.credentialId}/${receipt.cycleExpiresOn} is on record`);
    const tally = this.tally(records);
    scope.publish(LedgerAtReceipt, {
      applicationId: receipt.applicationId,
      trainerId: receipt.trainerId,
      credentialId: receipt.credentialId,
      cycleExpiresOn: receipt.cycleExpiresOn,
      totalCeuHundredths: tally.totalCeu,
      counted: countedOf(tally),
      notCounted: tally.notCounted.map((n) => ({ ...n })),
      cprAedCards: cardsOf(records.cprAedCards),
    });
  }
}

function countedOf(tally: CeuTally) {
  return tally.counted.map((c) => ({
    source: c.source,
    id: c.id,
    ceuHundredths: c.ceu,
    completedOn: c.completedOn.toString(),
  }));
}

function cardsOf(cards: readonly CprAedCard[]) {
  return cards.map((c) => ({ ...c, issuedOn: c.issuedOn.toString(), expiresOn: c.expiresOn.toString() }));
}
