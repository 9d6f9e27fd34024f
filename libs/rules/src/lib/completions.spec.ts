import fc from 'fast-check';
import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { CourseCompletion, tallyCeu } from './completions';
import { cycle } from './cycle';
import { createPolicy } from './policy';
import { CourseApproval, InMemoryProviderRegistry } from './provider-registry.port';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));
const approval = (courseId: string, ceu: number, from = '2024-01-01', until = '2027-12-31'): CourseApproval => ({
  providerId: 'ACE',
  courseId,
  ceu: ceuHundredths(ceu),
  approvedFrom: d(from),
  approvedUntil: d(until),
  nasmOwn: false,
});
const registry = new InMemoryProviderRegistry([
  approval('C-10', 10),
  approval('C-40', 40),
  approval('C-2025', 20, '2025-01-01', '2025-12-31'),
  { ...approval('NASM-CES', 190), providerId: 'NASM', nasmOwn: true },
]);
const done = (completionId: string, courseId: string, on: string, providerId = 'ACE'): CourseCompletion => ({
  completionId,
  providerId,
  courseId,
  completedOn: d(on),
});

describe('R4/R5/R6: which completions count for a cycle', () => {
  it('R4: a course completed within the cycle counts at the registry value (R5)', () => {
    const tally = tallyCeu(current, [done('a', 'C-40', '2025-03-01')], [], registry, policy);
    expect(tally.totalCeu).toBe(40);
    expect(tally.counted).toEqual([{ source: 'approved-course', id: 'a', ceu: 40, completedOn: d('2025-03-01') }]);
  });

  it.each([
    ['2024-07-01', true], // the cycle's first day
    ['2026-06-30', true], // day 0: expiration
    ['2026-09-28', true], // day 90
    ['2026-09-29', false], // day 91 counts nothing
    ['2024-06-30', false], // before the cycle
  ])('R4: a course completed %s counts: %s', (on, counts) => {
    const tally = tallyCeu(current, [done('a', 'C-10', on)], [], registry, policy);
    expect(tally.totalCeu).toBe(counts ? 10 : 0);
  });

  it('R4: a course completed on day 91 is explained', () => {
    const tally = tallyCeu(current, [done('late', 'C-10', '2026-09-29')], [], registry, policy);
    expect(tally.notCounted).toEqual([
      {
        id: 'late',
        reason: 'after-late-window',
        explanation: 'R4: completed 2026-09-29, 91 days after expiration (90 allowed)',
      },
    ]);
  });

  it('R4: the same completion reported twice counts once (same id, or same course on the same day)', () => {
    const tally = tallyCeu(
      current,
      [
        done('a', 'C-10', '2025-01-05'),
        done('a', 'C-10', '2025-01-05'),
        done('b', 'C-10', '2025-01-05'),
        done('c', 'C-10', '2025-01-06'),
      ],
      [],
      registry,
      policy,
    );
    expect(tally.totalCeu).toBe(20);
    expect(tally.notCounted.map((n) => [n.id, n.reason])).toEqual([
      ['a', 'duplicate'],
      ['b', 'duplicate'],
    ]);
  });

  it('R5: a course counts only if approved on its completion date', () => {
    const tally = tallyCeu(
      current,
      [done('in', 'C-2025', '2025-06-01'), done('out', 'C-2025', '2026-01-02')],
      [],
      registry,
      policy,
    );
    expect(tally.totalCeu).toBe(20);
    expect(tally.notCounted[0]).toMatchObject({ id: 'out', reason: 'not-approved-on-completion-date' });
    expect(tally.notCounted[0].explanation).toMatch(/R5: .* only through a petition \(R6\)/);
  });

  it('R5: the CEU value comes from the registry, not from the claim', () => {
    const claimed = { ...done('a', 'C-10', '2025-03-01'), claimedCeu: ceuHundredths(190) };
    expect(tallyCeu(current, [claimed], [], registry, policy).totalCeu).toBe(10);
  });

  it('R4: a cycle expiring 29 February counts courses through 29 May (day 90), not 30 May', () => {
    const leap = cycle(d('2026-03-01'), d('2028-02-29'));
    const approvedThrough2029 = new InMemoryProviderRegistry([approval('C-10', 10, '2026-01-01', '2029-12-31')]);
    const tally = tallyCeu(
      leap,
      [done('a', 'C-10', '2028-02-29'), done('b', 'C-10', '2028-05-29'), done('c', 'C-10', '2028-05-30')],
      [],
      approvedThrough2029,
      policy,
    );
    expect(tally.counted.map((c) => c.id)).toEqual(['a', 'b']);
    expect(tally.notCounted).toMatchObject([{ id: 'c', reason: 'after-late-window' }]);
  });

  it('R4: a course completed before the cycle is explained', () => {
    expect(tallyCeu(current, [done('old', 'C-10', '2024-06-30')], [], registry, policy).notCounted).toEqual([
      {
        id: 'old',
        reason: 'before-cycle',
        explanation: 'R4: completed 2024-06-30, before the cycle started 2024-07-01',
      },
    ]);
  });

  it('R3/R4: nineteen approved 0.1 CEU courses make exactly 1.9', () => {
    const nineteen = Array.from({ length: 19 }, (_, i) =>
      done(`c${i}`, 'C-10', current.startsOn.addDays(i).toString()),
    );
    expect(tallyCeu(current, nineteen, [], registry, policy).totalCeu).toBe(190);
  });

  it('R5: NASM courses are credited from the registry; an unknown course is not', () => {
    const tally = tallyCeu(
      current,
      [done('n', 'NASM-CES', '2025-02-01', 'NASM'), done('x', 'UNKNOWN', '2025-02-01')],
      [],
      registry,
      policy,
    );
    expect(tally.totalCeu).toBe(190);
    expect(tally.notCounted.map((n) => n.id)).toEqual(['x']);
  });

  it('R6: an approved petition counts its granted CEUs, within the same window, once', () => {
    const credits = [
      { petitionId: 'p1', ceu: ceuHundredths(30), completedOn: d('2026-08-01') },
      { petitionId: 'p1', ceu: ceuHundredths(30), completedOn: d('2026-08-01') },
      { petitionId: 'p2', ceu: ceuHundredths(30), completedOn: d('2026-10-01') },
    ];
    const tally = tallyCeu(current, [], credits, registry, policy);
    expect(tally.totalCeu).toBe(30);
    expect(tally.notCounted.map((n) => [n.id, n.reason])).toEqual([
      ['p1', 'duplicate'],
      ['p2', 'after-late-window'],
    ]);
  });

  it('property (R4): a completion counts iff completed from the cycle start to 90 days after expiration', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800, max: 200 }), (offset) => {
        const on = current.expiresOn.addDays(offset);
        const counted = tallyCeu(current, [done('a', 'C-10', on.toString())], [], registry, policy).totalCeu === 10;
        return counted === (!on.isBefore(current.startsOn) && offset <= 90);
      }),
    );
  });

  it('property (R3/R4): the total is the sum of distinct counted completions', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 30 }), (days) => {
        const completions = days.map((day, i) => done(`c${i}`, 'C-10', current.startsOn.addDays(day).toString()));
        const distinctDays = new Set(days).size;
        return tallyCeu(current, completions, [], registry, policy).totalCeu === distinctDays * 10;
      }),
    );
  });
});

