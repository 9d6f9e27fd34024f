import { RetentionRule } from '@recert/messaging';

/**
 * Finished deadlines: a fired one ages from its firing, a cancelled one from its due instant (after
 * which its job, if any, finds nothing to do). Scheduled deadlines are never purged.
 */
export function deadlinesRetentionRule(keepMs: number): RetentionRule {
  return { table: 'deadlines', since: 'coalesce(fired_at, due_at)', finished: `status <> 'scheduled'`, keepMs };
}
