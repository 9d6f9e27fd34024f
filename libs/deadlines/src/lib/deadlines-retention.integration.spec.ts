import { FixedClock, MS_PER_DAY } from '@recert/clock';
import { MessagingTables1764000000000, RetentionIndexes1767200000000, Retention } from '@recert/messaging';
import { createTestDatabase, TestDatabase } from '@recert/testing';
import { DeadlineScheduler } from './deadline-scheduler';
import { DeadlinesRetentionIndex1767200000001 } from './deadlines-retention-index.migration';
import { deadlinesRetentionRule } from './deadlines-retention';
import { DeadlinesTables1764600000000 } from './deadlines-tables.migration';

const NOW = Date.parse('2027-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * MS_PER_DAY);

describe('retention of finished deadlines (issue 15, real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({
      prefix: 'deadline_retention',
      migrations: [
        MessagingTables1764000000000,
        DeadlinesTables1764600000000,
        RetentionIndexes1767200000000,
        DeadlinesRetentionIndex1767200000001,
      ],
    });
  });
  afterAll(() => db.drop());

  it('purges deadlines fired or cancelled more than 30 days ago; scheduled ones stay however overdue', async () => {
    const request = (subjectId: string, dueDaysAgo: number) => ({
      kind: 'expiration',
      subjectId,
      dueAt: daysAgo(dueDaysAgo),
      payload: {},
    });
    await db.dataSource.transaction((m) =>
      DeadlineScheduler.schedule(m, [
        request('fired-31-days-ago', 40),
        request('fired-29-days-ago', 40),
        request('cancelled-due-31-days-ago', 31),
        request('cancelled-due-29-days-ago', 29),
        request('scheduled-due-400-days-ago', 400),
      ]),
    );
    // What the runner writes when a deadline fires: its status, the clock's instant, the outcome.
    for (const [subject, days] of [
      ['fired-31-days-ago', 31],
      ['fired-29-days-ago', 29],
    ] as const)
      await db.dataSource.query(
        `UPDATE deadlines SET status = 'fired', fired_at = $2, outcome = 'expired' WHERE subject_id = $1`,
        [subject, daysAgo(days)],
      );
    await db.dataSource.transaction(async (m) => {
      await DeadlineScheduler.cancel(m, 'cancelled-due-31-days-ago');
      await DeadlineScheduler.cancel(m, 'cancelled-due-29-days-ago');
    });

    const retention = new Retention(db.dataSource, new FixedClock(new Date(NOW)), { batchSize: 10 });
    retention.register(deadlinesRetentionRule(30 * MS_PER_DAY));

    expect(await retention.purge()).toEqual({ deadlines: 2 });
    const left = await db.dataSource.query(`SELECT subject_id AS "subjectId" FROM deadlines ORDER BY subject_id`);
    expect(left.map((r: { subjectId: string }) => r.subjectId)).toEqual([
      'cancelled-due-29-days-ago',
      'fired-29-days-ago',
      'scheduled-due-400-days-ago',
    ]);
  });
});
