import { AcceptanceTrainer } from './support/acceptance-trainer';
import { OutsideClient } from './support/outside-client';

/**
 * Issue 12, items 3, 6, 9 and the petition side of 11, as an outside client sees them (DOMAIN.md,
 * "Money" and "Petitions" in "Clarified after review"). Every value is written literally: the
 * standard fee is 9_900 cents, the petition fee 2_500; the clock starts on 2027-03-01, the trainers'
 * cycle runs 2025-06-30 → 2027-06-30, so an application sent today is on time.
 */
const START = '2027-03-01T10:00:00Z';
const HOOK_MS = 300_000;
const STEP_MS = 420_000;
/**
 * A freshly booted system reads every topic from its beginning (support/recert-system.ts), so its
 * first fee may take minutes to be opened on a shared broker with history: the first wait is long.
 */
const CATCH_UP_MS = 300_000;

interface Payable {
  payableId: string;
  status: string;
  amountCents: number;
  paidPaymentId: string | null;
  endedBecause: string | null;
  processorEvents: { paymentId: string; kind: string; outcome: string }[];
}

/** The ledger once it counts `totalCeu`; patient, since it may be the first thing a fresh system does. */
function ledgerReaches(client: OutsideClient, trainer: AcceptanceTrainer, totalCeu: string) {
  return client.eventually(
    `/v1/trainers/${trainer.trainerId}/ledger`,
    (l: { totalCeu?: string }) => l.totalCeu === totalCeu,
    `the ledger of ${trainer.trainerId} to count ${totalCeu} CEUs`,
    CATCH_UP_MS,
  );
}

/** A trainer on time, with the course CEUs and the card on record before anything is applied for. */
async function qualifiedTrainer(client: OutsideClient, courseCeuHundredths: number, ledger: string) {
  const trainer = new AcceptanceTrainer(client);
  await trainer.certified('2025-06-30', '2027-06-30');
  const courseId = `COURSE-${trainer.trainerId}`;
  await trainer.registersCourse(courseId, courseCeuHundredths);
  const completionId = await trainer.completes(courseId, '2027-01-10');
  await trainer.cprAedCard('2026-09-01', '2028-09-01');
  await ledgerReaches(client, trainer, ledger);
  return { trainer, completionId };
}

function payableOnce(
  client: OutsideClient,
  payableId: string,
  done: (p: Payable) => boolean,
  what: string,
  timeoutMs = 60_000,
) {
  return client.eventually<Payable>(`/v1/payables/${payableId}`, done, `${payableId} ${what}`, timeoutMs);
}

const lastOutcome = (p: Payable) => p.processorEvents.at(-1)?.outcome;

