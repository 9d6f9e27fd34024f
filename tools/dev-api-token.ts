import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The token tools call the public API with: RECERT_API_TOKEN, else the developer token (every
 * role) that `npm start` writes to .local/dev-secrets.env.
 */
export function devApiToken(): string {
  if (process.env['RECERT_API_TOKEN']) return process.env['RECERT_API_TOKEN'];
  const file = join(__dirname, '..', '.local', 'dev-secrets.env');
  const line = existsSync(file) ? readFileSync(file, 'utf8').match(/^DEV_API_TOKEN=(.+)$/m) : null;
  if (!line) throw new Error('no API token: set RECERT_API_TOKEN, or run npm start (it writes .local/dev-secrets.env)');
  return line[1];
}
