import { Controller, OnModuleInit } from '@nestjs/common';
import { ApprovedCourseRegistered, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RegisterApprovedCourseHandler } from './register-approved-course.handler';

/** The approved-provider registry's updates (R5). */
@Controller()
export class ProviderRegistryMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly registry: RegisterApprovedCourseHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.providerRegistry.name, {
      [ApprovedCourseRegistered.type]: (envelope, scope) =>
        this.registry.register(scope, envelope.payload as PayloadOf<typeof ApprovedCourseRegistered>),
    });
  }
}
