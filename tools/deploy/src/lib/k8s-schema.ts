import { join } from 'node:path';
import * as ts from 'typescript';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { KObject } from './kubectl-kustomize';

/**
 * Validates Kubernetes objects with the JSON schemas `kubernetes-models` bundles (generated from
 * the Kubernetes OpenAPI document: types, required fields, quantities, enums). Those schemas, like
 * the OpenAPI document, accept fields they do not know — a misspelt `readinessProbe` would pass
 * and be dropped by the API server — so every field is also looked up in the package's own type
 * declarations, read with the TypeScript compiler: a field the API does not define is reported.
 */

interface KindModel {
  model: new (data: never) => { validate(): void };
  /** The module and interface that declare the kind's fields. */
  module: string;
  name: string;
}

const KINDS: Record<string, KindModel> = {
  'v1/Namespace': { model: Namespace, module: 'kubernetes-models/v1/Namespace', name: 'INamespace' },
  'v1/ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', name: 'IConfigMap' },
  'v1/Secret': { model: Secret, module: 'kubernetes-models/v1/Secret', name: 'ISecret' },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1/Service', name: 'IService' },
  'apps/v1/Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', name: 'IDeployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    name: 'IHorizontalPodAutoscaler',
  },
};

/** Every problem found in `objects`: schema violations and unknown fields, each naming its object. */
export function kubernetesSchemaProblems(objects: KObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata?.name}`;
    const kind = KINDS[`${object.apiVersion}/${object.kind}`];
    if (!kind) {
      problems.push(`${id}: ${object.apiVersion} ${object.kind} is not a kind this validator knows`);
      continue;
    }
    try {
      new kind.model(structuredClone(object) as never).validate();
    } catch (error) {
      problems.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const unknown of unknownFields(object, `${object.apiVersion}/${object.kind}`))
      problems.push(`${id}: ${unknown}`);
  }
  return problems;
}

let declarations: { checker: ts.TypeChecker; types: Map<string, ts.Type> } | undefined;

/** The declared type of each kind, from kubernetes-models' .d.ts files (one compiler run, then cached). */
function declaredTypes(): { checker: ts.TypeChecker; types: Map<string, ts.Type> } {
  if (declarations) return declarations;
  // A file that only imports the kinds' interfaces, resolved from the repository's node_modules.
  const entry = join(__dirname, '__kubernetes_kinds__.ts');
  const source = [
    ...Object.values(KINDS).map((k, i) => `import type { ${k.name} as K${i} } from '${k.module}';`),
    'export interface Kinds {',
    ...Object.keys(KINDS).map((key, i) => `  '${key}': K${i};`),
    '}',
  ].join('\n');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === entry
      ? ts.createSourceFile(fileName, source, languageVersion)
      : getSourceFile(fileName, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === entry || fileExists(fileName);
  const program = ts.createProgram([entry], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  const kinds = file?.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Kinds',
  );
  if (!kinds) throw new Error('kubernetes-models: could not read the kinds declarations');
  const kindsType = checker.getTypeAtLocation(kinds.name);
  const types = new Map<string, ts.Type>();
  for (const key of Object.keys(KINDS)) {
    const property = kindsType.getProperty(key);
    const type = property && checker.getTypeOfSymbol(property);
    // An unresolved import reads as `any`: that would let every field through, so it is an error.
    if (!type || type.flags & ts.TypeFlags.Any || type.getProperties().length === 0)
      throw new Error(`kubernetes-models: could not resolve the declaration of ${key}`);
    types.set(key, type);
  }
  declarations = { checker, types };
  return declarations;
}

function unknownFields(object: KObject, key: string): string[] {
  const { checker, types } = declaredTypes();
  const problems: string[] = [];
  const type = types.get(key);
  if (type) walk(object, type, '', checker, problems);
  return problems;
}

function walk(value: unknown, declared: ts.Type, path: string, checker: ts.TypeChecker, problems: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const type = checker.getNonNullableType(declared);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  const members = type.isUnion() ? type.types : [type];
  if (Array.isArray(value)) {
    const array = members.find((m) => checker.isArrayType(m));
    const element = array && checker.getTypeArguments(array as ts.TypeReference)[0];
    if (element) value.forEach((item, i) => walk(item, element, `${path}[${i}]`, checker, problems));
    return;
  }
  const objects = members.filter((m) => m.flags & ts.TypeFlags.Object && !checker.isArrayType(m));
  if (objects.length === 0) return;
  for (const [field, child] of Object.entries(value)) {
    let next: ts.Type | undefined;
    for (const member of objects) {
      const property = member.getProperty(field);
      next = property ? checker.getTypeOfSymbol(property) : checker.getIndexTypeOfType(member, ts.IndexKind.String);
      if (next) break;
    }
    if (next) walk(child, next, `${path}.${field}`, checker, problems);
    else problems.push(`${path}.${field}: unknown field`);
  }
}
