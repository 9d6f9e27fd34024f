import { FactoryProvider } from '@nestjs/common';
import { Clock, ControllableClock, SystemClock } from '@recert/clock';
import { loadRecertConfig, RecertConfig } from '../config/recert-config';
import { clockProvider } from './clock.provider';

const build = (config: RecertConfig) => (clockProvider as FactoryProvider<Clock>).useFactory(config) as Clock;

describe('clockProvider', () => {
  it('gives the system clock unless the clock is controllable', () => {
    expect(build(loadRecertConfig('audits', {}))).toBeInstanceOf(SystemClock);
  });

  it('starts a controllable clock at CLOCK_START_AT, so a restarted service resumes the time travelled to', () => {
    const clock = build(
      loadRecertConfig('audits', { CLOCK_MODE: 'controllable', CLOCK_START_AT: '2031-03-01T12:00:00Z' }),
    );
    expect(clock).toBeInstanceOf(ControllableClock);
    // The clock runs on from there, so it reads the start instant plus the few ms this test took.
    const ahead = clock.now().getTime() - Date.parse('2031-03-01T12:00:00Z');
    expect(ahead).toBeGreaterThanOrEqual(0);
    expect(ahead).toBeLessThan(60_000);
  });

  it('starts a controllable clock at CLOCK_START_AT in the past too, so fixed scenario dates hold on any day', () => {
    const clock = build(
      loadRecertConfig('audits', { CLOCK_MODE: 'controllable', CLOCK_START_AT: '2001-01-01T00:00:00Z' }),
    ) as ControllableClock;
    const ahead = clock.now().getTime() - Date.parse('2001-01-01T00:00:00Z');
    expect(ahead).toBeGreaterThanOrEqual(0);
    expect(ahead).toBeLessThan(60_000);
    // Once started it still only moves forward.
    expect(() => clock.advanceBy(-1)).toThrow(RangeError);
  });
});
