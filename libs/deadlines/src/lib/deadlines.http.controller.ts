import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DeadlineRunner } from './deadline-runner';

/** What ops see of a service's deadlines: how many come due soon, by kind. */
@ApiTags('ops')
@Controller('deadlines')
export class DeadlinesHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: DeadlineRunner,
  ) {}

  @Get('upcoming')
  @ApiOperation({ summary: 'Scheduled deadlines by kind: overdue (not yet fired), due within 7 days, within 30 days.' })
  upcoming(): Promise<{ kind: string; overdue: number; within7Days: number; within30Days: number }[]> {
    return this.dataSource.query(
      `SELECT kind, count(*) FILTER (WHERE due_at <= $1)::int AS overdue,
              count(*) FILTER (WHERE due_at <= $1::timestamptz + interval '7 days')::int AS "within7Days",
              count(*)::int AS "within30Days"
       FROM deadlines WHERE status = 'scheduled' AND due_at <= $1::timestamptz + interval '30 days'
       GROUP BY kind ORDER BY kind`,
      [this.runner.now()],
    );
  }
}
