import { Controller, OnModuleInit } from '@nestjs/common';
import { CoursePetitionSubmitted, CoursePetitionWithdrawn, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { WithdrawPetitionHandler } from '../withdraw-petition/withdraw-petition.handler';
import { OpenPetitionHandler } from './open-petition.handler';

/** The student portal: a trainer petitions a course (R6), or withdraws a petition. */
@Controller()
export class PortalSubmissionsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly open: OpenPetitionHandler,
    private readonly withdraw: WithdrawPetitionHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.portalSubmissions.name, {
      [CoursePetitionSubmitted.type]: async (envelope, scope) => {
        await this.open.handle(
          scope,
          envelope.payload as PayloadOf<typeof CoursePetitionSubmitted>,
          envelope.occurredAt,
        );
      },
      [CoursePetitionWithdrawn.type]: async (envelope, scope) => {
        await this.withdraw.handle(scope, envelope.payload as PayloadOf<typeof CoursePetitionWithdrawn>);
      },
    });
  }
}
