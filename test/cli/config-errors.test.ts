/**
 * Config errors, over the class, as `qdistill validate` (and `run`, which reads configs the same
 * way) prints them: one line, exit code 2.
 * - JSON syntax errors name `file:line:column` and what was expected there (trailing comma,
 *   missing quote, missing comma, comment, truncated or empty file); the positions are
 *   counted by hand from the texts below.
 * - Schema errors name the field, its value and what is allowed (wrong type, out of range,
 *   enum miss, unknown key, missing required), not zod's generic "Invalid input".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { describeJsonSyntaxError, lineColumn } from '../../src/cli/json-input.js';
import { deepMerge } from '../../src/experiment/config.js';
import { captureOutput } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-config-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cap = captureOutput();

let k = 0;
/** Runs `validate` on a file with this text; returns the exit code (stderr in `err`). */
async function validate(text: string, cmd: 'validate' | 'run' = 'validate'): Promise<{ code: number; file: string }> {
  const file = join(dir, `c${k++}.json`);
  writeFileSync(file, text);
  const code = await main(cmd === 'run' ? ['run', file, '--dry-run'] : ['validate', file]);
  return { code, file };
}

const studyText = readFileSync('test/fixtures/configs/small-study.json', 'utf8');
const study = JSON.parse(studyText) as Record<string, unknown>;
const truncated = studyText.slice(0, studyText.indexOf('"teacher"')); // ends between two entries
const tLines = truncated.split('\n');

/** Row: name, text, line, column, message after "invalid JSON: ". */
const SYNTAX: [string, string, number, number, string][] = [
  ['trailing comma in an object', '{\n  "name": "x",\n}\n', 2, 14, "trailing comma before '}': JSON allows none; remove this ','"],
  ['trailing comma in an array', '{"seeds": [1, 2,]}', 1, 16, "trailing comma before ']': JSON allows none; remove this ','"],
  ['missing closing quote', '{\n  "name": "x,\n  "seeds": [1]\n}', 2, 11, 'unterminated string: expected a closing double quote'],
  ['missing opening quote of a key', '{ name": "x" }', 1, 3, "expected a property name in double quotes, found 'name'"],
  ['missing comma', '{"name": "x" "seeds": [1]}', 1, 14, "expected ',' between two entries, found '\"seeds\"'"],
  ['comment', '{ // note\n "name": "x" }', 1, 3, 'comments are not allowed in JSON'],
  ['truncated file', truncated, tLines.length, tLines.at(-1)!.length + 1, 'found the end of the file (is it truncated?)'],
  ['empty file', '', 1, 1, 'expected a value (number, string, true, false, null, object or array), found the end of the file (is it truncated?)'],
];

