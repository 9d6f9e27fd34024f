import { request as httpRequest } from 'node:http';
import { mintStaffIdentity, STAFF_IDENTITY_HEADER } from '@recert/platform';
import { waitFor } from '@recert/testing';
import { RecertSystem } from './support/recert-system';
import { TrainerStory } from './support/trainer-story';

/**
 * Issue 13: nobody acts where they don't belong. Every route of the system (each service's and the
 * gateway's OpenAPI documents, plus the undocumented ones: clocks, Bull Board and its API, the ops
 * page, the webhook) × every caller × spellings of its path × each entry point (the service
 * directly, and the gateway). The expected access is written here from the trust model, not read
 * from the code: upstream systems send events; reviewers decide petitions and audits and read
 * their queues; ops read, watch the queues and move time; admins act on the queues.
 */
type Caller = 'nobody' | 'unknown' | 'forgedStaff' | 'upstream' | 'cprProvider' | 'reviewer' | 'ops' | 'admin';
type Role = 'upstream' | 'reviewer' | 'ops' | 'admin';
type Service = 'applications' | 'ceu-verification' | 'payments' | 'audits' | 'petitions' | 'gateway';
type Method = 'GET' | 'POST' | 'PUT';

const CALLERS: readonly Caller[] = [
  'nobody',
  'unknown',
  'forgedStaff',
  'upstream',
  'cprProvider',
  'reviewer',
  'ops',
  'admin',
];
/** The roles each caller holds (cprProvider is an upstream caller that speaks only for a CPR/AED provider). */
const ROLES_OF: Record<Caller, readonly Role[]> = {
  nobody: [],
  unknown: [],
  // Claims every staff role in an identity header signed with another secret than the system's (issue 14).
  forgedStaff: [],
  upstream: ['upstream'],
  cprProvider: ['upstream'],
  reviewer: ['reviewer'],
  ops: ['ops'],
  admin: ['admin'],
};

interface Route {
  method: Method;
  /** Where the route answers, with the path it has there (`{name}` for a parameter). */
  at: Partial<Record<Service, string>>;
  /** Who may act: 'public' for anyone; [] for nobody at all (a read-only view's actions). */
  allowed: 'public' | readonly Role[];
  /** Callers refused by what they send rather than by role (the upstream system they speak for). */
  alsoRefused?: readonly Caller[];
  /** A body the handler would act on (sent by callers who must be refused). */
  body?: unknown;
  /** An allowed call would change state and no id or body can stop it: checked by its own test. */
  allowedCallTestedElsewhere?: true;
  /** A public route that proves its caller otherwise (the processor's signature): 401 for all. */
  provesItself?: true;
}

const SERVICES: readonly Exclude<Service, 'gateway'>[] = [
  'applications',
  'ceu-verification',
  'payments',
  'audits',
  'petitions',
];
const WITH_DEADLINES: readonly Service[] = ['applications', 'audits', 'ceu-verification'];
const everywhere = (path: string, among: readonly Service[] = [...SERVICES, 'gateway']) =>
  Object.fromEntries(among.map((s) => [s, path]));
/** A service route, also public through the gateway under /v1. */
const routed = (service: Exclude<Service, 'gateway'>, path: string) => ({ [service]: path, gateway: `/v1${path}` });

