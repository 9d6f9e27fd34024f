import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { CeuTally } from './completions';
import { CprAedCheck } from './cpr-aed';
import { cycle } from './cycle';
import { decide, DecisionInputs } from './decision';
import { recertificationFee } from './fees';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));
const card = {
  cardId: 'card-1',
  issuedOn: d('2025-01-01'),
  expiresOn: d('2027-01-01'),
  includesAdultCpr: true,
  includesAed: true,
  handsOnSkillsAssessment: true,
};
const tally = (ceu: number): CeuTally => ({
  counted: [{ source: 'approved-course', id: 'c', ceu: ceuHundredths(ceu), completedOn: d('2025-01-01') }],
  notCounted: [],
  totalCeu: ceuHundredths(ceu),
});
const inputs = (overrides: Partial<DecisionInputs> = {}): DecisionInputs => ({
  cycle: current,
  receivedOn: d('2026-06-01'),
  tally: tally(190),
  cprAed: { valid: true, card, advisory: null },
  fee: recertificationFee(current, d('2026-06-01'), policy),
  feePaid: true,
  audit: 'not-selected',
  ...overrides,
});

describe('R12: the decision', () => {
  it('R12: approved when every rule passed, each explained', () => {
    const decision = decide(inputs(), policy);
    expect(decision.outcome).toBe('approved');
    expect(decision.failedRules).toEqual([]);
    expect(decision.verdicts.map((v) => [v.rule, v.verdict])).toEqual([
      ['R2', 'passed'],
      ['R7', 'passed'],
      ['R9', 'passed'],
      ['R10', 'passed'],
      ['R11', 'passed'],
    ]);
    expect(decision.verdicts[0]).toMatchObject({
      reason: 'R2: 1.9 CEUs from courses (1.9 required)',
      inputs: { totalWithCprAed: '2.0' },
    });
  });

  it('R12: denied with every failed rule named', () => {
    const cprAed: CprAedCheck = {
      valid: false,
      reasons: ['R7: card card-1 expired 2026-05-31, before the application (2026-06-01)'],
    };
    const late = d('2027-07-01');
    const decision = decide(inputs({ tally: tally(180), cprAed, receivedOn: late, audit: 'failed' }), policy);
    expect(decision.outcome).toBe('denied');
    expect(decision.failedRules).toEqual(['R2', 'R7', 'R9', 'R11']);
    expect(decision.verdicts.find((v) => v.rule === 'R2')?.reason).toBe(
      'R2: 1.8 CEUs from courses counted in the window; 1.9 required (R3–R6)',
    );
    expect(decision.verdicts.find((v) => v.rule === 'R9')?.reason).toMatch(/must certify again/);
    expect(decision.advisory).toBeNull();
  });

  it('R12: pending while the fee or the audit is awaited', () => {
    expect(decide(inputs({ feePaid: false }), policy)).toMatchObject({ outcome: 'pending', failedRules: [] });
    expect(decide(inputs({ audit: 'awaiting-documents' }), policy).outcome).toBe('pending');
    expect(decide(inputs({ audit: 'passed' }), policy).outcome).toBe('approved');
  });

  it('R12: a failed rule denies even while another is pending', () => {
    expect(decide(inputs({ feePaid: false, tally: tally(100) }), policy)).toMatchObject({
      outcome: 'denied',
      failedRules: ['R2'],
    });
  });

  it('R10: no fee owed (Recertify for Life) passes unpaid', () => {
    const fee = recertificationFee(current, d('2026-06-01'), policy, { recertifyForLife: true });
    expect(decide(inputs({ fee, feePaid: false }), policy).outcome).toBe('approved');
  });

  it('R7: approved with an online-only card during the waiver carries the advisory', () => {
    const cprAed: CprAedCheck = {
      valid: true,
      card: { ...card, handsOnSkillsAssessment: false },
      advisory: 'obtain-hands-on-assessment',
    };
    const decision = decide(inputs({ cprAed }), policy);
    expect(decision).toMatchObject({ outcome: 'approved', advisory: 'obtain-hands-on-assessment' });
    expect(decision.verdicts[1].reason).toMatch(/online-only, accepted during the waiver/);
  });
});
