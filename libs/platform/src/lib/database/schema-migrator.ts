import { DataSource } from 'typeorm';

/**
 * Creates the service's schema and runs its pending migrations, all in one transaction, under a
 * session advisory lock, so replicas starting together migrate once.
 */
export async function migrateServiceSchema(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`${schema}.migrations`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`${schema}.migrations`]).catch(() => undefined);
    await runner.release();
  }
}
