import { ControllableClock, FixedClock } from '@recert/clock';
import { PayloadOf, LedgerAtReceipt } from '@recert/contracts';
import { DeadlineRunner } from '@recert/deadlines';
import { MessageRejected, UnitOfWork } from '@recert/messaging';
import { createPolicy } from '@recert/rules';
import { createTestDatabase, TestDatabase, uniqueName } from '@recert/testing';
import { RecertificationRepository } from '../database/recertification.repository';
import { migrations } from '../database/migrations';
import { ApplicationDecider } from '../decide-application/application-decider';
import { CycleDeadlines } from '../enforce-cycle-deadlines/cycle-deadlines';
import { FinalWindowEnd } from '../enforce-cycle-deadlines/final-window-end';
import { JudgeAtReceiptHandler } from '../judge-at-receipt/judge-at-receipt.handler';
import { RecordCertificationHandler } from '../record-certification/record-certification.handler';
import { ReceiveApplicationHandler } from './receive-application.handler';

const REDIS_URL = `${process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'}/10`;

/**
 * A credential's life in the applications service, use case by use case, on the real PostgreSQL
 * (and Redis for its deadlines). Every expected value is worked out by hand from DOMAIN.md; the
 * clock starts at 2027-03-10 12:00 UTC.
 */
describe('applications: certify, receive, judge at receipt, decide, end of the final window (real PostgreSQL)', () => {
  let db: TestDatabase;
  let clock: ControllableClock;
  let unitOfWork: UnitOfWork;
  let runner: DeadlineRunner;
  let certify: RecordCertificationHandler;
  let receive: ReceiveApplicationHandler;
  let judge: JudgeAtReceiptHandler;
  let decider: ApplicationDecider;
  const policy = createPolicy();

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'it_applications', migrations });
    clock = new ControllableClock(new FixedClock(new Date('2027-03-10T12:00:00Z')));
    unitOfWork = new UnitOfWork(db.dataSource, clock, 'applications');
    runner = new DeadlineRunner(db.dataSource, unitOfWork, clock, {
      service: uniqueName('apps'),
      redisUrl: REDIS_URL,
      prefix: uniqueName('dl'),
      concurrency: 2,
      horizonMs: 48 * 3_600_000,
      relayPollMs: 50,
      reconcileEveryMs: 60_000,
      batchSize: 100,
      timeTravel: true,
      retry: { jobAttempts: 8, jobBackoffMs: 1_000, rearmBaseMs: 30_000, rearmMaxMs: 1_800_000 },
    });
    const cycles = new CycleDeadlines(runner, policy, clock);
    cycles.onModuleInit();
    decider = new ApplicationDecider(policy, clock, cycles);
    new FinalWindowEnd(runner, cycles, decider).onModuleInit();
    certify = new RecordCertificationHandler(cycles, policy);
    receive = new ReceiveApplicationHandler(policy, clock);
    judge = new JudgeAtReceiptHandler(policy, decider);
    await runner.start();
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    await db?.drop();
  });

  const run = <T>(work: Parameters<UnitOfWork['run']>[0]) => unitOfWork.run(work) as Promise<T>;
  const events = (type: string): Promise<Record<string, unknown>[]> =>
    db.dataSource
      .query(`SELECT envelope->'payload' AS p FROM outbox WHERE event_type = $1 ORDER BY id`, [type])
      .then((rows: { p: Record<string, unknown> }[]) => rows.map((r) => r.p));
  const application = (id: string) =>
    db.dataSource.query(`SELECT * FROM applications WHERE application_id = $1`, [id]).then((r) => r[0]);
  const certified = (trainerId: string, credentialId: string, certifiedOn: string, expiresOn: string) =>
    run((scope) => certify.execute(scope, { trainerId, credentialId, certifiedOn, expiresOn, timeZone: 'UTC' }));
  const applies = (applicationId: string, trainerId: string, credentialId?: string) =>
    run((scope) =>
      receive.execute(scope, {
        applicationId,
        trainerId,
        credentialId,
        submittedAt: new Date('2027-01-01T09:00:00Z'),
      }),
    );
  /** Payments' answer to the receipt: the Recertify for Life membership the trainer held then, or none. */
  const membershipAtReceipt = (
    applicationId: string,
    trainerId: string,
    recertifyForLife: { membershipId: string; purchasedAt: string } | null = null,
  ) =>
    run((scope) =>
      judge.membershipArrived(scope, { applicationId, trainerId, receivedAt: '2027-03-10T12:00:00.000Z', recertifyForLife }),
    );
  const ledgerArrives = (...args: Parameters<typeof ledgerAtReceipt>) =>
    run((scope) => judge.ledgerArrived(scope, ledgerAtReceipt(...args)));
  const ledgerAtReceipt = (
    applicationId: string,
    trainerId: string,
    credentialId: string,
    cycleExpiresOn: string,
    ceu: number,
  ): PayloadOf<typeof LedgerAtReceipt> => ({
    applicationId,
    trainerId,
    credentialId,
    cycleExpiresOn,
    totalCeuHundredths: ceu,
    counted: [{ source: 'approved-course', id: `${trainerId}-C1`, ceuHundredths: ceu, completedOn: '2026-06-01' }],
    notCounted: [],
    cprAedCards: [
      {
        cardId: `${trainerId}-CPR`,
        issuedOn: '2026-01-01',
        expiresOn: '2028-12-31',
        includesAdultCpr: true,
        includesAed: true,
        handsOnSkillsAssessment: true,
      },
    ],
  });

  it('R1, R9: a new credential starts its first cycle; it is certified again only once it lapsed', async () => {
    expect(await certified('T-1', 'CPT-1', '2024-01-01', '2026-01-01')).toBe('certified');
    expect(await certified('T-1', 'CPT-1', '2024-01-01', '2026-01-01')).toBe('repeat');
    await expect(certified('T-1', 'CPT-1', '2026-12-31', '2028-12-31')).rejects.toThrow(
      /R9: credential CPT-1 is not lapsed on 2026-12-31 .* final window to 2027-01-01/,
    );
    expect(await certified('T-1', 'CPT-1', '2027-03-01', '2029-03-01')).toBe('certified-again');
    const cycles = await db.dataSource.query(
      `SELECT starts_on, expires_on, started_by FROM cycles WHERE credential_id = 'CPT-1' ORDER BY expires_on`,
    );
    expect(cycles).toEqual([
      { starts_on: '2024-01-01', expires_on: '2026-01-01', started_by: 'certification' },
      { starts_on: '2027-03-01', expires_on: '2029-03-01', started_by: 'certification' },
    ]);
    await expect(certified('T-OTHER', 'CPT-1', '2027-03-01', '2029-03-01')).rejects.toThrow(/belongs to another trainer/);
  });

  it('R9, R10 ("Received"): received at the system\'s instant, not the portal\'s claim; one application at a time (R12)', async () => {
    await certified('T-2', 'CPT-2', '2025-01-05', '2027-01-05');
    expect(await applies('00000000-0000-4000-8000-000000000201', 'T-2')).toBe('received');
    expect(await application('00000000-0000-4000-8000-000000000201')).toMatchObject({
      status: 'received',
      received_on: '2027-03-10', // the claim said 2027-01-01, on time; the system received it 64 days late
      fee_fixed: false,
    });
    // The fee is fixed on the day received, once payments says the trainer held no membership then.
    expect(await membershipAtReceipt('00000000-0000-4000-8000-000000000201', 'T-2')).toBe('waiting');
    expect(await application('00000000-0000-4000-8000-000000000201')).toMatchObject({
      status: 'received',
      fee_fixed: true,
      fee_tier: 'late',
      fee_total_cents: 12_900,
      fee_waived_by: null,
    });
    expect((await events('ApplicationReceived')).at(-1)).toMatchObject({
      applicationId: '00000000-0000-4000-8000-000000000201',
      credentialId: 'CPT-2',
      cycleStartsOn: '2025-01-05',
      cycleExpiresOn: '2027-01-05',
      receivedOn: '2027-03-10',
    });
    expect(await applies('00000000-0000-4000-8000-000000000202', 'T-2')).toBe('refused');
    expect((await events('ApplicationRefused')).at(-1)).toMatchObject({
      applicationId: '00000000-0000-4000-8000-000000000202',
      failedRules: ['R12'],
      reasons: [
        'R12: an application for the cycle expiring 2027-01-05 is already received (00000000-0000-4000-8000-000000000201)',
      ],
    });
  });

  it('R2 at receipt: refused rule by rule on the ledger as it stood then; submitted with 1.9, then approved once paid, its credits used (R4)', async () => {
    await certified('T-3', 'CPT-3', '2025-04-01', '2027-04-01');
    const short = '00000000-0000-4000-8000-000000000301';
    await applies(short, 'T-3');
    await membershipAtReceipt(short, 'T-3');
    expect(await ledgerArrives(short, 'T-3', 'CPT-3', '2027-04-01', 100)).toBe('refused');
    expect((await events('ApplicationRefused')).at(-1)).toMatchObject({
      applicationId: short,
      failedRules: ['R2'],
      reasons: ['R2: 1.0 CEUs from courses counted in the window; 1.9 required (R3–R6)'],
    });

    const full = '00000000-0000-4000-8000-000000000302';
    await applies(full, 'T-3');
    // The ledger first, then the membership answer: judged once both are in, whichever came last.
    expect(await ledgerArrives(full, 'T-3', 'CPT-3', '2027-04-01', 190)).toBe('waiting');
    expect(await membershipAtReceipt(full, 'T-3')).toBe('submitted');
    expect(await membershipAtReceipt(full, 'T-3')).toBe('stale');
    expect((await events('ApplicationSubmitted')).at(-1)).toMatchObject({
      applicationId: full,
      credentialId: 'CPT-3',
      timeZone: 'UTC',
      fee: { tier: 'standard', lines: [{ kind: 'standard', amountCents: 9_900 }], totalCents: 9_900, waivedBy: null },
      countedCreditIds: ['T-3-C1'],
    });
    await run(async (scope) => {
      const repository = new RecertificationRepository(scope.manager);
      await repository.recordAuditDrawn(full, false);
      await repository.setFeePaid(full, true);
      await decider.evaluate(scope, full);
    });
    expect((await events('ApplicationDecided')).at(-1)).toMatchObject({
      applicationId: full,
      outcome: 'approved',
      credentialId: 'CPT-3',
      cycleExpiresOn: '2027-04-01',
      consumedCreditIds: ['T-3-C1'],
    });
    expect((await events('CycleStarted')).at(-1)).toMatchObject({ startsOn: '2027-04-02', expiresOn: '2029-04-01' });
  });

  it('Recertify for Life (issue 13, R10, R12): a member at receipt owes a $0 line naming the membership, and is approved unpaid', async () => {
    await certified('T-6', 'CPT-6', '2025-05-01', '2027-05-01');
    const member = '00000000-0000-4000-8000-000000000601';
    await applies(member, 'T-6');
    const membership = { membershipId: 'R4L-6', purchasedAt: '2026-02-01T09:00:00.000Z' };
    expect(await membershipAtReceipt(member, 'T-6', membership)).toBe('waiting');
    expect(await application(member)).toMatchObject({
      fee_tier: 'standard',
      fee_lines: [{ kind: 'recertify-for-life', amount: 0 }],
      fee_total_cents: 0,
      fee_waived_by: membership,
    });
    expect(await ledgerArrives(member, 'T-6', 'CPT-6', '2027-05-01', 190)).toBe('submitted');
    expect((await events('ApplicationSubmitted')).at(-1)).toMatchObject({
      applicationId: member,
      fee: { lines: [{ kind: 'recertify-for-life', amountCents: 0 }], totalCents: 0, waivedBy: membership },
    });
    await run(async (scope) => {
      await new RecertificationRepository(scope.manager).recordAuditDrawn(member, false);
      await decider.evaluate(scope, member);
    });
    const decided = await application(member);
    expect(decided.status).toBe('approved');
    expect(decided.decision.verdicts[3]).toMatchObject({
      rule: 'R10',
      verdict: 'passed',
      reason:
        'R10: no recertification fee is owed: Recertify for Life member (membership R4L-6, bought 2026-02-01T09:00:00.000Z before receipt)',
      inputs: { recertifyForLife: 'R4L-6', total: '$0.00', paid: false },
    });
  });

  it('"A credential\'s life": a trainer with two live credentials names which one an application is for', async () => {
    await certified('T-4', 'CPT-4', '2025-04-01', '2027-04-01');
    await certified('T-4', 'CES-4', '2026-01-15', '2028-01-15');
    await expect(applies('00000000-0000-4000-8000-000000000401', 'T-4')).rejects.toThrow(MessageRejected);
    expect(await applies('00000000-0000-4000-8000-000000000402', 'T-4', 'CES-4')).toBe('received');
    expect(await application('00000000-0000-4000-8000-000000000402')).toMatchObject({
      credential_id: 'CES-4',
      cycle_expires_on: '2028-01-15',
    });
  });

  it('R10 (policy): a fee still unpaid when the final window ends denies the application naming R10; R9: the credential lapses', async () => {
    await certified('T-5', 'CPT-5', '2025-03-20', '2027-03-20');
    const unpaid = '00000000-0000-4000-8000-000000000501';
    await applies(unpaid, 'T-5');
    await membershipAtReceipt(unpaid, 'T-5');
    await ledgerArrives(unpaid, 'T-5', 'CPT-5', '2027-03-20', 190);
    await run((scope) => new RecertificationRepository(scope.manager).recordAuditDrawn(unpaid, false));
    // The final window of 2027-03-20 ends 2028-03-20; its deadline is due the next day.
    clock.setTo(new Date('2028-03-21T00:00:01Z'));
    await runner.fireDue();
    const decided = await application(unpaid);
    expect(decided.status).toBe('denied');
    expect(decided.decision.failedRules).toEqual(['R10']);
    expect(decided.decision.verdicts[3].reason).toBe(
      'R10: the standard fee of $99.00 was still unpaid after 2028-03-20, the end of the final window',
    );
    expect((await events('CredentialLapsed')).map((e) => e['credentialId'])).toContain('CPT-5');
  });
});
