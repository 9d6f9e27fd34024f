import { randomUUID } from 'node:crypto';
import { EventDefinition, PayloadInputOf } from '@recert/contracts';
import { waitFor } from '@recert/testing';
import { signSandboxWebhook } from '@recert/payments-service';
import { RecertSystem } from '../../support/recert-system';

/**
 * The system as an outside client sees it, and nothing more: the public HTTP API at its one base
 * URL (upstream events at /v1/events/<event>, the payment processor's signed webhook, queries,
 * staff actions, the clock in test mode), and the upstream Kafka topics.
 * No database, no service internals, no rules library: an acceptance test states what DOMAIN.md
 * says should happen, in literal values, and checks it here.
 *
 * Each acceptance file boots its own system with the clock set to a fixed instant in the
 * future (`CLOCK_START_AT`), so every date a scenario writes is a literal calendar date.
 */
export class OutsideClient {
  private constructor(private readonly system: RecertSystem) {}

  static async start(options: { startAt: string; auditRatePpm: number; env?: Record<string, string> }) {
    const system = await RecertSystem.start({
      auditRatePpm: options.auditRatePpm,
      env: { CLOCK_START_AT: options.startAt, ...options.env },
    });
    return new OutsideClient(system);
  }

  stop(): Promise<void> {
    return this.system.stop();
  }

  static id(): string {
    return randomUUID();
  }

  /** A token per role, as the department hands them out. */
  static readonly tokens = RecertSystem.tokens;

  /** An upstream system posts an event; 202 is the only acceptable answer for a valid one. */
  async send(event: string, payload: Record<string, unknown>): Promise<{ eventId: string }> {
    const { status, body } = await this.call('POST', `/v1/events/${event}`, payload, 'upstream');
    if (status !== 202) throw new Error(`POST /v1/events/${event} answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  /** An upstream system publishes an event on its Kafka topic (e.g. a portal still on an older version). */
  publish<D extends EventDefinition>(definition: D, payload: PayloadInputOf<D>): Promise<string> {
    return this.system.publish(definition, payload);
  }

  /**
   * The payment processor posts a webhook body, signed with the secret it shares with payments and
   * the system's time (issue 13: its facts come only this way); 200 is the only acceptable answer.
   */
  async processorWebhook(body: Record<string, unknown>): Promise<{ outcome: string }> {
    const raw = JSON.stringify(body, null, 2);
    const { status, body: answer } = await this.system.api('POST', '/v1/payments/processor-webhook', raw, {
      authorization: '',
      'x-sandbox-signature': signSandboxWebhook(raw, RecertSystem.webhookSecret, this.now()),
    });
    if (status !== 200) throw new Error(`the processor webhook answered ${status}: ${JSON.stringify(answer)}`);
    return answer;
  }

  get(path: string, as: Role = 'ops') {
    return this.call('GET', path, undefined, as);
  }

  post(path: string, body: unknown, as: Role = 'reviewer') {
    return this.call('POST', path, body, as);
  }

  async call(method: 'GET' | 'POST', path: string, body: unknown, as: Role) {
    return this.system.api(method, path, body, { authorization: `Bearer ${OutsideClient.tokens[as]}` });
  }

  /** Polls a GET until `done` holds (404 counts as "not yet"); returns the body, as JSON gives it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async eventually<T = any>(path: string, done: (body: any) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
    const result = await waitFor(
      () => this.get(path),
      (r) => r.status === 200 && done(r.body),
      { timeoutMs, intervalMs: 200, what },
    );
    return result.body as T;
  }

  /** Moves the system's clock forward through the public API; each deadline fires at its time. */
  advanceDays(days: number) {
    return this.system.advanceDays(days);
  }

  /** The system's instant: upstream systems stamp what they send with it. */
  now(): Date {
    return this.system.now();
  }
}

export type Role = keyof typeof RecertSystem.tokens;
