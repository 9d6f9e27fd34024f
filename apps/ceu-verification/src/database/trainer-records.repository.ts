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

/** Everything the CEU service holds about one trainer's current cycle, as the rules library takes it. */
export interface TrainerCeuRecords {
  readonly cycle: Cycle;
  readonly completions: CourseCompletion[];
  readonly petitionCredits: PetitionCredit[];
  readonly cprAedCards: CprAedCard[];
  /** The registry entries of the courses this trainer completed: all the tally needs (R5). */
  readonly registry: InMemoryProviderRegistry;
}

type Row = Record<string, string | number | boolean>;

export class TrainerRecordsRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The trainer's current cycle and records, or null while no certification is on record. */
  async load(trainerId: string): Promise<TrainerCeuRecords | null> {
    const m = this.manager;
    const cycles: Row[] = await m.query(
      `SELECT starts_on, expires_on FROM trainer_cycles WHERE trainer_id = $1 ORDER BY expires_on DESC LIMIT 1`,
      [trainerId],
    );
    if (cycles.length === 0) return null;
    // One after another: they share the transaction's one connection, which would queue them
    // anyway (pg deprecates a query sent to a client that is still busy).
    const completions: Row[] = await m.query(
      `SELECT completion_id, provider_id, course_id, completed_on FROM completions WHERE trainer_id = $1 ORDER BY completed_on, completion_id`,
      [trainerId],
    );
    const credits: Row[] = await m.query(
      `SELECT petition_id, ceu_hundredths, completed_on FROM petition_credits WHERE trainer_id = $1 ORDER BY petition_id`,
      [trainerId],
    );
    const cards: Row[] = await m.query(
      `SELECT card_id, issued_on, expires_on, includes_adult_cpr, includes_aed, hands_on_assessment
       FROM cpr_aed_cards WHERE trainer_id = $1 ORDER BY issued_on, card_id`,
      [trainerId],
    );
    const approvals: Row[] = await m.query(
      `SELECT a.* FROM approved_courses a
       WHERE EXISTS (SELECT 1 FROM completions c WHERE c.trainer_id = $1 AND c.provider_id = a.provider_id AND c.course_id = a.course_id)`,
      [trainerId],
    );
    const date = (value: string | number | boolean) => CalendarDate.parse(value as string);
    return {
      cycle: cycle(date(cycles[0]['starts_on']), date(cycles[0]['expires_on'])),
      completions: completions.map((c) => ({
        completionId: c['completion_id'] as string,
        providerId: c['provider_id'] as string,
        courseId: c['course_id'] as string,
        completedOn: date(c['completed_on']),
      })),
      petitionCredits: credits.map((p) => ({
        petitionId: p['petition_id'] as string,
        ceu: ceuHundredths(p['ceu_hundredths'] as number),
        completedOn: date(p['completed_on']),
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
        })),
      ),
    };
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
