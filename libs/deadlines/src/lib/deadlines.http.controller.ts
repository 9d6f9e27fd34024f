import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeadlineRunner, UpcomingDeadlines } from './deadline-runner';
import { Roles } from '@recert/platform';

/** What ops see of a service's deadlines: how many come due soon, by kind. */
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
}
