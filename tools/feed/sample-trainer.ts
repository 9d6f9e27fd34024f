import { randomUUID } from 'node:crypto';
import {
  ApplicationDecided,
  ApplicationRefused,
  ApplicationSubmitted,
  ApprovedCourseRegistered,
  AuditDocumentUploaded,
  AuditDrawn,
  CeuLedgerChanged,
  CoursePetitionSubmitted,
  CourseCompleted,
  CprAedCardIssued,
  EventDefinition,
  KAFKA_ADMIN,
  PayloadInputOf,
  PaymentSucceeded,
  RecertificationApplicationSubmitted,
  Topics,
  TrainerCertified,
} from '@recert/contracts';
import { devApiToken } from '../dev-api-token';
import { kafkaAs } from '../kafka-clients';
import { UpstreamPublisher } from '../upstream-publisher';

/**
 * Plays the upstream systems for one sample trainer's two years against the running system
 * (`npm start`) and prints what the system decided, rule by rule:
 *
 *   npm run feed
 *
 * certified → two courses (NASM's own and an approved provider's) → a petition for a workshop,
 * its $25 fee paid and approved by staff over HTTP → a CPR/AED card → the application, received
 * 40 days before expiry → the fee the system asks for ($99, R10) → audit documents if the draw
 * selects the application → the decision.
 *
 * "Received" is the system's instant (R9, R10), so the trainer's dates are laid out around the
 * system's day (GET /v1/clock: the controllable clock may be anywhere), not this machine's.
 */
// Staff decisions go through the public API with a reviewer's token (npm start writes a dev one).
const api = process.env['RECERT_API_URL'] ?? 'http://127.0.0.1:3000/v1';
const token = devApiToken();
const run = randomUUID().slice(0, 6).toUpperCase();
const trainerId = `SAMPLE-${run}`;
// Each event as the upstream system that owns its topic; the system's own events watched as admin.
const upstream = new UpstreamPublisher(`feed-${run}`);
const kafka = kafkaAs(KAFKA_ADMIN, `feed-${run}-watch`);

