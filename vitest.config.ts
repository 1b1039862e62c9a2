import { defineConfig } from 'vitest/config';

/**
 * The test folders that exercise the dense kernels (SVD, QR/LQ, eigensolvers, matrix products):
 * the second project runs them again on the TypeScript kernels (`QDISTILL_WASM=0`), so both
 * kernel backends pass the same tests. The environment variable reaches worker threads and
 * child processes, which inherit `process.env`.
 */
export const KERNEL_TESTS = [
  'test/mps/**/*.test.ts',
  'test/backends/**/*.test.ts',
  'test/grad/**/*.test.ts',
  'test/fuzz/mps-vs-statevector.test.ts',
  'test/qnn/**/*.test.ts',
  'test/distill/objective-kd.test.ts',
  'test/data/phases.test.ts',
  'test/cli/simulate.test.ts',
  'test/cli/groundstate.test.ts',
  'test/reliability/kernel-projects.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    // beforeAll hooks that train a reference run need more than the 10 s default on a loaded machine
    hookTimeout: 120_000,
    pool: 'forks',
    // The JSON report (both projects together) feeds the `N passed, N failed` line printed by .ci/run.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results.json' },
    projects: [
      // Everything, on the default kernels (WebAssembly where the engine supports it).
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      // The kernel-dependent folders again on the TypeScript kernels.
      { extends: true, test: { name: 'ts-kernels', include: KERNEL_TESTS, env: { QDISTILL_WASM: '0' } } },
    ],
  },
});
