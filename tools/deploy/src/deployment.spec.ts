import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS, Topics } from '@recert/contracts';
import { loadRecertConfig, policyFromEnv, SERVICE_PORTS } from '@recert/platform';
import { ComposeFile, composeSchemaProblems, interpolate, InterpolationError, loadCompose } from './lib/compose';
import {
  clockModeProblems,
  composeEnvironments,
  composeSecretProblems,
  composeStructureProblems,
  CONSUMERS,
  dockerfileUserProblems,
  environmentProblems,
  gitIgnores,
  k8sAutoscalingProblems,
  k8sEnvironments,
  k8sInventoryProblems,
  k8sPodProblems,
  k8sReferenceProblems,
  k8sSecretSourceProblems,
  k8sSourceFiles,
  pinnedImageProblems,
  quantity,
  renderWithTemplates,
  ROOT,
  sameVariableProblems,
  secretTemplateProblems,
  SERVICES,
  SourceFile,
} from './lib/deploy-checks';
import { kubernetesSchemaProblems } from './lib/k8s-schema';
import { KObject, kubectl, parseEnvFile } from './lib/kubectl-kustomize';

/**
 * docker-compose.yml and k8s/ checked without Docker or a cluster: the Compose file against the
 * Compose Specification's schema, the kustomize overlays rendered by `kubectl kustomize` and every
 * object checked against the Kubernetes schemas (kubernetes-models), then what a schema cannot say — references
 * between objects, probes, security, limits, secrets kept out of the repository, and the same
 * services with the same variables on both sides. The last block breaks a copy of each file in
 * the way each check is there to catch, and expects the check to say so.
 */

type Env = Record<string, string>;
/** A manifest as the controls below break it: any field, however deep. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const envFile = (path: string): Env => Object.fromEntries(parseEnvFile(read(path), path));
const clone = <T>(value: T): T => structuredClone(value);

const rawCompose = loadCompose(join(ROOT, 'docker-compose.yml'));
const envExample = envFile('.env.example');
/** What `docker compose config` would see with .env copied from .env.example. */
const compose = interpolate(rawCompose, envExample);
const secretKeys = Object.keys(envFile('k8s/base/secrets.env.example'));
const composeEnvs = composeEnvironments(compose);
const composeAddresses = Object.fromEntries(SERVICES.map((s) => [s, `${s}:${SERVICE_PORTS[s]}`]));

/**
 * The most partitions a topic has: a consumer group member beyond it gets no partition of any
 * topic. (Each service reads at least one topic that has this many; no service reads the
 * dead-letter topic.)
 */
const PARTITIONS = Math.max(...ALL_TOPICS.filter((t) => t !== Topics.deadLetter).map((t) => t.partitions));

const OVERLAYS = { base: 'k8s/base', production: 'k8s/overlays/production' } as const;
type Overlay = keyof typeof OVERLAYS;
const renders = new Map<Overlay, KObject[]>();
/** The overlay rendered by kubectl (once), secrets read from the committed templates. */
const rendered = (overlay: Overlay): KObject[] => {
  if (!renders.has(overlay)) renders.set(overlay, renderWithTemplates(join(ROOT, OVERLAYS[overlay])));
  return clone(renders.get(overlay) as KObject[]);
};
let sources: SourceFile[] | undefined;
/** The committed files under k8s/ (asking git about each takes a while: once). */
const k8sSources = (): SourceFile[] => clone((sources ??= k8sSourceFiles()));

/** Where each Service is reached: its name and port. */
const serviceAddresses = (objects: KObject[]) =>
  Object.fromEntries(
    objects
      .filter((o) => o.kind === 'Service')
      .map((s) => [
        s.metadata.name,
        `${s.metadata.name}:${(s['spec'] as { ports: { port: number }[] }).ports[0]?.port}`,
      ]),
  );

