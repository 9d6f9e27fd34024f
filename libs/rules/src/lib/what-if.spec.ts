import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { CprAedCard } from './cpr-aed';
import { cycle } from './cycle';
import { cents } from './money';
import { submittedPetition } from './petition';
import { createPolicy } from './policy';
import { InMemoryProviderRegistry } from './provider-registry.port';
import { TrainerRecords, whatIf } from './what-if';

const d = CalendarDate.parse;
const policy = createPolicy({ waiverStartsOn: d('2020-03-13'), distancingOrdersLiftedOn: d('2026-05-01') });
const current = cycle(d('2024-07-01'), d('2026-06-30'));
const registry = new InMemoryProviderRegistry([
  {
    providerId: 'NASM',
    courseId: 'CES',
    ceu: ceuHundredths(150),
    approvedFrom: d('2024-01-01'),
    approvedUntil: d('2027-12-31'),
    nasmOwn: true,
  },
]);
const card: CprAedCard = {
  cardId: 'k',
  issuedOn: d('2025-01-01'),
  expiresOn: d('2027-01-01'),
  includesAdultCpr: true,
  includesAed: true,
  handsOnSkillsAssessment: true,
};
const records: TrainerRecords = {
  cycle: current,
  completions: [{ completionId: 'c1', providerId: 'NASM', courseId: 'CES', completedOn: d('2025-05-01') }],
  cprAedCards: [],
};
const complete: TrainerRecords = {
  ...records,
  petitionCredits: [{ petitionId: 'p', ceu: ceuHundredths(40), completedOn: d('2026-01-01') }],
  cprAedCards: [card],
};

