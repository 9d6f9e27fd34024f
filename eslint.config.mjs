import nx from '@nx/eslint-plugin';

/**
 * Module boundaries (issue 15): every project is tagged with a type and a scope.
 *
 * - type:domain (libs/rules, libs/clock): pure TypeScript, none of our other projects and no
 *   framework, database, broker or queue package.
 * - type:contract (libs/contracts): the messages and topics; domain code and zod, no framework.
 * - type:infra (libs/platform, messaging, deadlines): adapters; domain, contracts, each other.
 * - type:app (the six services): any library above, never another app.
 * - type:test (libs/testing), type:e2e (apps/e2e), type:tool (tools/deploy).
 * - type:host (apps/one-process): the services' public entry points, to run them in one process.
 * - scope:<service> for each app, scope:shared for the libraries: an app reaches its own scope
 *   and the shared one only.
 *
 * Test code (specs and src/testing/ kits) may use the test library besides.
 */
const SERVICES = ['gateway', 'applications', 'ceu-verification', 'petitions', 'payments', 'audits'];
const INFRASTRUCTURE_PACKAGES = [
  '@nestjs/*',
  'nestjs-*',
  '@bull-board/*',
  'typeorm',
  'pg',
  'kafkajs',
  'bullmq',
  'ioredis',
  'express',
  'express-rate-limit',
  'rate-limit-redis',
  'http-proxy-middleware',
  'pino',
  'pino-http',
  'prom-client',
  'rxjs',
];
const LIBRARIES = ['type:domain', 'type:contract', 'type:infra'];

/** The constraints; `testCode` adds the test library to what every non-domain project may use. */
function depConstraints(testCode) {
  const test = testCode ? ['type:test'] : [];
  return [
    {
      sourceTag: 'type:domain',
      // Nothing of ours: an empty list allows no project.
      onlyDependOnLibsWithTags: [],
      bannedExternalImports: [...INFRASTRUCTURE_PACKAGES, 'zod'],
    },
    {
      sourceTag: 'type:contract',
      onlyDependOnLibsWithTags: ['type:domain', 'type:contract'],
      bannedExternalImports: INFRASTRUCTURE_PACKAGES,
    },
    { sourceTag: 'type:infra', onlyDependOnLibsWithTags: [...LIBRARIES, ...test] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: [...LIBRARIES, ...test] },
    { sourceTag: 'type:test', onlyDependOnLibsWithTags: [...LIBRARIES, 'type:test'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', ...LIBRARIES, 'type:test'] },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: [...LIBRARIES, 'type:test'] },
    { sourceTag: 'type:host', onlyDependOnLibsWithTags: ['type:app', ...LIBRARIES] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    ...SERVICES.map((service) => ({
      sourceTag: `scope:${service}`,
      onlyDependOnLibsWithTags: [`scope:${service}`, 'scope:shared'],
    })),
    { sourceTag: 'scope:system', onlyDependOnLibsWithTags: ['scope:shared', ...SERVICES.map((s) => `scope:${s}`)] },
    { sourceTag: 'scope:ops', onlyDependOnLibsWithTags: ['scope:shared'] },
  ];
}

/**
 * The rule's options. Nx refuses any import of an application project whatever the tags, so the
 * end-to-end tests and the one-process host (`entryPoints: true`) are allowed the services' public
 * entry points by name; nothing else is.
 */
export function moduleBoundaries({ testCode = false, entryPoints = false } = {}) {
  return [
    'error',
    {
      enforceBuildableLibDependency: true,
      allow: [
        '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
        // The services' one webpack build (build configuration, not a module of the graph).
        '^(\\.\\./)+scripts/build/service-webpack\\.config$',
        ...(entryPoints ? SERVICES.map((service) => `^@recert/${service}-service$`) : []),
      ],
      depConstraints: depConstraints(testCode),
    },
  ];
}

export const TEST_FILES = ['**/*.spec.ts', '**/src/testing/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(),
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({ testCode: true }),
    },
  },
  {
    files: ['apps/e2e/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({ testCode: true, entryPoints: true }),
    },
  },
  {
    files: ['apps/one-process/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({ entryPoints: true }),
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts', '**/*.mts', '**/*.js', '**/*.jsx', '**/*.cjs', '**/*.mjs'],
    // Override or add rules here
    rules: {},
  },
];
