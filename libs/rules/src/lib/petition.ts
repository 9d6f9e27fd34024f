import { CeuHundredths, ceuFromContactHours, formatCeu } from './ceu';
import { Cents } from './money';
import { RecertPolicy } from './policy';

/**
 * R6: submitted → fee-paid → under-review → approved (with the CEUs granted) / denied; withdrawn
 * at any point before a decision. Approved, denied and withdrawn are final.
 */
export type PetitionState = 'submitted' | 'fee-paid' | 'under-review' | 'approved' | 'denied' | 'withdrawn';

export interface Petition {
  readonly state: PetitionState;
  readonly ceuGranted: CeuHundredths | null;
  readonly decisionReason: string | null;
}

/** Why a transition was refused, for code to branch on; `reason` says it in words. */
export type PetitionRejectionCode =
  | 'fee-not-paid'
  | 'fee-already-recorded'
  | 'not-under-review'
  | 'already-final'
  | 'grant-not-positive'
  | 'grant-above-contact-hours'
  | 'reason-missing';

export interface PetitionRejection {
  readonly ok: false;
  readonly code: PetitionRejectionCode;
  readonly reason: string;
}

/** Either the petition in its new state, or a typed rejection (the petition is then unchanged). */
export type PetitionTransition = { readonly ok: true; readonly petition: Petition } | PetitionRejection;

const refuse = (code: PetitionRejectionCode, reason: string): PetitionRejection => ({ ok: false, code, reason });
const to = (petition: Petition, state: PetitionState, changes: Partial<Petition> = {}): PetitionTransition => ({
  ok: true,
  petition: { ...petition, ...changes, state },
});
const FINAL: readonly PetitionState[] = ['approved', 'denied', 'withdrawn'];

export function submittedPetition(): Petition {
  return { state: 'submitted', ceuGranted: null, decisionReason: null };
}

/** R6: every petitioned course or event costs the petition fee ($25 by default). */
export function petitionFee(policy: RecertPolicy): Cents {
  return policy.petitionFee;
}

/** R6: the petition fee is non-refundable, whatever becomes of the petition (denied, withdrawn). */
export const PETITION_FEE_REFUNDABLE = false;

/** R6: the fee is recorded once, on a submitted petition. */
export function recordFeePaid(petition: Petition): PetitionTransition {
  if (petition.state === 'submitted') return to(petition, 'fee-paid');
  if (FINAL.includes(petition.state))
    return refuse('already-final', `R6: a ${petition.state} petition takes no fee (its fee is never refunded either)`);
  return refuse('fee-already-recorded', `R6: the fee of this petition is already paid (it is ${petition.state})`);
}

/** R6: no review before the fee is paid. */
export function startReview(petition: Petition): PetitionTransition {
  if (petition.state === 'fee-paid') return to(petition, 'under-review');
  if (petition.state === 'submitted')
    return refuse('fee-not-paid', 'R6: a petition is not reviewed before its fee is paid');
  if (petition.state === 'under-review')
    return refuse('fee-already-recorded', 'R6: the petition is already under review');
  return refuse('already-final', `R6: a ${petition.state} petition cannot go under review`);
}

/**
 * R3: the most a petition can be granted: its contact hours × 0.1 CEU ("1" → 0.10, "1.5" → 0.15).
 * The hours are the trainer's claim as submitted (at most one decimal).
 */
export function maxPetitionGrant(contactHours: string): CeuHundredths {
  return ceuFromContactHours(contactHours);
}

/** Why a grant is refused as input (HTTP 400), as opposed to a petition in the wrong state (409). */
export const INVALID_GRANT_CODES: readonly PetitionRejectionCode[] = [
  'grant-not-positive',
  'grant-above-contact-hours',
];

/**
 * R6: staff approve a petition under review, granting a positive number of CEUs; R3: at most the
 * contact hours × 0.1 (staff may grant less).
 */
export function approvePetition(
  petition: Petition,
  grant: { readonly ceuGranted: CeuHundredths; readonly contactHours: string; readonly reason: string },
): PetitionTransition {
  const { ceuGranted, contactHours, reason } = grant;
  if (petition.state !== 'under-review')
    return refuse('not-under-review', `R6: only a petition under review can be approved (it is ${petition.state})`);
  if (!Number.isSafeInteger(ceuGranted) || ceuGranted <= 0)
    return refuse('grant-not-positive', 'R6: an approval grants a positive number of CEUs');
  const max = maxPetitionGrant(contactHours);
  if (ceuGranted > max)
    return refuse(
      'grant-above-contact-hours',
      `R3: at most ${formatCeu(max)} CEU can be granted for ${contactHours} contact hours (1 contact hour = 0.1 CEU); ${formatCeu(ceuGranted)} was asked`,
    );
  if (!reason.trim()) return refuse('reason-missing', 'R6: an approval gives its reason');
  return to(petition, 'approved', { ceuGranted, decisionReason: reason });
}

/** R6: staff deny a petition under review, saying why; the fee is kept. */
export function denyPetition(petition: Petition, reason: string): PetitionTransition {
  if (petition.state !== 'under-review')
    return refuse('not-under-review', `R6: only a petition under review can be denied (it is ${petition.state})`);
  if (!reason.trim()) return refuse('reason-missing', 'R6: a denial gives its reason');
  return to(petition, 'denied', { decisionReason: reason });
}

/** R6: the trainer may withdraw before a decision; a paid fee is kept (non-refundable). */
export function withdrawPetition(petition: Petition): PetitionTransition {
  if (FINAL.includes(petition.state))
    return refuse('already-final', `R6: a ${petition.state} petition cannot be withdrawn`);
  return to(petition, 'withdrawn');
}
