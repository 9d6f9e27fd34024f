import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DiscardParkedDto, ParkedQueryDto, ReplayParkedSetDto } from '@recert/messaging';
import { forwardedCredentials, Roles } from '@recert/platform';
import { ROUTED_SERVICES, RoutedService, SERVICE_ROUTES, ServiceRoutes } from '../route-queries/service-routes';

const Service = z.enum(ROUTED_SERVICES).describe('The service whose consumer parked the messages');
const ParkedId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a parked message id');

class ServiceDto extends createZodDto(z.strictObject({ service: Service })) {}
class ParkedMessageDto extends createZodDto(z.strictObject({ service: Service, parkedId: ParkedId })) {}

/**
 * Ops redrive dead letters through the public API: each call goes to the service whose consumer
 * parked the message (its own table, its own consumer), with the caller's credentials, so the
 * service checks the role and records who acted. Its answer comes back as it is.
 */
@ApiTags('ops')
@Roles('ops')
@Controller('v1/ops/dead-letters')
export class OpsDeadLettersHttpController {
  constructor(@Inject(SERVICE_ROUTES) private readonly routes: ServiceRoutes) {}

  @Get(':service')
  @ApiOperation({
    summary:
      "One service's parked messages, latest first, one page: by consumer, topic, event type, text of the reason, time parked, status.",
  })
  async list(@Param() p: ServiceDto, @Query() _query: ParkedQueryDto, @Req() req: Request, @Res() res: Response) {
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    await this.forward(p.service, 'GET', `/dead-letters/parked${search}`, req, res);
  }

  @Get(':service/:parkedId')
  @ApiOperation({
    summary: 'One parked message whole: the reason, and the original key, headers and value as received.',
  })
  async one(@Param() p: ParkedMessageDto, @Req() req: Request, @Res() res: Response) {
    await this.forward(p.service, 'GET', `/dead-letters/parked/${p.parkedId}`, req, res);
  }

  @Post(':service/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: "Replays the service's messages still parked that the filter selects (oldest first, at most `limit`).",
  })
  async replayAll(@Param() p: ServiceDto, @Body() body: ReplayParkedSetDto, @Req() req: Request, @Res() res: Response) {
    await this.forward(p.service, 'POST', '/dead-letters/parked/replay', req, res, body);
  }

  @Post(':service/:parkedId/replay')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replays a parked message after a fix: applied once, or parked again. 409 if already replayed or discarded.',
  })
  async replay(@Param() p: ParkedMessageDto, @Req() req: Request, @Res() res: Response) {
    await this.forward(p.service, 'POST', `/dead-letters/parked/${p.parkedId}/replay`, req, res);
  }

  @Post(':service/:parkedId/discard')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Discards a parked message with the reason; it stays listed as discarded. 409 unless parked.',
  })
  async discard(
    @Param() p: ParkedMessageDto,
    @Body() body: DiscardParkedDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.forward(p.service, 'POST', `/dead-letters/parked/${p.parkedId}/discard`, req, res, body);
  }

  private async forward(
    service: RoutedService,
    method: 'GET' | 'POST',
    path: string,
    req: Request,
    res: Response,
    body?: unknown,
  ): Promise<void> {
    try {
      const answer = await fetch(`${this.routes.urls[service]}${path}`, {
        method,
        headers: {
          ...forwardedCredentials(req),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A set replay runs each message through the consumer in turn.
        signal: AbortSignal.timeout(120_000),
      });
      res
        .status(answer.status)
        .type('application/json')
        .send(await answer.text());
    } catch (error) {
      res
        .status(502)
        .json({ statusCode: 502, message: `the ${service} service did not answer: ${(error as Error).message}` });
    }
  }
}
