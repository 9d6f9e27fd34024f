import { Controller, OnModuleInit } from '@nestjs/common';
import { ApprovedCourseRegistered, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { CeuLedger } from '../ledger/ceu-ledger';

/**
 * The approved-provider registry (R5), kept from upstream updates. A course approved after
 * trainers reported completing it changes their ledgers, so those are recomputed.
 */
@Controller()
export class ProviderRegistryMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.providerRegistry.name, {
      [ApprovedCourseRegistered.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApprovedCourseRegistered>;
        await scope.manager.query(
          `INSERT INTO approved_courses (provider_id, course_id, approved_from, approved_until, ceu_hundredths, title, nasm_own)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (provider_id, course_id, approved_from)
           DO UPDATE SET approved_until = $4, ceu_hundredths = $5, title = $6, nasm_own = $7`,
          [a.providerId, a.courseId, a.approvedFrom, a.approvedUntil, a.ceuHundredths, a.title, a.nasmOwn],
        );
        const trainers: { trainer_id: string }[] = await scope.manager.query(
          `SELECT DISTINCT trainer_id FROM completions WHERE provider_id = $1 AND course_id = $2 ORDER BY trainer_id`,
          [a.providerId, a.courseId],
        );
        for (const { trainer_id } of trainers) await this.ledger.recompute(scope, trainer_id);
      },
    });
  }
}
