import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { AuditsFixture, REVIEWER } from '../testing/audits-fixture';

/** R11 [policy]: one extension of 1 to 30 days with a reason, on the real PostgreSQL. The clock: 2027-03-02T03:00Z. */
describe('ExtendAuditHandler (real PostgreSQL)', () => {
  let f: AuditsFixture;

  beforeAll(async () => {
    f = await AuditsFixture.start('it_audit_extend', '2027-03-02T03:00:00Z');
  });

  afterAll(async () => {
    await f?.stop();
  });

  const extend = (applicationId: string, days: number, reason: string) =>
    f.unitOfWork.run((scope) => f.extend.execute(scope, { applicationId, days, reason, by: REVIEWER }));

  it('R11: extends the last day once from 2027-04-01 by 14 days, moving the reminders and the deadline', async () => {
    const { applicationId } = await f.submitted();
    expect(await extend(applicationId, 14, 'hospitalised')).toEqual({
      applicationId,
      status: 'awaiting-documents',
      documentationDueOn: '2027-04-15',
      extendedFrom: '2027-04-01',
    });
    expect(await f.audit(applicationId)).toMatchObject({
      documentation_due_on: '2027-04-15',
      extensions: [
        {
          days: 14,
          reason: 'hospitalised',
          by: { name: 'alice', roles: ['reviewer'] },
          at: '2027-03-02T03:00:00.000Z',
        },
      ],
    });
    expect(await f.scheduledDeadlines(applicationId)).toEqual([
      'audit-reminder@2027-04-01T00:00:00.000Z',
      'audit-reminder@2027-04-08T00:00:00.000Z',
      'audit-reminder@2027-04-14T00:00:00.000Z',
      'audit-documentation@2027-04-16T00:00:00.000Z',
    ]);
    expect((await f.actions(applicationId)).map((a) => [a['action'], a['actor_name'], a['reason']])).toEqual([
      ['extend', 'alice', 'hospitalised'],
    ]);
    await expect(extend(applicationId, 1, 'still in hospital')).rejects.toThrow(
      new ConflictException('the deadline was already extended once; policy allows 1'),
    );
  });

  it('R11: 31 days, 0 days or no reason are bad input; an unknown audit 404; a completed one 409', async () => {
    const { applicationId } = await f.submitted();
    await expect(extend(applicationId, 31, 'x')).rejects.toThrow(
      new BadRequestException('an extension is 1 to 30 whole days (got 31)'),
    );
    await expect(extend(applicationId, 0, 'x')).rejects.toThrow(BadRequestException);
    await expect(extend(applicationId, 5, ' ')).rejects.toThrow(BadRequestException);
    await expect(extend('00000000-0000-4000-8000-000000000000', 5, 'x')).rejects.toThrow(NotFoundException);
    expect(await extend(applicationId, 30, 'provider late')).toMatchObject({ documentationDueOn: '2027-05-01' });
    await f.db.dataSource.query(`UPDATE audits SET status = 'failed' WHERE application_id = $1`, [applicationId]);
    await expect(extend(applicationId, 5, 'x')).rejects.toThrow(ConflictException);
  });
});
