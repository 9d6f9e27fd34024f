import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

/** docker-compose.yml as Compose reads it: YAML with anchors and merge keys resolved. */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

export interface ComposeService {
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> } | string;
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  ports?: (string | { target?: number; published?: string | number })[];
  deploy?: { resources?: { limits?: { cpus?: string | number; memory?: string } } };
  [key: string]: unknown;
}

export function loadCompose(path: string): ComposeFile {
  // `merge: true`: the `<<` merge keys Compose honours.
  return parse(readFileSync(path, 'utf8'), { merge: true, uniqueKeys: true }) as ComposeFile;
}

/**
 * The Compose Specification's JSON schema, as the dclint package ships it (its
 * schemas/compose.schema.json is the compose-spec project's schema/compose-spec.json).
 */
export function composeSchema(): Record<string, unknown> {
  const dir = dirname(require.resolve('dclint/package.json'));
  return JSON.parse(readFileSync(join(dir, 'schemas', 'compose.schema.json'), 'utf8')) as Record<string, unknown>;
}

let validateCompose: ReturnType<Ajv['compile']> | undefined;

/** Where `document` breaks the Compose Specification's schema (empty when it conforms). */
export function composeSchemaProblems(document: unknown): string[] {
  if (!validateCompose) {
    const schema = composeSchema();
    // The schema names draft-07 by its https address; Ajv knows it by its canonical id.
    if (schema['$schema'] !== 'https://json-schema.org/draft-07/schema')
      throw new Error(`unexpected $schema ${String(schema['$schema'])}`);
    validateCompose = new Ajv({ allErrors: true, strict: false }).compile({
      ...schema,
      $schema: 'http://json-schema.org/draft-07/schema#',
    });
  }
  if (validateCompose(document)) return [];
  return (validateCompose.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}

/** A `${...}` reference: its variable, operator (`:-`, `-`, `:?`, `?`, `:+`, `+`) and argument. */
export interface Interpolation {
  variable: string;
  operator?: string;
  argument?: string;
}

const INTERPOLATION = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Every variable reference in a string (`$$` is an escaped dollar, not a reference). */
export function interpolationsIn(text: string): Interpolation[] {
  const found: Interpolation[] = [];
  for (const m of text.matchAll(INTERPOLATION)) {
    if (m[0] === '$$') continue;
    found.push({ variable: (m[1] ?? m[4]) as string, operator: m[2], argument: m[3] });
  }
  return found;
}

export class InterpolationError extends Error {}

/**
 * Compose's interpolation of every string value (keys are left alone) from `env`, as
 * `docker compose config` does it with a .env file: `${VAR}`, `$VAR`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, `$$`.
 */
export function interpolate<T>(value: T, env: Record<string, string>): T {
  if (typeof value === 'string') {
    const text = value.replace(
      INTERPOLATION,
      (whole, braced?: string, operator?: string, argument = '', bare?: string) => {
        if (whole === '$$') return '$';
        const name = (braced ?? bare) as string;
        const set = Object.prototype.hasOwnProperty.call(env, name);
        const current = set ? (env[name] as string) : '';
        const present = operator?.startsWith(':') ? set && current !== '' : set;
        switch (operator) {
          case ':-':
          case '-':
            return present ? current : argument;
          case ':?':
          case '?':
            if (!present)
              throw new InterpolationError(`${name}: ${argument || 'required variable is missing a value'}`);
            return current;
          case ':+':
          case '+':
            return present ? argument : '';
          default:
            return current;
        }
      },
    );
    return text as T;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  return value;
}

/** A service's environment as a map (Compose accepts a map or a list of KEY=VALUE). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
