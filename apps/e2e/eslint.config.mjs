import baseConfig, { moduleBoundaries } from '../../eslint.config.mjs';

// End-to-end tests boot the services in-process: they may import each service's public entry
// point (`@recert/<service>-service`), nothing inside it.
export default [
  ...baseConfig,
  { files: ['**/*.ts'], rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ testCode: true, entryPoints: true }) } },
];
