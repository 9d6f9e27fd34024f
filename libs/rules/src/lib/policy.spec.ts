import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { cents } from './money';
import { createPolicy, DEFAULT_POLICY, InvalidPolicy } from './policy';

describe('RecertPolicy', () => {
  it('defaults to DOMAIN.md: $99 / $30 / $50 not stacked, $25 petition, 10 % audits in 30 days, UTC', () => {
    const policy = createPolicy();
    expect(policy).toMatchObject({
      standardFee: 9_900,
      lateFee: 3_000,
      additionalFee: 5_000,
      lateFeesStack: false,
      petitionFee: 2_500,
      auditRatePpm: 100_000,
      auditDocumentationDays: 30,
      requiredCourseCeu: 190,
      cprAedCeu: 10,
      lateWindowDays: 90,
      finalWindowYears: 1,
      earlyApplicationMonths: 6,
      waiverGraceDays: 60,
      distancingOrdersLiftedOn: null,
      defaultTimeZone: 'UTC',
    });
    expect(policy.expiryReminderDaysBefore).toEqual([90, 60, 30, 7, 0]);
    expect(policy.expiryReminderDaysAfter).toEqual([30]);
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('applies overrides', () => {
    expect(createPolicy({ auditRatePpm: 250_000, lateFeesStack: true })).toMatchObject({
      auditRatePpm: 250_000,
      lateFeesStack: true,
    });
  });

  it('names every invalid value', () => {
    try {
      createPolicy({
        standardFee: cents(1) as never,
        lateFee: -5 as never,
        auditRatePpm: 2_000_000,
        defaultTimeZone: 'Mars/Olympus',
        expiryReminderDaysBefore: [-1],
        requiredCourseCeu: 1.5 as never,
      });
      throw new Error('expected InvalidPolicy');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidPolicy);
      const problems = (error as InvalidPolicy).problems.join('\n');
      expect(problems).toMatch(/lateFee must be a whole number/);
      expect(problems).toMatch(/auditRatePpm must be at most/);
      expect(problems).toMatch(/defaultTimeZone is not an IANA time zone/);
      expect(problems).toMatch(/expiryReminderDaysBefore must be whole days/);
      expect(problems).toMatch(/requiredCourseCeu must be a whole number/);
    }
  });

  it('refuses a late window that does not end before the final window, and an incoherent waiver', () => {
    expect(() => createPolicy({ lateWindowDays: 400 })).toThrow(/lateWindowDays must end before the final window/);
    expect(() =>
      createPolicy({ waiverStartsOn: null, distancingOrdersLiftedOn: CalendarDate.parse('2023-05-11') }),
    ).toThrow(/needs waiverStartsOn/);
    expect(() => createPolicy({ distancingOrdersLiftedOn: CalendarDate.parse('2019-01-01') })).toThrow(
      /must not be before waiverStartsOn/,
    );
  });

  it('DEFAULT_POLICY holds the same values', () => {
    expect(DEFAULT_POLICY.requiredCourseCeu).toBe(ceuHundredths(190));
  });
});
