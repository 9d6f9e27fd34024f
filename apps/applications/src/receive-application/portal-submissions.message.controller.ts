import { Controller, OnModuleInit } from '@nestjs/common';
import { PayloadOf, RecertificationApplicationSubmitted, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { ReceiveApplicationHandler } from './receive-application.handler';

/**
 * Applications trainers submit through the student portal, in either version of the contract: a
 * v1 submission's `recertifyForLife` is ignored (membership is payments' fact, issue 13).
 */
@Controller()
export class PortalSubmissionsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly receiveApplication: ReceiveApplicationHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.portalSubmissions.name, {
      [RecertificationApplicationSubmitted.type]: async (envelope, scope) => {
        const s = envelope.payload as PayloadOf<typeof RecertificationApplicationSubmitted>;
        await this.receiveApplication.execute(scope, {
          applicationId: s.applicationId,
          trainerId: s.trainerId,
          credentialId: s.credentialId,
          submittedAt: new Date(s.submittedAt),
        });
      },
    });
  }
}
