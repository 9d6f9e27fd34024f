import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { CoursePetitionSubmitted, PayloadOf, PetitionOpened, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { petitionFee, RecertPolicy } from '@recert/rules';

/** R6: a petition for a course that is not pre-approved opens, and its fee becomes due. */
@Controller()
export class PortalSubmissionsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  @EventPattern(Topics.portalSubmissions.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [CoursePetitionSubmitted.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof CoursePetitionSubmitted>;
        const fee = petitionFee(this.policy);
        const inserted = await scope.manager.query(
          `INSERT INTO petitions (petition_id, trainer_id, course_title, provider_name, completed_on, contact_hours,
                                  certificate_ref, fee_cents, state, submitted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9) ON CONFLICT DO NOTHING RETURNING 1`,
          [
            p.petitionId,
            p.trainerId,
            p.courseTitle,
            p.providerName,
            p.completedOn,
            p.contactHours,
            p.certificateRef,
            fee,
            envelope.occurredAt,
          ],
        );
        if (inserted.length === 0) return;
        scope.publish(PetitionOpened, { petitionId: p.petitionId, trainerId: p.trainerId, feeCents: fee });
      },
    });
  }
}
