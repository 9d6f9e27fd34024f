import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kafkaPasswordVariable, recertEnvSchema, SERVICE_PORTS, ServiceId } from '@recert/platform';
import { ComposeFile, ComposeService, environmentOf, interpolate, interpolationsIn } from './compose';
import { generatedNames, KObject, kustomizeFiles, parseEnvFile, SourceFile } from './kubectl-kustomize';

export type { SourceFile };

/**
 * The checks on docker-compose.yml and k8s/. Each returns the problems it finds (empty when all is
 * well) so that the tests can also feed it a broken copy and see it complain.
 */

export const ROOT = resolve(__dirname, '../../../..');
export const SERVICES = Object.keys(SERVICE_PORTS) as ServiceId[];
export const CONSUMERS: ServiceId[] = SERVICES.filter((s) => s !== 'gateway');
export const INFRASTRUCTURE = ['postgres', 'redis', 'kafka'];
/** Jobs that run once before the services (the broker's topics and ACLs, as admin). */
export const ONE_SHOTS = ['kafka-provision'];
export const NAMESPACE = 'recert';
/** Written in place of a secret in every committed template. */
export const PLACEHOLDER = 'change-me';

/** The policy values read from the environment (libs/platform/src/lib/policy/policy.provider.ts). */
export const POLICY_VARIABLES = ['AUDIT_RATE_PPM', 'WAIVER_ORDERS_LIFTED_ON', 'LATE_FEES_STACK'];
/** The base URL of each service the gateway proxies to. */
export const GATEWAY_UPSTREAMS: Record<string, ServiceId> = {
  APPLICATIONS_URL: 'applications',
  CEU_VERIFICATION_URL: 'ceu-verification',
  PETITIONS_URL: 'petitions',
  PAYMENTS_URL: 'payments',
  AUDITS_URL: 'audits',
};
/** Variables only some services read. */
const ONLY_FOR: Record<string, ServiceId> = {
  ...Object.fromEntries(Object.keys(GATEWAY_UPSTREAMS).map((v) => [v, 'gateway' as ServiceId])),
  PAYMENTS_WEBHOOK_SECRET: 'payments',
  // Each service authenticates to Kafka as itself and holds no other principal's password (issue 13).
  ...Object.fromEntries(Object.keys(SERVICE_PORTS).map((s) => [kafkaPasswordVariable(s), s as ServiceId])),
  PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: 'payments',
};
/** Every variable a service may be given: a name outside this list is a typo or a leftover. */
export const KNOWN_VARIABLES = new Set([
  ...Object.keys(recertEnvSchema.shape),
  ...POLICY_VARIABLES,
  ...Object.keys(ONLY_FOR),
  'API_TOKENS',
]);

type Env = Record<string, string>;

// ------------------------------------------------------------------------------------- compose

