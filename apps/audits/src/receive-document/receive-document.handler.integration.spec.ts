import { AuditsFixture } from '../testing/audits-fixture';

/** R11: documents arriving, on the real PostgreSQL. The clock: 2027-03-02T03:00Z. */
describe('ReceiveDocumentHandler (real PostgreSQL)', () => {
  let f: AuditsFixture;

  beforeAll(async () => {
    f = await AuditsFixture.start('it_audit_receive', '2027-03-02T03:00:00Z');
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('R11 (issue 12, item 2): the last required document puts the audit under review; nothing passes it', async () => {
    const { applicationId } = await f.submitted();
    await f.uploaded(applicationId, 'course-certificate', { completionId: 'C1' });
    await f.uploaded(applicationId, 'cpr-aed-card-front');
    expect(await f.audit(applicationId)).toMatchObject({ status: 'awaiting-documents' });
    await f.uploaded(applicationId, 'cpr-aed-card-back');
    expect(await f.audit(applicationId)).toMatchObject({ status: 'under-review', decided_by: null });
    expect(await f.published('AuditCompleted', applicationId)).toEqual([]);
    // Its deadline stays scheduled: a rejection could still send it back.
    expect(await f.scheduledDeadlines(applicationId)).toContain('audit-documentation@2027-04-02T00:00:00.000Z');
  });

  it('R11: a certificate of a completion the application did not count answers nothing', async () => {
    const { applicationId } = await f.submitted();
    await f.uploaded(applicationId, 'course-certificate', { completionId: 'C9' });
    await f.uploaded(applicationId, 'cpr-aed-card-front');
    await f.uploaded(applicationId, 'cpr-aed-card-back');
    expect(await f.audit(applicationId)).toMatchObject({ status: 'awaiting-documents' });
  });

  it("R11 (issue 12, item 8): an upload is dated in the credential's time zone: 07:30Z on 1 April is still 31 March in Los Angeles", async () => {
    const { applicationId } = await f.submitted({ timeZone: 'America/Los_Angeles' });
    expect(await f.audit(applicationId)).toMatchObject({ documentation_due_on: '2027-03-31' });
    await f.uploaded(applicationId, 'course-certificate', { completionId: 'C1', uploadedAt: '2027-03-10T00:00:00Z' });
    await f.uploaded(applicationId, 'cpr-aed-card-front', { uploadedAt: '2027-03-10T00:00:00Z' });
    // 06:30Z on 1 April is 23:30 on 31 March in Los Angeles (UTC−7): on time.
    await f.uploaded(applicationId, 'cpr-aed-card-back', { uploadedAt: '2027-04-01T06:30:00Z' });
    expect(await f.audit(applicationId)).toMatchObject({ status: 'under-review' });
  });

  it('R11: a document uploaded after the last day (in that zone) does not count', async () => {
    const { applicationId } = await f.submitted({ timeZone: 'America/Los_Angeles' });
    await f.uploaded(applicationId, 'course-certificate', { completionId: 'C1', uploadedAt: '2027-03-10T00:00:00Z' });
    await f.uploaded(applicationId, 'cpr-aed-card-front', { uploadedAt: '2027-03-10T00:00:00Z' });
    // 07:30Z on 1 April is 00:30 on 1 April in Los Angeles: a day late.
    await f.uploaded(applicationId, 'cpr-aed-card-back', { uploadedAt: '2027-04-01T07:30:00Z' });
    expect(await f.audit(applicationId)).toMatchObject({ status: 'awaiting-documents' });
  });
});
