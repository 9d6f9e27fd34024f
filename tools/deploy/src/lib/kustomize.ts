import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * A kustomize renderer for the subset of the kustomization file that k8s/ uses, so the tests can
 * render the overlays without the kustomize binary: `resources` (files and directories),
 * `namespace`, `configMapGenerator` and `secretGenerator` (literals and env files; create, merge,
 * replace; content-hash name suffixes computed as kustomize computes them, references renamed),
 * `images` and `patches` (strategic merge patches and RFC 6902 JSON patches, with or without a
 * target). Anything else — a field, a patch directive, a generator option — is refused with an
 * error rather than ignored, so a manifest can never mean more to kustomize than to this renderer.
 */

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

export interface RenderOptions {
  /** Reads a file named by a kustomization (the tests substitute `*.example` for git-ignored env files). */
  readFile?: (path: string) => string;
}

export class KustomizeError extends Error {}

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'configMapGenerator',
  'secretGenerator',
  'images',
  'patches',
]);
const GENERATOR_FIELDS = new Set(['name', 'namespace', 'behavior', 'literals', 'envs', 'type']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Generator {
  name: string;
  namespace?: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  envs?: string[];
  type?: string;
}

interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

interface PatchEntry {
  path?: string;
  patch?: string;
  target?: Target;
}

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface Build {
  resources: KObject[];
  /** The generated ConfigMaps and Secrets: their names get a content hash once the build is complete. */
  generated: Set<KObject>;
}

/** Renders the kustomization in `dir` (like `kustomize build dir`), objects in kustomize's output order. */
export function renderKustomization(dir: string, options: RenderOptions = {}): KObject[] {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const build = buildDir(resolve(dir), readFile, []);
  nameGeneratedObjects(build);
  return sortLikeKustomize(build.resources);
}

function buildDir(dir: string, readFile: (path: string) => string, stack: string[]): Build {
  if (stack.includes(dir)) throw new KustomizeError(`cycle in resources: ${[...stack, dir].join(' -> ')}`);
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => join(dir, f)).find(existsSync);
  if (!file) throw new KustomizeError(`no kustomization file in ${dir}`);
  const k = loadSingleDocument(readFile(file), file) as JsonObject;
  for (const field of Object.keys(k)) {
    if (!SUPPORTED_FIELDS.has(field))
      throw new KustomizeError(`${file}: field '${field}' is not supported by this renderer`);
  }
  if (k['apiVersion'] !== undefined && k['apiVersion'] !== 'kustomize.config.k8s.io/v1beta1')
    throw new KustomizeError(`${file}: unexpected apiVersion ${String(k['apiVersion'])}`);
  if (k['kind'] !== undefined && k['kind'] !== 'Kustomization')
    throw new KustomizeError(`${file}: unexpected kind ${String(k['kind'])}`);

  const build: Build = { resources: [], generated: new Set() };
  const add = (object: KObject, where: string) => {
    const clash = build.resources.find((r) => sameId(r, object));
    if (clash) throw new KustomizeError(`${where}: ${idOf(object)} is already defined`);
    build.resources.push(object);
  };

  for (const entry of asList<string>(k['resources'], `${file}: resources`)) {
    if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('github.com/'))
      throw new KustomizeError(`${file}: remote resource ${entry} is not supported`);
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new KustomizeError(`${file}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      const sub = buildDir(path, readFile, [...stack, dir]);
      for (const object of sub.resources) add(object, file);
      sub.generated.forEach((g) => build.generated.add(g));
    } else {
      for (const object of loadObjects(readFile(path), path)) add(object, path);
    }
  }

  const namespace = k['namespace'] === undefined ? undefined : String(k['namespace']);
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const args of asList<Generator>(k[field], `${file}: ${field}`)) {
      generate(kind, args, dir, file, namespace, readFile, build);
    }
  }

  for (const entry of asList<PatchEntry>(k['patches'], `${file}: patches`))
    applyPatchEntry(entry, dir, file, readFile, build);

  if (namespace !== undefined) {
    for (const object of build.resources) {
      if (object.kind === 'Namespace') {
        // kustomize would rename it to the namespace: a different name is surely a mistake here.
        if (object.metadata.name !== namespace)
          throw new KustomizeError(`${file}: Namespace ${object.metadata.name} differs from namespace ${namespace}`);
      } else if (!CLUSTER_SCOPED.has(object.kind)) {
        object.metadata.namespace = namespace;
      }
    }
  }

  for (const image of asList<ImageEntry>(k['images'], `${file}: images`)) setImage(image, build.resources, file);
  return build;
}

// ---------------------------------------------------------------------------------- generators

function generate(
  kind: 'ConfigMap' | 'Secret',
  args: Generator,
  dir: string,
  file: string,
  namespace: string | undefined,
  readFile: (path: string) => string,
  build: Build,
): void {
  const where = `${file}: ${kind} generator ${args.name}`;
  for (const field of Object.keys(args)) {
    if (!GENERATOR_FIELDS.has(field) || (field === 'type' && kind !== 'Secret'))
      throw new KustomizeError(`${where}: field '${field}' is not supported by this renderer`);
  }
  if (!args.name) throw new KustomizeError(`${file}: a ${kind} generator has no name`);
  const data: Record<string, string> = {};
  const put = (key: string, value: string) => {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new KustomizeError(`${where}: invalid key '${key}'`);
    if (key in data) throw new KustomizeError(`${where}: key ${key} is defined twice`);
    data[key] = value;
  };
  for (const literal of args.literals ?? []) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new KustomizeError(`${where}: literal '${literal}' is not KEY=VALUE`);
    put(literal.slice(0, eq), unquote(literal.slice(eq + 1)));
  }
  for (const env of args.envs ?? []) {
    const path = resolve(dir, env);
    for (const [key, value] of parseEnvFile(readFile(path), path)) put(key, value);
  }

  const ns = args.namespace ?? namespace;
  const behavior = args.behavior ?? 'create';
  const existing = build.resources.find(
    (r) =>
      build.generated.has(r) &&
      r.kind === kind &&
      r.metadata.name === args.name &&
      (ns === undefined || r.metadata.namespace === ns),
  );
  if (behavior === 'create') {
    if (existing) throw new KustomizeError(`${where}: already generated (use behavior merge or replace)`);
    const object: KObject =
      kind === 'ConfigMap'
        ? { apiVersion: 'v1', kind, metadata: { name: args.name }, data }
        : {
            apiVersion: 'v1',
            kind,
            metadata: { name: args.name },
            type: args.type ?? 'Opaque',
            data: encodeSecretData(data),
          };
    if (ns !== undefined) object.metadata.namespace = ns;
    build.resources.push(object);
    build.generated.add(object);
    return;
  }
  if (!existing) throw new KustomizeError(`${where}: behavior ${behavior} but nothing to ${behavior} with`);
  const encoded = kind === 'Secret' ? encodeSecretData(data) : data;
  existing['data'] = behavior === 'merge' ? { ...(existing['data'] as Record<string, string>), ...encoded } : encoded;
  if (args.type !== undefined) existing['type'] = args.type;
}

/** The env file format kustomize reads: KEY=VALUE lines, blank lines and `#` comments skipped, no quoting. */
export function parseEnvFile(text: string, path: string): [string, string][] {
  const pairs: [string, string][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    // kustomize would read a bare KEY from the environment of whoever renders: not reproducible.
    if (eq < 0)
      throw new KustomizeError(
        `${path}:${i + 1}: '${line}' has no '=' (values from the environment are not supported)`,
      );
    const key = line.slice(0, eq);
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key))
      throw new KustomizeError(`${path}:${i + 1}: invalid variable name '${key}'`);
    pairs.push([key, line.slice(eq + 1)]);
  });
  return pairs;
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]
    ? value.slice(1, -1)
    : value;
}

