import { ProcessorWebhookRefused } from './payment-processor.port';
import {
  SANDBOX_SIGNATURE_HEADER,
  SandboxPaymentProcessor,
  signSandboxWebhook,
} from './sandbox-payment-processor.adapter';

describe('SandboxPaymentProcessor', () => {
  const secret = 'test-secret-0123456789';
  const processor = new SandboxPaymentProcessor(secret);
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
  const signed = (raw: string, key = secret) => ({ [SANDBOX_SIGNATURE_HEADER]: signSandboxWebhook(raw, key) });
  const refusal = (fn: () => unknown): ProcessorWebhookRefused => {
    try {
      fn();
    } catch (error) {
      return error as ProcessorWebhookRefused;
    }
    throw new Error('expected a refusal');
  };

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

  it('refuses a missing or wrong signature, or a body changed after signing (401)', () => {
    expect(refusal(() => processor.verifyWebhook(Buffer.from(body), {})).status).toBe(401);
    expect(refusal(() => processor.verifyWebhook(Buffer.from(body), signed(body, 'other-secret'))).status).toBe(401);
    expect(refusal(() => processor.verifyWebhook(Buffer.from(body.replace('9900', '1')), signed(body))).status).toBe(
      401,
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
    expect(
      refusal(() => new SandboxPaymentProcessor(undefined).verifyWebhook(Buffer.from(body), signed(body))).status,
    ).toBe(503);
  });

  it('gives a checkout keyed by the payable id, so a retried checkout charges once', () => {
    expect(processor.checkoutFor({ payableId: 'petition-fee:p1', amountCents: 2_500 })).toEqual({
      processor: 'sandbox',
      url: 'sandbox://checkout/petition-fee%3Ap1?amountCents=2500',
      idempotencyKey: 'petition-fee:p1',
    });
  });
});