describe('docker-compose.yml', () => {
  it('conforms to the Compose Specification schema, as written and once interpolated', () => {
    expect(composeSchemaProblems(rawCompose)).toEqual([]);
    expect(composeSchemaProblems(compose)).toEqual([]);
  });

  it('runs Kafka, PostgreSQL, Redis and the six services: health-checked, limited, started in order, only the gateway public', () => {
    expect(composeStructureProblems(compose)).toEqual([]);
    expect(dockerfileUserProblems(read('Dockerfile'))).toEqual([]);
  });

  it('gives each service the environment it reads, the gateway the services’ addresses, and a clock that cannot move', () => {
    expect(environmentProblems(composeEnvs, composeAddresses, 'compose')).toEqual([]);
  });

  it('takes every secret from .env, which git ignores; .env.example holds placeholders only', () => {
    expect(composeSecretProblems(rawCompose, envExample, secretKeys)).toEqual([]);
    expect(secretTemplateProblems(read('.env.example'), '.env.example')).toEqual([]);
    expect(gitIgnores(join(ROOT, '.env'))).toBe(true);
    expect(gitIgnores(join(ROOT, '.env.example'))).toBe(false);
  });

  it('refuses to start while a secret is unset', () => {
    for (const variable of Object.keys(envExample)) {
      const rest = { ...envExample };
      delete rest[variable];
      expect(() => interpolate(rawCompose, rest)).toThrow(InterpolationError);
      expect(() => interpolate(rawCompose, rest)).toThrow(variable);
    }
  });

  it('configures every service validly for production, with the policy’s defaults', () => {
    for (const service of SERVICES) {
      const env = composeEnvs[service] as Env;
      expect(loadRecertConfig(service, env)).toMatchObject({
        env: 'production',
        clockMode: 'system',
        httpPort: SERVICE_PORTS[service],
      });
      expect(policyFromEnv(env)).toEqual(policyFromEnv({}));
    }
  });
});

describe('kubectl', () => {
  it('is installed, with kustomize v5 (the tests render k8s/ with it)', () => {
    expect(kubectl(['version', '--client'])).toMatch(/Kustomize Version: v5\./);
  });
});

describe.each(Object.keys(OVERLAYS) as Overlay[])('k8s/%s', (overlay) => {
  it('renders, and every object conforms to the Kubernetes schemas (no unknown field)', () => {
    const objects = rendered(overlay);
    expect(objects.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Namespace', 'ConfigMap', 'Secret', 'Service', 'Deployment', 'HorizontalPodAutoscaler']),
    );
    expect(kubernetesSchemaProblems(objects)).toEqual([]);
  });

  it('holds a Deployment, a Service and an autoscaler for each of the six services, in one namespace', () => {
    expect(k8sInventoryProblems(rendered(overlay))).toEqual([]);
  });

  it('references only what exists: generated ConfigMaps and Secrets with their keys, selected pods, scaled Deployments', () => {
    expect(k8sReferenceProblems(rendered(overlay))).toEqual([]);
  });

  it('runs each pod non-root and read-only, with health probes, limits and Prometheus annotations', () => {
    expect(k8sPodProblems(rendered(overlay))).toEqual([]);
  });

  it(`stops each consumer's autoscaler at the partition count (${PARTITIONS})`, () => {
    expect(k8sAutoscalingProblems(rendered(overlay), PARTITIONS)).toEqual([]);
  });

  it('gives each service the environment it reads — the same names as docker-compose.yml — and a clock that cannot move', () => {
    const objects = rendered(overlay);
    const envs = k8sEnvironments(objects);
    expect(environmentProblems(envs, serviceAddresses(objects), overlay)).toEqual([]);
    expect(clockModeProblems(objects)).toEqual([]);
    expect(sameVariableProblems(composeEnvs, envs, 'docker-compose.yml', `k8s/${overlay}`)).toEqual([]);
  });

  it('configures every service validly for production', () => {
    const envs = k8sEnvironments(rendered(overlay));
    for (const service of SERVICES) {
      const env = envs[service] as Env;
      expect(loadRecertConfig(service, env)).toMatchObject({
        env: 'production',
        clockMode: 'system',
        httpPort: SERVICE_PORTS[service],
      });
      if (overlay === 'base') expect(policyFromEnv(env)).toEqual(policyFromEnv({}));
      else expect(() => policyFromEnv(env)).not.toThrow();
    }
  });
});

