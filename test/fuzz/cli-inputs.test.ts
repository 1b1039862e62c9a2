/**
 * Malformed inputs through the built CLI (spawned, with a timeout), fast-check with fixed
 * seeds: random mutations of a valid OpenQASM file (`simulate`), of a valid JSON circuit
 * (`grad`) and of experiments/e1-qubits.json (`validate`). Whatever the input, the process
 * exits in time with status 0, 1 or 2; a failure prints exactly one line on stderr
 * (`qdistill: …`), no stack trace and no internal error (TypeError, RangeError,
 * ReferenceError: a bug, to be fixed where the input is validated).
 *
 * Repeat one case: the failure message prints the seed, path and the mutated input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/** Seeds and run counts (spawns): the suite is deterministic. */
export const CLI_FUZZ = {
  simulate: { seed: 0xc11_0001, numRuns: 16 },
  grad: { seed: 0xc11_0002, numRuns: 14 },
  validate: { seed: 0xc11_0003, numRuns: 12 },
} as const;
const TIMEOUT_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'qdistill-cli-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QASM = `OPENQASM 2.0;
include "qelib1.inc";
gate foo(a) x, y { ry(a/2) x; cx x, y; }
qreg q[4];
qreg r[2];
creg c[6];
h q[0];
rx(pi/3) q[1];
u3(0.1, -0.2, 2*pi) r[0];
cx q[0], r[1];
rzz(sin(0.4)^2) q[2], q[3];
foo(1.5) q[3], q[0];
cp(-pi/4) r[1], q[2];
barrier q;
measure q -> c[0:3];
`.replace('measure q -> c[0:3];', 'measure q[0] -> c[0];');
const CIRCUIT_JSON = readFileSync('experiments/circuits/example.json', 'utf8');
const E1 = readFileSync('experiments/e1-qubits.json', 'utf8');

/** Tokens spliced into inputs: huge indices, non-numbers, syntax, unicode. */
const TOKENS = [
  '999999999999', '4294967296', '-1', '1e400', '-0', 'NaN', 'nan', 'inf', 'Infinity', 'pi/0', '0/0', '1e-400',
  'null', 'true', '"x"', '[]', '{}', '[', ']', '{', '}', '(', ')', ',', ';', ':', '"', '\\', '->', '//', '/*',
  'q[1000000000]', 'qreg z[99999999];', 'qreg z[30];', 'gate', 'measure', 'opaque', 'if', 'OPENQASM 3.0;',
  '"__proto__"', '"constructor"', '"qubits": [0, 0]', '"angles": [{"param": 1e9}]', '"n": 1e9', '"seeds": []',
  'é', '\u0000', '\u2028', '💥', ' ', '\n',
];

type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'swap'; at: number }
  | { kind: 'insert'; at: number; token: number }
  | { kind: 'number'; which: number; token: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), token: fc.nat(TOKENS.length - 1) }),
  fc.record({ kind: fc.constant('number' as const), which: fc.nat(200), token: fc.nat(TOKENS.length - 1) }),
);

/** Applies the mutations in order; `number` replaces the which-th numeric literal. */
export function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    if (m.kind === 'number') {
      const nums = [...t.matchAll(/\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      if (nums.length === 0) continue;
      const hit = nums[m.which % nums.length]!;
      t = t.slice(0, hit.index) + TOKENS[m.token]! + t.slice(hit.index! + hit[0].length);
      continue;
    }
    const at = Math.min(t.length, Math.floor(m.at * t.length));
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'duplicate') t = t.slice(0, at) + t.slice(at, at + m.len) + t.slice(at);
    else if (m.kind === 'swap') t = at + 1 < t.length ? t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2) : t;
    else t = t.slice(0, at) + TOKENS[m.token]! + t.slice(at);
  }
  return t;
}

const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });
const outcomes: Record<string, Record<string, number>> = {};

/** Runs the CLI on one mutated input and checks the contract; returns the exit status. */
function checkRun(command: string, file: string, text: string, args: string[]): void {
  writeFileSync(file, text);
  const r = runCli([command, file, ...args], { timeout: TIMEOUT_MS });
  const ctx = `qdistill ${command} on:\n${text}\n--- stderr:\n${r.stderr}`;
  expect(r.status, `timed out or killed: ${ctx}`).not.toBeNull();
  expect([0, 1, 2], ctx).toContain(r.status);
  expect(r.stderr, ctx).not.toContain('\n    at ');
  expect(r.stderr, ctx).not.toMatch(/TypeError|RangeError|ReferenceError|Uncaught|internal error|Cannot read prop/i);
  if (r.status !== 0) {
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, ctx).toHaveLength(1);
    expect(lines[0], ctx).toMatch(/^qdistill: \S/);
    expect(r.stdout, ctx).toBe('');
  } else if (args.includes('--json')) {
    expect(() => JSON.parse(r.stdout), ctx).not.toThrow();
  }
  const key = r.status === 0 ? 'ok' : `exit ${r.status}`;
  (outcomes[command] ??= {})[key] = (outcomes[command]![key] ?? 0) + 1;
}

describe('fuzz: malformed inputs through the CLI', () => {
  it(`simulate: ${CLI_FUZZ.simulate.numRuns} mutated OpenQASM files`, () => {
    expect(runCli(['simulate', writeTo('valid.qasm', QASM), '--json']).status).toBe(0);
    const backend = fc.constantFrom<string[]>(['--json'], ['--json', '--backend', 'statevector'], ['--max-bond', '2']);
    fc.assert(fc.property(mutationsArb, backend, (ms, args) => checkRun('simulate', join(dir, 'm.qasm'), mutate(QASM, ms), args)), CLI_FUZZ.simulate);
  });

  it(`grad: ${CLI_FUZZ.grad.numRuns} mutated JSON circuits`, () => {
    const obs = ['--observable', 'Z0 + 0.5*Z1*Z2 - 0.25*X3', '--json'];
    expect(runCli(['grad', writeTo('valid.json', CIRCUIT_JSON), ...obs]).status).toBe(0);
    const extra = fc.constantFrom<string[]>([], ['--backend', 'statevector'], ['--method', 'parameter-shift']);
    fc.assert(fc.property(mutationsArb, extra, (ms, more) => checkRun('grad', join(dir, 'm.json'), mutate(CIRCUIT_JSON, ms), [...obs, ...more])), CLI_FUZZ.grad);
  });

  it(`validate: ${CLI_FUZZ.validate.numRuns} mutated experiment configs`, () => {
    expect(runCli(['validate', writeTo('e1.json', E1)]).status).toBe(0);
    fc.assert(fc.property(mutationsArb, fc.boolean(), (ms, quick) => checkRun('validate', join(dir, 'm-e1.json'), mutate(E1, ms), quick ? ['--quick'] : [])), CLI_FUZZ.validate);
    console.log(`CLI fuzz outcomes: ${JSON.stringify(outcomes)}`);
  });
});

/** Hand-picked hostile inputs (each once exhausted the stack or memory, or hung). */
const deepParens = `rx(${'('.repeat(20_000)}1${')'.repeat(20_000)}) q[0];`;
const gateBomb = ['gate a0 x { x x; x x; }', ...Array.from({ length: 39 }, (_, i) => `gate a${i + 1} x { a${i} x; a${i} x; }`), 'a39 q[0];'].join('\n');
const HOSTILE: [string, string, string, string[], RegExp][] = [
  ['simulate', 'huge register', 'qreg q[99999999];\nh q[0];', [], /the limit is 100000/],
  ['simulate', 'deep parentheses', `qreg q[1];\n${deepParens}`, [], /more than 1000 terms/],
  ['simulate', 'long unary chain', `qreg q[1];\nrx(${'-'.repeat(5000)}1) q[0];`, [], /more than 1000 terms/],
  ['simulate', 'exponential gate expansion', `qreg q[1];\n${gateBomb}`, [], /more than 1000000 gate operations/],
  ['simulate', 'non-finite angle inside a gate body', 'qreg q[1];\ngate g(a) x { rx(a/0) x; }\ng(1) q[0];', [], /line 4, column \d+: gate 'rx': parameter 0 evaluates to Infinity/],
  ['simulate', 'NaN angle', 'qreg q[1];\nrx(0/0) q[0];', [], /evaluates to NaN/],
  ['simulate', 'too many shots', 'qreg q[1];\nh q[0];', ['--shots', '99999999999', '--seed', '1'], /--shots must be at most/],
  ['grad', 'deeply nested JSON', '['.repeat(100_000) + ']'.repeat(100_000), ['--observable', 'Z0'], /nested deeper than 64 levels/],
  ['validate', 'deeply nested JSON', `{"name": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`, [], /nested deeper than 64 levels/],
];

describe('hostile inputs through the CLI', () => {
  it.each(HOSTILE)('%s: %s', (command, _name, body, args, message) => {
    const text = command === 'simulate' ? `OPENQASM 2.0;\ninclude "qelib1.inc";\n${body}\n` : body;
    const file = writeTo(`hostile.${command === 'simulate' ? 'qasm' : 'json'}`, text);
    const r = runCli([command, file, ...args], { timeout: TIMEOUT_MS });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

function writeTo(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
