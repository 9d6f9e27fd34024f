import { authorize, parseApiTokens, tokenDigest } from './access-control';

describe('access control (issue 13)', () => {
  const callers = parseApiTokens(
    [
      `lms:upstream/learning-platform:${tokenDigest('lms-token-0123456789')}`,
      `alice:reviewer+ops:${tokenDigest('alice-token-0123456789')}`,
      `root:admin:${tokenDigest('root-token-0123456789')}`,
    ].join(','),
  );
  const decide = (requires: Parameters<typeof authorize>[1], token?: string) =>
    authorize(callers, requires, token === undefined ? undefined : `Bearer ${token}`, 'POST /petitions/p1/approve');

  it('reads callers from API_TOKENS, keeping only token digests, with the upstream systems they speak for', () => {
    expect([...callers.values()]).toEqual([
      { name: 'lms', roles: ['upstream'], systems: ['learning-platform'] },
      { name: 'alice', roles: ['reviewer', 'ops'], systems: [] },
      { name: 'root', roles: ['admin'], systems: [] },
    ]);
    expect([...callers.keys()][0]).toBe(tokenDigest('lms-token-0123456789'));
    expect(parseApiTokens(undefined).size).toBe(0);
    expect(parseApiTokens(' ').size).toBe(0);
  });

  it('names every bad entry of API_TOKENS: unknown roles, a bare upstream, an unknown system, a plain token', () => {
    expect(() =>
      parseApiTokens(
        [
          `a:root:${'0'.repeat(64)}`,
          `b:upstream:${'0'.repeat(64)}`,
          `c:upstream/bank:${'0'.repeat(64)}`,
          'd:ops:plain-token',
          'e',
        ].join(','),
      ),
    ).toThrow(
      /a: root: roles must be among.*; b: upstream: roles must be among.*; c: upstream\/bank: roles must be among.*; d: the token must be given as its SHA-256 hex digest; entry 5: must be name:roles:sha256/,
    );
  });

  it('answers 401 without a token, with a malformed or an unknown one', () => {
    expect(decide(['reviewer'])).toMatchObject({ allowed: false, status: 401 });
    expect(decide(['reviewer'], 'short')).toMatchObject({ allowed: false, status: 401 });
    expect(decide(['reviewer'], 'unknown-token-0123456789')).toMatchObject({ allowed: false, status: 401 });
    expect(authorize(callers, ['reviewer'], 'Basic abc', 'GET /')).toMatchObject({ status: 401 });
  });

  it('answers 403 outside the roles, naming the action and the roles it needs', () => {
    expect(decide(['reviewer'], 'lms-token-0123456789')).toEqual({
      allowed: false,
      status: 403,
      message: 'POST /petitions/p1/approve needs the role reviewer',
    });
    expect(decide(['ops'], 'root-token-0123456789')).toMatchObject({ status: 403 });
    expect(decide(['admin'], 'alice-token-0123456789')).toMatchObject({
      status: 403,
      message: 'POST /petitions/p1/approve needs the role admin',
    });
  });

  it('lets a caller with one of the roles through, and anyone through a public route', () => {
    expect(decide(['reviewer'], 'alice-token-0123456789')).toEqual({
      allowed: true,
      caller: { name: 'alice', roles: ['reviewer', 'ops'], systems: [] },
    });
    expect(decide(['upstream'], 'lms-token-0123456789')).toMatchObject({ allowed: true });
    expect(decide('public')).toEqual({ allowed: true, caller: null });
  });
});
