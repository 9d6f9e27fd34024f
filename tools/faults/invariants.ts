import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { ALL_TOPICS, KAFKA_ADMIN, Topics } from '@recert/contracts';
import { fetchTopicEnds } from '@recert/messaging';
import { kafkaAs } from '../kafka-clients';
import { CohortFacts, FIRED_WITHIN_MS } from './production-deadlines';

/** One invariant's verdict, with the counts that back it. */
export interface InvariantResult {
  group: string;
  name: string;
  ok: boolean;
  detail: string;
  /** A few offending ids or rows, for a failure. */
  examples?: string[];
}

/** What the load knows and the databases cannot: what it sent, and what DOMAIN.md says must come of it. */
export interface LoadFacts {
  /** Application ids the load submitted (and expects to be received). */
  submittedApplicationIds: string[];
  /** Trainers whose outcome differs from the one written by hand for their kind, as the load's report says. */
  mismatches: string[];
  /** Applications the load expected a decision for (or all submitted, when it does not say). */
  decisionsExpected: number;
  /** Credentials that never apply, and the day they lapse (R9: expiration + 1 year). */
  lapsingCredentials: { credentialId: string; lapsesOn: string }[];
}

/** How the run's deadlines were fired, for the deadline invariants. */
export interface DeadlineFacts {
  /**
   * How long past due a scheduled deadline may still be on its way (0 with time travel: moving the
   * clock returns once every deadline due fired; on the system clock BullMQ fires on its own time).
   */
  overdueBoundMs: number;
  /** The production path's cohort due at M across the faults, if the run had one. */
  cohort?: CohortFacts;
}

/**
 * Which service consumes which event types of which topic (each service's message controllers;
 * other types of a topic are skipped and never enter the inbox).
 */