export function composeStructureProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const known = [...INFRASTRUCTURE, ...ONE_SHOTS, ...SERVICES];
  for (const name of known) if (!services[name]) problems.push(`${name}: missing`);
  for (const name of Object.keys(services)) {
    if (!known.includes(name)) problems.push(`${name}: not a service of the system`);
  }
  for (const [name, service] of Object.entries(services)) {
    if (ONE_SHOTS.includes(name)) {
      if (service['restart'] !== 'no') problems.push(`${name}: runs once, but restarts`);
    } else if (!service.healthcheck?.test || service.healthcheck.disable) problems.push(`${name}: no healthcheck`);
    const limits = service.deploy?.resources?.limits;
    if (!limits?.cpus || !limits.memory) problems.push(`${name}: no CPU and memory limits`);
    const dependsOn = service.depends_on ?? {};
    if (Array.isArray(dependsOn)) {
      problems.push(`${name}: depends_on without conditions`);
      continue;
    }
    for (const [dependency, { condition }] of Object.entries(dependsOn)) {
      const target = services[dependency];
      if (!target) problems.push(`${name}: depends on ${dependency}, which does not exist`);
      else if (condition === 'service_healthy' && !target.healthcheck?.test)
        problems.push(`${name}: waits for ${dependency} to be healthy, which has no healthcheck`);
    }
  }
  for (const name of SERVICES) {
    const service = services[name];
    if (!service) continue;
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    if (
      build?.context !== '.' ||
      (build.dockerfile ?? 'Dockerfile') !== 'Dockerfile' ||
      build.args?.['SERVICE'] !== name
    )
      problems.push(`${name}: not built from the root Dockerfile with SERVICE=${name}`);
    const test = [service.healthcheck?.test ?? []].flat().join(' ');
    if (!/\/health\/(ready|live)\b/.test(test))
      problems.push(`${name}: the healthcheck does not ask /health/ready or /health/live`);
    const dependsOn = Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {});
    for (const dependency of INFRASTRUCTURE) {
      if (dependsOn[dependency]?.condition !== 'service_healthy')
        problems.push(`${name}: does not wait for ${dependency} to be healthy`);
    }
    for (const job of ONE_SHOTS) {
      if (dependsOn[job]?.condition !== 'service_completed_successfully')
        problems.push(`${name}: does not wait for ${job} to complete`);
    }
    if (service['read_only'] !== true) problems.push(`${name}: the root filesystem is writable`);
    if (service['user'] !== undefined && /^(root|0)(:|$)/.test(String(service['user'])))
      problems.push(`${name}: runs as root`);
    if (service['privileged'] === true) problems.push(`${name}: privileged`);
    const published = (service.ports ?? []).map(containerPortOf);
    if (name === 'gateway') {
      if (!published.includes(SERVICE_PORTS.gateway))
        problems.push(`gateway: port ${SERVICE_PORTS.gateway} is not published`);
    } else if (published.length > 0) {
      problems.push(`${name}: publishes a port (only the gateway is public)`);
    }
  }
  for (const name of [...INFRASTRUCTURE, ...ONE_SHOTS]) {
    if (services[name]?.ports?.length) problems.push(`${name}: publishes a port (only the gateway is public)`);
  }
  return problems;
}

function containerPortOf(port: string | { target?: number }): number {
  if (typeof port === 'object') return Number(port.target);
  return Number(
    String(port)
      .replace(/\/(tcp|udp)$/, '')
      .split(':')
      .at(-1),
  );
}

/** The environment of each service in docker-compose.yml (after interpolation, for values). */
export function composeEnvironments(compose: ComposeFile): Record<string, Env> {
  return Object.fromEntries(
    SERVICES.filter((s) => compose.services?.[s]).map((s) => [s, environmentOf(compose.services[s] as ComposeService)]),
  );
}

/** The last USER of the Dockerfile's final stage: the services must not run as root. */
export function dockerfileUserProblems(dockerfile: string): string[] {
  const finalStage = dockerfile.split(/^FROM\s/im).at(-1) ?? '';
  const user = [...finalStage.matchAll(/^USER\s+(\S+)/gim)].at(-1)?.[1];
  if (!user) return ['Dockerfile: the final stage sets no USER (it would run as root)'];
  return /^(root|0)(:|$)/.test(user) ? [`Dockerfile: the final stage runs as ${user}`] : [];
}

// ---------------------------------------------------------------------------------- environment

/**
 * Problems with the environments of the six services, wherever they come from: unknown names,
 * a variable given to a service that does not read it, a clock that can be moved, a port that is
 * not the service's, a gateway pointed at the wrong service. `addresses` maps a service to the
 * host:port others reach it at.
 */
export function environmentProblems(
  envs: Record<string, Env>,
  addresses: Record<string, string>,
  where: string,
): string[] {
  const problems: string[] = [];
  for (const service of SERVICES) if (!envs[service]) problems.push(`${where}: ${service} has no environment`);
  for (const [service, env] of Object.entries(envs)) {
    for (const [name, value] of Object.entries(env)) {
      if (!KNOWN_VARIABLES.has(name)) problems.push(`${where}: ${service}: ${name} is read by no service`);
      const only = ONLY_FOR[name];
      if (only && only !== service) problems.push(`${where}: ${service}: ${name} is for ${only} only`);
      if (name === 'CLOCK_MODE' && value.trim() === 'controllable')
        problems.push(`${where}: ${service}: CLOCK_MODE=controllable`);
    }
    if (env['NODE_ENV'] !== 'production') problems.push(`${where}: ${service}: NODE_ENV is not production`);
    if (env['HTTP_PORT'] !== String(SERVICE_PORTS[service as ServiceId]))
      problems.push(`${where}: ${service}: HTTP_PORT is not ${SERVICE_PORTS[service as ServiceId]}`);
    for (const [name, secret] of [
      ['DATABASE_URL', true],
      ['KAFKA_BROKERS', false],
      [kafkaPasswordVariable(service), true],
      ['REDIS_URL', false],
      ['API_TOKENS', true],
    ] as const) {
      if (env[name] === undefined)
        problems.push(`${where}: ${service}: ${name} is not set${secret ? ' (from the secrets)' : ''}`);
    }
    for (const name of POLICY_VARIABLES)
      if (env[name] === undefined) problems.push(`${where}: ${service}: ${name} is not set`);
  }
  if (envs['payments'] && envs['payments']['PAYMENTS_WEBHOOK_SECRET'] === undefined)
    problems.push(`${where}: payments: PAYMENTS_WEBHOOK_SECRET is not set`);
  const gateway = envs['gateway'] ?? {};
  for (const [name, upstream] of Object.entries(GATEWAY_UPSTREAMS)) {
    const expected = `http://${addresses[upstream]}`;
    if (gateway[name] !== expected) problems.push(`${where}: gateway: ${name} is ${gateway[name]}, not ${expected}`);
  }
  return problems;
}