function encodeSecretData(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

/** kustomize's content hash (api/hasher): sha256 of Go's JSON encoding of kind, name, data (and type). */
export function kustomizeHash(object: KObject): string {
  const encoded: Record<string, unknown> =
    object.kind === 'ConfigMap'
      ? { kind: 'ConfigMap', name: object.metadata.name, data: object['data'] ?? '' }
      : { kind: 'Secret', type: object['type'] ?? '', name: object.metadata.name, data: object['data'] ?? '' };
  if (object.kind === 'ConfigMap' && object['binaryData']) encoded['binaryData'] = object['binaryData'];
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => swap[c] as string);
}

/** Go's json.Marshal of maps: keys sorted, and <, > and & escaped as it does by default. */
function goJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(sort)
        : v;
  return JSON.stringify(sort(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Appends the content hash to every generated name and renames the references to it. */
function nameGeneratedObjects(build: Build): void {
  const renamed = new Map<string, string>();
  for (const object of build.generated) {
    const name = `${object.metadata.name}-${kustomizeHash(object)}`;
    renamed.set(`${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name}`, name);
    object.metadata.name = name;
  }
  for (const object of build.resources) {
    if (build.generated.has(object)) continue;
    const ns = object.metadata.namespace ?? '';
    const rename = (kind: string, holder: Record<string, unknown>, field: string) => {
      const next = renamed.get(`${kind}|${ns}|${String(holder[field])}`);
      if (next) holder[field] = next;
    };
    walkObjects(object, (node, key) => {
      if (key === 'configMapRef' || key === 'configMapKeyRef') rename('ConfigMap', node, 'name');
      else if (key === 'secretRef' || key === 'secretKeyRef') rename('Secret', node, 'name');
      else if (key === 'configMap') rename('ConfigMap', node, 'name');
      else if (key === 'secret') rename('Secret', node, node['secretName'] === undefined ? 'name' : 'secretName');
      else if (key === 'imagePullSecrets[]') rename('Secret', node, 'name');
    });
  }
}

/** Calls `visit` with every object nested in `value` and the key it sits under (`key[]` in a list). */
function walkObjects(value: unknown, visit: (node: Record<string, unknown>, key: string) => void, key = ''): void {
  if (Array.isArray(value)) value.forEach((item) => walkObjects(item, visit, `${key}[]`));
  else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>, key);
    for (const [k, v] of Object.entries(value)) walkObjects(v, visit, k);
  }
}

