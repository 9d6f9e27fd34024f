import { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@recert/testing';
import { ConsumerPositions } from './consumer-positions';

/**
 * The position locks on real PostgreSQL (issue 16): receipts waiting on the same partitions take
 * them shared and go ahead together; the consumer advancing a partition takes its lock
 * exclusively and waits for them (so no waiter reads a position an uncommitted advance passes).
 */
describe('consumer position locks (real PostgreSQL)', () => {
  let db: TestDatabase;
  const keys = [
    { topic: 'learning.provider-registry', partition: 3 },
    { topic: 'learning.course-completions', partition: 7 },
    { topic: 'learning.provider-registry', partition: 0 },
  ];

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'it_positions', migrations: [] });
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** Runs `work` in a transaction held open until the returned `commit` is called. */
  async function held(dataSource: DataSource, work: (m: EntityManager) => Promise<void>) {
    let commit!: () => void;
    const release = new Promise<void>((resolve) => (commit = resolve));
    let started!: () => void;
    const locked = new Promise<void>((resolve) => (started = resolve));
    const done = dataSource.transaction(async (m) => {
      await work(m);
      started();
      await release;
    });
    return { locked, commit, done };
  }

  const settledWithin = (work: Promise<unknown>, ms: number) =>
    Promise.race([work.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

  it('two receipts waiting on the same partitions hold their locks together', async () => {
    const first = await held(db.dataSource, (m) => ConsumerPositions.lockToWait(m, 'ceu', keys));
    await first.locked;
    const second = await held(db.dataSource, (m) => ConsumerPositions.lockToWait(m, 'ceu', [...keys].reverse()));
    expect(await settledWithin(second.locked, 2_000)).toBe(true);
    first.commit();
    second.commit();
    await Promise.all([first.done, second.done]);
  });

  it("an advance of one of those partitions waits for the receipts' commits", async () => {
    const receipt = await held(db.dataSource, (m) => ConsumerPositions.lockToWait(m, 'ceu', keys));
    await receipt.locked;
    const advance = await held(db.dataSource, (m) =>
      ConsumerPositions.lockToAdvance(m, 'ceu', [{ topic: 'learning.provider-registry', partition: 0 }]),
    );
    expect(await settledWithin(advance.locked, 1_000)).toBe(false);
    receipt.commit();
    expect(await settledWithin(advance.locked, 5_000)).toBe(true);
    advance.commit();
    await Promise.all([receipt.done, advance.done]);
  });

  it("another consumer's positions are not locked", async () => {
    const receipt = await held(db.dataSource, (m) => ConsumerPositions.lockToAdvance(m, 'ceu', keys));
    await receipt.locked;
    const other = await held(db.dataSource, (m) => ConsumerPositions.lockToAdvance(m, 'payments', keys));
    expect(await settledWithin(other.locked, 2_000)).toBe(true);
    receipt.commit();
    other.commit();
    await Promise.all([receipt.done, other.done]);
  });
});
