import { createHash } from 'node:crypto';

/** Who calls: upstream systems (service credentials), reviewers (staff decisions), ops (reading, queues, time). */
export type Role = 'upstream' | 'reviewer' | 'ops';
const ROLES: readonly Role[] = ['upstream', 'reviewer', 'ops'];

export interface Caller {
  readonly name: string;
  readonly roles: readonly Role[];
}

/** A bearer token is stored only as its SHA-256 digest: the environment holds no usable secret. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * API_TOKENS: comma-separated `<name>:<role>[+<role>…]:<sha256 hex of the token>`, e.g.
 * `lms:upstream:9f86…,alice:reviewer+ops:60303…`. Every problem is named.
 */
export function parseApiTokens(spec: string | undefined): Map<string, Caller> {
  const callers = new Map<string, Caller>();
  const problems: string[] = [];
  for (const [i, entry] of (spec ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .entries()) {
    const [name, roles, digest, ...rest] = entry.split(':');
    const roleList = (roles ?? '').split('+') as Role[];
    if (rest.length > 0 || !name || !/^[\w.-]{1,64}$/.test(name))
      problems.push(`entry ${i + 1}: must be name:roles:sha256`);
    else if (!roleList.every((r) => ROLES.includes(r)))
      problems.push(`${name}: roles must be among ${ROLES.join(', ')}`);
    else if (!/^[0-9a-f]{64}$/.test(digest ?? ''))
      problems.push(`${name}: the token must be given as its SHA-256 hex digest`);
    else callers.set(digest, { name, roles: roleList });
  }
  if (problems.length > 0) throw new Error(`Invalid API_TOKENS: ${problems.join('; ')}`);
  return callers;
}

/** What a route asks of its caller: nothing (public), or one of these roles. */
export type Requirement = 'public' | readonly Role[];

interface Rule {
  readonly method: 'GET' | 'POST' | 'ANY';
  readonly path: RegExp;
  readonly requires: Requirement;
}

/**
 * Every HTTP route of the system, as a service sees it (the gateway matches its /v1 paths with
 * the prefix removed). First match wins; a route no rule names needs a valid caller of any role.
 */
const RULES: readonly Rule[] = [
  // Probes, metrics scrapes and API documents carry no personal data.
  { method: 'GET', path: /^\/(health\/(live|ready)|metrics|docs(-json|\/.*)?)$/, requires: 'public' },
  // The ops dashboard's page holds no data; what it shows comes from /v1/ops/summary (ops).
  { method: 'GET', path: /^\/ops$/, requires: 'public' },
  // The payment processor proves itself by signing the body (payments verifies it).
  { method: 'POST', path: /^\/payments\/processor-webhook$/, requires: 'public' },
  { method: 'POST', path: /^\/events\/[^/]+$/, requires: ['upstream'] },
  { method: 'POST', path: /^\/(petitions|audits)\//, requires: ['reviewer'] },
  { method: 'ANY', path: /^\/(clock|ops)(\/|$)/, requires: ['ops'] },
  { method: 'GET', path: /^\/(petitions|audits)(\/|\?|$)/, requires: ['reviewer', 'ops'] },
  { method: 'GET', path: /^\//, requires: ['ops'] },
];

export function requirementOf(method: string, path: string): Requirement {
  const bare = path.split('?')[0];
  const rule = RULES.find((r) => (r.method === 'ANY' || r.method === method.toUpperCase()) && r.path.test(bare));
  return rule?.requires ?? ['upstream', 'reviewer', 'ops'];
}

export type AccessDecision =
  | { readonly allowed: true; readonly caller: Caller | null }
  | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

/** Decides one request from its method, path (without /v1) and Authorization header. */
export function decideAccess(
  callers: Map<string, Caller>,
  method: string,
  path: string,
  authorization: string | undefined,
): AccessDecision {
  const requires = requirementOf(method, path);
  if (requires === 'public') return { allowed: true, caller: null };
  const token = /^Bearer ([\x21-\x7e]{16,512})$/.exec(authorization ?? '')?.[1];
  if (!token) return { allowed: false, status: 401, message: 'a bearer token is required (Authorization: Bearer …)' };
  // A lookup by digest: comparing SHA-256 digests leaks nothing about the token through timing.
  const caller = callers.get(tokenDigest(token));
  if (!caller) return { allowed: false, status: 401, message: 'the bearer token is not known' };
  if (!caller.roles.some((r) => requires.includes(r)))
    return { allowed: false, status: 403, message: `${method} ${path} needs the role ${requires.join(' or ')}` };
  return { allowed: true, caller };
}
