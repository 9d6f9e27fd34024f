import { ceuHundredths } from '@recert/rules';
import { NOW, petitionsTestKit, REVIEWER } from '../testing/petitions-test-kit';

/** Staff decide petitions (R3, R6); each act records who, when and why (real PostgreSQL). */
describe('Deciding petitions (real PostgreSQL)', () => {
  let kit: Awaited<ReturnType<typeof petitionsTestKit>>;

  beforeAll(async () => {
    kit = await petitionsTestKit('it_decide_petition');
  });

  afterAll(async () => {
    await kit?.db.drop();
  });

  it('R3: 2.0 CEU for a 1-hour course is refused (400) naming R3 and the maximum; the petition stays under review', async () => {
    const petitionId = await kit.underReview('1');
    expect(await kit.decide.approve(petitionId, REVIEWER, ceuHundredths(200), 'generous')).toEqual({
      ok: false,
      status: 400,
      message: 'R3: at most 0.1 CEU can be granted for 1 contact hours (1 contact hour = 0.1 CEU); 2.0 was asked',
    });
    expect(await kit.state(petitionId)).toBe('under-review');
    expect(await kit.published('PetitionApproved', petitionId)).toEqual([]);
  });

  it('R3: 0.1 CEU for a 1-hour course is approved, published with the course title and completion, and recorded with who/when/why', async () => {
    const petitionId = await kit.underReview('1', 'LP-COMPLETION-7');
    const approved = await kit.decide.approve(petitionId, REVIEWER, ceuHundredths(10), 'equivalent content');
    expect(approved).toMatchObject({
      ok: true,
      petition: {
        state: 'approved',
        ceuGranted: 10,
        decisionReason: 'equivalent content',
        completionId: 'LP-COMPLETION-7',
      },
    });
    expect(await kit.published('PetitionApproved', petitionId)).toEqual([
      {
        payload: {
          petitionId,
          trainerId: 'T-1',
          ceuHundredths: 10,
          completedOn: '2027-01-15',
          completionId: 'LP-COMPLETION-7',
          courseTitle: 'Kettlebell workshop',
        },
      },
    ]);
    expect(approved.ok && approved.petition.actions).toEqual([
      { action: 'review', by: { name: 'rita', roles: ['reviewer'] }, at: NOW, reason: null, ceuGranted: null },
      {
        action: 'approve',
        by: { name: 'rita', roles: ['reviewer'] },
        at: NOW,
        reason: 'equivalent content',
        ceuGranted: '0.1',
      },
    ]);
  });

  it('R3: a 1.5-hour course may be granted 0.15 (or less), not 0.16; staff may grant less', async () => {
    const over = await kit.underReview('1.5');
    expect(await kit.decide.approve(over, REVIEWER, ceuHundredths(16), 'x')).toMatchObject({ ok: false, status: 400 });
    expect(await kit.decide.approve(over, REVIEWER, ceuHundredths(15), 'full')).toMatchObject({
      ok: true,
      petition: { ceuGranted: 15 },
    });
    const less = await kit.underReview('1.5');
    expect(await kit.decide.approve(less, REVIEWER, ceuHundredths(5), 'partial content')).toMatchObject({
      ok: true,
      petition: { ceuGranted: 5 },
    });
  });

  it('R6: no review before the fee is paid (409); an unknown petition is 404', async () => {
    const petitionId = await kit.submitted('2');
    expect(await kit.decide.review(petitionId, REVIEWER, null)).toEqual({
      ok: false,
      status: 409,
      message: 'R6: a petition is not reviewed before its fee is paid',
    });
    expect(await kit.decide.deny('00000000-0000-4000-8000-000000000000', REVIEWER, 'x')).toMatchObject({
      ok: false,
      status: 404,
    });
  });

  it('R6: a denial records its reason and who denied, and publishes PetitionClosed (its open fee closes)', async () => {
    const petitionId = await kit.underReview('3');
    const denied = await kit.decide.deny(petitionId, REVIEWER, 'not related to fitness training');
    expect(denied).toMatchObject({ ok: true, petition: { state: 'denied' } });
    expect(denied.ok && denied.petition.actions.at(-1)).toEqual({
      action: 'deny',
      by: { name: 'rita', roles: ['reviewer'] },
      at: NOW,
      reason: 'not related to fitness training',
      ceuGranted: null,
    });
    expect(await kit.published('PetitionClosed', petitionId)).toEqual([
      {
        payload: {
          petitionId,
          trainerId: 'T-1',
          outcome: 'denied',
          reason: 'not related to fitness training',
          closedAt: NOW,
        },
      },
    ]);
  });
});
