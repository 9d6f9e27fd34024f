import { randomUUID } from 'node:crypto';
import { ApplicationSubmitted, AuditDocumentUploaded, PayloadInputOf, PayloadOf } from '@recert/contracts';
import { DeadlineRunner } from '@recert/deadlines';
import { FixedClock } from '@recert/clock';
import { UnitOfWork } from '@recert/messaging';
import { createPolicy, RecertPolicy } from '@recert/rules';
import { createTestDatabase, TestDatabase } from '@recert/testing';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { migrations } from '../database/migrations';
import { DecideAuditHandler } from '../decide-audit/decide-audit.handler';
import { DrawAuditHandler } from '../draw-audit/draw-audit.handler';
import { AuditDeadlines } from '../enforce-audit-deadlines/audit-deadlines';
import { EnforceAuditDeadlineHandler } from '../enforce-audit-deadlines/enforce-audit-deadline.handler';
import { ExtendAuditHandler } from '../extend-audit/extend-audit.handler';
import { ReceiveDocumentHandler } from '../receive-document/receive-document.handler';
import { ReviewDocumentHandler } from '../review-document/review-document.handler';

export const REVIEWER = { name: 'alice', roles: ['reviewer'] as const };

/**
 * The audits service's use cases wired by hand on a migrated schema of their own (real
 * PostgreSQL), with a clock the test sets: what each integration spec of this service runs on.
 */
export class AuditsFixture {
  readonly clock: FixedClock;
  readonly unitOfWork: UnitOfWork;
  readonly lifecycle: AuditLifecycle;
  readonly deadlines: AuditDeadlines;
  readonly draw: DrawAuditHandler;
  readonly receive: ReceiveDocumentHandler;
  readonly review: ReviewDocumentHandler;
  readonly decide: DecideAuditHandler;
  readonly extend: ExtendAuditHandler;
  readonly enforce: EnforceAuditDeadlineHandler;

  private constructor(
    readonly db: TestDatabase,
    now: string,
    readonly policy: RecertPolicy,
  ) {
    this.clock = new FixedClock(new Date(now));
    this.unitOfWork = new UnitOfWork(db.dataSource, this.clock, 'audits');
    this.lifecycle = new AuditLifecycle(this.clock);
    this.enforce = new EnforceAuditDeadlineHandler(this.lifecycle);
    // The runner only matters to onModuleInit (registering the handlers), which these tests call directly.
    this.deadlines = new AuditDeadlines({} as DeadlineRunner, this.lifecycle, this.enforce, policy);
    this.draw = new DrawAuditHandler(this.lifecycle, this.deadlines, this.clock, policy);
    this.receive = new ReceiveDocumentHandler(this.lifecycle);
    this.review = new ReviewDocumentHandler(this.lifecycle, this.deadlines);
    this.decide = new DecideAuditHandler(this.lifecycle);
    this.extend = new ExtendAuditHandler(this.lifecycle, this.deadlines, policy);
  }

  static async start(prefix: string, now: string, policy: Partial<RecertPolicy> = {}): Promise<AuditsFixture> {
    const db = await createTestDatabase({ prefix, migrations });
    return new AuditsFixture(db, now, createPolicy({ auditRatePpm: 1_000_000, ...policy }));
  }

  stop(): Promise<void> {
    return this.db.drop();
  }

  at(instant: string): void {
    this.clock.set(new Date(instant));
  }

  /** An application submitted now: the draw runs on it. */
  async submitted(overrides: Partial<PayloadOf<typeof ApplicationSubmitted>> = {}) {
    const application = {
      applicationId: randomUUID(),
      trainerId: 'T-1',
      credentialId: 'CPT-1',
      timeZone: 'UTC',
      cycleExpiresOn: '2027-06-30',
      receivedOn: '2027-03-02',
      fee: {
        tier: 'standard' as const,
        lines: [{ kind: 'standard' as const, amountCents: 9_900 }],
        totalCents: 9_900,
        waivedBy: null,
      },
      countedCreditIds: ['C1'],
      ...overrides,
    };
    await this.unitOfWork.run((scope) => this.draw.execute(scope, application));
    return application;
  }

  /** The document store reports a document uploaded now (or at `uploadedAt`). */
  async uploaded(
    applicationId: string,
    kind: PayloadInputOf<typeof AuditDocumentUploaded>['kind'],
    options: { completionId?: string; uploadedAt?: string; documentId?: string } = {},
  ): Promise<string> {
    const documentId = options.documentId ?? `DOC-${randomUUID().slice(0, 8)}`;
    await this.unitOfWork.run((scope) =>
      this.receive.execute(scope, {
        documentId,
        trainerId: 'T-1',
        applicationId,
        kind,
        ...(options.completionId ? { completionId: options.completionId } : {}),
        storageRef: `s3://audit/${documentId}`,
        uploadedAt: options.uploadedAt ?? this.clock.now().toISOString(),
      }),
    );
    return documentId;
  }

  /** All three documents of an audit that asks for one certificate (C1). */
  async allDocuments(applicationId: string): Promise<string[]> {
    return [
      await this.uploaded(applicationId, 'course-certificate', { completionId: 'C1' }),
      await this.uploaded(applicationId, 'cpr-aed-card-front'),
      await this.uploaded(applicationId, 'cpr-aed-card-back'),
    ];
  }

  async audit(applicationId: string): Promise<Record<string, unknown>> {
    const [row] = await this.db.dataSource.query(
      `SELECT status, selected, forced, forced_reason, time_zone, drawn_on, documentation_due_on, seed, draw_value,
              decided_by, decision_reason, findings, extensions
       FROM audits WHERE application_id = $1`,
      [applicationId],
    );
    return row;
  }

  /** The payloads this service published of one type, for one application, in order. */
  async published(type: string, applicationId: string): Promise<Record<string, unknown>[]> {
    const rows: { envelope: { payload: Record<string, unknown> } }[] = await this.db.dataSource.query(
      `SELECT envelope FROM outbox WHERE event_type = $1 AND envelope->'payload'->>'applicationId' = $2 ORDER BY id`,
      [type, applicationId],
    );
    return rows.map((r) => r.envelope.payload);
  }

  async scheduledDeadlines(applicationId: string): Promise<string[]> {
    const rows: { kind: string; due_at: Date }[] = await this.db.dataSource.query(
      `SELECT kind, due_at FROM deadlines WHERE subject_id = $1 AND status = 'scheduled' ORDER BY due_at, kind`,
      [applicationId],
    );
    return rows.map((r) => `${r.kind}@${r.due_at.toISOString()}`);
  }

  async actions(applicationId: string): Promise<Record<string, unknown>[]> {
    return this.db.dataSource.query(
      `SELECT action, document_id, actor_name, actor_roles, acted_at, reason FROM audit_actions
       WHERE application_id = $1 ORDER BY action_id`,
      [applicationId],
    );
  }
}
