import { randomBytes } from 'node:crypto';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { databaseOptions, migrateServiceSchema } from '@recert/platform';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/recert_test';

/** A schema name no other test file or run will use. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

export interface TestDatabase {
  dataSource: DataSource;
  schema: string;
  /** Drops the schema and closes the pool. */
  drop(): Promise<void>;
}

/** A migrated PostgreSQL schema of its own for one test file, in the test database. */
export async function createTestDatabase(options: {
  prefix: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  poolSize?: number;
}): Promise<TestDatabase> {
  const schema = uniqueName(options.prefix);
  const dataSource = new DataSource(
    databaseOptions(
      { url: TEST_DATABASE_URL, schema, poolSize: options.poolSize ?? 5 },
      { entities: options.entities ?? [], migrations: options.migrations },
    ),
  );
  await dataSource.initialize();
  await migrateServiceSchema(dataSource, schema);
  return {
    dataSource,
    schema,
    async drop() {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
