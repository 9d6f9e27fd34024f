import { Provider } from '@nestjs/common';
import { CalendarDate, createPolicy, RecertPolicy } from '@recert/rules';

/** DI token of the recertification policy (fees, windows, audit rate, waiver dates). */
export const RECERT_POLICY = Symbol('RecertPolicy');

/**
 * The policy of DOMAIN.md, with the values operators change without a release read from the
 * environment. `createPolicy` refuses an incoherent policy at start-up, naming the field.
 */
export function policyFromEnv(env: Record<string, string | undefined>): RecertPolicy {
  const date = (name: string) => (env[name] ? CalendarDate.parse(env[name] as string) : undefined);
  const int = (name: string) => (env[name] === undefined ? undefined : Number(env[name]));
  const overrides: Partial<RecertPolicy> = {};
  const auditRatePpm = int('AUDIT_RATE_PPM');
  if (auditRatePpm !== undefined) Object.assign(overrides, { auditRatePpm });
  const lifted = date('WAIVER_ORDERS_LIFTED_ON');
  if (lifted) Object.assign(overrides, { distancingOrdersLiftedOn: lifted });
  if (env['LATE_FEES_STACK'] !== undefined)
    Object.assign(overrides, { lateFeesStack: env['LATE_FEES_STACK'] === 'true' });
  return createPolicy(overrides);
}

export function policyProvider(env: Record<string, string | undefined>): Provider {
  return { provide: RECERT_POLICY, useValue: policyFromEnv(env) };
}