describe('k8s secrets and production', () => {
  it('commits no Secret value: generators read git-ignored env files whose committed templates hold placeholders', () => {
    expect(k8sSecretSourceProblems(k8sSources(), gitIgnores, existsSync)).toEqual([]);
    expect(secretKeys.sort()).toEqual([
      'API_TOKENS',
      'DATABASE_URL',
      'KAFKA_PASSWORD_APPLICATIONS',
      'KAFKA_PASSWORD_AUDITS',
      'KAFKA_PASSWORD_CEU_VERIFICATION',
      'KAFKA_PASSWORD_GATEWAY',
      'KAFKA_PASSWORD_PAYMENTS',
      'KAFKA_PASSWORD_PETITIONS',
      'PAYMENTS_WEBHOOK_SECRET',
      'STAFF_IDENTITY_SECRET',
    ]);
  });

  it('pins every production image, and gives production more replicas and resources than the base', () => {
    const base = rendered('base');
    const production = rendered('production');
    expect(pinnedImageProblems(production)).toEqual([]);
    const find = (objects: KObject[], kind: string, name: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === name) as KObject;
    type Scaler = { spec: { minReplicas: number; maxReplicas: number } };
    type Pod = { spec: { template: { spec: { containers: { resources: { limits: Record<string, string> } }[] } } } };
    for (const service of SERVICES) {
      const [b, p] = [base, production].map((o) => find(o, 'HorizontalPodAutoscaler', service) as unknown as Scaler);
      expect(p?.spec.minReplicas).toBeGreaterThanOrEqual(service === 'gateway' ? 3 : 2);
      expect(p?.spec.minReplicas).toBeGreaterThan(b?.spec.minReplicas ?? Infinity);
      const [bl, pl] = [base, production].map(
        (o) =>
          (find(o, 'Deployment', service) as unknown as Pod).spec.template.spec.containers[0]?.resources.limits ?? {},
      );
      for (const resource of ['cpu', 'memory']) {
        expect(quantity(pl?.[resource] ?? 0)).toBeGreaterThan(quantity(bl?.[resource] ?? Infinity));
      }
    }
    expect(CONSUMERS).toHaveLength(5);
  });
});

