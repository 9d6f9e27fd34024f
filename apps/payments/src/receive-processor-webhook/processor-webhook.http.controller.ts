import { Controller, Headers, HttpCode, HttpException, Inject, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { UnitOfWork } from '@recert/messaging';
import { RecordMembershipHandler } from '../record-membership/record-membership.handler';
import { PayableLedger } from '../settle-payment/payable-ledger';
import { PAYMENT_PROCESSOR, PaymentProcessor, ProcessorWebhookRefused } from './payment-processor.port';
import { PublicRoute } from '@recert/platform';
import { SANDBOX_SIGNATURE_HEADER } from './sandbox-payment-processor.adapter';

/**
 * The processor's webhook: the same processor events as the Kafka topic, settled through the same
 * ledger (or recorded as a membership), once per processor event id whichever path (or both)
 * delivers it.
 */
@ApiTags('payments')
@Controller('payments')
export class ProcessorWebhookHttpController {
  constructor(
    @Inject(PAYMENT_PROCESSOR) private readonly processor: PaymentProcessor,
    private readonly unitOfWork: UnitOfWork,
    private readonly payables: PayableLedger,
    private readonly memberships: RecordMembershipHandler,
  ) {}

  // The processor proves itself by signing the body (verified below), not with a bearer token.
  @Post('processor-webhook')
  @PublicRoute()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The payment processor reports a payment succeeded, failed or was refunded, or a Recertify for Life membership bought (issue 13). Signed; idempotent on the event id; one settlement per payable item (R6, R10).',
  })
  @ApiHeader({
    name: SANDBOX_SIGNATURE_HEADER,
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` under PAYMENTS_WEBHOOK_SECRET, computed over ' +
      'the exact bytes sent (several v1 allowed while a secret is rotated). A signature older or newer than ' +
      'PAYMENTS_WEBHOOK_TOLERANCE_SECONDS (300 by default) by the service clock is refused: a replay.',
    required: true,
  })
  @ApiResponse({
    status: 200,
    description:
      '`{ processorEventId, kind, outcome }`; a repeat of an event already received (a retry, or a replay within the tolerance) answers `already-received` and changes nothing.',
  })
  @ApiResponse({
    status: 400,
    description: 'Signed, but the body is empty, not JSON, or breaks the schema (named by field).',
  })
  @ApiResponse({
    status: 401,
    description: 'Signature missing, malformed, not matching the body, or outside the tolerance.',
  })
  @ApiResponse({ status: 503, description: 'No webhook secret is configured.' })
  async receive(@Req() request: RawBodyRequest<Request>, @Headers() headers: Record<string, string | undefined>) {
    let verified;
    try {
      verified = this.processor.verifyWebhook(request.rawBody, headers);
    } catch (error) {
      if (error instanceof ProcessorWebhookRefused)
        throw new HttpException({ statusCode: error.status, message: error.message }, error.status);
      throw error;
    }
    if (verified.kind === 'membership-purchased') {
      const { membership } = verified;
      const outcome = await this.unitOfWork.run((scope) => this.memberships.record(scope, membership));
      return {
        processorEventId: membership.processorEventId,
        kind: verified.kind,
        outcome: outcome ?? 'already-received',
      };
    }
    const { kind, event } = verified;
    const outcome = await this.unitOfWork.run((scope) => this.payables.recordProcessorEvent(scope, kind, event));
    return { processorEventId: event.processorEventId, kind, outcome: outcome ?? 'already-received' };
  }
}
