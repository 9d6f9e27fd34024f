import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

// Every project in one run (the README's `npm test`). Integration tests wait on a real broker:
// a consumer group's join or leave takes seconds, hence the longer timeout.
export default async (): Promise<Config> => ({
  projects: await getJestProjectsAsync(),
  testTimeout: 60_000,
  // `npm test` runs with --coverage: the rules library must stay at 95 % or more.
  coverageThreshold: {
    global: {},
    './libs/rules/src/lib/': { lines: 95, branches: 95, functions: 95, statements: 95 },
  },
  coverageReporters: ['text-summary', 'json-summary'],
});
