import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock, CLOCK } from '@recert/clock';
import { CalendarDateString, ExternalId } from '@recert/contracts';
import { RECERT_POLICY, Roles } from '@recert/platform';
import { CalendarDate, formatCeu, RecertPolicy, whatIf, windowsOf } from '@recert/rules';
import { TrainerRecordsRepository } from '../database/trainer-records.repository';

const credentialParam = ExternalId.optional().describe(
  'Which credential (a trainer may hold several); default: the one whose cycle started last.',
);

class LedgerQueryDto extends createZodDto(z.strictObject({ credentialId: credentialParam })) {}

class WhatIfQueryDto extends createZodDto(
  z.strictObject({
    on: CalendarDateString.optional().describe('The day to judge on (default: today).'),
    credentialId: credentialParam,
  }),
) {}

class ApprovedCoursesQueryDto extends createZodDto(
  z.strictObject({
    providerId: ExternalId.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
) {}

/** Ops and the portal read a trainer's CEU standing: the ledger today, or what-if on any day (R2–R7, R9–R11). */
@ApiTags('trainers')
@Roles('ops')
@Controller()
export class TrainerLedgerHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  // Reviewers read a trainer's ledger and what-if in the staff console (issue 14).
  @Get('trainers/:trainerId/ledger')
  @Roles('reviewer', 'ops')
  @ApiOperation({
    summary:
      "A credential's CEU ledger for its current cycle: each credit counted, not counted (and why), or used by an earlier cycle (R4).",
  })
  async ledger(@Param('trainerId') trainerId: string, @Query() query: LedgerQueryDto) {
    const repository = new TrainerRecordsRepository(this.dataSource.manager);
    const { credentialId, credentials, view } = await this.whatIfOn(trainerId, undefined, query.credentialId);
    return {
      trainerId,
      credentialId,
      credentials,
      revision: await repository.revision(trainerId),
      cycle: view.windows,
      totalCeu: formatCeu(view.tally.totalCeu),
      counted: view.tally.counted.map((c) => ({ ...c, ceu: formatCeu(c.ceu) })),
      notCounted: view.tally.notCounted,
      progress: view.progress,
      cprAed: view.cprAed,
    };
  }

  @Get('trainers/:trainerId/what-if')
  @Roles('reviewer', 'ops')
  @ApiOperation({
    summary:
      'What would happen if the trainer applied on a given day: status, windows, missing requirements, the fee, deadlines.',
  })
  async whatIf(@Param('trainerId') trainerId: string, @Query() query: WhatIfQueryDto) {
    const on = query.on ? CalendarDate.parse(query.on) : undefined;
    const { credentialId, view } = await this.whatIfOn(trainerId, on, query.credentialId);
    return { credentialId, ...view };
  }

  @Get('approved-courses')
  @ApiOperation({ summary: 'The approved-provider/course registry (R5), with approval periods.' })
  approvedCourses(@Query() query: ApprovedCoursesQueryDto) {
    return this.dataSource.query(
      `SELECT provider_id AS "providerId", course_id AS "courseId", title, ceu_hundredths AS "ceuHundredths",
              approved_from AS "approvedFrom", approved_until AS "approvedUntil", nasm_own AS "nasmOwn"
       FROM approved_courses WHERE ($1::text IS NULL OR provider_id = $1)
       ORDER BY provider_id, course_id, approved_from LIMIT $2`,
      [query.providerId ?? null, query.limit],
    );
  }

  /** `on` defaults to today in the credential's time zone. */
  private async whatIfOn(trainerId: string, on: CalendarDate | undefined, credentialId?: string) {
    const repository = new TrainerRecordsRepository(this.dataSource.manager);
    const current = await repository.currentCycles(trainerId);
    const chosen = credentialId ?? current[0]?.credentialId;
    const zone = current.find((c) => c.credentialId === chosen)?.timeZone ?? this.policy.defaultTimeZone;
    const records = chosen ? await repository.load(trainerId, chosen) : null;
    if (!records)
      throw new NotFoundException(
        `no certification is on record for trainer ${trainerId}${credentialId ? ` and credential ${credentialId}` : ''}`,
      );
    return {
      credentialId: records.credentialId,
      credentials: current.map((c) => ({ credentialId: c.credentialId, ...windowsOf(c.cycle, this.policy) })),
      view: whatIf(records, on ?? CalendarDate.fromInstant(this.clock.now(), zone), records.registry, this.policy),
    };
  }
}