async function publish<D extends EventDefinition>(definition: D, payload: PayloadInputOf<D>): Promise<void> {
  await upstream.publish(definition, [payload]);
  console.log(`→ ${definition.topic.name.padEnd(28)} ${definition.type}`);
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function staff(path: string, body?: unknown): Promise<void> {
  for (;;) {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.ok) return console.log(`→ staff: POST ${path}`);
    // The petition's fee may still be on its way through payments: a 409 says so, try again.
    if (response.status !== 409 && response.status !== 404)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The system's clock: the controllable one's reading, or this machine's when the system runs on it. */
async function systemClock(): Promise<Date> {
  const response = await fetch(`${api}/clock`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status === 404) return new Date(); // CLOCK_MODE=system: the services read this machine's clock
  if (!response.ok) throw new Error(`GET /clock: ${response.status} ${await response.text()}`);
  return new Date(((await response.json()) as { now: string }).now);
}

/** 'YYYY-MM-DD' plus `days` (calendar arithmetic through UTC). */
function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function main(): Promise<void> {
  const clockAt = await systemClock();
  const offsetMs = clockAt.getTime() - performance.timeOrigin - performance.now();
  const systemNow = () => new Date(performance.timeOrigin + performance.now() + offsetMs).toISOString();
  const today = clockAt.toISOString().slice(0, 10);
  const expiresOn = addDays(today, 40);
  const certifiedOn = addDays(expiresOn, -730);

  const seen: { type: string; payload: Record<string, unknown> }[] = [];
  const consumer = kafka.consumer({ groupId: `feed-${run}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [Topics.ceuEvents.name, Topics.applicationEvents.name, Topics.auditEvents.name] });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const envelope = JSON.parse(message.value?.toString() ?? '{}');
      if (envelope.payload?.trainerId === trainerId) seen.push(envelope);
    },
  });
  await new Promise((r) => setTimeout(r, 3_000));
  console.log(`Trainer ${trainerId}: certified ${certifiedOn}, expires ${expiresOn}; the system's day is ${today}\n`);

  await publish(TrainerCertified, { trainerId, credentialId: `CPT-${run}`, certifiedOn, expiresOn });
  await publish(ApprovedCourseRegistered, {
    providerId: 'NASM',
    courseId: `CES-${run}`,
    title: 'Corrective Exercise Specialist',
    ceuHundredths: 100,
    approvedFrom: addDays(certifiedOn, -365),
    approvedUntil: addDays(expiresOn, 365),
    nasmOwn: true,
  });
  await publish(ApprovedCourseRegistered, {
    providerId: 'ACE',
    courseId: `NUT-${run}`,
    title: 'Nutrition Coaching',
    ceuHundredths: 60,
    approvedFrom: addDays(certifiedOn, -365),
    approvedUntil: addDays(expiresOn, 365),
  });
  await publish(CourseCompleted, {
    completionId: `${run}-1`,
    trainerId,
    providerId: 'NASM',
    courseId: `CES-${run}`,
    completedOn: addDays(expiresOn, -600),
  });
  await publish(CourseCompleted, {
    completionId: `${run}-2`,
    trainerId,
    providerId: 'ACE',
    courseId: `NUT-${run}`,
    completedOn: addDays(expiresOn, -300),
  });

  const petitionId = randomUUID();
  await publish(CoursePetitionSubmitted, {
    petitionId,
    trainerId,
    courseTitle: 'Kettlebell workshop',
    providerName: 'Local Gym Academy',
    completedOn: addDays(expiresOn, -200),
    contactHours: '3',
    certificateRef: `s3://petitions/${petitionId}.pdf`,
  });
  await publish(PaymentSucceeded, {
    processorEventId: `evt-${petitionId}`,
    paymentId: `pay-${petitionId}`,
    payableId: `petition-fee:${petitionId}`,
    amountCents: 2_500,
    occurredAt: systemNow(),
  });
  await staff(`/petitions/${petitionId}/review`);
  await staff(`/petitions/${petitionId}/approve`, {
    ceuGranted: '0.3',
    reason: 'kettlebell technique, 3 contact hours',
  });

  await publish(CprAedCardIssued, {
    cardId: `CPR-${run}`,
    trainerId,
    providerId: 'RED-CROSS',
    issuedOn: addDays(today, -90),
    expiresOn: addDays(today, 640),
    includesAdultCpr: true,
    includesAed: true,
    handsOnSkillsAssessment: true,
  });
  await until('the CEU ledger to reach 1.9', () =>
    seen.some((e) => e.type === CeuLedgerChanged.type && (e.payload['totalCeuHundredths'] as number) >= 190),
  );
  await new Promise((r) => setTimeout(r, 1_000));

  const applicationId = randomUUID();
  await publish(RecertificationApplicationSubmitted, {
    applicationId,
    trainerId,
    credentialId: `CPT-${run}`,
    submittedAt: systemNow(),
  });
  // Received, then judged on the ledger as it stood at receipt: submitted (a fee asked) or refused.
  const answered = () =>
    seen.find(
      (e) =>
        e.payload['applicationId'] === applicationId &&
        (e.type === ApplicationSubmitted.type || e.type === ApplicationRefused.type),
    );
  await until('the application to be judged at receipt', () => answered() !== undefined);
  const submitted = answered();
  if (submitted?.type === ApplicationSubmitted.type) {
    const asked = submitted.payload as { fee: { totalCents: number }; countedCreditIds: string[] };
    console.log(`  the system asks for ${asked.fee.totalCents} cents (R10, fixed at receipt)`);
    await publish(PaymentSucceeded, {
      processorEventId: `evt-${applicationId}`,
      paymentId: `pay-${applicationId}`,
      payableId: `application-fee:${applicationId}`,
      amountCents: asked.fee.totalCents,
      occurredAt: systemNow(),
    });
    await until('the audit draw', () =>
      seen.some((e) => e.type === AuditDrawn.type && e.payload['applicationId'] === applicationId),
    );
    const drawn = seen.find((e) => e.type === AuditDrawn.type && e.payload['applicationId'] === applicationId);
    const documents: ['course-certificate' | 'cpr-aed-card-front' | 'cpr-aed-card-back', string | undefined][] = [
      ...asked.countedCreditIds.map((id): ['course-certificate', string] => ['course-certificate', id]),
      ['cpr-aed-card-front', undefined],
      ['cpr-aed-card-back', undefined],
    ];
    for (const [kind, completionId] of drawn?.payload['selected'] ? documents : []) {
      await publish(AuditDocumentUploaded, {
        documentId: `${applicationId}-${kind}-${completionId ?? ''}`,
        trainerId,
        applicationId,
        kind,
        completionId,
        storageRef: `s3://audit/${applicationId}/${kind}`,
        uploadedAt: systemNow(),
      });
    }
    // R11: only a reviewer passes an audit: each document accepted, then the audit passed.
    if (drawn?.payload['selected']) {
      for (const [kind, completionId] of documents)
        await staff(`/audits/${applicationId}/documents/${applicationId}-${kind}-${completionId ?? ''}/accept`, {
          note: 'legible',
        });
      await staff(`/audits/${applicationId}/pass`, { note: 'every document accepted' });
    }
  }
  await until('the decision', () =>
    seen.some((e) => e.type === ApplicationDecided.type || e.type === ApplicationRefused.type),
  );

  const draw = seen.find((e) => e.type === AuditDrawn.type)?.payload;
  if (draw)
    console.log(
      `\nAudit draw (R11): value ${draw['value']} against ${draw['ratePpm']} ppm → ${draw['selected'] ? 'selected' : 'not selected'}`,
    );
  const decision = seen.find((e) => e.type === ApplicationDecided.type || e.type === ApplicationRefused.type);
  console.log(`\n${decision?.type}:`);
  console.log(JSON.stringify(decision?.payload, null, 2));
  await consumer.disconnect();
  await upstream.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
