import { randomUUID } from 'node:crypto';
import { RecertificationApplicationSubmittedV1 } from '@recert/contracts';
import { AcceptanceTrainer } from './support/acceptance-trainer';
import { OutsideClient } from './support/outside-client';

/**
 * Issue 13, "Recertify for Life" (DOMAIN.md, "Worth knowing" and "Clarified after review"): a
 * member who paid once owes no further recertification fee (CEUs and CPR/AED are still required),
 * and membership is a fact an upstream system records (here the payment processor, through its
 * signed webhook), never a flag an application sets for itself. The fee is fixed at receipt (R10).
 *
 * The clock starts on 2027-03-01; the trainers' cycle runs 2025-06-30 → 2027-06-30, so an
 * application received today is on time: the standard fee is 9_900 cents, a member's fee 0.
 */
const START = '2027-03-01T10:00:00Z';
const HOOK_MS = 300_000;
const STEP_MS = 420_000;
/** A freshly booted system reads every topic from its beginning: the first answers may take minutes. */
const CATCH_UP_MS = 300_000;
/** What the trainer paid the processor for the membership; payments records it, the rules do not use it. */
const MEMBERSHIP_PRICE_CENTS = 49_900;

interface Application {
  status: string;
  feeTier: string | null;
  feeLines: { kind: string; amount: number }[] | null;
  feeTotalCents: number | null;
  feeWaivedBy: { membershipId: string; purchasedAt: string } | null;
  decision: { verdicts: { rule: string; verdict: string; reason: string }[] } | null;
}

describe('acceptance: Recertify for Life is a membership payments records, not a flag of the submission (issue 13)', () => {
  let client: OutsideClient;

  beforeAll(async () => {
    client = await OutsideClient.start({ startAt: START, auditRatePpm: 0 });
  }, HOOK_MS);

  afterAll(async () => {
    await client?.stop();
  });

  /** On time, 1.9 CEUs from one course and a current hands-on card on record. */
  async function qualifiedTrainer(): Promise<AcceptanceTrainer> {
    const trainer = new AcceptanceTrainer(client);
    await trainer.certified('2025-06-30', '2027-06-30');
    const courseId = `COURSE-${trainer.trainerId}`;
    await trainer.registersCourse(courseId, 190);
    await trainer.completes(courseId, '2027-01-10');
    await trainer.cprAedCard('2026-09-01', '2028-09-01');
    await client.eventually(
      `/v1/trainers/${trainer.trainerId}/ledger`,
      (l: { totalCeu?: string }) => l.totalCeu === '1.9',
      `the ledger of ${trainer.trainerId} to count 1.9 CEUs`,
      CATCH_UP_MS,
    );
    return trainer;
  }

  const applicationOnceIn = (trainer: AcceptanceTrainer, applicationId: string, statuses: string[]) =>
    trainer.applicationOnceIn(applicationId, statuses, CATCH_UP_MS) as Promise<Application>;

  it(
    'R10/R12: a member who bought Recertify for Life before applying is approved on time with a $0 fee line naming it; nothing is charged',
    async () => {
      const trainer = await qualifiedTrainer();
      const membershipId = `R4L-${trainer.trainerId}`;
      expect(await trainer.buysRecertifyForLife(membershipId, MEMBERSHIP_PRICE_CENTS)).toMatchObject({
        outcome: 'recorded',
      });

      const applicationId = await trainer.applies();
      const approved = await applicationOnceIn(trainer, applicationId, ['approved', 'denied']);
      expect(approved).toMatchObject({
        status: 'approved',
        feeTier: 'standard',
        feeLines: [{ kind: 'recertify-for-life', amount: 0 }],
        feeTotalCents: 0,
        feeWaivedBy: { membershipId },
      });
      const r10 = approved.decision?.verdicts.find((v) => v.rule === 'R10');
      expect(r10).toMatchObject({ verdict: 'passed' });
      expect(r10?.reason).toContain('Recertify for Life');
      expect(r10?.reason).toContain(membershipId);
      // Nothing is owed, so no payable was opened for the application.
      expect((await client.get(`/v1/payables?trainerId=${trainer.trainerId}`)).body).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'R10: a non-member cannot get the waiver by any field of the submission: refused over HTTP, ignored from an old portal, 9_900 cents owed',
    async () => {
      const trainer = await qualifiedTrainer();
      const submission = { trainerId: trainer.trainerId, submittedAt: client.now().toISOString() };

      // The current contract has no such field: the ingestion names it and queues nothing.
      for (const claim of [{ recertifyForLife: true }, { membershipId: 'R4L-FORGED' }, { feeCents: 0 }]) {
        const refused = await client.call(
          'POST',
          '/v1/events/recertification-application-submitted',
          { applicationId: randomUUID(), ...submission, ...claim },
          'upstream',
        );
        expect(refused.status).toBe(400);
        expect(refused.body.message).toContain(Object.keys(claim)[0]);
      }
      // Nor may an upstream caller state the membership itself: it is the processor's fact.
      const forged = await client.call(
        'POST',
        '/v1/events/recertify-for-life-membership-purchased',
        {
          processorEventId: 'EVT-FORGED',
          membershipId: 'R4L-FORGED',
          trainerId: trainer.trainerId,
          paymentId: 'PAY-FORGED',
          amountCents: MEMBERSHIP_PRICE_CENTS,
          purchasedAt: client.now().toISOString(),
        },
        'upstream',
      );
      expect(forged.status).toBe(403);

      // A portal still on the first version of the contract may send the old flag: it is ignored.
      const applicationId = randomUUID();
      await client.publish(RecertificationApplicationSubmittedV1, {
        applicationId,
        ...submission,
        recertifyForLife: true,
      });
      const submitted = await applicationOnceIn(trainer, applicationId, ['submitted', 'refused']);
      expect(submitted).toMatchObject({
        status: 'submitted',
        feeTier: 'standard',
        feeLines: [{ kind: 'standard', amount: 9_900 }],
        feeTotalCents: 9_900,
        feeWaivedBy: null,
      });
      await client.eventually(
        `/v1/payables/application-fee:${applicationId}`,
        (p: { status: string; amountCents: number }) => p.status === 'open' && p.amountCents === 9_900,
        'the application fee of 9_900 cents to be owed',
      );
    },
    STEP_MS,
  );

  it(
    'R10: the fee is fixed at receipt: a membership bought after the application was received does not waive its fee',
    async () => {
      const trainer = await qualifiedTrainer();
      const applicationId = await trainer.applies();
      expect(await applicationOnceIn(trainer, applicationId, ['submitted', 'refused'])).toMatchObject({
        status: 'submitted',
        feeTotalCents: 9_900,
      });
      await trainer.buysRecertifyForLife(`R4L-LATE-${trainer.trainerId}`, MEMBERSHIP_PRICE_CENTS);
      // Given time to act had the membership changed anything, the fee is what it was at receipt.
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await client.get(`/v1/applications/${applicationId}`)).body).toMatchObject({
        status: 'submitted',
        feeLines: [{ kind: 'standard', amount: 9_900 }],
        feeTotalCents: 9_900,
        feeWaivedBy: null,
      });
      expect((await client.get(`/v1/payables/application-fee:${applicationId}`)).body).toMatchObject({
        status: 'open',
        amountCents: 9_900,
      });
    },
    STEP_MS,
  );
});
