import fc from 'fast-check';
import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { CeuTally } from './completions';
import { CprAedCheck } from './cpr-aed';
import { cycle } from './cycle';
import { decide, DecisionInputs, receiptVerdicts } from './decision';
import { recertificationFee } from './fees';
import { cents } from './money';
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

describe('R12: the decision, rule by rule', () => {
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
    expect(decision.verdicts[0]).toEqual({
      rule: 'R2',
      verdict: 'passed',
      reason: 'R2: 1.9 CEUs from courses (1.9 required)',
      inputs: {
        courseCeu: '1.9',
        requiredCourseCeu: '1.9',
        countedCourses: 1,
        notCounted: 0,
        notCountedDetail: null,
        totalWithCprAed: '2.0',
      },
    });
    expect(decision.verdicts[3]).toEqual({
      rule: 'R10',
      verdict: 'passed',
      reason: 'R10: the standard fee of $99.00 is paid',
      inputs: {
        tier: 'standard',
        receivedOn: '2026-06-01',
        total: '$99.00',
        paid: true,
        lastDayToPay: null,
        recertifyForLife: null,
      },
    });
    expect(decision.advisory).toBeNull();
  });

  it('R12/R4: a denial for CEUs lists what did not count and why', () => {
    const withLeftOut: CeuTally = {
      ...tally(180),
      notCounted: [
        { id: 'late', reason: 'after-late-window', explanation: 'R4: ...' },
        { id: 'x', reason: 'not-approved-on-completion-date', explanation: 'R5: ...' },
      ],
    };
    const verdict = decide(inputs({ tally: withLeftOut }), policy).verdicts[0];
    expect(verdict).toMatchObject({
      verdict: 'failed',
      inputs: { notCounted: 2, notCountedDetail: 'late: after-late-window; x: not-approved-on-completion-date' },
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
    expect(decision.verdicts.find((v) => v.rule === 'R7')).toEqual({
      rule: 'R7',
      verdict: 'failed',
      reason: 'R7: card card-1 expired 2026-05-31, before the application (2026-06-01)',
      inputs: { receivedOn: '2027-07-01' },
    });
    expect(decision.verdicts.find((v) => v.rule === 'R11')?.reason).toBe(
      'R11: the audit failed: documentation missing at the deadline',
    );
    expect(decision.advisory).toBeNull();
  });

  it('R12: pending while the fee or the audit is awaited', () => {
    expect(decide(inputs({ feePaid: false }), policy)).toMatchObject({ outcome: 'pending', failedRules: [] });
    expect(decide(inputs({ feePaid: false }), policy).verdicts[3].reason).toBe(
      'R10: the standard fee of $99.00 is awaited',
    );
    expect(decide(inputs({ audit: 'awaiting-documents' }), policy).outcome).toBe('pending');
    expect(decide(inputs({ audit: 'passed' }), policy).outcome).toBe('approved');
  });

  it('R11/R12: an audit under review keeps the application pending: only a reviewer passes it', () => {
    const decision = decide(inputs({ audit: 'under-review' }), policy);
    expect(decision.outcome).toBe('pending');
    expect(decision.verdicts[4]).toEqual({
      rule: 'R11',
      verdict: 'pending',
      reason: 'R11: every supporting document is in; the audit awaits a reviewer',
      inputs: { audit: 'under-review' },
    });
  });

  it('R11/R12 (issue 12, item 10): a failed audit denies naming each missing and each rejected document, who decided and why', () => {
    const decision = decide(
      inputs({
        audit: {
          state: 'failed',
          decidedBy: 'deadline',
          reason: 'documents missing or rejected at the end of 2026-07-01',
          missing: [{ kind: 'course-certificate', proves: 'c1' }, { kind: 'cpr-aed-card-back' }],
          rejected: [
            { documentId: 'DOC-1', kind: 'cpr-aed-card-front', reason: 'illegible' },
            { documentId: 'DOC-2', kind: 'course-certificate', proves: 'c2', reason: 'another course' },
          ],
        },
      }),
      policy,
    );
    expect(decision).toMatchObject({ outcome: 'denied', failedRules: ['R11'] });
    expect(decision.verdicts[4]).toEqual({
      rule: 'R11',
      verdict: 'failed',
      reason:
        'R11: the audit failed (decided by deadline: documents missing or rejected at the end of 2026-07-01); ' +
        'missing: course-certificate for c1, cpr-aed-card-back; ' +
        'rejected: DOC-1 (cpr-aed-card-front): illegible; DOC-2 (course-certificate for c2): another course',
      inputs: {
        audit: 'failed',
        decidedBy: 'deadline',
        auditReason: 'documents missing or rejected at the end of 2026-07-01',
        missingDocuments: 'course-certificate for c1; cpr-aed-card-back',
        rejectedDocuments: 'DOC-1 (cpr-aed-card-front): illegible; DOC-2 (course-certificate for c2): another course',
      },
    });
  });

  it('R11/R12: a reviewer who fails an audit with every document in is named, with the reason alone', () => {
    const decision = decide(
      inputs({
        audit: { state: 'failed', decidedBy: 'alice', reason: 'forged certificate', missing: [], rejected: [] },
      }),
      policy,
    );
    expect(decision.verdicts[4]).toEqual({
      rule: 'R11',
      verdict: 'failed',
      reason: 'R11: the audit failed (decided by alice: forged certificate)',
      inputs: {
        audit: 'failed',
        decidedBy: 'alice',
        auditReason: 'forged certificate',
        missingDocuments: null,
        rejectedDocuments: null,
      },
    });
  });

  it('R12: a failed rule denies even while another is pending', () => {
    expect(decide(inputs({ feePaid: false, tally: tally(100) }), policy)).toMatchObject({
      outcome: 'denied',
      failedRules: ['R2'],
    });
  });

  it('R10/R12: a Recertify for Life member owes nothing and passes unpaid; the verdict names the membership', () => {
    const fee = recertificationFee(current, d('2026-06-01'), policy, {
      recertifyForLife: { membershipId: 'R4L-1', purchasedAt: '2025-01-15T10:00:00Z' },
    });
    const decision = decide(inputs({ fee, feePaid: false }), policy);
    expect(decision.outcome).toBe('approved');
    expect(decision.verdicts[3]).toEqual({
      rule: 'R10',
      verdict: 'passed',
      reason:
        'R10: no recertification fee is owed: Recertify for Life member (membership R4L-1, bought 2025-01-15T10:00:00Z before receipt)',
      inputs: {
        tier: 'standard',
        receivedOn: '2026-06-01',
        total: '$0.00',
        paid: false,
        lastDayToPay: null,
        recertifyForLife: 'R4L-1',
      },
    });
  });

  it('R10: a fee of nothing by policy passes unpaid, naming no membership', () => {
    const free = createPolicy({ standardFee: cents(0) });
    const decision = decide(inputs({ fee: recertificationFee(current, d('2026-06-01'), free), feePaid: false }), free);
    expect(decision.verdicts[3]).toMatchObject({
      reason: 'R10: no recertification fee is owed',
      inputs: { recertifyForLife: null },
    });
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

  it('R7: the advisory comes only with an approval, not while pending or when denied', () => {
    const cprAed: CprAedCheck = {
      valid: true,
      card: { ...card, handsOnSkillsAssessment: false },
      advisory: 'obtain-hands-on-assessment',
    };
    expect(decide(inputs({ cprAed, feePaid: false }), policy)).toMatchObject({ outcome: 'pending', advisory: null });
    expect(decide(inputs({ cprAed, tally: tally(10) }), policy)).toMatchObject({ outcome: 'denied', advisory: null });
  });

  it('R12 property: approved iff every rule passed; denied iff one failed, each failed rule named', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 150, max: 230 }),
        fc.boolean(),
        fc.integer({ min: -200, max: 420 }),
        fc.boolean(),
        fc.constantFrom('not-selected', 'awaiting-documents', 'under-review', 'passed', 'failed' as const),
        (ceu, cprValid, offset, feePaid, audit) => {
          const receivedOn = current.expiresOn.addDays(offset);
          const cprAed: CprAedCheck = cprValid
            ? { valid: true, card, advisory: null }
            : { valid: false, reasons: ['R7: x'] };
          const fee = recertificationFee(current, receivedOn, policy);
          const decision = decide(
            { cycle: current, receivedOn, tally: tally(ceu), cprAed, fee, feePaid, audit },
            policy,
          );
          const inWindow = offset >= -182 && offset <= 365;
          const failed = [
            ...(ceu < 190 ? ['R2'] : []),
            ...(cprValid ? [] : ['R7']),
            ...(inWindow ? [] : ['R9']),
            ...(audit === 'failed' ? ['R11'] : []),
          ];
          const waiting = !feePaid || audit === 'awaiting-documents' || audit === 'under-review';
          const expected = failed.length > 0 ? 'denied' : waiting ? 'pending' : 'approved';
          return (
            decision.outcome === expected &&
            decision.failedRules.join() === failed.join() &&
            decision.verdicts.length === 5
          );
        },
      ),
    );
  });
});

