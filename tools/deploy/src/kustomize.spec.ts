import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KObject, KustomizeError, kustomizeHash, renderKustomization } from './lib/kustomize';

/** The renderer against kustomize's documented behaviour, on small kustomizations written to a temporary directory. */

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kustomize-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
const render = (dir = '.') => renderKustomization(join(root, dir));
/** A rendered object, read deeply. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const find = (objects: KObject[], kind: string) => objects.filter((o) => o.kind === kind);

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { tier: front }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: example/web
          envFrom: [{ configMapRef: { name: settings } }]
          env:
            - { name: TOKEN, valueFrom: { secretKeyRef: { name: credentials, key: TOKEN } } }
            - { name: PORT, value: "80" }
          resources: { limits: { cpu: 500m } }
        - name: sidecar
          image: example/sidecar:1.0
      volumes:
        - { name: config, configMap: { name: settings } }
`;

describe('content hashes', () => {
  it('are the ones kustomize computes (its examples: a ConfigMap and a Secret)', () => {
    // kustomize examples/issues/issue_1301: cafe-configmap with FOO=BAR.
    expect(
      kustomizeHash({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cafe-configmap' },
        data: { FOO: 'BAR' },
      }),
    ).toBe('bm6m88fk92');
    // A Secret rendered by kustomize's hasher (qlik-oss/kustomize-plugins, SuperSecret README).
    expect(
      kustomizeHash({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'my-secret' },
        type: 'Opaque',
        data: { baz: 'd2hhdGV2ZXI=', foo: 'YmFy', initial: 'd2hhdGV2ZXI=' },
      }),
    ).toBe('b22th6mh4g');
  });
});

describe('renderKustomization', () => {
  it('generates ConfigMaps and Secrets with hashed names, renames every reference and sets the namespace', () => {
    write({
      'kustomization.yaml': `
namespace: shop
resources: [deployment.yaml]
configMapGenerator:
  - name: settings
    literals: [MODE=fast, EMPTY=, QUOTED="a b"]
secretGenerator:
  - name: credentials
    envs: [secrets.env]
`,
      'deployment.yaml': deployment,
      'secrets.env': '# comment\n\nTOKEN=s3cr=t\n  SPACED=x\r\n',
    });
    const objects = render();
    const [configMap] = find(objects, 'ConfigMap');
    const [secret] = find(objects, 'Secret');
    expect(configMap?.['data']).toEqual({ MODE: 'fast', EMPTY: '', QUOTED: 'a b' });
    expect(configMap?.metadata).toEqual({
      name: `settings-${kustomizeHash({ ...(configMap as KObject), metadata: { name: 'settings' } })}`,
      namespace: 'shop',
    });
    expect(secret?.['type']).toBe('Opaque');
    expect(secret?.['data']).toEqual({
      TOKEN: Buffer.from('s3cr=t').toString('base64'),
      SPACED: Buffer.from('x').toString('base64'),
    });
    const spec = JSON.stringify(find(objects, 'Deployment')[0]);
    expect(spec).toContain(`"configMapRef":{"name":"${configMap?.metadata.name}"}`);
    expect(spec).toContain(`"configMap":{"name":"${configMap?.metadata.name}"}`);
    expect(spec).toContain(`"secretKeyRef":{"name":"${secret?.metadata.name}","key":"TOKEN"}`);
    expect(find(objects, 'Deployment')[0]?.metadata.namespace).toBe('shop');
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Secret', 'Deployment']);
  });

  it('merges and replaces a base’s generated data in an overlay, the hash following the content', () => {
    write({
      'base/kustomization.yaml':
        'resources: [deployment.yaml]\nconfigMapGenerator:\n  - { name: settings, literals: [A=1, B=2] }\n',
      'base/deployment.yaml': deployment.replace(
        'secretKeyRef: { name: credentials',
        'configMapKeyRef: { name: settings',
      ),
      'merge/kustomization.yaml':
        'resources: [../base]\nconfigMapGenerator:\n  - { name: settings, behavior: merge, literals: [B=3, C=4] }\n',
      'replace/kustomization.yaml':
        'resources: [../base]\nconfigMapGenerator:\n  - { name: settings, behavior: replace, literals: [Z=9] }\n',
    });
    const base = find(render('base'), 'ConfigMap')[0];
    const merged = render('merge');
    const mergedMap = find(merged, 'ConfigMap')[0];
    expect(mergedMap?.['data']).toEqual({ A: '1', B: '3', C: '4' });
    expect(mergedMap?.metadata.name).not.toBe(base?.metadata.name);
    expect(JSON.stringify(merged)).not.toContain(base?.metadata.name);
    expect(find(render('replace'), 'ConfigMap')[0]?.['data']).toEqual({ Z: '9' });
  });

  it('applies strategic merge patches: lists merged by their keys, null deletes, other lists replaced', () => {
    write({
      'kustomization.yaml': 'resources: [deployment.yaml]\npatches:\n  - path: patch.yaml\n',
      'deployment.yaml': deployment,
      'patch.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          env: [{ name: PORT, value: "8080" }, { name: NEW, value: "1" }]
          resources: { limits: { memory: 1Gi, cpu: null } }
          args: [--fast]
        - name: added
          image: example/added
`,
    });
    const [object] = render();
    const spec = (object as Loose)['spec'];
    expect(spec.replicas).toBe(3);
    const [web, sidecar, added] = spec.template.spec.containers;
    expect(web.env).toEqual([
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'credentials', key: 'TOKEN' } } },
      { name: 'PORT', value: '8080' },
      { name: 'NEW', value: '1' },
    ]);
    expect(web.resources).toEqual({ limits: { memory: '1Gi' } });
    expect(web.args).toEqual(['--fast']);
    expect(sidecar.name).toBe('sidecar');
    expect(added).toEqual({ name: 'added', image: 'example/added' });
  });

  it('applies JSON patches and strategic patches to every target a selector matches, and sets images', () => {
    const second = deployment.replace('name: web\n  labels: { tier: front }', 'name: api\n  labels: { tier: back }');
    write({
      'kustomization.yaml': `
resources: [web.yaml, api.yaml]
patches:
  - target: { kind: Deployment, labelSelector: tier=front }
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/resources
        value: { limits: { cpu: "2" } }
      - op: add
        path: /spec/template/spec/containers/0/env/-
        value: { name: ADDED, value: "yes" }
      - op: remove
        path: /spec/template/spec/volumes/0
  - target: { kind: Deployment, name: "a.*" }
    patch: |-
      kind: Deployment
      metadata: { name: ignored, annotations: { patched: "true" } }
images:
  - { name: example/web, newTag: "2.0" }
  - { name: example/sidecar, newName: registry.example.org/sidecar, digest: "sha256:${'a'.repeat(64)}" }
`,
      'web.yaml': deployment,
      'api.yaml': second,
    });
    const objects = render() as Loose[];
    const web = objects.find((o) => o['metadata'].name === 'web') as Loose;
    const api = objects.find((o) => o['metadata'].name === 'api') as Loose;
    expect(web['spec'].template.spec.containers[0].resources).toEqual({ limits: { cpu: '2' } });
    expect(web['spec'].template.spec.containers[0].env.at(-1)).toEqual({ name: 'ADDED', value: 'yes' });
    expect(web['spec'].template.spec.volumes).toEqual([]);
    expect(api['spec'].template.spec.containers[0].resources).toEqual({ limits: { cpu: '500m' } });
    expect(api['metadata'].annotations).toEqual({ patched: 'true' });
    expect(web['metadata'].annotations).toBeUndefined();
    expect(web['spec'].template.spec.containers.map((c: { image: string }) => c.image)).toEqual([
      'example/web:2.0',
      `registry.example.org/sidecar@sha256:${'a'.repeat(64)}`,
    ]);
  });

  it.each([
    [
      'a field it does not implement',
      'commonLabels: { a: b }\nresources: [d.yaml]\n',
      /field 'commonLabels' is not supported/,
    ],
    [
      'a generator option',
      'resources: [d.yaml]\nconfigMapGenerator:\n  - { name: x, literals: [A=1], options: { disableNameSuffixHash: true } }\n',
      /field 'options' is not supported/,
    ],
    [
      'a generator from files',
      'resources: [d.yaml]\nconfigMapGenerator:\n  - { name: x, files: [d.yaml] }\n',
      /field 'files' is not supported/,
    ],
    [
      'a generated name twice',
      'resources: [d.yaml]\nconfigMapGenerator:\n  - { name: x, literals: [A=1] }\n  - { name: x, literals: [B=1] }\n',
      /already generated/,
    ],
    [
      'a merge with nothing to merge',
      'resources: [d.yaml]\nconfigMapGenerator:\n  - { name: x, behavior: merge, literals: [A=1] }\n',
      /nothing to merge/,
    ],
    ['a resource twice', 'resources: [d.yaml, d.yaml]\n', /already defined/],
    ['a missing resource', 'resources: [missing.yaml]\n', /does not exist/],
    [
      'a patch directive',
      'resources: [d.yaml]\npatches:\n  - patch: "{ apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { $patch: replace } }"\n',
      /directive \$patch/,
    ],
    [
      'a patch of nothing',
      'resources: [d.yaml]\npatches:\n  - patch: "{ apiVersion: apps/v1, kind: Deployment, metadata: { name: webb } }"\n',
      /no Deployment named webb/,
    ],
    [
      'a target matching nothing',
      'resources: [d.yaml]\npatches:\n  - target: { kind: Service }\n    patch: "[{ op: add, path: /x, value: 1 }]"\n',
      /matches nothing/,
    ],
    [
      'a JSON patch replacing what is not there',
      'resources: [d.yaml]\npatches:\n  - target: { kind: Deployment }\n    patch: "[{ op: replace, path: /spec/replicas, value: 2 }]"\n',
      /does not exist/,
    ],
    [
      'a JSON patch op it does not implement',
      'resources: [d.yaml]\npatches:\n  - target: { kind: Deployment }\n    patch: "[{ op: copy, from: /a, path: /b }]"\n',
      /op 'copy' is not supported/,
    ],
    [
      'an image no container uses',
      'resources: [d.yaml]\nimages:\n  - { name: example/other, newTag: "1" }\n',
      /no container uses example\/other/,
    ],
    [
      'an env file line without a value',
      'resources: [d.yaml]\nsecretGenerator:\n  - { name: s, envs: [bad.env] }\n',
      /has no '='/,
    ],
  ])('refuses %s', (_name, kustomization, error) => {
    write({ 'kustomization.yaml': kustomization, 'd.yaml': deployment, 'bad.env': 'FROM_ENVIRONMENT\n' });
    expect(() => render()).toThrow(KustomizeError);
    expect(() => render()).toThrow(error);
  });
});