describe('every check can fail', () => {
  const k8s = () => rendered('production');
  const edit = (objects: KObject[], kind: string, name: string, change: (o: Loose) => void): KObject[] => {
    const object = objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));
    if (!object) throw new Error(`no ${kind} ${name}`);
    change(object);
    return objects;
  };
  const container = (o: Loose) => o['spec'].template.spec.containers[0];
  const composeWith = (change: (c: Loose) => void): ComposeFile => {
    const copy = clone(compose);
    change(copy);
    return copy;
  };
  const rawComposeWith = (change: (c: Loose) => void): ComposeFile => {
    const copy = clone(rawCompose);
    change(copy);
    return copy;
  };
  const envsWith = (change: (e: Record<string, Env>) => void) => {
    const copy = clone(composeEnvs);
    change(copy);
    return copy;
  };

  const controls: [string, () => string[], RegExp][] = [
    // docker-compose.yml
    [
      'compose: a field the specification does not have',
      () => composeSchemaProblems(composeWith((c) => (c['services'].redis.healthchek = {}))),
      /additional properties/,
    ],
    [
      'compose: ports as a number',
      () => composeSchemaProblems(composeWith((c) => (c['services'].gateway.ports = 3000))),
      /must be array/,
    ],
    [
      'compose: a service missing',
      () => composeStructureProblems(composeWith((c) => delete c['services'].payments)),
      /payments: missing/,
    ],
    [
      'compose: no healthcheck',
      () => composeStructureProblems(composeWith((c) => delete c['services'].petitions.healthcheck)),
      /petitions: no healthcheck/,
    ],
    [
      'compose: no limits',
      () => composeStructureProblems(composeWith((c) => delete c['services'].redis.deploy)),
      /redis: no CPU and memory limits/,
    ],
    [
      'compose: started before Kafka is healthy',
      () =>
        composeStructureProblems(
          composeWith((c) => (c['services'].applications.depends_on.kafka.condition = 'service_started')),
        ),
      /applications: does not wait for kafka/,
    ],
    [
      'compose: waits on a service without a healthcheck',
      () => composeStructureProblems(composeWith((c) => delete c['services'].kafka.healthcheck)),
      /waits for kafka to be healthy, which has no healthcheck/,
    ],
    [
      'compose: a healthcheck elsewhere',
      () => composeStructureProblems(composeWith((c) => (c['services'].audits.healthcheck.test = ['CMD', 'true']))),
      /audits: the healthcheck does not ask/,
    ],
    [
      'compose: a service published',
      () => composeStructureProblems(composeWith((c) => (c['services'].audits.ports = ['3005:3005']))),
      /audits: publishes a port/,
    ],
    [
      'compose: the wrong build',
      () => composeStructureProblems(composeWith((c) => (c['services'].petitions.build.args.SERVICE = 'payments'))),
      /petitions: not built from the root Dockerfile/,
    ],
    [
      'compose: writable root filesystem',
      () => composeStructureProblems(composeWith((c) => delete c['services'].gateway.read_only)),
      /gateway: the root filesystem is writable/,
    ],
    [
      'compose: a service started before the topics and ACLs are provisioned',
      () => composeStructureProblems(composeWith((c) => delete c['services'].payments.depends_on['kafka-provision'])),
      /payments: does not wait for kafka-provision to complete/,
    ],
    [
      'compose: the provisioning job restarts',
      () => composeStructureProblems(composeWith((c) => (c['services']['kafka-provision'].restart = 'always'))),
      /kafka-provision: runs once, but restarts/,
    ],
    [
      'Dockerfile: no USER',
      () => dockerfileUserProblems(read('Dockerfile').replace(/^USER .*$/gm, '')),
      /sets no USER/,
    ],
    [
      'Dockerfile: USER root',
      () => dockerfileUserProblems(read('Dockerfile').replace(/^USER .*$/gm, 'USER root')),
      /runs as root/,
    ],
    [
      "compose: a service given another service's Kafka password (issue 13)",
      () =>
        environmentProblems(
          envsWith((e) => ((e['audits'] as Env)['KAFKA_PASSWORD_PAYMENTS'] = 'x')),
          composeAddresses,
          'compose',
        ),
      /audits: KAFKA_PASSWORD_PAYMENTS is for payments only/,
    ],
    [
      'compose: a service without its own Kafka password (issue 13)',
      () =>
        environmentProblems(
          envsWith((e) => delete (e['petitions'] as Env)['KAFKA_PASSWORD_PETITIONS']),
          composeAddresses,
          'compose',
        ),
      /petitions: KAFKA_PASSWORD_PETITIONS is not set \(from the secrets\)/,
    ],
    [
      'compose: a controllable clock',
      () =>
        environmentProblems(
          envsWith((e) => ((e['audits'] as Env)['CLOCK_MODE'] = 'controllable')),
          composeAddresses,
          'compose',
        ),
      /audits: CLOCK_MODE=controllable/,
    ],
    [
      'compose: a misspelt variable',
      () =>
        environmentProblems(
          envsWith((e) => ((e['petitions'] as Env)['KAFKA_BROKER'] = 'kafka:9092')),
          composeAddresses,
          'compose',
        ),
      /KAFKA_BROKER is read by no service/,
    ],
    [
      'compose: a secret given to a service that does not need it',
      () =>
        environmentProblems(
          envsWith((e) => ((e['gateway'] as Env)['PAYMENTS_WEBHOOK_SECRET'] = 'x')),
          composeAddresses,
          'compose',
        ),
      /gateway: PAYMENTS_WEBHOOK_SECRET is for payments only/,
    ],
    [
      'compose: the gateway pointed at the wrong port',
      () =>
        environmentProblems(
          envsWith((e) => ((e['gateway'] as Env)['PAYMENTS_URL'] = 'http://payments:3000')),
          composeAddresses,
          'compose',
        ),
      /gateway: PAYMENTS_URL/,
    ],
    [
      'compose: the wrong HTTP_PORT',
      () =>
        environmentProblems(
          envsWith((e) => ((e['audits'] as Env)['HTTP_PORT'] = '3000')),
          composeAddresses,
          'compose',
        ),
      /audits: HTTP_PORT is not 3005/,
    ],
    [
      'compose: a default password',
      () =>
        composeSecretProblems(
          rawComposeWith(
            (c) => (c['services'].postgres.environment.POSTGRES_PASSWORD = '${POSTGRES_PASSWORD:-recert}'),
          ),
          envExample,
          secretKeys,
        ),
      /no default secret/,
    ],
    [
      'compose: a secret written in the file',
      () =>
        composeSecretProblems(
          rawComposeWith((c) => (c['services'].payments.environment.PAYMENTS_WEBHOOK_SECRET = 'whsec_123')),
          envExample,
          secretKeys,
        ),
      /payments: PAYMENTS_WEBHOOK_SECRET is written in docker-compose.yml/,
    ],
    [
      'compose: a password in a URL',
      () =>
        composeSecretProblems(
          rawComposeWith(
            (c) =>
              (c['services'].audits.environment.DATABASE_URL =
                'postgres://postgres:hunter2@postgres:5432/recert?x=${POSTGRES_PASSWORD:?x}'),
          ),
          envExample,
          secretKeys,
        ),
      /audits: DATABASE_URL has a password that is not from .env/,
    ],
    [
      'compose: a variable .env.example does not list',
      () =>
        composeSecretProblems(
          rawComposeWith((c) => (c['services'].audits.environment.LOG_LEVEL = '${LOG_LEVEL:?x}')),
          envExample,
          secretKeys,
        ),
      /LOG_LEVEL\} is not in .env.example/,
    ],
    [
      'compose: a secret-like variable with a default',
      () =>
        composeSecretProblems(
          rawComposeWith(
            (c) => (c['services'].redis.command = ['redis-server', '--requirepass', '${REDIS_PASSWORD:-redis}']),
          ),
          envExample,
          secretKeys,
        ),
      /REDIS_PASSWORD\} is not in .env.example/,
    ],
    [
      '.env.example: a real value',
      () =>
        secretTemplateProblems(
          read('.env.example').replace(/^API_TOKENS=.*$/m, 'API_TOKENS=tok_live_42'),
          '.env.example',
        ),
      /API_TOKENS is not a placeholder/,
    ],
    [
      'compose vs k8s: a variable on one side only',
      () =>
        sameVariableProblems(
          composeEnvs,
          envsWith((e) => delete (e['applications'] as Env)['LOG_LEVEL']),
          'docker-compose.yml',
          'k8s',
        ),
      /applications: only docker-compose.yml sets LOG_LEVEL/,
    ],
    [
      'config: the services refuse a controllable clock in production',
      () => {
        try {
          loadRecertConfig('audits', { ...(composeEnvs['audits'] as Env), CLOCK_MODE: 'controllable' });
          return [];
        } catch (error) {
          return [String(error)];
        }
      },
      /controllable is refused in production/,
    ],

    // k8s
    [
      'k8s: a field of the wrong type',
      () =>
        kubernetesSchemaProblems(
          edit(k8s(), 'HorizontalPodAutoscaler', 'audits', (o) => (o['spec'].maxReplicas = 'twelve')),
        ),
      /maxReplicas must be integer/,
    ],
    [
      'k8s: a required field missing',
      () => kubernetesSchemaProblems(edit(k8s(), 'Deployment', 'payments', (o) => delete container(o).name)),
      /must have required property name/,
    ],
    [
      'k8s: a misspelt field',
      () =>
        kubernetesSchemaProblems(
          edit(k8s(), 'Deployment', 'petitions', (o) => (container(o).readinesProbe = container(o).readinessProbe)),
        ),
      /containers\[0\]\.readinesProbe: unknown field/,
    ],
    [
      'k8s: a kind the validator does not know',
      () => kubernetesSchemaProblems([...k8s(), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }]),
      /Pod is not a kind this validator knows/,
    ],
    [
      'k8s: a Service missing',
      () => k8sInventoryProblems(k8s().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'audits'))),
      /Service audits: missing/,
    ],
    [
      'k8s: an object outside the namespace',
      () => k8sInventoryProblems(edit(k8s(), 'Service', 'gateway', (o) => (o['metadata'].namespace = 'default'))),
      /Service\/gateway: not in namespace recert/,
    ],
    [
      'k8s: a ConfigMap that does not exist',
      () =>
        k8sReferenceProblems(
          edit(k8s(), 'Deployment', 'audits', (o) => (container(o).envFrom[0].configMapRef.name = 'recert-config')),
        ),
      /ConfigMap recert-config does not exist/,
    ],
    [
      'k8s: a ConfigMap that was not generated',
      () => k8sReferenceProblems(edit(k8s(), 'ConfigMap', 'recert-config', (o) => (o['data'].LOG_LEVEL = 'debug'))),
      /is not a generated one/,
    ],
    [
      'k8s: a Secret key that does not exist',
      () =>
        k8sReferenceProblems(
          edit(
            k8s(),
            'Deployment',
            'payments',
            (o) =>
              (container(o).env.find(
                (e: { name: string }) => e.name === 'PAYMENTS_WEBHOOK_SECRET',
              ).valueFrom.secretKeyRef.key = 'WEBHOOK'),
          ),
        ),
      /has no key WEBHOOK/,
    ],
    [
      'k8s: a Service that selects no pod',
      () =>
        k8sReferenceProblems(
          edit(k8s(), 'Service', 'petitions', (o) => (o['spec'].selector['app.kubernetes.io/name'] = 'petition')),
        ),
      /Service\/petitions: its selector matches 0/,
    ],
    [
      'k8s: a Service on a port no container has',
      () => k8sReferenceProblems(edit(k8s(), 'Service', 'gateway', (o) => (o['spec'].ports[0].targetPort = 'web'))),
      /targets web, which no container declares/,
    ],
    [
      'k8s: an autoscaler of nothing',
      () =>
        k8sReferenceProblems(
          edit(k8s(), 'HorizontalPodAutoscaler', 'audits', (o) => (o['spec'].scaleTargetRef.name = 'audit')),
        ),
      /scales apps\/v1 Deployment audit, which does not exist/,
    ],
    [
      'k8s: replicas beside an autoscaler',
      () => k8sReferenceProblems(edit(k8s(), 'Deployment', 'audits', (o) => (o['spec'].replicas = 3))),
      /sets replicas/,
    ],
    [
      'k8s: a readiness probe elsewhere',
      () =>
        k8sPodProblems(
          edit(k8s(), 'Deployment', 'applications', (o) => (container(o).readinessProbe.httpGet.path = '/health')),
        ),
      /readinessProbe asks \/health, not \/health\/ready/,
    ],
    [
      'k8s: no liveness probe',
      () => k8sPodProblems(edit(k8s(), 'Deployment', 'audits', (o) => delete container(o).livenessProbe)),
      /audits audits: no livenessProbe/,
    ],
    [
      'k8s: root',
      () =>
        k8sPodProblems(
          edit(k8s(), 'Deployment', 'gateway', (o) => (o['spec'].template.spec.securityContext.runAsUser = 0)),
        ),
      /no non-root runAsUser/,
    ],
    [
      'k8s: runAsNonRoot unset',
      () =>
        k8sPodProblems(
          edit(k8s(), 'Deployment', 'gateway', (o) => delete o['spec'].template.spec.securityContext.runAsNonRoot),
        ),
      /runAsNonRoot is not set/,
    ],
    [
      'k8s: a writable root filesystem',
      () =>
        k8sPodProblems(
          edit(k8s(), 'Deployment', 'payments', (o) => (container(o).securityContext.readOnlyRootFilesystem = false)),
        ),
      /payments: the root filesystem is writable/,
    ],
    [
      'k8s: no memory limit',
      () => k8sPodProblems(edit(k8s(), 'Deployment', 'petitions', (o) => delete container(o).resources.limits.memory)),
      /no memory limit/,
    ],
    [
      'k8s: a request above its limit',
      () => k8sPodProblems(edit(k8s(), 'Deployment', 'petitions', (o) => (container(o).resources.requests.cpu = '2'))),
      /cpu request 2 exceeds its limit/,
    ],
    [
      'k8s: not scraped',
      () =>
        k8sPodProblems(
          edit(
            k8s(),
            'Deployment',
            'audits',
            (o) => delete o['spec'].template.metadata.annotations['prometheus.io/scrape'],
          ),
        ),
      /not scraped by Prometheus/,
    ],
    [
      'k8s: another service’s image',
      () => k8sPodProblems(edit(k8s(), 'Deployment', 'audits', (o) => (container(o).image = 'recert/payments:0.1.0'))),
      /is not recert\/audits/,
    ],
    [
      'k8s: more consumers than partitions',
      () =>
        k8sAutoscalingProblems(
          edit(k8s(), 'HorizontalPodAutoscaler', 'payments', (o) => (o['spec'].maxReplicas = PARTITIONS + 1)),
          PARTITIONS,
        ),
      /more than the \d+ partitions/,
    ],
    [
      'k8s: a controllable clock',
      () =>
        clockModeProblems(edit(k8s(), 'ConfigMap', 'recert-config', (o) => (o['data'].CLOCK_MODE = 'controllable'))),
      /CLOCK_MODE=controllable/,
    ],
    [
      'k8s: a variable on one side only',
      () =>
        sameVariableProblems(
          composeEnvs,
          k8sEnvironments(
            edit(k8s(), 'Deployment', 'payments', (o) => container(o).env.push({ name: 'DB_SCHEMA', value: 'x' })),
          ),
          'docker-compose.yml',
          'k8s',
        ),
      /payments: only k8s sets DB_SCHEMA/,
    ],
    [
      'k8s: an unpinned production image',
      () =>
        pinnedImageProblems(
          edit(k8s(), 'Deployment', 'gateway', (o) => (container(o).image = 'recert/gateway:latest')),
        ),
      /not pinned/,
    ],
    ...secretSourceControls(),
    ...brokenOverlayControls(),
  ];

  it.each(controls)('%s', (_name, problems, expected) => {
    expect(problems().join('\n')).toMatch(expected);
  });
});

