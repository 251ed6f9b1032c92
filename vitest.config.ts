import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // The docker suite needs a Docker engine and runs on its own (scripts/test-docker.sh).
    exclude: ['**/node_modules/**', 'packages/docker-test/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
