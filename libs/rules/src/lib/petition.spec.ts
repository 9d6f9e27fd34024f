import { ceuHundredths } from './ceu';
import {
  approvePetition,
  denyPetition,
  INVALID_GRANT_CODES,
  maxPetitionGrant,
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
const grant = (ceu: number, contactHours = '3', reason = 'equivalent content') => ({
  ceuGranted: ceuHundredths(ceu),
  contactHours,
  reason,
});
const approved = () => ok(approvePetition(underReview(), grant(30)));
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
    expect(approvePetition(submittedPetition(), grant(10))).toMatchObject({
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
    expect(approvePetition(underReview(), grant(0))).toEqual({
      ok: false,
      code: 'grant-not-positive',
      reason: 'R6: an approval grants a positive number of CEUs',
    });
    expect(approvePetition(underReview(), { ...grant(1), ceuGranted: 1.5 as never })).toMatchObject({
      ok: false,
      code: 'grant-not-positive',
    });
    expect(approvePetition(underReview(), grant(10, '1', '  '))).toEqual({
      ok: false,
      code: 'reason-missing',
      reason: 'R6: an approval gives its reason',
    });
  });

  it('R3: the most a petition can be granted is its contact hours × 0.1 CEU (1 h → 0.10, 1.5 h → 0.15)', () => {
    expect(maxPetitionGrant('1')).toBe(10);
    expect(maxPetitionGrant('1.5')).toBe(15);
    expect(maxPetitionGrant('0.5')).toBe(5);
    expect(maxPetitionGrant('20')).toBe(200);
    expect(maxPetitionGrant('0')).toBe(0);
  });

  it('R3: for a 1-hour course at most 0.10 CEU is granted: 0.10 and less are accepted, 0.11 and 2.0 refused', () => {
    expect(ok(approvePetition(underReview(), grant(10, '1')))).toEqual({
      state: 'approved',
      ceuGranted: 10,
      decisionReason: 'equivalent content',
    });
    expect(ok(approvePetition(underReview(), grant(5, '1'))).ceuGranted).toBe(5);
    expect(approvePetition(underReview(), grant(11, '1'))).toMatchObject({
      ok: false,
      code: 'grant-above-contact-hours',
    });
    expect(approvePetition(underReview(), grant(200, '1'))).toEqual({
      ok: false,
      code: 'grant-above-contact-hours',
      reason: 'R3: at most 0.1 CEU can be granted for 1 contact hours (1 contact hour = 0.1 CEU); 2.0 was asked',
    });
  });

  it('R3: for a 1.5-hour course at most 0.15 CEU is granted: 0.15 accepted, 0.16 refused, 0 refused', () => {
    expect(ok(approvePetition(underReview(), grant(15, '1.5'))).ceuGranted).toBe(15);
    expect(approvePetition(underReview(), grant(16, '1.5'))).toEqual({
      ok: false,
      code: 'grant-above-contact-hours',
      reason: 'R3: at most 0.15 CEU can be granted for 1.5 contact hours (1 contact hour = 0.1 CEU); 0.16 was asked',
    });
    expect(approvePetition(underReview(), grant(0, '1.5'))).toMatchObject({ ok: false, code: 'grant-not-positive' });
  });

  it('R3: a petition of 0 contact hours can be granted nothing', () => {
    expect(approvePetition(underReview(), grant(1, '0'))).toMatchObject({
      ok: false,
      code: 'grant-above-contact-hours',
    });
  });

  it('R3/R6: a refused grant is bad input, a petition in the wrong state is a conflict', () => {
    expect(INVALID_GRANT_CODES).toEqual(['grant-not-positive', 'grant-above-contact-hours']);
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
      approvePetition(petition, grant(10)),
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