// ---------------------------------------------------------------------------------------- images

function setImage(entry: ImageEntry, resources: KObject[], file: string): void {
  for (const field of Object.keys(entry)) {
    if (!['name', 'newName', 'newTag', 'digest'].includes(field))
      throw new KustomizeError(`${file}: images: field '${field}' is not supported`);
  }
  let matched = false;
  for (const object of resources) {
    walkObjects(object, (node, key) => {
      if (key !== 'containers[]' && key !== 'initContainers[]') return;
      if (typeof node['image'] !== 'string') return;
      const { name, tag, digest } = splitImage(node['image']);
      if (name !== entry.name) return;
      matched = true;
      const suffix = entry.digest
        ? `@${entry.digest}`
        : entry.newTag
          ? `:${entry.newTag}`
          : digest
            ? `@${digest}`
            : tag
              ? `:${tag}`
              : '';
      node['image'] = `${entry.newName ?? name}${suffix}`;
    });
  }
  if (!matched) throw new KustomizeError(`${file}: images: no container uses ${entry.name}`);
}

function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = image.split('@') as [string, string | undefined];
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  return colon > slash
    ? { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest }
    : { name: withTag, digest };
}

// --------------------------------------------------------------------------------------- patches

function applyPatchEntry(
  entry: PatchEntry,
  dir: string,
  file: string,
  readFile: (path: string) => string,
  build: Build,
): void {
  for (const field of Object.keys(entry)) {
    if (!['path', 'patch', 'target'].includes(field))
      throw new KustomizeError(`${file}: patches: field '${field}' is not supported`);
  }
  if ((entry.path === undefined) === (entry.patch === undefined))
    throw new KustomizeError(`${file}: a patch needs exactly one of path and patch`);
  const where = entry.path ? resolve(dir, entry.path) : `${file} (inline patch)`;
  const text = entry.path ? readFile(resolve(dir, entry.path)) : (entry.patch as string);
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (docs.length !== 1)
    throw new KustomizeError(`${where}: one patch a file, please (found ${docs.length} documents)`);
  const doc = docs[0];
  if (!doc || doc.errors.length > 0)
    throw new KustomizeError(`${where}: ${doc?.errors.map((e) => e.message).join('; ')}`);
  const patch = doc.toJS() as Json;

  if (Array.isArray(patch)) {
    if (!entry.target) throw new KustomizeError(`${where}: a JSON patch needs a target`);
    const targets = select(build.resources, entry.target, where);
    for (const object of targets) applyJsonPatch(object as unknown as JsonObject, patch, where);
    return;
  }
  if (!patch || typeof patch !== 'object') throw new KustomizeError(`${where}: not a patch`);
  const smp = patch as JsonObject;
  let targets: KObject[];
  if (entry.target) targets = select(build.resources, entry.target, where);
  else {
    const meta = smp['metadata'] as JsonObject | undefined;
    targets = build.resources.filter(
      (r) =>
        r.kind === smp['kind'] &&
        r.apiVersion === smp['apiVersion'] &&
        r.metadata.name === meta?.['name'] &&
        (meta?.['namespace'] === undefined || r.metadata.namespace === meta['namespace']),
    );
    if (targets.length === 0)
      throw new KustomizeError(`${where}: no ${String(smp['kind'])} named ${String(meta?.['name'])} to patch`);
  }
  for (const object of targets) {
    const { metadata, ...rest } = smp;
    // With a target, the patch's own name (if any) does not rename what it patches.
    const body: JsonObject = entry.target ? { ...rest } : smp;
    if (entry.target && metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
      const otherMetadata = { ...metadata };
      delete otherMetadata['name'];
      delete otherMetadata['namespace'];
      if (Object.keys(otherMetadata).length > 0) body['metadata'] = otherMetadata;
    }
    strategicMerge(object as unknown as JsonObject, body, where, '');
  }
}