describe('JSON syntax errors name file:line:column and what was expected', () => {
  it.each(SYNTAX)('%s', async (_name, text, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow(); // a real syntax error
    const { code, file } = await validate(text);
    expect(code).toBe(2);
    expect(cap.stdout).toBe('');
    expect(cap.stderr.split('\n')).toHaveLength(2); // one line
    if (message.startsWith('found')) expect(cap.stderr).toMatch(new RegExp(`^qdistill: ${file}:${line}:${column}: invalid JSON: .*${message.replace(/[()?]/g, '\\$&')}\n$`));
    else expect(cap.stderr).toBe(`qdistill: ${file}:${line}:${column}: invalid JSON: ${message}\n`);
  });

  it('run reads configs the same way', async () => {
    const { code, file } = await validate(SYNTAX[0]![1], 'run');
    expect(code).toBe(2);
    expect(cap.stderr).toBe(`qdistill: ${file}:2:14: invalid JSON: ${SYNTAX[0]![4]}\n`);
  });

  it('valid JSON has no syntax error; line and column count from 1, columns restart after each newline', () => {
    expect(describeJsonSyntaxError(studyText)).toBeNull();
    expect(lineColumn('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });
});

const unset = (path: string) => (d: Record<string, unknown>): Record<string, unknown> => {
  const c = structuredClone(d);
  const keys = path.split('.');
  let o = c as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) o = o[key] as Record<string, unknown>;
  delete o[keys.at(-1)!];
  return c;
};
const set = (patch: unknown) => (d: Record<string, unknown>) => deepMerge(d, patch) as Record<string, unknown>;

/** Row: class, edit of the study config, the problem as printed (`path = value: message`). */
const SCHEMA: [string, (d: Record<string, unknown>) => Record<string, unknown>, string][] = [
  ['wrong type', set({ training: { epochs: 'ten' } }), 'training.epochs = "ten": must be an integer ≥ 1'],
  ['wrong type', set({ training: { lr: '0.1' } }), 'training.lr = "0.1": must be a number'],
  ['wrong type', set({ kd: { scaleT2: 'yes' } }), 'kd.scaleT2 = "yes": must be true or false'],
  ['wrong type', set({ teacher: 3 }), 'teacher = 3: must be an object'],
  ['out of range', set({ data: { size: 5 } }), 'data.size = 5: must be one of 28, 14, 8, 4'],
  ['out of range', set({ training: { epochs: 0 } }), 'training.epochs = 0: must be an integer ≥ 1'],
  ['out of range', set({ training: { batchSize: 1.5 } }), 'training.batchSize = 1.5: must be an integer ≥ 1'],
  ['out of range', set({ kd: { alpha: 2 } }), 'kd.alpha = 2: must be ≤ 1'],
  ['out of range', set({ training: { lr: 0 } }), 'training.lr = 0: must be > 0'],
  ['out of range', set({ teacher: { model: { cutoff: 1 } } }), 'teacher.model.cutoff = 1: must be < 1'],
  ['out of range', set({ data: { classes: [0, 12] } }), 'data.classes.1 = 12: must be ≤ 9'],
  ['out of range', set({ seeds: [] }), 'seeds = []: must have at least 1 item(s)'],
  ['out of range', set({ seeds: [1.5] }), "seeds.0 = 1.5: must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter"],
  ['enum miss', set({ training: { optimizer: 'adamw' } }), "training.optimizer = \"adamw\": must be one of 'adam', 'sgd'"],
  ['enum miss', set({ data: { type: 'cifar' } }), "data.type = \"cifar\": must be one of 'mnist', 'phases', 'blobs'"],
  ['enum miss', set({ teacher: { model: { ansatz: { type: 'mera' } } } }), "teacher.model.ansatz.type = \"mera\": must be one of 'hardware-efficient', 'ry', 'qcnn'"],
  ['enum miss', set({ teacher: { model: { encoding: { type: 'amplitude' } } } }), "teacher.model.encoding.type = \"amplitude\": must be one of 'angle', 'dense', 'mps'"],
  ['unknown key', set({ training: { lrr: 1 } }), 'training = ["lrr"]: unknown key \'lrr\'; allowed: epochs, steps, batchSize, lr, optimizer, schedule, lrMin, cycleEpochs, cycleSteps, validateEvery, evalEvery'],
  ['unknown key', set({ kd: { T: 2, temperature: 2 } }), 'kd = ["temperature"]: unknown key \'temperature\'; allowed: T, alpha, scaleT2, fidelityWeighted'],
  ['missing required', unset('training.lr'), 'training.lr = undefined: is required (a number)'],
  ['missing required', unset('training.epochs'), 'training.epochs = undefined: is required (an integer ≥ 1) unless steps is given'],
  ['missing required', unset('data'), 'data = undefined: is required (an object)'],
  ['missing required', unset('teacher.model.ansatz'), 'teacher.model.ansatz = undefined: is required (an object)'],
];

describe('schema errors name the field, the value and what is allowed', () => {
  it.each(SCHEMA)('%s: %s', async (_class, edit, problem) => {
    const { code, file } = await validate(JSON.stringify(edit(study), null, 1));
    expect(cap.stderr).toBe(`qdistill: ${file}: 1 problem(s): ${problem}\n`);
    expect(cap.stderr).not.toMatch(/Invalid input|Too small|Too big/);
    expect(cap.stdout).toBe('');
    expect(code).toBe(2);
  });

  it('the classes are all covered', () => {
    expect(new Set(SCHEMA.map(([c]) => c))).toEqual(new Set(['wrong type', 'out of range', 'enum miss', 'unknown key', 'missing required']));
  });

  it('the study config itself is valid', async () => {
    const { code } = await validate(studyText);
    expect(code).toBe(0);
    expect(cap.stderr).toBe('');
  });
});

// the quick block is part of the file: plain `validate` checks the quick variant as well, and a
// problem whose value the quick block sets is named at its place there (`quick.…`); a problem
// of the base config keeps its own path under --quick
describe('problems of the quick block are found by validate and named where they are written', () => {
  const RULE = "must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter";
  it.each<[string, unknown, string]>([
    ['a bad seed', { quick: { seeds: [1, -1] } }, `quick.seeds.1 = -1: ${RULE}`],
    ['a repeated seed', { quick: { seeds: [3, 3] } }, 'quick.seeds.1 = 3: lists seed 3 twice (each seed once: a seed names its runs)'],
    ['an out-of-range field', { quick: { training: { epochs: 0 } } }, 'quick.training.epochs = 0: must be an integer ≥ 1'],
    ['an unknown key', { quick: { training: { lrr: 1 } } }, "quick.training = [\"lrr\"]: unknown key 'lrr'; allowed: epochs, steps, batchSize, lr, optimizer, schedule, lrMin, cycleEpochs, cycleSteps, validateEvery, evalEvery"],
    ['a semantic check (readout qubit)', { quick: { teacher: { model: { readout: { type: 'qubits', qubits: [0, 99] } } } } }, 'quick.teacher.model.readout.qubits.1 = 99: must be a qubit in [0, 15]'],
  ])('%s', async (_, patch, problem) => {
    const text = JSON.stringify(deepMerge(study, patch), null, 1);
    const plain = await validate(text);
    expect(cap.stderr).toBe(`qdistill: ${plain.file} (with --quick): 1 problem(s): ${problem}\n`);
    expect(plain.code).toBe(2);
    const file = join(dir, `q${k++}.json`);
    writeFileSync(file, text);
    cap.stderr = '';
    expect(await main(['validate', file, '--quick'])).toBe(2);
    expect(cap.stderr).toBe(`qdistill: ${file}: 1 problem(s): ${problem}\n`);
  });

  it('a problem of the base config keeps its path under --quick', async () => {
    const file = join(dir, `q${k++}.json`);
    writeFileSync(file, JSON.stringify(deepMerge(study, { training: { lr: 0 } }), null, 1));
    expect(await main(['validate', file, '--quick'])).toBe(2);
    expect(cap.stderr).toBe(`qdistill: ${file}: 1 problem(s): training.lr = 0: must be > 0\n`);
  });
});
