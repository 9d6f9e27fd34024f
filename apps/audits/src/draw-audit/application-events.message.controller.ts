import { Controller, OnModuleInit } from '@nestjs/common';
import { ApplicationSubmitted, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { DrawAuditHandler } from './draw-audit.handler';

/** R11: every submitted application enters the audit draw. */
@Controller()
export class ApplicationEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly drawAudit: DrawAuditHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.applicationEvents.name, {
      [ApplicationSubmitted.type]: (envelope, scope) =>
        this.drawAudit.execute(scope, envelope.payload as PayloadOf<typeof ApplicationSubmitted>),
    });
  }
}
