/**
 * kafkajs 2.2.4's request queue, as patched at install (patches/kafkajs+2.2.4.patch, applied by
 * patch-package in `npm ci`'s postinstall): with no request pending it arms no timer. Unpatched,
 * the check re-armed itself with a negative delay on every turn of the event loop, and each idle
 * service spent some 4 % of a core on it (tulios/kafkajs#1556; `npm run bench:idle`).
 */
// The class is internal to kafkajs: no types are published for it.
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
};

describe('kafkajs request queue (patched)', () => {
  const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined };
  const queue = () =>
    new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, clientId: 'test', broker: 'b', logger });

  it('arms no check while nothing is pending', () => {
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks again while a request waits', () => {
    const q = queue();
    q.pending.push({});
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(q.throttleCheckTimeoutId as NodeJS.Timeout);
  });
});
