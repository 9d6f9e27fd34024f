import { BadRequestException, Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { z } from 'zod';
import { describeIssues } from '@recert/contracts';
import { Caller, CORRELATION_HEADER, CurrentCaller, Roles } from '@recert/platform';
import { Ingested, IngestUpstreamEventHandler } from './ingest-upstream-event.handler';

// Nest's pipes do not see headers, so they are checked here, by name.
const IngestionHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 printable ASCII characters')
    .optional(),
  [CORRELATION_HEADER]: z.uuid().optional(),
});

/**
 * Upstream systems that cannot reach Kafka post the same events here. Each event is documented on
 * its own path in the gateway's OpenAPI document (openapi/), so this generic route is left out of it.
 */
@Controller('v1/events')
export class UpstreamEventsHttpController {
  constructor(private readonly ingest: IngestUpstreamEventHandler) {}

  @Post(':eventName')
  @Roles('upstream')
  @HttpCode(202)
  @ApiExcludeEndpoint()
  receive(
    @Param('eventName') eventName: string,
    @Body() payload: unknown,
    @Headers() rawHeaders: Record<string, string | undefined>,
    @CurrentCaller() sender: Caller,
  ): Promise<Ingested> {
    const headers = IngestionHeaders.safeParse(rawHeaders);
    if (!headers.success) throw new BadRequestException(describeIssues(headers.error, 'header'));
    return this.ingest.execute({
      slug: eventName,
      sender,
      payload,
      idempotencyKey: headers.data['idempotency-key'],
      correlationId: headers.data[CORRELATION_HEADER],
    });
  }
}
