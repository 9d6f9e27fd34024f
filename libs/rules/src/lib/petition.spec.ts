import { ceuHundredths } from './ceu';
import {
  approvePetition,
  denyPetition,
  Petition,
  PETITION_FEE_REFUNDABLE,
  petitionFee,
  PetitionTransition,
  recordFeePaid,
  startReview,
  submittedPetition,
  withdrawPetition,
} from './petition';
import { createPolicy } from './policy';

const ok = (t: PetitionTransition): Petition => {
  if (!t.ok) throw new Error(t.reason);
  return t.petition;
};
const underReview = () => ok(startReview(ok(recordFeePaid(submittedPetition()))));

describe('R6: petitions for courses that are not pre-approved', () => {
  it('R6: each petition costs a $25 non-refundable fee', () => {
    expect(petitionFee(createPolicy())).toBe(2_500);
    expect(PETITION_FEE_REFUNDABLE).toBe(false);
  });

  it('R6: submitted → fee paid → under review → approved with the CEUs granted', () => {
    const approved = ok(approvePetition(underReview(), ceuHundredths(30), 'equivalent content'));
    expect(approved).toEqual({ state: 'approved', ceuGranted: 30, decisionReason: 'equivalent content' });
  });

  it('R6: no review before the fee is paid', () => {
    expect(startReview(submittedPetition())).toEqual({
      ok: false,
      reason: 'R6: a petition is not reviewed before its fee is paid',
    });
  });

  it('R6: denial keeps the fee and gives a reason', () => {
    expect(ok(denyPetition(underReview(), 'not fitness related'))).toMatchObject({ state: 'denied', ceuGranted: null });
    expect(denyPetition(underReview(), '  ')).toEqual({ ok: false, reason: 'R6: a denial gives its reason' });
  });

  it('R6: only a petition under review is decided, with a positive grant', () => {
    expect(approvePetition(submittedPetition(), ceuHundredths(10), 'x').ok).toBe(false);
    expect(denyPetition(submittedPetition(), 'x').ok).toBe(false);
    expect(approvePetition(underReview(), ceuHundredths(0), 'x')).toEqual({
      ok: false,
      reason: 'R6: an approval grants a positive number of CEUs',
    });
  });

  it('R6: a fee is recorded once; a decided petition cannot be reviewed again', () => {
    const paid = ok(recordFeePaid(submittedPetition()));
    expect(recordFeePaid(paid).ok).toBe(false);
    const denied = ok(denyPetition(underReview(), 'no'));
    expect(startReview(denied).ok).toBe(false);
  });

  it('R6: withdrawal before a decision; never after', () => {
    expect(ok(withdrawPetition(submittedPetition())).state).toBe('withdrawn');
    expect(ok(withdrawPetition(underReview())).state).toBe('withdrawn');
    expect(withdrawPetition(ok(approvePetition(underReview(), ceuHundredths(10), 'ok'))).ok).toBe(false);
  });
});
