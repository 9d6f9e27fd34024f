import { EntityManager } from 'typeorm';
import { ceuHundredths, Petition, PetitionState } from '@recert/rules';

export interface PetitionRecord extends Petition {
  petitionId: string;
  trainerId: string;
  courseTitle: string;
  providerName: string;
  completedOn: string;
  contactHours: string;
  feeCents: number;
  submittedAt: string;
}

export class PetitionRepository {
  constructor(private readonly m: EntityManager) {}

  async find(petitionId: string): Promise<PetitionRecord | null> {
    const rows = await this.m.query(`SELECT * FROM petitions WHERE petition_id = $1`, [petitionId]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  async forUpdate(petitionId: string): Promise<PetitionRecord | null> {
    const rows = await this.m.query(`SELECT * FROM petitions WHERE petition_id = $1 FOR UPDATE`, [petitionId]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  async save(p: PetitionRecord): Promise<void> {
    await this.m.query(
      `UPDATE petitions SET state = $2, ceu_granted = $3, decision_reason = $4 WHERE petition_id = $1`,
      [p.petitionId, p.state, p.ceuGranted, p.decisionReason],
    );
  }

  /** The review queue: oldest first. */
  async list(state: PetitionState | undefined, limit: number): Promise<PetitionRecord[]> {
    const rows = await this.m.query(
      `SELECT * FROM petitions WHERE ($1::text IS NULL OR state = $1) ORDER BY submitted_at, petition_id LIMIT $2`,
      [state ?? null, limit],
    );
    return rows.map(toRecord);
  }
}

function toRecord(r: Record<string, unknown>): PetitionRecord {
  return {
    petitionId: r['petition_id'] as string,
    trainerId: r['trainer_id'] as string,
    courseTitle: r['course_title'] as string,
    providerName: r['provider_name'] as string,
    completedOn: r['completed_on'] as string,
    contactHours: r['contact_hours'] as string,
    feeCents: r['fee_cents'] as number,
    submittedAt: new Date(r['submitted_at'] as string).toISOString(),
    state: r['state'] as PetitionState,
    ceuGranted: r['ceu_granted'] === null ? null : ceuHundredths(r['ceu_granted'] as number),
    decisionReason: (r['decision_reason'] as string | null) ?? null,
  };
}
