/**
 * Unit tests of src/cli/observables.ts and mps/entanglement.ts against an independent dense
 * reference (test/helpers/dense-observables.ts): random circuits n = 1…8 on both backends.
 */
import { describe, expect, it } from 'vitest';
import { bondEntropies, entropyOfProbabilities, Mps, runCircuitInPlace, schmidtValues } from '../../mps/index.js';
import { StateVectorBackend } from '../../src/backends/statevector.js';
import { parseQasm } from '../../src/circuit/qasm.js';
import { evaluateObservables, histogram, parseObservableOptions, type SimulatedState } from '../../src/cli/observables.js';
import { UsageError } from '../../src/cli/errors.js';
import { denseBondEntropy, denseExpect, denseState, randomCircuit, type Dense } from '../helpers/dense-observables.js';

function states(qasm: string): SimulatedState[] {
  const { circuit } = parseQasm(qasm);
  const psi = Mps.zeros(circuit.n);
  runCircuitInPlace(psi, circuit, { cutoff: 0 });
  const sv = StateVectorBackend.zeros(circuit.n);
  sv.run(circuit);
  return [{ kind: 'mps', psi }, { kind: 'statevector', sv }];
}

const CASES: [number, number, string][] = [[1, 2, 'a'], [2, 3, 'b'], [3, 3, 'c'], [4, 4, 'd'], [5, 4, 'e'], [6, 5, 'f'], [7, 5, 'g'], [8, 6, 'h']];

describe('observables on random circuits agree with the dense reference (both backends)', () => {
  it.each(CASES)('n = %i, depth %i, seed %s', (n, depth, seed) => {
    const { qasm, ops } = randomCircuit(n, depth, seed);
    const ref: Dense = denseState(n, ops);
    // a Pauli sum over random qubits with X, Y, Z factors
    const q1 = n - 1, q2 = Math.floor(n / 2);
    const three = [...new Set([0, q1, 1 % n])].map((q, k) => `${'YXZ'[k]}${q}`).join('*');
    const text = n > 1 ? `Z0*Z${q1} + 0.5*X${q2} - 0.25*${three} + 2` : `Z0 + 0.5*X0 - 0.25*${three} + 2`;
    const req = parseObservableOptions({ observable: [text, `Y${q1}`], correlations: ['X', 'Y', 'Z'], entropy: true, amplitude: ['0'.repeat(n), '1'.repeat(n), Array.from({ length: n }, (_, i) => String(i % 2)).join('')] }, n);
    const sum = req.observables[0]!.sum;
    const expectM = sum.reduce((a, t) => a + t.coeff * denseExpect(ref, t.factors.map((f) => [f.q, f.p as 'X' | 'Y' | 'Z'])), 0);
    for (const st of states(qasm)) {
      const o = evaluateObservables(st, req);
      expect(Math.abs(o.observables![0]!.value - expectM)).toBeLessThan(1e-12);
      expect(Math.abs(o.observables![1]!.value - denseExpect(ref, [[q1, 'Y']]))).toBeLessThan(1e-12);
      for (const p of ['X', 'Y', 'Z'] as const) {
        const c = o.correlations![p]!;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const exact = i === j ? 1 : denseExpect(ref, [[i, p], [j, p]]);
            expect(Math.abs(c.matrix[i]![j]! - exact)).toBeLessThan(1e-12);
            const conn = exact - denseExpect(ref, [[i, p]]) * denseExpect(ref, [[j, p]]);
            expect(Math.abs(c.connected[i]![j]! - conn)).toBeLessThan(1e-12);
          }
        }
      }
      expect(o.entropy!.unit).toBe('nats');
      expect(o.entropy!.bonds).toHaveLength(n - 1);
      for (let b = 0; b < n - 1; b++) expect(Math.abs(o.entropy!.bonds[b]! - denseBondEntropy(ref, b))).toBeLessThan(1e-10);
      for (const a of o.amplitudes!) {
        const idx = parseInt(a.bitstring, 2);
        expect(Math.abs(a.re - ref.re[idx]!)).toBeLessThan(1e-12);
        expect(Math.abs(a.im - ref.im[idx]!)).toBeLessThan(1e-12);
        expect(Math.abs(a.probability - (ref.re[idx]! ** 2 + ref.im[idx]! ** 2))).toBeLessThan(1e-12);
      }
    }
  });
});

