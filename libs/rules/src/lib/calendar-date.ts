/**
 * A calendar date (no time, no zone): DOMAIN.md says all deadlines are calendar dates in the
 * credential's time zone. Arithmetic runs on whole days since 1970-01-01, so it is exact.
 */
export class CalendarDate {
  private constructor(
    /** Days since 1970-01-01. */
    readonly epochDay: number,
  ) {}

  static fromEpochDay(epochDay: number): CalendarDate {
    if (!Number.isSafeInteger(epochDay)) throw new RangeError(`Not a day number: ${epochDay}`);
    return new CalendarDate(epochDay);
  }

  static of(year: number, month: number, day: number): CalendarDate {
    const ms = Date.UTC(year, month - 1, day);
    const date = new Date(ms);
    if (
      !Number.isInteger(year) ||
      date.getUTCFullYear() !== year ||
      date.getUTCMonth() !== month - 1 ||
      date.getUTCDate() !== day
    ) {
      throw new RangeError(`Not a calendar date: ${year}-${month}-${day}`);
    }
    return new CalendarDate(Math.round(ms / MS_PER_DAY));
  }

  /** Parses `YYYY-MM-DD`; anything else, or a date that does not exist, is refused. */
  static parse(iso: string): CalendarDate {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!match) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${iso}`);
    return CalendarDate.of(Number(match[1]), Number(match[2]), Number(match[3]));
  }

  /** The calendar date that `instant` falls on in `timeZone` (an IANA name such as 'America/Phoenix'). */
  static fromInstant(instant: Date, timeZone: string): CalendarDate {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(instant)
      .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
    return CalendarDate.of(Number(parts['year']), Number(parts['month']), Number(parts['day']));
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
    return new CalendarDate(this.epochDay + days);
  }

  /**
   * Adds calendar months; a day that does not exist in the target month becomes that month's last
   * day (31 March − 1 month = 28/29 February).
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
    return this.utc().toISOString().slice(0, 10);
  }
  toJSON(): string {
    return this.toString();
  }

  private utc(): Date {
    return new Date(this.epochDay * MS_PER_DAY);
  }
}

const MS_PER_DAY = 86_400_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