/** Where the two sources give a service different variable names. */
export function sameVariableProblems(
  a: Record<string, Env>,
  b: Record<string, Env>,
  aName: string,
  bName: string,
): string[] {
  const problems: string[] = [];
  for (const service of SERVICES) {
    const aKeys = Object.keys(a[service] ?? {});
    const bKeys = Object.keys(b[service] ?? {});
    const onlyA = aKeys.filter((k) => !bKeys.includes(k));
    const onlyB = bKeys.filter((k) => !aKeys.includes(k));
    if (onlyA.length) problems.push(`${service}: only ${aName} sets ${onlyA.sort().join(', ')}`);
    if (onlyB.length) problems.push(`${service}: only ${bName} sets ${onlyB.sort().join(', ')}`);
  }
  return problems;
}

// --------------------------------------------------------------------------------------- secrets

/** `git check-ignore`: true when git ignores the path (a tracked file is never ignored). */
export function gitIgnores(path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', relative(ROOT, path)], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 1) return false;
    throw new Error(`git check-ignore failed for ${path}: ${String(error)}`);
  }
}

/** Problems with a committed template of secrets: every value must be a placeholder. */
export function secretTemplateProblems(text: string, path: string): string[] {
  const problems: string[] = [];
  const pairs = parseEnvFile(text, path);
  if (pairs.length === 0) problems.push(`${path}: no variables`);
  for (const [key, value] of pairs) {
    if (!value.includes(PLACEHOLDER)) problems.push(`${path}: ${key} is not a placeholder (${PLACEHOLDER})`);
  }
  return problems;
}

/**
 * docker-compose.yml takes every secret from .env: a variable listed in .env.example is used only
 * as `${VAR:?message}` (no default to fall back on), any other variable only with a default (and
 * never one named like a secret), and every value that holds a secret — the k8s Secret's keys,
 * and names with PASSWORD, SECRET or TOKEN — comes from a variable of .env.example.
 */
export function composeSecretProblems(raw: ComposeFile, example: Env, secretNames: string[]): string[] {
  const problems: string[] = [];
  const declared = new Set(Object.keys(example));
  const strings: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(raw);
  const isSecret = (name: string) => secretNames.includes(name) || /PASSWORD|SECRET|TOKEN/.test(name);
  for (const text of strings) {
    for (const ref of interpolationsIn(text)) {
      const required = ref.operator === ':?' || ref.operator === '?';
      const defaulted = ref.operator === ':-' || ref.operator === '-';
      if (declared.has(ref.variable) && !required)
        problems.push(
          `docker-compose.yml: \${${ref.variable}${ref.operator ?? ''}...} must be \${${ref.variable}:?message} (no default secret)`,
        );
      // Any other variable is a setting with a default, so that compose runs without it.
      if (!declared.has(ref.variable) && (!defaulted || isSecret(ref.variable)))
        problems.push(`docker-compose.yml: \${${ref.variable}} is not in .env.example`);
    }
  }
  for (const [service, definition] of Object.entries(raw.services ?? {})) {
    for (const [name, value] of Object.entries(environmentOf(definition))) {
      if (!isSecret(name)) continue;
      // Each variable marked, then what is left must hold no secret of its own.
      const marked = interpolate(value, Object.fromEntries([...declared].map((v) => [v, `__ENV_${v}__`])));
      if (!interpolationsIn(value).some((r) => declared.has(r.variable))) {
        problems.push(`${service}: ${name} is written in docker-compose.yml, not taken from .env`);
        continue;
      }
      let url: URL | undefined;
      try {
        url = new URL(marked);
      } catch {
        url = undefined;
      }
      if (url && (url.username || url.password)) {
        if (!/^__ENV_[A-Z0-9_]+__$/.test(url.password))
          problems.push(`${service}: ${name} has a password that is not from .env`);
      } else if (!/^__ENV_[A-Z0-9_]+__$/.test(marked)) {
        problems.push(`${service}: ${name} is not exactly one variable from .env`);
      }
    }
  }
  return problems;
}

