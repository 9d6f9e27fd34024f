import { AcceptanceTrainer } from './support/acceptance-trainer';
import { OutsideClient } from './support/outside-client';

/**
 * Issue 12, items 1, 4, 5, 10 and 12, through the public API only. The system's clock stands at
 * 2027-03-10 12:00 UTC; every expected value below is worked out by hand from DOMAIN.md.
 */
describe('acceptance: credits are used once, decisions wait for the facts, a credential has a life of its own', () => {
  let client: OutsideClient;

  beforeAll(async () => {
    client = await OutsideClient.start({ startAt: '2027-03-10T12:00:00Z', auditRatePpm: 0 });
  }, 300_000);

  afterAll(async () => {
    await client?.stop();
  });

  /** A current hands-on Adult CPR and AED card (R7), and one registry course worth `ceu` hundredths. */
  async function withCardAndCourse(trainer: AcceptanceTrainer, course: string, ceuHundredths: number) {
    await trainer.registersCourse(course, ceuHundredths);
    await trainer.cprAedCard('2026-06-01', '2028-06-01');
  }

  it('item 4 (R2, "A decision waits for the facts"): the last course sent right before the application counts', async () => {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2025-04-01', '2027-04-01');
    await trainer.registersCourse(`${trainer.trainerId}-A`, 100);
    await trainer.registersCourse(`${trainer.trainerId}-B`, 90);
    await trainer.cprAedCard('2026-06-01', '2028-06-01');
    await trainer.completes(`${trainer.trainerId}-A`, '2026-05-01');
    await trainer.ledgerReaches('1.0');
    // The last course, and at once the application: no waiting for the ledger in between.
    await trainer.completes(`${trainer.trainerId}-B`, '2027-03-09');
    const applicationId = await trainer.applies();

    const submitted = await trainer.applicationOnceIn(applicationId, ['submitted', 'refused']);
    expect(submitted).toMatchObject({
      status: 'submitted',
      receivedOn: '2027-03-10',
      feeTier: 'standard',
      feeTotalCents: 9_900,
      ledgerAtReceipt: { totalCeuHundredths: 190 },
    });
    await trainer.pays(`application-fee:${applicationId}`, 9_900);
    const approved = await trainer.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved.status).toBe('approved');
    expect(approved.decision.verdicts.map((v: { rule: string; verdict: string }) => `${v.rule}:${v.verdict}`)).toEqual([
      'R2:passed',
      'R7:passed',
      'R9:passed',
      'R10:passed',
      'R11:passed',
    ]);
    expect(approved.decision.verdicts[0].reason).toBe('R2: 1.9 CEUs from courses (1.9 required)');
  });

  it('item 1 (R4, "Credits are used once"): a course from the 90 days after expiration that recertified the old cycle does not count for the new one', async () => {
    const trainer = new AcceptanceTrainer(client);
    // Expired 2027-01-05; received 2027-03-10, 64 days after: the late fee (R10).
    await trainer.certified('2025-01-05', '2027-01-05');
    await withCardAndCourse(trainer, `${trainer.trainerId}-LATE`, 190);
    // Day 27 after expiration: counts for the old cycle (R4), and lies inside the new one.
    const late = await trainer.completes(`${trainer.trainerId}-LATE`, '2027-02-01');
    await trainer.ledgerReaches('1.9');
    const applicationId = await trainer.applies();
    expect(await trainer.applicationOnceIn(applicationId, ['submitted', 'refused'])).toMatchObject({
      status: 'submitted',
      feeTier: 'late',
      feeTotalCents: 12_900,
    });
    await trainer.pays(`application-fee:${applicationId}`, 12_900);
    const approved = await trainer.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved).toMatchObject({ status: 'approved', consumedCreditIds: [late] });

    // R1: the next cycle runs from the day after the old expiration, two years on.
    const view = await client.eventually(
      `/v1/trainers/${trainer.trainerId}`,
      (t: { cycles: unknown[] }) => t.cycles.length === 2,
      'the next cycle',
    );
    expect(view.cycles).toEqual([
      { startsOn: '2027-01-06', expiresOn: '2029-01-05', startedBy: 'recertification' },
      { startsOn: '2025-01-05', expiresOn: '2027-01-05', startedBy: 'certification' },
    ]);
    const ledger = await client.eventually(
      `/v1/trainers/${trainer.trainerId}/ledger`,
      (l: { cycle: { expiresOn: string } }) => l.cycle.expiresOn === '2029-01-05',
      'the new cycle ledger',
    );
    expect(ledger.totalCeu).toBe('0.0');
    expect(ledger.counted).toEqual([]);
    expect(ledger.notCounted).toEqual([
      {
        id: late,
        reason: 'used-by-earlier-cycle',
        explanation: 'R4: used by the approved recertification of the cycle that expired 2027-01-05; credits count once',
      },
    ]);
  });

  it('item 10 (R12): a refusal at receipt carries the rule-by-rule verdicts, R2 naming what did not count and why', async () => {
    const trainer = new AcceptanceTrainer(client);
    // Expired 2026-12-01: its late window ended 2027-03-01 (day 90).
    await trainer.certified('2024-12-01', '2026-12-01');
    await withCardAndCourse(trainer, `${trainer.trainerId}-X`, 100);
    await trainer.registersCourse(`${trainer.trainerId}-Y`, 90);
    await trainer.completes(`${trainer.trainerId}-X`, '2026-06-01');
    const day91 = await trainer.completes(`${trainer.trainerId}-Y`, '2027-03-02');
    await trainer.ledgerReaches('1.0');
    const applicationId = await trainer.applies();

    const refused = await trainer.applicationOnceIn(applicationId, ['submitted', 'refused']);
    expect(refused.status).toBe('refused');
    expect(refused.refusal.failedRules).toEqual(['R2']);
    expect(refused.refusal.verdicts.map((v: { rule: string; verdict: string }) => `${v.rule}:${v.verdict}`)).toEqual([
      'R2:failed',
      'R7:passed',
      'R9:passed',
    ]);
    expect(refused.refusalReasons).toEqual([
      `R2: 1.0 CEUs from courses counted in the window; 1.9 required (R3–R6); not counted: ${day91} (R4: completed 2027-03-02, 91 days after expiration (90 allowed))`,
    ]);
  });

  it('item 5 (R9): a lapsed credential certified again starts a new first cycle, where older courses do not count', async () => {
    const trainer = new AcceptanceTrainer(client);
    // Expired 2026-01-01; its final window ended 2027-01-01: lapsed on 2027-03-10.
    await trainer.certified('2024-01-01', '2026-01-01');
    await withCardAndCourse(trainer, `${trainer.trainerId}-OLD`, 190);
    const old = await trainer.completes(`${trainer.trainerId}-OLD`, '2025-06-01');
    await trainer.ledgerReaches('1.9');
    expect((await client.get(`/v1/trainers/${trainer.trainerId}`)).body).toMatchObject({ status: 'lapsed' });
    const tooLate = await trainer.applies();
    const refused = await trainer.applicationOnceIn(tooLate, ['submitted', 'refused']);
    expect(refused.refusal.failedRules).toEqual(['R9']);

    await trainer.certified('2027-03-09', '2029-03-09');
    const view = await client.eventually(
      `/v1/trainers/${trainer.trainerId}`,
      (t: { cycles: unknown[] }) => t.cycles.length === 2,
      'the new first cycle',
    );
    expect(view).toMatchObject({
      status: 'active',
      currentCycle: { startsOn: '2027-03-09', expiresOn: '2029-03-09' },
      cycles: [
        { startsOn: '2027-03-09', expiresOn: '2029-03-09', startedBy: 'certification' },
        { startsOn: '2024-01-01', expiresOn: '2026-01-01', startedBy: 'certification' },
      ],
    });
    const ledger = await client.eventually(
      `/v1/trainers/${trainer.trainerId}/ledger`,
      (l: { cycle: { expiresOn: string } }) => l.cycle.expiresOn === '2029-03-09',
      'the new cycle ledger',
    );
    expect(ledger.totalCeu).toBe('0.0');
    expect(ledger.notCounted).toEqual([
      { id: old, reason: 'before-cycle', explanation: 'R4: completed 2025-06-01, before the cycle started 2027-03-09' },
    ]);
  });

  it('item 12 ("A credential\'s life"): a trainer holds two credentials, each with its own cycles, applications and fees; a course counts once for each', async () => {
    const trainer = new AcceptanceTrainer(client);
    const ces = `CES-${trainer.trainerId}`;
    await trainer.certified('2025-04-01', '2027-04-01');
    await trainer.certified('2026-01-15', '2028-01-15', { credentialId: ces });
    await withCardAndCourse(trainer, `${trainer.trainerId}-BOTH`, 190);
    await trainer.completes(`${trainer.trainerId}-BOTH`, '2026-09-01');
    await trainer.ledgerReaches('1.9');

    const applicationId = await trainer.applies({ credentialId: trainer.credentialId });
    expect(await trainer.applicationOnceIn(applicationId, ['submitted', 'refused'])).toMatchObject({
      status: 'submitted',
      credentialId: trainer.credentialId,
      feeTotalCents: 9_900,
    });
    await trainer.pays(`application-fee:${applicationId}`, 9_900);
    expect((await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');

    const view = await client.eventually(
      `/v1/trainers/${trainer.trainerId}`,
      (t: { credentials: { cycles: unknown[] }[] }) => t.credentials.some((c) => c.cycles.length === 2),
      'the CPT credential to start its next cycle',
    );
    expect(
      view.credentials.map((c: { credentialId: string; cycles: { expiresOn: string }[] }) => ({
        credentialId: c.credentialId,
        expirations: c.cycles.map((y) => y.expiresOn),
      })),
    ).toEqual([
      { credentialId: trainer.credentialId, expirations: ['2029-04-01', '2027-04-01'] },
      { credentialId: ces, expirations: ['2028-01-15'] },
    ]);
    // The course the CPT recertification used still counts for the CES credential (policy: once per credential).
    const cesLedger = await client.get(`/v1/trainers/${trainer.trainerId}/ledger?credentialId=${ces}`);
    expect(cesLedger.body).toMatchObject({ credentialId: ces, totalCeu: '1.9' });
  });

  it("time zones: a credential's days are its own: at 2027-03-10 12:00 UTC it is already 2027-03-11 in Kiritimati (UTC+14)", async () => {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2025-04-01', '2027-04-01', { timeZone: 'Pacific/Kiritimati' });
    await withCardAndCourse(trainer, `${trainer.trainerId}-K`, 190);
    await trainer.completes(`${trainer.trainerId}-K`, '2026-09-01');
    await trainer.ledgerReaches('1.9');
    expect((await client.get(`/v1/trainers/${trainer.trainerId}/what-if`)).body).toMatchObject({ on: '2027-03-11' });
    const applicationId = await trainer.applies();
    expect(await trainer.applicationOnceIn(applicationId, ['submitted', 'refused'])).toMatchObject({
      status: 'submitted',
      receivedOn: '2027-03-11',
    });
  });
});