function select(resources: KObject[], target: Target, where: string): KObject[] {
  for (const field of Object.keys(target)) {
    if (!['group', 'version', 'kind', 'name', 'namespace', 'labelSelector'].includes(field))
      throw new KustomizeError(`${where}: target field '${field}' is not supported`);
  }
  const selector = parseLabelSelector(target.labelSelector, where);
  const matches = resources.filter((r) => {
    const [group, version] = r.apiVersion.includes('/') ? r.apiVersion.split('/') : ['', r.apiVersion];
    if (target.group !== undefined && target.group !== group) return false;
    if (target.version !== undefined && target.version !== version) return false;
    if (target.kind !== undefined && target.kind !== r.kind) return false;
    // kustomize reads a target's name as an anchored regular expression.
    if (target.name !== undefined && !new RegExp(`^(?:${target.name})$`).test(r.metadata.name)) return false;
    if (target.namespace !== undefined && target.namespace !== r.metadata.namespace) return false;
    return selector(r.metadata.labels ?? {});
  });
  if (matches.length === 0) throw new KustomizeError(`${where}: the target matches nothing`);
  return matches;
}

function parseLabelSelector(selector: string | undefined, where: string): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map((term) => {
    const m = /^\s*([\w./-]+)\s*(!=|==|=)?\s*([\w.-]*)\s*$/.exec(term);
    if (!m) throw new KustomizeError(`${where}: label selector term '${term}' is not supported`);
    const [, key, op, value] = m as unknown as [string, string, string | undefined, string];
    if (!op) return (labels: Record<string, string>) => key in labels;
    return op === '!='
      ? (labels: Record<string, string>) => labels[key] !== value
      : (labels: Record<string, string>) => labels[key] === value;
  });
  return (labels) => terms.every((t) => t(labels));
}

