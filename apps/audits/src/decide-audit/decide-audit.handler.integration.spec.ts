import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { AuditsFixture, REVIEWER } from '../testing/audits-fixture';

/** R11: only a reviewer passes or fails an audit, on the real PostgreSQL. The clock: 2027-03-02T03:00Z. */
describe('DecideAuditHandler (real PostgreSQL)', () => {
  let f: AuditsFixture;

  beforeAll(async () => {
    f = await AuditsFixture.start('it_audit_decide', '2027-03-02T03:00:00Z');
  });

  afterAll(async () => {
    await f?.stop();
  });

  const decide = (applicationId: string, outcome: 'pass' | 'fail', reason?: string) =>
    f.unitOfWork.run((scope) => f.decide.execute(scope, { applicationId, outcome, reason, by: REVIEWER }));
  const accept = (applicationId: string, documentId: string) =>
    f.unitOfWork.run((scope) =>
      f.review.execute(scope, { applicationId, documentId, verdict: 'accept', by: REVIEWER }),
    );

  it('R11: a pass is refused until every required document is in and accepted, naming what is not', async () => {
    const { applicationId } = await f.submitted();
    const certificate = await f.uploaded(applicationId, 'course-certificate', { completionId: 'C1' });
    await expect(decide(applicationId, 'pass')).rejects.toThrow(
      new ConflictException(
        `R11: not every required document is accepted: cpr-aed-card-front is missing; cpr-aed-card-back is missing; ` +
          `course-certificate for C1: ${certificate} awaits review`,
      ),
    );
  });

  it('R11: a reviewer passes an audit whose documents are all accepted; AuditCompleted says who', async () => {
    const { applicationId } = await f.submitted();
    for (const documentId of await f.allDocuments(applicationId)) await accept(applicationId, documentId);
    expect(await decide(applicationId, 'pass', 'all in order')).toEqual({
      applicationId,
      status: 'passed',
      missing: [],
      rejected: [],
    });
    expect(await f.audit(applicationId)).toMatchObject({
      status: 'passed',
      decided_by: 'alice',
      decision_reason: 'all in order',
    });
    expect(await f.published('AuditCompleted', applicationId)).toEqual([
      {
        applicationId,
        trainerId: 'T-1',
        outcome: 'passed',
        completedOn: '2027-03-02',
        missingDocuments: [],
        rejectedDocuments: [],
        decidedBy: 'alice',
        reason: 'all in order',
      },
    ]);
    expect(await f.scheduledDeadlines(applicationId)).toEqual([]);
    // Final: neither passed again nor failed.
    await expect(decide(applicationId, 'pass')).rejects.toThrow(ConflictException);
    await expect(decide(applicationId, 'fail', 'second thoughts')).rejects.toThrow(ConflictException);
  });

  it('R11 (issue 12, item 10): a reviewer fails an audit with a reason; AuditCompleted names each missing and rejected document', async () => {
    const { applicationId } = await f.submitted();
    const front = await f.uploaded(applicationId, 'cpr-aed-card-front');
    await f.unitOfWork.run((scope) =>
      f.review.execute(scope, {
        applicationId,
        documentId: front,
        verdict: 'reject',
        reason: 'not Adult CPR',
        by: REVIEWER,
      }),
    );
    await expect(decide(applicationId, 'fail', ' ')).rejects.toThrow(BadRequestException);
    await decide(applicationId, 'fail', 'the card is not valid');
    expect(await f.published('AuditCompleted', applicationId)).toEqual([
      {
        applicationId,
        trainerId: 'T-1',
        outcome: 'failed',
        completedOn: '2027-03-02',
        missingDocuments: [{ kind: 'course-certificate', proves: 'C1' }, { kind: 'cpr-aed-card-back' }],
        rejectedDocuments: [{ documentId: front, kind: 'cpr-aed-card-front', reason: 'not Adult CPR' }],
        decidedBy: 'alice',
        reason: 'the card is not valid',
      },
    ]);
    expect((await f.actions(applicationId)).map((a) => [a['action'], a['actor_name'], a['reason']])).toEqual([
      ['reject-document', 'alice', 'not Adult CPR'],
      ['fail', 'alice', 'the card is not valid'],
    ]);
  });

  it('R11: an unknown audit is 404; an application not selected cannot be passed', async () => {
    await expect(decide('00000000-0000-4000-8000-000000000000', 'pass')).rejects.toThrow(NotFoundException);
    const { applicationId } = await f.submitted();
    await f.db.dataSource.query(`UPDATE audits SET status = 'not-selected' WHERE application_id = $1`, [applicationId]);
    await expect(decide(applicationId, 'pass')).rejects.toThrow(
      new ConflictException('the application was not selected for audit'),
    );
  });
});
