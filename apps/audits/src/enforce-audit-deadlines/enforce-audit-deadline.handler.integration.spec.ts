import { AuditsFixture, REVIEWER } from '../testing/audits-fixture';

/**
 * R11: the audit deadline at the end of the last day (2027-04-01; it fires at 2027-04-02 00:00Z),
 * on the real PostgreSQL. Audits are drawn at 2027-03-02T03:00Z.
 */
describe('EnforceAuditDeadlineHandler (real PostgreSQL)', () => {
  let f: AuditsFixture;

  beforeAll(async () => {
    f = await AuditsFixture.start('it_audit_deadline', '2027-03-02T03:00:00Z');
  });

  afterAll(async () => {
    await f?.stop();
  });

  beforeEach(() => f.at('2027-03-02T03:00:00Z'));

  const fire = (applicationId: string) => f.unitOfWork.run((scope) => f.enforce.execute(scope, applicationId));

  it('R11 (issue 12, item 10): fails an audit missing or rejecting documents at its end, naming each one', async () => {
    const { applicationId } = await f.submitted();
    const front = await f.uploaded(applicationId, 'cpr-aed-card-front');
    await f.unitOfWork.run((scope) =>
      f.review.execute(scope, {
        applicationId,
        documentId: front,
        verdict: 'reject',
        reason: 'expired card',
        by: REVIEWER,
      }),
    );
    // Uploaded after the last day: it does not count.
    f.at('2027-04-02T00:00:00Z');
    await f.uploaded(applicationId, 'cpr-aed-card-back');
    expect(await fire(applicationId)).toBe('audit failed: 2 missing, 1 rejected');
    expect(await f.published('AuditCompleted', applicationId)).toEqual([
      {
        applicationId,
        trainerId: 'T-1',
        outcome: 'failed',
        completedOn: '2027-04-02',
        missingDocuments: [{ kind: 'course-certificate', proves: 'C1' }, { kind: 'cpr-aed-card-back' }],
        rejectedDocuments: [{ documentId: front, kind: 'cpr-aed-card-front', reason: 'expired card' }],
        decidedBy: 'deadline',
        reason: 'documents missing or rejected at the end of 2027-04-01',
      },
    ]);
    expect(await f.audit(applicationId)).toMatchObject({ status: 'failed', decided_by: 'deadline' });
    expect((await f.actions(applicationId)).at(-1)).toMatchObject({
      action: 'fail',
      actor_name: 'deadline',
      actor_roles: [],
    });
    // Fired again (a repeat): nothing more.
    expect(await fire(applicationId)).toBe('stale: the audit is failed');
  });

  it('R11: an audit under review when the deadline passes is not failed by it', async () => {
    const { applicationId } = await f.submitted();
    await f.allDocuments(applicationId);
    f.at('2027-04-02T00:00:00Z');
    expect(await fire(applicationId)).toBe('under review: every document was in by the last day');
    expect(await f.audit(applicationId)).toMatchObject({ status: 'under-review' });
    expect(await f.published('AuditCompleted', applicationId)).toEqual([]);
  });

  it('R11: the deadline of an extended audit does nothing until the new last day is over', async () => {
    const { applicationId } = await f.submitted();
    await f.unitOfWork.run((scope) =>
      f.extend.execute(scope, { applicationId, days: 10, reason: 'travel', by: REVIEWER }),
    );
    f.at('2027-04-02T00:00:00Z');
    expect(await fire(applicationId)).toBe('stale: the last day is 2027-04-11');
    f.at('2027-04-12T00:00:00Z');
    expect(await fire(applicationId)).toBe('audit failed: 3 missing, 0 rejected');
  });

  it('R11: reminders name what is still awaited, rejected documents included; none under review', async () => {
    const { applicationId } = await f.submitted();
    const front = await f.uploaded(applicationId, 'cpr-aed-card-front');
    await f.unitOfWork.run((scope) =>
      f.review.execute(scope, { applicationId, documentId: front, verdict: 'reject', reason: 'blurred', by: REVIEWER }),
    );
    expect(await f.unitOfWork.run((scope) => f.lifecycle.remind(scope, applicationId, 7))).toBe(
      'reminded: 3 documents awaited',
    );
    expect(await f.published('AuditReminderDue', applicationId)).toEqual([
      {
        applicationId,
        trainerId: 'T-1',
        lastDay: '2027-04-01',
        daysBefore: 7,
        missingDocuments: [
          { kind: 'course-certificate', proves: 'C1' },
          { kind: 'cpr-aed-card-back' },
          { kind: 'cpr-aed-card-front' },
        ],
      },
    ]);
    const inReview = await f.submitted();
    await f.allDocuments(inReview.applicationId);
    expect(await f.unitOfWork.run((scope) => f.lifecycle.remind(scope, inReview.applicationId, 7))).toBe(
      'stale: no documents are awaited',
    );
  });
});
