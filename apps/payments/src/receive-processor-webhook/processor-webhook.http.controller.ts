import { Controller, Headers, HttpCode, HttpException, Inject, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { UnitOfWork } from '@recert/messaging';
import { PayableLedger } from '../settle-payment/payable-ledger';
import { PAYMENT_PROCESSOR, PaymentProcessor, ProcessorWebhookRefused } from './payment-processor.port';
import { PublicRoute } from '@recert/platform';

/**
 * The processor's webhook: the same processor events as the Kafka topic, settled through the same
 * ledger, once per processor event id whichever path (or both) delivers it.
 */
@ApiTags('payments')
@Controller('payments')
export class ProcessorWebhookHttpController {
  constructor(
    @Inject(PAYMENT_PROCESSOR) private readonly processor: PaymentProcessor,
    private readonly unitOfWork: UnitOfWork,
    private readonly payables: PayableLedger,
  ) {}

  // The processor proves itself by signing the body (verified below), not with a bearer token.
  @Post('processor-webhook')
  @PublicRoute()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The payment processor reports a payment succeeded, failed or was refunded. Signed; idempotent on the event id; one settlement per payable item (R6, R10).',
  })
  @ApiHeader({ name: 'x-sandbox-signature', description: 'v1=<hex HMAC-SHA256 of the raw body>', required: true })
  async receive(@Req() request: RawBodyRequest<Request>, @Headers() headers: Record<string, string | undefined>) {
    let verified;
    try {
      verified = this.processor.verifyWebhook(request.rawBody, headers);
    } catch (error) {
      if (error instanceof ProcessorWebhookRefused)
        throw new HttpException({ statusCode: error.status, message: error.message }, error.status);
      throw error;
    }
    const { kind, event } = verified;
    const outcome = await this.unitOfWork.run((scope) => this.payables.recordProcessorEvent(scope, kind, event));
    return { processorEventId: event.processorEventId, kind, outcome: outcome ?? 'already-received' };
  }
}
