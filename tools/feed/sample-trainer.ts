import { randomUUID } from 'node:crypto';
import {
  ApplicationDecided,
  ApplicationRefused,
  ApprovedCourseRegistered,
  AuditDocumentUploaded,
  AuditDrawn,
  CeuLedgerChanged,
  CoursePetitionSubmitted,
  CourseCompleted,
  CprAedCardIssued,
  EventDefinition,
  PayloadInputOf,
  PaymentSucceeded,
  RecertificationApplicationSubmitted,
  Topics,
  TrainerCertified,
} from '@recert/contracts';
import { devApiToken } from '../dev-api-token';
import { UpstreamPublisher } from '../upstream-publisher';

/**
 * Plays the upstream systems for one sample trainer's two years against the running system
 * (`npm start`) and prints what the system decided, rule by rule:
 *
 *   npm run feed
 *
 * certified → two courses (NASM's own and an approved provider's) → a petition for a workshop,
 * its $25 fee paid and approved by staff over HTTP → a CPR/AED card → the application and its
 * $99 fee → audit documents (used only if the draw selects the application) → the decision.
 */
// Staff decisions go through the public API with a reviewer's token (npm start writes a dev one).
const api = process.env['RECERT_API_URL'] ?? 'http://127.0.0.1:3000/v1';
const token = devApiToken();
const run = randomUUID().slice(0, 6).toUpperCase();
const trainerId = `SAMPLE-${run}`;
const upstream = new UpstreamPublisher(`feed-${run}`);
const kafka = upstream.kafka;

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

async function main(): Promise<void> {
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
  console.log(`Trainer ${trainerId}: certified 2024-12-31, expires 2026-12-31\n`);

  await publish(TrainerCertified, {
    trainerId,
    credentialId: `CPT-${run}`,
    certifiedOn: '2024-12-31',
    expiresOn: '2026-12-31',
  });
  await publish(ApprovedCourseRegistered, {
    providerId: 'NASM',
    courseId: `CES-${run}`,
    title: 'Corrective Exercise Specialist',
    ceuHundredths: 100,
    approvedFrom: '2024-01-01',
    approvedUntil: '2027-12-31',
    nasmOwn: true,
  });
  await publish(ApprovedCourseRegistered, {
    providerId: 'ACE',
    courseId: `NUT-${run}`,
    title: 'Nutrition Coaching',
    ceuHundredths: 60,
    approvedFrom: '2024-01-01',
    approvedUntil: '2027-12-31',
  });
  await publish(CourseCompleted, {
    completionId: `${run}-1`,
    trainerId,
    providerId: 'NASM',
    courseId: `CES-${run}`,
    completedOn: '2025-05-10',
  });
  await publish(CourseCompleted, {
    completionId: `${run}-2`,
    trainerId,
    providerId: 'ACE',
    courseId: `NUT-${run}`,
    completedOn: '2026-02-14',
  });

  const petitionId = randomUUID();
  await publish(CoursePetitionSubmitted, {
    petitionId,
    trainerId,
    courseTitle: 'Kettlebell workshop',
    providerName: 'Local Gym Academy',
    completedOn: '2026-04-01',
    contactHours: '3',
    certificateRef: `s3://petitions/${petitionId}.pdf`,
  });
  await publish(PaymentSucceeded, {
    processorEventId: `evt-${petitionId}`,
    paymentId: `pay-${petitionId}`,
    payableId: `petition-fee:${petitionId}`,
    amountCents: 2_500,
    occurredAt: new Date().toISOString(),
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
    issuedOn: '2025-09-01',
    expiresOn: '2027-09-01',
    includesAdultCpr: true,
    includesAed: true,
    handsOnSkillsAssessment: true,
  });
  await until('the CEU ledger to reach 1.9', () =>
    seen.some((e) => e.type === CeuLedgerChanged.type && (e.payload['totalCeuHundredths'] as number) >= 190),
  );
  await new Promise((r) => setTimeout(r, 1_000));

  const applicationId = randomUUID();
  await publish(RecertificationApplicationSubmitted, { applicationId, trainerId, submittedAt: '2026-11-20T10:00:00Z' });
  await publish(PaymentSucceeded, {
    processorEventId: `evt-${applicationId}`,
    paymentId: `pay-${applicationId}`,
    payableId: `application-fee:${applicationId}`,
    amountCents: 9_900,
    occurredAt: new Date().toISOString(),
  });
  const documents = [
    ['course-certificate', `${run}-1`],
    ['course-certificate', `${run}-2`],
    ['course-certificate', petitionId],
    ['cpr-aed-card-front', undefined],
    ['cpr-aed-card-back', undefined],
  ] as const;
  for (const [kind, completionId] of documents) {
    await publish(AuditDocumentUploaded, {
      documentId: `${applicationId}-${kind}-${completionId ?? ''}`,
      trainerId,
      applicationId,
      kind,
      completionId,
      storageRef: `s3://audit/${applicationId}/${kind}`,
      uploadedAt: new Date().toISOString(),
    });
  }
  // R11: only a reviewer passes an audit: each document accepted, then the audit passed.
  await until('the audit draw', () => seen.some((e) => e.type === AuditDrawn.type));
  if (seen.find((e) => e.type === AuditDrawn.type)?.payload['selected']) {
    for (const [kind, completionId] of documents)
      await staff(`/audits/${applicationId}/documents/${applicationId}-${kind}-${completionId ?? ''}/accept`, {
        note: 'legible',
      });
    await staff(`/audits/${applicationId}/pass`, { note: 'every document accepted' });
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
