import { authorize, parseApiTokens, tokenDigest } from './access-control';
import { mintStaffIdentity } from './staff-identity';

const SECRET = 'identity-secret-0123456789-0123456789';
const NOW = new Date('2026-11-20T10:00:00.000Z');
const RITA = { accountId: 'a-1', name: 'Rita Reviewer', email: 'rita@example.org', roles: ['reviewer'] } as const;

describe('access control (issue 13)', () => {
  const callers = parseApiTokens(
    [
      `lms:upstream/learning-platform:${tokenDigest('lms-token-0123456789')}`,
      `alice:reviewer+ops:${tokenDigest('alice-token-0123456789')}`,
      `root:admin:${tokenDigest('root-token-0123456789')}`,
    ].join(','),
  );
  const authenticators = { callers, staffIdentitySecret: SECRET, now: () => NOW };
  const decide = (requires: Parameters<typeof authorize>[1], token?: string) =>
    authorize(
      authenticators,
      requires,
      { authorization: token === undefined ? undefined : `Bearer ${token}` },
      'POST /petitions/p1/approve',
    );
  const asStaff = (requires: Parameters<typeof authorize>[1], staffIdentity: string, at = NOW, secret = SECRET) =>
    authorize({ callers, staffIdentitySecret: secret, now: () => at }, requires, { staffIdentity }, 'POST /x');

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
    expect(authorize(authenticators, ['reviewer'], { authorization: 'Basic abc' }, 'GET /')).toMatchObject({
      status: 401,
      message: 'a bearer token (Authorization: Bearer …) or a staff session is required',
    });
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

  it('recognises a person by the identity the gateway signed for their session, recorded as name and e-mail (issue 14)', () => {
    const identity = mintStaffIdentity(SECRET, RITA, NOW);
    expect(asStaff(['reviewer'], identity)).toEqual({
      allowed: true,
      caller: {
        name: 'Rita Reviewer <rita@example.org>',
        email: 'rita@example.org',
        accountId: 'a-1',
        roles: ['reviewer'],
        systems: [],
      },
    });
    expect(asStaff(['ops'], identity)).toEqual({ allowed: false, status: 403, message: 'POST /x needs the role ops' });
    // Still honoured 60 s later, not a millisecond more.
    expect(asStaff(['reviewer'], identity, new Date('2026-11-20T10:01:00.000Z'))).toMatchObject({ allowed: true });
    expect(asStaff(['reviewer'], identity, new Date('2026-11-20T10:01:00.001Z'))).toEqual({
      allowed: false,
      status: 401,
      message: 'the staff identity has expired',
    });
  });

  it('refuses a forged, altered or malformed identity, and any identity where no secret is configured', () => {
    const identity = mintStaffIdentity(SECRET, RITA, NOW);
    const forged = mintStaffIdentity('another-secret-0123456789-0123456789', { ...RITA, roles: ['admin'] }, NOW);
    expect(asStaff(['admin'], forged)).toEqual({
      allowed: false,
      status: 401,
      message: 'the staff identity is not signed by the gateway',
    });
    const [version, , signature] = identity.split('.');
    const claims = Buffer.from(JSON.stringify({ ...RITA, roles: ['admin'], exp: NOW.getTime() + 60_000 })).toString(
      'base64url',
    );
    expect(asStaff(['admin'], `${version}.${claims}.${signature}`)).toMatchObject({
      status: 401,
      message: 'the staff identity is not signed by the gateway',
    });
    expect(asStaff(['reviewer'], 'v1.e30')).toMatchObject({ status: 401, message: 'the staff identity is malformed' });
    expect(
      authorize({ callers, staffIdentitySecret: null, now: () => NOW }, ['reviewer'], { staffIdentity: identity }, 'x'),
    ).toEqual({
      allowed: false,
      status: 401,
      message: 'staff identities are not accepted here (STAFF_IDENTITY_SECRET is unset)',
    });
  });

  it('takes a bearer token over a staff identity: a machine is judged by its token alone', () => {
    const identity = mintStaffIdentity(SECRET, RITA, NOW);
    expect(
      authorize(
        authenticators,
        ['reviewer'],
        { authorization: 'Bearer lms-token-0123456789', staffIdentity: identity },
        'POST /x',
      ),
    ).toMatchObject({ allowed: false, status: 403 });
  });
});