describe('"Credits are used once" (R4) and one course once (R4, R6)', () => {
  // The next cycle of `current` starts the day after it expired (R1).
  const next = cycle(d('2026-07-01'), d('2028-06-30'));

  it('R4: a course completed 30 days after expiration that the old cycle used does not count for the next', () => {
    const completions = [done('late', 'C-40', '2026-07-30')];
    const used = new Map([['late', '2026-06-30']]);
    const tally = tallyCeu(next, completions, [], registry, policy, used);
    expect(tally.totalCeu).toBe(0);
    expect(tally.notCounted).toEqual([
      {
        id: 'late',
        reason: 'used-by-earlier-cycle',
        explanation:
          'R4: used by the approved recertification of the cycle that expired 2026-06-30; credits count once',
      },
    ]);
    // The same course, not used by the old cycle, counts for the next one (it lies within it).
    expect(tallyCeu(next, completions, [], registry, policy).totalCeu).toBe(40);
  });

  it('R4: a petition credit an earlier cycle used does not count again', () => {
    const credit = { petitionId: 'p-1', ceu: ceuHundredths(10), completedOn: d('2026-07-15') };
    const tally = tallyCeu(next, [], [credit], registry, policy, new Map([['p-1', '2026-06-30']]));
    expect(tally.totalCeu).toBe(0);
    expect(tally.notCounted.map((n) => n.reason)).toEqual(['used-by-earlier-cycle']);
  });

  it('R4/R6: a petition for a completion the registry counted adds nothing (named by completion id)', () => {
    const credit = { petitionId: 'p-1', ceu: ceuHundredths(40), completedOn: d('2025-03-01'), completionId: 'a' };
    const tally = tallyCeu(current, [done('a', 'C-40', '2025-03-01')], [credit], registry, policy);
    expect(tally.totalCeu).toBe(40);
    expect(tally.notCounted).toEqual([
      { id: 'p-1', reason: 'duplicate', explanation: 'R4: the same course counts once: it already counted as a' },
    ]);
  });

  it('R4/R6: a petition for the same course on the same day (by title) adds nothing; another day counts', () => {
    const titled = new InMemoryProviderRegistry([{ ...approval('C-40', 40), title: 'Kettlebell  Basics' }]);
    const same = { petitionId: 'p-1', ceu: ceuHundredths(40), completedOn: d('2025-03-01'), courseTitle: 'kettlebell basics' };
    const other = { ...same, petitionId: 'p-2', completedOn: d('2025-04-01') };
    const tally = tallyCeu(current, [done('a', 'C-40', '2025-03-01')], [same, other], titled, policy);
    expect(tally.totalCeu).toBe(80);
    expect(tally.notCounted.map((n) => `${n.id}:${n.reason}`)).toEqual(['p-1:duplicate']);
  });

  it('R4/R6: two approved petitions for one course (the completion title) count once', () => {
    const completion = { ...done('a', 'NOT-REGISTERED', '2025-03-01'), courseTitle: 'Barbell Club' };
    const first = { petitionId: 'p-1', ceu: ceuHundredths(15), completedOn: d('2025-03-01'), courseTitle: 'Barbell Club' };
    const second = { ...first, petitionId: 'p-2' };
    const tally = tallyCeu(current, [completion], [first, second], registry, policy);
    expect(tally.totalCeu).toBe(15);
    expect(tally.notCounted.map((n) => `${n.id}:${n.reason}`)).toEqual([
      'a:not-approved-on-completion-date',
      'p-2:duplicate',
    ]);
  });
});
