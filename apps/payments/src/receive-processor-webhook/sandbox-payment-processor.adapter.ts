import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Clock } from '@recert/clock';
import { Cents, ExternalId, TrainerId } from '@recert/contracts';
import { PaymentProcessor, ProcessorWebhookRefused, VerifiedProcessorEvent } from './payment-processor.port';

/**
 * The sandbox processor's webhook body: its own event id, what happened, and to which item (a
 * payment) or trainer (a Recertify for Life membership bought).
 */
export const SandboxWebhookBody = z.discriminatedUnion('type', [
  z.strictObject({
    id: ExternalId,
    type: z.enum(['payment.succeeded', 'payment.failed', 'payment.refunded']),
    data: z.strictObject({
      paymentId: ExternalId,
      payableId: z.string().min(1).max(200),
      amountCents: Cents,
      occurredAt: z.iso.datetime({ offset: true }),
    }),
  }),
  z.strictObject({
    id: ExternalId,
    type: z.literal('recertify-for-life.purchased'),
    data: z.strictObject({
      membershipId: ExternalId,
      trainerId: TrainerId,
      paymentId: ExternalId,
      amountCents: Cents,
      occurredAt: z.iso.datetime({ offset: true }),
    }),
  }),
]);
export type SandboxWebhookBody = z.infer<typeof SandboxWebhookBody>;

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

/** What the header must look like, for the refusal that says so. */
const SIGNATURE_FORMAT = 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">';

/**
 * The header as real processors send it (Stripe's scheme): the signing time, and the hex
 * HMAC-SHA256 under the shared secret of that time, a dot and the raw body. The time is signed with
 * the body, so a captured request cannot be replayed later under a new time.
 */
export function signSandboxWebhook(rawBody: string | Buffer, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1_000);
  return `t=${t},v1=${hmac(secret, t, rawBody)}`;
}

function hmac(secret: string, t: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}

/** `t=…,v1=…[,v1=…]`: one time, one or more signatures (several while a secret is rotated). */
function parseSignatureHeader(header: string | string[] | undefined): { t: number; v1: string[] } | null {
  if (typeof header !== 'string') return null;
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) return null;
    if (key === 't' && /^\d{1,12}$/.test(value) && t === null) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) v1.push(value);
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/** Where the sandbox processor's webhook takes its trust from: the shared secret, and how old a signature may be. */
export interface SandboxWebhookSettings {
  /** PAYMENTS_WEBHOOK_SECRET; without it every webhook call is refused (503). */
  readonly secret: string | undefined;
  /** PAYMENTS_WEBHOOK_TOLERANCE_SECONDS (policy, 300 by default): older or newer signatures are refused. */
  readonly toleranceSeconds: number;
}

/**
 * A local stand-in for the payment processor: checkout links that name the item, and a webhook
 * signed like a real processor's (a timestamped HMAC over the raw body with a shared secret, see
 * `signSandboxWebhook`). Tests and demos drive it by posting signed events, or by publishing them
 * to Kafka as the processor.
 */
export class SandboxPaymentProcessor implements PaymentProcessor {
  readonly name = 'sandbox';

  constructor(
    private readonly settings: SandboxWebhookSettings,
    private readonly clock: Clock,
  ) {}

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
    const secret = this.settings.secret;
    if (!secret)
      throw new ProcessorWebhookRefused(503, 'the processor webhook is not configured (PAYMENTS_WEBHOOK_SECRET)');
    if (!rawBody || rawBody.length === 0) throw new ProcessorWebhookRefused(400, 'the webhook body is empty');
    const header = parseSignatureHeader(headers[SANDBOX_SIGNATURE_HEADER]);
    if (!header)
      throw new ProcessorWebhookRefused(401, `the ${SANDBOX_SIGNATURE_HEADER} header must be ${SIGNATURE_FORMAT}`);
    // Compared in constant time, digest against digest (both 32 bytes): the timing tells nothing.
    const expected = Buffer.from(hmac(secret, header.t, rawBody), 'hex');
    if (!header.v1.some((given) => timingSafeEqual(Buffer.from(given, 'hex'), expected)))
      throw new ProcessorWebhookRefused(401, `the ${SANDBOX_SIGNATURE_HEADER} header does not match the body`);
    // A genuine request replayed later is refused here; one replayed within the tolerance carries a
    // processor event id already recorded, so it changes nothing (the ledger answers 'already-received').
    const now = this.clock.now();
    const skew = Math.round(now.getTime() / 1_000 - header.t);
    if (Math.abs(skew) > this.settings.toleranceSeconds)
      throw new ProcessorWebhookRefused(
        401,
        `the ${SANDBOX_SIGNATURE_HEADER} header was signed ${Math.abs(skew)} s ${skew > 0 ? 'before' : 'after'} ` +
          `${now.toISOString()}; the tolerance is ${this.settings.toleranceSeconds} s`,
      );
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
    const body = parsed.data;
    if (body.type === 'recertify-for-life.purchased') {
      const { occurredAt, ...membership } = body.data;
      return {
        kind: 'membership-purchased',
        membership: { processorEventId: body.id, ...membership, purchasedAt: occurredAt },
      };
    }
    return {
      kind: body.type === 'payment.succeeded' ? 'succeeded' : body.type === 'payment.failed' ? 'failed' : 'refunded',
      event: { processorEventId: body.id, ...body.data },
    };
  }
}
