import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The docker suite runs on its own (scripts/test-docker.sh): it needs a Docker engine and the
// kubesim image, and brings up whole clusters of containers, one file at a time.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  },
});
