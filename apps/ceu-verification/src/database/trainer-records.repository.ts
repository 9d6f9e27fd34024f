import { EntityManager } from 'typeorm';
import {
  CalendarDate,
  ceuHundredths,
  CourseCompletion,
  CprAedCard,
  cycle,
  Cycle,
  InMemoryProviderRegistry,
  PetitionCredit,
} from '@recert/rules';

/** Everything the CEU service holds about one cycle of one credential, as the rules library takes it. */
export interface CredentialCeuRecords {
  readonly trainerId: string;
  readonly credentialId: string;
  readonly cycle: Cycle;
  /** Completions and cards are the trainer's: a course may count once for each credential (policy). */
  readonly completions: CourseCompletion[];
  readonly petitionCredits: PetitionCredit[];
  readonly cprAedCards: CprAedCard[];
  /** The registry entries of the courses this trainer completed: all the tally needs (R5). */
  readonly registry: InMemoryProviderRegistry;
  /** Credits this credential's earlier cycles used (R4: used once), with the cycle that used each. */
  readonly usedByEarlierCycles: ReadonlyMap<string, string>;
}

export interface CredentialCycle {
  readonly credentialId: string;
  readonly cycle: Cycle;
  /** The credential's time zone: its days are counted there. */
  readonly timeZone: string;
}

type Row = Record<string, string | number | boolean | null>;
/** A loaded cycle: its dates, and each kind of record as JSON rows (dates as 'YYYY-MM-DD'). */
interface LoadedRow {
  starts_on: string;
  expires_on: string;
  completions: Row[];
  credits: Row[];
  cards: Row[];
  approvals: Row[];
  used: Row[];
}
const date = (value: string | number | boolean | null) => CalendarDate.parse(value as string);

