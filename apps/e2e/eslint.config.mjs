import baseConfig from '../../eslint.config.mjs';

// End-to-end tests boot the services' own modules in-process: importing them is their purpose.
export default [
  ...baseConfig,
  { files: ['**/*.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
];
