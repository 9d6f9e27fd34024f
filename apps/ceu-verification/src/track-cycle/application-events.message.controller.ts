import { Controller, OnModuleInit } from '@nestjs/common';
import { ApplicationDecided, ApplicationReceived, CycleStarted, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { TrainerRecordsRepository } from '../database/trainer-records.repository';
import { CeuLedger } from '../ledger/ceu-ledger';
import { LedgerAtReceiptHandler } from '../take-ledger-at-receipt/ledger-at-receipt.handler';

/**
 * From the applications service: each credential's cycles (a ledger per cycle, R1, R4), the
 * receipt of an application (its ledger as it stood then), and approvals, whose credits are
 * used once (R4: they never count toward another cycle of the credential).
 */
@Controller()
export class ApplicationEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
    private readonly atReceipt: LedgerAtReceiptHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.applicationEvents.name, {
      [CycleStarted.type]: async (envelope, scope) => {
        const c = envelope.payload as PayloadOf<typeof CycleStarted>;
        await this.ledger.lock(scope, c.trainerId);
        await new TrainerRecordsRepository(scope.manager).recordCycle(c.trainerId, c.credentialId, c);
        await this.ledger.recompute(scope, c.trainerId);
      },
      [ApplicationReceived.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationReceived>;
        await this.atReceipt.received(scope, a);
      },
      [ApplicationDecided.type]: async (envelope, scope) => {
        const d = envelope.payload as PayloadOf<typeof ApplicationDecided>;
        if (d.outcome !== 'approved') return;
        await this.ledger.lock(scope, d.trainerId);
        await new TrainerRecordsRepository(scope.manager).recordConsumed(
          d.credentialId,
          d.cycleExpiresOn,
          d.applicationId,
          d.consumedCreditIds,
        );
        await this.ledger.recompute(scope, d.trainerId);
      },
    });
  }
}
