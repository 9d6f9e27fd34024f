import { EntityManager } from 'typeorm';
import { ceuHundredths, formatCeu, Petition, PetitionState } from '@recert/rules';

export interface PetitionRecord extends Petition {
  petitionId: string;
  trainerId: string;
  courseTitle: string;
  providerName: string;
  completedOn: string;
  contactHours: string;
  /** Where the document store keeps the trainer's certificate, for the reviewer to open (issue 14). */
  certificateRef: string;
  /** The learning platform's completion the trainer petitioned, if named (R4: one course counts once). */
  completionId: string | null;
  feeCents: number;
  submittedAt: string;
}

export type PetitionActionKind = 'review' | 'approve' | 'deny' | 'withdraw';

/** One act on a petition: who (name and roles), when (the system's clock), why. */
export interface PetitionAction {
  action: PetitionActionKind;
  by: { name: string; roles: readonly string[] };
  at: string;
  reason: string | null;
  /** For an approval: the CEUs granted, e.g. "0.1". */
  ceuGranted: string | null;
}

export interface NewPetition {
  petitionId: string;
  trainerId: string;
  courseTitle: string;
  providerName: string;
  completedOn: string;
  contactHours: string;
  certificateRef: string;
  completionId: string | null;
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

  /** Inserts a submitted petition; false when it was already there (a redelivered submission). */
  async insert(p: NewPetition): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO petitions (petition_id, trainer_id, course_title, provider_name, completed_on, contact_hours,
                              certificate_ref, completion_id, fee_cents, state, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10) ON CONFLICT DO NOTHING RETURNING 1`,
      [
        p.petitionId,
        p.trainerId,
        p.courseTitle,
        p.providerName,
        p.completedOn,
        p.contactHours,
        p.certificateRef,
        p.completionId,
        p.feeCents,
        p.submittedAt,
      ],
    );
    return inserted.length > 0;
  }

  async save(p: PetitionRecord): Promise<void> {
    await this.m.query(
      `UPDATE petitions SET state = $2, ceu_granted = $3, decision_reason = $4 WHERE petition_id = $1`,
      [p.petitionId, p.state, p.ceuGranted, p.decisionReason],
    );
  }

  async recordAction(
    petitionId: string,
    action: PetitionActionKind,
    by: { name: string; roles: readonly string[] },
    at: Date,
    reason: string | null,
    ceuGranted: number | null = null,
  ): Promise<void> {
    await this.m.query(
      `INSERT INTO petition_actions (petition_id, action, actor_name, actor_roles, acted_at, reason, ceu_granted)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [petitionId, action, by.name, [...by.roles], at, reason, ceuGranted],
    );
  }

  async actions(petitionId: string): Promise<PetitionAction[]> {
    const rows: Record<string, unknown>[] = await this.m.query(
      `SELECT * FROM petition_actions WHERE petition_id = $1 ORDER BY seq`,
      [petitionId],
    );
    return rows.map((r) => ({
      action: r['action'] as PetitionActionKind,
      by: { name: r['actor_name'] as string, roles: r['actor_roles'] as string[] },
      at: new Date(r['acted_at'] as string).toISOString(),
      reason: (r['reason'] as string | null) ?? null,
      ceuGranted: r['ceu_granted'] === null ? null : formatCeu(ceuHundredths(r['ceu_granted'] as number)),
    }));
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
    certificateRef: r['certificate_ref'] as string,
    completionId: (r['completion_id'] as string | null) ?? null,
    feeCents: r['fee_cents'] as number,
    submittedAt: new Date(r['submitted_at'] as string).toISOString(),
    state: r['state'] as PetitionState,
    ceuGranted: r['ceu_granted'] === null ? null : ceuHundredths(r['ceu_granted'] as number),
    decisionReason: (r['decision_reason'] as string | null) ?? null,
  };
}