describe('entanglement entropy: closed forms', () => {
  const H = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';
  const cases: [string, string, number[]][] = [
    ['Bell pair (n = 2): ln 2', `${H}qreg q[2];\nh q[0];\ncx q[0],q[1];\n`, [Math.LN2]],
    ['Bell pair on the middle qubits of 4: ln 2 at the middle bond only', `${H}qreg q[4];\nh q[1];\ncx q[1],q[2];\n`, [0, Math.LN2, 0]],
    ['product state: 0 everywhere', `${H}qreg q[5];\nh q[0];\nry(0.7) q[1];\nrx(1.1) q[3];\nrz(0.2) q[3];\n`, [0, 0, 0, 0]],
    ['GHZ of 6: ln 2 at every bond', `${H}qreg q[6];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\ncx q[2],q[3];\ncx q[3],q[4];\ncx q[4],q[5];\n`, [1, 1, 1, 1, 1].map(() => Math.LN2)],
    ['two Bell pairs across the middle of 4: 2 ln 2 there', `${H}qreg q[4];\nh q[0];\nh q[1];\ncx q[0],q[3];\ncx q[1],q[2];\n`, [Math.LN2, 2 * Math.LN2, Math.LN2]],
    ['single qubit: no bonds', `${H}qreg q[1];\nh q[0];\n`, []],
  ];
  it.each(cases)('%s', (_name, qasm, expected) => {
    for (const st of states(qasm)) {
      const nats = evaluateObservables(st, parseObservableOptions({ entropy: true }, expected.length + 1)).entropy!;
      const bits = evaluateObservables(st, parseObservableOptions({ entropy: true, 'entropy-base': '2' }, expected.length + 1)).entropy!;
      expect(nats.unit).toBe('nats');
      expect(bits.unit).toBe('bits');
      expect(nats.bonds).toHaveLength(expected.length);
      for (let b = 0; b < expected.length; b++) {
        expect(Math.abs(nats.bonds[b]! - expected[b]!)).toBeLessThan(1e-13);
        expect(Math.abs(bits.bonds[b]! - expected[b]! / Math.LN2)).toBeLessThan(1e-13);
      }
    }
  });

  it('schmidtValues are normalised, descending, and leave the state unchanged', () => {
    const { qasm } = randomCircuit(6, 4, 'schmidt');
    const psi = (states(qasm)[0] as { psi: Mps }).psi;
    const before = psi.toStateVector();
    for (let b = 0; b < 5; b++) {
      const lam = schmidtValues(psi, b);
      expect(Math.abs(lam.reduce((a, x) => a + x * x, 0) - 1)).toBeLessThan(1e-14);
      for (let k = 1; k < lam.length; k++) expect(lam[k]!).toBeLessThanOrEqual(lam[k - 1]!);
    }
    const after = psi.toStateVector();
    for (let i = 0; i < before.re.length; i++) expect(Math.abs(after.re[i]! - before.re[i]!)).toBeLessThan(1e-13);
    expect(() => schmidtValues(psi, 5)).toThrow(/bond must be an integer in \[0, 4\].*got 5/);
    expect(bondEntropies(Mps.zeros(1))).toHaveLength(0);
  });

  it('entropyOfProbabilities: closed forms and base validation', () => {
    expect(entropyOfProbabilities([0.5, 0.5])).toBeCloseTo(Math.LN2, 15);
    expect(entropyOfProbabilities([0.25, 0.25, 0.25, 0.25], 2)).toBeCloseTo(2, 15);
    expect(entropyOfProbabilities([1, 0, 0])).toBe(0);
    expect(() => entropyOfProbabilities([1], 1)).toThrow(/base/);
  });
});

describe('histogram', () => {
  it('counts sum to the number of samples, most frequent first, ties by bitstring', () => {
    const samples = ['10', '01', '10', '11', '00', '01', '10'];
    const h = histogram(samples);
    expect(h).toEqual([['10', 3], ['01', 2], ['00', 1], ['11', 1]]);
    expect(h.reduce((a, [, c]) => a + c, 0)).toBe(samples.length);
    expect(histogram([])).toEqual([]);
  });
});

describe('parseObservableOptions: one-line usage errors naming the flag, the value and what is allowed', () => {
  const cases: [string, Parameters<typeof parseObservableOptions>[0], RegExp][] = [
    ['qubit out of range', { observable: ['Z0*Z5'] }, /--observable: .*qubit 5 out of range for n = 4.*qubits are 0…3/],
    ['malformed sum', { observable: ['Z0 +'] }, /--observable: Pauli sum, column \d+: expected/],
    ['overflowing coefficients', { observable: ['1e308*Z0 + 1e308*Z1'] }, /--observable .*overflows/],
    ['correlations label', { correlations: ['W'] }, /--correlations must be X, Y or Z, got 'W'/],
    ['entropy base', { entropy: true, 'entropy-base': '10' }, /--entropy-base must be 'e' \(nats\) or '2' \(bits\), got '10'/],
    ['entropy base without --entropy', { 'entropy-base': '2' }, /--entropy-base 2 needs --entropy/],
    ['bitstring too short', { amplitude: ['010'] }, /--amplitude '010' has 3 bits; the circuit has n = 4 qubits/],
    ['bitstring too long', { amplitude: ['01010'] }, /--amplitude '01010' has 5 bits; the circuit has n = 4/],
    ['bitstring with other characters', { amplitude: ['01a1'] }, /--amplitude '01a1': character 3 is 'a'; a bitstring has only 0 and 1/],
    ['empty bitstring', { amplitude: [''] }, /--amplitude '' has 0 bits/],
  ];
  it.each(cases)('%s', (_name, values, pattern) => {
    let err: unknown;
    try { parseObservableOptions(values, 4); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toMatch(/\n/);
  });
  it('accepts lower-case Paulis and drops repeats', () => {
    expect(parseObservableOptions({ correlations: ['z', 'Z', 'x'] }, 2).correlations).toEqual(['Z', 'X']);
  });
});
