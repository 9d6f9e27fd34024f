import { ControllableClock, FixedClock, MS_PER_DAY, SystemClock } from './clock';

describe('Clock', () => {
  const start = new Date('2026-01-01T00:00:00.000Z');

  it('SystemClock follows the machine time', () => {
    const before = Date.now();
    const read = new SystemClock().now().getTime();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
  });

  it('ControllableClock advances by 400 days without waiting', () => {
    const clock = new ControllableClock(new FixedClock(start));
    clock.advanceDays(400);
    expect(clock.now().toISOString()).toBe('2027-02-05T00:00:00.000Z');
    expect(clock.offset).toBe(400 * MS_PER_DAY);
  });

  it('ControllableClock refuses to move backwards', () => {
    const clock = new ControllableClock(new FixedClock(start));
    expect(() => clock.advanceBy(-1)).toThrow(/only moves forward/);
    expect(() => clock.setTo(new Date('2025-12-31T00:00:00Z'))).toThrow(/only moves forward/);
    expect(() => clock.advanceBy(Number.NaN)).toThrow(RangeError);
  });

  it('ControllableClock.setTo jumps to a later instant', () => {
    const clock = new ControllableClock(new FixedClock(start));
    expect(clock.setTo(new Date('2026-03-01T12:00:00Z')).toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });

  it('FixedClock returns copies that callers cannot mutate', () => {
    const clock = new FixedClock(start);
    clock.now().setFullYear(1999);
    expect(clock.now().toISOString()).toBe(start.toISOString());
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(clock.now().getUTCFullYear()).toBe(2027);
  });
});
