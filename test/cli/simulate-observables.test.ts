/**
 * `qdistill simulate` observable flags end to end (the built CLI), both backends, against the
 * independent dense reference of test/helpers/dense-observables.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denseBondEntropy, denseExpect, denseState, randomCircuit } from '../helpers/dense-observables.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-obs-'));
function file(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}

describe('simulate --observable/--correlations/--entropy/--amplitude/--shots --json', () => {
  const cases: [number, string][] = [[3, 'x'], [6, 'y'], [8, 'z']];
  it.each(cases)('random circuit n = %i (seed %s): every field matches the dense state vector on both backends', (n, seed) => {
    const { qasm, ops } = randomCircuit(n, 5, seed);
    const path = file(`r${n}${seed}.qasm`, qasm);
    const ref = denseState(n, ops);
    const bits = Array.from({ length: n }, (_, i) => String((i * 7 + 1) % 2)).join('');
    const M = `Z0*Z${n - 1} + 0.5*X1 - 0.25*Y2*Z0`;
    const exactM = denseExpect(ref, [[0, 'Z'], [n - 1, 'Z']]) + 0.5 * denseExpect(ref, [[1, 'X']]) - 0.25 * denseExpect(ref, [[2, 'Y'], [0, 'Z']]);
    const outs = ['mps', 'statevector'].map((backend) => {
      const r = runCli(['simulate', path, '--backend', backend, '--json', '--observable', M, '--observable', 'X0', '--correlations', 'Y', '--entropy', '--entropy-base', '2', '--amplitude', bits, '--shots', '400', '--seed', '5']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout);
    });
    for (const out of outs) {
      expect(out.expectations.Z).toHaveLength(n); // existing fields kept
      expect(out.observables.map((o: { observable: string }) => o.observable)).toEqual([M, 'X0']);
      expect(Math.abs(out.observables[0].value - exactM)).toBeLessThan(1e-12);
      expect(Math.abs(out.observables[1].value - denseExpect(ref, [[0, 'X']]))).toBeLessThan(1e-12);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        expect(Math.abs(out.correlations.Y.matrix[i][j] - (i === j ? 1 : denseExpect(ref, [[i, 'Y'], [j, 'Y']])))).toBeLessThan(1e-12);
      }
      expect(out.entropy.unit).toBe('bits');
      for (let b = 0; b < n - 1; b++) expect(Math.abs(out.entropy.bonds[b] - denseBondEntropy(ref, b) / Math.LN2)).toBeLessThan(1e-10);
      const idx = parseInt(bits, 2);
      expect(out.amplitudes[0].bitstring).toBe(bits);
      expect(Math.abs(out.amplitudes[0].re - ref.re[idx]!)).toBeLessThan(1e-12);
      expect(Math.abs(out.amplitudes[0].im - ref.im[idx]!)).toBeLessThan(1e-12);
      // histogram: sums to K, is the tally of the samples, sorted by count then bitstring
      expect(out.samples).toHaveLength(400);
      expect(out.counts.reduce((a: number, [, c]: [string, number]) => a + c, 0)).toBe(400);
      const tally = new Map<string, number>();
      for (const s of out.samples) tally.set(s, (tally.get(s) ?? 0) + 1);
      expect(new Map(out.counts)).toEqual(tally);
      for (let k = 1; k < out.counts.length; k++) {
        const [b0, c0] = out.counts[k - 1], [b1, c1] = out.counts[k];
        expect(c0 > c1 || (c0 === c1 && b0 < b1)).toBe(true);
      }
    }
  });

  it('the histogram reproduces with the same --seed and changes with another', () => {
    const { qasm } = randomCircuit(5, 4, 'hist');
    const path = file('hist.qasm', qasm);
    for (const backend of ['mps', 'statevector']) {
      const run = (seed: string) => JSON.parse(runCli(['simulate', path, '--backend', backend, '--json', '--shots', '300', '--seed', seed]).stdout).counts;
      const a = run('7');
      expect(run('7')).toEqual(a);
      expect(run('8')).not.toEqual(a);
    }
  });

  it('GHZ: ln 2 nats at every bond, ⟨Z_i Z_j⟩ = 1, amplitudes 1/√2, human output names the units', () => {
    const path = file('ghz.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[5];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\ncx q[2],q[3];\ncx q[3],q[4];\n');
    for (const backend of ['mps', 'statevector']) {
      const out = JSON.parse(runCli(['simulate', path, '--backend', backend, '--json', '--entropy', '--correlations', 'Z', '--amplitude', '11111', '--amplitude', '01111']).stdout);
      expect(out.entropy.unit).toBe('nats');
      for (const s of out.entropy.bonds) expect(Math.abs(s - Math.LN2)).toBeLessThan(1e-14);
      for (const row of out.correlations.Z.matrix) for (const v of row) expect(Math.abs(v - 1)).toBeLessThan(1e-14);
      expect(Math.abs(out.amplitudes[0].re - Math.SQRT1_2)).toBeLessThan(1e-15);
      expect(out.amplitudes[1].probability).toBe(0);
      const human = runCli(['simulate', path, '--backend', backend, '--entropy', '--observable', 'Z0*Z4', '--shots', '10', '--seed', '1']);
      expect(human.status).toBe(0);
      expect(human.stdout).toMatch(/entanglement entropy per bond \(nats; .*\): 0\.69314718 0\.69314718 0\.69314718 0\.69314718/);
      expect(human.stdout).toMatch(/<Z0\*Z4> = 1\.00000000000/);
      expect(human.stdout).toMatch(/counts \(10 shots, 2 distinct bitstrings, qubit 0 first\):\n {2}(00000|11111) +\d+ +0\.\d{4}\n {2}(00000|11111)/);
    }
  });
});

describe('simulate observable flags: bad input is one line on stderr and exit 2', () => {
  const path = file('two.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[4];\nh q[0];\ncx q[0],q[1];\n');
  const cases: [string, string[], RegExp][] = [
    ['qubit out of range in an observable', ['--observable', 'Z0*Z5'], /--observable: .*qubit 5 out of range for n = 4/],
    ['malformed observable', ['--observable', 'Z0 ** X1'], /--observable: Pauli sum, column/],
    ['correlations label', ['--correlations', 'Q'], /--correlations must be X, Y or Z, got 'Q'/],
    ['entropy base', ['--entropy', '--entropy-base', '3'], /--entropy-base must be 'e' \(nats\) or '2' \(bits\), got '3'/],
    ['entropy base alone', ['--entropy-base', '2'], /--entropy-base 2 needs --entropy/],
    ['bitstring of the wrong length', ['--amplitude', '01'], /--amplitude '01' has 2 bits; the circuit has n = 4 qubits/],
    ['bitstring with other characters', ['--amplitude', '01x0'], /--amplitude '01x0': character 3 is 'x'/],
    ['observables under noise', ['--entropy', '--depolarizing', '0.01', '--seed', '1'], /need a pure state/],
    ['entropy flag given a value', ['--entropy=yes'], /entropy/],
  ];
  it.each(cases)('%s', (_name, args, pattern) => {
    for (const backend of ['mps', 'statevector']) {
      if (args.includes('--depolarizing') && backend === 'statevector') continue;
      const r = runCli(['simulate', path, '--backend', backend, ...args]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});

describe('simulate --shots under noise', () => {
  it('adds the histogram of all samples (trajectories × shots) to the noisy output', () => {
    const path = file('noisy.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nh q[0];\ncx q[0],q[1];\n');
    const args = ['simulate', path, '--depolarizing', '0.05', '--trajectories', '20', '--shots', '15', '--seed', '4'];
    const out = JSON.parse(runCli([...args, '--json']).stdout);
    expect(out.samples).toHaveLength(300);
    expect(out.counts.reduce((a: number, [, c]: [string, number]) => a + c, 0)).toBe(300);
    const tally = new Map<string, number>();
    for (const s of out.samples) tally.set(s, (tally.get(s) ?? 0) + 1);
    expect(new Map(out.counts)).toEqual(tally);
    expect(JSON.parse(runCli([...args, '--json']).stdout).counts).toEqual(out.counts);
    expect(runCli(args).stdout).toMatch(/counts \(300 shots, \d+ distinct bitstrings, qubit 0 first\)/);
  });
});

describe('simulate --entropy on a large state vector', () => {
  it('is a usage error beyond n = 20, naming the limit and the MPS backend', () => {
    const path = file('n21.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[21];\nh q[0];\n');
    const r = runCli(['simulate', path, '--backend', 'statevector', '--entropy']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--entropy with --backend statevector is limited to n ≤ 20 qubits .*got n = 21; use --backend mps/);
    expect(runCli(['simulate', path, '--entropy', '--json']).status).toBe(0);
  });
});

describe("the README's observables example", () => {
  it('prints the closed forms quoted in the README (⟨Z0 Z5⟩ = cos π/3, ln 2 per bond, cos(π/6)/√2)', () => {
    const r = runCli(['simulate', 'experiments/circuits/ghz-ry6.qasm', '--observable', 'Z0*Z5 + 0.5*X3', '--correlations', 'Z', '--entropy', '--amplitude', '000000', '--shots', '1000', '--seed', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/<Z0\*Z5 \+ 0\.5\*X3> = 0\.500000000000\n/);
    expect(r.stdout).toMatch(/\(nats; [^)]*\): (0\.69314718 ){4}0\.69314718\n/);
    expect(r.stdout).toMatch(/<000000\|ψ> = 0\.612372435696 \+ 0\.00000000000i/);
    expect((Math.cos(Math.PI / 6) / Math.SQRT2).toPrecision(12)).toBe('0.612372435696');
    expect(r.stdout).toMatch(/counts \(1000 shots, 4 distinct bitstrings/);
  });
});
