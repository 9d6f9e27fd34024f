import { CalendarDate, isTimeZone } from './calendar-date';
import { CeuHundredths, ceuHundredths } from './ceu';
import { Cents, cents } from './money';

/**
 * Every value DOMAIN.md leaves to policy, in one place. Nothing else in the code base writes
 * these numbers; each default is DOMAIN.md's (or NASM's published guideline it cites).
 */
export interface RecertPolicy {
  /** R1: length of a cycle in years. */
  readonly cycleYears: number;
  /** R2: CEUs required from continuing education (1.9), and what a current CPR/AED card counts (0.1). */
  readonly requiredCourseCeu: CeuHundredths;
  readonly cprAedCeu: CeuHundredths;
  /** R4/R10: days after expiration during which courses still count and the late fee applies. */
  readonly lateWindowDays: number;
  /** R9: years after expiration during which an application is still accepted (the anniversary included). */
  readonly finalWindowYears: number;
  /** R9: how early an application may be received: months before expiration (default 6). */
  readonly earlyApplicationMonths: number;
  /** R10 fees. */
  readonly standardFee: Cents;
  readonly lateFee: Cents;
  readonly additionalFee: Cents;
  /** R10: whether the 91+ day fee adds to the late fee (false: standard + additional only, $149 at most). */
  readonly lateFeesStack: boolean;
  /** "Recertify for Life": members who paid once owe no recertification fee (CEUs still required). */
  readonly recertifyForLifeWaivesFee: boolean;
  /** R6: per petitioned course or event; never refunded. */
  readonly petitionFee: Cents;
  /** R11: share of applications selected, in parts per million (100 000 = 10 %). */
  readonly auditRatePpm: number;
  /** R11: days from selection to submit every supporting document. */
  readonly auditDocumentationDays: number;
  /** R11: reminders this many days before the audit deadline. */
  readonly auditReminderDaysBefore: readonly number[];
  /** R11 [policy]: how many times a reviewer may extend the documentation window (once), and by at most how many days (30). */
  readonly auditExtensionsAllowed: number;
  readonly auditExtensionMaxDays: number;
  /** R7: the waiver of the hands-on skills assessment: from this date ... */
  readonly waiverStartsOn: CalendarDate | null;
  /** ... until `waiverGraceDays` after distancing orders were lifted (open-ended while unset). */
  readonly distancingOrdersLiftedOn: CalendarDate | null;
  readonly waiverGraceDays: number;
  /** R7: the day a CPR/AED card must still be valid on: the application's submission (default) or its decision. */
  readonly cprAedCurrentOn: 'submission' | 'decision';
  /** Reminders before expiry (days before; 0 = on the day) and after it (days after). */
  readonly expiryReminderDaysBefore: readonly number[];
  readonly expiryReminderDaysAfter: readonly number[];
  /** Credentials' time zone when a credential names none (IANA). */
  readonly defaultTimeZone: string;
}

export const DEFAULT_POLICY: RecertPolicy = Object.freeze({
  cycleYears: 2,
  requiredCourseCeu: ceuHundredths(190),
  cprAedCeu: ceuHundredths(10),
  lateWindowDays: 90,
  finalWindowYears: 1,
  earlyApplicationMonths: 6,
  standardFee: cents(9_900),
  lateFee: cents(3_000),
  additionalFee: cents(5_000),
  lateFeesStack: false,
  recertifyForLifeWaivesFee: true,
  petitionFee: cents(2_500),
  auditRatePpm: 100_000,
  auditDocumentationDays: 30,
  auditReminderDaysBefore: Object.freeze([14, 7, 1]),
  auditExtensionsAllowed: 1,
  auditExtensionMaxDays: 30,
  // The waiver the seed page announces began with the pandemic; the lifting date is unset.
  waiverStartsOn: CalendarDate.of(2020, 3, 13),
  distancingOrdersLiftedOn: null,
  waiverGraceDays: 60,
  cprAedCurrentOn: 'submission',
  expiryReminderDaysBefore: Object.freeze([90, 60, 30, 7, 0]),
  expiryReminderDaysAfter: Object.freeze([30]),
  defaultTimeZone: 'UTC',
});

