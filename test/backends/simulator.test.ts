/**
 * The simulator seam over both kinds: run, expectations, adjoint gradient and truncation report.
 * References: the exact state vector (for the MPS at no truncation, and for itself through the
 * independent dense path `simulateStateVector`), and the parameter-shift rule for the gradient.
 */
import { describe, expect, it } from 'vitest';
import { Mps, runCircuit, type Circuit, type PauliSum } from '../../mps/index.js';
import { parsePauliSum } from '../../mps/pauli-parse.js';
import { adjointGradient, engineTruncation, resolveSimulator, runSimulation, stateVectorOfMps, type Simulator } from '../../src/backends/simulator.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { parameterShiftGradient } from '../../src/grad/param-shift.js';
import { randomCircuit } from '../helpers/random-circuit.js';

// Exact methods (MPS at cutoff 0 without a cap, the state vector, the parameter shift) agree to
// rounding: seen ≤ 4e-14 on these sizes; 1e-12 keeps a 25× margin and fails a wrong digit.
const TOL = 1e-12;

const KINDS: [string, Simulator][] = [
  ['mps, no truncation', resolveSimulator('mps', { cutoff: 0 })],
  ['statevector', resolveSimulator('statevector')],
];
const OBS = ['Z0', 'Z0 + 0.5*Z1*Z2 - 0.25*X3', '0.3*Y1*X2 + 2*Z3 - X0*Z2'];
const CASES = Array.from({ length: 6 }, (_, k) => ({ k, n: 4 + (k % 4), obs: OBS[k % OBS.length]! }));
const ROWS = KINDS.flatMap(([name, sim]) => CASES.map((c) => ({ name, sim, ...c })));

function maxDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let m = 0;
  a.forEach((x, k) => Array.from(x).forEach((v, j) => { m = Math.max(m, Math.abs(v - b[k]![j]!)); }));
  return m;
}

/** A random entangled input state (the `mps` encoding's kind of input), from its own circuit. */
function inputState(n: number, seed: string): Mps {
  return runCircuit(Mps.zeros(n), randomCircuit(n, 20, seed), { cutoff: 0 }).state;
}

describe('simulator seam: both kinds against the references', () => {
  it.each(ROWS)('$name, circuit $k (n=$n, M = $obs): run and expectations equal the dense state vector', ({ sim, k, n, obs }) => {
    const c = randomCircuit(n, 30, `seam-${k}`);
    const M = parsePauliSum(obs, n);
    const ref = simulateStateVector(c);
    const got = runSimulation(sim, c);
    expect(got.n).toBe(n);
    expect(got.state.kind).toBe(sim.kind);
    expect(Math.abs(got.expectPauliSum(M) - ref.expectPauliSum(M))).toBeLessThan(TOL);
    expect(maxDiff([got.expectationsZ()], [ref.expectations('Z')])).toBeLessThan(TOL);
    M.forEach((o) => expect(Math.abs(got.expectPauliString(o) - ref.expectPauliString(o))).toBeLessThan(TOL));
    // no truncation: the report is exact (F = 1 to rounding, nothing discarded)
    expect(got.report.truncations).toBe(0);
    expect(got.report.discardedWeight).toBe(0);
    expect(Math.abs(got.report.fidelityEstimate - 1)).toBeLessThan(TOL);
  });

  it.each(ROWS)('$name, circuit $k (n=$n) from an MPS input: equals the dense run from its amplitudes; the input is untouched', ({ sim, k, n, obs }) => {
    const c = randomCircuit(n, 30, `seam-in-${k}`);
    const M = parsePauliSum(obs, n);
    const x = inputState(n, `input-${k}`);
    const before = x.toStateVector();
    const ref = stateVectorOfMps(x);
    ref.run(c);
    const got = runSimulation(sim, c, x);
    expect(Math.abs(got.expectPauliSum(M) - ref.expectPauliSum(M))).toBeLessThan(TOL);
    const after = x.toStateVector();
    expect(Array.from(after.re)).toEqual(Array.from(before.re));
    expect(Array.from(after.im)).toEqual(Array.from(before.im));
  });

  it.each(ROWS)('$name, circuit $k (n=$n, M = $obs): adjoint gradient equals the parameter shift and the other kind', ({ sim, k, n, obs }) => {
    const c = randomCircuit(n, 30, `seam-grad-${k}`);
    const M = parsePauliSum(obs, n);
    const x = k % 2 === 0 ? null : inputState(n, `grad-input-${k}`);
    const evaluate = (cc: Circuit) => runSimulation(sim, cc, x).expectPauliSum(M);
    const g = adjointGradient(sim, c, M, x);
    expect(Math.abs(g.value - evaluate(c))).toBeLessThan(TOL);
    expect(maxDiff(g.gateGradients, parameterShiftGradient(c, evaluate))).toBeLessThan(TOL);
    const [, other] = KINDS.find(([, s]) => s.kind !== sim.kind)!;
    expect(maxDiff(g.gateGradients, adjointGradient(other, c, M, x).gateGradients)).toBeLessThan(TOL);
    // an observable built from the final state gives the same result as the fixed sum
    let seen = 0;
    const viaFinal = adjointGradient(sim, c, (final) => { seen = final.expectPauliSum(M); return M; }, x);
    expect(Math.abs(seen - g.value)).toBeLessThan(TOL);
    // (reading the MPS moves its orthogonality centre before the backward sweep: equal to rounding)
    expect(maxDiff(viaFinal.gateGradients, g.gateGradients)).toBeLessThan(TOL);
  });
});

