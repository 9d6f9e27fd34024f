import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@recert/platform';

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
}
