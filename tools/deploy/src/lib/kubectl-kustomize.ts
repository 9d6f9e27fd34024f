import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/**
 * Renders kustomizations with the real tool, `kubectl kustomize` (kustomize v5), and parses its
 * multi-document YAML output. The tests need kubectl: without it they fail, saying so.
 */

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** kubectl refused the kustomization (its message, as kubectl printed it). */
export class KustomizeError extends Error {}

/** A file to render from: its absolute path in the repository and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

const KUBECTL_MISSING =
  'kubectl is not installed or not on PATH: tools/deploy renders k8s/ with `kubectl kustomize` (kustomize v5); ' +
  'install kubectl (https://kubernetes.io/docs/tasks/tools/) and run the tests again';

/** `kubectl <args>`'s standard output; a missing kubectl or a refusal is an error that says which. */
export function kubectl(args: string[]): string {
  try {
    return execFileSync('kubectl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    const failure = error as { code?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error(KUBECTL_MISSING);
    throw new KustomizeError(`kubectl ${args.join(' ')}: ${failure.stderr?.trim() || String(error)}`);
  }
}

/** The objects `kubectl kustomize <dir>` renders. */
export function kustomize(dir: string): KObject[] {
  return parseAllDocuments(kubectl(['kustomize', dir])).map((document) => {
    if (document.errors.length) throw new KustomizeError(`${dir}: ${document.errors.map(String).join('; ')}`);
    return unwrapSecretData(document.toJS() as KObject);
  });
}

/**
 * kustomize writes a Secret's long base64 values folded over several lines; the API server's decoder
 * (Go's encoding/base64) skips the line breaks, and so does this, so the value is the one stored
 * (and the schema's `byte` format, which allows no line break, reads it as the API server does).
 */
function unwrapSecretData(object: KObject): KObject {
  const data = object['data'] as Record<string, string> | undefined;
  if (object.kind !== 'Secret' || !data) return object;
  return { ...object, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')])) };
}

/**
 * Renders `dir` as it would be from `files` alone: they are written to a temporary directory
 * (paths relative to `root`) and kustomize runs there, so a test can render a broken copy, and
 * the git-ignored env files on this machine are never read.
 */
export function kustomizeFiles(files: SourceFile[], root: string, dir: string): KObject[] {
  const copy = mkdtempSync(join(tmpdir(), 'recert-kustomize-'));
  try {
    for (const file of files) {
      const path = join(copy, relative(root, file.path));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
    }
    return kustomize(join(copy, relative(root, dir)));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The env file format kustomize reads: KEY=VALUE lines, blank lines and `#` comments skipped, no quoting. */
export function parseEnvFile(text: string, path: string): [string, string][] {
  const pairs: [string, string][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    // kustomize would read a bare KEY from the environment of whoever renders: not reproducible.
    if (eq < 0) throw new KustomizeError(`${path}:${i + 1}: '${line}' has no '=' (values from the environment)`);
    pairs.push([line.slice(0, eq), line.slice(eq + 1)]);
  });
  return pairs;
}

/**
 * The name kustomize gives each ConfigMap and Secret of `objects` for the content it holds now
 * (its name without the hash suffix, its data and type): one `kubectl kustomize` over one
 * generator per object, each in a namespace of its own (the namespace is not hashed) so that
 * equal names cannot collide. A name that differs was not generated from this content.
 */
export function generatedNames(objects: KObject[]): Map<KObject, string> {
  const sources = objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret');
  const names = new Map<KObject, string>();
  if (sources.length === 0) return names;
  const root = '/kustomize';
  const files: SourceFile[] = [
    { path: `${root}/kustomization.yaml`, text: stringify({ resources: sources.map((_, i) => `g${i}`) }) },
  ];
  sources.forEach((object, i) => {
    const data = (object['data'] ?? {}) as Record<string, string>;
    const decode = (v: string) => (object.kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v);
    const generator = {
      name: object.metadata.name.replace(/-[a-z0-9]{10}$/, ''),
      literals: Object.entries(data).map(([k, v]) => `${k}=${decode(v)}`),
      ...(object.kind === 'Secret' && object['type'] ? { type: object['type'] } : {}),
    };
    const field = object.kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator';
    files.push({
      path: `${root}/g${i}/kustomization.yaml`,
      text: stringify({ namespace: `g${i}`, [field]: [generator] }),
    });
  });
  for (const generated of kustomizeFiles(files, root, root)) {
    const object = sources[Number(generated.metadata.namespace?.slice(1))];
    if (object) names.set(object, generated.metadata.name);
  }
  return names;
}
