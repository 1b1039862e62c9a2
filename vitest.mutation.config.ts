import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The test files that `npm run mutation` (StrykerJS, stryker.config.mjs) runs against each
 * mutant: those that mutation-targets.json lists for the module in `QD_MUTATE`, or for every
 * module when it is unset. In-process unit tests only (tests that spawn the built CLI or worker
 * threads run dist/, which a mutant of the sources does not reach). `QD_MUTATION_TESTS`
 * (comma-separated test files) replaces that list, e.g. to measure a module's score with the
 * tests it had before new ones were added.
 */
const targets = JSON.parse(readFileSync(new URL('./mutation-targets.json', import.meta.url), 'utf8')) as Record<string, string[]>;
const one = process.env.QD_MUTATE;
const override = process.env.QD_MUTATION_TESTS?.split(',').map((f) => f.trim()).filter((f) => f !== '');
const include = override !== undefined && override.length > 0
  ? override
  : one !== undefined && one !== '' ? targets[one] ?? [] : [...new Set(Object.values(targets).flat())];

export default defineConfig({
  test: {
    include,
    testTimeout: 120_000,
    pool: 'forks',
  },
});
