import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { ALL_TOPICS, Topics } from '@recert/contracts';

/** One invariant's verdict, with the counts that back it. */
export interface InvariantResult {
  group: string;
  name: string;
  ok: boolean;
  detail: string;
  /** A few offending ids or rows, for a failure. */
  examples?: string[];
}

/** What the load knows and the databases cannot: what it sent, and what the rules library says. */
export interface LoadFacts {
  /** Application ids the load submitted (and expects to be received). */
  submittedApplicationIds: string[];
  /** Trainers whose outcome differs from the rules library's, as the load's report says. */
  mismatches: string[];
  /** Applications the load expected a decision for (or all submitted, when it does not say). */
  decisionsExpected: number;
}

/**
 * Which service consumes which event types of which topic (each service's message controllers;
 * other types of a topic are skipped and never enter the inbox).
 */
export const CONSUMES: Record<string, Record<string, string[]>> = {
  applications: {
    [Topics.examCertifications.name]: ['TrainerCertified'],
    [Topics.portalSubmissions.name]: ['RecertificationApplicationSubmitted'],
    [Topics.ceuEvents.name]: ['CeuLedgerChanged'],
    [Topics.paymentEvents.name]: ['PayableSettled', 'PayableRefunded'],
    [Topics.auditEvents.name]: ['AuditDrawn', 'AuditCompleted'],
  },
  ceu_verification: {
    [Topics.providerRegistry.name]: ['ApprovedCourseRegistered'],
    [Topics.cprAedCards.name]: ['CprAedCardIssued'],
    [Topics.courseCompletions.name]: ['CourseCompleted'],
    [Topics.petitionEvents.name]: ['PetitionApproved'],
    [Topics.applicationEvents.name]: ['CycleStarted'],
  },
  petitions: {
    [Topics.portalSubmissions.name]: ['CoursePetitionSubmitted', 'CoursePetitionWithdrawn'],
    [Topics.paymentEvents.name]: ['PayableSettled'],
  },
  payments: {
    [Topics.processorEvents.name]: ['PaymentSucceeded', 'PaymentFailed', 'PaymentRefunded'],
    [Topics.applicationEvents.name]: ['ApplicationSubmitted', 'ApplicationRefused', 'ApplicationDecided'],
    [Topics.petitionEvents.name]: ['PetitionOpened', 'PetitionClosed'],
  },
  audits: {
    [Topics.auditDocuments.name]: ['AuditDocumentUploaded'],
    [Topics.applicationEvents.name]: ['ApplicationSubmitted'],
  },
};

/** Consumer group (= inbox consumer name) of a schema's service. */
const groupOf = (schema: string) => `recert-${schema.replace(/_/g, '-')}`;
const OUTBOX_SCHEMAS = ['applications', 'ceu_verification', 'petitions', 'payments', 'audits', 'gateway'];
const DEADLINE_SCHEMAS = ['applications', 'audits', 'ceu_verification'];

/** Every message on every topic, read from offset 0 up to the high watermark. */
interface KafkaContents {
  /** topic -> event id -> { type, copies } */
  byTopic: Map<string, Map<string, { type: string; copies: number }>>;
  messages: number;
  deadLetters: { consumer: string; reason: string }[];
}

export class InvariantChecker {
  private readonly results: InvariantResult[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly kafka: Kafka,
  ) {}

