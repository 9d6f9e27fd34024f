import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock, CLOCK } from '@recert/clock';
import { RECERT_POLICY } from '@recert/platform';
import { CalendarDate, daysBetween, RecertPolicy } from '@recert/rules';

class AuditQueueQueryDto extends createZodDto(
  z.strictObject({
    status: z.enum(['awaiting-documents', 'passed', 'failed', 'not-selected']).default('awaiting-documents'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
) {}

const AUDIT_COLUMNS = `
  application_id AS "applicationId", trainer_id AS "trainerId", status, selected, drawn_on AS "drawnOn",
  documentation_due_on AS "documentationDueOn", required_documents AS "requiredDocuments",
  completed_on AS "completedOn", seed, draw_value AS "drawValue", rate_ppm AS "ratePpm"`;

/** The audit queue for ops and reviewers: who owes documents, and how many days are left (R11). */
@ApiTags('audits')
@Controller('audits')
export class AuditQueueHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audits in a state (default: awaiting documents), nearest deadline first, with days left.' })
  async queue(@Query() query: AuditQueueQueryDto) {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${AUDIT_COLUMNS} FROM audits WHERE status = $1
       ORDER BY documentation_due_on NULLS LAST, application_id LIMIT $2`,
      [query.status, query.limit],
    );
    return rows.map((row) => this.withDaysLeft(row));
  }

  @Get(':applicationId')
  @ApiOperation({ summary: "One application's audit draw (reproducible from its seed), documents and outcome." })
  async one(@Param('applicationId', ParseUUIDPipe) applicationId: string) {
    const [audit] = await this.dataSource.query(`SELECT ${AUDIT_COLUMNS} FROM audits WHERE application_id = $1`, [
      applicationId,
    ]);
    if (!audit) throw new NotFoundException(`no audit draw for application ${applicationId}`);
    const documents = await this.dataSource.query(
      `SELECT document_id AS "documentId", kind, completion_id AS "completionId", storage_ref AS "storageRef",
              uploaded_at AS "uploadedAt", rejected_reason AS "rejectedReason", rejected_at AS "rejectedAt"
       FROM audit_documents WHERE application_id = $1 ORDER BY uploaded_at, document_id`,
      [applicationId],
    );
    return { ...this.withDaysLeft(audit), documents };
  }

  /** Days left until the documentation deadline, its last day counted (0 on the last day). */
  private withDaysLeft(row: Record<string, unknown>) {
    const dueOn = row['documentationDueOn'] as string | null;
    if (row['status'] !== 'awaiting-documents' || !dueOn) return { ...row, daysLeft: null };
    const today = CalendarDate.fromInstant(this.clock.now(), this.policy.defaultTimeZone);
    return { ...row, daysLeft: daysBetween(today, CalendarDate.parse(dueOn)) };
  }
}
