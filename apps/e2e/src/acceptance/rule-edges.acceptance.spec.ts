import { AcceptanceTrainer } from './support/acceptance-trainer';
import { OutsideClient } from './support/outside-client';

/**
 * The edges of the rules, through the public API only, each worked out by hand from DOMAIN.md.
 * The system's clock stands at 2027-03-10 12:00 UTC, so every application here is received on
 * 2027-03-10 (R9, R10: "received" is the system's instant). The distancing orders were lifted
 * on 2027-01-09: the R7 waiver's last day is 2027-03-10 (60 days after).
 */
describe('acceptance: the edges of the rules (R3, R4, R7, R9, R10)', () => {
  let client: OutsideClient;

  beforeAll(async () => {
    client = await OutsideClient.start({
      startAt: '2027-03-10T12:00:00Z',
      auditRatePpm: 0,
      env: { WAIVER_ORDERS_LIFTED_ON: '2027-01-09' },
    });
  }, 300_000);

  afterAll(async () => {
    await client?.stop();
  });

  /** A trainer whose cycle expires `expiresOn`, with 1.9 CEUs from one course and a card. */
  async function qualified(expiresOn: string, courseOn: string, card = { handsOn: true }) {
    const trainer = new AcceptanceTrainer(client);
    const [year, rest] = [Number(expiresOn.slice(0, 4)), expiresOn.slice(4)];
    await trainer.certified(`${year - 2}${rest}`, expiresOn);
    await trainer.registersCourse(`${trainer.trainerId}-C`, 190);
    await trainer.completes(`${trainer.trainerId}-C`, courseOn);
    await trainer.cprAedCard('2026-01-01', '2028-12-31', card);
    await trainer.ledgerReaches('1.9');
    return trainer;
  }

  async function receivedFee(trainer: AcceptanceTrainer) {
    const applicationId = await trainer.applies();
    const application = await trainer.applicationOnceIn(applicationId, ['submitted', 'refused']);
    return { applicationId, application };
  }

  it.each([
    ['the expiration day itself', '2027-03-10', 'standard', 9_900],
    ['day 1 after expiration', '2027-03-09', 'late', 12_900],
    ['day 90 after expiration', '2026-12-10', 'late', 12_900],
    ['day 91 after expiration', '2026-12-09', 'additional', 14_900],
    ['the last day of the final window (expiration + 1 year)', '2026-03-10', 'additional', 14_900],
  ])('R10: received on %s (expired %s): the %s fee, %i cents', async (_day, expiresOn, tier, cents) => {
    const trainer = await qualified(expiresOn, '2026-01-15');
    const { application } = await receivedFee(trainer);
    expect(application).toMatchObject({
      status: 'submitted',
      receivedOn: '2027-03-10',
      feeTier: tier,
      feeTotalCents: cents,
    });
  });

  it('R9: received the day after the final window (expired 2026-03-09): refused, the trainer must certify again', async () => {
    const trainer = await qualified('2026-03-09', '2026-01-15');
    const { application } = await receivedFee(trainer);
    expect(application).toMatchObject({ status: 'refused', feeTotalCents: null });
    expect(application.refusal.failedRules).toEqual(['R9']);
    expect(application.refusalReasons).toEqual([
      'R9: the credential lapsed after 2027-03-09 (one year after expiration); the trainer must certify again',
    ]);
  });

  it('R10 (issue 13, "Received"): a portal claiming it submitted before the expiration does not get the standard fee: received 2027-03-10, 50 days late, 12900 cents; the claim is kept beside it', async () => {
    const trainer = await qualified('2027-01-19', '2026-01-15');
    const applicationId = await trainer.applies({ submittedAt: '2027-01-18T09:00:00Z' });
    const application = await trainer.applicationOnceIn(applicationId, ['submitted', 'refused']);
    expect(application).toMatchObject({
      status: 'submitted',
      receivedOn: '2027-03-10',
      claimedSubmittedAt: '2027-01-18T09:00:00.000Z',
      feeTier: 'late',
      feeTotalCents: 12_900,
    });
  });

  it('R9 (issue 13, "Received"): a portal claiming it submitted within the final window does not escape the lapse: expired 2026-03-01, received 2027-03-10, refused', async () => {
    const trainer = await qualified('2026-03-01', '2026-01-15');
    const applicationId = await trainer.applies({ submittedAt: '2027-02-20T09:00:00Z' });
    const application = await trainer.applicationOnceIn(applicationId, ['submitted', 'refused']);
    expect(application).toMatchObject({ status: 'refused', receivedOn: '2027-03-10', feeTotalCents: null });
    expect(application.refusal.failedRules).toEqual(['R9']);
  });

  it('R4: a course completed on day 90 after expiration (2027-03-10 for 2026-12-10) counts toward the cycle', async () => {
    const trainer = await qualified('2026-12-10', '2027-03-10');
    const { applicationId, application } = await receivedFee(trainer);
    expect(application).toMatchObject({ status: 'submitted', ledgerAtReceipt: { totalCeuHundredths: 190 } });
    await trainer.pays(`application-fee:${applicationId}`, 12_900);
    expect((await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');
  });

  it('R3/R6: 1.5 contact hours are 0.15 CEU: a petition granted 0.15 makes 1.75 + 0.15 = 1.9 exactly', async () => {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2025-04-01', '2027-04-01');
    await trainer.registersCourse(`${trainer.trainerId}-C`, 175);
    await trainer.completes(`${trainer.trainerId}-C`, '2026-05-01');
    await trainer.cprAedCard('2026-01-01', '2028-12-31');
    const petitionId = await trainer.petitions('Kettlebell workshop', '2026-10-01', '1.5');
    await client.eventually(`/v1/petitions/${petitionId}`, (p) => p.state === 'submitted', 'the petition');
    await trainer.pays(`petition-fee:${petitionId}`, 2_500);
    await client.eventually(`/v1/petitions/${petitionId}`, (p) => p.state === 'fee-paid', 'the petition fee paid');
    expect((await client.post(`/v1/petitions/${petitionId}/review`, {})).status).toBe(200);
    const approved = await client.post(`/v1/petitions/${petitionId}/approve`, {
      ceuGranted: '0.15',
      reason: 'a 90-minute workshop: 1.5 contact hours',
    });
    expect(approved).toMatchObject({ status: 200, body: { state: 'approved', ceuGranted: 15 } });
    const ledger = await trainer.ledgerReaches('1.9');
    expect(ledger.counted.map((c: { source: string; ceu: string }) => `${c.source}:${c.ceu}`).sort()).toEqual([
      'approved-course:1.75',
      'petition:0.15',
    ]);
  });

  it('item 11 (R4, R6): a course that counted through the registry and was also petitioned counts once', async () => {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2025-04-01', '2027-04-01');
    await trainer.registersCourse(`${trainer.trainerId}-C`, 40);
    const completionId = await trainer.completes(`${trainer.trainerId}-C`, '2026-05-01');
    await trainer.ledgerReaches('0.4');
    // The trainer also petitions that very completion (the portal names it).
    const petitionId = await trainer.petitions('Mobility course', '2026-05-01', '4', { completionId });
    await client.eventually(`/v1/petitions/${petitionId}`, (p) => p.state === 'submitted', 'the petition');
    await trainer.pays(`petition-fee:${petitionId}`, 2_500);
    await client.eventually(`/v1/petitions/${petitionId}`, (p) => p.state === 'fee-paid', 'the petition fee paid');
    expect((await client.post(`/v1/petitions/${petitionId}/review`, {})).status).toBe(200);
    expect(
      (await client.post(`/v1/petitions/${petitionId}/approve`, { ceuGranted: '0.4', reason: 'four contact hours' }))
        .status,
    ).toBe(200);
    const ledger = await client.eventually(
      `/v1/trainers/${trainer.trainerId}/ledger`,
      (l) => l.notCounted.some((n: { id: string }) => n.id === petitionId),
      'the petition weighed',
    );
    expect(ledger.totalCeu).toBe('0.4');
    expect(ledger.notCounted).toEqual([
      {
        id: petitionId,
        reason: 'duplicate',
        explanation: `R4: the same course counts once: it already counted as ${completionId}`,
      },
    ]);
  });

  it("R7: on the waiver's last day an online-only card is accepted, and the approval advises the hands-on assessment; the next day it is not", async () => {
    const onLastDay = await qualified('2027-04-01', '2026-05-01', { handsOn: false });
    const { applicationId, application } = await receivedFee(onLastDay);
    expect(application.status).toBe('submitted');
    await onLastDay.pays(`application-fee:${applicationId}`, 9_900);
    const approved = await onLastDay.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved).toMatchObject({ status: 'approved', decision: { advisory: 'obtain-hands-on-assessment' } });

    // The next day (2027-03-11): the waiver has ended.
    await client.advanceDays(1);
    const dayAfter = await qualified('2027-04-01', '2026-05-01', { handsOn: false });
    const next = await receivedFee(dayAfter);
    expect(next.application).toMatchObject({ status: 'refused', receivedOn: '2027-03-11' });
    expect(next.application.refusal.failedRules).toEqual(['R7']);
    expect(next.application.refusalReasons).toEqual([
      `R7: card ${dayAfter.trainerId}-CPR is online-only, and the hands-on waiver is not in effect`,
    ]);
  });
});
