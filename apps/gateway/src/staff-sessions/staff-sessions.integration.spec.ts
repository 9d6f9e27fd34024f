import { INestApplication } from '@nestjs/common';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { startService } from '@recert/messaging';
import { mintStaffIdentity, STAFF_IDENTITY_HEADER, tokenDigest } from '@recert/platform';
import { TEST_DATABASE_URL, uniqueName } from '@recert/testing';
import { AddStaffHandler } from '../add-staff/add-staff.handler';
import { GATEWAY_START_OPTIONS, GatewayModule } from '../gateway.module';

const IDENTITY_SECRET = 'integration-identity-secret-0123456789abcdef';
const OPS_TOKEN = 'ops-token-0123456789abcdef';

/** A browser's cookie jar, enough for one host: what Set-Cookie sets, Cookie sends back. */
class Browser {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair.split('=');
      if (attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : null,
      setCookies: response.headers.getSetCookie(),
    };
  }

  async signIn(email: string, password: string) {
    const answer = await this.call('POST', '/v1/session', { email, password });
    if (answer.status === 200) this.csrf = answer.body.csrfToken;
    return answer;
  }
}

describe('staff accounts and sessions in the gateway, on the real PostgreSQL (issue 14)', () => {
  let app: INestApplication;
  let base: string;
  const schema = uniqueName('gw_staff');

  beforeAll(async () => {
    app = await startService(
      GatewayModule.forRoot({
        NODE_ENV: 'test',
        DATABASE_URL: TEST_DATABASE_URL,
        DB_SCHEMA: schema,
        HTTP_PORT: '0',
        LOG_LEVEL: 'silent',
        CLOCK_MODE: 'controllable',
        CLOCK_START_AT: '2026-11-20T09:00:00.000Z',
        QUEUE_PREFIX: schema,
        STAFF_IDENTITY_SECRET: IDENTITY_SECRET,
        STAFF_LOCKOUT_ATTEMPTS: '3',
        API_TOKENS: `ops-tool:ops:${tokenDigest(OPS_TOKEN)}`,
      }),
      GATEWAY_START_OPTIONS,
    );
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const staff = app.get(AddStaffHandler);
    await staff.add(
      { name: 'Ada Admin', email: 'Ada@Example.org', roles: ['admin'], password: 'ada-password-0123' },
      'npm run staff:create-admin',
    );
    await staff.add(
      { name: 'Rita Reviewer', email: 'rita@example.org', roles: ['reviewer'], password: 'rita-password-0123' },
      'Ada Admin <ada@example.org>',
    );
  }, 60_000);

  afterAll(async () => {
    const db = app.get(DataSource);
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await app.close();
    // The queue dashboard's keys of this run's prefix.
    const redis = new IORedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${schema}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('signs a person in with a secure session cookie, and the session is a caller with their roles', async () => {
    const ada = new Browser(base);
    expect((await ada.call('GET', '/v1/session')).body).toEqual({ signedIn: false });
    expect((await ada.call('GET', '/v1/staff')).status).toBe(401);

    const signedIn = await ada.signIn('ADA@example.org', 'ada-password-0123');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({
      signedIn: true,
      name: 'Ada Admin',
      email: 'ada@example.org',
      roles: ['admin'],
      idleMinutes: 30,
      endsAt: expect.stringMatching(/^2026-11-20T21:00:0\d\.\d{3}Z$/),
    });
    const sessionCookie = signedIn.setCookies.find((c) => c.startsWith('recert.sid='));
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; SameSite=Strict/);
    expect(signedIn.setCookies.find((c) => c.startsWith('recert.csrf='))).toMatch(/; HttpOnly; SameSite=Strict/);

    const staff = await ada.call('GET', '/v1/staff');
    expect(staff.status).toBe(200);
    expect(
      staff.body.map((s: { email: string; roles: string[]; createdBy: string }) => [s.email, s.roles, s.createdBy]),
    ).toEqual([
      ['ada@example.org', ['admin'], 'npm run staff:create-admin'],
      ['rita@example.org', ['reviewer'], 'Ada Admin <ada@example.org>'],
    ]);
    expect(JSON.stringify(staff.body)).not.toMatch(/argon2|password/);
    // Ada is an admin only: the ops summary is refused by role, not for want of a caller.
    expect((await ada.call('GET', '/v1/ops/summary')).status).toBe(403);
  });

  it('acts only with the CSRF token of the session, and records the person who acted', async () => {
    const ada = new Browser(base);
    await ada.signIn('ada@example.org', 'ada-password-0123');
    const member = { name: 'Otto Ops', email: 'otto@example.org', roles: ['ops'], password: 'otto-password-0123' };
    expect(await ada.call('POST', '/v1/staff', member)).toMatchObject({
      status: 403,
      body: { message: 'the CSRF token is missing or wrong (X-CSRF-Token)' },
    });
    expect((await ada.call('POST', '/v1/staff', member, { 'x-csrf-token': 'forged' })).status).toBe(403);
    // Another session's token is not this one's.
    const other = new Browser(base);
    await other.signIn('ada@example.org', 'ada-password-0123');
    expect((await ada.call('POST', '/v1/staff', member, { 'x-csrf-token': other.csrf })).status).toBe(403);

    const added = await ada.call('POST', '/v1/staff', member, { 'x-csrf-token': ada.csrf });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      email: 'otto@example.org',
      roles: ['ops'],
      locked: false,
      createdBy: 'Ada Admin <ada@example.org>',
    });
    expect((await ada.call('POST', '/v1/staff', member, { 'x-csrf-token': ada.csrf })).status).toBe(409);
    const weak = await ada.call(
      'POST',
      '/v1/staff',
      { ...member, email: 'w@example.org', password: 'short' },
      { 'x-csrf-token': ada.csrf },
    );
    expect(weak.status).toBe(400);
  });

  it('refuses a reviewer what needs another role, and a forged or client-sent identity header', async () => {
    const rita = new Browser(base);
    await rita.signIn('rita@example.org', 'rita-password-0123');
    expect((await rita.call('GET', '/v1/staff')).status).toBe(403);
    expect((await rita.call('GET', '/v1/ops/summary')).status).toBe(403);
    expect((await rita.call('GET', '/ops/queues')).status).toBe(403);

    const forged = mintStaffIdentity(
      'not-the-gateway-secret-0123456789abcdef',
      { accountId: 'x', name: 'Mallory', email: 'm@example.org', roles: ['admin'] },
      new Date('2026-11-20T09:00:00.000Z'),
    );
    expect(
      (await new Browser(base).call('GET', '/v1/staff', undefined, { [STAFF_IDENTITY_HEADER]: forged })).status,
    ).toBe(401);
    // Even a well-signed header is the gateway's to make: one sent by a client is dropped.
    const genuine = mintStaffIdentity(
      IDENTITY_SECRET,
      { accountId: 'x', name: 'Mallory', email: 'm@example.org', roles: ['admin'] },
      new Date('2026-11-20T09:00:00.000Z'),
    );
    expect(
      (await new Browser(base).call('GET', '/v1/staff', undefined, { [STAFF_IDENTITY_HEADER]: genuine })).status,
    ).toBe(401);
  });

  it('answers a wrong e-mail and a wrong password alike, and locks the account after 3 failures in a row', async () => {
    const guesser = new Browser(base);
    expect(await guesser.signIn('nobody@example.org', 'whatever-it-is')).toMatchObject({
      status: 401,
      body: { message: 'the e-mail or the password is wrong' },
    });
    expect((await guesser.signIn('otto@example.org', 'wrong-1')).status).toBe(401);
    expect((await guesser.signIn('otto@example.org', 'wrong-2')).status).toBe(401);
    const locked = await guesser.signIn('otto@example.org', 'wrong-3');
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(
      /^too many failed sign-ins: the account is locked until 2026-11-20T09:1\d:\d\d\.\d{3}Z$/,
    );
    expect(locked.headers.get('retry-after')).toBe('900');
    // The right password is not even checked while locked.
    expect((await guesser.signIn('otto@example.org', 'otto-password-0123')).status).toBe(429);
    const ada = new Browser(base);
    await ada.signIn('ada@example.org', 'ada-password-0123');
    const otto = (await ada.call('GET', '/v1/staff')).body.find(
      (s: { email: string }) => s.email === 'otto@example.org',
    );
    expect(otto.locked).toBe(true);
  });

  it('ends a session at sign-out, when idle for 30 minutes of the clock, and 12 hours after sign-in', async () => {
    const ops = { authorization: `Bearer ${OPS_TOKEN}` };
    const moveClock = async (to: string) => {
      const moved = await new Browser(base).call('POST', '/clock', { to }, ops);
      expect(moved.status).toBe(201);
    };
    const rita = new Browser(base);
    await rita.signIn('rita@example.org', 'rita-password-0123');
    expect((await rita.call('POST', '/v1/session/sign-out')).status).toBe(403);
    expect((await rita.call('POST', '/v1/session/sign-out', undefined, { 'x-csrf-token': rita.csrf })).status).toBe(
      204,
    );
    expect((await rita.call('GET', '/v1/session')).body).toEqual({ signedIn: false });
    expect(await rita.call('POST', '/v1/session/sign-out')).toMatchObject({
      status: 401,
      body: { message: 'there is no session to sign out of' },
    });

    const idle = new Browser(base);
    const now = Date.parse((await idle.signIn('rita@example.org', 'rita-password-0123')).body.endsAt) - 12 * 3_600_000;
    await moveClock(new Date(now + 29 * 60_000).toISOString());
    expect((await idle.call('GET', '/v1/session')).body.signedIn).toBe(true);
    await moveClock(new Date(now + 60 * 60_000).toISOString());
    const ended = await idle.call('GET', '/v1/session');
    expect(ended.body).toEqual({ signedIn: false });
    expect(ended.headers.get('x-recert-session-ended')).toBe('idle');

    const busy = new Browser(base);
    const signedInAt =
      Date.parse((await busy.signIn('rita@example.org', 'rita-password-0123')).body.endsAt) - 12 * 3_600_000;
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      await moveClock(new Date(signedInAt + minutes * 60_000).toISOString());
      expect((await busy.call('GET', '/v1/session')).body.signedIn).toBe(true);
    }
    await moveClock(new Date(signedInAt + 12 * 3_600_000 + 1_000).toISOString());
    const over = await busy.call('GET', '/v1/session');
    expect(over.body).toEqual({ signedIn: false });
    expect(over.headers.get('x-recert-session-ended')).toBe('absolute');
  });
});
