import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, DayRange, daysOf, Roles } from '@recert/platform';
import {
  DiscardParkedDto,
  ParkedIdDto,
  ParkedQueryDto,
  parkedFilter,
  parkedSummary,
  parkedWhole,
  ReplayParkedSetDto,
} from './dead-letters.dto';
import { ParkedMessages } from './parked-messages';
import { Refusal, RedriveDeadLettersHandler } from './redrive-dead-letters.handler';

class DayRangeDto extends createZodDto(DayRange) {}

/**
 * What this service's consumer parked: counts for the ops dashboard, and the parked messages
 * themselves (kept whole in parked_messages) for ops to read, replay after a fix, or discard.
 */
@ApiTags('ops')
@Roles('ops')
@Controller('dead-letters')
export class DeadLettersHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redrive: RedriveDeadLettersHandler,
  ) {}

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

  @Get('parked')
  @ApiOperation({
    summary:
      'Parked messages, latest first, one page: by consumer, topic, event type, text of the reason, time parked, status. Without their values.',
  })
  async parked(@Query() query: ParkedQueryDto) {
    const { page, pageSize, ...filter } = query;
    const { total, items } = await ParkedMessages.list(this.dataSource.manager, parkedFilter(filter), {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { total, page, pageSize, items: items.map(parkedSummary) };
  }

  @Get('parked/:parkedId')
  @ApiOperation({
    summary: 'One parked message whole: the reason, and the original key, headers and value as received.',
  })
  async one(@Param() params: ParkedIdDto) {
    const parked = await ParkedMessages.read(this.dataSource.manager, params.parkedId);
    if (!parked) throw new NotFoundException(`no parked message ${params.parkedId}`);
    return parkedWhole(parked);
  }

  @Post('parked/replay')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replays the messages still parked that the filter selects (oldest first, at most `limit`), each as one replay. Records who and when.',
  })
  async replayAll(@Body() body: ReplayParkedSetDto, @CurrentCaller() caller: Caller) {
    const { limit, ...filter } = body;
    return { results: await this.redrive.replayAll(parkedFilter(filter), limit, caller) };
  }

  @Post('parked/:parkedId/replay')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replays a parked message after a fix: validated again and applied once; parked again (a new row) if it still fails. 409 if already replayed or discarded. Records who and when.',
  })
  async replay(@Param() params: ParkedIdDto, @CurrentCaller() caller: Caller) {
    const result = answer(await this.redrive.replay(params.parkedId, caller));
    return { outcome: result.outcome, parked: parkedSummary(result.parked) };
  }

  @Post('parked/:parkedId/discard')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Discards a parked message with the reason; it stays listed as discarded. 409 unless parked. Records who and when.',
  })
  async discard(@Param() params: ParkedIdDto, @Body() body: DiscardParkedDto, @CurrentCaller() caller: Caller) {
    return parkedSummary(answer(await this.redrive.discard(params.parkedId, body.reason, caller)).parked);
  }
}

function answer<T extends { ok: true }>(result: T | Refusal): T {
  if (result.ok) return result;
  if (result.status === 404) throw new NotFoundException(result.message);
  throw new ConflictException(result.message);
}
