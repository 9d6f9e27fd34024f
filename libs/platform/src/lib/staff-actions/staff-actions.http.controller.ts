import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Roles } from '../access/access.decorator';

class StaffActionsQueryDto extends createZodDto(
  z.strictObject({
    // A caller's name (API_TOKENS) or a person's e-mail.
    actor: z
      .string()
      .regex(/^[\w.@+-]{1,200}$/, 'must be a caller name or e-mail: letters, digits, . _ @ + -')
      .optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  }),
) {}

/** What ops read of a service's staff actions: the latest first, by actor or since a time. */
@ApiTags('ops')
@Roles('ops')
@Controller('staff-actions')
export class StaffActionsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "This service's staff actions, latest first: who, their roles, when, what, to what, why." })
  async list(@Query() query: StaffActionsQueryDto) {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT seq, acted_at, actor_name, actor_roles, action, subject, reason, details FROM staff_actions
       WHERE ($1::text IS NULL OR actor_name = $1) AND ($2::timestamptz IS NULL OR acted_at >= $2)
       ORDER BY seq DESC LIMIT $3`,
      [query.actor ?? null, query.since ?? null, query.limit],
    );
    return rows.map((r) => ({
      seq: Number(r['seq']),
      at: new Date(r['acted_at'] as string).toISOString(),
      by: { name: r['actor_name'], roles: r['actor_roles'] },
      action: r['action'],
      subject: r['subject'],
      reason: r['reason'],
      details: r['details'],
    }));
  }
}
