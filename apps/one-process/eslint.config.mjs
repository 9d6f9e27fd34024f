import baseConfig, { moduleBoundaries } from '../../eslint.config.mjs';

// The one-process host starts the services: it may import each service's public entry point
// (`@recert/<service>-service`), nothing inside it.
export default [
  ...baseConfig,
  { files: ['**/*.ts'], rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ entryPoints: true }) } },
];
