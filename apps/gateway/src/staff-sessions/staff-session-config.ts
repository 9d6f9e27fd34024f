import { createHmac } from 'node:crypto';
import { z } from 'zod';

const minutes = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const StaffSessionEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Shared with every service (platform config): the gateway signs people's identities with it. */
  STAFF_IDENTITY_SECRET: z.string().min(32).optional(),
  /** Signs the session cookie and the CSRF tokens; unset, derived from STAFF_IDENTITY_SECRET. */
  STAFF_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A session nobody used for this long ends. */
  STAFF_SESSION_IDLE_MINUTES: minutes(30),
  /** A session ends this long after sign-in, used or not. */
  STAFF_SESSION_ABSOLUTE_MINUTES: minutes(12 * 60),
  /** This many wrong passwords in a row lock the account… */
  STAFF_LOCKOUT_ATTEMPTS: minutes(5),
  /** …for this long. */
  STAFF_LOCKOUT_MINUTES: minutes(15),
  /** Cookies only over HTTPS (behind a TLS-terminating proxy that sets X-Forwarded-Proto); default: in production. */
  STAFF_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
});

export interface StaffSessionConfig {
  /** Null: nobody can sign in (the services could not verify who they are). */
  readonly identitySecret: string | null;
  readonly sessionSecret: string | null;
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly lockout: { readonly attempts: number; readonly ms: number };
  readonly secureCookies: boolean;
}

export const STAFF_SESSION_CONFIG = Symbol('StaffSessionConfig');

export function staffSessionConfig(env: Record<string, string | undefined>): StaffSessionConfig {
  const parsed = StaffSessionEnv.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid environment for gateway: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = parsed.data;
  const identitySecret = e.STAFF_IDENTITY_SECRET ?? null;
  // A key of its own derived from the shared secret: one secret to configure, two uses kept apart.
  const derived = identitySecret && createHmac('sha256', identitySecret).update('recert staff session').digest('hex');
  return {
    identitySecret,
    sessionSecret: identitySecret ? (e.STAFF_SESSION_SECRET ?? derived) : null,
    idleMs: e.STAFF_SESSION_IDLE_MINUTES * 60_000,
    absoluteMs: e.STAFF_SESSION_ABSOLUTE_MINUTES * 60_000,
    lockout: { attempts: e.STAFF_LOCKOUT_ATTEMPTS, ms: e.STAFF_LOCKOUT_MINUTES * 60_000 },
    secureCookies: e.STAFF_COOKIE_SECURE ? e.STAFF_COOKIE_SECURE === 'true' : e.NODE_ENV === 'production',
  };
}
