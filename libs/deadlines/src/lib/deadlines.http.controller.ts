import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DayRange, Roles } from '@recert/platform';
import { DeadlineRunner, UpcomingDeadlines } from './deadline-runner';

class DayRangeDto extends createZodDto(DayRange) {}

class DueQueryDto extends createZodDto(
  z.strictObject({
    from: z.iso.date(),
    to: z.iso.date(),
    kind: z
      .string()
      .regex(/^[a-z-]{1,60}$/)
      .optional(),
  }),
) {}

/** What ops see of a service's deadlines: how many come due soon, by kind; per week; the list behind a week. */
@ApiTags('ops')
@Roles('ops')
@Controller('deadlines')
export class DeadlinesHttpController {
  constructor(private readonly runner: DeadlineRunner) {}

  @Get('upcoming')
  @ApiOperation({ summary: 'Scheduled deadlines by kind: overdue (not yet fired), due within 7 days, within 30 days.' })
  upcoming(): Promise<UpcomingDeadlines[]> {
    return this.runner.upcoming();
  }

  @Get('per-week')
  @ApiOperation({
    summary:
      'For the ops dashboard: deadlines due in the range (UTC days, both included; scheduled, fired or cancelled), per week (starting Monday) and kind.',
  })
  perWeek(@Query() range: DayRangeDto) {
    return this.runner.perWeek(range);
  }

  @Get('due')
  @ApiOperation({
    summary: 'The deadlines behind a bar of the ops dashboard: due between two days (both included), of one kind.',
  })
  due(@Query() query: DueQueryDto) {
    return this.runner.due(query);
  }
}