/** The files under k8s/ git would commit, each with its text. */
export function k8sSourceFiles(dir = join(ROOT, 'k8s')): SourceFile[] {
  const files: SourceFile[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (!gitIgnores(path)) files.push({ path, text: readFileSync(path, 'utf8') });
    }
  };
  visit(dir);
  return files;
}

/**
 * No Secret value under k8s/: no Secret object in any manifest, every secretGenerator reads env
 * files only (no literals), each env file is git-ignored and has a committed `.example` of
 * placeholders. `isIgnored` and `exists` are git's and the file system's answers.
 */
export function k8sSecretSourceProblems(
  files: SourceFile[],
  isIgnored: (path: string) => boolean,
  exists: (path: string) => boolean,
): string[] {
  const problems: string[] = [];
  for (const { path, text } of files) {
    if (!/\.ya?ml$|\/Kustomization$/.test(path)) continue;
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as Record<string, unknown> | null;
      if (!object || typeof object !== 'object' || Array.isArray(object)) continue;
      if (object['kind'] === 'Secret') problems.push(`${rel(path)}: a Secret with its values in the repository`);
      const generators = object['secretGenerator'];
      if (!Array.isArray(generators)) continue;
      for (const generator of generators as Record<string, unknown>[]) {
        const name = String(generator['name']);
        if (generator['literals'] || generator['files'])
          problems.push(`${rel(path)}: secretGenerator ${name} has values in the repository (literals or files)`);
        for (const env of (generator['envs'] as string[] | undefined) ?? []) {
          const envPath = resolve(path, '..', env);
          if (!isIgnored(envPath)) problems.push(`${rel(envPath)}: not ignored by git`);
          const example = files.find((f) => f.path === `${envPath}.example`);
          if (!example || !exists(example.path)) problems.push(`${rel(envPath)}.example: missing`);
          else problems.push(...secretTemplateProblems(example.text, rel(example.path)));
        }
      }
    }
  }
  return problems;
}

function rel(path: string): string {
  return relative(ROOT, path);
}

/**
 * Renders an overlay with `kubectl kustomize` from `files` (the committed files under k8s/ by
 * default), a git-ignored env file replaced by its committed `.example`: the result never
 * depends on, nor shows, a secret on this machine.
 */
export function renderWithTemplates(dir: string, files: SourceFile[] = k8sSourceFiles()): KObject[] {
  const paths = new Set(files.map((f) => f.path));
  const templates = files
    .filter((f) => f.path.endsWith('.example') && !paths.has(f.path.slice(0, -'.example'.length)))
    .map((f) => ({ path: f.path.slice(0, -'.example'.length), text: f.text }));
  return kustomizeFiles([...files, ...templates], ROOT, dir);
}

// ------------------------------------------------------------------------------------ kubernetes

interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: Record<string, { name?: string; key?: string; optional?: boolean }>;
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  securityContext?: SecurityContext & {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface Probe {
  httpGet?: { path?: string; port?: string | number };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Container[]; initContainers?: Container[]; securityContext?: SecurityContext };
}

const of = (objects: KObject[], kind: string) => objects.filter((o) => o.kind === kind);
const templateOf = (deployment: KObject) =>
  ((deployment['spec'] as { template?: PodTemplate } | undefined)?.template ?? {}) as PodTemplate;
const containersOf = (deployment: KObject) => [
  ...(templateOf(deployment).spec?.containers ?? []),
  ...(templateOf(deployment).spec?.initContainers ?? []),
];
const dataOf = (object: KObject | undefined) => (object?.['data'] ?? {}) as Record<string, string>;