  static connect(databaseUrl: string, brokers: string[]): InvariantChecker {
    return new InvariantChecker(
      new Pool({ connectionString: databaseUrl, max: 4 }),
      new Kafka({ clientId: 'fault-suite-invariants', brokers, logLevel: logLevel.NOTHING }),
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  private async n(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.q<{ n: string | number }>(sql, params);
    return Number(row?.n ?? 0);
  }

  private record(group: string, name: string, ok: boolean, detail: string, examples: string[] = []): void {
    this.results.push({ group, name, ok, detail, examples: ok ? undefined : examples.slice(0, 5) });
  }

  /** Every check, in the order they are printed. */
  async checkAll(facts: LoadFacts, clockNow: Date): Promise<InvariantResult[]> {
    await this.applicationsDecidedOnce(facts);
    await this.noFeeChargedTwice();
    await this.noCeuCreditedTwice();
    await this.deadlinesFiredOnce(clockNow);
    await this.noEventLost();
    return this.results;
  }

  // ------------------------------------------------------------------------------------------

  private async applicationsDecidedOnce(facts: LoadFacts): Promise<void> {
    const g = 'applications decided once';
    const byStatus = await this.q<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM applications.applications GROUP BY status ORDER BY status`,
    );
    const counts = byStatus.map((r) => `${r.status} ${r.n}`).join(', ') || 'none';
    const known = new Set(
      (await this.q<{ id: string }>(`SELECT application_id::text AS id FROM applications.applications`)).map(
        (r) => r.id,
      ),
    );
    const lost = facts.submittedApplicationIds.filter((id) => !known.has(id));
    this.record(
      g,
      'every submitted application was received',
      lost.length === 0,
      `${facts.submittedApplicationIds.length} submitted by the load, ${facts.submittedApplicationIds.length - lost.length} in the database (${counts})`,
      lost,
    );
    const undecided = await this.q<{ id: string }>(
      `SELECT application_id::text AS id FROM applications.applications WHERE status = 'submitted'`,
    );
    this.record(
      g,
      'none left undecided',
      undecided.length === 0,
      `${undecided.length} still 'submitted'`,
      undecided.map((r) => r.id),
    );
    const [events] = await this.q<{
      decided: number;
      events: number;
      missing: number;
      duplicated: number;
      orphan: number;
      disagree: number;
    }>(`
      WITH d AS (
        SELECT envelope->'payload'->>'applicationId' AS id, count(*) AS n,
               min(envelope->'payload'->>'outcome') AS outcome, count(DISTINCT envelope->'payload'->>'outcome') AS outcomes
        FROM applications.outbox WHERE event_type = 'ApplicationDecided' GROUP BY 1),
      a AS (SELECT application_id::text AS id, status FROM applications.applications WHERE status IN ('approved', 'denied'))
      SELECT (SELECT count(*) FROM a)::int AS decided,
             (SELECT coalesce(sum(n), 0) FROM d)::int AS events,
             (SELECT count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.id = a.id))::int AS missing,
             (SELECT count(*) FROM d WHERE n > 1)::int AS duplicated,
             (SELECT count(*) FROM d WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.id = d.id))::int AS orphan,
             (SELECT count(*) FROM d JOIN a USING (id) WHERE d.outcomes > 1 OR d.outcome <> a.status)::int AS disagree`);
    const dupIds = await this.q<{ id: string }>(
      `SELECT envelope->'payload'->>'applicationId' AS id FROM applications.outbox WHERE event_type = 'ApplicationDecided'
       GROUP BY 1 HAVING count(*) > 1 LIMIT 5`,
    );
    this.record(
      g,
      'one decision, one ApplicationDecided per application',
      events.missing + events.duplicated + events.orphan + events.disagree === 0,
      `${events.decided} decided, ${events.events} ApplicationDecided in the outbox; ${events.missing} without, ${events.duplicated} with more than one, ${events.orphan} for no decided application, ${events.disagree} disagreeing with the row`,
      dupIds.map((r) => r.id),
    );
    this.record(
      g,
      'outcome as the rules library says',
      facts.mismatches.length === 0,
      `${facts.mismatches.length} trainers whose outcome differs from the rules library (load report)`,
      facts.mismatches,
    );
  }

  private async noFeeChargedTwice(): Promise<void> {
    const g = 'no fee charged twice';
    const [p] = await this.q<{
      payables: number;
      settledTwice: number;
      overpaid: number;
      statusWrong: number;
      events: number;
      eventsTwice: number;
      eventsOrphan: number;
      duplicates: number;
      stranded: number;
    }>(`
      WITH s AS (
        -- A refund of the settling payment of an application fee reopens it: net of those, once at most.
        SELECT payable_id,
               count(*) FILTER (WHERE outcome = 'settled')
                 - count(*) FILTER (WHERE outcome = 'refunded: the fee is unpaid again') AS settled,
               coalesce(sum(amount_cents) FILTER (WHERE outcome = 'settled'), 0)
                 - coalesce(sum(amount_cents) FILTER (WHERE outcome = 'refunded: the fee is unpaid again'), 0) AS paid,
               count(*) FILTER (WHERE outcome = 'duplicate-charge') AS duplicates
        FROM payments.processor_events GROUP BY payable_id),
      e AS (SELECT envelope->'payload'->>'payableId' AS payable_id,
                   count(*) FILTER (WHERE event_type = 'PayableSettled')
                     - count(*) FILTER (WHERE event_type = 'PayableRefunded' AND envelope->'payload'->>'reopened' = 'true') AS n
            FROM payments.outbox WHERE event_type IN ('PayableSettled', 'PayableRefunded') GROUP BY 1)
      SELECT (SELECT count(*) FROM payments.payables)::int AS payables,
             (SELECT count(*) FROM s WHERE settled > 1)::int AS "settledTwice",
             (SELECT count(*) FROM payments.payables p JOIN s USING (payable_id) WHERE s.paid > p.amount_cents)::int AS overpaid,
             (SELECT count(*) FROM payments.payables p LEFT JOIN s USING (payable_id)
               WHERE (p.status IN ('paid', 'refunded')) <> (coalesce(s.settled, 0) = 1))::int AS "statusWrong",
             (SELECT coalesce(sum(n), 0) FROM e)::int AS events,
             (SELECT count(*) FROM e WHERE n > 1)::int AS "eventsTwice",
             (SELECT count(*) FROM payments.payables p LEFT JOIN e USING (payable_id)
               WHERE (p.status IN ('paid', 'refunded')) <> (coalesce(e.n, 0) = 1))::int AS "eventsOrphan",
             (SELECT coalesce(sum(duplicates), 0) FROM s)::int AS duplicates,
             (SELECT count(*) FROM payments.processor_events pe JOIN payments.payables p USING (payable_id)
               WHERE pe.outcome = 'awaiting-payable')::int AS stranded`);
    const processor = await this.q<{ kind: string; outcome: string; n: number }>(
      `SELECT kind, outcome, count(*)::int AS n FROM payments.processor_events GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    this.record(
      g,
      'one settlement per payable, never more than owed',
      p.settledTwice + p.overpaid + p.statusWrong === 0,
      `${p.payables} payables; processor events: ${processor.map((r) => `${r.kind}/${r.outcome} ${r.n}`).join(', ') || 'none'}; ${p.settledTwice} settled twice, ${p.overpaid} paid more than owed, ${p.statusWrong} whose status disagrees with its settlements`,
    );
    this.record(
      g,
      'one PayableSettled per paid payable',
      p.eventsTwice + p.eventsOrphan === 0,
      `${p.events} PayableSettled; ${p.eventsTwice} payables with more than one, ${p.eventsOrphan} paid without one or settled while open`,
    );
    this.record(
      g,
      'no payment left waiting for a payable that exists',
      p.stranded === 0,
      `${p.stranded} processor events 'awaiting-payable' whose payable is open (${p.duplicates} second charges recorded as duplicates to refund)`,
    );
    const [f] = await this.q<{
      apps: number;
      noPayable: number;
      wrongAmount: number;
      paidDisagrees: number;
      petitions: number;
      petitionNoPayable: number;
    }>(`
      SELECT (SELECT count(*) FROM applications.applications WHERE status <> 'refused')::int AS apps,
             (SELECT count(*) FROM applications.applications a WHERE a.status <> 'refused' AND NOT EXISTS (
                SELECT 1 FROM payments.payables p WHERE p.purpose = 'application-fee' AND p.reference_id = a.application_id::text))::int AS "noPayable",
             (SELECT count(*) FROM applications.applications a JOIN payments.payables p
                ON p.purpose = 'application-fee' AND p.reference_id = a.application_id::text
              WHERE p.amount_cents <> a.fee_total_cents)::int AS "wrongAmount",
             (SELECT count(*) FROM applications.applications a JOIN payments.payables p
                ON p.purpose = 'application-fee' AND p.reference_id = a.application_id::text
              WHERE a.fee_paid <> (p.status = 'paid'))::int AS "paidDisagrees",
             (SELECT count(*) FROM petitions.petitions)::int AS petitions,
             (SELECT count(*) FROM petitions.petitions t WHERE NOT EXISTS (
                SELECT 1 FROM payments.payables p WHERE p.purpose = 'petition-fee' AND p.reference_id = t.petition_id::text))::int AS "petitionNoPayable"`);
    this.record(
      g,
      'each fee owed once, as fixed at receipt',
      f.noPayable + f.wrongAmount + f.paidDisagrees + f.petitionNoPayable === 0,
      `${f.apps} applications received, ${f.noPayable} without a payable, ${f.wrongAmount} with another amount, ${f.paidDisagrees} whose 'fee paid' disagrees with payments; ${f.petitions} petitions, ${f.petitionNoPayable} without a payable`,
    );
  }