export const CONSUMES: Record<string, Record<string, string[]>> = {
  applications: {
    [Topics.examCertifications.name]: ['TrainerCertified'],
    [Topics.portalSubmissions.name]: ['RecertificationApplicationSubmitted'],
    [Topics.ceuEvents.name]: ['LedgerAtReceipt'],
    [Topics.paymentEvents.name]: ['MembershipAtReceipt', 'PayableSettled', 'PayableRefunded'],
    [Topics.auditEvents.name]: ['AuditDrawn', 'AuditCompleted'],
  },
  ceu_verification: {
    [Topics.providerRegistry.name]: ['ApprovedCourseRegistered'],
    [Topics.cprAedCards.name]: ['CprAedCardIssued'],
    [Topics.courseCompletions.name]: ['CourseCompleted'],
    [Topics.petitionEvents.name]: ['PetitionApproved'],
    [Topics.applicationEvents.name]: ['CycleStarted', 'ApplicationReceived', 'ApplicationDecided'],
  },
  petitions: {
    [Topics.portalSubmissions.name]: ['CoursePetitionSubmitted', 'CoursePetitionWithdrawn'],
    [Topics.paymentEvents.name]: ['PayableSettled'],
  },
  payments: {
    [Topics.processorEvents.name]: [
      'PaymentSucceeded',
      'PaymentFailed',
      'PaymentRefunded',
      'RecertifyForLifeMembershipPurchased',
    ],
    [Topics.applicationEvents.name]: [
      'ApplicationReceived',
      'ApplicationSubmitted',
      'ApplicationRefused',
      'ApplicationDecided',
    ],
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
      // Every topic read whole, every group's commits: only admin may (issue 13).
      kafkaAs(KAFKA_ADMIN, 'fault-suite-invariants', brokers),
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
  async checkAll(facts: LoadFacts, clockNow: Date, deadlines: DeadlineFacts): Promise<InvariantResult[]> {
    await this.applicationsDecidedOnce(facts, clockNow);
    await this.noFeeChargedTwice();
    await this.moneyFollowsTheFacts();
    await this.noCeuCreditedTwice();
    await this.creditsUsedOnce();
    await this.deadlinesFiredOnce(clockNow, deadlines.overdueBoundMs);
    if (deadlines.cohort) await this.cohortFiredOnce(deadlines.cohort);
    await this.noEventLost();
    return this.results;
  }

  // ------------------------------------------------------------------------------------------

  private async applicationsDecidedOnce(facts: LoadFacts, now: Date): Promise<void> {
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
    // 'received' waits for the ledger at receipt, 'submitted' for its fee and audit: neither may last.
    const undecided = await this.q<{ id: string; status: string }>(
      `SELECT application_id::text AS id, status FROM applications.applications WHERE status IN ('received', 'submitted')`,
    );
    this.record(
      g,
      'none left undecided (received or submitted)',
      undecided.length === 0,
      `${undecided.filter((r) => r.status === 'received').length} still 'received', ${undecided.filter((r) => r.status === 'submitted').length} still 'submitted'`,
      undecided.map((r) => `${r.id} ${r.status}`),
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
    const [refused] = await this.q<{
      refused: number;
      events: number;
      missing: number;
      duplicated: number;
      orphan: number;
      disagree: number;
    }>(`
      WITH e AS (
        SELECT envelope->'payload'->>'applicationId' AS id, count(*) AS n,
               min(envelope->'payload'->>'failedRules') AS rules
        FROM applications.outbox WHERE event_type = 'ApplicationRefused' GROUP BY 1),
      a AS (SELECT application_id::text AS id, refusal FROM applications.applications WHERE status = 'refused')
      SELECT (SELECT count(*) FROM a)::int AS refused,
             (SELECT coalesce(sum(n), 0) FROM e)::int AS events,
             (SELECT count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.id = a.id))::int AS missing,
             (SELECT count(*) FROM e WHERE n > 1)::int AS duplicated,
             (SELECT count(*) FROM e WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.id = e.id))::int AS orphan,
             (SELECT count(*) FROM e JOIN a USING (id) WHERE (a.refusal->'failedRules')::text IS DISTINCT FROM e.rules::jsonb::text)::int AS disagree`);
    this.record(
      g,
      'one ApplicationRefused per refused application, naming its rules',
      refused.missing + refused.duplicated + refused.orphan + refused.disagree === 0,
      `${refused.refused} refused, ${refused.events} ApplicationRefused in the outbox; ${refused.missing} without, ${refused.duplicated} with more than one, ${refused.orphan} for no refused application, ${refused.disagree} whose failed rules differ from the row's`,
    );
    this.record(
      g,
      'outcome as DOMAIN.md says (written by hand per kind)',
      facts.mismatches.length === 0,
      `${facts.mismatches.length} trainers whose outcome, fee or credits differ from their kind's (load report)`,
      facts.mismatches,
    );
    // R8, R9: a credential that never applies lapses a year after expiring, once.
    const today = now.toISOString().slice(0, 10);
    const due = facts.lapsingCredentials.filter((c) => c.lapsesOn <= today);
    const lapsed = new Map(
      (
        await this.q<{ id: string; n: number }>(
          `SELECT envelope->'payload'->>'credentialId' AS id, count(*)::int AS n FROM applications.outbox
           WHERE event_type = 'CredentialLapsed' AND envelope->'payload'->>'credentialId' = ANY($1) GROUP BY 1`,
          [due.map((c) => c.credentialId)],
        )
      ).map((r) => [r.id, r.n]),
    );
    const notLapsed = due.filter((c) => lapsed.get(c.credentialId) !== 1);
    this.record(
      g,
      'a credential never applied for lapses once (R9)',
      notLapsed.length === 0,
      `${facts.lapsingCredentials.length} never applied for, ${due.length} past their final window on ${today}; ${notLapsed.length} without exactly one CredentialLapsed`,
      notLapsed.map(
        (c) => `${c.credentialId} (lapses ${c.lapsesOn}): ${lapsed.get(c.credentialId) ?? 0} CredentialLapsed`,
      ),
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

  /**
   * Issue 12, items 3 and 9 (DOMAIN.md "Money"): no application is approved on a fee that is not
   * paid (a refunded fee is unpaid again), and no payable stays open for what has ended (a refused
   * or denied application, a withdrawn or denied petition).
   */
  private async moneyFollowsTheFacts(): Promise<void> {
    const g = 'money follows the facts';
    const approvedUnpaid = await this.q<{ id: string }>(`
      SELECT a.application_id::text AS id FROM applications.applications a
      JOIN payments.payables p ON p.purpose = 'application-fee' AND p.reference_id = a.application_id::text
      WHERE a.status = 'approved' AND p.status <> 'paid'`);
    const [approved] = await this.q<{ n: number; refunds: number }>(`
      SELECT (SELECT count(*) FROM applications.applications WHERE status = 'approved')::int AS n,
             (SELECT count(*) FROM payments.processor_events WHERE kind = 'refunded')::int AS refunds`);
    this.record(
      g,
      'no approval on a fee that is not paid (a refund makes it unpaid)',
      approvedUnpaid.length === 0,
      `${approved.n} approved, ${approvedUnpaid.length} whose fee is not paid; ${approved.refunds} refunds from the processor`,
      approvedUnpaid.slice(0, 5).map((r) => r.id),
    );
    const openForEnded = await this.q<{ id: string }>(`
      SELECT p.payable_id AS id FROM payments.payables p
      WHERE p.status = 'open' AND (
        (p.purpose = 'application-fee' AND EXISTS (SELECT 1 FROM applications.applications a
           WHERE a.application_id::text = p.reference_id AND a.status IN ('refused', 'denied')))
        OR (p.purpose = 'petition-fee' AND EXISTS (SELECT 1 FROM petitions.petitions t
           WHERE t.petition_id::text = p.reference_id AND t.state IN ('withdrawn', 'denied'))))`);
    const [ended] = await this.q<{ n: number }>(`
      SELECT ((SELECT count(*) FROM applications.applications WHERE status IN ('refused', 'denied'))
            + (SELECT count(*) FROM petitions.petitions WHERE state IN ('withdrawn', 'denied')))::int AS n`);
    this.record(
      g,
      'no payable open for something that ended',
      openForEnded.length === 0,
      `${ended.n} applications refused or denied and petitions withdrawn or denied; ${openForEnded.length} of their payables still open`,
      openForEnded.slice(0, 5).map((r) => r.id),
    );
  }

  private async noCeuCreditedTwice(): Promise<void> {
    const g = 'no CEU credited twice';
    // The ledger each application was judged on, as applications kept it (ledger_at_receipt).
    const [c] = await this.q<{
      ledgers: number;
      repeated: number;
      badTotal: number;
      completions: number;
      sameCourse: number;
    }>(`
      WITH l AS (SELECT application_id, ledger_at_receipt AS j FROM applications.applications WHERE ledger_at_receipt IS NOT NULL),
           items AS (SELECT l.application_id, x->>'source' AS source, x->>'id' AS id, (x->>'ceuHundredths')::int AS ceu
                     FROM l, jsonb_array_elements(l.j->'counted') x)
      SELECT (SELECT count(*) FROM l)::int AS ledgers,
             (SELECT count(*) FROM (SELECT 1 FROM items GROUP BY application_id, source, id HAVING count(*) > 1) r)::int AS repeated,
             (SELECT count(*) FROM l WHERE (l.j->>'totalCeuHundredths')::int <> coalesce(
                (SELECT sum(i.ceu) FROM items i WHERE i.application_id = l.application_id), 0))::int AS "badTotal",
             (SELECT count(*) FROM ceu_verification.completions)::int AS completions,
             (SELECT count(*) FROM (SELECT 1 FROM ceu_verification.completions
                GROUP BY trainer_id, provider_id, course_id, completed_on HAVING count(*) > 1) r)::int AS "sameCourse"`);
    this.record(
      g,
      'each completion or petition counted once per ledger at receipt',
      c.repeated + c.badTotal === 0,
      `${c.ledgers} ledgers at receipt (kept with their applications), ${c.repeated} credits counted twice, ${c.badTotal} totals that are not the sum of their credits; ${c.completions} completions (${c.sameCourse} courses reported under two ids)`,
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
    // "A decision waits for the facts": every receipt is answered with its ledger, once, and the
    // application keeps the very ledger it was answered with.
    const [r] = await this.q<{
      received: number;
      answers: number;
      unanswered: number;
      twice: number;
      orphan: number;
      notKept: number;
      disagree: number;
      waiting: number;
    }>(`
      WITH rc AS (SELECT DISTINCT envelope->'payload'->>'applicationId' AS id FROM applications.outbox WHERE event_type = 'ApplicationReceived'),
           la AS (SELECT envelope->'payload'->>'applicationId' AS id, count(*) AS n, min((envelope->'payload'->'counted')::text) AS counted
                  FROM ceu_verification.outbox WHERE event_type = 'LedgerAtReceipt' GROUP BY 1)
      SELECT (SELECT count(*) FROM rc)::int AS received,
             (SELECT coalesce(sum(n), 0) FROM la)::int AS answers,
             (SELECT count(*) FROM rc WHERE NOT EXISTS (SELECT 1 FROM la WHERE la.id = rc.id))::int AS unanswered,
             (SELECT count(*) FROM la WHERE n > 1)::int AS twice,
             (SELECT count(*) FROM la WHERE NOT EXISTS (SELECT 1 FROM rc WHERE rc.id = la.id))::int AS orphan,
             (SELECT count(*) FROM rc JOIN applications.applications a ON a.application_id::text = rc.id
               WHERE a.ledger_at_receipt IS NULL)::int AS "notKept",
             (SELECT count(*) FROM la JOIN applications.applications a ON a.application_id::text = la.id
               WHERE a.ledger_at_receipt IS NOT NULL AND (a.ledger_at_receipt->'counted')::text <> la.counted::jsonb::text)::int AS disagree,
             (SELECT count(*) FROM ceu_verification.receipts_awaiting_inputs)::int AS waiting`);
    this.record(
      g,
      'every receipt answered with its ledger, once',
      r.unanswered + r.twice + r.orphan + r.notKept + r.disagree + r.waiting === 0,
      `${r.received} ApplicationReceived, ${r.answers} LedgerAtReceipt; ${r.unanswered} unanswered, ${r.twice} answered twice, ${r.orphan} answers to no receipt, ${r.notKept} applications without their ledger, ${r.disagree} keeping another ledger than the answer, ${r.waiting} receipts still waiting for inputs`,
    );
    // R10, issue 13: every receipt is answered by payments with the membership held then, once, and
    // the application's fee is fixed on it.
    const [m] = await this.q<{
      received: number;
      answers: number;
      unanswered: number;
      twice: number;
      orphan: number;
      notFixed: number;
      waiting: number;
    }>(`
      WITH rc AS (SELECT DISTINCT envelope->'payload'->>'applicationId' AS id FROM applications.outbox WHERE event_type = 'ApplicationReceived'),
           ma AS (SELECT envelope->'payload'->>'applicationId' AS id, count(*) AS n
                  FROM payments.outbox WHERE event_type = 'MembershipAtReceipt' GROUP BY 1)
      SELECT (SELECT count(*) FROM rc)::int AS received,
             (SELECT coalesce(sum(n), 0) FROM ma)::int AS answers,
             (SELECT count(*) FROM rc WHERE NOT EXISTS (SELECT 1 FROM ma WHERE ma.id = rc.id))::int AS unanswered,
             (SELECT count(*) FROM ma WHERE n > 1)::int AS twice,
             (SELECT count(*) FROM ma WHERE NOT EXISTS (SELECT 1 FROM rc WHERE rc.id = ma.id))::int AS orphan,
             (SELECT count(*) FROM rc JOIN applications.applications a ON a.application_id::text = rc.id
               WHERE NOT a.fee_fixed)::int AS "notFixed",
             (SELECT count(*) FROM payments.receipts_awaiting_memberships)::int AS waiting`);
    this.record(
      g,
      'every receipt answered with the membership held then, once, and its fee fixed on it',
      m.unanswered + m.twice + m.orphan + m.notFixed + m.waiting === 0,
      `${m.received} ApplicationReceived, ${m.answers} MembershipAtReceipt; ${m.unanswered} unanswered, ${m.twice} answered twice, ${m.orphan} answers to no receipt, ${m.notFixed} applications whose fee is not fixed, ${m.waiting} receipts still waiting for processor events`,
    );
  }

  /**
   * "Credits are used once" (R4, issue 12): an approval consumes exactly the credits it counted,
   * CEU verification records each of them once per credential, and no later cycle of the same
   * credential counts one again (not in an approval, not in its newest ledger).
   */
  private async creditsUsedOnce(): Promise<void> {
    const g = 'credits used once';
    const approvedCredits = `
      SELECT a.application_id, a.credential_id, a.cycle_expires_on, x AS credit_id
      FROM applications.applications a, jsonb_array_elements_text(coalesce(a.consumed_credit_ids, '[]'::jsonb)) x
      WHERE a.status = 'approved'`;
    const [rec] = await this.q<{
      approved: number;
      consumed: number;
      rows: number;
      missing: number;
      elsewhere: number;
      orphan: number;
      noIds: number;
    }>(`
      WITH ac AS (${approvedCredits})
      SELECT (SELECT count(*) FROM applications.applications WHERE status = 'approved')::int AS approved,
             (SELECT count(*) FROM ac)::int AS consumed,
             (SELECT count(*) FROM ceu_verification.consumed_credits)::int AS rows,
             (SELECT count(*) FROM applications.applications WHERE status = 'approved' AND consumed_credit_ids IS NULL)::int AS "noIds",
             (SELECT count(*) FROM ac WHERE NOT EXISTS (SELECT 1 FROM ceu_verification.consumed_credits c
                WHERE c.credential_id = ac.credential_id AND c.credit_id = ac.credit_id))::int AS missing,
             (SELECT count(*) FROM ac JOIN ceu_verification.consumed_credits c
                ON c.credential_id = ac.credential_id AND c.credit_id = ac.credit_id
               WHERE c.application_id <> ac.application_id OR c.cycle_expires_on <> ac.cycle_expires_on)::int AS elsewhere,
             (SELECT count(*) FROM ceu_verification.consumed_credits c WHERE NOT EXISTS (SELECT 1 FROM ac
                WHERE ac.credential_id = c.credential_id AND ac.credit_id = c.credit_id AND ac.application_id = c.application_id))::int AS orphan`);
    this.record(
      g,
      "every approval's consumed credits recorded by CEU verification",
      rec.noIds + rec.missing + rec.elsewhere + rec.orphan === 0,
      `${rec.approved} approved, ${rec.consumed} credits consumed, ${rec.rows} consumed_credits rows; ${rec.noIds} approvals without their consumed ids, ${rec.missing} not recorded, ${rec.elsewhere} recorded for another application or cycle, ${rec.orphan} rows for no approval that consumed them`,
    );
    const twice = await this.q<{ k: string }>(`
      WITH ac AS (${approvedCredits})
      SELECT credential_id || ' ' || credit_id || ': ' || string_agg(application_id::text, ', ') AS k FROM ac
      GROUP BY credential_id, credit_id HAVING count(*) > 1`);
    this.record(
      g,
      'no credit consumed twice per credential',
      twice.length === 0,
      `${twice.length} credits consumed by two approvals of one credential`,
      twice.map((r) => r.k),
    );
    const [exact] = await this.q<{ differ: number }>(`
      SELECT count(*)::int AS differ FROM applications.applications a
      WHERE a.status = 'approved' AND
        (SELECT coalesce(jsonb_agg(x ORDER BY x), '[]'::jsonb) FROM jsonb_array_elements_text(coalesce(a.consumed_credit_ids, '[]'::jsonb)) x)
        IS DISTINCT FROM
        (SELECT coalesce(jsonb_agg(c->>'id' ORDER BY c->>'id'), '[]'::jsonb) FROM jsonb_array_elements(coalesce(a.ledger_at_receipt->'counted', '[]'::jsonb)) c)`);
    this.record(
      g,
      'an approval consumes exactly the credits it counted',
      exact.differ === 0,
      `${exact.differ} approvals whose consumed credits differ from those their ledger at receipt counted`,
    );
    // A later approval of the same credential that counted what an earlier cycle had consumed.
    const reused = await this.q<{ k: string }>(`
      WITH ac AS (${approvedCredits})
      SELECT b.application_id::text || ' (cycle ' || b.cycle_expires_on || ') counted ' || (x->>'id') AS k
      FROM applications.applications b, jsonb_array_elements(coalesce(b.ledger_at_receipt->'counted', '[]'::jsonb)) x
      WHERE b.status = 'approved' AND (
        EXISTS (SELECT 1 FROM ac WHERE ac.credential_id = b.credential_id AND ac.credit_id = x->>'id'
                  AND ac.cycle_expires_on < b.cycle_expires_on)
        OR EXISTS (SELECT 1 FROM ceu_verification.consumed_credits c WHERE c.credential_id = b.credential_id
                  AND c.credit_id = x->>'id' AND c.cycle_expires_on < b.cycle_expires_on))`);
    // The newest ledger of each credential (once every approval was applied) counts no credit an
    // earlier cycle consumed, even one completed inside the new cycle (late trainers' courses).
    const [newest] = await this.q<{ credentials: number; later: number; insideNext: number; counting: number }>(`
      WITH n AS (
        SELECT DISTINCT ON (envelope->'payload'->>'credentialId') envelope->'payload' AS p
        FROM ceu_verification.outbox WHERE event_type = 'CeuLedgerChanged'
        ORDER BY envelope->'payload'->>'credentialId', (envelope->'payload'->>'revision')::int DESC, id DESC)
      SELECT (SELECT count(*) FROM n)::int AS credentials,
             (SELECT count(*) FROM n WHERE EXISTS (SELECT 1 FROM ceu_verification.consumed_credits c
                WHERE c.credential_id = n.p->>'credentialId' AND c.cycle_expires_on < (n.p->>'cycleExpiresOn')::date))::int AS later,
             (SELECT count(*) FROM ceu_verification.consumed_credits c JOIN ceu_verification.completions k
                ON k.completion_id = c.credit_id WHERE k.completed_on > c.cycle_expires_on)::int AS "insideNext",
             (SELECT count(*) FROM n, jsonb_array_elements(n.p->'counted') x WHERE EXISTS (
                SELECT 1 FROM ceu_verification.consumed_credits c WHERE c.credential_id = n.p->>'credentialId'
                  AND c.credit_id = x->>'id' AND c.cycle_expires_on < (n.p->>'cycleExpiresOn')::date))::int AS counting`);
    this.record(
      g,
      'no later cycle counts a credit an earlier cycle consumed',
      reused.length + newest.counting === 0,
      `${newest.credentials} credentials' newest ledgers, ${newest.later} in a cycle after one that consumed credits (${newest.insideNext} consumed credits completed inside the next cycle); ${newest.counting} such credits counted again by a newest ledger, ${reused.length} by a later approval`,
      reused.map((r) => r.k),
    );
  }

  private async deadlinesFiredOnce(now: Date, overdueBoundMs: number): Promise<void> {
    const g = 'deadlines fired once';
    const by = new Date(now.getTime() - overdueBoundMs);
    for (const schema of DEADLINE_SCHEMAS) {
      const rows = await this.q<{ kind: string; status: string; n: number }>(
        `SELECT kind, status, count(*)::int AS n FROM ${schema}.deadlines GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      const overdue = await this.q<{ id: string }>(
        `SELECT deadline_id AS id FROM ${schema}.deadlines WHERE status = 'scheduled' AND due_at <= $1`,
        [by],
      );
      const summary = rows.map((r) => `${r.kind} ${r.status} ${r.n}`).join(', ') || 'none';
      this.record(
        g,
        `${schema}: none due left unfired`,
        overdue.length === 0,
        `${overdue.length} scheduled with due <= ${overdueBoundMs > 0 ? `${by.toISOString()} (now − ${overdueBoundMs / 1000} s)` : now.toISOString().slice(0, 10)}; ${summary}`,
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
    // Audits complete once (by a reviewer or by the documentation deadline), and every selected audit completed.
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
             (SELECT count(*) FROM audits.audits WHERE status IN ('awaiting-documents', 'under-review'))::int AS open,
             (SELECT coalesce(sum(n), 0) FROM e)::int AS events,
             (SELECT count(*) FROM e WHERE n > 1)::int AS twice,
             (SELECT count(*) FROM audits.audits x WHERE x.status IN ('passed', 'failed')
                AND NOT EXISTS (SELECT 1 FROM e WHERE e.id = x.application_id::text))::int AS missing`);
    this.record(
      g,
      'audit-documentation: each audit completed once',
      a.open + a.twice + a.missing === 0,
      `${a.audits} draws, ${a.selected} selected, ${a.open} still open; ${a.events} AuditCompleted, ${a.twice} repeated, ${a.missing} completed without one`,
    );
  }

  /**
   * The production path's cohort (production-deadlines.ts): each credential's deadline due at M
   * fired once, at or after M, and within FIRED_WITHIN_MS of PostgreSQL's return, though Redis was
   * flushed before M and PostgreSQL was down across it for longer than the job's attempts; its
   * event is in the outbox once, naming the day D that began at M.
   */
  private async cohortFiredOnce(c: CohortFacts): Promise<void> {
    const g = `production path: deadlines due at M = ${c.dueAt.toISOString()} (${c.dueOn} in ${c.timeZone})`;
    this.record(
      g,
      "the outage outlasted every cohort job's attempts",
      c.failedDuringOutage === c.credentials.length,
      `${c.failedDuringOutage}/${c.credentials.length} jobs in BullMQ's failed set while PostgreSQL was down`,
    );
    const rows = await this.q<{
      credential: string;
      kind: string;
      offset: number | null;
      status: string;
      firedAt: Date | null;
    }>(
      `SELECT payload->>'credentialId' AS credential, kind, (payload->>'offsetDays')::int AS offset, status, fired_at AS "firedAt"
       FROM applications.deadlines WHERE payload->>'credentialId' = ANY($1) AND due_at = $2`,
      [c.credentials.map((x) => x.credentialId), c.dueAt],
    );
    const latest = c.recoveredAt.getTime() + FIRED_WITHIN_MS;
    const wrong: string[] = [];
    for (const x of c.credentials) {
      const mine = rows.filter(
        (r) => r.credential === x.credentialId && r.kind === x.deadlineKind && (x.daysBefore ?? null) === r.offset,
      );
      const r = mine[0];
      const at = r?.firedAt ? new Date(r.firedAt).getTime() : NaN;
      if (mine.length !== 1) wrong.push(`${x.credentialId} (${x.kind}): ${mine.length} such deadlines due at M`);
      else if (r.status !== 'fired') wrong.push(`${x.credentialId} (${x.kind}): ${r.status}`);
      else if (!(at >= c.dueAt.getTime() && at <= latest))
        wrong.push(`${x.credentialId} (${x.kind}): fired at ${new Date(at).toISOString()}`);
    }
    this.record(
      g,
      `each fired once, after M, within ${FIRED_WITHIN_MS / 1000} s of PostgreSQL's return (${c.recoveredAt.toISOString()})`,
      wrong.length === 0 && rows.length === c.credentials.length,
      `${c.credentials.length} credentials, ${rows.length} deadlines due at M, ${rows.filter((r) => r.status === 'fired').length} fired; ${wrong.length} wrong`,
      wrong,
    );
    const dayField: Record<string, string> = {
      CredentialExpired: 'expiredOn',
      LateWindowClosed: 'closedOn',
      CredentialLapsed: 'lapsedOn',
      RecertificationReminderDue: 'dueOn',
    };
    const events = await this.q<{ credential: string; type: string; day: string; daysBefore: number | null }>(
      `SELECT envelope->'payload'->>'credentialId' AS credential, event_type AS type,
              coalesce(envelope->'payload'->>'expiredOn', envelope->'payload'->>'closedOn',
                       envelope->'payload'->>'lapsedOn', envelope->'payload'->>'dueOn') AS day,
              (envelope->'payload'->>'daysBefore')::int AS "daysBefore"
       FROM applications.outbox WHERE envelope->'payload'->>'credentialId' = ANY($1) AND event_type = ANY($2)`,
      [c.credentials.map((x) => x.credentialId), Object.keys(dayField)],
    );
    const notOnce: string[] = [];
    for (const x of c.credentials) {
      const n = events.filter(
        (e) =>
          e.credential === x.credentialId &&
          e.type === x.event &&
          e.day === c.dueOn &&
          (x.daysBefore ?? null) === e.daysBefore,
      ).length;
      if (n !== 1) notOnce.push(`${x.credentialId} (${x.kind}): ${n} ${x.event} for ${c.dueOn}`);
    }
    this.record(
      g,
      "each one's event once, naming the day that began at M",
      notOnce.length === 0,
      `${c.credentials.length - notOnce.length}/${c.credentials.length} with exactly one (${[...new Set(c.credentials.map((x) => x.event))].join(', ')}); ${events.length} such events of the cohort in all`,
      notOnce,
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
          const ends = await fetchTopicEnds(admin, topic);
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
        for (const o of await fetchTopicEnds(admin, t.name)) {
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
