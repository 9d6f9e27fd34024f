import { DynamicModule, Module } from '@nestjs/common';
import { Clock, CLOCK } from '@recert/clock';
import { Topics } from '@recert/contracts';
import { KAFKA, MessagingModule, PartitionOffsets, ServiceStartOptions } from '@recert/messaging';
import { Kafka } from 'kafkajs';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';
import {
  MEMBERSHIP_TOPIC,
  MembershipAtReceiptHandler,
} from './answer-membership-at-receipt/membership-at-receipt.handler';
import { ClosePayableHandler } from './close-payable/close-payable.handler';
import { FeeRequestsMessageController } from './open-payable/fee-requests.message.controller';
import { OpenPayableHandler } from './open-payable/open-payable.handler';
import { RecordMembershipHandler } from './record-membership/record-membership.handler';
import { RefundPaymentHandler } from './refund-payment/refund-payment.handler';
import { SettlePaymentHandler } from './settle-payment/settle-payment.handler';
import { PayableLedger } from './settle-payment/payable-ledger';
import { ProcessorEventsRetention } from './settle-payment/processor-events-retention';
import { ProcessorEventsMessageController } from './settle-payment/processor-events.message.controller';
import { PaymentMetrics } from './query-payables/payment-metrics';
import { PayablesHttpController } from './query-payables/payables.http.controller';
import { PAYMENT_PROCESSOR } from './receive-processor-webhook/payment-processor.port';
import { ProcessorWebhookHttpController } from './receive-processor-webhook/processor-webhook.http.controller';
import { webhookSettingsFromEnv } from './receive-processor-webhook/processor-webhook.settings';
import { SandboxPaymentProcessor } from './receive-processor-webhook/sandbox-payment-processor.adapter';

/** Every fee as a payable item, charged once whatever the retries (R6, R10); Recertify for Life memberships. */
@Module({})
export class PaymentsModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    const webhook = webhookSettingsFromEnv({ ...process.env, ...env });
    return {
      module: PaymentsModule,
      imports: [
        PlatformModule.forService({ service: 'payments', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
      ],
      controllers: [
        FeeRequestsMessageController,
        ProcessorEventsMessageController,
        ProcessorWebhookHttpController,
        PayablesHttpController,
      ],
      providers: [
        PayableLedger,
        SettlePaymentHandler,
        RefundPaymentHandler,
        OpenPayableHandler,
        ClosePayableHandler,
        RecordMembershipHandler,
        MembershipAtReceiptHandler,
        { provide: MEMBERSHIP_TOPIC, useValue: Topics.processorEvents.name },
        { provide: PartitionOffsets, inject: [KAFKA], useFactory: (kafka: Kafka) => new PartitionOffsets(kafka) },
        PaymentMetrics,
        ProcessorEventsRetention,
        // The only processor adapter so far; a real one would be chosen here by configuration.
        {
          provide: PAYMENT_PROCESSOR,
          inject: [CLOCK],
          useFactory: (clock: Clock) => new SandboxPaymentProcessor(webhook, clock),
        },
      ],
    };
  }
}

/** How the service starts (its own process, or the one-process host). */
export const PAYMENTS_START_OPTIONS: ServiceStartOptions = {
  consumesEvents: true,
  description: 'Every fee as a payable item, charged once whatever the retries (R6, R10).',
};
