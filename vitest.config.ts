import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // beforeAll hooks that train a reference run need more than the 10 s default on a loaded machine
    hookTimeout: 120_000,
    pool: 'forks',
    // The JSON report feeds the `N passed, N failed` line printed by .ci/run.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results.json' },
  },
});
