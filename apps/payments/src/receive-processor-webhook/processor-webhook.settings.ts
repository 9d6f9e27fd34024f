import { z } from 'zod';
import { InvalidConfiguration } from '@recert/platform';
import { SandboxWebhookSettings } from './sandbox-payment-processor.adapter';

/** Processors sign with a time and refuse what is older than five minutes; so does payments by default. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const WebhookEnv = z.object({
  PAYMENTS_WEBHOOK_SECRET: z.string().optional(),
  PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3_600)
    .default(DEFAULT_WEBHOOK_TOLERANCE_SECONDS),
});

/** The webhook's secret and tolerance from the environment; a bad value stops the service, naming the variable. */
export function webhookSettingsFromEnv(env: Record<string, string | undefined>): SandboxWebhookSettings {
  const parsed = WebhookEnv.safeParse(env);
  if (!parsed.success)
    throw new InvalidConfiguration(
      `Invalid environment for payments: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return {
    // Empty is unset: every webhook call is then refused (503).
    secret: parsed.data.PAYMENTS_WEBHOOK_SECRET || undefined,
    toleranceSeconds: parsed.data.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS,
  };
}
