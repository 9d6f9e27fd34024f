import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Caller } from './access-control';

/**
 * The header through which the gateway vouches for a signed-in staff member (issue 14): only the
 * gateway mints it, after checking the person's session; every service (the gateway included)
 * verifies it in its AccessGuard with the secret they share. It lives a minute, so a copied
 * header is worth little, and nobody without the secret can make one.
 */
export const STAFF_IDENTITY_HEADER = 'x-recert-staff-identity';
/** How long a minted identity is honoured: long enough for one request and its proxying. */
export const STAFF_IDENTITY_TTL_MS = 60_000;

const VERSION = 'v1';

/** The roles a person may hold; `upstream` belongs to machines only. */
export const STAFF_ROLES = ['reviewer', 'ops', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffIdentity {
  readonly accountId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly StaffRole[];
}

const Claims = z.strictObject({
  accountId: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  email: z.string().min(3).max(254),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
  /** Until when it is honoured, in the minting service's clock (ms since the epoch). */
  exp: z.number().int(),
});

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`, 'utf8').digest();
}

/** `v1.<claims, base64url JSON>.<HMAC-SHA256 of "v1.<claims>", base64url>`. */
export function mintStaffIdentity(secret: string, identity: StaffIdentity, now: Date): string {
  const { accountId, name, email, roles } = identity;
  const claims = { accountId, name, email, roles: [...roles], exp: now.getTime() + STAFF_IDENTITY_TTL_MS };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${VERSION}.${body}.${mac(secret, body).toString('base64url')}`;
}

export type IdentityCheck =
  | { readonly valid: true; readonly caller: Caller }
  | { readonly valid: false; readonly reason: string };

/**
 * The caller a minted identity stands for, if its signature holds and it has not expired by `now`.
 * The person is recorded as `Name <e-mail>`, so every staff action names who did it.
 */
export function verifyStaffIdentity(secret: string | null, header: string, now: Date): IdentityCheck {
  if (!secret)
    return { valid: false, reason: 'staff identities are not accepted here (STAFF_IDENTITY_SECRET is unset)' };
  const [version, body, signature, ...rest] = header.split('.');
  if (version !== VERSION || !body || !signature || rest.length > 0)
    return { valid: false, reason: 'the staff identity is malformed' };
  const expected = mac(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { valid: false, reason: 'the staff identity is not signed by the gateway' };
  let claims: z.infer<typeof Claims>;
  try {
    claims = Claims.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return { valid: false, reason: 'the staff identity is malformed' };
  }
  if (claims.exp < now.getTime()) return { valid: false, reason: 'the staff identity has expired' };
  return {
    valid: true,
    caller: {
      name: `${claims.name} <${claims.email}>`,
      email: claims.email,
      accountId: claims.accountId,
      roles: claims.roles,
      systems: [],
    },
  };
}
