import { EntityManager } from 'typeorm';
import { DeadlineRequest, deadlineId } from './deadline';

/**
 * What a transaction tells the DeadlineRunner when it commits (TypeORM hands a transaction's
 * query-runner `data` to its subscribers): the earliest deadline it scheduled, so one due within
 * the runner's horizon reaches BullMQ at once rather than at the next sweep.
 */
export interface DeadlinesScheduledInTransaction {
  earliestDeadlineScheduled?: Date;
}

/**
 * Schedules and cancels deadlines inside the caller's transaction: a deadline exists exactly when
 * the state change that made it committed. The DeadlineRunner hands it to BullMQ afterwards.
 */
export class DeadlineScheduler {
  /** Returns the deadlines' ids; one already scheduled is left as it is. */
  static async schedule(manager: EntityManager, requests: readonly DeadlineRequest[]): Promise<string[]> {
    if (requests.length === 0) return [];
    const params: unknown[] = [];
    const ids = requests.map((r) => deadlineId(r));
    const rows = requests.map((r, i) => {
      params.push(ids[i], r.kind, r.subjectId, r.dueAt, JSON.stringify(r.payload));
      const n = params.length;
      return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO deadlines (deadline_id, kind, subject_id, due_at, payload) VALUES ${rows.join(', ')}
       ON CONFLICT (deadline_id) DO NOTHING`,
      params,
    );
    const data = manager.queryRunner?.data as DeadlinesScheduledInTransaction | undefined;
    if (data) {
      const earliest = new Date(Math.min(...requests.map((r) => r.dueAt.getTime())));
      if (!data.earliestDeadlineScheduled || earliest < data.earliestDeadlineScheduled)
        data.earliestDeadlineScheduled = earliest;
    }
    return ids;
  }

  /** Cancels the subject's scheduled deadlines (of these kinds, or all); their jobs will find nothing to do. */
  static async cancel(manager: EntityManager, subjectId: string, kinds?: readonly string[]): Promise<number> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [, cancelled]: [unknown[], number] = await manager.query(
      `UPDATE deadlines SET status = 'cancelled', outcome = 'cancelled'
       WHERE subject_id = $1 AND status = 'scheduled' AND ($2::text[] IS NULL OR kind = ANY($2::text[]))
`,
      [subjectId, kinds ?? null],
    );
    return cancelled;
  }
}
