import { sessionEnded } from './session-expiry';

describe('a staff session ends when idle too long or too old (issue 14)', () => {
  const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
  const signedInAt = Date.parse('2026-11-20T08:00:00.000Z');

  it('lasts while used, up to the idle limit exactly', () => {
    expect(
      sessionEnded({ signedInAt, lastSeenAt: signedInAt }, Date.parse('2026-11-20T08:30:00.000Z'), limits),
    ).toBeNull();
    expect(sessionEnded({ signedInAt, lastSeenAt: signedInAt }, Date.parse('2026-11-20T08:30:00.001Z'), limits)).toBe(
      'idle',
    );
  });

  it('ends twelve hours after sign-in however busy', () => {
    const lastSeenAt = Date.parse('2026-11-20T19:59:00.000Z');
    expect(sessionEnded({ signedInAt, lastSeenAt }, Date.parse('2026-11-20T20:00:00.000Z'), limits)).toBeNull();
    expect(sessionEnded({ signedInAt, lastSeenAt }, Date.parse('2026-11-20T20:00:00.001Z'), limits)).toBe('absolute');
  });
});
