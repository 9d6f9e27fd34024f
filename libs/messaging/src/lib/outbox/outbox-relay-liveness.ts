import type { LivenessProbe } from '@recert/platform';
import { OutboxRelay } from './outbox-relay';

/**
 * Fails once events have waited in the outbox for `stuckAfterMs` with the relay making no
 * progress (a send stuck on an unreachable broker, every send failing, or the schema's turn held
 * by a replica that is itself stuck), so the orchestrator restarts the process.
 */
export function outboxRelayLiveness(relay: OutboxRelay, stuckAfterMs: number): LivenessProbe {
  return {
    name: 'outbox-relay',
    check() {
      const stalledMs = relay.stalledForMs();
      if (stalledMs > stuckAfterMs) {
        throw new Error(
          `outbox relay: events waiting, no progress for ${Math.round(stalledMs)} ms (limit ${stuckAfterMs} ms)`,
        );
      }
    },
  };
}