/** The six Deployments, Services and autoscalers, in the one namespace. */
export function k8sInventoryProblems(objects: KObject[]): string[] {
  const problems: string[] = [];
  if (!objects.some((o) => o.kind === 'Namespace' && o.metadata.name === NAMESPACE))
    problems.push(`no Namespace ${NAMESPACE}`);
  for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler']) {
    const names = of(objects, kind).map((o) => o.metadata.name);
    for (const service of SERVICES) if (!names.includes(service)) problems.push(`${kind} ${service}: missing`);
    for (const name of names)
      if (!SERVICES.includes(name as ServiceId)) problems.push(`${kind} ${name}: not a service of the system`);
  }
  for (const object of objects) {
    if (object.kind !== 'Namespace' && object.metadata.namespace !== NAMESPACE)
      problems.push(`${object.kind}/${object.metadata.name}: not in namespace ${NAMESPACE}`);
  }
  return problems;
}

/**
 * References between objects: a Deployment's ConfigMaps and Secrets exist, were generated (their
 * name ends in their content hash) and hold the keys asked for; each Service selects the pods of
 * exactly one Deployment on a port it declares; each autoscaler scales an existing Deployment.
 */
export function k8sReferenceProblems(objects: KObject[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string | undefined) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const names = generatedNames(objects);
  const generated = (object: KObject) => names.get(object) === object.metadata.name;
  const refer = (
    id: string,
    kind: 'ConfigMap' | 'Secret',
    name: string | undefined,
    key?: string,
    optional?: boolean,
  ) => {
    const target = find(kind, name);
    if (!target) problems.push(`${id}: ${kind} ${name} does not exist`);
    else if (!generated(target)) problems.push(`${id}: ${kind} ${name} is not a generated one (no content hash)`);
    else if (key !== undefined && !(key in dataOf(target)) && !optional)
      problems.push(`${id}: ${kind} ${name} has no key ${key}`);
  };
  for (const deployment of of(objects, 'Deployment')) {
    const spec = deployment['spec'] as { selector?: { matchLabels?: Record<string, string> } };
    const labels = templateOf(deployment).metadata?.labels ?? {};
    const selector = spec.selector?.matchLabels ?? {};
    if (Object.keys(selector).length === 0 || !Object.entries(selector).every(([k, v]) => labels[k] === v))
      problems.push(`Deployment/${deployment.metadata.name}: its selector does not match its pod labels`);
    for (const container of containersOf(deployment)) {
      const id = `Deployment/${deployment.metadata.name} ${container.name}`;
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) refer(id, 'ConfigMap', source.configMapRef.name);
        if (source.secretRef) refer(id, 'Secret', source.secretRef.name);
      }
      for (const variable of container.env ?? []) {
        const from = variable.valueFrom ?? {};
        if (from['configMapKeyRef'])
          refer(
            `${id} ${variable.name}`,
            'ConfigMap',
            from['configMapKeyRef'].name,
            from['configMapKeyRef'].key,
            from['configMapKeyRef'].optional,
          );
        if (from['secretKeyRef'])
          refer(
            `${id} ${variable.name}`,
            'Secret',
            from['secretKeyRef'].name,
            from['secretKeyRef'].key,
            from['secretKeyRef'].optional,
          );
      }
    }
  }
  for (const service of of(objects, 'Service')) {
    const spec = service['spec'] as {
      selector?: Record<string, string>;
      ports?: { port: number; targetPort?: string | number }[];
    };
    const selector = spec.selector ?? {};
    const id = `Service/${service.metadata.name}`;
    const selected = of(objects, 'Deployment').filter((d) => {
      const labels = templateOf(d).metadata?.labels ?? {};
      return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
    });
    if (selected.length !== 1) {
      problems.push(`${id}: its selector matches ${selected.length} Deployments' pods`);
      continue;
    }
    const ports = containersOf(selected[0] as KObject).flatMap((c) => c.ports ?? []);
    for (const port of spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const container = ports.find((p) => p.name === target || p.containerPort === target);
      if (!container) problems.push(`${id}: port ${port.port} targets ${target}, which no container declares`);
      else if (container.containerPort !== port.port)
        problems.push(`${id}: port ${port.port} differs from the container's ${container.containerPort}`);
    }
  }
  for (const hpa of of(objects, 'HorizontalPodAutoscaler')) {
    const spec = hpa['spec'] as {
      scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
      minReplicas?: number;
      maxReplicas: number;
    };
    const ref = spec.scaleTargetRef ?? {};
    if (ref.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1' || !find('Deployment', ref.name))
      problems.push(
        `HorizontalPodAutoscaler/${hpa.metadata.name}: scales ${ref.apiVersion} ${ref.kind} ${ref.name}, which does not exist`,
      );
    if ((spec.minReplicas ?? 1) > spec.maxReplicas)
      problems.push(`HorizontalPodAutoscaler/${hpa.metadata.name}: minReplicas > maxReplicas`);
  }
  for (const deployment of of(objects, 'Deployment')) {
    const scalers = of(objects, 'HorizontalPodAutoscaler').filter(
      (h) => (h['spec'] as { scaleTargetRef?: { name?: string } }).scaleTargetRef?.name === deployment.metadata.name,
    );
    if (scalers.length !== 1) problems.push(`Deployment/${deployment.metadata.name}: ${scalers.length} autoscalers`);
    if ((deployment['spec'] as { replicas?: number }).replicas !== undefined)
      problems.push(`Deployment/${deployment.metadata.name}: sets replicas, which its autoscaler owns`);
  }
  return problems;
}

