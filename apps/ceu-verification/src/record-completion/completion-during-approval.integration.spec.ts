import { FixedClock } from '@recert/clock';
import { CourseCompleted, PayloadOf } from '@recert/contracts';
import { UnitOfWork } from '@recert/messaging';
import { createPolicy } from '@recert/rules';
import { createTestDatabase, TestDatabase } from '@recert/testing';
import { migrations } from '../database/migrations';
import { CeuLedger } from '../ledger/ceu-ledger';
import { RegisterApprovedCourseHandler } from '../register-approved-course/register-approved-course.handler';

/**
 * R5, a race the fan-out alone missed: a completion whose transaction read the registry before
 * its course was approved, and committed only after the approval's fan-out had looked for the
 * course's completions. Neither counted the course: the completion's recompute saw no approval,
 * the fan-out saw no completion. On real PostgreSQL, with the two transactions interleaved so.
 */
describe('a completion recorded while its course is being approved (R5, real PostgreSQL)', () => {
  let db: TestDatabase;
  let unitOfWork: UnitOfWork;
  const ledger = new CeuLedger(createPolicy());
  const registry = new RegisterApprovedCourseHandler(ledger);

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'it_completion_race', migrations });
    unitOfWork = new UnitOfWork(db.dataSource, new FixedClock(new Date('2027-03-10T12:00:00Z')), 'ceu-verification');
    await db.dataSource.query(
      `INSERT INTO trainer_cycles (trainer_id, credential_id, starts_on, expires_on)
       VALUES ('T-RACE', 'CPT-RACE', '2025-04-01', '2027-04-01')`,
    );
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("the trainer's newest ledger counts the course: 19 contact hours = 1.90 CEU (190 hundredths)", async () => {
    const completed: PayloadOf<typeof CourseCompleted> = {
      completionId: 'RACE-1',
      trainerId: 'T-RACE',
      providerId: 'ACE',
      courseId: 'C-RACE',
      completedOn: '2026-06-01',
    };
    let atGate!: () => void;
    const reachedGate = new Promise<void>((resolve) => (atGate = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));

    // The completion's transaction records it and recomputes (the registry does not know C-RACE
    // yet), then stays open.
    const completion = unitOfWork.run(async (scope) => {
      await ledger.recordCompletion(scope, completed);
      atGate();
      await gate;
    });
    await reachedGate;

    // The registry approves C-RACE for 2026 at 19 contact hours; as through Kafka, its fan-out
    // runs once the approval committed.
    const fannedOut = unitOfWork
      .run((scope) =>
        registry.register(scope, {
          providerId: 'ACE',
          courseId: 'C-RACE',
          title: 'Race conditions for trainers',
          ceuHundredths: 190,
          approvedFrom: '2026-01-01',
          approvedUntil: '2026-12-31',
          nasmOwn: false,
        }),
      )
      .then(() =>
        unitOfWork.run((scope) =>
          registry.fanOut(scope, { providerId: 'ACE', courseId: 'C-RACE', afterTrainerId: null }),
        ),
      );
    // Time for the approval and its fan-out to go ahead of the completion, if they can.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    openGate();
    await Promise.all([completion, fannedOut]);

    // The work items the fan-out handed out, applied as the service's consumer would.
    const items: { trainerId: string; providerId: string; courseId: string }[] = (
      await db.dataSource.query(
        `SELECT envelope->'payload' AS p FROM outbox WHERE event_type = 'RecomputeTrainerLedger'`,
      )
    ).map((r: { p: { trainerId: string; providerId: string; courseId: string } }) => r.p);
    for (const item of items) await unitOfWork.run((scope) => registry.recompute(scope, item));

    const [newest] = await db.dataSource.query(
      `SELECT (envelope->'payload'->>'totalCeuHundredths')::int AS total FROM outbox
        WHERE event_type = 'CeuLedgerChanged' AND envelope->'payload'->>'trainerId' = 'T-RACE'
        ORDER BY (envelope->'payload'->>'revision')::int DESC LIMIT 1`,
    );
    expect(newest).toEqual({ total: 190 });
  });
});