describe('money follows the facts, and petitions are bounded (no audits)', () => {
  let client: OutsideClient;

  beforeAll(async () => {
    client = await OutsideClient.start({ startAt: START, auditRatePpm: 0 });
  }, HOOK_MS);

  afterAll(async () => {
    await client?.stop();
  });

  it(
    'R3: a reviewer cannot grant 2.0 CEU for a 1-hour course (400 naming R3 and 0.1); 0.1 is accepted and the ledger counts 0.1 from it; the act names who, when and why',
    async () => {
      const trainer = new AcceptanceTrainer(client);
      await trainer.certified('2025-06-30', '2027-06-30');
      const courseId = `COURSE-${trainer.trainerId}`;
      await trainer.registersCourse(courseId, 180);
      await trainer.completes(courseId, '2027-01-10');
      await ledgerReaches(client, trainer, '1.8');
      const petitionId = await trainer.petitions('Kettlebell basics', '2027-01-20', '1');
      await payableOnce(client, `petition-fee:${petitionId}`, (p) => p.status === 'open', 'to be open', CATCH_UP_MS);
      await trainer.pays(`petition-fee:${petitionId}`, 2_500);
      await client.eventually(`/v1/petitions/${petitionId}`, (p) => p.state === 'fee-paid', 'the fee recorded');
      expect((await client.post(`/v1/petitions/${petitionId}/review`, {})).status).toBe(200);

      const tooMuch = await client.post(`/v1/petitions/${petitionId}/approve`, {
        ceuGranted: '2.0',
        reason: 'generous',
      });
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.message).toBe(
        'R3: at most 0.1 CEU can be granted for 1 contact hours (1 contact hour = 0.1 CEU); 2.0 was asked',
      );

      const approved = await client.post(`/v1/petitions/${petitionId}/approve`, {
        ceuGranted: '0.1',
        reason: 'equivalent content',
      });
      expect(approved).toMatchObject({ status: 200, body: { state: 'approved', ceuGranted: 10 } });

      await ledgerReaches(client, trainer, '1.9');
      const ledger = (await client.get(`/v1/trainers/${trainer.trainerId}/ledger`)).body;
      expect(ledger.counted).toEqual(
        expect.arrayContaining([expect.objectContaining({ source: 'petition', id: petitionId, ceu: '0.1' })]),
      );
      const petition = (await client.get(`/v1/petitions/${petitionId}`)).body;
      expect(petition.actions).toEqual([
        {
          action: 'review',
          by: { name: 'reviewer', roles: ['reviewer'] },
          at: expect.stringMatching(/^2027-03-01T/),
          reason: null,
          ceuGranted: null,
        },
        {
          action: 'approve',
          by: { name: 'reviewer', roles: ['reviewer'] },
          at: expect.stringMatching(/^2027-03-01T/),
          reason: 'equivalent content',
          ceuGranted: '0.1',
        },
      ]);
    },
    STEP_MS,
  );

  it(
    'Money: a duplicate charge refunded leaves the fee paid and the application approved',
    async () => {
      const { trainer } = await qualifiedTrainer(client, 190, '1.9');
      const applicationId = await trainer.applies();
      const payableId = `application-fee:${applicationId}`;
      await payableOnce(
        client,
        payableId,
        (p) => p.status === 'open' && p.amountCents === 9_900,
        'to be owed',
        CATCH_UP_MS,
      );
      await trainer.pays(payableId, 9_900, `PAY-1-${applicationId}`);
      await trainer.pays(payableId, 9_900, `PAY-2-${applicationId}`);
      expect((await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');
      await payableOnce(client, payableId, (p) => lastOutcome(p) === 'duplicate-charge', 'the duplicate recorded');

      await trainer.refunds(payableId, 9_900, `PAY-2-${applicationId}`);
      const payable = await payableOnce(
        client,
        payableId,
        (p) => p.processorEvents.length === 3,
        'the refund recorded',
      );
      expect(payable).toMatchObject({ status: 'paid', paidPaymentId: `PAY-1-${applicationId}` });
      expect(payable.processorEvents.map((e) => [e.paymentId, e.kind, e.outcome])).toEqual([
        [`PAY-1-${applicationId}`, 'succeeded', 'settled'],
        [`PAY-2-${applicationId}`, 'succeeded', 'duplicate-charge'],
        [`PAY-2-${applicationId}`, 'refunded', 'refunded: the duplicate charge; the item stays paid'],
      ]);
      expect((await client.get(`/v1/applications/${applicationId}`)).body).toMatchObject({
        status: 'approved',
        feePaid: true,
      });
    },
    STEP_MS,
  );

  it(
    'R6: a petition withdrawn by the trainer (the portal’s event) closes its payable; a payment then sent for it is recorded to refund',
    async () => {
      const trainer = new AcceptanceTrainer(client);
      await trainer.certified('2025-06-30', '2027-06-30');
      const petitionId = await trainer.petitions('Yoga retreat', '2027-01-20', '10');
      const payableId = `petition-fee:${petitionId}`;
      await payableOnce(
        client,
        payableId,
        (p) => p.status === 'open' && p.amountCents === 2_500,
        'to be owed',
        CATCH_UP_MS,
      );

      // Withdrawing is the trainer's act: staff have no route for it.
      expect((await client.post(`/v1/petitions/${petitionId}/withdraw`, {})).status).toBe(404);
      await client.send('course-petition-withdrawn', {
        petitionId,
        trainerId: trainer.trainerId,
        withdrawnAt: client.now().toISOString(),
        reason: 'took an approved course instead',
      });
      const withdrawn = await client.eventually(
        `/v1/petitions/${petitionId}`,
        (p) => p.state === 'withdrawn',
        'the petition withdrawn',
      );
      expect(withdrawn.actions).toEqual([
        {
          action: 'withdraw',
          by: { name: trainer.trainerId, roles: ['trainer'] },
          at: expect.stringMatching(/^2027-03-01T/),
          reason: 'took an approved course instead',
          ceuGranted: null,
        },
      ]);
      await payableOnce(client, payableId, (p) => p.status === 'closed', 'to be closed');

      await trainer.pays(payableId, 2_500, `PAY-${petitionId}`);
      const payable = await payableOnce(
        client,
        payableId,
        (p) => p.processorEvents.length === 1,
        'the payment recorded',
      );
      expect(payable).toMatchObject({ status: 'closed', paidPaymentId: null, endedBecause: 'petition withdrawn' });
      expect(payable.processorEvents.map((e) => [e.paymentId, e.outcome])).toEqual([
        [`PAY-${petitionId}`, 'to-refund'],
      ]);
      expect((await client.get(`/v1/petitions/${petitionId}`)).body.state).toBe('withdrawn');
    },
    STEP_MS,
  );

  it(
    'R9/R2: an application refused at receipt (0.5 CEU of 1.9) owes nothing: no payable is opened',
    async () => {
      const { trainer } = await qualifiedTrainer(client, 50, '0.5');
      const applicationId = await trainer.applies();
      expect((await trainer.applicationOnceIn(applicationId, ['refused', 'submitted'])).status).toBe('refused');
      expect((await client.get(`/v1/payables?trainerId=${trainer.trainerId}`)).body).toEqual([]);
    },
    STEP_MS,
  );
});

describe('money follows the facts while an application waits for its audit (every application audited)', () => {
  let client: OutsideClient;

  beforeAll(async () => {
    client = await OutsideClient.start({ startAt: START, auditRatePpm: 1_000_000 });
  }, HOOK_MS);

  afterAll(async () => {
    await client?.stop();
  });

  it(
    'R10/R12: the fee paid, then refunded before the decision: the payable is open again, the application waits for payment and is approved only once paid again',
    async () => {
      const { trainer, completionId } = await qualifiedTrainer(client, 190, '1.9');
      const applicationId = await trainer.applies();
      const payableId = `application-fee:${applicationId}`;
      await payableOnce(
        client,
        payableId,
        (p) => p.status === 'open' && p.amountCents === 9_900,
        'to be owed',
        CATCH_UP_MS,
      );
      await client.eventually(
        `/v1/applications/${applicationId}`,
        (a) => a.auditState === 'awaiting-documents',
        'the application selected for audit',
        CATCH_UP_MS,
      );

      await trainer.pays(payableId, 9_900, `PAY-A-${applicationId}`);
      await client.eventually(`/v1/applications/${applicationId}`, (a) => a.feePaid === true, 'the fee paid');
      await trainer.refunds(payableId, 9_900, `PAY-A-${applicationId}`);
      const reopened = await payableOnce(client, payableId, (p) => p.status === 'open', 'to be open again');
      expect(reopened).toMatchObject({ paidPaymentId: null });
      expect(lastOutcome(reopened)).toBe('refunded: the fee is unpaid again');
      await client.eventually(`/v1/applications/${applicationId}`, (a) => a.feePaid === false, 'the fee unpaid');

      // Every audit document in: only the fee is missing now, so the application still waits.
      const documents = [
        await trainer.uploads(applicationId, 'course-certificate', completionId),
        await trainer.uploads(applicationId, 'cpr-aed-card-front'),
        await trainer.uploads(applicationId, 'cpr-aed-card-back'),
      ];
      // R11: a reviewer looks at the documents and passes the audit.
      await client.eventually(`/v1/audits/${applicationId}`, (a) => a.status === 'under-review', 'under review');
      for (const documentId of documents)
        expect(
          (await client.post(`/v1/audits/${applicationId}/documents/${documentId}/accept`, { note: 'legible' })).status,
        ).toBe(200);
      expect((await client.post(`/v1/audits/${applicationId}/pass`, { note: 'every document accepted' })).status).toBe(
        200,
      );
      await client.eventually(
        `/v1/applications/${applicationId}`,
        (a) => a.auditState === 'passed',
        'the audit passed',
      );
      expect((await client.get(`/v1/applications/${applicationId}`)).body).toMatchObject({
        status: 'submitted',
        feePaid: false,
      });

      await trainer.pays(payableId, 9_900, `PAY-B-${applicationId}`);
      expect((await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');
      const paid = await payableOnce(client, payableId, (p) => p.status === 'paid', 'to be paid again');
      expect(paid.paidPaymentId).toBe(`PAY-B-${applicationId}`);
      expect(paid.processorEvents.map((e) => [e.paymentId, e.kind, e.outcome])).toEqual([
        [`PAY-A-${applicationId}`, 'succeeded', 'settled'],
        [`PAY-A-${applicationId}`, 'refunded', 'refunded: the fee is unpaid again'],
        [`PAY-B-${applicationId}`, 'succeeded', 'settled'],
      ]);
    },
    STEP_MS,
  );

  it(
    'R11/R12: an application denied (its audit failed at the deadline, fee never paid) closes its payable; a payment then is recorded to refund',
    async () => {
      const { trainer } = await qualifiedTrainer(client, 190, '1.9');
      const applicationId = await trainer.applies();
      const payableId = `application-fee:${applicationId}`;
      await payableOnce(client, payableId, (p) => p.status === 'open', 'to be owed', CATCH_UP_MS);
      await client.eventually(
        `/v1/applications/${applicationId}`,
        (a) => a.auditState === 'awaiting-documents',
        'the application selected for audit',
        CATCH_UP_MS,
      );

      await client.advanceDays(31);
      expect((await trainer.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('denied');
      const closed = await payableOnce(client, payableId, (p) => p.status === 'closed', 'to be closed');
      expect(closed).toMatchObject({ amountCents: 9_900, endedBecause: 'application denied' });

      await trainer.pays(payableId, 9_900, `PAY-LATE-${applicationId}`);
      const payable = await payableOnce(
        client,
        payableId,
        (p) => p.processorEvents.length === 1,
        'the payment recorded',
      );
      expect(payable).toMatchObject({ status: 'closed', paidPaymentId: null });
      expect(lastOutcome(payable)).toBe('to-refund');
      expect((await client.get(`/v1/applications/${applicationId}`)).body.status).toBe('denied');
    },
    STEP_MS,
  );
});
