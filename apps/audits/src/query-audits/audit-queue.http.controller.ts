import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock, CLOCK } from '@recert/clock';
import { CalendarDate, daysBetween } from '@recert/rules';
import { Roles } from '@recert/platform';

class AuditQueueQueryDto extends createZodDto(
  z.strictObject({
    status: z
      .enum(['awaiting-documents', 'under-review', 'passed', 'failed', 'not-selected'])
      .default('awaiting-documents'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
) {}

const AUDIT_COLUMNS = `
  application_id AS "applicationId", trainer_id AS "trainerId", credential_id AS "credentialId",
  cycle_expires_on AS "cycleExpiresOn", status, selected, forced, forced_reason AS "forcedReason",
  time_zone AS "timeZone", drawn_on AS "drawnOn", documentation_due_on AS "documentationDueOn",
  required_documents AS "requiredDocuments", extensions, completed_on AS "completedOn",
  decided_by AS "decidedBy", decision_reason AS "decisionReason", findings,
  seed, draw_value AS "drawValue", rate_ppm AS "ratePpm"`;

/** The audit queue for ops and reviewers: who owes documents, what awaits review, days left (R11). */
@ApiTags('audits')
@Roles('reviewer', 'ops')
@Controller('audits')
export class AuditQueueHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Audits in a state (default: awaiting documents; under review: awaiting a reviewer), nearest deadline first, with days left.',
  })
  async queue(@Query() query: AuditQueueQueryDto) {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${AUDIT_COLUMNS} FROM audits WHERE status = $1
       ORDER BY documentation_due_on NULLS LAST, application_id LIMIT $2`,
      [query.status, query.limit],
    );
    return rows.map((row) => this.view(row));
  }

  @Get(':applicationId')
  @ApiOperation({
    summary:
      "One application's audit: the draw (reproducible from its seed, forced or not), documents with their review, the staff actions trail, the outcome.",
  })
  async one(@Param('applicationId', ParseUUIDPipe) applicationId: string) {
    const [audit] = await this.dataSource.query(`SELECT ${AUDIT_COLUMNS} FROM audits WHERE application_id = $1`, [
      applicationId,
    ]);
    if (!audit) throw new NotFoundException(`no audit draw for application ${applicationId}`);
    const zone = audit.timeZone as string;
    const lastDay = audit.documentationDueOn ? CalendarDate.parse(audit.documentationDueOn) : null;
    const documents: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT document_id, kind, completion_id, storage_ref, uploaded_at, review, review_reason, reviewed_by,
              reviewed_by_roles, reviewed_at
       FROM audit_documents WHERE application_id = $1 ORDER BY uploaded_at, document_id`,
      [applicationId],
    );
    const actions: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT action, document_id, actor_name, actor_roles, acted_at, reason, details
       FROM audit_actions WHERE application_id = $1 ORDER BY action_id`,
      [applicationId],
    );
    return {
      ...this.view(audit),
      documents: documents.map((d) => {
        const uploadedOn = CalendarDate.fromInstant(new Date(d['uploaded_at'] as string), zone);
        return {
          documentId: d['document_id'],
          kind: d['kind'],
          completionId: d['completion_id'],
          storageRef: d['storage_ref'],
          uploadedAt: d['uploaded_at'],
          uploadedOn: uploadedOn.toString(),
          // R11: a document uploaded after the last day counts for nothing.
          counts: lastDay === null || !uploadedOn.isAfter(lastDay),
          review: {
            state: d['review'],
            reason: d['review_reason'],
            by: d['reviewed_by'] ? { name: d['reviewed_by'], roles: d['reviewed_by_roles'] ?? [] } : null,
            at: d['reviewed_at'],
          },
        };
      }),
      actions: actions.map((a) => ({
        action: a['action'],
        documentId: a['document_id'],
        by: { name: a['actor_name'], roles: a['actor_roles'] },
        at: a['acted_at'],
        reason: a['reason'],
        details: a['details'],
      })),
    };
  }

  /** Days left until the last day, counted in the credential's time zone (0 on the last day), while open. */
  private view(row: Record<string, unknown>) {
    const { findings: recorded, decidedBy, decisionReason, ...audit } = row;
    const findings = recorded as { missing: unknown[]; rejected: unknown[] } | null;
    const open = row['status'] === 'awaiting-documents' || row['status'] === 'under-review';
    const dueOn = row['documentationDueOn'] as string | null;
    const today = CalendarDate.fromInstant(this.clock.now(), row['timeZone'] as string);
    const completed = row['status'] === 'passed' || row['status'] === 'failed';
    return {
      ...audit,
      daysLeft: open && dueOn ? daysBetween(today, CalendarDate.parse(dueOn)) : null,
      decision: completed
        ? {
            outcome: row['status'],
            decidedBy: decidedBy ?? 'deadline',
            reason: decisionReason,
            completedOn: row['completedOn'],
            missingDocuments: findings?.missing ?? [],
            rejectedDocuments: findings?.rejected ?? [],
          }
        : null,
    };
  }
}
