import { Controller, OnModuleInit } from '@nestjs/common';
import { CourseCompleted, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { CeuLedger } from '../ledger/ceu-ledger';

/** Course completions from the learning platform and providers (R4, R5). */
@Controller()
export class CourseCompletionsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.courseCompletions.name, {
      [CourseCompleted.type]: (envelope, scope) =>
        this.ledger.recordCompletion(scope, envelope.payload as PayloadOf<typeof CourseCompleted>),
    });
  }
}
