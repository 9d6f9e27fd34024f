import { createHash } from 'node:crypto';
import { isUpstreamSystem, UPSTREAM_SYSTEM_NAMES, UpstreamSystem } from '@recert/contracts';
import { verifyStaffIdentity } from './staff-identity';

/**
 * Who calls: upstream systems (service credentials, each for the systems it speaks for), reviewers
 * (staff decisions), ops (reading, time), admins (acting on the deadline queues).
 */
export type Role = 'upstream' | 'reviewer' | 'ops' | 'admin';
export const ROLES: readonly Role[] = ['upstream', 'reviewer', 'ops', 'admin'];

export interface Caller {
  readonly name: string;
  readonly roles: readonly Role[];
  /** The upstream systems this caller speaks for (empty unless it has the upstream role). */
  readonly systems: readonly UpstreamSystem[];
  /** A person signed in to the staff console (issue 14): their e-mail and account; machines have none. */
  readonly email?: string;
  readonly accountId?: string;
}

/** What a route asks of its caller: nothing (public), or one of these roles. */
export type Requirement = 'public' | readonly Role[];

/** A bearer token is stored only as its SHA-256 digest: the environment holds no usable secret. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * API_TOKENS: comma-separated `<name>:<role>[+<role>…]:<sha256 hex of the token>`, where a role is
 * reviewer, ops, admin, or `upstream/<system>` (the upstream system the caller speaks for), e.g.
 * `lms:upstream/learning-platform:9f86…,alice:reviewer+ops:60303…`. Every problem is named.
 */
export function parseApiTokens(spec: string | undefined): Map<string, Caller> {
  const callers = new Map<string, Caller>();
  const problems: string[] = [];
  for (const [i, entry] of (spec ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .entries()) {
    const [name, roleSpec, digest, ...rest] = entry.split(':');
    if (rest.length > 0 || roleSpec === undefined || !name || !/^[\w.-]{1,64}$/.test(name)) {
      problems.push(`entry ${i + 1}: must be name:roles:sha256`);
      continue;
    }
    const roles = new Set<Role>();
    const systems = new Set<UpstreamSystem>();
    const bad: string[] = [];
    for (const role of roleSpec.split('+')) {
      const [kind, system] = role.split('/');
      if (kind === 'upstream' && system !== undefined && isUpstreamSystem(system)) {
        roles.add('upstream');
        systems.add(system);
      } else if (system === undefined && (ROLES as readonly string[]).includes(kind) && kind !== 'upstream') {
        roles.add(kind as Role);
      } else bad.push(role || '(empty)');
    }
    if (bad.length > 0)
      problems.push(
        `${name}: ${bad.join(', ')}: roles must be among reviewer, ops, admin, upstream/<system> (systems: ${UPSTREAM_SYSTEM_NAMES.join(', ')})`,
      );
    else if (!/^[0-9a-f]{64}$/.test(digest ?? ''))
      problems.push(`${name}: the token must be given as its SHA-256 hex digest`);
    else callers.set(digest, { name, roles: [...roles], systems: [...systems] });
  }
  if (problems.length > 0) throw new Error(`Invalid API_TOKENS: ${problems.join('; ')}`);
  return callers;
}

export type AccessDecision =
  | { readonly allowed: true; readonly caller: Caller | null }
  | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

/** Who may be recognised: machines by bearer token, people by the identity the gateway signs for their session. */
export interface Authenticators {
  readonly callers: ReadonlyMap<string, Caller>;
  /** STAFF_IDENTITY_SECRET: null accepts no staff identity. */
  readonly staffIdentitySecret: string | null;
  /** The service's clock, against which a staff identity's expiry is judged. */
  readonly now: () => Date;
}

/** What a request presents: its Authorization header, and the staff identity header (STAFF_IDENTITY_HEADER). */
export interface Credentials {
  readonly authorization?: string;
  readonly staffIdentity?: string;
}

/**
 * Decides one request from what its handler requires and what it presents: a bearer token (a
 * machine) or, without one, a staff identity signed by the gateway (a person with a session).
 * 401 when neither proves a caller, 403 outside the roles. `what` names the action in the refusal.
 */
export function authorize(
  authenticators: Authenticators,
  requires: Requirement,
  credentials: Credentials,
  what: string,
): AccessDecision {
  if (requires === 'public') return { allowed: true, caller: null };
  const identified = identify(authenticators, credentials);
  if (!identified.caller) return { allowed: false, status: 401, message: identified.problem };
  const caller = identified.caller;
  if (!caller.roles.some((r) => requires.includes(r)))
    return { allowed: false, status: 403, message: `${what} needs the role ${requires.join(' or ')}` };
  return { allowed: true, caller };
}

function identify(
  authenticators: Authenticators,
  credentials: Credentials,
): { caller: Caller; problem?: undefined } | { caller?: undefined; problem: string } {
  if (credentials.authorization === undefined && credentials.staffIdentity !== undefined) {
    const check = verifyStaffIdentity(
      authenticators.staffIdentitySecret,
      credentials.staffIdentity,
      authenticators.now(),
    );
    return check.valid ? { caller: check.caller } : { problem: check.reason };
  }
  const token = /^Bearer ([\x21-\x7e]{16,512})$/.exec(credentials.authorization ?? '')?.[1];
  if (!token) return { problem: 'a bearer token (Authorization: Bearer …) or a staff session is required' };
  // A lookup by digest: comparing SHA-256 digests leaks nothing about the token through timing.
  const caller = authenticators.callers.get(tokenDigest(token));
  return caller ? { caller } : { problem: 'the bearer token is not known' };
}