/** Each pod: probes on the health paths, not root, read-only, limited, scraped by Prometheus, its own image. */
export function k8sPodProblems(objects: KObject[]): string[] {
  const problems: string[] = [];
  for (const deployment of of(objects, 'Deployment')) {
    const name = deployment.metadata.name;
    const template = templateOf(deployment);
    const pod = template.spec?.securityContext ?? {};
    const containers = containersOf(deployment);
    if (containers.length === 0) problems.push(`Deployment/${name}: no containers`);
    for (const container of containers) {
      const id = `Deployment/${name} ${container.name}`;
      const ports = container.ports ?? [];
      const probe = (kind: 'readinessProbe' | 'livenessProbe' | 'startupProbe', paths: string[], required: boolean) => {
        const p = container[kind];
        if (!p) {
          if (required) problems.push(`${id}: no ${kind}`);
          return;
        }
        if (!p.httpGet?.path || !paths.includes(p.httpGet.path))
          problems.push(`${id}: ${kind} asks ${p.httpGet?.path}, not ${paths.join(' or ')}`);
        if (!ports.some((port) => port.name === p.httpGet?.port || port.containerPort === p.httpGet?.port))
          problems.push(`${id}: ${kind} port ${p.httpGet?.port} is not a container port`);
      };
      probe('readinessProbe', ['/health/ready'], true);
      probe('livenessProbe', ['/health/live'], true);
      probe('startupProbe', ['/health/live', '/health/ready'], false);

      const security = container.securityContext ?? {};
      const runAsNonRoot = security.runAsNonRoot ?? pod.runAsNonRoot;
      const runAsUser = security.runAsUser ?? pod.runAsUser;
      if (runAsNonRoot !== true) problems.push(`${id}: runAsNonRoot is not set`);
      if (runAsUser === undefined || runAsUser === 0)
        problems.push(`${id}: no non-root runAsUser (the image's USER is a name)`);
      if (security.allowPrivilegeEscalation !== false) problems.push(`${id}: allowPrivilegeEscalation is not false`);
      if (security.privileged) problems.push(`${id}: privileged`);
      if (security.readOnlyRootFilesystem !== true) problems.push(`${id}: the root filesystem is writable`);
      if (!security.capabilities?.drop?.includes('ALL')) problems.push(`${id}: capabilities are not dropped`);

      const { limits = {}, requests = {} } = container.resources ?? {};
      for (const resource of ['cpu', 'memory']) {
        const limit = limits[resource];
        const request = requests[resource];
        if (limit === undefined) problems.push(`${id}: no ${resource} limit`);
        if (request === undefined) problems.push(`${id}: no ${resource} request`);
        if (limit !== undefined && request !== undefined && quantity(request) > quantity(limit))
          problems.push(`${id}: ${resource} request ${request} exceeds its limit ${limit}`);
      }

      const http = ports.find((p) => p.name === 'http');
      if (!http) problems.push(`${id}: no port named http`);
      const expected = SERVICE_PORTS[name as ServiceId];
      if (http && expected !== undefined && http.containerPort !== expected)
        problems.push(`${id}: http port is not ${expected}`);
      const httpPort = container.env?.find((e) => e.name === 'HTTP_PORT')?.value;
      if (http && httpPort !== String(http.containerPort))
        problems.push(`${id}: HTTP_PORT ${httpPort} is not the container port ${http.containerPort}`);
      const image = container.image ?? '';
      if (image.replace(/[@:][^/]*$/, '') !== `recert/${name}`)
        problems.push(`${id}: image ${image} is not recert/${name}`);
    }
    const annotations = template.metadata?.annotations ?? {};
    const http = containers[0]?.ports?.find((p) => p.name === 'http');
    if (annotations['prometheus.io/scrape'] !== 'true') problems.push(`Deployment/${name}: not scraped by Prometheus`);
    if (annotations['prometheus.io/path'] !== '/metrics')
      problems.push(`Deployment/${name}: metrics path is not /metrics`);
    if (!http || annotations['prometheus.io/port'] !== String(http.containerPort))
      problems.push(`Deployment/${name}: the metrics port is not the http port`);
  }
  return problems;
}

