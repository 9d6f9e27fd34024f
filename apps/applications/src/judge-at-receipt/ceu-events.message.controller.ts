import { Controller, OnModuleInit } from '@nestjs/common';
import { LedgerAtReceipt, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { JudgeAtReceiptHandler } from './judge-at-receipt.handler';

/** The CEU ledger as it stood at an application's receipt: the application is judged on it (R2–R7). */
@Controller()
export class CeuEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly judgeAtReceipt: JudgeAtReceiptHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.ceuEvents.name, {
      [LedgerAtReceipt.type]: async (envelope, scope) => {
        await this.judgeAtReceipt.ledgerArrived(scope, envelope.payload as PayloadOf<typeof LedgerAtReceipt>);
      },
    });
  }
}