describe('R12 at receipt: the same verdicts a decision gives, before anything is owed', () => {
  it('R12: R2, R7 and R9 judged with their inputs; nothing failed', () => {
    const { verdicts, failedRules } = receiptVerdicts(inputs(), policy);
    expect(verdicts.map((v) => `${v.rule}:${v.verdict}`)).toEqual(['R2:passed', 'R7:passed', 'R9:passed']);
    expect(failedRules).toEqual([]);
  });

  it('R12/R2: a refusal for CEUs says what did not count and why, in its reason and its inputs', () => {
    const short: CeuTally = {
      counted: [{ source: 'approved-course', id: 'c', ceu: ceuHundredths(100), completedOn: d('2025-01-01') }],
      notCounted: [{ id: 'late', reason: 'after-late-window', explanation: 'R4: completed 2026-09-29, 91 days after expiration (90 allowed)' }],
      totalCeu: ceuHundredths(100),
    };
    const { verdicts, failedRules } = receiptVerdicts(
      inputs({ tally: short, cprAed: { valid: false, reasons: ['R7: no CPR/AED card on record'] } }),
      policy,
    );
    expect(failedRules).toEqual(['R2', 'R7']);
    expect(verdicts[0]).toMatchObject({
      rule: 'R2',
      verdict: 'failed',
      reason:
        'R2: 1.0 CEUs from courses counted in the window; 1.9 required (R3–R6); not counted: late (R4: completed 2026-09-29, 91 days after expiration (90 allowed))',
      inputs: { courseCeu: '1.0', notCountedDetail: 'late: after-late-window' },
    });
    expect(verdicts[1]).toMatchObject({ rule: 'R7', verdict: 'failed', reason: 'R7: no CPR/AED card on record' });
  });
});

