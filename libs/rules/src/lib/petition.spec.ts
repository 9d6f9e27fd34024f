import { ceuHundredths } from './ceu';
import {
  approvePetition,
  denyPetition,
  Petition,
  PETITION_FEE_REFUNDABLE,
  petitionFee,
  PetitionState,
  PetitionTransition,
  recordFeePaid,
  startReview,
  submittedPetition,
  withdrawPetition,
} from './petition';
import { cents } from './money';
import { createPolicy } from './policy';

const ok = (t: PetitionTransition): Petition => {
  if (!t.ok) throw new Error(t.reason);
  return t.petition;
};
const feePaid = () => ok(recordFeePaid(submittedPetition()));
const underReview = () => ok(startReview(feePaid()));
const approved = () => ok(approvePetition(underReview(), ceuHundredths(30), 'equivalent content'));
const denied = () => ok(denyPetition(underReview(), 'not fitness related'));
const withdrawn = () => ok(withdrawPetition(submittedPetition()));
const inState: Record<PetitionState, () => Petition> = {
  submitted: submittedPetition,
  'fee-paid': feePaid,
  'under-review': underReview,
  approved,
  denied,
  withdrawn,
};

describe('R6: petitions for courses that are not pre-approved', () => {
  it('R6: each petition costs a $25 non-refundable fee (policy)', () => {
    expect(petitionFee(createPolicy())).toBe(2_500);
    expect(petitionFee(createPolicy({ petitionFee: cents(3_000) }))).toBe(3_000);
    expect(PETITION_FEE_REFUNDABLE).toBe(false);
  });

  it('R6: submitted → fee paid → under review → approved with the CEUs granted', () => {
    expect(submittedPetition()).toEqual({ state: 'submitted', ceuGranted: null, decisionReason: null });
    expect(feePaid().state).toBe('fee-paid');
    expect(underReview().state).toBe('under-review');
    expect(approved()).toEqual({ state: 'approved', ceuGranted: 30, decisionReason: 'equivalent content' });
  });

  it('R6: no review before the fee is paid', () => {
    expect(startReview(submittedPetition())).toEqual({
      ok: false,
      code: 'fee-not-paid',
      reason: 'R6: a petition is not reviewed before its fee is paid',
    });
    expect(approvePetition(submittedPetition(), ceuHundredths(10), 'x')).toMatchObject({
      ok: false,
      code: 'not-under-review',
    });
    expect(denyPetition(feePaid(), 'x')).toMatchObject({ ok: false, code: 'not-under-review' });
  });

  it('R6: a denial keeps the fee and gives a reason', () => {
    expect(denied()).toEqual({ state: 'denied', ceuGranted: null, decisionReason: 'not fitness related' });
    expect(denyPetition(underReview(), '  ')).toEqual({
      ok: false,
      code: 'reason-missing',
      reason: 'R6: a denial gives its reason',
    });
  });

  it('R6: an approval grants a positive whole number of CEUs', () => {
    expect(approvePetition(underReview(), ceuHundredths(0), 'x')).toEqual({
      ok: false,
      code: 'grant-not-positive',
      reason: 'R6: an approval grants a positive number of CEUs',
    });
    expect(approvePetition(underReview(), 1.5 as never, 'x')).toMatchObject({ ok: false, code: 'grant-not-positive' });
  });

  it('R6: the fee is recorded once; a paid petition goes under review once', () => {
    expect(recordFeePaid(feePaid())).toMatchObject({ ok: false, code: 'fee-already-recorded' });
    expect(recordFeePaid(underReview())).toMatchObject({ ok: false, code: 'fee-already-recorded' });
    expect(startReview(underReview())).toMatchObject({ ok: false, code: 'fee-already-recorded' });
  });

  it.each(['approved', 'denied', 'withdrawn'] as const)('R6: a %s petition is final', (state) => {
    const petition = inState[state]();
    for (const next of [
      recordFeePaid(petition),
      startReview(petition),
      withdrawPetition(petition),
      approvePetition(petition, ceuHundredths(10), 'x'),
      denyPetition(petition, 'x'),
    ]) {
      expect(next.ok).toBe(false);
    }
    expect(recordFeePaid(petition)).toMatchObject({ code: 'already-final' });
    expect(withdrawPetition(petition)).toMatchObject({ code: 'already-final' });
  });

  it.each(['submitted', 'fee-paid', 'under-review'] as const)(
    'R6: a %s petition can be withdrawn (a paid fee is kept)',
    (state) => {
      expect(ok(withdrawPetition(inState[state]()))).toMatchObject({ state: 'withdrawn', ceuGranted: null });
    },
  );

  it('R6: a rejected transition leaves the petition as it was', () => {
    const petition = submittedPetition();
    startReview(petition);
    expect(petition).toEqual(submittedPetition());
  });
});
