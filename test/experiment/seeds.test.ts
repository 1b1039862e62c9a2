/**
 * One rule for seeds at every entry: a config's `seeds`, `--seeds` on the command line
 * (`run`, `plan`, `merge`, `submit`) and a plan file's `seeds` accept and refuse the same lists.
 * A seed names task ids and files (`seed-<seed>/teacher`), so a slash, a space, a negative or
 * fractional number, or the same seed twice (1 and "1" name the same runs) is refused at the
 * entry, with the index and value.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/cluster/plan-json.js';
import { parseSeeds } from '../../src/cli/run.js';
import { ConfigError, resolveConfig } from '../../src/experiment/config.js';
import { seedListProblem } from '../../src/experiment/seeds.js';

/** The rule written out independently of the code under test. */
const isSeed = (v: unknown): boolean => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER) || (typeof v === 'string' && /^[A-Za-z][A-Za-z0-9._-]*$/.test(v));

const demo = JSON.parse(readFileSync('experiments/demo.json', 'utf8')) as Record<string, unknown>;

/** The config's verdict on a seed list: null when accepted, else the message. */
function configVerdict(seeds: unknown[]): string | null {
  try { resolveConfig({ ...demo, seeds }); return null; } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  }
}

/** The plan file's verdict (a one-task plan listing `seeds`). */
function planVerdict(seeds: unknown[]): string | null {
  try {
    checkPlan({ name: 'demo', quick: false, configHash: 'h', levels: 1, seeds, tasks: [{ id: 't', kind: 'k', level: 0, deps: [], estimateSeconds: null }] }, 'plan.json');
    return null;
  } catch (e) { return (e as Error).message; }
}

/** The command line's verdict on the list written as `--seeds` text. */
function flagVerdict(seeds: unknown[]): string | null {
  try { parseSeeds(seeds.map(String).join(',')); return null; } catch (e) { return (e as Error).message; }
}

describe('seeds: one rule at every entry', () => {
  it.each<[string, unknown[], boolean]>([
    ['integers', [1, 2, 3], true],
    ['zero', [0], true],
    ['names', ['alpha', 'b-2.x_y'], true],
    ['integers and names', [7, 'alpha'], true],
    ['a slash (would be a folder)', ['a/b'], false],
    ['a space', ['a b'], false],
    ['a name starting with a digit', ['1a'], false],
    ['a digit string (text, so not the integer)', ['1'], false],
    ['negative', [-1], false],
    ['fractional', [1.5], false],
    ['unsafe integer', [2 ** 53], false],
    ['the same seed twice', [4, 4], false],
    ['the same name twice', ['alpha', 'alpha'], false],
  ])('%s', (_, seeds, ok) => {
    expect(seedListProblem(seeds) === null).toBe(ok);
    expect(configVerdict(seeds) === null).toBe(ok);
    expect(planVerdict(seeds) === null).toBe(ok);
  });

  it('config and plan messages name the index, the value and the rule', () => {
    expect(configVerdict([1, 'a/b'])).toContain('seeds.1 = "a/b": must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters');
    expect(configVerdict([3, 3])).toContain('seeds.1 = 3: lists seed 3 twice');
    expect(planVerdict([1, 'a b'])).toBe(`plan.json: seeds[1] = "a b": must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter`);
  });

  // one problem per bad entry, always the same rule (the type of the entry does not change the
  // words), the largest integer named, a repeat named by its seed
  const RULE = "must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter";
  it.each<[string, unknown[], string]>([
    ['negative', [-1], `1 problem(s): seeds.0 = -1: ${RULE}`],
    ['fractional', [2, 1.5], `1 problem(s): seeds.1 = 1.5: ${RULE}`],
    ['above 2^53 − 1', [1e20], `1 problem(s): seeds.0 = 100000000000000000000: ${RULE}`],
    ['null', [null], `1 problem(s): seeds.0 = null: ${RULE}`],
    ['a boolean', [true], `1 problem(s): seeds.0 = true: ${RULE}`],
    ['an object', [{}], `1 problem(s): seeds.0 = {}: ${RULE}`],
    ['digit text', ['01'], `1 problem(s): seeds.0 = "01": ${RULE}`],
    ['a leading space', [' a'], `1 problem(s): seeds.0 = " a": ${RULE}`],
    ['two bad entries', [-1, 'a b'], `2 problem(s): seeds.0 = -1: ${RULE}; seeds.1 = "a b": ${RULE}`],
    ['a repeat', [1, 2, 1], '1 problem(s): seeds.2 = 1: lists seed 1 twice (each seed once: a seed names its runs)'],
  ])('config message, %s', (_, seeds, message) => {
    expect(configVerdict(seeds)).toMatch(new RegExp(`: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it.each<[string, string, string | (number | string)[]]>([
    ['spaces around entries', ' 1, 2 ,alpha ', [1, 2, 'alpha']],
    ['leading zeros are the integer', '007', [7]],
    ['the same integer written twice', '01,1', "--seeds lists seed 1 twice: '01,1'; give each seed once"],
    ['a range', '1-5', `--seeds entry '1-5' is not a seed: each ${RULE}; ranges are not read, list every seed (e.g. 1,2,3,4,5)`],
    ['above 2^53 − 1', '99999999999999999999', `--seeds entry '99999999999999999999' is not a seed: each ${RULE}; ranges are not read, list every seed (e.g. 1,2,3,4,5)`],
    ['an empty entry', '1,,2', "--seeds must be a comma-separated list of seeds, e.g. 1,2,3; got '1,,2'"],
    ['only space', ' ', "--seeds must be a comma-separated list of seeds, e.g. 1,2,3; got ' '"],
  ])('--seeds %s', (_, raw, expected) => {
    if (typeof expected === 'string') expect(() => parseSeeds(raw)).toThrow(expected);
    else expect(parseSeeds(raw)).toEqual(expected);
  });

  it('fuzz: config, plan file and --seeds agree on every list of numbers and short strings', () => {
    const entry = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.double({ min: -2, max: 40, noNaN: true }), fc.string({ unit: fc.constantFrom('a', 'B', '1', '.', '_', '-', '/', ' ', ':'), minLength: 1, maxLength: 4 }));
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (seeds) => {
      const ok = seeds.every(isSeed) && new Set(seeds.map(String)).size === seeds.length;
      expect(configVerdict(seeds) === null).toBe(ok);
      expect(planVerdict(seeds) === null).toBe(ok);
      // on the command line digits are integers, so the text "1" is the seed 1 there; compare the
      // lists as the command line reads them
      const asFlag = seeds.map((s) => (typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s));
      const flagOk = !seeds.some((s) => typeof s === 'string' && (s.includes(',') || s.trim() !== s || s === '')) && asFlag.every(isSeed) && new Set(asFlag.map(String)).size === asFlag.length;
      expect(flagVerdict(seeds) === null).toBe(flagOk);
    }), { numRuns: 300, seed: 20261130 });
  });
});
