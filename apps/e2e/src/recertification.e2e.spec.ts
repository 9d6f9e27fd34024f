import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CourseCompleted, PaymentRefunded, Topics } from '@recert/contracts';
import { waitFor } from '@recert/testing';
import { signSandboxWebhook } from '@recert/payments-service';
import { RecertSystem } from './support/recert-system';
import { TrainerStory } from './support/trainer-story';

/** The day the portal's applications are received in these scenarios: the systems' clocks start there. */
const RECEIVED_AT = '2026-11-20T15:00:00Z';

/**
 * A recertification end to end over real Kafka, PostgreSQL and the services' own modules, with
 * no audits drawn (rate 0) so each scenario isolates one rule. Dates are fixed in the past: an
 * application's fee depends on the day the portal received it (R10).
 */
describe('recertification end to end (no audits)', () => {
  let system: RecertSystem;

  beforeAll(async () => {
    system = await RecertSystem.start({ auditRatePpm: 0, env: { CLOCK_START_AT: RECEIVED_AT } });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('R12: an on-time application with 1.9 CEUs, a current card and its fee paid is approved, and the next cycle starts (R1)', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-12-31', '2026-12-31');
    await trainer.qualifies('2026-12-31');
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T15:00:00Z');
    const submitted = await system.applicationOnceIn(applicationId, ['submitted', 'refused']);
    expect(submitted).toMatchObject({
      status: 'submitted',
      fee_tier: 'standard',
      fee_total_cents: 9_900,
      received_on: '2026-11-20',
    });

    await trainer.pays(applicationId, 9_900);
    const approved = await system.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved.status).toBe('approved');
    expect(approved.decision?.verdicts.map((v) => `${v.rule}:${v.verdict}`)).toEqual([
      'R2:passed',
      'R7:passed',
      'R9:passed',
      'R10:passed',
      'R11:passed',
    ]);
    const cycles = await waitFor(
      () =>
        system.query('applications', `SELECT expires_on FROM schema.cycles WHERE trainer_id = $1 ORDER BY expires_on`, [
          trainer.trainerId,
        ]),
      (rows) => rows.length === 2,
      { what: 'the next cycle' },
    );
    expect(cycles).toEqual([{ expires_on: '2026-12-31' }, { expires_on: '2028-12-31' }]);
  });

  it('R10: an application received 50 days after expiration pays the late fee', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-10-01', '2026-10-01');
    await trainer.qualifies('2026-10-01');
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    expect(await system.applicationOnceIn(applicationId, ['submitted', 'refused'])).toMatchObject({
      status: 'submitted',
      fee_tier: 'late',
      fee_total_cents: 12_900,
    });
  });

  it('R10: an application received 172 days after expiration pays the additional fee, not stacked', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-06-01', '2026-06-01');
    await trainer.qualifies('2026-06-01', '2026-01-10');
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    expect(await system.applicationOnceIn(applicationId, ['submitted', 'refused'])).toMatchObject({
      status: 'submitted',
      fee_tier: 'additional',
      fee_total_cents: 14_900,
    });
  });

  it('R9: an application more than one year after expiration is refused: the trainer must certify again', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2023-06-01', '2025-06-01');
    await trainer.qualifies('2025-06-01', '2025-01-10');
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    const refused = await system.applicationOnceIn(applicationId, ['submitted', 'refused']);
    expect(refused.status).toBe('refused');
    // Every reason is named: the window, and the card that expired with the cycle's grace year.
    // Rule by rule (R12): the card that expired with the cycle's grace year, and the window.
    expect(refused.refusal_reasons).toEqual([
      `R7: card ${trainer.trainerId}-cpr expired 2026-06-01, before the application (2026-11-20)`,
      'R9: the credential lapsed after 2026-06-01 (one year after expiration); the trainer must certify again',
    ]);
  });

  it('R4: a course completed on day 91 after expiration is not counted, so the application is refused for CEUs', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-08-01', '2026-08-01');
    await trainer.approvedCourse(`C19-${trainer.trainerId}`, 190);
    await trainer.completed(`C19-${trainer.trainerId}`, '2026-10-31'); // day 91
    await trainer.cprAedCard('2025-06-01', '2027-08-01');
    await trainer.ledgerReached(0);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    const refused = await system.applicationOnceIn(applicationId, ['submitted', 'refused']);
    expect(refused.refusal_reasons).toEqual([
      `R2: 0.0 CEUs from courses counted in the window; 1.9 required (R3–R6); not counted: ${trainer.trainerId}-c1 (R4: completed 2026-10-31, 91 days after expiration (90 allowed))`,
    ]);
  });

  it('the same upstream events delivered twice count once, and the fee is settled once', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-12-31', '2026-12-31');
    await trainer.certified('2024-12-31', '2026-12-31');
    const course = `C10-${trainer.trainerId}`;
    await trainer.approvedCourse(course, 100);
    // The learning platform reports the same completion twice (R4: it counts once).
    for (let delivery = 1; delivery <= 2; delivery++) {
      await system.publish(CourseCompleted, {
        completionId: `${trainer.trainerId}-dup`,
        trainerId: trainer.trainerId,
        providerId: 'ACE',
        courseId: course,
        completedOn: '2026-02-01',
      });
    }
    const otherCourse = `C90-${trainer.trainerId}`;
    await trainer.approvedCourse(otherCourse, 90);
    await trainer.completed(otherCourse, '2026-03-01');
    await trainer.cprAedCard('2025-06-01', '2027-12-31');
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    await system.applicationOnceIn(applicationId, ['submitted']);
    // A processor's ids are unique for ever (the topics keep earlier runs' events too).
    const [first, second] = [`${trainer.trainerId}-pay-1`, `${trainer.trainerId}-pay-2`];
    await trainer.pays(applicationId, 9_900, first);
    await trainer.pays(applicationId, 9_900, first); // the same processor event, redelivered
    await trainer.pays(applicationId, 9_900, second); // the processor charged twice: recorded, not settled again
    expect((await system.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');
    const events = await waitFor(
      () =>
        system.query<{ outcome: string }>(
          'payments',
          `SELECT outcome FROM schema.processor_events WHERE payable_id = $1 ORDER BY payment_id`,
          [`application-fee:${applicationId}`],
        ),
      (rows) => rows.length === 2 && rows.every((r) => r.outcome !== 'awaiting-payable'),
      { what: 'both processor events handled' },
    );
    expect(events).toEqual([{ outcome: 'settled' }, { outcome: 'duplicate-charge' }]);
  });

  it('events arriving out of order: completions and the card before the certification, payment before the payable', async () => {
    const trainer = new TrainerStory(system);
    await trainer.qualifies('2026-12-31');
    await new Promise((r) => setTimeout(r, 1_000));
    await trainer.certified('2024-12-31', '2026-12-31');
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    await trainer.pays(applicationId, 9_900);
    expect((await system.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');
  });

  async function petitionInState(petitionId: string, state: string) {
    return waitFor(
      () => system.api('GET', `/v1/petitions/${petitionId}`),
      (r) => r.status === 200 && r.body.state === state,
      { what: `petition ${petitionId} to be ${state}` },
    );
  }

  it('R6: a petition is not reviewed before its $25 fee is paid; approved, its CEUs count and the application is approved', async () => {
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-12-31', '2026-12-31');
    await trainer.approvedCourse(`C16-${trainer.trainerId}`, 160);
    await trainer.completed(`C16-${trainer.trainerId}`, '2026-02-01');
    await trainer.cprAedCard('2025-06-01', '2027-12-31');
    const petitionId = await trainer.petitions('Kettlebell workshop', '2026-04-01', '3');
    await petitionInState(petitionId, 'submitted');
    const early = await system.api('POST', `/v1/petitions/${petitionId}/review`);
    expect(early).toEqual({
      status: 409,
      body: expect.objectContaining({ message: 'R6: a petition is not reviewed before its fee is paid' }),
    });

    await trainer.paysPetitionFee(petitionId);
    await petitionInState(petitionId, 'fee-paid');
    expect((await system.api('POST', `/v1/petitions/${petitionId}/review`)).status).toBe(200);
    const invalid = await system.api('POST', `/v1/petitions/${petitionId}/approve`, {
      ceuGranted: '0.333',
      reason: '',
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toMatch(/ceuGranted/);
    const approved = await system.api('POST', `/v1/petitions/${petitionId}/approve`, {
      ceuGranted: '0.3',
      reason: 'equivalent content',
    });
    expect(approved).toMatchObject({ status: 200, body: { state: 'approved', ceuGranted: 30 } });

    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    await system.applicationOnceIn(applicationId, ['submitted']);
    await trainer.pays(applicationId, 9_900);
    expect((await system.applicationOnceIn(applicationId, ['approved', 'denied'])).status).toBe('approved');
  });

  it('R6: a denied petition keeps its fee: a refund the processor made anyway is recorded and flagged to ops', async () => {
    const trainer = new TrainerStory(system);
    const petitionId = await trainer.petitions('Yoga retreat', '2026-04-01', '10');
    await trainer.paysPetitionFee(petitionId);
    await petitionInState(petitionId, 'fee-paid');
    await system.api('POST', `/v1/petitions/${petitionId}/review`);
    const denied = await system.api('POST', `/v1/petitions/${petitionId}/deny`, {
      reason: 'not related to fitness training',
    });
    expect(denied).toMatchObject({
      status: 200,
      body: { state: 'denied', decisionReason: 'not related to fitness training' },
    });
    await system.publish(PaymentRefunded, {
      processorEventId: `refund-${petitionId}`,
      paymentId: `pay-${petitionId}`,
      payableId: `petition-fee:${petitionId}`,
      amountCents: 2_500,
      occurredAt: new Date().toISOString(),
    });
    const [refund] = await waitFor(
      () =>
        system.query<{ outcome: string }>(
          'payments',
          `SELECT outcome FROM schema.processor_events WHERE processor_event_id = $1`,
          [`refund-${petitionId}`],
        ),
      (rows) => rows.length === 1 && rows[0].outcome !== 'received',
      { what: 'the refund handled' },
    );
    expect(refund.outcome).toBe(
      'refunded: flagged to ops (R6: petition fees are non-refundable; the petition is unaffected)',
    );
    const [payable] = await system.query<{ status: string }>(
      'payments',
      `SELECT status FROM schema.payables WHERE payable_id = $1`,
      [`petition-fee:${petitionId}`],
    );
    // A refund is a fact: the money went back; the petition stays denied.
    expect(payable.status).toBe('refunded');
    expect((await system.api('GET', `/v1/petitions/${petitionId}`)).body.state).toBe('denied');
  });

  it('malformed events are parked with their reason, and the next valid event is processed', async () => {
    const trainer = new TrainerStory(system);
    await system.publishRaw(Topics.examCertifications.name, '{"type":"TrainerCertified"', trainer.trainerId);
    await system.publishRaw(Topics.examCertifications.name, JSON.stringify({ hello: 'world' }), trainer.trainerId);
    await trainer.certified('2024-12-31', '2026-12-31');
    await waitFor(
      () => system.query('applications', `SELECT 1 FROM schema.credentials WHERE trainer_id = $1`, [trainer.trainerId]),
      (rows) => rows.length === 1,
      { what: 'the valid certification' },
    );
    const parked = await waitFor(
      () =>
        system.query<{ reason: string }>(
          'applications',
          `SELECT envelope->'payload'->>'reason' AS reason FROM schema.outbox
           WHERE event_type = 'MessageDeadLettered' AND envelope->'payload'->'original'->>'key' = $1 ORDER BY id`,
          [trainer.trainerId],
        ),
      (rows) => rows.length === 2,
      { what: 'two dead-letter records' },
    );
    expect(parked.map((p) => p.reason)).toEqual([
      'message is not valid JSON',
      expect.stringMatching(/^invalid envelope: id: .*type: /),
    ]);
  });
});

/** R11 end to end: every application is selected (rate 100 %), so each must pass its audit. */
describe('the public API at one base URL (the gateway)', () => {
  let system: RecertSystem;
  // The distancing orders were lifted ten days after the clock's 2026-11-20: the R7 waiver ends 60 days after that.
  const ordersLiftedOn = '2026-11-30';

  beforeAll(async () => {
    system = await RecertSystem.start({
      auditRatePpm: 0,
      env: { WAIVER_ORDERS_LIFTED_ON: ordersLiftedOn, CLOCK_START_AT: RECEIVED_AT },
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('upstream events over HTTP run a recertification to its decision, read back through the queries (R1, R2, R10, R12)', async () => {
    const trainerId = `API-${RecertSystem.id().slice(0, 8)}`.toUpperCase();
    const ingest = (event: string, body: unknown, headers: Record<string, string> = {}) =>
      system.api('POST', `/v1/events/${event}`, body, headers);
    const certified = {
      trainerId,
      credentialId: `CPT-${trainerId}`,
      certifiedOn: '2024-12-31',
      expiresOn: '2026-12-31',
    };

    // A retry with the same Idempotency-Key is the same event; the same key with other content is refused.
    const first = await ingest('trainer-certified', certified, { 'Idempotency-Key': `cert-${trainerId}` });
    expect(first).toMatchObject({
      status: 202,
      body: { type: 'TrainerCertified', topic: 'exam.certifications', duplicate: false },
    });
    const retry = await ingest('trainer-certified', certified, { 'Idempotency-Key': `cert-${trainerId}` });
    expect(retry).toMatchObject({ status: 202, body: { eventId: first.body.eventId, duplicate: true } });
    const reused = await ingest(
      'trainer-certified',
      { ...certified, expiresOn: '2027-01-31' },
      { 'Idempotency-Key': `cert-${trainerId}` },
    );
    expect(reused.status).toBe(422);

    const course = `API-C19-${trainerId}`;
    expect(
      (
        await ingest('approved-course-registered', {
          providerId: 'ACE',
          courseId: course,
          title: 'Program design',
          ceuHundredths: 190,
          approvedFrom: '2020-01-01',
          approvedUntil: '2030-12-31',
        })
      ).status,
    ).toBe(202);
    const completion = {
      completionId: `${trainerId}-c1`,
      trainerId,
      providerId: 'ACE',
      courseId: course,
      completedOn: '2026-03-01',
    };
    const badDate = await ingest('course-completed', { ...completion, completedOn: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.message).toMatch(/payload\.completedOn: must be a real calendar date/);
    expect((await ingest('course-finished', completion)).status).toBe(404);
    expect((await ingest('course-completed', completion)).status).toBe(202);
    await ingest('cpr-aed-card-issued', {
      cardId: `${trainerId}-cpr`,
      trainerId,
      providerId: 'RED-CROSS',
      issuedOn: '2025-06-01',
      expiresOn: '2027-12-31',
      includesAdultCpr: true,
      includesAed: true,
      handsOnSkillsAssessment: true,
    });

    // The ledger (CEU verification) and what-if, through the gateway.
    const ledger = await waitFor(
      () => system.api('GET', `/v1/trainers/${trainerId}/ledger`),
      (r) => r.status === 200 && r.body.progress.met === true,
      { timeoutMs: 45_000, what: 'the ledger to meet R2' },
    );
    expect(ledger.body).toMatchObject({ totalCeu: '1.9', counted: [{ id: completion.completionId, ceu: '1.9' }] });
    const whatIf = await system.api('GET', `/v1/trainers/${trainerId}/what-if?on=2026-11-20`);
    expect(whatIf.body).toMatchObject({ missing: [], feeIfReceivedOn: { tier: 'standard', total: 9_900 } });
    expect((await system.api('GET', `/v1/trainers/${trainerId}/what-if?on=2026-13-01`)).body.message).toMatch(/on/);

    // No waiting for applications to catch up: it judges on the ledger as it stood at receipt.
    const applicationId = RecertSystem.id();
    await ingest('recertification-application-submitted', {
      applicationId,
      trainerId,
      submittedAt: '2026-11-20T15:00:00Z',
    });
    const submitted = await waitFor(
      () => system.api('GET', `/v1/applications/${applicationId}`),
      (r) => r.status === 200 && r.body.status !== 'received',
      { timeoutMs: 45_000, what: 'the application to be judged at receipt' },
    );
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      feeTier: 'standard',
      feeTotalCents: 9_900,
      feePaid: false,
    });

    // The fee, paid through the sandbox processor's signed webhook (payments).
    const payableId = `application-fee:${applicationId}`;
    const payable = await waitFor(
      () => system.api('GET', `/v1/payables/${encodeURIComponent(payableId)}`),
      (r) => r.status === 200,
      { timeoutMs: 45_000, what: 'the payable item' },
    );
    expect(payable.body).toMatchObject({
      status: 'open',
      amountCents: 9_900,
      checkout: { processor: 'sandbox', idempotencyKey: payableId },
    });
    const webhook = JSON.stringify({
      id: `evt-${applicationId}`,
      type: 'payment.succeeded',
      data: { paymentId: `pay-${applicationId}`, payableId, amountCents: 9_900, occurredAt: '2026-11-20T15:05:00Z' },
    });
    const post = (signature: string) =>
      system.api('POST', '/v1/payments/processor-webhook', webhook, { 'x-sandbox-signature': signature });
    // Signed as the processor signs: with the time of signing, by the system's clock (issue 13).
    const signed = signSandboxWebhook(webhook, RecertSystem.webhookSecret, system.now());
    expect((await post(signSandboxWebhook(webhook, 'not-the-secret', system.now()))).status).toBe(401);
    expect(await post(signed)).toMatchObject({ status: 200, body: { outcome: 'settled' } });
    // The same signed request again, within the tolerance: the event id is known, nothing changes.
    expect((await post(signed)).body).toMatchObject({ outcome: 'already-received' });
    // Signed more than 300 s ago (the tolerance, policy): refused as a replay, whatever its event id.
    const stale = await post(
      signSandboxWebhook(webhook, RecertSystem.webhookSecret, new Date(system.now().getTime() - 301_000)),
    );
    expect(stale).toMatchObject({ status: 401, body: { message: expect.stringMatching(/tolerance is 300 s/) } });

    const decided = await waitFor(
      () => system.api('GET', `/v1/applications/${applicationId}`),
      (r) => r.body.status === 'approved' || r.body.status === 'denied',
      { timeoutMs: 45_000, what: 'the decision' },
    );
    expect(
      decided.body.decision.verdicts.map((v: { rule: string; verdict: string }) => `${v.rule}:${v.verdict}`),
    ).toEqual(['R2:passed', 'R7:passed', 'R9:passed', 'R10:passed', 'R11:passed']);
    const trainer = await waitFor(
      () => system.api('GET', `/v1/trainers/${trainerId}`),
      (r) => r.body.cycles?.length === 2,
      { what: 'the next cycle' },
    );
    expect(trainer.body).toMatchObject({ credentialId: `CPT-${trainerId}`, currentCycle: { expiresOn: '2028-12-31' } });

    // Ops reads: money, counts and queues.
    expect(
      (await system.api('GET', '/v1/payments/totals')).body.byPurpose['application-fee'].paid.cents,
    ).toBeGreaterThanOrEqual(9_900);
    expect((await system.api('GET', '/v1/applications/counts')).body.approved).toBeGreaterThanOrEqual(1);
    expect((await system.api('GET', `/v1/applications?trainerId=${trainerId}`)).body).toHaveLength(1);
    expect((await system.api('GET', '/v1/applications?status=pending')).status).toBe(400);
    expect((await system.api('GET', '/v1/audits')).status).toBe(200);
    expect((await system.api('GET', '/v1/petitions?state=submitted')).status).toBe(200);
    expect((await system.api('GET', '/v1/nowhere')).status).toBe(404);

    // Readiness covers every dependency a service uses.
    expect(await system.readiness('applications')).toMatchObject({
      status: 'ok',
      details: { postgres: { status: 'up' }, kafka: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(Object.keys((await system.readiness('petitions')).details).sort()).toEqual(['kafka', 'postgres']);

    // Prometheus sees the same, per service.
    const sample = (text: string, metric: string, labels: string) =>
      Number(new RegExp(`^${metric}\\{[^}]*${labels}[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    const applications = await system.metrics('applications');
    expect(sample(applications, 'recert_applications', 'status="approved"')).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        applications,
        'recert_events_consumed_total',
        'topic="exam.certifications",type="TrainerCertified",outcome="processed"',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(applications, 'recert_events_produced_total', 'topic="recert.applications"')).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(applications, 'recert_outbox_backlog', 'service="applications"')).toBeGreaterThanOrEqual(0);
    expect(sample(applications, 'recert_consumer_lag', 'topic="exam.certifications"')).toBeGreaterThanOrEqual(0);
    expect(
      sample(await system.metrics('payments'), 'recert_fees_cents', 'purpose="application-fee",status="paid"'),
    ).toBeGreaterThanOrEqual(9_900);
  });

  it('issue 13: a signed, pretty-printed webhook body posted to the public base URL reaches payments byte for byte and settles its payable (R6)', async () => {
    const trainerId = `PP-${RecertSystem.id().slice(0, 8)}`.toUpperCase();
    const petitionId = RecertSystem.id();
    await system.api('POST', '/v1/events/course-petition-submitted', {
      petitionId,
      trainerId,
      courseTitle: 'Mobility workshop',
      providerName: 'Local Gym Academy',
      completedOn: '2026-04-01',
      contactHours: '2',
      certificateRef: `s3://recert-petitions/${petitionId}.pdf`,
    });
    const payableId = `petition-fee:${petitionId}`;
    await waitFor(
      () => system.api('GET', `/v1/payables/${encodeURIComponent(payableId)}`),
      (r) => r.status === 200 && r.body.status === 'open',
      { what: 'the open petition fee' },
    );
    // As processors send it: indented by two spaces, a newline at the end. Signed over these bytes.
    const pretty = `${JSON.stringify(
      {
        id: `evt-pretty-${petitionId}`,
        type: 'payment.succeeded',
        data: { paymentId: `pay-${petitionId}`, payableId, amountCents: 2_500, occurredAt: system.now().toISOString() },
      },
      null,
      2,
    )}\n`;
    const answer = await system.api('POST', '/v1/payments/processor-webhook', pretty, {
      'x-sandbox-signature': signSandboxWebhook(pretty, RecertSystem.webhookSecret, system.now()),
    });
    expect(answer).toMatchObject({ status: 200, body: { outcome: 'settled' } });
    expect((await system.api('GET', `/v1/payables/${encodeURIComponent(payableId)}`)).body).toMatchObject({
      status: 'paid',
      paidPaymentId: `pay-${petitionId}`,
    });
  });

  it('issue 13: an upstream caller cannot state a payment: payment-succeeded over ingestion is refused, pointing at the webhook, and the payable stays open (R6, R10)', async () => {
    const trainerId = `NP-${RecertSystem.id().slice(0, 8)}`.toUpperCase();
    const petitionId = RecertSystem.id();
    await system.api('POST', '/v1/events/course-petition-submitted', {
      petitionId,
      trainerId,
      courseTitle: 'Balance workshop',
      providerName: 'Local Gym Academy',
      completedOn: '2026-04-01',
      contactHours: '2',
      certificateRef: `s3://recert-petitions/${petitionId}.pdf`,
    });
    const payableId = `petition-fee:${petitionId}`;
    await waitFor(
      () => system.api('GET', `/v1/payables/${encodeURIComponent(payableId)}`),
      (r) => r.status === 200 && r.body.status === 'open',
      { what: 'the open petition fee' },
    );
    const payment = {
      processorEventId: `evt-forged-${petitionId}`,
      paymentId: `pay-forged-${petitionId}`,
      payableId,
      amountCents: 2_500,
      occurredAt: system.now().toISOString(),
    };
    for (const event of ['payment-succeeded', 'payment-failed', 'payment-refunded']) {
      const answer = await system.api(
        'POST',
        `/v1/events/${event}`,
        { ...payment, ...(event === 'payment-failed' ? { reason: 'declined' } : {}) },
        { authorization: `Bearer ${RecertSystem.tokens.upstream}` },
      );
      expect(answer).toMatchObject({
        status: 403,
        body: { message: expect.stringContaining('POST /v1/payments/processor-webhook') },
      });
    }
    // Given time to arrive had anything been queued, the item is still open and its trail empty.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await system.api('GET', `/v1/payables/${encodeURIComponent(payableId)}`)).body).toMatchObject({
      status: 'open',
      processorEvents: [],
    });
  });

  it("serves one OpenAPI document: ingestion per upstream event and every service's routes under /v1", async () => {
    const { status, body } = await system.api('GET', '/docs-json');
    expect(status).toBe(200);
    const paths = Object.keys(body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/events/course-completed',
        '/v1/trainers/{trainerId}',
        '/v1/trainers/{trainerId}/ledger',
        '/v1/trainers/{trainerId}/what-if',
        '/v1/applications/{applicationId}',
        '/v1/petitions/{petitionId}/approve',
        '/v1/audits',
        '/v1/payables/{payableId}',
        '/v1/payments/processor-webhook',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('/v1/health'))).toEqual([]);
    // Issue 13: the processor's facts come signed through its webhook, not through ingestion.
    expect(paths.filter((p) => /^\/v1\/events\/payment-/.test(p))).toEqual([]);
    expect(
      body.paths['/v1/events/course-completed'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(expect.arrayContaining(['completionId', 'trainerId', 'completedOn']));
  });
  it('lets each caller do what its role allows on every route group: 401 without a known token, 403 outside its role', async () => {
    const { upstream, reviewer, ops } = RecertSystem.tokens;
    const as = (token: string | null, method: 'GET' | 'POST', path: string, body?: unknown) =>
      system.api(method, path, body, { authorization: token ? `Bearer ${token}` : '' }).then((r) => r.status);
    const someone = RecertSystem.id();

    // Nobody known: 401 everywhere but the public routes.
    expect(await as(null, 'GET', '/v1/applications')).toBe(401);
    expect(await as('not-a-token-of-this-system', 'GET', '/v1/applications')).toBe(401);
    expect(await as(null, 'POST', '/v1/events/course-completed', {})).toBe(401);
    expect(await as(null, 'POST', `/v1/petitions/${someone}/review`)).toBe(401);
    expect(await as(null, 'GET', '/ops/queues')).toBe(401);
    expect(await as(null, 'POST', '/v1/clock/advance', { days: 1 })).toBe(401);
    for (const open of ['/health/live', '/docs-json']) expect(await as(null, 'GET', open)).toBe(200);
    // The processor's webhook is proven by its signature instead (refused here for the missing one).
    expect(await as(null, 'POST', '/v1/payments/processor-webhook', {})).toBe(401);

    // Upstream systems send events, and nothing else.
    expect(await as(upstream, 'POST', '/v1/events/course-completed', {})).toBe(400);
    expect(await as(upstream, 'GET', '/v1/applications')).toBe(403);
    expect(await as(upstream, 'POST', `/v1/petitions/${someone}/review`)).toBe(403);

    // Reviewers decide petitions and audits, and read their queues.
    expect(await as(reviewer, 'POST', `/v1/petitions/${someone}/review`)).toBe(404);
    expect(await as(reviewer, 'POST', `/v1/audits/${someone}/documents/d1/reject`, { reason: 'x' })).toBe(404);
    expect(await as(reviewer, 'GET', '/v1/petitions')).toBe(200);
    expect(await as(reviewer, 'GET', '/v1/audits')).toBe(200);
    expect(await as(reviewer, 'GET', '/v1/payments/totals')).toBe(403);
    expect(await as(reviewer, 'POST', '/v1/events/course-completed', {})).toBe(403);

    // Ops read everything, watch the queues and move time; they decide nothing.
    expect(await as(ops, 'GET', '/v1/applications')).toBe(200);
    expect(await as(ops, 'GET', '/v1/payments/totals')).toBe(200);
    expect(await as(ops, 'GET', '/v1/petitions')).toBe(200);
    expect(await as(ops, 'GET', '/ops/queues')).toBe(200);
    expect(await as(ops, 'POST', `/v1/petitions/${someone}/review`)).toBe(403);
    expect(await as(ops, 'POST', '/v1/events/course-completed', {})).toBe(403);
    expect(await as(reviewer, 'POST', '/v1/clock/advance', { days: 1 })).toBe(403);

    // A service reached directly, past the gateway, refuses the same requests.
    expect(await system.direct('applications', '/applications')).toBe(401);
    expect(await system.direct('payments', '/payments/totals', { authorization: `Bearer ${reviewer}` })).toBe(403);
    expect(await system.direct('payments', '/payments/totals', { authorization: `Bearer ${ops}` })).toBe(200);
  });

  it('shows the deadline queues to ops in Bull Board', async () => {
    const page = await system.api('GET', '/ops/queues');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
    const { status, body } = await system.api('GET', '/ops/queues/api/queues');
    expect(status).toBe(200);
    expect(body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'deadlines-applications',
      'deadlines-audits',
      'deadlines-ceu-verification',
    ]);
  });

  it('shows ops a dashboard page that refreshes by itself (headless Chromium; screenshot in .local/test-artifacts)', async () => {
    const browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      // Background networking is off: this machine's closed network refuses Chromium's own calls.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await page.addInitScript((token) => sessionStorage.setItem('recert-token', token), RecertSystem.tokens.ops);
      await page.goto(`${await system.gatewayUrl()}/ops?every=1`);
      await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
      // Every state is listed with its count, as the API gives it.
      const { body: counts } = await system.api('GET', '/v1/applications/counts');
      const shown = await page.locator('#applications').innerText();
      for (const [state, n] of Object.entries(counts)) expect(shown).toMatch(new RegExp(`${state}\\s+${n}`));
      expect(await page.locator('#payments .big').innerText()).toMatch(
        /^\$\d[\d,]*\.\d{2} collected, \d+ to refund, \d+ petition refunds flagged$/,
      );
      for (const section of ['#audits', '#petitions', '#deadlines', '#dead-letters'])
        expect(await page.locator(section).innerText()).not.toMatch(/unavailable/);
      // It refreshes by itself.
      await page.waitForFunction('Number(document.body.dataset.refreshes) >= 2', undefined, { timeout: 20_000 });
      const artifacts = join(__dirname, '..', '..', '..', '.local', 'test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'ops-dashboard.png'), fullPage: true });

      // A reviewer's token is refused: the page asks for another, and shows nothing.
      const refused = await browser.newPage();
      await refused.addInitScript(
        (token) => sessionStorage.setItem('recert-token', token),
        RecertSystem.tokens.reviewer,
      );
      await refused.goto(`${await system.gatewayUrl()}/ops`);
      await refused.waitForSelector('#login:not([hidden])');
      expect(await refused.locator('#status').innerText()).toMatch(/refused \(403\)/);
      expect(await refused.locator('#board').isHidden()).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('advancing the clock 400 days fires every deadline of a cycle once, at its due time, in due order (R4, R8, R9)', async () => {
    // The clock started at 2026-11-20 (and earlier tests of this file did not move it): expiry in 20 days.
    const trainerId = `TT-${RecertSystem.id().slice(0, 8)}`.toUpperCase();
    await system.api('POST', '/v1/events/trainer-certified', {
      trainerId,
      credentialId: `CPT-${trainerId}`,
      certifiedOn: '2024-12-10',
      expiresOn: '2026-12-10',
    });
    await waitFor(
      () =>
        system.query('applications', `SELECT 1 FROM schema.deadlines WHERE payload->>'trainerId' = $1`, [trainerId]),
      (rows) => rows.length > 0,
      { what: 'the cycle deadlines' },
    );

    const moved = await system.advanceDays(400);
    expect(moved.fired).toBeGreaterThanOrEqual(6);

    const deadlines = await system.query<{
      kind: string;
      due_at: Date;
      fired_at: Date;
      status: string;
      outcome: string;
    }>(
      'applications',
      `SELECT kind, due_at, fired_at, status, outcome FROM schema.deadlines WHERE payload->>'trainerId' = $1 ORDER BY due_at, kind`,
      [trainerId],
    );
    // Reminders 7 and 0 days before expiry (90, 60 and 30 were already past), 30 days after; then the windows.
    expect(deadlines.map((d) => `${d.kind}: ${d.outcome}`)).toEqual([
      'expiry-reminder: reminded: 7 days before expiry',
      'expiry-reminder: reminded: 0 days before expiry',
      'expiration: expired',
      'expiry-reminder: reminded: -30 days before expiry',
      'late-window-end: late window closed',
      'final-window-end: lapsed',
    ]);
    // Each fired at its due instant (the clock stopped there; it runs on by the milliseconds real time takes), in due order.
    for (const d of deadlines) {
      const late = new Date(d.fired_at).getTime() - new Date(d.due_at).getTime();
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(60_000);
    }
    expect(deadlines.map((d) => new Date(d.due_at).toISOString().slice(0, 10)).slice(2)).toEqual([
      '2026-12-11', // expiration: the day after the last day
      '2027-01-09', // 30 days after expiry
      '2027-03-11', // the late window's end (day 91)
      '2027-12-11', // the final window's end (a year and a day)
    ]);
    const events = await waitFor(
      () =>
        system.query<{ type: string }>(
          'applications',
          `SELECT event_type AS type FROM schema.outbox WHERE message_key = $1 AND event_type <> 'CycleStarted' ORDER BY id`,
          [trainerId],
        ),
      (rows) => rows.length === 6,
      { what: 'the deadline events' },
    );
    expect(events.map((e) => e.type)).toEqual([
      'RecertificationReminderDue',
      'RecertificationReminderDue',
      'CredentialExpired',
      'RecertificationReminderDue',
      'LateWindowClosed',
      'CredentialLapsed',
    ]);
    const { body: trainer } = await system.api('GET', `/v1/trainers/${trainerId}`);
    expect(trainer.status).toBe('lapsed');
    // R7: the waiver's end fired in CEU verification, on the 61st day after the orders were lifted.
    const [waiver] = await system.query<{ status: string; due_at: Date }>(
      'ceu-verification',
      `SELECT status, due_at FROM schema.deadlines WHERE kind = 'waiver-end'`,
    );
    expect(waiver.status).toBe('fired');
    expect(new Date(waiver.due_at).toISOString().slice(0, 10)).toBe('2027-01-30');
    expect(
      await system.query('ceu-verification', `SELECT 1 FROM schema.outbox WHERE event_type = 'CprAedWaiverEnded'`),
    ).toHaveLength(1);
    // Time moved for every service, in step.
    const { body: after } = await system.api('GET', '/v1/clock');
    for (const service of Object.values(after.services) as { now: string }[])
      expect(Date.parse(service.now)).toBeGreaterThanOrEqual(Date.parse(moved.now));
  });
});

describe('random audit end to end (every application selected)', () => {
  let system: RecertSystem;

  beforeAll(async () => {
    system = await RecertSystem.start({ auditRatePpm: 1_000_000, env: { CLOCK_START_AT: RECEIVED_AT } });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  async function selectedApplication(trainer: TrainerStory): Promise<{ applicationId: string; completions: string[] }> {
    await trainer.certified('2024-12-31', '2026-12-31');
    const completions = await trainer.qualifies('2026-12-31');
    await trainer.ledgerReached(190);
    const applicationId = await trainer.applies('2026-11-20T10:00:00Z');
    await trainer.pays(applicationId, 9_900);
    const waiting = await waitFor(
      () => system.applicationOnceIn(applicationId, ['submitted', 'approved', 'denied']),
      (row) => row.fee_paid && row.audit_state === 'awaiting-documents',
      { what: 'the application to wait for its audit' },
    );
    expect(waiting.status).toBe('submitted');
    return { applicationId, completions };
  }

  it('R11: a selected application waits for its audit: under review once every document is in, approved once a reviewer passes it', async () => {
    const trainer = new TrainerStory(system);
    const { applicationId, completions } = await selectedApplication(trainer);
    const [draw] = await system.query<{
      seed: string;
      draw_value: number;
      selected: boolean;
      documentation_due_on: string;
    }>(
      'audits',
      `SELECT seed, draw_value, selected, documentation_due_on FROM schema.audits WHERE application_id = $1`,
      [applicationId],
    );
    expect(draw).toMatchObject({ selected: true, seed: expect.stringMatching(/^[0-9a-f]{32}$/) });

    await trainer.uploads(applicationId, 'course-certificate', completions[0]);
    await trainer.uploads(applicationId, 'cpr-aed-card-front');
    await trainer.uploads(applicationId, 'cpr-aed-card-back');
    // R11 (clarified): the last document puts the audit under review; only a reviewer passes it.
    const audit = () => system.api('GET', `/v1/audits/${applicationId}`);
    await waitFor(audit, (r) => r.body.status === 'under-review', { what: 'the audit under review' });
    expect((await system.applicationOnceIn(applicationId, ['submitted'])).status).toBe('submitted');
    for (const kind of ['course-certificate', 'cpr-aed-card-front', 'cpr-aed-card-back'] as const) {
      const documentId = trainer.documentId(
        applicationId,
        kind,
        kind === 'course-certificate' ? completions[0] : undefined,
      );
      const accepted = await system.api('POST', `/v1/audits/${applicationId}/documents/${documentId}/accept`, {});
      expect(accepted.status).toBe(200);
    }
    expect((await system.api('POST', `/v1/audits/${applicationId}/pass`, {})).status).toBe(200);
    const approved = await system.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved).toMatchObject({ status: 'approved', audit_state: 'passed' });
  });

  it('R11: a reviewer rejects an illegible document; the audit waits for a good one, then a reviewer passes it', async () => {
    const trainer = new TrainerStory(system);
    const { applicationId, completions } = await selectedApplication(trainer);
    await trainer.uploads(applicationId, 'course-certificate', completions[0]);
    await trainer.uploads(applicationId, 'cpr-aed-card-front');
    const front = trainer.documentId(applicationId, 'cpr-aed-card-front');
    const audit = () => system.api('GET', `/v1/audits/${applicationId}`);
    await waitFor(audit, (r) => r.body.documents?.length === 2, { what: 'two documents on record' });

    const reject = (documentId: string, body: unknown) =>
      system.api('POST', `/v1/audits/${applicationId}/documents/${documentId}/reject`, body);
    expect((await reject(front, { reason: ' ' })).status).toBe(400);
    expect((await reject('no-such-document', { reason: 'illegible' })).status).toBe(404);
    expect(await reject(front, { reason: 'illegible photo' })).toMatchObject({
      status: 200,
      body: { review: 'rejected', status: 'awaiting-documents' },
    });

    await trainer.uploads(applicationId, 'cpr-aed-card-back');
    const waiting = await waitFor(audit, (r) => r.body.documents?.length === 3, { what: 'the card back' });
    expect(waiting.body).toMatchObject({ status: 'awaiting-documents', daysLeft: expect.any(Number) });
    expect(waiting.body.documents.find((d: { documentId: string }) => d.documentId === front).review).toMatchObject({
      state: 'rejected',
      reason: 'illegible photo',
      by: { name: 'e2e' },
    });

    await trainer.uploads(applicationId, 'cpr-aed-card-front', undefined, 2);
    await waitFor(audit, (r) => r.body.status === 'under-review', { what: 'the audit under review again' });
    const accept = (documentId: string) =>
      system.api('POST', `/v1/audits/${applicationId}/documents/${documentId}/accept`, {});
    for (const documentId of [
      trainer.documentId(applicationId, 'course-certificate', completions[0]),
      trainer.documentId(applicationId, 'cpr-aed-card-front', undefined, 2),
      trainer.documentId(applicationId, 'cpr-aed-card-back'),
    ])
      expect((await accept(documentId)).status).toBe(200);
    expect((await system.api('POST', `/v1/audits/${applicationId}/pass`, {})).status).toBe(200);
    const approved = await system.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(approved).toMatchObject({ status: 'approved', audit_state: 'passed' });
    expect((await reject(front, { reason: 'too late' })).status).toBe(409);
  });

  it('R11: documents still missing after the 30-day window fail the audit, and the application is denied naming R11', async () => {
    const trainer = new TrainerStory(system);
    const { applicationId } = await selectedApplication(trainer);
    await trainer.uploads(applicationId, 'cpr-aed-card-front');
    // The audit's deadline fires by itself the day after its 30th day (issue 5).
    expect((await system.advanceDays(31)).fired).toBeGreaterThan(0);
    const denied = await system.applicationOnceIn(applicationId, ['approved', 'denied']);
    expect(denied).toMatchObject({ status: 'denied', audit_state: 'failed' });
    expect(denied.decision?.failedRules).toEqual(['R11']);
    const [audit] = await system.query<{ status: string }>(
      'audits',
      `SELECT status FROM schema.audits WHERE application_id = $1`,
      [applicationId],
    );
    expect(audit.status).toBe('failed');
  });
});
