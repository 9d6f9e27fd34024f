import { Inject, Injectable } from '@nestjs/common';
import { CeuLedgerChanged } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { CalendarDate, ceuHundredths, cycle, InMemoryProviderRegistry, RecertPolicy, tallyCeu } from '@recert/rules';

interface CycleRow {
  starts_on: string;
  expires_on: string;
}

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
    const cycles: CycleRow[] = await m.query(
      `SELECT starts_on, expires_on FROM trainer_cycles WHERE trainer_id = $1 ORDER BY expires_on DESC LIMIT 1`,
      [trainerId],
    );
    // Records that arrive before the trainer's certification wait for it (events may come out of order).
    if (cycles.length === 0) return;
    const current = cycle(CalendarDate.parse(cycles[0].starts_on), CalendarDate.parse(cycles[0].expires_on));

    const [completions, credits, cards, approvals] = await Promise.all([
      m.query(
        `SELECT completion_id, provider_id, course_id, completed_on FROM completions WHERE trainer_id = $1 ORDER BY completed_on, completion_id`,
        [trainerId],
      ),
      m.query(
        `SELECT petition_id, ceu_hundredths, completed_on FROM petition_credits WHERE trainer_id = $1 ORDER BY petition_id`,
        [trainerId],
      ),
      m.query(
        `SELECT card_id, issued_on, expires_on, includes_adult_cpr, includes_aed, hands_on_assessment
         FROM cpr_aed_cards WHERE trainer_id = $1 ORDER BY issued_on, card_id`,
        [trainerId],
      ),
      m.query(
        `SELECT a.* FROM approved_courses a
         WHERE EXISTS (SELECT 1 FROM completions c WHERE c.trainer_id = $1 AND c.provider_id = a.provider_id AND c.course_id = a.course_id)`,
        [trainerId],
      ),
    ]);

    const registry = new InMemoryProviderRegistry(
      approvals.map((a: Record<string, string | number | boolean>) => ({
        providerId: a['provider_id'] as string,
        courseId: a['course_id'] as string,
        ceu: ceuHundredths(a['ceu_hundredths'] as number),
        approvedFrom: CalendarDate.parse(a['approved_from'] as string),
        approvedUntil: CalendarDate.parse(a['approved_until'] as string),
        nasmOwn: a['nasm_own'] as boolean,
      })),
    );
    const tally = tallyCeu(
      current,
      completions.map((c: Record<string, string>) => ({
        completionId: c['completion_id'],
        providerId: c['provider_id'],
        courseId: c['course_id'],
        completedOn: CalendarDate.parse(c['completed_on']),
      })),
      credits.map((p: Record<string, string | number>) => ({
        petitionId: p['petition_id'] as string,
        ceu: ceuHundredths(p['ceu_hundredths'] as number),
        completedOn: CalendarDate.parse(p['completed_on'] as string),
      })),
      registry,
      this.policy,
    );

    const next = revision + 1;
    await m.query(`UPDATE ledgers SET revision = $2 WHERE trainer_id = $1`, [trainerId, next]);
    scope.publish(CeuLedgerChanged, {
      trainerId,
      cycleExpiresOn: current.expiresOn.toString(),
      revision: next,
      totalCeuHundredths: tally.totalCeu,
      counted: tally.counted.map((c) => ({
        source: c.source,
        id: c.id,
        ceuHundredths: c.ceu,
        completedOn: c.completedOn.toString(),
      })),
      cprAedCards: cards.map((c: Record<string, string | boolean>) => ({
        cardId: c['card_id'] as string,
        issuedOn: c['issued_on'] as string,
        expiresOn: c['expires_on'] as string,
        includesAdultCpr: c['includes_adult_cpr'] as boolean,
        includesAed: c['includes_aed'] as boolean,
        handsOnSkillsAssessment: c['hands_on_assessment'] as boolean,
      })),
    });
  }
}
