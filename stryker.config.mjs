// @ts-check
/**
 * StrykerJS configuration of `npm run mutation` (outside CI: it takes tens of minutes).
 *
 * - `npm run mutation`: every core module of mutation-targets.json, with the unit tests of
 *   vitest.mutation.config.ts.
 * - `QD_MUTATE=mps/split.ts npm run mutation`: one module, against only its own test files (as
 *   listed in mutation-targets.json), with one test runner, without the TypeScript checker
 *   (which type-checks every mutant of a single file separately and took 5× the test time), and
 *   incremental: a rerun after new tests reuses the results of mutants whose code and covering
 *   tests did not change (reports/mutation/<module>.incremental.json; `--force` ignores it).
 *   Without the checker, a mutant that would not compile is run as JavaScript: it counts as
 *   killed or survived like any other.
 * Extra Stryker flags go after `--`, e.g. `npm run mutation -- --concurrency 2`.
 */
import { readFileSync } from 'node:fs';

/** @type {Record<string, string[]>} module → the test files that exercise it */
const targets = JSON.parse(readFileSync(new URL('./mutation-targets.json', import.meta.url), 'utf8'));
const one = process.env.QD_MUTATE;
if (one !== undefined && one !== '' && !(one in targets)) {
  throw new Error(`QD_MUTATE=${one} is not a module of mutation-targets.json (allowed: ${Object.keys(targets).join(', ')})`);
}
const single = one !== undefined && one !== '';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  checkers: single ? [] : ['typescript'],
  // the checker type-checks the library only (src, mps): a mutant lives there, and the tests do
  // not need checking per mutant; this halves its time
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: single ? [one] : Object.keys(targets),
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: single ? `reports/mutation/${one.replace(/[/.]/g, '-')}.json` : 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: single ? `reports/mutation/${one.replace(/[/.]/g, '-')}.html` : 'reports/mutation/mutation.html' },
  concurrency: single ? 1 : 2,
  incremental: single,
  incrementalFile: single ? `reports/mutation/${one.replace(/[/.]/g, '-')}.incremental.json` : 'reports/mutation/stryker-incremental.json',
  // a mutant that loops forever is stopped after 1.5× the tests' own time plus this (per module:
  // their tests take seconds)
  timeoutMS: single ? 15000 : 60000,
  ignorePatterns: ['dist', 'results', 'reports', '.stryker-tmp'],
};
