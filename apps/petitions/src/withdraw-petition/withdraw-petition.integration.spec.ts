import { ceuHundredths } from '@recert/rules';
import { NOW, petitionsTestKit, REVIEWER } from '../testing/petitions-test-kit';

/** R6: withdrawing is the trainer's act, through the portal (real PostgreSQL). */
describe('Withdrawing petitions (real PostgreSQL)', () => {
  let kit: Awaited<ReturnType<typeof petitionsTestKit>>;

  beforeAll(async () => {
    kit = await petitionsTestKit('it_withdraw_petition');
  });

  afterAll(async () => {
    await kit?.db.drop();
  });

  it('R6: the trainer withdraws a submitted petition: withdrawn, recorded as theirs, PetitionClosed published', async () => {
    const petitionId = await kit.submitted('2');
    expect(await kit.withdraw(petitionId, 'T-1', 'took another course')).toBe('withdrawn');
    expect(await kit.state(petitionId)).toBe('withdrawn');
    expect(await kit.published('PetitionClosed', petitionId)).toEqual([
      {
        payload: { petitionId, trainerId: 'T-1', outcome: 'withdrawn', reason: 'took another course', closedAt: NOW },
      },
    ]);
    const rows = await kit.db.dataSource.query(
      `SELECT action, actor_name, actor_roles FROM petition_actions WHERE petition_id = $1`,
      [petitionId],
    );
    expect(rows).toEqual([{ action: 'withdraw', actor_name: 'T-1', actor_roles: ['trainer'] }]);
  });

  it('R6: another trainer cannot withdraw it; a decided petition cannot be withdrawn', async () => {
    const petitionId = await kit.submitted('2');
    expect(await kit.withdraw(petitionId, 'T-OTHER')).toBe('ignored: no such petition of this trainer');
    expect(await kit.state(petitionId)).toBe('submitted');

    const approved = await kit.underReview('2');
    await kit.decide.approve(approved, REVIEWER, ceuHundredths(20), 'ok');
    expect(await kit.withdraw(approved)).toBe('ignored: R6: a approved petition cannot be withdrawn');
    expect(await kit.published('PetitionClosed', approved)).toEqual([]);
  });

  it('R6: a fee arriving after the withdrawal does not reopen the petition', async () => {
    const petitionId = await kit.submitted('2');
    await kit.withdraw(petitionId);
    await kit.feePaid(petitionId);
    expect(await kit.state(petitionId)).toBe('withdrawn');
  });
});