describe('R10: no application stays open forever (policy: unpaid at the end of the final window)', () => {
  const unpaid = { feePaid: false, fee: recertificationFee(current, d('2026-06-01'), policy) };

  it('R10: an unpaid fee is awaited while its last day has not passed', () => {
    const decision = decide(inputs({ ...unpaid, feeDueBy: { lastDay: d('2027-06-30'), passed: false } }), policy);
    expect(decision.outcome).toBe('pending');
  });

  it('R10: an unpaid fee fails once the final window ended; the denial names R10 and the day', () => {
    const decision = decide(inputs({ ...unpaid, feeDueBy: { lastDay: d('2027-06-30'), passed: true } }), policy);
    expect(decision.outcome).toBe('denied');
    expect(decision.failedRules).toEqual(['R10']);
    expect(decision.verdicts[3]).toMatchObject({
      rule: 'R10',
      verdict: 'failed',
      reason: 'R10: the standard fee of $99.00 was still unpaid after 2027-06-30, the end of the final window',
      inputs: { lastDayToPay: '2027-06-30', paid: false },
    });
  });

  it('R10: a paid fee passes whatever the day', () => {
    expect(decide(inputs({ feeDueBy: { lastDay: d('2027-06-30'), passed: true } }), policy).outcome).toBe('approved');
  });
});
