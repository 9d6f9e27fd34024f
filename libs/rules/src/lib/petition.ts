import { CeuHundredths } from './ceu';
import { Cents } from './money';
import { RecertPolicy } from './policy';

/** R6: submitted → fee-paid → under-review → approved / denied; withdrawn at any point before a decision. */
export type PetitionState = 'submitted' | 'fee-paid' | 'under-review' | 'approved' | 'denied' | 'withdrawn';

export interface Petition {
  readonly state: PetitionState;
  readonly ceuGranted: CeuHundredths | null;
  readonly decisionReason: string | null;
}

export type PetitionTransition =
  | { readonly ok: true; readonly petition: Petition }
  | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): PetitionTransition => ({ ok: false, reason });
const to = (petition: Petition, state: PetitionState, changes: Partial<Petition> = {}): PetitionTransition => ({
  ok: true,
  petition: { ...petition, ...changes, state },
});

export function submittedPetition(): Petition {
  return { state: 'submitted', ceuGranted: null, decisionReason: null };
}

/** R6: every petitioned course or event costs the petition fee. */
export function petitionFee(policy: RecertPolicy): Cents {
  return policy.petitionFee;
}

/** R6: the petition fee is non-refundable, whatever becomes of the petition. */
export const PETITION_FEE_REFUNDABLE = false;

export function recordFeePaid(petition: Petition): PetitionTransition {
  if (petition.state === 'submitted') return to(petition, 'fee-paid');
  return refuse(`R6: the fee can be recorded only for a submitted petition (it is ${petition.state})`);
}

/** R6: no review before the fee is paid. */
export function startReview(petition: Petition): PetitionTransition {
  if (petition.state === 'fee-paid') return to(petition, 'under-review');
  if (petition.state === 'submitted') return refuse('R6: a petition is not reviewed before its fee is paid');
  return refuse(`R6: a ${petition.state} petition cannot go under review`);
}

export function approvePetition(petition: Petition, ceuGranted: CeuHundredths, reason: string): PetitionTransition {
  if (petition.state !== 'under-review')
    return refuse(`R6: only a petition under review can be approved (it is ${petition.state})`);
  if (!Number.isSafeInteger(ceuGranted) || ceuGranted <= 0)
    return refuse('R6: an approval grants a positive number of CEUs');
  return to(petition, 'approved', { ceuGranted, decisionReason: reason });
}

export function denyPetition(petition: Petition, reason: string): PetitionTransition {
  if (petition.state !== 'under-review')
    return refuse(`R6: only a petition under review can be denied (it is ${petition.state})`);
  if (!reason.trim()) return refuse('R6: a denial gives its reason');
  return to(petition, 'denied', { decisionReason: reason });
}

/** Withdrawing keeps a paid fee (R6: non-refundable). */
export function withdrawPetition(petition: Petition): PetitionTransition {
  if (petition.state === 'submitted' || petition.state === 'fee-paid' || petition.state === 'under-review') {
    return to(petition, 'withdrawn');
  }
  return refuse(`R6: a ${petition.state} petition cannot be withdrawn`);
}