/** Broken copies of the committed k8s/ files for the secret checks. */
function secretSourceControls(): [string, () => string[], RegExp][] {
  const files = k8sSources;
  const replaceIn = (all: SourceFile[], suffix: string, change: (text: string) => string) =>
    all.map((f) => (f.path.endsWith(suffix) ? { ...f, text: change(f.text) } : f));
  return [
    [
      'k8s: a Secret manifest',
      () =>
        k8sSecretSourceProblems(
          [
            ...files(),
            { path: join(ROOT, 'k8s/base/secret.yaml'), text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n' },
          ],
          gitIgnores,
          existsSync,
        ),
      /a Secret with its values in the repository/,
    ],
    [
      'k8s: a secret literal',
      () =>
        k8sSecretSourceProblems(
          replaceIn(files(), 'base/kustomization.yaml', (t) =>
            t.replace('    envs:\n      - secrets.env', '    literals:\n      - API_TOKENS=abc'),
          ),
          gitIgnores,
          existsSync,
        ),
      /has values in the repository/,
    ],
    [
      'k8s: an env file git would commit',
      () => k8sSecretSourceProblems(files(), () => false, existsSync),
      /secrets.env: not ignored by git/,
    ],
    [
      'k8s: a template with a real value',
      () =>
        k8sSecretSourceProblems(
          replaceIn(files(), 'secrets.env.example', (t) =>
            t.replace(/^PAYMENTS_WEBHOOK_SECRET=.*$/m, 'PAYMENTS_WEBHOOK_SECRET=whsec_live'),
          ),
          gitIgnores,
          existsSync,
        ),
      /PAYMENTS_WEBHOOK_SECRET is not a placeholder/,
    ],
    [
      'k8s: no template',
      () =>
        k8sSecretSourceProblems(
          files().filter((f) => !f.path.endsWith('.example')),
          gitIgnores,
          existsSync,
        ),
      /secrets.env.example: missing/,
    ],
  ];
}

/** Broken copies of the committed overlay, rendered by kubectl: kubectl or the schema check refuses each. */
function brokenOverlayControls(): [string, () => string[], RegExp][] {
  const production = join(ROOT, OVERLAYS.production);
  const renderProblems = (change: (files: SourceFile[]) => SourceFile[]) => () => {
    try {
      return kubernetesSchemaProblems(renderWithTemplates(production, change(k8sSources())));
    } catch (error) {
      return [String(error)];
    }
  };
  const replaceIn = (suffix: string, change: (text: string) => string) => (all: SourceFile[]) =>
    all.map((f) => (f.path.endsWith(suffix) ? { ...f, text: change(f.text) } : f));
  return [
    [
      'k8s overlay: a field kustomize does not know',
      renderProblems(replaceIn('production/kustomization.yaml', (t) => t.replace(/^images:/m, 'image:'))),
      /invalid Kustomization: json: unknown field \\?"image/,
    ],
    [
      'k8s overlay: a patch file that does not exist',
      renderProblems(
        replaceIn('production/kustomization.yaml', (t) => t.replace('gateway-autoscaler', 'gateway-scaler')),
      ),
      /patches\/gateway-scaler.yaml: no such file/,
    ],
    [
      'k8s overlay: a Secret without its env file',
      renderProblems((all) => all.filter((f) => !f.path.endsWith('secrets.env.example'))),
      /secrets.env: no such file/,
    ],
    [
      'k8s overlay: a patch that misspells a field (kubectl renders it; the schema check refuses it)',
      renderProblems(replaceIn('patches/gateway-deployment.yaml', (t) => t.replace('resources:', 'resource:'))),
      /Deployment\/gateway: .*containers\[0\]\.resource: unknown field/,
    ],
  ];
}
