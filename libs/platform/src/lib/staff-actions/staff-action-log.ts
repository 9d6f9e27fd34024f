import { EntityManager } from 'typeorm';

/** One staff action as the log keeps it. */
export interface StaffAction {
  readonly at: Date;
  readonly by: { readonly name: string; readonly roles: readonly string[] };
  /** What was done, e.g. `petition.approve`, `audit.reject-document`, `queues.pause`. */
  readonly action: string;
  /** What it was done to, e.g. a petition id, an application id, a queue. */
  readonly subject: string;
  readonly reason: string | null;
  readonly details?: Record<string, unknown>;
}

/**
 * Records a staff action in the service's append-only log, in the caller's transaction: the
 * action and its record commit together or not at all.
 */
export async function recordStaffAction(manager: EntityManager, action: StaffAction): Promise<void> {
  await manager.query(
    `INSERT INTO staff_actions (acted_at, actor_name, actor_roles, action, subject, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      action.at,
      action.by.name,
      [...action.by.roles],
      action.action,
      action.subject,
      action.reason,
      JSON.stringify(action.details ?? {}),
    ],
  );
}
