/** What a session remembers of time, in the gateway's clock (ms since the epoch). */
export interface SessionTimes {
  readonly signedInAt: number;
  readonly lastSeenAt: number;
}

export type SessionEnd = 'idle' | 'absolute';

/**
 * Whether a session has ended by `now`: unused for longer than the idle limit, or older than the
 * absolute one. Judged by the injected clock, so time travel ends sessions as it would in life.
 */
export function sessionEnded(
  times: SessionTimes,
  now: number,
  limits: { idleMs: number; absoluteMs: number },
): SessionEnd | null {
  if (now - times.signedInAt > limits.absoluteMs) return 'absolute';
  if (now - times.lastSeenAt > limits.idleMs) return 'idle';
  return null;
}
