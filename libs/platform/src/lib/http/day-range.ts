import { z } from 'zod';
import { CalendarDateString } from '@recert/contracts';

const MS_PER_DAY = 86_400_000;
/** At most a year and a day: what the ops dashboard's range selector offers, and a bound on each query. */
export const MAX_RANGE_DAYS = 367;

/** `from` and `to`, calendar days in UTC, both included: the range an ops chart covers. */
export const DayRange = z
  .strictObject({ from: CalendarDateString, to: CalendarDateString })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['from'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / MS_PER_DAY < MAX_RANGE_DAYS, {
    message: `the range must be at most ${MAX_RANGE_DAYS} days`,
    path: ['to'],
  });
export type DayRange = z.infer<typeof DayRange>;

/** Every day of the range, in order: charts show a zero for a quiet day rather than skip it. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`); t += MS_PER_DAY)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The range as the instants it spans: [from 00:00 UTC, the day after `to` 00:00 UTC). */
export function instantsOf(range: DayRange): [Date, Date] {
  return [new Date(`${range.from}T00:00:00Z`), new Date(Date.parse(`${range.to}T00:00:00Z`) + MS_PER_DAY)];
}
