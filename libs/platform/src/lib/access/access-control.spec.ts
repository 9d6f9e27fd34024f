import { decideAccess, parseApiTokens, requirementOf, tokenDigest } from './access-control';

describe('access control', () => {
  const callers = parseApiTokens(
    [
      `lms:upstream:${tokenDigest('lms-token-0123456789')}`,
      `alice:reviewer+ops:${tokenDigest('alice-token-0123456789')}`,
    ].join(','),
  );
  const decide = (method: string, path: string, token?: string) =>
    decideAccess(callers, method, path, token === undefined ? undefined : `Bearer ${token}`);

  it('reads callers from API_TOKENS, keeping only token digests', () => {
    expect([...callers.values()]).toEqual([
      { name: 'lms', roles: ['upstream'] },
      { name: 'alice', roles: ['reviewer', 'ops'] },
    ]);
    expect(parseApiTokens(undefined).size).toBe(0);
    expect(parseApiTokens(' ').size).toBe(0);
  });

  it('names every bad entry of API_TOKENS', () => {
    expect(() => parseApiTokens(`a:admin:${'0'.repeat(64)},b:ops:plain-token,c`)).toThrow(
      /a: roles must be among upstream, reviewer, ops; b: the token must be given as its SHA-256 hex digest; c: roles must be among/,
    );
  });

  it.each([
    ['GET', '/health/ready', 'public'],
    ['GET', '/docs-json', 'public'],
    ['GET', '/docs/swagger-ui.css', 'public'],
    ['GET', '/metrics', 'public'],
    ['GET', '/ops', 'public'],
    ['GET', '/ops/summary', 'ops'],
    ['POST', '/payments/processor-webhook', 'public'],
    ['POST', '/events/course-completed', 'upstream'],
    ['POST', '/petitions/p1/approve', 'reviewer'],
    ['POST', '/audits/a1/documents/d1/reject', 'reviewer'],
    ['GET', '/petitions?state=fee-paid', 'reviewer,ops'],
    ['GET', '/audits', 'reviewer,ops'],
    ['GET', '/applications/counts', 'ops'],
    ['GET', '/trainers/T1/what-if?on=2026-12-01', 'ops'],
    ['POST', '/clock', 'ops'],
    ['GET', '/ops/queues/api/queues', 'ops'],
    ['POST', '/health/live', 'upstream,reviewer,ops'],
  ])('%s %s needs %s', (method, path, needed) => {
    const requirement = requirementOf(method, path);
    expect(requirement === 'public' ? 'public' : requirement.join(',')).toBe(needed);
  });

  it('answers 401 without a token or with an unknown one, 403 outside the role, and lets the rest through', () => {
    expect(decide('GET', '/applications')).toMatchObject({ allowed: false, status: 401 });
    expect(decide('GET', '/applications', 'short')).toMatchObject({ allowed: false, status: 401 });
    expect(decide('GET', '/applications', 'unknown-token-0123456789')).toMatchObject({ allowed: false, status: 401 });
    expect(decideAccess(callers, 'GET', '/applications', 'Basic abc')).toMatchObject({ status: 401 });
    expect(decide('GET', '/applications', 'lms-token-0123456789')).toMatchObject({
      allowed: false,
      status: 403,
      message: 'GET /applications needs the role ops',
    });
    expect(decide('POST', '/events/course-completed', 'lms-token-0123456789')).toEqual({
      allowed: true,
      caller: { name: 'lms', roles: ['upstream'] },
    });
    expect(decide('POST', '/petitions/p1/deny', 'alice-token-0123456789')).toMatchObject({ allowed: true });
    expect(decide('GET', '/health/live')).toEqual({ allowed: true, caller: null });
  });
});
