import { Controller, OnModuleInit } from '@nestjs/common';
import {
  ApplicationDecided,
  ApplicationReceived,
  ApplicationRefused,
  ApplicationSubmitted,
  PayloadOf,
  PetitionClosed,
  PetitionOpened,
  Topics,
} from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { MembershipAtReceiptHandler } from '../answer-membership-at-receipt/membership-at-receipt.handler';
import { ClosePayableHandler } from '../close-payable/close-payable.handler';
import { OpenPayableHandler } from './open-payable.handler';

/**
 * What applications and petitions say about fees: an application was received (its fee is fixed
 * on the Recertify for Life membership the trainer held then, which payments answers with, R10),
 * one becomes owed (an application's recertification fee, R10; a petition's fee, R6), or what it
 * pays for ended (an application refused or denied; a petition withdrawn or denied) and its open
 * item closes.
 */
@Controller()
export class FeeRequestsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly opening: OpenPayableHandler,
    private readonly closing: ClosePayableHandler,
    private readonly membershipAtReceipt: MembershipAtReceiptHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.applicationEvents.name, {
      [ApplicationReceived.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationReceived>;
        await this.membershipAtReceipt.received(scope, {
          applicationId: a.applicationId,
          trainerId: a.trainerId,
          receivedAt: a.receivedAt,
        });
      },
      [ApplicationSubmitted.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationSubmitted>;
        // Nothing is owed by a Recertify for Life member (R10).
        if (a.fee.totalCents > 0)
          await this.opening.open(scope, 'application-fee', a.applicationId, a.trainerId, a.fee.totalCents);
      },
      [ApplicationRefused.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationRefused>;
        await this.closing.handle(scope, 'application-fee', a.applicationId, 'application refused');
      },
      [ApplicationDecided.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationDecided>;
        if (a.outcome === 'denied')
          await this.closing.handle(scope, 'application-fee', a.applicationId, 'application denied');
      },
    });
    this.consumer.handle(Topics.petitionEvents.name, {
      [PetitionOpened.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PetitionOpened>;
        await this.opening.open(scope, 'petition-fee', p.petitionId, p.trainerId, p.feeCents);
      },
      [PetitionClosed.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PetitionClosed>;
        await this.closing.handle(scope, 'petition-fee', p.petitionId, `petition ${p.outcome}`);
      },
    });
  }
}
