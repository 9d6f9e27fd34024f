/**
 * The one source of "now" for product code. Nothing in apps/ or libs/ reads the wall clock
 * directly, so tests and demos can move time (deadlines, fee tiers, windows) without waiting.
 */
export interface Clock {
  now(): Date;
}

/** Dependency-injection token under which every service provides its Clock. */
export const CLOCK = Symbol('Clock');

/** Production clock: the machine's time. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that runs with the system clock plus an offset that can only move forward, so that
 * time observed by a process never goes backwards (deadlines fire in due order).
 */
export class ControllableClock implements Clock {
  private offsetMs: number;

  constructor(
    private readonly base: Clock = new SystemClock(),
    offsetMs = 0,
  ) {
    this.offsetMs = offsetMs;
  }

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  /** Moves time forward by `ms` milliseconds; moving backwards is refused. */
  advanceBy(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`The clock only moves forward: cannot advance by ${ms} ms`);
    }
    this.offsetMs += ms;
    return this.now();
  }

  advanceDays(days: number): Date {
    return this.advanceBy(days * MS_PER_DAY);
  }

  /** Jumps to `instant`, which must not be earlier than now. */
  setTo(instant: Date): Date {
    return this.advanceBy(instant.getTime() - this.now().getTime());
  }

  get offset(): number {
    return this.offsetMs;
  }
}

/** A clock stopped at one instant; for unit tests that need a fixed "now". */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}

  now(): Date {
    return new Date(this.instant.getTime());
  }

  set(instant: Date): void {
    this.instant = instant;
  }
}

export const MS_PER_DAY = 86_400_000;
