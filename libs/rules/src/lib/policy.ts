import { CalendarDate } from './calendar-date';
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
  /** R9: years after expiration during which an application is still accepted. */
  readonly finalWindowYears: number;
  /** How early an application may be submitted: months before expiration (default 6). */
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
  /** R7: the waiver of the hands-on skills assessment: from this date ... */
  readonly waiverStartsOn: CalendarDate | null;
  /** ... until this many days after distancing orders were lifted (open-ended while unset). */
  readonly distancingOrdersLiftedOn: CalendarDate | null;
  readonly waiverGraceDays: number;
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
  // The waiver the seed page announces began with the pandemic; the lifting date is unset.
  waiverStartsOn: CalendarDate.of(2020, 3, 13),
  distancingOrdersLiftedOn: null,
  waiverGraceDays: 60,
  expiryReminderDaysBefore: Object.freeze([90, 60, 30, 7, 0]),
  expiryReminderDaysAfter: Object.freeze([30]),
  defaultTimeZone: 'UTC',
});

export class InvalidPolicy extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid recertification policy: ${problems.join('; ')}`);
    this.name = 'InvalidPolicy';
  }
}

/** The default policy with `overrides` applied, validated; every problem is named. */
export function createPolicy(overrides: Partial<RecertPolicy> = {}): RecertPolicy {
  const policy: RecertPolicy = { ...DEFAULT_POLICY, ...overrides };
  const problems: string[] = [];
  const wholeAtLeast = (field: keyof RecertPolicy, min: number) => {
    const value = policy[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      problems.push(`${field} must be a whole number ≥ ${min} (got ${String(value)})`);
    }
  };
  wholeAtLeast('cycleYears', 1);
  wholeAtLeast('requiredCourseCeu', 0);
  wholeAtLeast('cprAedCeu', 0);
  wholeAtLeast('lateWindowDays', 0);
  wholeAtLeast('finalWindowYears', 1);
  wholeAtLeast('earlyApplicationMonths', 0);
  wholeAtLeast('standardFee', 0);
  wholeAtLeast('lateFee', 0);
  wholeAtLeast('additionalFee', 0);
  wholeAtLeast('petitionFee', 0);
  wholeAtLeast('auditRatePpm', 0);
  wholeAtLeast('auditDocumentationDays', 1);
  wholeAtLeast('waiverGraceDays', 0);
  if (policy.auditRatePpm > 1_000_000)
    problems.push(`auditRatePpm must be at most 1000000 (got ${policy.auditRatePpm})`);
  if (policy.lateWindowDays >= 365 * policy.finalWindowYears) {
    problems.push('lateWindowDays must end before the final window');
  }
  for (const field of ['expiryReminderDaysBefore', 'expiryReminderDaysAfter', 'auditReminderDaysBefore'] as const) {
    if (!policy[field].every((d) => Number.isSafeInteger(d) && d >= 0))
      problems.push(`${field} must be whole days ≥ 0`);
  }
  if (policy.distancingOrdersLiftedOn && !policy.waiverStartsOn) {
    problems.push('distancingOrdersLiftedOn needs waiverStartsOn');
  }
  if (
    policy.distancingOrdersLiftedOn &&
    policy.waiverStartsOn &&
    policy.distancingOrdersLiftedOn.isBefore(policy.waiverStartsOn)
  ) {
    problems.push('distancingOrdersLiftedOn must not be before waiverStartsOn');
  }
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: policy.defaultTimeZone });
  } catch {
    problems.push(`defaultTimeZone is not an IANA time zone: ${policy.defaultTimeZone}`);
  }
  if (problems.length > 0) throw new InvalidPolicy(problems);
  return Object.freeze(policy);
}
