import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock, CLOCK } from '@recert/clock';
import { CalendarDateString, ExternalId } from '@recert/contracts';
import { DayRange, RECERT_POLICY, Roles } from '@recert/platform';
import { RecertPolicy } from '@recert/rules';
import { APPLICATION_STATUSES, RecertificationQueries } from './recertification.queries';

class ApplicationListQueryDto extends createZodDto(
  z.strictObject({
    status: z.enum(APPLICATION_STATUSES).optional(),
    trainerId: ExternalId.optional(),
    /** The lists behind the ops dashboard's bars (issue 14). */
    receivedOn: CalendarDateString.optional(),
    decidedOn: CalendarDateString.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
) {}

class DayRangeDto extends createZodDto(DayRange) {}

/** A trainer's credential and cycles; an application's state, fee and explanation; counts for ops. */
@ApiTags('applications')
@Roles('ops')
@Controller()
export class RecertificationQueriesHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  // Reviewers look trainers up in the staff console (issue 14).
  @Get('trainers/:trainerId')
  @Roles('reviewer', 'ops')
  @ApiOperation({
    summary:
      "A trainer's credentials (a trainer may hold several): each one's status today, current cycle with its windows, cycles, applications.",
  })
  async trainer(@Param('trainerId') trainerId: string) {
    const trainer = await this.queries().trainer(trainerId, this.clock.now());
    if (!trainer) throw new NotFoundException(`no certification is on record for trainer ${trainerId}`);
    return trainer;
  }

  @Get('applications')
  @ApiOperation({ summary: 'Applications, oldest first; filter by status or trainer.' })
  list(@Query() query: ApplicationListQueryDto) {
    return this.queries().list(query);
  }

  @Get('applications/counts')
  @ApiOperation({ summary: 'How many applications are in each state.' })
  counts() {
    return this.queries().countsByStatus();
  }

  @Get('credentials/:credentialId')
  @Roles('reviewer', 'ops')
  @ApiOperation({ summary: 'Whose credential this is: the trainer to look up by a credential id (the staff console).' })
  async credential(@Param('credentialId') credentialId: string) {
    const credential = await this.queries().credential(credentialId);
    if (!credential) throw new NotFoundException(`no credential ${credentialId} is on record`);
    return credential;
  }

  @Get('applications/per-day')
  @ApiOperation({
    summary:
      'For the ops dashboard: each day of the range (UTC dates, both included), applications received, and decided by outcome: approved and denied on the day decided, refused on the day received.',
  })
  perDay(@Query() range: DayRangeDto) {
    return this.queries().perDay(range);
  }

  @Get('applications/:applicationId')
  @Roles('reviewer', 'ops')
  @ApiOperation({
    summary:
      "An application's state, fee lines (fixed at receipt, R10), audit state and the decision rule by rule (R12).",
  })
  async application(@Param('applicationId', ParseUUIDPipe) applicationId: string) {
    const application = await this.queries().application(applicationId);
    if (!application) throw new NotFoundException(`application ${applicationId} does not exist`);
    return application;
  }

  private queries(): RecertificationQueries {
    return new RecertificationQueries(this.dataSource.manager, this.policy);
  }
}
