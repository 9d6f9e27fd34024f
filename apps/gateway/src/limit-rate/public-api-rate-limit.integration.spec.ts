import { AddressInfo } from 'node:net';
import express from 'express';
import IORedis from 'ioredis';
import { loadRecertConfig } from '@recert/platform';
import { uniqueName } from '@recert/testing';
import { PublicApiRateLimit } from './public-api-rate-limit';

/** Issue 13: the public API has a rate limit, counted per caller in the real Redis. */
describe('PublicApiRateLimit (real Redis)', () => {
  const prefix = uniqueName('rl');
  let limit: PublicApiRateLimit;
  let server: ReturnType<express.Express['listen']>;
  let base: string;

  beforeAll(async () => {
    limit = new PublicApiRateLimit(loadRecertConfig('gateway', { RATE_LIMIT_PER_MINUTE: '3', QUEUE_PREFIX: prefix }));
    const app = express();
    app.use((req, res, next) => limit.use(req, res, next));
    app.get(['/v1/applications', '/health/live', '/metrics'], (_req, res) => res.json({ ok: true }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.close();
    await limit?.beforeApplicationShutdown();
    const redis = new IORedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('lets a caller make 3 requests a minute, then answers 429 with Retry-After; another caller is counted apart', async () => {
    const alice = `alice-${prefix}`;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/v1/applications', alice)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await get('/v1/applications', alice);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      statusCode: 429,
      message: 'more than 3 requests in a minute from this caller: wait for Retry-After seconds',
    });
    expect((await get('/v1/applications', `bob-${prefix}`)).status).toBe(200);
  });

  it('counts callers without a token by their address, and never counts probes or scrapes', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/v1/applications')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    for (let i = 0; i < 5; i++) {
      expect((await get('/health/live')).status).toBe(200);
      expect((await get('/metrics')).status).toBe(200);
    }
  });
});
