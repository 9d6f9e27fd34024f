import { CalendarDate } from './calendar-date';
import { RecertPolicy } from './policy';

/** A certification cycle: the credential is valid from `startsOn` through `expiresOn`, both inclusive (R1). */
export interface Cycle {
  readonly startsOn: CalendarDate;
  readonly expiresOn: CalendarDate;
}

export function cycle(startsOn: CalendarDate, expiresOn: CalendarDate): Cycle {
  if (expiresOn.isBefore(startsOn))
    throw new RangeError(`A cycle cannot expire (${expiresOn}) before it starts (${startsOn})`);
  return { startsOn, expiresOn };
}

/**
 * R1: recertifying starts the next cycle the day after the old expiration, and the new
 * expiration is the old one plus the cycle length, whatever day within the windows the approval
 * came (an application approved late does not shorten or lengthen the next cycle). Leap-day
 * policy: an expiration on 29 February moves to 28 February in a year without one, and stays
 * there (each renewal adds two years to the previous expiration, not to the first one).
 */
export function nextCycle(current: Cycle, policy: RecertPolicy): Cycle {
  return { startsOn: current.expiresOn.addDays(1), expiresOn: current.expiresOn.addYears(policy.cycleYears) };
}

/** Whether `on` falls within the cycle (its first and last day included). */
export function isWithinCycle(current: Cycle, on: CalendarDate): boolean {
  return on.isWithin(current.startsOn, current.expiresOn);
}