describe('R2–R11: what-if for a trainer on a date', () => {
  it('R2/R7/R10: says what is missing, the deadlines ahead and the fee if received that day', () => {
    const result = whatIf(records, d('2026-07-15'), registry, policy);
    expect(result.status).toBe('expired');
    expect(result.progress).toMatchObject({ courseCeu: 150, missingCourseCeu: 40, met: false });
    expect(result.missing).toEqual([
      { rule: 'R2', code: 'course-ceu', reason: 'R2: 0.4 more CEUs from courses' },
      { rule: 'R7', code: 'cpr-aed', reason: 'R7: no CPR/AED card on record' },
    ]);
    expect(result.feeIfReceivedOn).toMatchObject({ tier: 'late', total: 12_900 });
    expect(result.feeDueIfReceivedOn).toBe(12_900);
    expect(result.upcomingDeadlines.map((x) => `${x.kind}@${x.dueOn}`)).toEqual([
      'expiry-reminder@2026-07-30',
      'late-window-end@2026-09-29',
      'final-window-end@2027-07-01',
    ]);
    expect(result.deadlines.map((x) => x.kind)).toContain('waiver-end');
    expect(result.audit).toBeNull();
  });

  it('R7: while the distancing orders are not lifted there is no waiver-end deadline', () => {
    const result = whatIf(complete, d('2026-06-01'), registry, createPolicy());
    expect(result.deadlines.map((x) => x.kind)).not.toContain('waiver-end');
    expect(result.cprAed).toMatchObject({ valid: true, advisory: null });
  });

  it('R9: after the final window there is no fee, only the refusal', () => {
    const result = whatIf(records, d('2027-07-01'), registry, policy);
    expect(result.status).toBe('lapsed');
    expect(result.feeIfReceivedOn).toBeNull();
    expect(result.feeDueIfReceivedOn).toBeNull();
    expect(result.missing[result.missing.length - 1]).toMatchObject({
      rule: 'R9',
      code: 'application-window',
      reason: expect.stringMatching(/^R9: the credential lapsed .* must certify again/),
    });
    expect(result.upcomingDeadlines.map((x) => x.kind)).toEqual(['final-window-end']);
  });

  it('R9: too early to apply: no fee yet, and the opening day is named', () => {
    const result = whatIf(complete, d('2025-12-01'), registry, policy);
    expect(result.feeIfReceivedOn).toBeNull();
    expect(result.missing).toEqual([
      {
        rule: 'R9',
        code: 'application-window',
        reason: 'R9: applications for the cycle expiring 2026-06-30 open on 2025-12-30',
      },
    ]);
  });

  it('R2/R10: nothing missing once requirements are met; Recertify for Life owes nothing', () => {
    const result = whatIf(
      { ...complete, recertifyForLife: { membershipId: 'R4L-1', purchasedAt: '2025-01-15T10:00:00Z' } },
      d('2026-06-01'),
      registry,
      policy,
    );
    expect(result.missing).toEqual([]);
    expect(result.progress.met).toBe(true);
    expect(result.feeIfReceivedOn?.total).toBe(0);
    expect(result.feeDueIfReceivedOn).toBe(0);
    expect(result.upcomingDeadlines.map((x) => x.kind)).toContain('waiver-end');
  });

  it('R10: payments already made reduce the fee due; failed, refunded or repeated payments do not', () => {
    const withPayments: TrainerRecords = {
      ...complete,
      payments: [
        { paymentId: 'pay-1', amount: cents(9_900), status: 'succeeded' },
        { paymentId: 'pay-1', amount: cents(9_900), status: 'succeeded' }, // reported twice
        { paymentId: 'pay-2', amount: cents(3_000), status: 'failed' },
        { paymentId: 'pay-3', amount: cents(3_000), status: 'refunded' },
        { paymentId: 'pay-3', amount: cents(3_000), status: 'succeeded' },
      ],
    };
    expect(whatIf(withPayments, d('2026-07-01'), registry, policy).feeDueIfReceivedOn).toBe(3_000);
    expect(whatIf(withPayments, d('2026-06-30'), registry, policy).feeDueIfReceivedOn).toBe(0);
  });

  it('R6: approved petitions count; open petitions are named while CEUs are short', () => {
    const petitions: TrainerRecords['petitions'] = [
      {
        petitionId: 'p-approved',
        completedOn: d('2026-02-01'),
        petition: { state: 'approved', ceuGranted: ceuHundredths(20), decisionReason: 'ok' },
      },
      { petitionId: 'p-unpaid', completedOn: d('2026-02-01'), petition: submittedPetition() },
      {
        petitionId: 'p-review',
        completedOn: d('2026-02-01'),
        petition: { state: 'under-review', ceuGranted: null, decisionReason: null },
      },
      {
        petitionId: 'p-denied',
        completedOn: d('2026-02-01'),
        petition: { state: 'denied', ceuGranted: null, decisionReason: 'no' },
      },
    ];
    const result = whatIf({ ...records, cprAedCards: [card], petitions }, d('2026-06-01'), registry, policy);
    expect(result.tally.totalCeu).toBe(170);
    expect(result.missing.map((m) => m.reason)).toEqual([
      'R2: 0.2 more CEUs from courses',
      'R6: petition p-unpaid awaits its $25.00 fee before review',
      'R6: petition p-review awaits review',
    ]);
  });

  it('R4: a petition for a course completed on day 91 counts nothing', () => {
    const petitions: TrainerRecords['petitions'] = [
      {
        petitionId: 'late',
        completedOn: d('2026-09-29'),
        petition: { state: 'approved', ceuGranted: ceuHundredths(40), decisionReason: 'ok' },
      },
    ];
    const result = whatIf({ ...records, cprAedCards: [card], petitions }, d('2026-10-01'), registry, policy);
    expect(result.tally.totalCeu).toBe(150);
    expect(result.tally.notCounted).toMatchObject([{ id: 'late', reason: 'after-late-window' }]);
  });

  it('R7: a card expiring the day before the what-if day is not current', () => {
    const expired = { ...card, expiresOn: d('2026-05-31') };
    const result = whatIf({ ...complete, cprAedCards: [expired] }, d('2026-06-01'), registry, policy);
    expect(result.missing.map((m) => m.code)).toEqual(['cpr-aed']);
    expect(whatIf({ ...complete, cprAedCards: [expired] }, d('2026-05-31'), registry, policy).missing).toEqual([]);
  });

  describe('R11: with an audit', () => {
    const audited = (documents: NonNullable<TrainerRecords['audit']>['documents']): TrainerRecords => ({
      ...complete,
      audit: { selectedOn: d('2026-06-02'), extensions: [{ days: 5, reason: 'travel' }], documents },
    });

    it('R11: names the documents awaited and adds the audit deadlines', () => {
      const result = whatIf(
        audited([{ kind: 'cpr-aed-card-front', submittedOn: d('2026-06-03') }]),
        d('2026-06-10'),
        registry,
        policy,
      );
      expect(result.audit).toMatchObject({ status: 'awaiting-documents' });
      expect(result.missing).toEqual([
        {
          rule: 'R11',
          code: 'audit-documents',
          reason: 'R11: by 2026-07-07: course-certificate (c1), course-certificate (p), cpr-aed-card-back',
        },
      ]);
      expect(
        result.upcomingDeadlines.filter((x) => x.kind.startsWith('audit')).map((x) => `${x.kind}@${x.dueOn}`),
      ).toEqual([
        'audit-reminder@2026-06-23',
        'audit-reminder@2026-06-30',
        'audit-reminder@2026-07-06',
        'audit-documentation@2026-07-08',
      ]);
    });

    it('R11: a missed deadline fails the audit, naming what was missing', () => {
      const result = whatIf(audited([]), d('2026-07-08'), registry, policy);
      expect(result.audit).toMatchObject({ status: 'failed' });
      expect(result.missing[0].reason).toBe(
        'R11: the audit failed on 2026-07-08: missing course-certificate (c1), course-certificate (p), cpr-aed-card-front, cpr-aed-card-back',
      );
    });

    it('R11: with every document in, the audit is under review and nothing is missing', () => {
      const on = d('2026-06-20');
      const docs = [
        { kind: 'course-certificate' as const, proves: 'c1', submittedOn: on },
        { kind: 'course-certificate' as const, proves: 'p', submittedOn: on },
        { kind: 'cpr-aed-card-front' as const, submittedOn: on },
        { kind: 'cpr-aed-card-back' as const, submittedOn: on },
      ];
      const result = whatIf(audited(docs), on, registry, policy);
      expect(result.audit).toEqual({ status: 'under-review' });
      expect(result.missing).toEqual([]);
    });

    it('R11: an audit without documents on record awaits all of them', () => {
      const result = whatIf({ ...complete, audit: { selectedOn: d('2026-06-02') } }, d('2026-06-10'), registry, policy);
      expect(result.audit).toMatchObject({ status: 'awaiting-documents', deadline: d('2026-07-02') });
    });
  });
});