describe('simulator seam: truncation', () => {
  // GHZ on 6 qubits has Schmidt rank 2 on every bond: a cap of 1 must truncate half the weight
  const ghz: Circuit = { n: 6, ops: [{ name: 'h', qubits: [0], params: [] }, ...[0, 1, 2, 3, 4].map((q) => ({ name: 'cx', qubits: [q, q + 1], params: [] }))] };
  const Z0Z5: PauliSum = parsePauliSum('Z0*Z5', 6);

  it('a bond cap of 1 truncates the GHZ state: bond reached 1, F = 1/2, ⟨Z0 Z5⟩ still 1 on the kept branch', () => {
    const r = runSimulation(resolveSimulator('mps', { maxBond: 1 }), ghz);
    expect(r.report.bondReached).toBe(1);
    expect(r.report.truncations).toBe(1);
    expect(Math.abs(r.report.fidelityEstimate - 0.5)).toBeLessThan(TOL);
    expect(Math.abs(r.expectPauliSum(Z0Z5) - 1)).toBeLessThan(TOL);
  });

  it.each([['mps, no cap', resolveSimulator('mps')], ['statevector', resolveSimulator('statevector')]] as const)('%s: the GHZ state is exact (bond reached 2 on the MPS; the state vector reports no truncation)', (_name, sim) => {
    const r = runSimulation(sim, ghz);
    expect(r.report.truncations).toBe(0);
    expect(r.report.fidelityEstimate).toBe(1);
    expect(r.report.bondReached).toBe(sim.kind === 'mps' ? 2 : 1);
    expect(Math.abs(r.expectPauliSum(Z0Z5) - 1)).toBeLessThan(TOL);
  });

  it('the adjoint on a capped MPS reports the forward truncation', () => {
    const c = randomCircuit(6, 40, 'seam-cap', { local: true });
    const g = adjointGradient(resolveSimulator('mps', { maxBond: 2 }), c, parsePauliSum('Z0 + Z5', 6));
    const fwd = runSimulation(resolveSimulator('mps', { maxBond: 2 }), c);
    expect(g.report.bondReached).toBeLessThanOrEqual(2);
    expect(g.report.fidelityEstimate).toBe(fwd.report.fidelityEstimate);
    expect(g.report.truncations).toBe(fwd.report.truncations);
    expect(fwd.report.truncations).toBeGreaterThan(0);
  });
});

describe('resolveSimulator: one resolution, one spelling of "no cap"', () => {
  it.each([
    ['mps, nothing given', 'mps', {}, { kind: 'mps', truncation: { cutoff: 1e-10 } }],
    ['mps, maxBond undefined (absent)', 'mps', { maxBond: undefined }, { kind: 'mps', truncation: { cutoff: 1e-10 } }],
    ['mps, engine spelling Infinity', 'mps', { maxBond: Infinity }, { kind: 'mps', truncation: { cutoff: 1e-10 } }],
    ['mps, cap and cutoff', 'mps', { maxBond: 8, cutoff: 1e-6 }, { kind: 'mps', truncation: { cutoff: 1e-6, maxBond: 8 } }],
    ['mps, minBond', 'mps', { minBond: 2 }, { kind: 'mps', truncation: { cutoff: 1e-10, minBond: 2 } }],
    ['statevector', 'statevector', {}, { kind: 'statevector' }],
    ['statevector, undefined fields', 'statevector', { maxBond: undefined, cutoff: undefined }, { kind: 'statevector' }],
  ] as const)('%s', (_name, backend, opts, want) => {
    const sim = resolveSimulator(backend, opts);
    expect(sim).toEqual(want);
    // plain JSON: a resolved simulator survives a round trip unchanged
    expect(JSON.parse(JSON.stringify(sim))).toEqual(sim);
    if (sim.kind === 'mps') {
      const e = engineTruncation(sim);
      expect(e.maxBond).toBe(sim.truncation.maxBond ?? Infinity);
      expect(e.cutoff).toBe(sim.truncation.cutoff);
    }
  });

  it.each([
    ['unknown backend', 'dense', {}, /backend must be 'mps' or 'statevector', got 'dense'/],
    ['statevector with a cap', 'statevector', { maxBond: 4 }, /truncation settings \(maxBond 4, cutoff -\) do not apply to backend 'statevector'/],
    ['statevector with a cutoff', 'statevector', { cutoff: 1e-8 }, /truncation settings \(maxBond -, cutoff 1e-8\) do not apply/],
    ['cap 0', 'mps', { maxBond: 0 }, /maxBond must be an integer ≥ 1, got 0/],
    ['cap null', 'mps', { maxBond: null }, /maxBond must be a number, got null/],
    ['cap 2.5', 'mps', { maxBond: 2.5 }, /maxBond must be an integer ≥ 1, got 2.5/],
    ['cutoff 1', 'mps', { cutoff: 1 }, /cutoff must be a number in \[0, 1\), got 1/],
    ['unknown option', 'mps', { chi: 4 }, /unknown truncation option 'chi'/],
  ] as const)('refuses %s', (_name, backend, opts, msg) => {
    expect(() => resolveSimulator(backend, opts as never)).toThrow(msg);
  });
});
