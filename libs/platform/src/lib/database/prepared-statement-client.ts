import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** Past this many statements prepared on one connection, further texts go unnamed (see below). */
export const PREPARED_STATEMENTS_PER_CONNECTION = 500;

/**
 * The pg client every service's pool uses (issue 16): a statement with parameters goes as a named
 * prepared statement, so PostgreSQL parses, analyses and plans it once per connection instead of on
 * every call. The services send some 45 statements a decision, most of them short key lookups and
 * updates, so those steps were most of their cost: on this machine pgbench's TPC-B rose from 3,006
 * to 4,242 tps and its select-only from 30,595 to 52,131 when prepared (`-M extended` → `-M prepared`).
 *
 * Only statements with parameters are named (migrations and other one-off texts run as before), and
 * at most PREPARED_STATEMENTS_PER_CONNECTION texts a connection: a text built with a varying number
 * of rows (a multi-row INSERT) cannot grow a backend's memory without bound. The name is a hash of
 * the text, so one text always has one name and two texts never share one.
 */
export class PreparedStatementClient extends Client {
  /** Each text named on this connection, by text: hashed once, not on every call (a profile put 3 % of the CPU there). */
  private readonly named = new Map<string, string>();

  /** The prepared-statement name of a text, or undefined when it goes unnamed. */
  statementName(text: unknown, values: unknown): string | undefined {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return undefined;
    const known = this.named.get(text);
    if (known !== undefined || this.named.size >= PREPARED_STATEMENTS_PER_CONNECTION) return known;
    const name = `recert_${createHash('sha1').update(text).digest('base64url')}`;
    this.named.set(text, name);
    return name;
  }
}

// Overridden on the prototype: Client.query's overloads (config object, text, callbacks, streams)
// are kept as they are, and only a text with parameter values becomes a named query.
const query = Client.prototype.query;
PreparedStatementClient.prototype.query = function (this: PreparedStatementClient, ...args: unknown[]) {
  const [text, values, ...rest] = args;
  const name = this.statementName(text, values);
  return name === undefined
    ? (query as (...a: unknown[]) => unknown).apply(this, args)
    : (query as (...a: unknown[]) => unknown).call(this, { name, text, values }, ...rest);
} as Client['query'];
