import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { CeuTally } from './completions';
import { CprAedCheck } from './cpr-aed';
import { createPolicy } from './policy';
import { ceuProgress, ceuRequirement } from './requirement';

const d = CalendarDate.parse;
const policy = createPolicy();
const tally = (ceu: number): CeuTally => ({
  counted: [{ source: 'approved-course', id: 'c', ceu: ceuHundredths(ceu), completedOn: d('2025-01-01') }],
  notCounted: [],
  totalCeu: ceuHundredths(ceu),
});
const validCard: CprAedCheck = {
  valid: true,
  advisory: null,
  card: {
    cardId: 'k',
    issuedOn: d('2025-01-01'),
    expiresOn: d('2027-01-01'),
    includesAdultCpr: true,
    includesAed: true,
    handsOnSkillsAssessment: true,
  },
};
const noCard: CprAedCheck = { valid: false, reasons: ['R7: no CPR/AED card on record'] };

describe('R2: the requirement — 1.9 CEUs from courses plus CPR/AED (0.1)', () => {
  it('R2: the requirement is 1.9 + 0.1 = 2.0 CEUs', () => {
    expect(ceuRequirement(policy)).toEqual({ courseCeu: 190, cprAedCeu: 10, totalCeu: 200 });
  });

  it('R2: 1.9 from courses and a valid card make exactly 2.0: met', () => {
    expect(ceuProgress(tally(190), validCard, policy)).toEqual({
      requirement: { courseCeu: 190, cprAedCeu: 10, totalCeu: 200 },
      courseCeu: 190,
      missingCourseCeu: 0,
      cprAedCeu: 10,
      totalCeu: 200,
      courseRequirementMet: true,
      cprAedRequirementMet: true,
      met: true,
    });
  });

  it('R2: CEUs above 1.9 from courses do not replace the CPR/AED card', () => {
    const progress = ceuProgress(tally(250), noCard, policy);
    expect(progress).toMatchObject({ totalCeu: 250, cprAedCeu: 0, courseRequirementMet: true, met: false });
    expect(progress.totalCeu).toBeGreaterThanOrEqual(progress.requirement.totalCeu);
  });

  it('R2: a valid card does not make up for missing course CEUs; the shortfall is exact', () => {
    expect(ceuProgress(tally(185), validCard, policy)).toMatchObject({
      missingCourseCeu: 5,
      totalCeu: 195,
      courseRequirementMet: false,
      met: false,
    });
  });
});
