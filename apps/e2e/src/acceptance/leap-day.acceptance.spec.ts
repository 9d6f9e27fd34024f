import { AcceptanceTrainer } from './support/acceptance-trainer';
import { OutsideClient } from './support/outside-client';

/**
 * R1 on a leap day, through the public API only. Policy (libs/rules README, "Leap day"): a year
 * after 29 February is 28 February. The clock stands at 2028-02-15 12:00 UTC.
 */
describe('acceptance: a cycle that expires on 29 February (R1, R4, R9)', () => {
  let client: OutsideClient;

  beforeAll(async () => {
    client = await OutsideClient.start({ startAt: '2028-02-15T12:00:00Z', auditRatePpm: 0 });
  }, 300_000);

  afterAll(async () => {
    await client?.stop();
  });

  it('R1: the windows of a 2028-02-29 expiration, and the next cycle expiring 2030-02-28', async () => {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2026-02-28', '2028-02-29');
    await trainer.registersCourse(`${trainer.trainerId}-C`, 190);
    await trainer.completes(`${trainer.trainerId}-C`, '2027-06-01');
    await trainer.cprAedCard('2027-01-01', '2029-12-31');
    await trainer.ledgerReaches('1.9');
    const before = (await client.get(`/v1/trainers/${trainer.trainerId}`)).body;
    expect(before.currentCycle).toEqual({
      startsOn: '2026-02-28',
      applicationOpensOn: '2027-08-29', // six months before expiry
      expiresOn: '2028-02-29',
      lateWindowEndsOn: '2028-05-29', // R4: 90 days after
      finalWindowEndsOn: '2029-02-28', // R9: one year after, 29 February → 28 February
    });

    const applicationId = await trainer.applies();
    expect(await trainer.applicationOnceIn(applicationId, ['submitted', 'refused'])).toMatchObject({
      status: 'submitted',
      receivedOn: '2028-02-15',
      feeTier: 'standard',
      feeTotalCents: 9_900,
    });
    await trainer.pays(`application-fee:${applicationId}`, 9_900);
    expect((await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');
    const after = await client.eventually(
      `/v1/trainers/${trainer.trainerId}`,
      (t) => t.cycles.length === 2,
      'the next cycle',
    );
    // R1: old expiration + 2 years, whatever day it was approved on.
    expect(after.currentCycle).toMatchObject({ startsOn: '2028-03-01', expiresOn: '2030-02-28' });
  });

  it('item 9 (R10, policy): an application whose fee is never paid is denied when the final window ends, naming R10; R9: the credential lapses', async () => {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2026-02-20', '2028-02-20');
    await trainer.registersCourse(`${trainer.trainerId}-C`, 190);
    await trainer.completes(`${trainer.trainerId}-C`, '2027-06-01');
    await trainer.cprAedCard('2027-01-01', '2029-12-31');
    await trainer.ledgerReaches('1.9');
    const applicationId = await trainer.applies();
    expect(await trainer.applicationOnceIn(applicationId, ['submitted', 'refused'])).toMatchObject({
      status: 'submitted',
      feeTotalCents: 9_900,
    });
    // Expired 2028-02-20; its final window ends 2029-02-20. Move past it without paying.
    await client.advanceDays(372); // 2028-02-15 + 372 days = 2029-02-21
    const denied = await trainer.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(denied.status).toBe('denied');
    expect(denied.decision.failedRules).toEqual(['R10']);
    expect(denied.decision.verdicts[3]).toMatchObject({
      rule: 'R10',
      verdict: 'failed',
      reason: 'R10: the standard fee of $99.00 was still unpaid after 2029-02-20, the end of the final window',
    });
    // What it paid for ended: its payable closes (issue 12, item 9).
    await client.eventually(
      `/v1/payables/${encodeURIComponent(`application-fee:${applicationId}`)}`,
      (p) => p.status === 'closed',
      'the payable closed',
    );
    expect((await client.get(`/v1/trainers/${trainer.trainerId}`)).body.status).toBe('lapsed');
  });
});
