import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { cycle } from './cycle';
import { auditDeadlines, cycleDeadlines, waiverDeadline } from './deadlines';
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
const records: TrainerRecords = {
  cycle: current,
  completions: [{ completionId: 'c1', providerId: 'NASM', courseId: 'CES', completedOn: d('2025-05-01') }],
  petitionCredits: [],
  cprAedCards: [],
};

describe('deadlines (DOMAIN.md)', () => {
  it('R8/R9/R4: the deadlines of a cycle, in due order', () => {
    expect(
      cycleDeadlines(current, policy).map(
        (x) => `${x.kind}@${x.dueOn}${x.offsetDays === undefined ? '' : `(${x.offsetDays})`}`,
      ),
    ).toEqual([
      'expiry-reminder@2026-04-01(90)',
      'expiry-reminder@2026-05-01(60)',
      'expiry-reminder@2026-05-31(30)',
      'expiry-reminder@2026-06-23(7)',
      'expiry-reminder@2026-06-30(0)',
      'expiration@2026-07-01',
      'expiry-reminder@2026-07-30(-30)',
      'late-window-end@2026-09-29',
      'final-window-end@2027-07-01',
    ]);
  });

  it('R11: audit reminders and the audit deadline the day after the last day', () => {
    expect(auditDeadlines(d('2026-07-01'), policy).map((x) => `${x.kind}@${x.dueOn}`)).toEqual([
      'audit-reminder@2026-06-17',
      'audit-reminder@2026-06-24',
      'audit-reminder@2026-06-30',
      'audit-documentation@2026-07-02',
    ]);
  });

  it('R7: the waiver ends the 61st day after the orders were lifted; none while the date is unset', () => {
    expect(waiverDeadline(policy)).toEqual({ kind: 'waiver-end', dueOn: d('2026-07-01') });
    expect(waiverDeadline(createPolicy())).toBeNull();
  });
});

describe('what-if', () => {
  it('says what is missing, the deadlines ahead and the fee if received that day', () => {
    const result = whatIf(records, d('2026-07-15'), registry, policy);
    expect(result.status).toBe('expired');
    expect(result.missingCeu).toBe(40);
    expect(result.missing).toEqual(['R2: 0.4 more CEUs from courses', 'R7: no CPR/AED card on record']);
    expect(result.feeIfReceivedOn).toMatchObject({ tier: 'late', total: 12_900 });
    expect(result.upcomingDeadlines.map((x) => x.kind)).toEqual([
      'expiry-reminder',
      'late-window-end',
      'final-window-end',
    ]);
  });

  it('R9: after the final window there is no fee, only the refusal', () => {
    const result = whatIf(records, d('2027-07-01'), registry, policy);
    expect(result.status).toBe('lapsed');
    expect(result.feeIfReceivedOn).toBeNull();
    expect(result.missing[result.missing.length - 1]).toMatch(/^R9: the credential lapsed/);
    expect(result.upcomingDeadlines.map((x) => x.kind)).toEqual(['final-window-end']);
  });

  it('nothing missing once requirements are met', () => {
    const complete: TrainerRecords = {
      ...records,
      petitionCredits: [{ petitionId: 'p', ceu: ceuHundredths(40), completedOn: d('2026-01-01') }],
      cprAedCards: [
        {
          cardId: 'k',
          issuedOn: d('2025-01-01'),
          expiresOn: d('2027-01-01'),
          includesAdultCpr: true,
          includesAed: true,
          handsOnSkillsAssessment: true,
        },
      ],
      recertifyForLife: true,
    };
    const result = whatIf(complete, d('2026-06-01'), registry, policy);
    expect(result.missing).toEqual([]);
    expect(result.feeIfReceivedOn?.total).toBe(0);
    expect(result.upcomingDeadlines.some((x) => x.kind === 'waiver-end')).toBe(true);
  });
});
