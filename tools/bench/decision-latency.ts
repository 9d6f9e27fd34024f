import { randomUUID } from 'node:crypto';
import {
  ApplicationDecided,
  ApprovedCourseRegistered,
  AuditDocumentUploaded,
  CeuLedgerChanged,
  CourseCompleted,
  CprAedCardIssued,
  PaymentSucceeded,
  RecertificationApplicationSubmitted,
  Topics,
  TrainerCertified,
} from '@recert/contracts';
import { UpstreamPublisher } from '../upstream-publisher';

/**
 * Submission-to-decision latency of the running system (`npm start`), measured from outside as
 * upstream sees it: N trainers are certified and qualify (1.9 CEUs, a current card), then all N
 * apply and pay at once; the clock stops when each ApplicationDecided appears on Kafka.
 *
 *   npm run bench:decisions -- 1000
 *
 * Audit documents are sent for every application up front, so a selected audit passes at once
 * and the figure is the pipeline's, not a trainer's upload delay.
 */
const count = Number(process.argv[2] ?? 1000);
const run = randomUUID().slice(0, 8);
const upstream = new UpstreamPublisher(`bench-${run}`);
const kafka = upstream.kafka;
const publish = upstream.publish.bind(upstream);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const trainers = Array.from({ length: count }, (_, i) => `B${run}-${i}`);
  const course = `BENCH-${run}`;
  const applications = trainers.map((trainerId) => ({ trainerId, applicationId: randomUUID() }));
  const ours = new Set(applications.map((a) => a.applicationId));
  const ourTrainers = new Set(trainers);
  const ledgersReady = new Set<string>();
  const decided = new Map<string, { at: number; outcome: string }>();
  const consumer = kafka.consumer({ groupId: `bench-${run}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [Topics.ceuEvents.name, Topics.applicationEvents.name], fromBeginning: false });
  await consumer.run({
    partitionsConsumedConcurrently: 12,
    eachMessage: async ({ message }) => {
      const envelope = JSON.parse(message.value?.toString() ?? '{}');
      if (
        envelope.type === CeuLedgerChanged.type &&
        envelope.payload.totalCeuHundredths >= 190 &&
        envelope.payload.cprAedCards.length
      ) {
        ledgersReady.add(envelope.payload.trainerId);
      }
      if (envelope.type === ApplicationDecided.type && ours.has(envelope.payload.applicationId)) {
        decided.set(envelope.payload.applicationId, { at: performance.now(), outcome: envelope.payload.outcome });
      }
    },
  });
  await new Promise((r) => setTimeout(r, 3_000)); // the group joins before anything is published

  const setupStarted = performance.now();
  await publish(ApprovedCourseRegistered, [
    {
      providerId: 'ACE',
      courseId: course,
      title: 'Bench course',
      ceuHundredths: 190,
      approvedFrom: '2020-01-01',
      approvedUntil: '2030-12-31',
    },
  ]);
  await publish(
    TrainerCertified,
    trainers.map((trainerId) => ({
      trainerId,
      credentialId: `C-${trainerId}`,
      certifiedOn: '2024-12-31',
      expiresOn: '2026-12-31',
    })),
  );
  await publish(
    CourseCompleted,
    trainers.map((trainerId) => ({
      completionId: `${trainerId}-c`,
      trainerId,
      providerId: 'ACE',
      courseId: course,
      completedOn: '2026-03-01',
    })),
  );
  await publish(
    CprAedCardIssued,
    trainers.map((trainerId) => ({
      cardId: `${trainerId}-cpr`,
      trainerId,
      providerId: 'RC',
      issuedOn: '2025-06-01',
      expiresOn: '2027-12-31',
      includesAdultCpr: true,
      includesAed: true,
      handsOnSkillsAssessment: true,
    })),
  );
  while (ledgersReady.size < count) await new Promise((r) => setTimeout(r, 100));
  // The applications service must hold each ledger too before the trainers apply.
  await new Promise((r) => setTimeout(r, 2_000));
  console.log(
    `setup: ${count} trainers certified and qualified in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
  );

  await publish(
    AuditDocumentUploaded,
    applications.flatMap(({ trainerId, applicationId }) =>
      (['course-certificate', 'cpr-aed-card-front', 'cpr-aed-card-back'] as const).map((kind) => ({
        documentId: `${applicationId}-${kind}`,
        trainerId,
        applicationId,
        kind,
        completionId: kind === 'course-certificate' ? `${trainerId}-c` : undefined,
        storageRef: `bench/${applicationId}/${kind}`,
        uploadedAt: '2026-11-20T10:00:00Z',
      })),
    ),
  );
  const submittedAt = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < applications.length; i += 500) {
    const batch = applications.slice(i, i + 500);
    await publish(
      RecertificationApplicationSubmitted,
      batch.map(({ trainerId, applicationId }) => ({ applicationId, trainerId, submittedAt: '2026-11-20T10:00:00Z' })),
    );
    const now = performance.now();
    batch.forEach(({ applicationId }) => submittedAt.set(applicationId, now));
    await publish(
      PaymentSucceeded,
      batch.map(({ applicationId }) => ({
        processorEventId: `evt-${applicationId}`,
        paymentId: `pay-${applicationId}`,
        payableId: `application-fee:${applicationId}`,
        amountCents: 9_900,
        occurredAt: '2026-11-20T10:01:00Z',
      })),
    );
  }
  const deadline = performance.now() + 600_000;
  while (decided.size < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const elapsed = (performance.now() - started) / 1000;
  const latencies = applications
    .map(({ applicationId }) => (decided.get(applicationId)?.at ?? NaN) - (submittedAt.get(applicationId) ?? NaN))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const approved = [...decided.values()].filter((d) => d.outcome === 'approved').length;
  console.log(
    JSON.stringify(
      {
        applications: count,
        decided: latencies.length,
        approved,
        seconds: Number(elapsed.toFixed(2)),
        decisionsPerSecond: Number((latencies.length / elapsed).toFixed(1)),
        latencyMs: {
          p50: Math.round(percentile(latencies, 50)),
          p95: Math.round(percentile(latencies, 95)),
          p99: Math.round(percentile(latencies, 99)),
          max: Math.round(latencies[latencies.length - 1]),
        },
      },
      null,
      2,
    ),
  );
  await consumer.disconnect();
  await upstream.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