/** Thrown by `createPolicy`; `problems` names each bad field, one line each. */
export class InvalidPolicy extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid recertification policy: ${problems.join('; ')}`);
    this.name = 'InvalidPolicy';
  }
}

type Field = keyof RecertPolicy;

/**
 * The default policy with `overrides` applied, validated, frozen. Throws `InvalidPolicy` naming
 * every bad field (an unknown field is a typo, and refused as such).
 */
export function createPolicy(overrides: Partial<RecertPolicy> = {}): RecertPolicy {
  const problems: string[] = [];
  for (const key of Object.keys(overrides)) {
    if (!(key in DEFAULT_POLICY)) problems.push(`${key} is not a policy field`);
  }
  const policy: RecertPolicy = { ...DEFAULT_POLICY, ...overrides };
  const wholeAtLeast = (field: Field, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const value = policy[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
      problems.push(`${field} must be a whole number from ${min} to ${max} (got ${String(value)})`);
  };
  wholeAtLeast('cycleYears', 1, 10);
  wholeAtLeast('requiredCourseCeu', 0);
  wholeAtLeast('cprAedCeu', 0);
  wholeAtLeast('lateWindowDays', 0);
  wholeAtLeast('finalWindowYears', 1, 10);
  wholeAtLeast('earlyApplicationMonths', 0, 24);
  wholeAtLeast('standardFee', 0);
  wholeAtLeast('lateFee', 0);
  wholeAtLeast('additionalFee', 0);
  wholeAtLeast('petitionFee', 0);
  wholeAtLeast('auditRatePpm', 0, 1_000_000);
  wholeAtLeast('auditDocumentationDays', 1);
  wholeAtLeast('auditExtensionsAllowed', 0, 10);
  wholeAtLeast('auditExtensionMaxDays', 1, 365);
  wholeAtLeast('waiverGraceDays', 0);
  // R4/R9: the late window is part of the final window, or day-91 rules would make no sense.
  if (typeof policy.lateWindowDays === 'number' && policy.lateWindowDays >= 365 * policy.finalWindowYears)
    problems.push(`lateWindowDays must end before the final window (got ${policy.lateWindowDays})`);
  for (const field of ['lateFeesStack', 'recertifyForLifeWaivesFee'] as const) {
    if (typeof policy[field] !== 'boolean') problems.push(`${field} must be true or false`);
  }
  for (const field of ['expiryReminderDaysBefore', 'expiryReminderDaysAfter', 'auditReminderDaysBefore'] as const) {
    const days: unknown = policy[field];
    if (
      !Array.isArray(days) ||
      !days.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      new Set(days).size !== days.length
    )
      problems.push(`${field} must be distinct whole days ≥ 0`);
  }
  for (const field of ['waiverStartsOn', 'distancingOrdersLiftedOn'] as const) {
    if (policy[field] !== null && !(policy[field] instanceof CalendarDate))
      problems.push(`${field} must be a CalendarDate or null`);
  }
  if (policy.distancingOrdersLiftedOn && !policy.waiverStartsOn) {
    problems.push('distancingOrdersLiftedOn needs waiverStartsOn');
  } else if (
    policy.distancingOrdersLiftedOn instanceof CalendarDate &&
    policy.waiverStartsOn instanceof CalendarDate &&
    policy.distancingOrdersLiftedOn.isBefore(policy.waiverStartsOn)
  ) {
    problems.push('distancingOrdersLiftedOn must not be before waiverStartsOn');
  }
  if (policy.cprAedCurrentOn !== 'submission' && policy.cprAedCurrentOn !== 'decision')
    problems.push(`cprAedCurrentOn must be 'submission' or 'decision' (got ${String(policy.cprAedCurrentOn)})`);
  if (typeof policy.defaultTimeZone !== 'string' || !isTimeZone(policy.defaultTimeZone))
    problems.push(`defaultTimeZone is not an IANA time zone: ${String(policy.defaultTimeZone)}`);
  if (problems.length > 0) throw new InvalidPolicy(problems);
  return Object.freeze(policy);
}
