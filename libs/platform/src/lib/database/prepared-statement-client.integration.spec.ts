import { DataSource } from 'typeorm';
import { databaseOptions } from './database.options';
import { PREPARED_STATEMENTS_PER_CONNECTION, PreparedStatementClient } from './prepared-statement-client';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/recert_test';

/** Issue 16: every service's pool prepares its parameterised statements once per connection. */
describe('PreparedStatementClient (real PostgreSQL, through the services’ DataSource options)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(databaseOptions({ url, schema: 'public', poolSize: 1 }, { entities: [], migrations: [] }));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  async function preparedOnConnection(): Promise<string[]> {
    const rows: { statement: string }[] = await dataSource.query(
      `SELECT statement FROM pg_prepared_statements WHERE name LIKE 'recert\\_%' ORDER BY statement`,
    );
    return rows.map((r) => r.statement);
  }

  it('prepares a statement with parameters once and runs it again by name, with each call’s own values', async () => {
    // One connection in the pool: every query below runs on it.
    expect(await dataSource.query(`SELECT $1::int + 1 AS n`, [1])).toEqual([{ n: 2 }]);
    expect(await dataSource.query(`SELECT $1::int + 1 AS n`, [41])).toEqual([{ n: 42 }]);
    expect(await preparedOnConnection()).toEqual(['SELECT $1::int + 1 AS n']);
  });

  it('sends a statement without parameters unnamed (migrations, one-off texts)', async () => {
    await dataSource.query(`SELECT 7 AS seven`);
    expect(await preparedOnConnection()).not.toContain('SELECT 7 AS seven');
  });

  it('keeps a transaction’s statements and a failed statement’s error as they were', async () => {
    await expect(dataSource.query(`SELECT $1::int / 0 AS n`, [1])).rejects.toThrow('division by zero');
    // The same text again fails the same way (not with "prepared statement does not exist").
    await expect(dataSource.query(`SELECT $1::int / 0 AS n`, [2])).rejects.toThrow('division by zero');
    await expect(dataSource.query(`SELEC $1::int`, [1])).rejects.toThrow('syntax error');
    await expect(dataSource.query(`SELEC $1::int`, [1])).rejects.toThrow('syntax error');

    const seen = await dataSource.transaction(async (m) => {
      await m.query(`CREATE TEMP TABLE prepared_probe (n int) ON COMMIT DROP`);
      await m.query(`INSERT INTO prepared_probe (n) VALUES ($1), ($2)`, [3, 4]);
      return m.query(`SELECT sum(n)::int AS total FROM prepared_probe WHERE n >= $1`, [3]);
    });
    expect(seen).toEqual([{ total: 7 }]);
  });
});

describe('PreparedStatementClient names', () => {
  it('one name per text, never shared, and none once a connection holds its limit of texts', () => {
    const client = new PreparedStatementClient();
    const first = client.statementName('SELECT $1', [1]);
    expect(first).toMatch(/^recert_/);
    expect(client.statementName('SELECT $1', [2])).toBe(first);
    expect(client.statementName('SELECT $1 ', [1])).not.toBe(first);
    expect(client.statementName('SELECT 1', [])).toBeUndefined();
    expect(client.statementName('SELECT 1', undefined)).toBeUndefined();
    for (let i = 0; i < PREPARED_STATEMENTS_PER_CONNECTION; i++) client.statementName(`SELECT $1 + ${i}`, [i]);
    expect(client.statementName('SELECT $1, $2', [1, 2])).toBeUndefined();
    // A text prepared before the limit keeps its name.
    expect(client.statementName('SELECT $1', [3])).toBe(first);
  });
});
