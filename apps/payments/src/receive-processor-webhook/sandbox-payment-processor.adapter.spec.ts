import { createHmac } from 'node:crypto';
import { FixedClock } from '@recert/clock';
import { ProcessorWebhookRefused } from './payment-processor.port';
import { webhookSettingsFromEnv } from './processor-webhook.settings';
import {
  SANDBOX_SIGNATURE_HEADER,
  SandboxPaymentProcessor,
  signSandboxWebhook,
} from './sandbox-payment-processor.adapter';

describe('SandboxPaymentProcessor', () => {
  const secret = 'test-secret-0123456789';
  const now = new Date('2026-11-20T15:05:30Z');
  const clock = new FixedClock(now);
  const processor = new SandboxPaymentProcessor({ secret, toleranceSeconds: 300 }, clock);
  const body = JSON.stringify({
    id: 'evt-1',
    type: 'payment.refunded',
    data: {
      paymentId: 'pay-1',
      payableId: 'application-fee:a1',
      amountCents: 9_900,
      occurredAt: '2026-11-20T15:05:00Z',
    },
  });
  const signed = (raw: string, options: { key?: string; at?: Date } = {}) => ({
    [SANDBOX_SIGNATURE_HEADER]: signSandboxWebhook(raw, options.key ?? secret, options.at ?? now),
  });
  const secondsBefore = (s: number) => new Date(now.getTime() - s * 1_000);
  const refusal = (fn: () => unknown): ProcessorWebhookRefused => {
    try {
      fn();
    } catch (error) {
      return error as ProcessorWebhookRefused;
    }
    throw new Error('expected a refusal');
  };

  it('signs as real processors do: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> (issue 13)', () => {
    const t = Math.floor(now.getTime() / 1_000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signSandboxWebhook(body, secret, now)).toBe(`t=${t},v1=${v1}`);
  });

  it('reads a correctly signed event as a processor event', () => {
    expect(processor.verifyWebhook(Buffer.from(body), signed(body))).toEqual({
      kind: 'refunded',
      event: {
        processorEventId: 'evt-1',
        paymentId: 'pay-1',
        payableId: 'application-fee:a1',
        amountCents: 9_900,
        occurredAt: '2026-11-20T15:05:00Z',
      },
    });
  });

  it('verifies the raw bytes received: a pretty-printed body signed as sent is read (issue 13)', () => {
    const pretty = `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
    expect(processor.verifyWebhook(Buffer.from(pretty), signed(pretty)).kind).toBe('refunded');
    // The same event compacted is other bytes: that signature does not hold for it.
    expect(refusal(() => processor.verifyWebhook(Buffer.from(body), signed(pretty))).status).toBe(401);
  });

  it('refuses a missing, malformed or wrong signature, or a body changed after signing (401)', () => {
    expect(refusal(() => processor.verifyWebhook(Buffer.from(body), {})).status).toBe(401);
    for (const header of ['v1=00ff', 't=abc,v1=00ff', `t=${Math.floor(now.getTime() / 1_000)}`, 'garbage'])
      expect(
        refusal(() => processor.verifyWebhook(Buffer.from(body), { [SANDBOX_SIGNATURE_HEADER]: header })).message,
      ).toMatch(/t=<unix seconds>,v1=/);
    expect(refusal(() => processor.verifyWebhook(Buffer.from(body), signed(body, { key: 'other' }))).status).toBe(401);
    expect(refusal(() => processor.verifyWebhook(Buffer.from(body.replace('9900', '1')), signed(body))).status).toBe(
      401,
    );
  });

  it('refuses a signature whose timestamp was changed: the timestamp is signed with the body (401)', () => {
    const header = signSandboxWebhook(body, secret, secondsBefore(3_600));
    const moved = header.replace(/^t=\d+/, `t=${Math.floor(now.getTime() / 1_000)}`);
    expect(
      refusal(() => processor.verifyWebhook(Buffer.from(body), { [SANDBOX_SIGNATURE_HEADER]: moved })).status,
    ).toBe(401);
  });

  it('accepts one matching v1 among several (a secret being rotated)', () => {
    const good = signSandboxWebhook(body, secret, now);
    const other = signSandboxWebhook(body, 'old-secret', now).split(',')[1];
    expect(processor.verifyWebhook(Buffer.from(body), { [SANDBOX_SIGNATURE_HEADER]: `${good},${other}` }).kind).toBe(
      'refunded',
    );
    expect(
      processor.verifyWebhook(Buffer.from(body), {
        [SANDBOX_SIGNATURE_HEADER]: `${good.split(',')[0]},${other},${good.split(',')[1]}`,
      }).kind,
    ).toBe('refunded');
  });

  it('refuses a signed request older or newer than the tolerance, by the injected clock: a replay (401, issue 13)', () => {
    expect(processor.verifyWebhook(Buffer.from(body), signed(body, { at: secondsBefore(300) })).kind).toBe('refunded');
    expect(processor.verifyWebhook(Buffer.from(body), signed(body, { at: secondsBefore(-300) })).kind).toBe('refunded');
    const stale = refusal(() => processor.verifyWebhook(Buffer.from(body), signed(body, { at: secondsBefore(301) })));
    expect(stale.status).toBe(401);
    expect(stale.message).toMatch(/signed 301 s before .*tolerance is 300 s/);
    expect(
      refusal(() => processor.verifyWebhook(Buffer.from(body), signed(body, { at: secondsBefore(-301) }))).message,
    ).toMatch(/signed 301 s after/);

    // The tolerance is policy, and time is the service's clock, not the machine's.
    const strict = new SandboxPaymentProcessor({ secret, toleranceSeconds: 60 }, clock);
    expect(refusal(() => strict.verifyWebhook(Buffer.from(body), signed(body, { at: secondsBefore(61) }))).status).toBe(
      401,
    );
    const later = new FixedClock(new Date(now.getTime() + 3_600_000));
    const afterAnHour = new SandboxPaymentProcessor({ secret, toleranceSeconds: 300 }, later);
    expect(refusal(() => afterAnHour.verifyWebhook(Buffer.from(body), signed(body))).status).toBe(401);
  });

  it('issue 13: reads a signed Recertify for Life purchase as a membership fact of the processor', () => {
    const purchase = JSON.stringify({
      id: 'evt-m1',
      type: 'recertify-for-life.purchased',
      data: {
        membershipId: 'R4L-1',
        trainerId: 'T-1',
        paymentId: 'pay-m1',
        amountCents: 49_900,
        occurredAt: '2026-11-20T15:04:00Z',
      },
    });
    expect(processor.verifyWebhook(Buffer.from(purchase), signed(purchase))).toEqual({
      kind: 'membership-purchased',
      membership: {
        processorEventId: 'evt-m1',
        membershipId: 'R4L-1',
        trainerId: 'T-1',
        paymentId: 'pay-m1',
        amountCents: 49_900,
        purchasedAt: '2026-11-20T15:04:00Z',
      },
    });
    const noTrainer = purchase.replace('"trainerId":"T-1",', '');
    expect(refusal(() => processor.verifyWebhook(Buffer.from(noTrainer), signed(noTrainer))).message).toMatch(
      /data\.trainerId/,
    );
  });

  it('names the field of a signed body that breaks the schema (400)', () => {
    const bad = body.replace('"amountCents":9900', '"amountCents":99.5');
    const error = refusal(() => processor.verifyWebhook(Buffer.from(bad), signed(bad)));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/data\.amountCents/);
    expect(refusal(() => processor.verifyWebhook(Buffer.from('{'), signed('{'))).message).toMatch(/not JSON/);
    expect(refusal(() => processor.verifyWebhook(undefined, {})).status).toBe(400);
  });

  it('refuses everything while no secret is configured (503)', () => {
    const unconfigured = new SandboxPaymentProcessor({ secret: undefined, toleranceSeconds: 300 }, clock);
    expect(refusal(() => unconfigured.verifyWebhook(Buffer.from(body), signed(body))).status).toBe(503);
  });

  it('gives a checkout keyed by the payable id, so a retried checkout charges once', () => {
    expect(processor.checkoutFor({ payableId: 'petition-fee:p1', amountCents: 2_500 })).toEqual({
      processor: 'sandbox',
      url: 'sandbox://checkout/petition-fee%3Ap1?amountCents=2500',
      idempotencyKey: 'petition-fee:p1',
    });
  });
});

describe('the webhook settings (PAYMENTS_WEBHOOK_SECRET, PAYMENTS_WEBHOOK_TOLERANCE_SECONDS)', () => {
  it('issue 13: the tolerance is policy: 300 s unless configured, a bad value named at start-up', () => {
    expect(webhookSettingsFromEnv({ PAYMENTS_WEBHOOK_SECRET: 's' })).toEqual({ secret: 's', toleranceSeconds: 300 });
    expect(webhookSettingsFromEnv({ PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: '60' })).toEqual({
      secret: undefined,
      toleranceSeconds: 60,
    });
    for (const bad of ['0', '1.5', 'soon', '86400'])
      expect(() => webhookSettingsFromEnv({ PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: bad })).toThrow(
        /PAYMENTS_WEBHOOK_TOLERANCE_SECONDS/,
      );
  });
});
