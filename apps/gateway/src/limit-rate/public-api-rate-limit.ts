import { BeforeApplicationShutdown, Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, rateLimit, RateLimitRequestHandler } from 'express-rate-limit';
import IORedis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { RECERT_CONFIG, RecertConfig, tokenDigest } from '@recert/platform';

/**
 * The public API's rate limit (issue 13): RATE_LIMIT_PER_MINUTE requests a minute per caller —
 * a bearer token counts as one caller wherever it calls from, anyone else by address — counted in
 * Redis, so every gateway replica shares the count. Probes and scrapes are not counted. Over the
 * limit: 429 with Retry-After and the RateLimit headers of the IETF draft.
 */
@Injectable()
export class PublicApiRateLimit implements NestMiddleware, BeforeApplicationShutdown {
  private readonly redis: IORedis;
  private readonly limiter: RateLimitRequestHandler;

  constructor(@Inject(RECERT_CONFIG) config: RecertConfig) {
    this.redis = new IORedis(config.redisUrl, { maxRetriesPerRequest: 2 });
    const logger = new Logger('PublicApiRateLimit');
    this.redis.on('error', (error) => logger.warn(`redis: ${error.message}`));
    this.limiter = rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      // A Redis that is away does not take the API down with it: requests pass uncounted.
      passOnStoreError: true,
      store: new RedisStore({
        prefix: `${config.deadlines.queuePrefix}:rate-limit:`,
        sendCommand: (command: string, ...args: string[]) =>
          this.redis.call(command, ...args) as Promise<number | string>,
      }),
      skip: (req) => /^\/(health\/(live|ready)|metrics)$/.test(req.path),
      keyGenerator: (req) => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        return token ? `token:${tokenDigest(token)}` : `address:${ipKeyGenerator(req.ip ?? 'unknown')}`;
      },
      handler: (_req, res, _next, options) =>
        res.status(429).json({
          statusCode: 429,
          message: `more than ${options.limit} requests in a minute from this caller: wait for Retry-After seconds`,
        }),
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    void this.limiter(req, res, next);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
