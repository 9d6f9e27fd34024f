import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { cents } from './money';
import { createPolicy, DEFAULT_POLICY, InvalidPolicy, RecertPolicy } from './policy';

const problemsOf = (overrides: Record<string, unknown>): string[] => {
  try {
    createPolicy(overrides as Partial<RecertPolicy>);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPolicy);
    return (error as InvalidPolicy).problems;
  }
  throw new Error('expected InvalidPolicy');
};

describe('R1–R11: one validated RecertPolicy', () => {
  it('R2/R6/R10/R11: defaults are DOMAIN.md: $99/$30/$50 not stacked, $25 petition, 10 % audits in 30 days, UTC', () => {
    const policy = createPolicy();
    expect(policy).toEqual({
      cycleYears: 2,
      requiredCourseCeu: 190,
      cprAedCeu: 10,
      lateWindowDays: 90,
      finalWindowYears: 1,
      earlyApplicationMonths: 6,
      standardFee: 9_900,
      lateFee: 3_000,
      additionalFee: 5_000,
      lateFeesStack: false,
      recertifyForLifeWaivesFee: true,
      petitionFee: 2_500,
      auditRatePpm: 100_000,
      auditDocumentationDays: 30,
      auditReminderDaysBefore: [14, 7, 1],
      auditExtensionsAllowed: 1,
      auditExtensionMaxDays: 30,
      waiverStartsOn: CalendarDate.parse('2020-03-13'),
      distancingOrdersLiftedOn: null,
      waiverGraceDays: 60,
      cprAedCurrentOn: 'submission',
      expiryReminderDaysBefore: [90, 60, 30, 7, 0],
      expiryReminderDaysAfter: [30],
      defaultTimeZone: 'UTC',
    });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(DEFAULT_POLICY.requiredCourseCeu).toBe(ceuHundredths(190));
  });

  it('R10/R11: applies overrides, leaving the rest at their defaults', () => {
    const policy = createPolicy({ auditRatePpm: 250_000, lateFeesStack: true, defaultTimeZone: 'America/Phoenix' });
    expect(policy).toMatchObject({ auditRatePpm: 250_000, lateFeesStack: true, defaultTimeZone: 'America/Phoenix' });
    expect(policy.standardFee).toBe(9_900);
  });

  it('R2/R10/R11: names every invalid value', () => {
    const problems = problemsOf({
      standardFee: cents(1),
      lateFee: -5,
      auditRatePpm: 2_000_000,
      defaultTimeZone: 'Mars/Olympus',
      expiryReminderDaysBefore: [-1],
      requiredCourseCeu: 1.5,
    }).join('\n');
    expect(problems).toMatch(/lateFee must be a whole number from 0/);
    expect(problems).toMatch(/auditRatePpm must be a whole number from 0 to 1000000 \(got 2000000\)/);
    expect(problems).toMatch(/defaultTimeZone is not an IANA time zone: Mars\/Olympus/);
    expect(problemsOf({ auditExtensionMaxDays: 0, auditExtensionsAllowed: -1 })).toEqual([
      'auditExtensionsAllowed must be a whole number from 0 to 10 (got -1)',
      'auditExtensionMaxDays must be a whole number from 1 to 365 (got 0)',
    ]);
    expect(problems).toMatch(/expiryReminderDaysBefore must be distinct whole days/);
    expect(problems).toMatch(/requiredCourseCeu must be a whole number/);
    expect(problems).not.toMatch(/standardFee/);
  });

  it('R10: the thrown error itself names the field', () => {
    expect(() => createPolicy({ petitionFee: 25.5 as never })).toThrow(
      /Invalid recertification policy: petitionFee must be a whole number/,
    );
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown field (a typo)', { auditRate: 5 }, /auditRate is not a policy field/],
    ['a switch that is not a boolean', { lateFeesStack: 'yes' }, /lateFeesStack must be true or false/],
    ['a reminder list that is not a list', { auditReminderDaysBefore: 7 }, /auditReminderDaysBefore must be distinct/],
    ['duplicate reminders', { expiryReminderDaysAfter: [30, 30] }, /expiryReminderDaysAfter must be distinct/],
    [
      'a waiver date that is a string',
      { waiverStartsOn: '2020-03-13' },
      /waiverStartsOn must be a CalendarDate or null/,
    ],
    [
      'an unknown CPR reference day',
      { cprAedCurrentOn: 'issue' },
      /cprAedCurrentOn must be 'submission' or 'decision'/,
    ],
    ['a cycle of zero years', { cycleYears: 0 }, /cycleYears must be a whole number from 1/],
    ['a NaN audit rate (from the environment)', { auditRatePpm: Number.NaN }, /auditRatePpm .* \(got NaN\)/],
    ['a time zone that is not a string', { defaultTimeZone: 3 }, /defaultTimeZone is not an IANA time zone: 3/],
  ])('R1–R11: refuses %s', (_, overrides, message) => {
    expect(problemsOf(overrides).join('\n')).toMatch(message);
  });

  it('R4/R9: refuses a late window that does not end before the final window', () => {
    expect(() => createPolicy({ lateWindowDays: 400 })).toThrow(/lateWindowDays must end before the final window/);
    expect(createPolicy({ lateWindowDays: 400, finalWindowYears: 2 }).lateWindowDays).toBe(400);
  });

  it('R7: refuses an incoherent waiver, accepts a lifted one and none at all', () => {
    const d = CalendarDate.parse;
    expect(() => createPolicy({ waiverStartsOn: null, distancingOrdersLiftedOn: d('2023-05-11') })).toThrow(
      /needs waiverStartsOn/,
    );
    expect(() => createPolicy({ distancingOrdersLiftedOn: d('2019-01-01') })).toThrow(
      /must not be before waiverStartsOn/,
    );
    expect(createPolicy({ distancingOrdersLiftedOn: d('2023-05-11') }).distancingOrdersLiftedOn).toEqual(
      d('2023-05-11'),
    );
    expect(createPolicy({ waiverStartsOn: null }).waiverStartsOn).toBeNull();
  });
});