/** A Kubernetes quantity as a number (CPU in cores, memory in bytes). */
export function quantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!m) throw new Error(`not a quantity: ${value}`);
  const factors: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (m[2] ? (factors[m[2]] as number) : 1);
}

/**
 * The consumers' autoscalers stop at the partition count: a consumer group gives each partition
 * to one member, so replicas beyond it would idle. Every autoscaler scales on some metric.
 */
export function k8sAutoscalingProblems(objects: KObject[], partitions: number): string[] {
  const problems: string[] = [];
  for (const hpa of of(objects, 'HorizontalPodAutoscaler')) {
    const spec = hpa['spec'] as {
      maxReplicas: number;
      minReplicas?: number;
      metrics?: unknown[];
      scaleTargetRef?: { name?: string };
    };
    const id = `HorizontalPodAutoscaler/${hpa.metadata.name}`;
    if (CONSUMERS.includes(spec.scaleTargetRef?.name as ServiceId) && spec.maxReplicas > partitions)
      problems.push(`${id}: maxReplicas ${spec.maxReplicas} is more than the ${partitions} partitions`);
    if (!spec.metrics?.length) problems.push(`${id}: no metrics`);
  }
  return problems;
}

/** The environment each Deployment's container gets, values resolved from the ConfigMaps and Secrets. */
export function k8sEnvironments(objects: KObject[]): Record<string, Env> {
  const find = (kind: string, name: string | undefined) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const decode = (data: Record<string, string>) =>
    Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  const envs: Record<string, Env> = {};
  for (const deployment of of(objects, 'Deployment')) {
    const container = templateOf(deployment).spec?.containers?.[0];
    const env: Env = {};
    for (const source of container?.envFrom ?? []) {
      if (source.configMapRef) Object.assign(env, dataOf(find('ConfigMap', source.configMapRef.name)));
      if (source.secretRef) Object.assign(env, decode(dataOf(find('Secret', source.secretRef.name))));
    }
    for (const variable of container?.env ?? []) {
      const from = variable.valueFrom ?? {};
      if (from['configMapKeyRef'])
        env[variable.name] =
          dataOf(find('ConfigMap', from['configMapKeyRef'].name))[from['configMapKeyRef'].key ?? ''] ?? '';
      else if (from['secretKeyRef'])
        env[variable.name] =
          decode(dataOf(find('Secret', from['secretKeyRef'].name)))[from['secretKeyRef'].key ?? ''] ?? '';
      else env[variable.name] = variable.value ?? '';
    }
    envs[deployment.metadata.name] = env;
  }
  return envs;
}

/** No ConfigMap, wherever it is used, may make the clock controllable. */
export function clockModeProblems(objects: KObject[]): string[] {
  return of(objects, 'ConfigMap')
    .filter((c) => dataOf(c)['CLOCK_MODE']?.trim() === 'controllable')
    .map((c) => `ConfigMap/${c.metadata.name}: CLOCK_MODE=controllable`);
}

/** The production overlay pins every image to a tag or digest (never `latest`). */
export function pinnedImageProblems(objects: KObject[]): string[] {
  return of(objects, 'Deployment')
    .flatMap((d) =>
      containersOf(d).map((c) => ({ id: `Deployment/${d.metadata.name} ${c.name}`, image: c.image ?? '' })),
    )
    .filter(
      ({ image }) =>
        !/@sha256:[0-9a-f]{64}$/.test(image) && !/:(?!latest$)[\w][\w.-]*$/.test(image.slice(image.lastIndexOf('/'))),
    )
    .map(({ id, image }) => `${id}: image ${image} is not pinned to a tag`);
}