/** The list merge keys of the Kubernetes API (x-kubernetes-patch-merge-key) for the lists a patch here may touch. */
function mergeKeyOf(field: string, items: Json[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      // Containers' ports merge by containerPort, Services' by port.
      return items.some((i) => i && typeof i === 'object' && 'containerPort' in i) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

function strategicMerge(target: JsonObject, patch: JsonObject, where: string, path: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$'))
      throw new KustomizeError(`${where}: patch directive ${key} at ${path || '/'} is not supported`);
    const here = `${path}/${key}`;
    if (value === null) {
      delete target[key];
    } else if (Array.isArray(value)) {
      const current = target[key];
      const mergeKey = mergeKeyOf(key, [...value, ...(Array.isArray(current) ? current : [])]);
      if (!mergeKey || !Array.isArray(current)) {
        target[key] = structuredClone(value);
        continue;
      }
      for (const item of value) {
        if (!item || typeof item !== 'object' || Array.isArray(item))
          throw new KustomizeError(`${where}: ${here}: items must be objects`);
        if (Object.keys(item).some((k) => k.startsWith('$')))
          throw new KustomizeError(`${where}: ${here}: patch directives are not supported`);
        const id = item[mergeKey];
        if (id === undefined) throw new KustomizeError(`${where}: ${here}: an item has no ${mergeKey}`);
        const existing = current.find((c) => c && typeof c === 'object' && !Array.isArray(c) && c[mergeKey] === id);
        if (existing) strategicMerge(existing as JsonObject, item, where, `${here}[${mergeKey}=${String(id)}]`);
        else current.push(structuredClone(item));
      }
    } else if (typeof value === 'object') {
      const current = target[key];
      if (!current || typeof current !== 'object' || Array.isArray(current)) target[key] = {};
      strategicMerge(target[key] as JsonObject, value, where, here);
    } else {
      target[key] = value;
    }
  }
}

function applyJsonPatch(target: JsonObject, operations: Json[], where: string): void {
  for (const operation of operations) {
    if (!operation || typeof operation !== 'object' || Array.isArray(operation))
      throw new KustomizeError(`${where}: a JSON patch operation must be an object`);
    const { op, path, value } = operation as { op?: string; path?: string; value?: Json };
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new KustomizeError(`${where}: JSON patch op '${String(op)}' is not supported`);
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new KustomizeError(`${where}: bad JSON patch path ${String(path)}`);
    const tokens = path
      .slice(1)
      .split('/')
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = tokens.pop() as string;
    let parent: Json = target;
    for (const token of tokens) {
      const next: Json | undefined = Array.isArray(parent)
        ? parent[arrayIndex(token, parent.length - 1, where, path)]
        : parent && typeof parent === 'object'
          ? parent[token]
          : undefined;
      if (next === undefined || next === null || typeof next !== 'object')
        throw new KustomizeError(`${where}: ${op} ${path}: ${token} does not exist`);
      parent = next;
    }
    if (Array.isArray(parent)) {
      if (op === 'add') {
        const index = last === '-' ? parent.length : arrayIndex(last, parent.length, where, path);
        parent.splice(index, 0, structuredClone(value as Json));
      } else {
        const index = arrayIndex(last, parent.length - 1, where, path);
        if (op === 'remove') parent.splice(index, 1);
        else parent[index] = structuredClone(value as Json);
      }
    } else if (parent && typeof parent === 'object') {
      if (op !== 'add' && !(last in parent)) throw new KustomizeError(`${where}: ${op} ${path}: it does not exist`);
      if (op === 'remove') delete parent[last];
      else parent[last] = structuredClone(value as Json);
    }
  }
}

function arrayIndex(token: string, max: number, where: string, path: string): number {
  const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : NaN;
  if (!(index >= 0 && index <= max)) throw new KustomizeError(`${where}: ${path}: index ${token} is out of range`);
  return index;
}

// ------------------------------------------------------------------------------------- documents

function loadSingleDocument(text: string, file: string): unknown {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (docs.length !== 1 || !docs[0]) throw new KustomizeError(`${file}: expected one YAML document`);
  if (docs[0].errors.length > 0)
    throw new KustomizeError(`${file}: ${docs[0].errors.map((e) => e.message).join('; ')}`);
  return docs[0].toJS();
}

function loadObjects(text: string, file: string): KObject[] {
  const objects: KObject[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
    if (doc.errors.length > 0) throw new KustomizeError(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const object = doc.toJS() as KObject | null;
    if (object === null) continue;
    if (typeof object !== 'object' || !object.apiVersion || !object.kind || !object.metadata?.name)
      throw new KustomizeError(`${file}: every document needs apiVersion, kind and metadata.name`);
    if (object.kind === 'List') throw new KustomizeError(`${file}: List documents are not supported`);
    objects.push(object);
  }
  return objects;
}

function asList<T>(value: unknown, where: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KustomizeError(`${where} must be a list`);
  return value as T[];
}

function idOf(object: KObject): string {
  return `${object.apiVersion} ${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

function sameId(a: KObject, b: KObject): boolean {
  return (
    a.kind === b.kind &&
    a.metadata.name === b.metadata.name &&
    (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '')
  );
}

// kustomize's legacy output order (api/resid/gvk.go): these kinds first, in this order, the rest after.
const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function sortLikeKustomize(objects: KObject[]): KObject[] {
  const rank = (kind: string) => {
    const first = ORDER_FIRST.indexOf(kind);
    if (first >= 0) return first;
    const last = ORDER_LAST.indexOf(kind);
    return last >= 0 ? 1000 + last : 500;
  };
  return [...objects].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      `${a.apiVersion}/${a.kind}`.localeCompare(`${b.apiVersion}/${b.kind}`) ||
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
}
