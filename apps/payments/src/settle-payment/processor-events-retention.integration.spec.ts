import { FixedClock, MS_PER_DAY } from '@recert/clock';
import { Retention } from '@recert/messaging';
import { paymentsTestKit } from '../testing/payments-test-kit';
import { processorEventsRetentionRule } from './processor-events-retention';

/** The kit's processor events occur on 2027-03-01 from 10:00:01 UTC, a second apart. */
const OCCURRED = Date.parse('2027-03-01T10:00:00Z');
const SEVEN_YEARS = 2_555 * MS_PER_DAY;

describe('retention of settled processor events (issue 15, real PostgreSQL)', () => {
  let kit: Awaited<ReturnType<typeof paymentsTestKit>>;
  beforeAll(async () => {
    kit = await paymentsTestKit('processor_retention');
  });
  afterAll(() => kit.db.drop());

  const trailOf = async () =>
    (
      await kit.db.dataSource.query(
        `SELECT payment_id AS "paymentId", kind, outcome FROM processor_events ORDER BY occurred_at`,
      )
    ).map((r: { paymentId: string; kind: string; outcome: string }) => `${r.paymentId} ${r.kind} ${r.outcome}`);

  const purgeAt = (instant: number) => {
    const retention = new Retention(kit.db.dataSource, new FixedClock(new Date(instant)), { batchSize: 2 });
    retention.register(processorEventsRetentionRule(SEVEN_YEARS));
    return retention.purge();
  };

  it('purges settled events older than the policy; keeps what still waits for an item or a refund', async () => {
    await kit.open('application-fee', 'A-1', 9900);
    await kit.pays('application-fee:A-1', 'pay-1', 9900); // settles the fee
    await kit.pays('application-fee:A-1', 'pay-2', 9900); // a duplicate, not refunded yet
    await kit.open('application-fee', 'A-2', 9900);
    await kit.pays('application-fee:A-2', 'pay-3', 9900); // settles the fee
    await kit.pays('application-fee:A-2', 'pay-4', 9900); // a duplicate…
    await kit.refunds('application-fee:A-2', 'pay-4', 9900); // …given back
    await kit.pays('application-fee:A-3', 'pay-5', 9900); // no such item yet: waits for it
    const before = await trailOf();
    expect(before).toEqual([
      'pay-1 succeeded settled',
      'pay-2 succeeded duplicate-charge',
      'pay-3 succeeded settled',
      'pay-4 succeeded duplicate-charge',
      'pay-4 refunded refunded: the duplicate charge; the item stays paid',
      'pay-5 succeeded awaiting-payable',
    ]);

    // A day short of seven years after the last event: nothing is old enough.
    expect(await purgeAt(OCCURRED + SEVEN_YEARS - MS_PER_DAY)).toEqual({ processor_events: 0 });
    expect(await trailOf()).toEqual(before);

    expect(await purgeAt(OCCURRED + SEVEN_YEARS + MS_PER_DAY)).toEqual({ processor_events: 4 });
    expect(await trailOf()).toEqual(['pay-2 succeeded duplicate-charge', 'pay-5 succeeded awaiting-payable']);
  });
});
