import { randomUUID } from 'node:crypto';
import { FixedClock } from '@recert/clock';
import { UnitOfWork } from '@recert/messaging';
import { createPolicy } from '@recert/rules';
import { createTestDatabase, TestDatabase } from '@recert/testing';
import { migrations } from '../database/migrations';
import { DecidePetitionHandler } from '../decide-petition/decide-petition.handler';
import { OpenPetitionHandler } from '../open-petition/open-petition.handler';
import { RecordPetitionFeeHandler } from '../record-petition-fee/record-petition-fee.handler';
import { WithdrawPetitionHandler } from '../withdraw-petition/withdraw-petition.handler';

export const NOW = '2027-03-01T10:00:00.000Z';
export const REVIEWER = { name: 'rita', roles: ['reviewer'] } as const;

/** The petitions use cases on a migrated schema of the real PostgreSQL, wired as the module wires them. */
export async function petitionsTestKit(prefix: string) {
  const db: TestDatabase = await createTestDatabase({ prefix, migrations });
  const clock = new FixedClock(new Date(NOW));
  const unitOfWork = new UnitOfWork(db.dataSource, clock, 'petitions');
  const opening = new OpenPetitionHandler(createPolicy());
  const withdrawing = new WithdrawPetitionHandler(clock);
  const fees = new RecordPetitionFeeHandler();
  const decide = new DecidePetitionHandler(unitOfWork, clock);

  /** A petition submitted by T-1, completed on 2027-01-15, for `contactHours`. */
  async function submitted(contactHours: string, completionId?: string): Promise<string> {
    const petitionId = randomUUID();
    await unitOfWork.run((scope) =>
      opening.handle(
        scope,
        {
          petitionId,
          trainerId: 'T-1',
          courseTitle: 'Kettlebell workshop',
          providerName: 'Local Gym Academy',
          completedOn: '2027-01-15',
          contactHours,
          certificateRef: `s3://p/${petitionId}.pdf`,
          ...(completionId ? { completionId } : {}),
        },
        NOW,
      ),
    );
    return petitionId;
  }

  async function feePaid(petitionId: string): Promise<void> {
    await unitOfWork.run((scope) =>
      fees.handle(scope, {
        payableId: `petition-fee:${petitionId}`,
        purpose: 'petition-fee',
        referenceId: petitionId,
        trainerId: 'T-1',
        amountCents: 2_500,
        paymentId: `pay-${petitionId}`,
      }),
    );
  }

  async function underReview(contactHours: string, completionId?: string): Promise<string> {
    const petitionId = await submitted(contactHours, completionId);
    await feePaid(petitionId);
    const reviewed = await decide.review(petitionId, REVIEWER, null);
    if (!reviewed.ok) throw new Error(reviewed.message);
    return petitionId;
  }

  return {
    db,
    decide,
    submitted,
    feePaid,
    underReview,
    withdraw: (petitionId: string, trainerId = 'T-1', reason?: string) =>
      unitOfWork.run((scope) =>
        withdrawing.handle(scope, { petitionId, trainerId, withdrawnAt: NOW, ...(reason ? { reason } : {}) }),
      ),
    published: (type: string, petitionId: string): Promise<{ payload: Record<string, unknown> }[]> =>
      db.dataSource.query(
        `SELECT envelope->'payload' AS payload FROM outbox
         WHERE event_type = $1 AND envelope->'payload'->>'petitionId' = $2 ORDER BY id`,
        [type, petitionId],
      ),
    state: async (petitionId: string) =>
      (await db.dataSource.query(`SELECT state FROM petitions WHERE petition_id = $1`, [petitionId]))[0].state,
  };
}