  private async noCeuCreditedTwice(): Promise<void> {
    const g = 'no CEU credited twice';
    const [c] = await this.q<{
      ledgers: number;
      repeated: number;
      badTotal: number;
      completions: number;
      sameCourse: number;
    }>(`
      WITH items AS (
        SELECT l.trainer_id, l.cycle_expires_on, l.total_ceu_hundredths, x->>'source' AS source, x->>'id' AS id,
               (x->>'ceuHundredths')::int AS ceu
        FROM applications.ceu_ledgers l, jsonb_array_elements(l.counted) x)
      SELECT (SELECT count(*) FROM applications.ceu_ledgers)::int AS ledgers,
             (SELECT count(*) FROM (SELECT 1 FROM items GROUP BY trainer_id, cycle_expires_on, source, id HAVING count(*) > 1) r)::int AS repeated,
             (SELECT count(*) FROM (SELECT 1 FROM applications.ceu_ledgers l LEFT JOIN items i USING (trainer_id, cycle_expires_on)
                GROUP BY l.trainer_id, l.cycle_expires_on, l.total_ceu_hundredths
                HAVING l.total_ceu_hundredths <> coalesce(sum(i.ceu), 0)) r)::int AS "badTotal",
             (SELECT count(*) FROM ceu_verification.completions)::int AS completions,
             (SELECT count(*) FROM (SELECT 1 FROM ceu_verification.completions
                GROUP BY trainer_id, provider_id, course_id, completed_on HAVING count(*) > 1) r)::int AS "sameCourse"`);
    this.record(
      g,
      'each completion or petition counted once per ledger',
      c.repeated + c.badTotal === 0,
      `${c.ledgers} ledgers (applications' copy), ${c.repeated} credits counted twice, ${c.badTotal} totals that are not the sum of their credits; ${c.completions} completions (${c.sameCourse} courses reported under two ids)`,
    );
    const [p] = await this.q<{ approved: number; credits: number; missing: number; wrong: number; orphan: number }>(`
      SELECT (SELECT count(*) FROM petitions.petitions WHERE state = 'approved')::int AS approved,
             (SELECT count(*) FROM ceu_verification.petition_credits)::int AS credits,
             (SELECT count(*) FROM petitions.petitions t WHERE t.state = 'approved' AND NOT EXISTS (
                SELECT 1 FROM ceu_verification.petition_credits c WHERE c.petition_id = t.petition_id::text))::int AS missing,
             (SELECT count(*) FROM petitions.petitions t JOIN ceu_verification.petition_credits c ON c.petition_id = t.petition_id::text
               WHERE c.ceu_hundredths <> t.ceu_granted)::int AS wrong,
             (SELECT count(*) FROM ceu_verification.petition_credits c WHERE NOT EXISTS (
                SELECT 1 FROM petitions.petitions t WHERE t.petition_id::text = c.petition_id AND t.state = 'approved'))::int AS orphan`);
    this.record(
      g,
      'one credit per approved petition',
      p.missing + p.wrong + p.orphan === 0,
      `${p.approved} petitions approved, ${p.credits} credits; ${p.missing} approved without a credit, ${p.wrong} with other CEUs, ${p.orphan} credits without an approved petition`,
    );
    const [r] = await this.q<{ trainers: number; behind: number }>(`
      WITH a AS (SELECT trainer_id, max(revision) AS revision FROM applications.ceu_ledgers GROUP BY trainer_id)
      SELECT (SELECT count(*) FROM ceu_verification.ledgers)::int AS trainers,
             (SELECT count(*) FROM ceu_verification.ledgers l LEFT JOIN a USING (trainer_id)
               WHERE l.revision > 0 AND coalesce(a.revision, -1) <> l.revision)::int AS behind`);
    this.record(
      g,
      "applications holds each trainer's newest ledger",
      r.behind === 0,
      `${r.trainers} trainers' ledgers in CEU verification, ${r.behind} whose newest revision did not reach applications`,
    );
  }

