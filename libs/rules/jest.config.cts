module.exports = {
  displayName: 'rules',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/rules',
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/index.ts'],
  coverageReporters: ['text-summary', 'text', 'html'],
  // The rules are the product's core: at least 95 % of their lines and branches are tested.
  coverageThreshold: { global: { lines: 95, branches: 95, functions: 95, statements: 95 } },
};
