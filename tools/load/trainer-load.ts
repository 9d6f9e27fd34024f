import { createHash } from 'node:crypto';
import { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import {
  ApplicationDecided,
  ApplicationRefused,
  ApplicationSubmitted,
  ApprovedCourseRegistered,
  AuditDocumentUploaded,
  AuditDrawn,
  CeuLedgerChanged,
  CourseCompleted,
  CoursePetitionSubmitted,
  CprAedCardIssued,
  createEnvelope,
  decodeMessage,
  EventDefinition,
  KAFKA_ADMIN,
  LedgerAtReceipt,
  PayableSettled,
  PayloadInputOf,
  PayloadOf,
  PaymentSucceeded,
  PetitionOpened,
  RecertEvents,
  RecertificationApplicationSubmitted,
  Topics,
  TrainerCertified,
  UpstreamSystem,
} from '@recert/contracts';
import { fetchTopicEnds } from '@recert/messaging';
import { kafkaAs, publisherOf } from '../kafka-clients';
import { DAY_MARGIN, Day, daysBetween, ExpectedOutcome, planTrainer, runCourses, TrainerPlan } from './trainer-plans';

export interface TrainerLoadOptions {
  trainers: number;
  brokers: string[];
  /** The public API (the gateway), e.g. http://127.0.0.1:3000: the clock, and staff decisions. */
  gatewayUrl: string;
  /** A token with the reviewer role (petition decisions) and ops (the clock). */
  apiToken: string;
  runId?: string;
  /** Trainers prepared and submitted together; bounds what is in flight at once. */
  waveSize?: number;
  /**
   * How long reactions (a fee paid, documents uploaded) wait to go out together: 20 ms by default,
   * so a loaded run sends them in batches. The idle benchmark uses 0: one trainer at a time pays at
   * once, and its submission → decision is the system's, not this tool's batching.
   */
  reactionBatchMs?: number;
}

export interface LoadProgress {
  phase: 'prepare' | 'submit' | 'settle' | 'done';
  trainers: number;
  ledgersReady: number;
  applications: number;
  submitted: number;
  outcomes: number;
}

/** What one application came to, as upstream saw it on Kafka. */
interface Outcome {
  status: 'approved' | 'denied' | 'refused';
  at: number;
  rules: string[];
  feeTotalCents?: number;
  /** Approved or denied: the credits consumed (none when denied). Refused: see countedAtReceipt. */
  creditIds?: string[];
}

interface TrainerState {
  plan: TrainerPlan;
  ledgerReady: boolean;
  submittedAt?: number;
  feeTotalCents?: number;
  /** What the ledger at receipt counted (LedgerAtReceipt). */
  countedAtReceipt?: string[];
  /** What ApplicationSubmitted asks a certificate for, should the audit select the application. */
  auditCreditIds?: string[];
  /** The draw selected the application (AuditDrawn, on another topic than ApplicationSubmitted). */
  auditSelected?: boolean;
  documentsSent?: boolean;
  outcome?: Outcome;
  outcomeEventIds: Set<string>;
  /** Wall-clock milliseconds of each step of this trainer's application (see STEPS). */
  timeline: Record<string, number>;
}

export interface Mismatch {
  trainerId: string;
  kind: string;
  applicationId?: string;
  expected: ExpectedOutcome;
  actual: string;
}

export interface LoadReport {
  run: string;
  today: string;
  trainers: number;
  applications: number;
  outcomes: { approved: number; denied: number; refused: number; missing: number };
  /** Applications with two different outcome events (two decisions): must be 0. */
  decidedTwice: number;
  mismatches: Mismatch[];
  submitSeconds: number;
  /** From the first submission to the last decision. */
  settleSeconds: number;
  decisionsPerSecond: number;
  /** Submission to ApplicationDecided (fee paid and any audit documents sent on the way). */
  decisionLatencyMs: Percentiles;
  /** Submission to ApplicationRefused (checked on receipt). */
  refusalLatencyMs: Percentiles;
  /** Events the generator published, by type. */
  published: Record<string, number>;
  /** Where an approved application's time went, step by step. */
  steps: StepFigures[];
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const SEND_BATCH = 500;

/**
 * Plays every upstream system for N trainers through Kafka, as they would: the exam system
 * certifies, providers report completions and CPR/AED cards, the portal submits petitions and
 * applications, the processor captures the fees once the system asks for them, the document
 * store uploads audit documents once an audit is drawn, and a reviewer decides petitions over
 * HTTP. It listens to the system's own topics to react and to time each decision, and compares
 * each outcome with the one written by hand from DOMAIN.md for the trainer's kind (trainer-plans.ts).
 *
 *   const load = new TrainerLoad({ trainers, brokers, gatewayUrl, apiToken });
 *   await load.prepare(); await load.submit(); const report = await load.settle();
 */
export class TrainerLoad {
  readonly run: string;
  private readonly kafka: Kafka;
  /** One producer per upstream system, each its own principal (issue 13), connected on first use. */
  private readonly producers = new Map<UpstreamSystem, Promise<Producer>>();
  private readonly admin: Admin;
  private readonly consumer;
  private readonly waveSize: number;
  private readonly trainers = new Map<string, TrainerState>();
  private readonly applications = new Map<string, TrainerState>();
  private readonly petitions = new Map<string, TrainerState>();
  private readonly published: Record<string, number> = {};
  private readonly outgoing = new Map<EventDefinition, unknown[]>();
  private readonly reviews = new Set<Promise<void>>();
  /** The system's calendar day (UTC, the default zone) the plans are laid out on. */
  private today!: Day;
  private clockOffsetMs = 0;
  private phase: LoadProgress['phase'] = 'prepare';
  private submitted = 0;
  private outcomes = 0;
  private ledgersReady = 0;
  private firstSubmission = 0;
  private lastOutcome = 0;
  private submitSeconds = 0;
  private flushing?: Promise<void>;
  private failure?: Error;

  constructor(private readonly options: TrainerLoadOptions) {
    this.run = options.runId ?? createHash('sha256').update(String(performance.timeOrigin)).digest('hex').slice(0, 8);
    this.waveSize = options.waveSize ?? 5_000;
    // Watching the system's topics and setting where the watch starts: an observer, not an upstream system.
    this.kafka = kafkaAs(KAFKA_ADMIN, `load-${this.run}`, options.brokers);
    this.admin = this.kafka.admin();
    this.consumer = this.kafka.consumer({ groupId: `load-${this.run}`, maxBytes: 20 * 1024 * 1024 });
  }

  progress(): LoadProgress {
    return {
      phase: this.phase,
      trainers: this.options.trainers,
      ledgersReady: this.ledgersReady,
      applications: this.applications.size,
      submitted: this.submitted,
      outcomes: this.outcomes,
    };
  }

  /** Every trainer's plan, with its hand-written expected outcome (for the fault suite's checks). */
  plans(): TrainerPlan[] {
    return [...this.trainers.values()].map((t) => t.plan);
  }

  /**
   * Registers the run's courses, then certifies every trainer and reports their courses, cards
   * and petitions (fees paid, petitions approved by a reviewer), wave by wave, until the CEU
   * service has published each trainer's complete ledger. The plans are laid out on the system's
   * day ("received" is the system's instant, R9/R10), read from its clock, not this machine's.
   */
  async prepare(onProgress?: (p: LoadProgress) => void): Promise<void> {
    const now = await this.systemClock();
    this.clockOffsetMs = now.getTime() - performance.timeOrigin - performance.now();
    this.today = now.toISOString().slice(0, 10);
    await this.admin.connect();
    await this.listen();
    const ticker = onProgress && setInterval(() => onProgress(this.progress()), 200);
    try {
      for (const course of Object.values(runCourses(this.run, this.today))) {
        this.enqueue(ApprovedCourseRegistered, { ...course, title: `Load course ${course.courseId}` });
      }
      await this.flush();
      for (let first = 0; first < this.options.trainers; first += this.waveSize) {
        const wave = Array.from({ length: Math.min(this.waveSize, this.options.trainers - first) }, (_, i) =>
          planTrainer(this.run, first + i, this.today, (what) => this.uuid(what)),
        );
        for (const plan of wave) this.playTrainer(plan);
        await this.flush();
        await this.until(() => wave.every((p) => this.trainers.get(p.trainerId)?.ledgerReady), 'ledgers', 600_000);
      }
    } finally {
      if (ticker) clearInterval(ticker);
    }
  }

  /** Every planned application, `perSecond` at most (as fast as the broker takes them by default). */
  async submit(options: { perSecond?: number; onProgress?: (p: LoadProgress) => void } = {}): Promise<void> {
    this.phase = 'submit';
    // The plans hold only while receipt falls within DAY_MARGIN days of their day.
    const day = (await this.systemClock()).toISOString().slice(0, 10);
    if (Math.abs(daysBetween(this.today, day)) > DAY_MARGIN)
      throw new Error(`the system's day moved from ${this.today} to ${day} since the plans were laid out`);
    const ticker = options.onProgress && setInterval(() => options.onProgress?.(this.progress()), 200);
    const started = performance.now();
    this.firstSubmission = started;
    const batch = options.perSecond
      ? Math.max(1, Math.min(SEND_BATCH, Math.round(options.perSecond / 10)))
      : SEND_BATCH;
    const pending = [...this.trainers.values()].filter((t) => t.plan.applicationId);
    try {
      for (let i = 0; i < pending.length; i += batch) {
        const slice = pending.slice(i, i + batch);
        const at = performance.now();
        const submittedAt = this.systemNow().toISOString();
        await this.send(
          RecertificationApplicationSubmitted,
          slice.map((t) => ({
            applicationId: t.plan.applicationId as string,
            trainerId: t.plan.trainerId,
            credentialId: t.plan.credentialId,
            submittedAt,
          })),
        );
        for (const t of slice) {
          t.submittedAt = at;
          t.timeline['submitted'] = wallNow();
        }
        this.submitted += slice.length;
        if (options.perSecond) {
          const due = started + ((i + slice.length) / options.perSecond) * 1000;
          await sleep(due - performance.now());
        }
      }
    } finally {
      if (ticker) clearInterval(ticker);
    }
    this.submitSeconds = (performance.now() - started) / 1000;
  }

  /**
   * Waits until every application has its outcome, then compares them with the rules. It gives up
   * only when no outcome has come for `stallMs` (2 minutes by default): a large run takes as long
   * as it takes, a stuck one ends, and what is missing is reported.
   */
  async settle(options: { stallMs?: number; onProgress?: (p: LoadProgress) => void } = {}): Promise<LoadReport> {
    this.phase = 'settle';
    const ticker = options.onProgress && setInterval(() => options.onProgress?.(this.progress()), 200);
    const stallMs = options.stallMs ?? 120_000;
    let seen = this.outcomes;
    let lastNewAt = performance.now();
    try {
      await this.until(
        () => {
          if (this.outcomes > seen) [seen, lastNewAt] = [this.outcomes, performance.now()];
          // A refusal's ledger at receipt travels on another topic: it may be read just after.
          const complete =
            this.outcomes >= this.applications.size &&
            [...this.applications.values()].every((t) => t.outcome?.status !== 'refused' || t.countedAtReceipt);
          return complete || performance.now() - lastNewAt > stallMs;
        },
        'outcomes',
        Infinity,
      );
    } finally {
      if (ticker) clearInterval(ticker);
      this.phase = 'done';
    }
    return this.report();
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.reviews]);
    await this.consumer.disconnect();
    const producers = await Promise.allSettled(this.producers.values());
    await Promise.all([
      ...producers.map((p) => (p.status === 'fulfilled' ? p.value.disconnect() : undefined)),
      this.admin.disconnect(),
    ]);
  }

  // --- what the upstream systems publish -----------------------------------------------------

  private playTrainer(plan: TrainerPlan): void {
    const state: TrainerState = { plan, ledgerReady: false, outcomeEventIds: new Set(), timeline: {} };
    this.trainers.set(plan.trainerId, state);
    if (plan.applicationId) this.applications.set(plan.applicationId, state);
    if (plan.petition) this.petitions.set(plan.petition.petitionId, state);
    this.enqueue(TrainerCertified, {
      trainerId: plan.trainerId,
      credentialId: plan.credentialId,
      certifiedOn: plan.cycle.startsOn,
      expiresOn: plan.cycle.expiresOn,
    });
    for (const c of plan.completions) this.enqueue(CourseCompleted, { ...c, trainerId: plan.trainerId });
    this.enqueue(CprAedCardIssued, { ...plan.card, trainerId: plan.trainerId, providerId: 'RED-CROSS' });
    if (plan.petition) {
      this.enqueue(CoursePetitionSubmitted, {
        petitionId: plan.petition.petitionId,
        trainerId: plan.trainerId,
        courseTitle: plan.petition.courseTitle,
        providerName: 'Local Gym Academy',
        completedOn: plan.petition.completedOn,
        contactHours: plan.petition.contactHours,
        certificateRef: `s3://petitions/${plan.petition.petitionId}.pdf`,
      });
    }
  }

  /** Reacts to the system's events as the trainer, the processor, the document store and a reviewer would. */
  private async listen(): Promise<void> {
    const topics = [
      Topics.ceuEvents,
      Topics.applicationEvents,
      Topics.auditEvents,
      Topics.petitionEvents,
      Topics.paymentEvents,
    ];
    // The group starts at the topics' current ends, so nothing published from now on is missed.
    for (const topic of topics) {
      const ends = await fetchTopicEnds(this.admin, topic.name);
      await this.admin.setOffsets({
        groupId: `load-${this.run}`,
        topic: topic.name,
        partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })),
      });
    }
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: topics.map((t) => t.name) });
    await this.consumer.run({
      partitionsConsumedConcurrently: 12,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          try {
            this.observe(batch.topic, message, wallNow());
          } catch (error) {
            this.failure = error as Error;
          }
        }
      },
    });
  }

  private observe(topic: string, message: KafkaMessage, seenAt: number): void {
    // The system's events are contracts: the generator validates them as any consumer does.
    const decoded = decodeMessage(RecertEvents, topic, message.value);
    if (!decoded.ok) throw new Error(`the system published an invalid event on ${topic}: ${decoded.reason}`);
    const { id, type, payload, occurredAt } = decoded.envelope;
    const trainerId = (payload as { trainerId?: unknown }).trainerId;
    const trainer = typeof trainerId === 'string' ? this.trainers.get(trainerId) : undefined;
    if (!trainer) return; // another run's, or another system's
    // Where the application's time goes: created (in the service's transaction, by its clock),
    // published (appended to Kafka), seen (here). A petition's fee is not the application's.
    const about = payload as { applicationId?: string; referenceId?: string };
    if ((about.applicationId ?? about.referenceId) === trainer.plan.applicationId) {
      trainer.timeline[`${type}.created`] ??= Date.parse(occurredAt) - this.clockOffsetMs;
      trainer.timeline[`${type}.published`] ??= Number(message.timestamp);
      trainer.timeline[`${type}.seen`] ??= seenAt;
    }
    switch (type) {
      case CeuLedgerChanged.type: {
        const p = payload as PayloadOf<typeof CeuLedgerChanged>;
        if (
          !trainer.ledgerReady &&
          p.credentialId === trainer.plan.credentialId &&
          p.cycleExpiresOn === trainer.plan.cycle.expiresOn &&
          p.totalCeuHundredths === trainer.plan.ledgerCeuHundredths &&
          p.cprAedCards.length === 1
        ) {
          trainer.ledgerReady = true;
          this.ledgersReady++;
        }
        break;
      }
      case LedgerAtReceipt.type: {
        const p = payload as PayloadOf<typeof LedgerAtReceipt>;
        if (p.applicationId === trainer.plan.applicationId) trainer.countedAtReceipt ??= p.counted.map((c) => c.id);
        break;
      }
      case PetitionOpened.type: {
        const p = payload as PayloadOf<typeof PetitionOpened>;
        this.enqueue(PaymentSucceeded, {
          processorEventId: `evt-${p.petitionId}`,
          paymentId: `pay-${p.petitionId}`,
          payableId: `petition-fee:${p.petitionId}`,
          amountCents: p.feeCents,
          occurredAt: this.systemNow().toISOString(),
        });
        break;
      }
      case PayableSettled.type: {
        const p = payload as PayloadOf<typeof PayableSettled>;
        if (p.purpose === 'petition-fee' && this.petitions.has(p.referenceId)) this.review(trainer);
        break;
      }
      case ApplicationSubmitted.type: {
        const p = payload as PayloadOf<typeof ApplicationSubmitted>;
        if (p.applicationId !== trainer.plan.applicationId) break;
        trainer.feeTotalCents = p.fee.totalCents;
        trainer.auditCreditIds = p.countedCreditIds;
        if (trainer.auditSelected) this.uploadAuditDocuments(trainer);
        trainer.timeline['payment.sent'] = wallNow();
        // The trainer pays what the system asks; the report compares it with the rules' fee.
        this.enqueue(PaymentSucceeded, {
          processorEventId: `evt-${p.applicationId}`,
          paymentId: `pay-${p.applicationId}`,
          payableId: `application-fee:${p.applicationId}`,
          amountCents: p.fee.totalCents,
          occurredAt: this.systemNow().toISOString(),
        });
        break;
      }
      case AuditDrawn.type: {
        const p = payload as PayloadOf<typeof AuditDrawn>;
        if (p.applicationId !== trainer.plan.applicationId || !p.selected) break;
        trainer.auditSelected = true;
        // The draw may be read before ApplicationSubmitted (two topics): upload once both are in.
        if (trainer.auditCreditIds) this.uploadAuditDocuments(trainer);
        break;
      }
      case ApplicationDecided.type: {
        const p = payload as PayloadOf<typeof ApplicationDecided>;
        this.record(trainer, id, {
          status: p.outcome,
          at: performance.now(),
          rules: [...p.failedRules].sort(),
          creditIds: p.consumedCreditIds,
        });
        break;
      }
      case ApplicationRefused.type: {
        const p = payload as PayloadOf<typeof ApplicationRefused>;
        this.record(trainer, id, {
          status: 'refused',
          at: performance.now(),
          rules: [...p.failedRules].sort(),
        });
        break;
      }
    }
  }

  private record(trainer: TrainerState, eventId: string, outcome: Outcome): void {
    if (trainer.outcomeEventIds.has(eventId)) return; // the same event delivered again: at least once
    trainer.outcomeEventIds.add(eventId);
    if (trainer.outcome) return; // a second decision: counted in the report
    trainer.outcome = { ...outcome, feeTotalCents: trainer.feeTotalCents };
    this.outcomes++;
    this.lastOutcome = outcome.at;
  }

  private uploadAuditDocuments(trainer: TrainerState): void {
    if (trainer.documentsSent) return;
    trainer.documentsSent = true;
    const applicationId = trainer.plan.applicationId as string;
    // A certificate for each credit the system asks about (R11), as the trainer would upload.
    const credits = trainer.auditCreditIds ?? [];
    const documents = [
      ...credits.map((id) => ({ kind: 'course-certificate' as const, completionId: id })),
      { kind: 'cpr-aed-card-front' as const, completionId: undefined },
      { kind: 'cpr-aed-card-back' as const, completionId: undefined },
    ];
    const documentIds = documents.map(({ kind, completionId }) => `${applicationId}-${kind}-${completionId ?? ''}`);
    for (const [i, { kind, completionId }] of documents.entries()) {
      this.enqueue(AuditDocumentUploaded, {
        documentId: documentIds[i],
        trainerId: trainer.plan.trainerId,
        applicationId,
        kind,
        completionId,
        storageRef: `s3://audit/${applicationId}/${kind}`,
        uploadedAt: this.systemNow().toISOString(),
      });
    }
    this.reviewAudit(applicationId, documentIds);
  }

  /** R11: only a reviewer passes an audit: each document is accepted once recorded, then the audit passed. */
  private reviewAudit(applicationId: string, documentIds: string[]): void {
    const work = (async () => {
      for (const documentId of documentIds)
        await this.staff(`/v1/audits/${applicationId}/documents/${encodeURIComponent(documentId)}/accept`, {
          note: 'legible',
        });
      await this.staff(`/v1/audits/${applicationId}/pass`, { note: 'every document accepted' });
    })()
      .catch((error: Error) => {
        this.failure = error;
      })
      .finally(() => this.reviews.delete(work));
    this.reviews.add(work);
  }

  /** A reviewer starts the review and approves with the CEUs the plan grants (R6). */
  private review(trainer: TrainerState): void {
    const petition = trainer.plan.petition;
    if (!petition) return;
    const work = (async () => {
      await this.staff(`/v1/petitions/${petition.petitionId}/review`);
      await this.staff(`/v1/petitions/${petition.petitionId}/approve`, {
        ceuGranted: petition.ceuGranted,
        reason: 'Workshop content matches the exercise-science domain',
      });
    })()
      .catch((error: Error) => {
        this.failure = error;
      })
      .finally(() => this.reviews.delete(work));
    this.reviews.add(work);
  }

  private async staff(path: string, body?: unknown): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${this.options.gatewayUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiToken}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).catch(() => undefined); // a service being restarted: try again
      if (response?.ok) return;
      const text = response ? await response.text() : '';
      // 409 "already under review" (a retry after a lost answer) is fine for review. Any other 409
      // (e.g. the petitions service has not yet consumed the fee we saw settled) is tried again.
      if (response?.status === 409 && path.endsWith('/review') && text.includes('already under review')) return;
      // The same for an audit document accepted, or an audit passed, whose answer was lost.
      if (response?.status === 409 && /already accepted|the audit is passed/.test(text)) return;
      if (attempt > 480) throw new Error(`POST ${path}: ${response?.status} ${text}`);
      await sleep(250);
    }
  }

  // --- sending -------------------------------------------------------------------------------

  private enqueue<D extends EventDefinition>(definition: D, payload: PayloadInputOf<D>): void {
    const queue = this.outgoing.get(definition) ?? [];
    queue.push(payload);
    this.outgoing.set(definition, queue);
    this.flushing ??= sleep(this.options.reactionBatchMs ?? 20)
      .then(() => this.flush())
      .catch((error: Error) => {
        this.failure = error;
      });
  }

  /** Sends everything queued (reactions batch up for reactionBatchMs). */
  private async flush(): Promise<void> {
    this.flushing = undefined;
    while (this.outgoing.size > 0) {
      const [definition, payloads] = this.outgoing.entries().next().value as [
        EventDefinition,
        PayloadInputOf<EventDefinition>[],
      ];
      this.outgoing.delete(definition);
      await this.send(definition, payloads);
    }
  }

  private async send<D extends EventDefinition>(definition: D, payloads: PayloadInputOf<D>[]): Promise<void> {
    for (let i = 0; i < payloads.length; i += SEND_BATCH) {
      const occurredAt = this.systemNow();
      const messages = payloads.slice(i, i + SEND_BATCH).map((payload) => {
        const envelope = createEnvelope(definition, payload, { producer: `load-${this.run}`, occurredAt });
        return { key: envelope.key, value: JSON.stringify(envelope) };
      });
      // A broker being restarted: kafkajs retries within the send; keep trying past that.
      for (let attempt = 0; ; attempt++) {
        try {
          await (await this.producerOf(definition)).send({ topic: definition.topic.name, messages });
          break;
        } catch (error) {
          if (attempt >= 30) throw error;
          await sleep(1_000);
        }
      }
      this.published[definition.type] = (this.published[definition.type] ?? 0) + messages.length;
    }
  }

  /** The producer of the upstream system that owns the event's topic. */
  private producerOf(definition: EventDefinition): Promise<Producer> {
    const system = publisherOf(definition);
    let producer = this.producers.get(system);
    if (!producer) {
      const created = kafkaAs(system, `load-${this.run}-${system}`, this.options.brokers).producer({
        idempotent: true,
        maxInFlightRequests: 1,
      });
      producer = created.connect().then(() => created);
      // A failed connect is tried again at the next send (the broker may be restarting).
      producer.catch(() => this.producers.delete(system));
      this.producers.set(system, producer);
    }
    return producer;
  }

  // --- time and waiting ----------------------------------------------------------------------

  /** The system's clock: the controllable one's reading, or the wall clock the system runs on. */
  private async systemClock(): Promise<Date> {
    // A service restarting (the fault suite kills them) answers 503 for half a minute: ask again.
    const giveUpAt = performance.now() + 120_000;
    for (;;) {
      const response = await fetch(`${this.options.gatewayUrl}/v1/clock`, {
        headers: { authorization: `Bearer ${this.options.apiToken}` },
      }).catch(() => undefined);
      if (response?.status === 404) return new Date(); // CLOCK_MODE=system: the services read this machine's clock
      if (response?.ok) return new Date(((await response.json()) as { now: string }).now);
      const retriable = !response || response.status === 502 || response.status === 503;
      if (!retriable || performance.now() > giveUpAt)
        throw new Error(`GET /v1/clock: ${response ? `${response.status} ${await response.text()}` : 'no answer'}`);
      await sleep(1_000);
    }
  }

  /** The system's time now, as upstream systems stamp their events (the system's clock may be moved). */
  private systemNow(): Date {
    return new Date(performance.timeOrigin + performance.now() + this.clockOffsetMs);
  }

  private async until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!(await check())) {
      if (this.failure) throw this.failure;
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(100);
    }
  }

  private uuid(what: string): string {
    const h = createHash('sha256').update(`${this.run}:${what}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private report(): LoadReport {
    const mismatches: Mismatch[] = [];
    const decided: number[] = [];
    const refused: number[] = [];
    const counts = { approved: 0, denied: 0, refused: 0, missing: 0 };
    let decidedTwice = 0;
    for (const t of this.applications.values()) {
      const { outcome, plan } = t;
      if (t.outcomeEventIds.size > 1) decidedTwice++;
      if (!outcome) {
        counts.missing++;
        mismatches.push({
          trainerId: plan.trainerId,
          kind: plan.kind,
          applicationId: plan.applicationId,
          expected: plan.expected,
          actual: 'no outcome',
        });
        continue;
      }
      counts[outcome.status]++;
      (outcome.status === 'refused' ? refused : decided).push(outcome.at - (t.submittedAt ?? outcome.at));
      const actual = describe(outcome, t.countedAtReceipt);
      if (actual !== describeExpected(plan.expected))
        mismatches.push({
          trainerId: plan.trainerId,
          kind: plan.kind,
          applicationId: plan.applicationId,
          expected: plan.expected,
          actual,
        });
    }
    const settleSeconds = ((this.lastOutcome || performance.now()) - this.firstSubmission) / 1000;
    return {
      run: this.run,
      today: this.today,
      trainers: this.trainers.size,
      applications: this.applications.size,
      outcomes: counts,
      decidedTwice,
      mismatches,
      submitSeconds: round(this.submitSeconds, 2),
      settleSeconds: round(settleSeconds, 2),
      decisionsPerSecond: round((counts.approved + counts.denied + counts.refused) / settleSeconds, 1),
      decisionLatencyMs: percentiles(decided),
      refusalLatencyMs: percentiles(refused),
      published: { ...this.published },
      steps: stepFigures(
        [...this.applications.values()].filter((t) => t.outcome?.status === 'approved').map((t) => t.timeline),
      ),
    };
  }
}

function credits(ids: readonly string[]): string {
  return `credits [${[...ids].sort().join(', ')}]`;
}

function describe(outcome: Outcome, countedAtReceipt: readonly string[] = []): string {
  return outcome.status === 'refused'
    ? `refused ${outcome.rules.join('+')} ${credits(countedAtReceipt)}`
    : `${outcome.status} ${outcome.rules.join('+')} fee ${outcome.feeTotalCents} ${credits(outcome.creditIds ?? [])}`;
}

/** The same words for the hand-written expectation, so that the two compare as strings. */
export function describeExpected(expected: ExpectedOutcome): string {
  if (expected.status === 'refused') return `refused ${expected.rules.join('+')} ${credits(expected.countedCreditIds)}`;
  if (expected.status === 'no-application') return 'no application';
  return `${expected.status} ${expected.failedRules.join('+')} fee ${expected.feeTotalCents} ${credits(expected.countedCreditIds)}`;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]) : NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/**
 * The steps of an application's path through the system, each from one mark of its timeline to
 * the next: `created` is when a service's transaction wrote the event to its outbox, `published`
 * when Kafka appended it, `seen` when this generator read it.
 */
const STEPS: readonly { step: string; from: string | string[]; to: string }[] = [
  {
    step: 'applications: take the submission (consume, receive)',
    from: 'submitted',
    to: 'ApplicationReceived.created',
  },
  { step: 'applications: outbox → Kafka', from: 'ApplicationReceived.created', to: 'ApplicationReceived.published' },
  {
    step: 'ceu-verification: the ledger as it stood at receipt',
    from: 'ApplicationReceived.published',
    to: 'LedgerAtReceipt.created',
  },
  { step: 'ceu-verification: outbox → Kafka', from: 'LedgerAtReceipt.created', to: 'LedgerAtReceipt.published' },
  {
    step: 'payments: the Recertify for Life membership held at receipt',
    from: 'ApplicationReceived.published',
    to: 'MembershipAtReceipt.created',
  },
  { step: 'payments: outbox → Kafka', from: 'MembershipAtReceipt.created', to: 'MembershipAtReceipt.published' },
  {
    step: 'applications: fix the fee, judge at receipt (R2, R7, R9, R10)',
    from: ['LedgerAtReceipt.published', 'MembershipAtReceipt.published'],
    to: 'ApplicationSubmitted.created',
  },
  { step: 'applications: outbox → Kafka', from: 'ApplicationSubmitted.created', to: 'ApplicationSubmitted.published' },
  {
    step: 'trainer: pays when asked (Kafka → generator → processor event)',
    from: 'ApplicationSubmitted.published',
    to: 'payment.sent',
  },
  { step: 'payments: settle the fee', from: 'payment.sent', to: 'PayableSettled.created' },
  { step: 'payments: outbox → Kafka', from: 'PayableSettled.created', to: 'PayableSettled.published' },
  { step: 'audits: draw', from: 'ApplicationSubmitted.published', to: 'AuditDrawn.created' },
  { step: 'audits: outbox → Kafka', from: 'AuditDrawn.created', to: 'AuditDrawn.published' },
  {
    step: 'applications: decide, after the last input',
    from: ['PayableSettled.published', 'AuditDrawn.published', 'AuditCompleted.published'],
    to: 'ApplicationDecided.created',
  },
  { step: 'applications: outbox → Kafka', from: 'ApplicationDecided.created', to: 'ApplicationDecided.published' },
];

export interface StepFigures {
  step: string;
  applications: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

function stepFigures(timelines: Record<string, number>[]): StepFigures[] {
  return STEPS.map(({ step, from, to }) => {
    const durations = timelines.flatMap((t) => {
      const starts = (Array.isArray(from) ? from : [from]).map((mark) => t[mark]).filter((v) => v !== undefined);
      return starts.length && t[to] !== undefined ? [t[to] - Math.max(...starts)] : [];
    });
    const { p50, p95 } = percentiles(durations);
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    return { step, applications: durations.length, p50Ms: p50, p95Ms: p95, meanMs: Math.round(mean) };
  });
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
