/**
 * A calendar date (no time, no zone): DOMAIN.md says every deadline is a calendar date in the
 * credential's time zone. Arithmetic runs on whole days since 1970-01-01, so it is exact.
 * Years are limited to 0001–9999 so that every date prints as ISO `YYYY-MM-DD`.
 */
export class CalendarDate {
  private constructor(
    /** Days since 1970-01-01. */
    readonly epochDay: number,
  ) {}

  static fromEpochDay(epochDay: number): CalendarDate {
    if (!Number.isSafeInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY)
      throw new RangeError(`Not a day number of years 0001–9999: ${epochDay}`);
    return new CalendarDate(epochDay);
  }

  static of(year: number, month: number, day: number): CalendarDate {
    if (![year, month, day].every(Number.isInteger) || year < 1 || year > 9999 || month < 1 || month > 12)
      throw new RangeError(`Not a calendar date: ${year}-${month}-${day}`);
    if (day < 1 || day > daysInMonth(year, month)) throw new RangeError(`Not a calendar date: ${year}-${month}-${day}`);
    return new CalendarDate(Math.round(utcMs(year, month, day) / MS_PER_DAY));
  }

  /** Parses `YYYY-MM-DD`; anything else, or a date that does not exist (2026-02-29), is refused. */
  static parse(iso: string): CalendarDate {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!match) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${iso}`);
    return CalendarDate.of(Number(match[1]), Number(match[2]), Number(match[3]));
  }

  /**
   * The calendar date that `instant` falls on in `timeZone` (an IANA name such as
   * 'America/Phoenix'): the clock gives instants, the rules work on the credential's dates.
   */
  static fromInstant(instant: Date, timeZone: string): CalendarDate {
    if (Number.isNaN(instant.getTime())) throw new RangeError('Not an instant: an invalid Date');
    const parts: Record<string, string> = {};
    for (const p of dateFormat(timeZone).formatToParts(instant)) parts[p.type] = p.value;
    return CalendarDate.of(Number(parts['year']), Number(parts['month']), Number(parts['day']));
  }

  /** For sorting: negative, zero or positive as `a` is before, on or after `b`. */
  static compare(a: CalendarDate, b: CalendarDate): number {
    return a.compare(b);
  }
  static min(first: CalendarDate, ...others: CalendarDate[]): CalendarDate {
    return others.reduce((min, d) => (d.isBefore(min) ? d : min), first);
  }
  static max(first: CalendarDate, ...others: CalendarDate[]): CalendarDate {
    return others.reduce((max, d) => (d.isAfter(max) ? d : max), first);
  }

  get year(): number {
    return this.utc().getUTCFullYear();
  }
  get month(): number {
    return this.utc().getUTCMonth() + 1;
  }
  get day(): number {
    return this.utc().getUTCDate();
  }

  addDays(days: number): CalendarDate {
    if (!Number.isInteger(days)) throw new RangeError(`Whole days only: ${days}`);
    return CalendarDate.fromEpochDay(this.epochDay + days);
  }

  /**
   * Adds calendar months; a day that does not exist in the target month becomes that month's
   * last day (31 August − 6 months = 28/29 February).
   */
  addMonths(months: number): CalendarDate {
    if (!Number.isInteger(months)) throw new RangeError(`Whole months only: ${months}`);
    const total = this.year * 12 + (this.month - 1) + months;
    const year = Math.floor(total / 12);
    const month = (total % 12) + 1;
    return CalendarDate.of(year, month, Math.min(this.day, daysInMonth(year, month)));
  }

  /** Adds years; 29 February in a year without one becomes 28 February (R1 leap-day policy). */
  addYears(years: number): CalendarDate {
    if (!Number.isInteger(years)) throw new RangeError(`Whole years only: ${years}`);
    return this.addMonths(years * 12);
  }

  /** Whole days from this date to `later` (negative when `later` is earlier). */
  daysUntil(later: CalendarDate): number {
    return later.epochDay - this.epochDay;
  }

  compare(other: CalendarDate): number {
    return Math.sign(this.epochDay - other.epochDay);
  }
  isBefore(other: CalendarDate): boolean {
    return this.epochDay < other.epochDay;
  }
  isAfter(other: CalendarDate): boolean {
    return this.epochDay > other.epochDay;
  }
  equals(other: CalendarDate): boolean {
    return this.epochDay === other.epochDay;
  }
  /** Inclusive on both ends. */
  isWithin(first: CalendarDate, last: CalendarDate): boolean {
    return this.epochDay >= first.epochDay && this.epochDay <= last.epochDay;
  }

  toString(): string {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    return `${pad(this.year, 4)}-${pad(this.month, 2)}-${pad(this.day, 2)}`;
  }
  toJSON(): string {
    return this.toString();
  }

  private utc(): Date {
    return new Date(this.epochDay * MS_PER_DAY);
  }
}

/** Whole days from `from` to `to`: `from.addDays(daysBetween(from, to))` is `to`. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return from.daysUntil(to);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** True when `timeZone` is an IANA zone this runtime knows (used to validate the policy). */
export function isTimeZone(timeZone: string): boolean {
  try {
    dateFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** `Date.UTC` reads years 0–99 as 1900–1999; setting the full year avoids that. */
function utcMs(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

const MIN_EPOCH_DAY = Math.round(utcMs(1, 1, 1) / MS_PER_DAY);
const MAX_EPOCH_DAY = Math.round(utcMs(9999, 12, 31) / MS_PER_DAY);

// Building a formatter is slow; one per zone is kept (formatters are stateless).
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new RangeError(`Not an IANA time zone: ${timeZone}`);
    }
    formats.set(timeZone, format);
  }
  return format;
}
