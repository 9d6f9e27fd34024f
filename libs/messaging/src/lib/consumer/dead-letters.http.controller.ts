import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { DayRange, daysOf, Roles } from '@recert/platform';

class DayRangeDto extends createZodDto(DayRange) {}

/**
 * What this service's consumer parked on the dead-letter topic (recorded in its inbox): how many,
 * and the latest. The reason and the original message are on `recert.dead-letter` itself.
 */
@ApiTags('ops')
@Roles('ops')
@Controller('dead-letters')
export class DeadLettersHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Messages this service dead-lettered: the total and the 20 latest (topic, type, when).' })
  async list() {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM inbox WHERE outcome = 'dead-lettered'`,
    );
    const latest = await this.dataSource.query(
      `SELECT topic, event_type AS "eventType", message_id AS "messageId", received_at AS "receivedAt"
       FROM inbox WHERE outcome = 'dead-lettered' ORDER BY received_at DESC LIMIT 20`,
    );
    return { total, latest };
  }

  @Get('per-day')
  @ApiOperation({
    summary: 'For the ops dashboard: messages this service dead-lettered on each day of the range (UTC).',
  })
  async perDay(@Query() range: DayRangeDto): Promise<{ day: string; count: number }[]> {
    const rows: { day: string; count: number }[] = await this.dataSource.query(
      `SELECT (received_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS count
       FROM inbox WHERE outcome = 'dead-lettered' AND (received_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2 GROUP BY 1`,
      [range.from, range.to],
    );
    return daysOf(range).map((day) => ({ day, count: rows.find((r) => r.day === day)?.count ?? 0 }));
  }
}
