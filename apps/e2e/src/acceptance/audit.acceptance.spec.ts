import { AcceptanceTrainer } from './support/acceptance-trainer';
import { OutsideClient } from './support/outside-client';

/**
 * R11, the audit as the department works it (DOMAIN.md, "Clarified after review"), through the
 * public API only. Every application is selected (rate 100 %). The clock starts at
 * 2027-03-02T03:00:00Z: 2 March in UTC, still 1 March (19:00) in Los Angeles. Each trainer's
 * cycle expires 2027-06-30, so an application now is on time (the standard fee, 9_900 cents).
 */
describe('R11 acceptance: the audit as the department works it', () => {
  let client: OutsideClient;

  beforeAll(async () => {
    client = await OutsideClient.start({ startAt: '2027-03-02T03:00:00Z', auditRatePpm: 1_000_000 });
  }, 300_000);

  afterAll(async () => {
    await client?.stop();
  });

  /** A trainer whose course, card and certification are recorded, and the ledger at 1.9, before applying. */
  async function readyTrainer(timeZone?: string): Promise<{ trainer: AcceptanceTrainer; completionId: string }> {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2025-06-30', '2027-06-30', timeZone ? { timeZone } : {});
    await trainer.registersCourse(`K-${trainer.trainerId}`, 190);
    const completionId = await trainer.completes(`K-${trainer.trainerId}`, '2027-01-15');
    await trainer.cprAedCard('2026-06-01', '2028-06-01');
    // The applications service judges on its copy of the ledger (where its trainer view shows one):
    // wait for the course and the card to reach it too. A system catching up on the broker's
    // history may take a while for the first trainer.
    await client.eventually(
      `/v1/trainers/${trainer.trainerId}`,
      (t: { ceuLedger?: { totalCeuHundredths: number; cprAedCards: number } | null }) =>
        !('ceuLedger' in t) || (t.ceuLedger?.totalCeuHundredths === 190 && t.ceuLedger.cprAedCards >= 1),
      `the applications service to hold the ledger of ${trainer.trainerId}`,
      180_000,
    );
    await trainer.ledgerReaches('1.9');
    return { trainer, completionId };
  }

  /** What GET /v1/audits/{id} and /v1/applications/{id} answer, as far as these scenarios read them. */
  interface Audit {
    status: string;
    documents: { documentId: string; review: Record<string, unknown> }[];
    actions: { action: string; documentId: string | null; by: { name: string }; reason: string | null }[];
  }
  interface Application {
    status: string;
    decision: { failedRules: string[]; verdicts: { rule: string; inputs: Record<string, unknown> }[] };
  }

  const audit = (applicationId: string) => `/v1/audits/${applicationId}`;
  const auditOnce = (applicationId: string, status: string, extra: (a: Audit) => boolean = () => true) =>
    client.eventually<Audit>(audit(applicationId), (a) => a.status === status && extra(a), `audit ${status}`);

  /** Applies, pays the standard fee and waits for the draw to select the application. */
  async function selected(trainer: AcceptanceTrainer): Promise<string> {
    const applicationId = await trainer.applies();
    await trainer.applicationOnceIn(applicationId, ['submitted']);
    await trainer.pays(`application-fee:${applicationId}`, 9_900);
    await auditOnce(applicationId, 'awaiting-documents');
    return applicationId;
  }

  const review = (applicationId: string, documentId: string, verdict: 'accept' | 'reject', body: unknown) =>
    client.post(`${audit(applicationId)}/documents/${documentId}/${verdict}`, body);

  // Scenarios run in order: the clock is one for the whole file.
  let underReviewAtDeadline: { applicationId: string; documents: string[] };
  let failing: { trainer: AcceptanceTrainer; applicationId: string; completionId: string; front: string };
  let extended: string;

  it("R11/R1 (issue 12, item 8): audit dates are the credential's: drawn 1 March in Los Angeles, last day 31 March", async () => {
    const { trainer } = await readyTrainer('America/Los_Angeles');
    const applicationId = await selected(trainer);
    const front = await trainer.uploads(applicationId, 'cpr-aed-card-front');
    const body = await auditOnce(applicationId, 'awaiting-documents', (a) => a.documents.length === 1);
    expect(body).toMatchObject({
      selected: true,
      timeZone: 'America/Los_Angeles',
      drawnOn: '2027-03-01',
      documentationDueOn: '2027-03-31',
      daysLeft: 30,
    });
    expect(body.documents).toEqual([
      expect.objectContaining({ documentId: front, kind: 'cpr-aed-card-front', uploadedOn: '2027-03-01' }),
    ]);
  }, 300_000);

  it('R11 (issue 12, item 2): the last document puts the audit under review, not passed; a rejection sends it back with the same last day; a reviewer passes it', async () => {
    const { trainer, completionId } = await readyTrainer();
    const applicationId = await selected(trainer);
    const certificate = await trainer.uploads(applicationId, 'course-certificate', completionId);
    const front = await trainer.uploads(applicationId, 'cpr-aed-card-front');
    const back = await trainer.uploads(applicationId, 'cpr-aed-card-back');

    const inReview = await auditOnce(applicationId, 'under-review');
    expect(inReview).toMatchObject({ drawnOn: '2027-03-02', documentationDueOn: '2027-04-01', daysLeft: 30 });
    expect((await client.get(`/v1/applications/${applicationId}`)).body).toMatchObject({ status: 'submitted' });

    // Bad input and the wrong moment are refused with a reason.
    expect((await review(applicationId, front, 'reject', { reason: ' ' })).status).toBe(400);
    expect((await review(applicationId, 'DOC-NONE', 'reject', { reason: 'illegible' })).status).toBe(404);
    const early = await client.post(`${audit(applicationId)}/pass`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toContain(certificate);

    expect(await review(applicationId, front, 'reject', { reason: 'illegible photo' })).toMatchObject({
      status: 200,
      body: { status: 'awaiting-documents', documentationDueOn: '2027-04-01' },
    });
    const front2 = await trainer.uploads(applicationId, 'cpr-aed-card-front');
    await auditOnce(applicationId, 'under-review', (a) => a.documents.length === 4);

    for (const documentId of [certificate, back, front2])
      expect((await review(applicationId, documentId, 'accept', { note: 'legible' })).status).toBe(200);
    expect((await review(applicationId, front, 'accept', {})).status).toBe(409);
    expect(await client.post(`${audit(applicationId)}/pass`, { note: 'all in order' })).toMatchObject({
      status: 200,
      body: { status: 'passed' },
    });

    const approved = await trainer.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved).toMatchObject({ status: 'approved', feeTotalCents: 9_900 });
    const done = (await client.get(audit(applicationId))).body as Audit;
    expect(done).toMatchObject({
      status: 'passed',
      daysLeft: null,
      decision: { outcome: 'passed', decidedBy: 'reviewer' },
    });
    expect(done.documents.find((d) => d.documentId === front)?.review).toMatchObject({
      state: 'rejected',
      reason: 'illegible photo',
      by: { name: 'reviewer', roles: ['reviewer'] },
      at: expect.stringMatching(/^2027-03-02T/),
    });
    expect(done.actions.map((a) => [a.action, a.documentId, a.by.name, a.reason])).toEqual([
      ['reject-document', front, 'reviewer', 'illegible photo'],
      ['accept-document', certificate, 'reviewer', 'legible'],
      ['accept-document', back, 'reviewer', 'legible'],
      ['accept-document', front2, 'reviewer', 'legible'],
      ['pass', null, 'reviewer', 'all in order'],
    ]);
    // A passed audit is final.
    expect((await review(applicationId, back, 'reject', { reason: 'second thoughts' })).status).toBe(409);
  }, 180_000);

  it('R11: a reviewer extends the deadline once, by 1 to 30 days, with a reason', async () => {
    const { trainer } = await readyTrainer();
    extended = await selected(trainer);
    const extend = (body: unknown) => client.post(`${audit(extended)}/extend`, body);
    expect((await extend({ days: 31, reason: 'hospitalised' })).status).toBe(400);
    expect((await extend({ days: 0, reason: 'hospitalised' })).status).toBe(400);
    expect((await extend({ days: 14 })).status).toBe(400);
    expect(await extend({ days: 14, reason: 'hospitalised' })).toMatchObject({
      status: 200,
      body: { status: 'awaiting-documents', documentationDueOn: '2027-04-15' },
    });
    const again = await extend({ days: 1, reason: 'still in hospital' });
    expect(again.status).toBe(409);
    expect((await client.post(`/v1/audits/${OutsideClient.id()}/extend`, { days: 1, reason: 'x' })).status).toBe(404);
    expect((await client.get(audit(extended))).body).toMatchObject({ documentationDueOn: '2027-04-15', daysLeft: 44 });
  }, 120_000);

  it('R11 (issue 12, items 7 and 10): the deadline fails an audit missing documents, the denial names them; an audit under review is not failed; a reapplication is selected again', async () => {
    // Under review when the deadline passes.
    const ready = await readyTrainer();
    const reviewed = await selected(ready.trainer);
    underReviewAtDeadline = {
      applicationId: reviewed,
      documents: [
        await ready.trainer.uploads(reviewed, 'course-certificate', ready.completionId),
        await ready.trainer.uploads(reviewed, 'cpr-aed-card-front'),
        await ready.trainer.uploads(reviewed, 'cpr-aed-card-back'),
      ],
    };
    await auditOnce(reviewed, 'under-review');

    // Missing documents at the deadline, and one rejected.
    const { trainer, completionId } = await readyTrainer();
    const applicationId = await selected(trainer);
    const front = await trainer.uploads(applicationId, 'cpr-aed-card-front');
    await auditOnce(applicationId, 'awaiting-documents', (a) => a.documents.length === 1);
    expect((await review(applicationId, front, 'reject', { reason: 'expired card' })).status).toBe(200);
    failing = { trainer, applicationId, completionId, front };

    // The last day is 2027-04-01; the deadline fires at the start of 2 April.
    await client.advanceDays(31);
    const denied = (await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])) as unknown as Application;
    expect(denied.status).toBe('denied');
    expect(denied.decision.failedRules).toEqual(['R11']);
    const r11 = denied.decision.verdicts.find((v) => v.rule === 'R11');
    expect(r11).toEqual({
      rule: 'R11',
      verdict: 'failed',
      reason:
        `R11: the audit failed (decided by deadline: documents missing or rejected at the end of 2027-04-01); ` +
        `missing: course-certificate for ${completionId}, cpr-aed-card-back; ` +
        `rejected: ${front} (cpr-aed-card-front): expired card`,
      inputs: {
        audit: 'failed',
        decidedBy: 'deadline',
        auditReason: 'documents missing or rejected at the end of 2027-04-01',
        missingDocuments: `course-certificate for ${completionId}; cpr-aed-card-back`,
        rejectedDocuments: `${front} (cpr-aed-card-front): expired card`,
      },
    });
    expect((await client.get(audit(applicationId))).body).toMatchObject({
      status: 'failed',
      decision: {
        outcome: 'failed',
        decidedBy: 'deadline',
        missingDocuments: [{ kind: 'course-certificate', proves: completionId }, { kind: 'cpr-aed-card-back' }],
        rejectedDocuments: [{ documentId: front, kind: 'cpr-aed-card-front', reason: 'expired card' }],
      },
    });

    // Under review at the deadline: not failed; the reviewer still decides it.
    const still = (await client.get(audit(reviewed))).body;
    expect(still).toMatchObject({ status: 'under-review', documentationDueOn: '2027-04-01' });
    for (const documentId of underReviewAtDeadline.documents)
      expect((await review(reviewed, documentId, 'accept', {})).status).toBe(200);
    expect((await client.post(`${audit(reviewed)}/pass`, {})).status).toBe(200);
    expect(await ready.trainer.applicationOnceIn(reviewed, ['approved', 'denied'])).toMatchObject({
      status: 'approved',
    });

    // The extended audit is still open, its last day 2027-04-15.
    expect((await client.get(audit(extended))).body).toMatchObject({ status: 'awaiting-documents', daysLeft: 13 });
  }, 240_000);

  it('R11 (issue 12, item 7): a trainer who failed the audit of a cycle is selected again on a later application for it, and the record says why', async () => {
    const { trainer, applicationId: failed } = failing;
    const again = await trainer.applies();
    await trainer.applicationOnceIn(again, ['submitted']);
    const body = await auditOnce(again, 'awaiting-documents');
    expect(body).toMatchObject({
      selected: true,
      forced: true,
      forcedReason: `R11: the audit of application ${failed} for this cycle failed`,
      drawnOn: '2027-04-02',
      documentationDueOn: '2027-05-02',
      seed: expect.stringMatching(/^[0-9a-f]{32}$/),
      drawValue: expect.any(Number),
    });
  }, 120_000);

  it('R11: a reviewer fails an audit with a reason; the denial names the rejected document and who decided', async () => {
    const { trainer } = await readyTrainer();
    const applicationId = await selected(trainer);
    const front = await trainer.uploads(applicationId, 'cpr-aed-card-front');
    await auditOnce(applicationId, 'awaiting-documents', (a) => a.documents.length === 1);
    expect((await client.post(`${audit(applicationId)}/fail`, { reason: ' ' })).status).toBe(400);
    expect((await review(applicationId, front, 'reject', { reason: 'not an Adult CPR and AED card' })).status).toBe(
      200,
    );
    expect(await client.post(`${audit(applicationId)}/fail`, { reason: 'the card is not valid' })).toMatchObject({
      status: 200,
      body: { status: 'failed' },
    });
    expect((await client.post(`${audit(applicationId)}/fail`, { reason: 'again' })).status).toBe(409);
    const denied = (await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])) as unknown as Application;
    expect(denied.decision.verdicts.find((v) => v.rule === 'R11')?.inputs).toMatchObject({
      decidedBy: 'reviewer',
      auditReason: 'the card is not valid',
      rejectedDocuments: `${front} (cpr-aed-card-front): not an Adult CPR and AED card`,
    });
  }, 120_000);
});