  private async deadlinesFiredOnce(now: Date): Promise<void> {
    const g = 'deadlines fired once';
    for (const schema of DEADLINE_SCHEMAS) {
      const rows = await this.q<{ kind: string; status: string; n: number }>(
        `SELECT kind, status, count(*)::int AS n FROM ${schema}.deadlines GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      const overdue = await this.q<{ id: string }>(
        `SELECT deadline_id AS id FROM ${schema}.deadlines WHERE status = 'scheduled' AND due_at <= $1`,
        [now],
      );
      const summary = rows.map((r) => `${r.kind} ${r.status} ${r.n}`).join(', ') || 'none';
      this.record(
        g,
        `${schema}: none due left unfired`,
        overdue.length === 0,
        `${overdue.length} scheduled with due <= ${now.toISOString().slice(0, 10)}; ${summary}`,
        overdue.map((r) => r.id),
      );
    }
    // Each fired deadline that acted emitted its event once; no such event without a fired deadline.
    const pairs: { schema: string; kind: string; acted: string; event: string; key: string; eventKey: string }[] = [
      {
        schema: 'applications',
        kind: 'expiry-reminder',
        acted: `d.outcome LIKE 'reminded%'`,
        event: 'RecertificationReminderDue',
        key: `d.payload->>'trainerId' || '/' || (d.payload->>'cycleExpiresOn') || '/' || coalesce(d.payload->>'offsetDays', '0')`,
        eventKey: `o.envelope->'payload'->>'trainerId' || '/' || (o.envelope->'payload'->>'cycleExpiresOn') || '/' || (o.envelope->'payload'->>'daysBefore')`,
      },
      {
        schema: 'applications',
        kind: 'expiration',
        acted: `d.outcome = 'expired'`,
        event: 'CredentialExpired',
        key: `d.payload->>'trainerId' || '/' || (d.payload->>'cycleExpiresOn')`,
        eventKey: `o.envelope->'payload'->>'trainerId' || '/' || (o.envelope->'payload'->>'cycleExpiresOn')`,
      },
      {
        schema: 'applications',
        kind: 'late-window-end',
        acted: `d.outcome = 'late window closed'`,
        event: 'LateWindowClosed',
        key: `d.payload->>'trainerId' || '/' || (d.payload->>'cycleExpiresOn')`,
        eventKey: `o.envelope->'payload'->>'trainerId' || '/' || (o.envelope->'payload'->>'cycleExpiresOn')`,
      },
      {
        schema: 'applications',
        kind: 'final-window-end',
        acted: `d.outcome = 'lapsed'`,
        event: 'CredentialLapsed',
        key: `d.payload->>'trainerId' || '/' || (d.payload->>'cycleExpiresOn')`,
        eventKey: `o.envelope->'payload'->>'trainerId' || '/' || (o.envelope->'payload'->>'cycleExpiresOn')`,
      },
      {
        schema: 'audits',
        kind: 'audit-reminder',
        acted: `d.outcome LIKE 'reminded%'`,
        event: 'AuditReminderDue',
        key: `d.subject_id || '/' || coalesce(d.payload->>'offsetDays', '0')`,
        eventKey: `(o.envelope->'payload'->>'applicationId') || '/' || (o.envelope->'payload'->>'daysBefore')`,
      },
      {
        schema: 'ceu_verification',
        kind: 'waiver-end',
        acted: `d.outcome IS NOT NULL AND d.outcome NOT LIKE 'stale%'`,
        event: 'CprAedWaiverEnded',
        key: `'waiver'`,
        eventKey: `'waiver'`,
      },
    ];
    for (const p of pairs) {
      const [r] = await this.q<{ acted: number; events: number; without: number; twice: number; orphan: number }>(`
        WITH d AS (SELECT ${p.key} AS k FROM ${p.schema}.deadlines d WHERE d.kind = '${p.kind}' AND d.status = 'fired' AND ${p.acted}),
             e AS (SELECT ${p.eventKey} AS k, count(*) AS n FROM ${p.schema}.outbox o WHERE o.event_type = '${p.event}' GROUP BY 1)
        SELECT (SELECT count(*) FROM d)::int AS acted, (SELECT coalesce(sum(n), 0) FROM e)::int AS events,
               (SELECT count(*) FROM d WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.k = d.k))::int AS without,
               (SELECT count(*) FROM e WHERE n > 1)::int AS twice,
               (SELECT count(*) FROM e WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.k = e.k))::int AS orphan`);
      if (r.acted === 0 && r.events === 0) continue;
      this.record(
        g,
        `${p.kind} -> ${p.event} once`,
        r.without + r.twice + r.orphan === 0,
        `${r.acted} fired and acted, ${r.events} events; ${r.without} without an event, ${r.twice} events repeated, ${r.orphan} events without a fired deadline`,
      );
    }
    // Audits complete once (by documents or by the documentation deadline), and every selected audit completed.
    const [a] = await this.q<{
      audits: number;
      selected: number;
      open: number;
      events: number;
      twice: number;
      missing: number;
    }>(`
      WITH e AS (SELECT envelope->'payload'->>'applicationId' AS id, count(*) AS n FROM audits.outbox
                 WHERE event_type = 'AuditCompleted' GROUP BY 1)
      SELECT (SELECT count(*) FROM audits.audits)::int AS audits,
             (SELECT count(*) FROM audits.audits WHERE selected)::int AS selected,
             (SELECT count(*) FROM audits.audits WHERE status = 'awaiting-documents')::int AS open,
             (SELECT coalesce(sum(n), 0) FROM e)::int AS events,
             (SELECT count(*) FROM e WHERE n > 1)::int AS twice,
             (SELECT count(*) FROM audits.audits x WHERE x.status IN ('passed', 'failed')
                AND NOT EXISTS (SELECT 1 FROM e WHERE e.id = x.application_id::text))::int AS missing`);
    this.record(
      g,
      'audit-documentation: each audit completed once',
      a.open + a.twice + a.missing === 0,
      `${a.audits} draws, ${a.selected} selected, ${a.open} still awaiting documents; ${a.events} AuditCompleted, ${a.twice} repeated, ${a.missing} completed without one`,
    );
  }

  private async noEventLost(): Promise<void> {
    const g = 'no event lost';
    const unpublished: string[] = [];
    let outboxRows = 0;
    for (const schema of OUTBOX_SCHEMAS) {
      outboxRows += await this.n(`SELECT count(*) AS n FROM ${schema}.outbox`);
      const n = await this.n(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`);
      if (n > 0) unpublished.push(`${schema}: ${n}`);
    }
    this.record(
      g,
      'every outbox row published',
      unpublished.length === 0,
      `${outboxRows} outbox rows in six schemas; unpublished: ${unpublished.join(', ') || 'none'}`,
      unpublished,
    );

    const kafka = await this.readAllTopics();
    const missingOnKafka: string[] = [];
    for (const schema of OUTBOX_SCHEMAS) {
      const rows = await this.q<{ id: string; topic: string }>(
        `SELECT event_id::text AS id, topic FROM ${schema}.outbox WHERE published_at IS NOT NULL`,
      );
      for (const r of rows)
        if (!kafka.byTopic.get(r.topic)?.has(r.id)) missingOnKafka.push(`${schema} ${r.topic} ${r.id}`);
    }
    let copies = 0;
    for (const events of kafka.byTopic.values()) for (const e of events.values()) copies += e.copies - 1;
    this.record(
      g,
      'every published outbox event is on Kafka',
      missingOnKafka.length === 0,
      `${kafka.messages} messages on ${kafka.byTopic.size} topics; ${missingOnKafka.length} outbox events missing; ${copies} re-sent copies (at least once)`,
      missingOnKafka,
    );

    const notConsumed: string[] = [];
    const counts: string[] = [];
    for (const [schema, topics] of Object.entries(CONSUMES)) {
      const consumer = groupOf(schema);
      const inbox = new Map(
        (
          await this.q<{ id: string; outcome: string }>(
            `SELECT message_id AS id, outcome FROM ${schema}.inbox WHERE consumer = $1`,
            [consumer],
          )
        ).map((r) => [r.id, r.outcome]),
      );
      let expected = 0;
      let missing = 0;
      for (const [topic, types] of Object.entries(topics)) {
        for (const [id, e] of kafka.byTopic.get(topic) ?? []) {
          if (!types.includes(e.type)) continue;
          expected += 1;
          if (!inbox.has(id)) {
            missing += 1;
            notConsumed.push(`${schema} ${topic} ${e.type} ${id}`);
          }
        }
      }
      counts.push(`${schema} ${expected - missing}/${expected}`);
    }
    this.record(
      g,
      "every event in its consumers' inboxes (once: inbox key)",
      notConsumed.length === 0,
      `consumed/expected: ${counts.join(', ')}`,
      notConsumed,
    );

    const lag = await this.consumerLag();
    this.record(
      g,
      'consumer group lag 0 on every topic',
      lag.every((l) => l.lag === 0),
      lag
        .filter((l) => l.lag > 0)
        .map((l) => `${l.group} ${l.topic} ${l.lag}`)
        .join(', ') || `${lag.length} group/topic pairs, all 0`,
      lag.filter((l) => l.lag > 0).map((l) => `${l.group} ${l.topic} ${l.lag}`),
    );

    const parked: string[] = [];
    for (const schema of Object.keys(CONSUMES)) {
      const n = await this.n(`SELECT count(*) AS n FROM ${schema}.inbox WHERE outcome = 'dead-lettered'`);
      if (n > 0) parked.push(`${schema}: ${n}`);
    }
    const reasons = [...new Set(kafka.deadLetters.map((d) => `${d.consumer}: ${d.reason.slice(0, 160)}`))];
    this.record(
      g,
      'nothing dead-lettered',
      parked.length === 0 && kafka.deadLetters.length === 0,
      `${kafka.deadLetters.length} on ${Topics.deadLetter.name}; parked in inboxes: ${parked.join(', ') || 'none'}`,
      reasons,
    );
  }

  private async consumerLag(): Promise<{ group: string; topic: string; lag: number }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const out: { group: string; topic: string; lag: number }[] = [];
      for (const [schema, topics] of Object.entries(CONSUMES)) {
        const group = groupOf(schema);
        const committed = await admin.fetchOffsets({ groupId: group, topics: Object.keys(topics) });
        for (const { topic, partitions } of committed) {
          const ends = await admin.fetchTopicOffsets(topic);
          let lag = 0;
          for (const end of ends) {
            const c = partitions.find((p) => p.partition === end.partition);
            const from = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
            lag += Math.max(0, Number(end.high) - from);
          }
          out.push({ group, topic, lag });
        }
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  /** Reads every topic whole (a fresh group, from the beginning, up to the high watermarks). */
  private async readAllTopics(): Promise<KafkaContents> {
    const admin = this.kafka.admin();
    await admin.connect();
    const targets = new Map<string, number>();
    let total = 0;
    try {
      for (const t of ALL_TOPICS) {
        for (const o of await admin.fetchTopicOffsets(t.name)) {
          const count = Number(o.high) - Number(o.low);
          total += count;
          if (count > 0) targets.set(`${t.name}/${o.partition}`, Number(o.high));
        }
      }
    } finally {
      await admin.disconnect();
    }
    const contents: KafkaContents = { byTopic: new Map(), messages: 0, deadLetters: [] };
    for (const t of ALL_TOPICS) contents.byTopic.set(t.name, new Map());
    if (total === 0) return contents;
    const consumer = this.kafka.consumer({ groupId: `fault-suite-read-${Date.now()}`, maxBytes: 16 * 1024 * 1024 });
    await consumer.connect();
    await consumer.subscribe({ topics: ALL_TOPICS.map((t) => t.name), fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const remaining = new Set(targets.keys());
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ topic, partition, message }) => {
        contents.messages += 1;
        try {
          const envelope = JSON.parse(message.value?.toString() ?? '{}');
          if (topic === Topics.deadLetter.name) {
            contents.deadLetters.push({ consumer: envelope.payload?.consumer, reason: envelope.payload?.reason ?? '' });
          }
          const events = contents.byTopic.get(topic) as Map<string, { type: string; copies: number }>;
          const seen = events.get(envelope.id);
          if (seen) seen.copies += 1;
          else events.set(envelope.id, { type: envelope.type, copies: 1 });
        } catch {
          // not JSON: not ours (no such message is sent)
        }
        const key = `${topic}/${partition}`;
        if (Number(message.offset) + 1 >= (targets.get(key) ?? 0)) {
          remaining.delete(key);
          if (remaining.size === 0) done();
        }
      },
    });
    const timeout = new Promise<void>((_, reject) =>
      setTimeout(
        () => reject(new Error(`reading every topic: ${remaining.size} partitions unread after 120 s`)),
        120_000,
      ),
    );
    try {
      await Promise.race([finished, timeout]);
    } finally {
      await consumer.disconnect();
    }
    return contents;
  }
}
