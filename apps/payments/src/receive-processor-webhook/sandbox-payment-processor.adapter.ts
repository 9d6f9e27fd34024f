import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Cents, ExternalId } from '@recert/contracts';
import { PaymentProcessor, ProcessorWebhookRefused, VerifiedProcessorEvent } from './payment-processor.port';

/** The sandbox processor's webhook body: its own event id, what happened, to which item. */
export const SandboxWebhookBody = z.strictObject({
  id: ExternalId,
  type: z.enum(['payment.succeeded', 'payment.failed', 'payment.refunded']),
  data: z.strictObject({
    paymentId: ExternalId,
    payableId: z.string().min(1).max(200),
    amountCents: Cents,
    occurredAt: z.iso.datetime({ offset: true }),
  }),
});
export type SandboxWebhookBody = z.infer<typeof SandboxWebhookBody>;

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

/** `v1=` and the hex HMAC-SHA256 of the raw body under the shared secret. */
export function signSandboxWebhook(rawBody: string | Buffer, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * A local stand-in for the payment processor: checkout links that name the item, and a webhook
 * signed like a real processor's (HMAC over the raw body with a shared secret). Tests, demos and
 * the feeder drive it by posting signed events, or by publishing them to Kafka.
 */
export class SandboxPaymentProcessor implements PaymentProcessor {
  readonly name = 'sandbox';

  /** `secret` is PAYMENTS_WEBHOOK_SECRET; without it every webhook call is refused (503). */
  constructor(private readonly secret: string | undefined) {}

  checkoutFor(payable: { payableId: string; amountCents: number }) {
    const key = encodeURIComponent(payable.payableId);
    return {
      processor: this.name,
      url: `sandbox://checkout/${key}?amountCents=${payable.amountCents}`,
      idempotencyKey: payable.payableId,
    };
  }

  verifyWebhook(
    rawBody: Buffer | undefined,
    headers: Record<string, string | string[] | undefined>,
  ): VerifiedProcessorEvent {
    if (!this.secret)
      throw new ProcessorWebhookRefused(503, 'the processor webhook is not configured (PAYMENTS_WEBHOOK_SECRET)');
    if (!rawBody || rawBody.length === 0) throw new ProcessorWebhookRefused(400, 'the webhook body is empty');
    const given = headers[SANDBOX_SIGNATURE_HEADER];
    const expected = signSandboxWebhook(rawBody, this.secret);
    if (
      typeof given !== 'string' ||
      given.length !== expected.length ||
      !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    )
      throw new ProcessorWebhookRefused(401, `the ${SANDBOX_SIGNATURE_HEADER} header does not match the body`);
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new ProcessorWebhookRefused(400, 'the webhook body is not JSON');
    }
    const parsed = SandboxWebhookBody.safeParse(json);
    if (!parsed.success)
      throw new ProcessorWebhookRefused(
        400,
        parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      );
    const { id, type, data } = parsed.data;
    return {
      kind: type === 'payment.succeeded' ? 'succeeded' : type === 'payment.failed' ? 'failed' : 'refunded',
      event: { processorEventId: id, ...data },
    };
  }
}
