import { Controller, OnModuleInit } from '@nestjs/common';
import { PayloadOf, PetitionApproved, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { CeuLedger } from '../ledger/ceu-ledger';

/** R6: an approved petition's CEUs count like a pre-approved course. */
@Controller()
export class PetitionEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.petitionEvents.name, {
      [PetitionApproved.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PetitionApproved> & {
          completionId?: string | null;
          courseTitle?: string;
        };
        // What the petition was for, so one course counts once (R4, R6).
        await scope.manager.query(
          `INSERT INTO petition_credits (petition_id, trainer_id, ceu_hundredths, completed_on, completion_id, course_title)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (petition_id) DO NOTHING`,
          [p.petitionId, p.trainerId, p.ceuHundredths, p.completedOn, p.completionId ?? null, p.courseTitle ?? null],
        );
        await this.ledger.recompute(scope, p.trainerId);
      },
    });
  }
}
