import { types } from 'pg';
import { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

// A DATE column is a calendar date: keep it as 'YYYY-MM-DD' instead of a Date at local midnight.
types.setTypeParser(types.builtins.DATE, (value: string) => value);
import { RecertConfig } from '../config/recert-config';
import { PreparedStatementClient } from './prepared-statement-client';

export interface ServiceDatabase {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/**
 * Each service owns one PostgreSQL schema: its tables, its outbox and inbox, its migrations table.
 * The search_path makes the migrations' unqualified table names land in that schema.
 */
export function databaseOptions(config: RecertConfig['database'], database: ServiceDatabase): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    schema: config.schema,
    entities: database.entities,
    migrations: database.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    extra: { max: config.poolSize, options: `-c search_path=${config.schema}`, Client: PreparedStatementClient },
  };
}
