import { CalendarDate } from './calendar-date';
import { cycle } from './cycle';
import { auditDeadlines, cycleDeadlines, Deadline, sortDeadlines, waiverDeadline } from './deadlines';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy({ distancingOrdersLiftedOn: d('2026-05-01') });
const current = cycle(d('2024-07-01'), d('2026-06-30'));
const show = (x: Deadline) =>
  `${x.kind}@${x.dueOn}${x.lastDay ? ` last ${x.lastDay}` : ''}${x.offsetDays === undefined ? '' : ` (${x.offsetDays})`}`;

describe('R4/R7/R8/R9/R11: deadlines for the scheduler', () => {
  it('R8/R9/R4: the deadlines of a cycle, in due order, each window due the day after its last day', () => {
    expect(cycleDeadlines(current, policy).map(show)).toEqual([
      'expiry-reminder@2026-04-01 (90)',
      'expiry-reminder@2026-05-01 (60)',
      'expiry-reminder@2026-05-31 (30)',
      'expiry-reminder@2026-06-23 (7)',
      'expiry-reminder@2026-06-30 (0)',
      'expiration@2026-07-01 last 2026-06-30',
      'expiry-reminder@2026-07-30 (-30)',
      'late-window-end@2026-09-29 last 2026-09-28',
      'final-window-end@2027-07-01 last 2027-06-30',
    ]);
  });

  it('R1/R8/R9: a cycle expiring 29 February: expired from 1 March, lapsed from 1 March of the next year', () => {
    const leap = cycleDeadlines(cycle(d('2026-03-01'), d('2028-02-29')), policy).filter((x) => x.lastDay);
    expect(leap.map(show)).toEqual([
      'expiration@2028-03-01 last 2028-02-29',
      'late-window-end@2028-05-30 last 2028-05-29',
      'final-window-end@2029-03-01 last 2029-02-28',
    ]);
  });

  it('R8: reminder offsets are policy', () => {
    const fewer = createPolicy({ expiryReminderDaysBefore: [1], expiryReminderDaysAfter: [] });
    expect(
      cycleDeadlines(current, fewer)
        .filter((x) => x.kind === 'expiry-reminder')
        .map(show),
    ).toEqual(['expiry-reminder@2026-06-29 (1)']);
  });

  it('R11: audit reminders, and the audit deadline the day after its last day', () => {
    expect(auditDeadlines(d('2026-07-01'), policy).map(show)).toEqual([
      'audit-reminder@2026-06-17 (14)',
      'audit-reminder@2026-06-24 (7)',
      'audit-reminder@2026-06-30 (1)',
      'audit-documentation@2026-07-02 last 2026-07-01',
    ]);
  });

  it('R7: the waiver ends the 61st day after the orders were lifted; no deadline while the date is unset', () => {
    expect(waiverDeadline(policy)).toEqual({ kind: 'waiver-end', dueOn: d('2026-07-01'), lastDay: d('2026-06-30') });
    expect(waiverDeadline(createPolicy())).toBeNull();
    expect(waiverDeadline(createPolicy({ waiverStartsOn: null }))).toBeNull();
  });

  it('R8: same-day deadlines keep the order given', () => {
    const a: Deadline = { kind: 'expiration', dueOn: d('2026-07-01') };
    const b: Deadline = { kind: 'waiver-end', dueOn: d('2026-07-01') };
    const c: Deadline = { kind: 'expiry-reminder', dueOn: d('2026-06-01') };
    expect(sortDeadlines([a, b, c])).toEqual([c, a, b]);
  });
});
