import { defineConfig } from 'vitest/config';

/**
 * The test files that `npm run mutation` (StrykerJS) runs against each mutant of the core modules
 * listed in stryker.config.json: in-process unit tests only (tests that spawn the built CLI or
 * worker threads run dist/, which a mutant of the sources does not reach).
 */
const all = [
  'test/mps/gate-table.test.ts',
  'test/mps/truncation-rule.test.ts',
  'test/mps/split.test.ts',
  'test/mps/mps.test.ts',
  'test/mps/kernels/svd.test.ts',
  'test/distill/losses.test.ts',
  'test/distill/objective-kd.test.ts',
  'test/circuit/qasm.test.ts',
  'test/circuit/qasm-gates.test.ts',
  'test/circuit/qasm-export.test.ts',
  'test/backends/statevector.test.ts',
];

/**
 * `QD_MUTATION_TESTS` (comma-separated test files) narrows the run to the tests of one module,
 * e.g. `QD_MUTATION_TESTS=test/mps/split.test.ts npm run mutation -- --mutate mps/split.ts`.
 */
const only = process.env.QD_MUTATION_TESTS?.split(',').map((s) => s.trim()).filter((s) => s !== '');

export default defineConfig({
  test: {
    include: only !== undefined && only.length > 0 ? only : all,
    testTimeout: 120_000,
    pool: 'forks',
  },
});
