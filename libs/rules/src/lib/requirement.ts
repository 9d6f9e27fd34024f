import { CeuHundredths, ceuHundredths, ceuShortfall, sumCeu } from './ceu';
import { CeuTally } from './completions';
import { CprAedCheck } from './cpr-aed';
import { RecertPolicy } from './policy';

/** R2: what recertifying takes — 1.9 CEUs from courses plus a current CPR/AED card worth 0.1: 2.0 in all. */
export interface CeuRequirement {
  readonly courseCeu: CeuHundredths;
  readonly cprAedCeu: CeuHundredths;
  readonly totalCeu: CeuHundredths;
}

export function ceuRequirement(policy: RecertPolicy): CeuRequirement {
  return {
    courseCeu: policy.requiredCourseCeu,
    cprAedCeu: policy.cprAedCeu,
    totalCeu: sumCeu([policy.requiredCourseCeu, policy.cprAedCeu]),
  };
}

/** A trainer's progress toward the R2 requirement. */
export interface CeuProgress {
  readonly requirement: CeuRequirement;
  /** CEUs counted from courses and approved petitions (R3–R6). */
  readonly courseCeu: CeuHundredths;
  readonly missingCourseCeu: CeuHundredths;
  /** 0.1 when a valid card is on record (R7), else 0. A more advanced card still counts 0.1. */
  readonly cprAedCeu: CeuHundredths;
  readonly totalCeu: CeuHundredths;
  readonly courseRequirementMet: boolean;
  readonly cprAedRequirementMet: boolean;
  /** R2: both parts met. Course CEUs above 1.9 never stand in for the CPR/AED card. */
  readonly met: boolean;
}

export function ceuProgress(tally: CeuTally, cprAed: CprAedCheck, policy: RecertPolicy): CeuProgress {
  const requirement = ceuRequirement(policy);
  const cprAedCeu = cprAed.valid ? requirement.cprAedCeu : ceuHundredths(0);
  const courseRequirementMet = tally.totalCeu >= requirement.courseCeu;
  return {
    requirement,
    courseCeu: tally.totalCeu,
    missingCourseCeu: ceuShortfall(requirement.courseCeu, tally.totalCeu),
    cprAedCeu,
    totalCeu: sumCeu([tally.totalCeu, cprAedCeu]),
    courseRequirementMet,
    cprAedRequirementMet: cprAed.valid,
    met: courseRequirementMet && cprAed.valid,
  };
}
