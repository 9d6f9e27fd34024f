import { Controller, OnModuleInit } from '@nestjs/common';
import { CprAedCardIssued, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { CeuLedger } from '../ledger/ceu-ledger';

/** CPR/AED cards from their providers (R7). */
@Controller()
export class CprAedCardsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.cprAedCards.name, {
      [CprAedCardIssued.type]: async (envelope, scope) => {
        const c = envelope.payload as PayloadOf<typeof CprAedCardIssued>;
        await scope.manager.query(
          `INSERT INTO cpr_aed_cards (card_id, trainer_id, issued_on, expires_on, includes_adult_cpr, includes_aed, hands_on_assessment)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (card_id) DO NOTHING`,
          [
            c.cardId,
            c.trainerId,
            c.issuedOn,
            c.expiresOn,
            c.includesAdultCpr,
            c.includesAed,
            c.handsOnSkillsAssessment,
          ],
        );
        await this.ledger.recompute(scope, c.trainerId);
      },
    });
  }
}
