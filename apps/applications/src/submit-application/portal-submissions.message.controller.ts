import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { PayloadOf, RecertificationApplicationSubmitted, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { SubmitApplicationHandler } from './submit-application.handler';

/** Applications trainers submit through the student portal. */
@Controller()
export class PortalSubmissionsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly submitApplication: SubmitApplicationHandler,
  ) {}

  @EventPattern(Topics.portalSubmissions.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [RecertificationApplicationSubmitted.type]: async (envelope, scope) => {
        const s = envelope.payload as PayloadOf<typeof RecertificationApplicationSubmitted>;
        await this.submitApplication.execute(scope, {
          applicationId: s.applicationId,
          trainerId: s.trainerId,
          submittedAt: new Date(s.submittedAt),
          recertifyForLife: s.recertifyForLife,
        });
      },
    });
  }
}