export class TrainerRecordsRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The current (newest) cycle of each credential the trainer holds, newest first. */
  async currentCycles(trainerId: string): Promise<CredentialCycle[]> {
    const rows: Row[] = await this.manager.query(
      `SELECT DISTINCT ON (credential_id) credential_id, starts_on, expires_on, time_zone FROM trainer_cycles
       WHERE trainer_id = $1 ORDER BY credential_id, expires_on DESC`,
      [trainerId],
    );
    return rows
      .map((r) => ({
        credentialId: r['credential_id'] as string,
        cycle: cycle(date(r['starts_on']), date(r['expires_on'])),
        timeZone: r['time_zone'] as string,
      }))
      .sort((a, b) => (a.cycle.startsOn.isAfter(b.cycle.startsOn) ? -1 : 1));
  }

  /**
   * One cycle of a credential (the current one unless `expiresOn` names another), or null if
   * unknown: with everything the tally needs, in one statement (issue 16: six round trips were
   * the CEU service's largest share of the statements per decision).
   */
  async load(trainerId: string, credentialId: string, expiresOn?: string): Promise<CredentialCeuRecords | null> {
    const rows: LoadedRow[] = await this.manager.query(
      `SELECT y.starts_on, y.expires_on,
         (SELECT coalesce(json_agg(c ORDER BY c.completed_on, c.completion_id), '[]')
          FROM (SELECT completion_id, provider_id, course_id, completed_on, course_title
                FROM completions WHERE trainer_id = $2) c) AS completions,
         (SELECT coalesce(json_agg(p ORDER BY p.petition_id), '[]')
          FROM (SELECT petition_id, ceu_hundredths, completed_on, completion_id, course_title
                FROM petition_credits WHERE trainer_id = $2) p) AS credits,
         (SELECT coalesce(json_agg(k ORDER BY k.issued_on, k.card_id), '[]')
          FROM (SELECT card_id, issued_on, expires_on, includes_adult_cpr, includes_aed, hands_on_assessment
                FROM cpr_aed_cards WHERE trainer_id = $2) k) AS cards,
         (SELECT coalesce(json_agg(a), '[]') FROM approved_courses a
          WHERE EXISTS (SELECT 1 FROM completions c
                        WHERE c.trainer_id = $2 AND c.provider_id = a.provider_id AND c.course_id = a.course_id)) AS approvals,
         (SELECT coalesce(json_agg(u), '[]')
          FROM (SELECT credit_id, cycle_expires_on FROM consumed_credits
                WHERE credential_id = $1 AND cycle_expires_on < y.expires_on) u) AS used
       FROM (SELECT starts_on, expires_on FROM trainer_cycles
             WHERE credential_id = $1 AND trainer_id = $2 AND ($3::date IS NULL OR expires_on = $3)
             ORDER BY expires_on DESC LIMIT 1) y`,
      [credentialId, trainerId, expiresOn ?? null],
    );
    if (rows.length === 0) return null;
    const { completions, credits, cards, approvals, used } = rows[0];
    const current = cycle(date(rows[0].starts_on), date(rows[0].expires_on));
    return {
      trainerId,
      credentialId,
      cycle: current,
      completions: completions.map((c) => ({
        completionId: c['completion_id'] as string,
        providerId: c['provider_id'] as string,
        courseId: c['course_id'] as string,
        completedOn: date(c['completed_on']),
        ...(c['course_title'] ? { courseTitle: c['course_title'] as string } : {}),
      })),
      petitionCredits: credits.map((p) => ({
        petitionId: p['petition_id'] as string,
        ceu: ceuHundredths(p['ceu_hundredths'] as number),
        completedOn: date(p['completed_on']),
        completionId: (p['completion_id'] as string | null) ?? null,
        ...(p['course_title'] ? { courseTitle: p['course_title'] as string } : {}),
      })),
      cprAedCards: cards.map((c) => ({
        cardId: c['card_id'] as string,
        issuedOn: date(c['issued_on']),
        expiresOn: date(c['expires_on']),
        includesAdultCpr: c['includes_adult_cpr'] as boolean,
        includesAed: c['includes_aed'] as boolean,
        handsOnSkillsAssessment: c['hands_on_assessment'] as boolean,
      })),
      registry: new InMemoryProviderRegistry(
        approvals.map((a) => ({
          providerId: a['provider_id'] as string,
          courseId: a['course_id'] as string,
          ceu: ceuHundredths(a['ceu_hundredths'] as number),
          approvedFrom: date(a['approved_from']),
          approvedUntil: date(a['approved_until']),
          nasmOwn: a['nasm_own'] as boolean,
          title: a['title'] as string,
        })),
      ),
      usedByEarlierCycles: new Map(used.map((u) => [u['credit_id'] as string, u['cycle_expires_on'] as string])),
    };
  }

  async recordCycle(
    trainerId: string,
    credentialId: string,
    c: { startsOn: string; expiresOn: string; timeZone: string },
  ) {
    await this.manager.query(
      `INSERT INTO trainer_cycles (trainer_id, credential_id, starts_on, expires_on, time_zone) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [trainerId, credentialId, c.startsOn, c.expiresOn, c.timeZone],
    );
  }

  /** R4: the credits an approved application used; a repeat changes nothing. */
  async recordConsumed(credentialId: string, cycleExpiresOn: string, applicationId: string, creditIds: string[]) {
    if (creditIds.length === 0) return;
    await this.manager.query(
      `INSERT INTO consumed_credits (credential_id, credit_id, cycle_expires_on, application_id)
       SELECT $1, credit_id, $2, $3 FROM unnest($4::text[]) AS credit_id
       ON CONFLICT (credential_id, credit_id) DO NOTHING`,
      [credentialId, cycleExpiresOn, applicationId, creditIds],
    );
  }

  /** The ledger's revision: the number of times it was published. */
  async revision(trainerId: string): Promise<number> {
    const rows: { revision: number }[] = await this.manager.query(
      `SELECT revision FROM ledgers WHERE trainer_id = $1`,
      [trainerId],
    );
    return rows[0]?.revision ?? 0;
  }
}