const ROUTES: readonly Route[] = [
  // Probes, scrapes and API documents.
  { method: 'GET', at: everywhere('/health/live'), allowed: 'public' },
  { method: 'GET', at: everywhere('/health/ready'), allowed: 'public' },
  { method: 'GET', at: everywhere('/metrics'), allowed: 'public' },
  { method: 'GET', at: everywhere('/docs-json'), allowed: 'public' },
  // Each service's own clock (time travel in tests and demos) and ops views.
  { method: 'GET', at: everywhere('/clock'), allowed: ['ops'] },
  { method: 'POST', at: everywhere('/clock'), allowed: ['ops'], body: { to: '2099-01-01T00:00:00.000Z' } },
  { method: 'GET', at: everywhere('/dead-letters'), allowed: ['ops'] },
  { method: 'GET', at: everywhere('/staff-actions'), allowed: ['ops'] },
  { method: 'GET', at: everywhere('/deadlines/upcoming', WITH_DEADLINES), allowed: ['ops'] },
  // The ops dashboard's charts and the lists behind them (issue 14).
  { method: 'GET', at: everywhere('/dead-letters/per-day'), allowed: ['ops'] },
  { method: 'GET', at: everywhere('/deadlines/per-week', WITH_DEADLINES), allowed: ['ops'] },
  { method: 'GET', at: everywhere('/deadlines/due', WITH_DEADLINES), allowed: ['ops'] },
  // Dead-letter redrive (issue 15): ops read, replay and discard what each consumer parked, at each
  // service and through the gateway.
  { method: 'GET', at: everywhere('/dead-letters/parked'), allowed: ['ops'] },
  { method: 'GET', at: everywhere('/dead-letters/parked/{parkedId}'), allowed: ['ops'] },
  { method: 'POST', at: everywhere('/dead-letters/parked/replay'), allowed: ['ops'], body: { limit: 500 } },
  { method: 'POST', at: everywhere('/dead-letters/parked/{parkedId}/replay'), allowed: ['ops'] },
  {
    method: 'POST',
    at: everywhere('/dead-letters/parked/{parkedId}/discard'),
    allowed: ['ops'],
    body: { reason: 'matrix' },
  },
  { method: 'GET', at: { gateway: '/v1/ops/dead-letters/{service}' }, allowed: ['ops'] },
  { method: 'GET', at: { gateway: '/v1/ops/dead-letters/{service}/{parkedId}' }, allowed: ['ops'] },
  { method: 'POST', at: { gateway: '/v1/ops/dead-letters/{service}/replay' }, allowed: ['ops'], body: { limit: 500 } },
  { method: 'POST', at: { gateway: '/v1/ops/dead-letters/{service}/{parkedId}/replay' }, allowed: ['ops'] },
  {
    method: 'POST',
    at: { gateway: '/v1/ops/dead-letters/{service}/{parkedId}/discard' },
    allowed: ['ops'],
    body: { reason: 'matrix' },
  },
  // Applications.
  // Reviewers look trainers up in the staff console (issue 14).
  { method: 'GET', at: routed('applications', '/trainers/{trainerId}'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('applications', '/credentials/{credentialId}'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('applications', '/applications'), allowed: ['ops'] },
  { method: 'GET', at: routed('applications', '/applications/counts'), allowed: ['ops'] },
  { method: 'GET', at: routed('applications', '/applications/per-day'), allowed: ['ops'] },
  { method: 'GET', at: routed('applications', '/applications/{applicationId}'), allowed: ['reviewer', 'ops'] },
  // CEU verification.
  { method: 'GET', at: routed('ceu-verification', '/trainers/{trainerId}/ledger'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('ceu-verification', '/trainers/{trainerId}/what-if'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('ceu-verification', '/approved-courses'), allowed: ['ops'] },
  // Payments.
  { method: 'GET', at: routed('payments', '/payables'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('payments', '/payables/{payableId}'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('payments', '/payments/totals'), allowed: ['ops'] },
  { method: 'GET', at: routed('payments', '/payments/per-day'), allowed: ['ops'] },
  { method: 'GET', at: routed('payments', '/payments/collected'), allowed: ['ops'] },
  {
    method: 'POST',
    at: routed('payments', '/payments/processor-webhook'),
    allowed: 'public',
    provesItself: true,
    body: { id: 'evt-matrix', type: 'payment.succeeded', data: {} },
  },
  // Petitions.
  { method: 'GET', at: routed('petitions', '/petitions'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('petitions', '/petitions/{petitionId}'), allowed: ['reviewer', 'ops'] },
  { method: 'POST', at: routed('petitions', '/petitions/{petitionId}/review'), allowed: ['reviewer'], body: {} },
  {
    method: 'POST',
    at: routed('petitions', '/petitions/{petitionId}/approve'),
    allowed: ['reviewer'],
    body: { ceuGranted: '0.1', reason: 'matrix' },
  },
  {
    method: 'POST',
    at: routed('petitions', '/petitions/{petitionId}/deny'),
    allowed: ['reviewer'],
    body: { reason: 'matrix' },
  },
  // Audits.
  { method: 'GET', at: routed('audits', '/audits'), allowed: ['reviewer', 'ops'] },
  { method: 'GET', at: routed('audits', '/audits/{applicationId}'), allowed: ['reviewer', 'ops'] },
  { method: 'POST', at: routed('audits', '/audits/{applicationId}/pass'), allowed: ['reviewer'], body: {} },
  {
    method: 'POST',
    at: routed('audits', '/audits/{applicationId}/fail'),
    allowed: ['reviewer'],
    body: { reason: 'matrix' },
  },
  {
    method: 'POST',
    at: routed('audits', '/audits/{applicationId}/extend'),
    allowed: ['reviewer'],
    body: { days: 30, reason: 'matrix' },
  },
  {
    method: 'POST',
    at: routed('audits', '/audits/{applicationId}/documents/{documentId}/accept'),
    allowed: ['reviewer'],
    body: {},
  },
  {
    method: 'POST',
    at: routed('audits', '/audits/{applicationId}/documents/{documentId}/reject'),
    allowed: ['reviewer'],
    body: { reason: 'matrix' },
  },
  // The gateway's own: ingestion, the ops page and summary, time travel, the queues.
  {
    method: 'POST',
    at: { gateway: '/v1/events/{eventName}' },
    allowed: ['upstream'],
    alsoRefused: ['cprProvider'],
    body: 'a course completion (set below)',
  },
  { method: 'GET', at: { gateway: '/ops' }, allowed: 'public' },
  { method: 'GET', at: { gateway: '/v1/ops/summary' }, allowed: ['ops'] },
  { method: 'GET', at: { gateway: '/v1/ops/charts' }, allowed: ['ops'] },
  { method: 'GET', at: { gateway: '/v1/ops/deadlines' }, allowed: ['ops'] },
  { method: 'GET', at: { gateway: '/v1/clock' }, allowed: ['ops'] },
  { method: 'POST', at: { gateway: '/v1/clock/advance' }, allowed: ['ops'], body: { days: 30 } },
  { method: 'GET', at: { gateway: '/ops/queues' }, allowed: ['ops'] },
  { method: 'GET', at: { gateway: '/ops/queues/api/queues' }, allowed: ['ops'] },
  { method: 'PUT', at: { gateway: '/ops/queues/api/queues/pause' }, allowed: [] },
  { method: 'PUT', at: { gateway: '/ops/queues/api/queues/resume' }, allowed: [] },
  { method: 'PUT', at: { gateway: '/ops/queues/api/queues/{queueName}/pause' }, allowed: [] },
  { method: 'PUT', at: { gateway: '/ops/queues/api/queues/{queueName}/retry/failed' }, allowed: [] },
  { method: 'PUT', at: { gateway: '/ops/queues/api/queues/{queueName}/clean/completed' }, allowed: [] },
  { method: 'PUT', at: { gateway: '/ops/queues/api/queues/{queueName}/promote' }, allowed: [] },
  // People sign in and out (issue 14): public, since they are how a person gets a session.
  { method: 'GET', at: { gateway: '/v1/session' }, allowed: 'public' },
  {
    method: 'POST',
    at: { gateway: '/v1/session' },
    allowed: 'public',
    body: { email: 'x@example.org', password: 'x' },
  },
  // Signing out proves its caller by the session it ends: 401 for every caller without one.
  { method: 'POST', at: { gateway: '/v1/session/sign-out' }, allowed: 'public', provesItself: true },
  // The staff console's pages (issue 14): those of reviewers hold no data; the ops dashboard and staff pages are refused outside their role.
  { method: 'GET', at: { gateway: '/console' }, allowed: 'public' },
  { method: 'GET', at: { gateway: '/console/petitions' }, allowed: 'public' },
  { method: 'GET', at: { gateway: '/console/audits' }, allowed: 'public' },
  { method: 'GET', at: { gateway: '/console/trainers' }, allowed: 'public' },
  { method: 'GET', at: { gateway: '/console/what-if' }, allowed: 'public' },
  { method: 'GET', at: { gateway: '/console/assets/{assetFile}' }, allowed: 'public' },
  { method: 'GET', at: { gateway: '/console/ops' }, allowed: ['ops'] },
  { method: 'GET', at: { gateway: '/console/staff' }, allowed: ['admin'] },
  // Admins add staff.
  { method: 'GET', at: { gateway: '/v1/staff' }, allowed: ['admin'] },
  {
    method: 'POST',
    at: { gateway: '/v1/staff' },
    allowed: ['admin'],
    body: { name: 'Matrix', email: 'matrix@example.org', roles: ['admin'], password: 'matrix-password-0123' },
  },
  { method: 'GET', at: { gateway: '/admin/queues' }, allowed: ['admin'] },
  { method: 'GET', at: { gateway: '/admin/queues/api/queues' }, allowed: ['admin'] },
  {
    method: 'PUT',
    at: { gateway: '/admin/queues/api/queues/pause' },
    allowed: ['admin'],
    allowedCallTestedElsewhere: true,
  },
  { method: 'PUT', at: { gateway: '/admin/queues/api/queues/{queueName}/pause' }, allowed: ['admin'] },
  { method: 'PUT', at: { gateway: '/admin/queues/api/queues/{queueName}/promote' }, allowed: ['admin'] },
];

/** Spellings of one path that a router may or may not take for it. */
const VARIANTS: Record<string, (path: string) => string> = {
  canonical: (p) => p,
  upper: (p) => p.toUpperCase(),
  mixed: (p) => p.replace(/[a-z]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c)),
  'trailing slash': (p) => `${p}/`,
  'encoded slash': (p) => p.replace(/(.)\/([^/]*)$/, '$1%2F$2'),
  'doubled slash': (p) => p.replace('/', '//'),
  'dot segment': (p) => p.replace(/\/([^/]*)$/, '/./$1'),
  'encoded letters': (p) => p.replace(/[aeiou]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
};

const REFUSED = [401, 403, 404, 405];

describe('access matrix (issue 13): every route × caller × path spelling × entry point', () => {
  let system: RecertSystem;
  let real: Record<string, string>;
  const fake: Record<string, string> = {
    trainerId: 'T-NOBODY',
    credentialId: 'CPT-NOBODY',
    applicationId: '00000000-0000-4000-8000-000000000000',
    petitionId: '00000000-0000-4000-8000-000000000001',
    documentId: 'no-such-document',
    payableId: 'application-fee:00000000-0000-4000-8000-000000000000',
    eventName: 'no-such-event',
    queueName: 'no-such-queue',
    assetFile: 'no-such-asset.js',
    parkedId: '999999999',
    service: 'payments',
  };
  const marker = `matrix-${RecertSystem.id()}`;
  const completion = (trainerId: string) => ({
    completionId: marker,
    trainerId,
    providerId: 'ACE',
    courseId: 'MATRIX',
    completedOn: '2026-01-10',
  });

  beforeAll(async () => {
    system = await RecertSystem.start({ auditRatePpm: 1_000_000 });
    // A petition waiting for review (fee paid) and an application under audit: what a handler
    // reached past access control would change.
    const trainer = new TrainerStory(system);
    await trainer.certified('2024-12-10', '2026-12-10');
    await trainer.qualifies('2026-12-10');
    // Patient: a fresh system first reads every topic from the start, other files' events included.
    await trainer.ledgerReached(190, 1, 240_000);
    const petitionId = await trainer.petitions('Kettlebell basics', '2026-02-01', '2');
    await waitFor(
      () => system.api('GET', `/v1/petitions/${petitionId}`),
      (r) => r.status === 200,
      { what: 'the petition to open' },
    );
    await trainer.paysPetitionFee(petitionId);
    await waitFor(
      () => system.api('GET', `/v1/petitions/${petitionId}`),
      (r) => r.body?.state === 'fee-paid',
      { what: 'the petition fee to be paid' },
    );
    const applicationId = await trainer.applies(system.now().toISOString());
    await waitFor(
      () => system.api('GET', `/v1/audits/${applicationId}`),
      (r) => r.status === 200 && r.body?.status === 'awaiting-documents',
      { what: 'the application to be selected for audit' },
    );
    await trainer.uploads(applicationId, 'cpr-aed-card-front');
    const audit = await waitFor(
      () => system.api('GET', `/v1/audits/${applicationId}`),
      (r) => r.body?.documents?.length === 1,
      { what: 'the first audit document to arrive' },
    );
    real = {
      trainerId: trainer.trainerId,
      credentialId: `CPT-${trainer.trainerId}`,
      applicationId,
      petitionId,
      documentId: audit.body.documents[0].documentId,
      payableId: `petition-fee:${petitionId}`,
      eventName: 'course-completed',
      queueName: 'deadlines-applications',
      assetFile: 'no-such-asset.js',
      // No message is parked here: a refused replay or discard would find none to act on either.
      parkedId: '999999999',
      service: 'payments',
    };
  }, 330_000);

  afterAll(() => system?.stop());

  it('lists every documented route of every service and the gateway', async () => {
    for (const service of [...SERVICES, 'gateway'] as const) {
      const documented = await openApiRoutes(system, service);
      const listed = ROUTES.filter((r) => r.at[service]).map((r) => `${r.method} ${r.at[service]}`);
      expect({ service, missing: documented.filter((d) => !listed.includes(d)) }).toEqual({ service, missing: [] });
    }
  });

  it('refuses every call outside its role (401 or 403, or a router 404/405) and lets each role through; nothing refused takes effect', async () => {
    const tokens: Record<Caller, string | null> = {
      nobody: null,
      unknown: 'not-a-token-of-this-system',
      forgedStaff: null,
      upstream: RecertSystem.tokens.upstream,
      cprProvider: RecertSystem.tokens.cprProvider,
      reviewer: RecertSystem.tokens.reviewer,
      ops: RecertSystem.tokens.ops,
      admin: RecertSystem.tokens.admin,
    };
    const forged = mintStaffIdentity(
      'a-secret-that-is-not-the-systems-0123456789',
      { accountId: 'forged', name: 'Mallory', email: 'mallory@example.org', roles: ['reviewer', 'ops', 'admin'] },
      system.now(),
    );
    const extra: Partial<Record<Caller, Record<string, string>>> = { forgedStaff: { [STAFF_IDENTITY_HEADER]: forged } };
    const clocksBefore = await clocks(system);
    const wrong: string[] = [];
    let calls = 0;
    for (const route of ROUTES) {
      for (const [service, template] of Object.entries(route.at) as [Service, string][]) {
        for (const caller of CALLERS) {
          const allowed =
            route.allowed === 'public' ||
            (route.allowed.some((r) => ROLES_OF[caller].includes(r)) && !route.alsoRefused?.includes(caller));
          if (allowed && route.allowedCallTestedElsewhere) continue;
          // Refused callers aim at the real petition, audit and queue with a body the handler would act
          // on; allowed ones at ids that do not exist, so that they change nothing.
          const ids = allowed ? fake : real;
          const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name]));
          const body =
            route.body === undefined
              ? undefined
              : template.includes('{eventName}')
                ? completion(real.trainerId)
                : allowed
                  ? { unexpected: true }
                  : route.body;
          for (const [variant, spell] of Object.entries(VARIANTS)) {
            if (allowed && variant !== 'canonical') continue;
            const status = await send(system, service, route.method, spell(path), tokens[caller], body, extra[caller]);
            calls += 1;
            const what = `${route.method} ${spell(path)} at ${service} as ${caller} (${variant}): ${status}`;
            if (status >= 500) wrong.push(`${what}, a server error`);
            else if (route.provesItself) {
              if (status !== 401) wrong.push(`${what}, expected 401 for the missing signature`);
            } else if (allowed) {
              if (status === 401 || status === 403) wrong.push(`${what}, expected to be let through`);
            } else if (variant === 'canonical') {
              // Ops reach the read-only queue view, whose actions answer 405.
              const expected =
                tokens[caller] === null || caller === 'unknown'
                  ? 401
                  : route.allowed.length === 0 && caller === 'ops'
                    ? 405
                    : 403;
              if (status !== expected) wrong.push(`${what}, expected ${expected}`);
            } else if (!REFUSED.includes(status)) wrong.push(`${what}, expected a refusal`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(2_000);

    // Nothing refused took effect: the petition still waits for review, the audit for its
    // documents with its deadline, no queue is paused, the clock has not moved, no event went out.
    const petition = await system.api('GET', `/v1/petitions/${real.petitionId}`);
    expect(petition.body.state).toBe('fee-paid');
    const audit = await system.api('GET', `/v1/audits/${real.applicationId}`);
    expect(audit.body).toMatchObject({ status: 'awaiting-documents', actions: [] });
    expect(audit.body.documents.map((d: { review: { state: string } }) => d.review.state)).toEqual(['pending']);
    const queues = await system.api('GET', '/ops/queues/api/queues', undefined, {
      authorization: `Bearer ${RecertSystem.tokens.ops}`,
    });
    expect(queues.body.queues.map((q: { name: string; isPaused: boolean }) => [q.name, q.isPaused])).toEqual([
      ['deadlines-applications', false],
      ['deadlines-audits', false],
      ['deadlines-ceu-verification', false],
    ]);
    const clocksAfter = await clocks(system);
    for (const [entry, before] of Object.entries(clocksBefore))
      expect({ entry, movedMs: clocksAfter[entry] - before < 86_400_000 }).toEqual({ entry, movedMs: true });
    const [{ events }] = await system.query<{ events: number }>(
      'gateway',
      `SELECT count(*)::int AS events FROM schema.outbox WHERE envelope::text LIKE $1`,
      [`%${marker}%`],
    );
    expect(events).toBe(0);
  }, 300_000);

  it('Bull Board: ops watch the queues read-only; only an admin pauses and resumes them', async () => {
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const { ops, admin } = RecertSystem.tokens;
    expect(await send(system, 'gateway', 'PUT', '/ops/queues/api/queues/pause', ops)).toBe(405);
    expect(await send(system, 'gateway', 'PUT', '/OPS/QUEUES/api/queues/pause', RecertSystem.tokens.upstream)).toBe(
      403,
    );
    expect(await send(system, 'gateway', 'PUT', '/admin/queues/api/queues/pause', admin)).toBe(200);
    const paused = await system.api('GET', '/ops/queues/api/queues', undefined, as(ops));
    expect(paused.body.queues.map((q: { isPaused: boolean }) => q.isPaused)).toEqual([true, true, true]);
    expect(await send(system, 'gateway', 'PUT', '/admin/queues/api/queues/resume', admin)).toBe(200);
    const resumed = await system.api('GET', '/ops/queues/api/queues', undefined, as(ops));
    expect(resumed.body.queues.map((q: { isPaused: boolean }) => q.isPaused)).toEqual([false, false, false]);
  });

  it('named staff (issue 13, "Who did it"): each service logs every staff action append-only, and ops read it', async () => {
    const { reviewer, ops, admin } = RecertSystem.tokens;
    const extended = await system.api(
      'POST',
      `/v1/audits/${real.applicationId}/extend`,
      { days: 7, reason: 'hospital stay' },
      { authorization: `Bearer ${reviewer}` },
    );
    expect(extended.status).toBe(200);
    expect(await send(system, 'gateway', 'PUT', '/admin/queues/api/queues/deadlines-audits/promote', admin)).toBe(200);

    const summary = await system.api('GET', '/v1/ops/summary', undefined, { authorization: `Bearer ${ops}` });
    expect(summary.body.staffActions.audits.data[0]).toMatchObject({
      by: { name: 'reviewer', roles: ['reviewer'] },
      action: 'audit.extend',
      subject: real.applicationId,
      reason: 'hospital stay',
    });
    const gatewayLog = await fetch(`${await system.urlOf('gateway')}/staff-actions`, {
      headers: { authorization: `Bearer ${ops}` },
    });
    expect(((await gatewayLog.json()) as unknown[])[0]).toMatchObject({
      by: { name: 'admin', roles: ['admin'] },
      action: 'queues.put',
      subject: '/admin/queues/api/queues/deadlines-audits/promote',
    });
    // Append-only, whoever asks: the database refuses to change or remove an entry.
    await expect(system.query('audits', `UPDATE schema.staff_actions SET reason = 'rewritten'`)).rejects.toThrow(
      /staff_actions is append-only: UPDATE refused/,
    );
    await expect(system.query('audits', `DELETE FROM schema.staff_actions`)).rejects.toThrow(
      /staff_actions is append-only: DELETE refused/,
    );
  });

  it("an upstream caller sends only its own systems' events: a CPR/AED provider cannot certify a trainer (403), and nothing is queued", async () => {
    const response = await system.api(
      'POST',
      '/v1/events/trainer-certified',
      { trainerId: 'T-MATRIX', credentialId: 'CPT-T-MATRIX', certifiedOn: '2026-01-01', expiresOn: '2028-01-01' },
      { authorization: `Bearer ${RecertSystem.tokens.cprProvider}` },
    );
    expect(response.status).toBe(403);
    expect(response.body.message).toBe(
      'red-cross (cpr-aed-providers) may not send TrainerCertified: it comes from exam-system',
    );
    const [{ events }] = await system.query<{ events: number }>(
      'gateway',
      `SELECT count(*)::int AS events FROM schema.outbox WHERE envelope::text LIKE '%T-MATRIX%'`,
    );
    expect(events).toBe(0);
  });
});

/** Every clock's reading: the gateway's and each service's, in milliseconds. */
async function clocks(system: RecertSystem): Promise<Record<string, number>> {
  const { body } = await system.api('GET', '/v1/clock');
  return {
    gateway: Date.parse(body.now),
    ...Object.fromEntries(
      Object.entries(body.services as Record<string, { now: string }>).map(([s, c]) => [s, Date.parse(c.now)]),
    ),
  };
}

/**
 * `METHOD /path/{param}` of every operation in one entry point's OpenAPI document; the gateway
 * documents each upstream event on its own path, all served by /v1/events/{eventName}.
 */
async function openApiRoutes(system: RecertSystem, service: Service): Promise<string[]> {
  const url = `${await system.urlOf(service)}/docs-json`;
  const document = (await (await fetch(url)).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path.replace(/^\/v1\/events\/[a-z-]+$/, '/v1/events/{eventName}')}`),
  );
}

/** One raw HTTP request: the path goes out byte for byte (fetch would normalise dot segments). */
async function send(
  system: RecertSystem,
  service: Service,
  method: Method,
  path: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<number> {
  const base = new URL(await system.urlOf(service));
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          ...headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
