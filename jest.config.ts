import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

// Every project in one run (the README's `npm test`). Integration tests wait on a real broker:
// a consumer group's join or leave takes seconds, hence the longer timeout.
export default async (): Promise<Config> => ({
  projects: await getJestProjectsAsync(),
  testTimeout: 60_000,
});
