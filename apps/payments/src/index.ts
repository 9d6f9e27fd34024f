// The service's public entry point (`@recert/payments-service`): its root module and how it starts
// (for the end-to-end tests and the one-process host), and the sandbox processor's webhook
// signature, for the end-to-end tests that play the payment processor.
export { PaymentsModule, PAYMENTS_START_OPTIONS } from './payments.module';
export { SandboxWebhookBody, signSandboxWebhook } from './receive-processor-webhook/sandbox-payment-processor.adapter';
