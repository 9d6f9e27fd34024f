import { AuditsFixture } from '../testing/audits-fixture';

/** R11: the draw, on the real PostgreSQL. The clock: 2027-03-02T03:00Z, still 1 March in Los Angeles. */
describe('DrawAuditHandler (real PostgreSQL)', () => {
  let f: AuditsFixture;
  let never: AuditsFixture;

  beforeAll(async () => {
    f = await AuditsFixture.start('it_audit_draw', '2027-03-02T03:00:00Z');
    never = await AuditsFixture.start('it_audit_draw0', '2027-03-02T03:00:00Z', { auditRatePpm: 0 });
  });

  afterAll(async () => {
    await f?.stop();
    await never?.stop();
  });

  it("R11 (issue 12, item 8): the audit is dated in the credential's time zone, its deadlines due at the start of the day there", async () => {
    const { applicationId } = await f.submitted({ timeZone: 'America/Los_Angeles' });
    expect(await f.audit(applicationId)).toMatchObject({
      status: 'awaiting-documents',
      selected: true,
      forced: false,
      time_zone: 'America/Los_Angeles',
      drawn_on: '2027-03-01',
      documentation_due_on: '2027-03-31',
    });
    // Pacific daylight time (UTC−7) from 14 March 2027.
    expect(await f.scheduledDeadlines(applicationId)).toEqual([
      'audit-reminder@2027-03-17T07:00:00.000Z',
      'audit-reminder@2027-03-24T07:00:00.000Z',
      'audit-reminder@2027-03-30T07:00:00.000Z',
      'audit-documentation@2027-04-01T07:00:00.000Z',
    ]);
    expect(await f.published('AuditDrawn', applicationId)).toEqual([
      expect.objectContaining({
        selected: true,
        drawnOn: '2027-03-01',
        documentationDueOn: '2027-03-31',
        timeZone: 'America/Los_Angeles',
        forced: false,
        forcedReason: null,
      }),
    ]);
  });

  it('R11: in UTC the same instant is 2 March: last day 1 April, the deadline at 2 April 00:00Z', async () => {
    const { applicationId } = await f.submitted();
    expect(await f.audit(applicationId)).toMatchObject({ drawn_on: '2027-03-02', documentation_due_on: '2027-04-01' });
    expect(await f.scheduledDeadlines(applicationId)).toEqual([
      'audit-reminder@2027-03-18T00:00:00.000Z',
      'audit-reminder@2027-03-25T00:00:00.000Z',
      'audit-reminder@2027-03-31T00:00:00.000Z',
      'audit-documentation@2027-04-02T00:00:00.000Z',
    ]);
  });

  it('R11: a redelivered submission is drawn once', async () => {
    const application = await f.submitted();
    await f.unitOfWork.run((scope) => f.draw.execute(scope, application));
    expect(await f.published('AuditDrawn', application.applicationId)).toHaveLength(1);
  });

  it('R11: at a rate of 0 an application is not selected and nothing is scheduled', async () => {
    const { applicationId } = await never.submitted({ credentialId: 'CPT-0' });
    expect(await never.audit(applicationId)).toMatchObject({
      status: 'not-selected',
      selected: false,
      forced: false,
      documentation_due_on: null,
    });
    expect(await never.scheduledDeadlines(applicationId)).toEqual([]);
  });

  it('R11 (issue 12, item 7): after a failed audit of the cycle, a new application for it is selected whatever the draw, and says why', async () => {
    const first = await never.submitted({ credentialId: 'CPT-7' });
    // The first application was selected by hand here (the rate is 0) and failed its audit.
    await never.db.dataSource.query(
      `UPDATE audits SET selected = true, status = 'failed', completed_on = '2027-04-02' WHERE application_id = $1`,
      [first.applicationId],
    );
    const again = await never.submitted({ credentialId: 'CPT-7' });
    const audit = await never.audit(again.applicationId);
    expect(audit).toMatchObject({
      status: 'awaiting-documents',
      selected: true,
      forced: true,
      forced_reason: `R11: the audit of application ${first.applicationId} for this cycle failed`,
      documentation_due_on: '2027-04-01',
    });
    // The draw is still made and recorded; at a rate of 0 it alone would have selected nothing.
    expect(audit['seed']).toMatch(/^[0-9a-f]{32}$/);
    expect(await never.published('AuditDrawn', again.applicationId)).toEqual([
      expect.objectContaining({ selected: true, forced: true, ratePpm: 0 }),
    ]);

    // Another cycle of the same credential, or another credential, is drawn as usual.
    const nextCycle = await never.submitted({ credentialId: 'CPT-7', cycleExpiresOn: '2029-06-30' });
    const other = await never.submitted({ credentialId: 'CPT-8' });
    expect(await never.audit(nextCycle.applicationId)).toMatchObject({ selected: false, forced: false });
    expect(await never.audit(other.applicationId)).toMatchObject({ selected: false, forced: false });
  });

  it('R11: documents uploaded before the draw was recorded count: the audit starts under review', async () => {
    const applicationId = '0f0e0d0c-0b0a-4009-8007-060504030201';
    await f.uploaded(applicationId, 'course-certificate', { completionId: 'C1' });
    await f.uploaded(applicationId, 'cpr-aed-card-front');
    await f.uploaded(applicationId, 'cpr-aed-card-back');
    await f.submitted({ applicationId });
    expect(await f.audit(applicationId)).toMatchObject({ status: 'under-review' });
  });
});
