/**
 * Property tests (fast-check, fixed seeds): random circuits over the whole gate library
 * (distant pairs included), random truncation settings and random Pauli sums, MPS against the
 * exact state vector. Without truncation the two agree to 1e-10; with truncation the
 * invariants hold: ‖ψ‖² = fidelity estimate, bond ≤ maxBond, canonical form intact. The MPS
 * adjoint gradient equals the state-vector one when nothing is truncated.
 *
 * Repeat one failure with the seed and path fast-check prints: `fc.assert(prop, { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjointGradientMps, EXACT_TRUNCATION, expectPauliSum, GATES, localExpectations, Mps, resolveTruncation, runCircuit,
  type Circuit, type GateOp, type PauliSum,
} from '../../mps/index.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { adjointGradientStateVector } from '../../src/backends/statevector-adjoint.js';

const TOL = { exact: 1e-10, norm: 1e-10, canonical: 1e-10 };
/** Seeds and run counts: the suite is deterministic. */
export const FUZZ = {
  simulate: { seed: 0x5eed_0001, numRuns: 400 },
  truncated: { seed: 0x5eed_0002, numRuns: 600 },
  gradient: { seed: 0x5eed_0003, numRuns: 300 },
} as const;

const NAMES = Object.keys(GATES);
/**
 * fast-check's doubles are log-distributed (most draws are tiny, down to 5e-324, where the
 * known bugs pinned at the end of this file live), so angles and coefficients are drawn
 * uniformly from a fine grid, plus the special values 0, ±π/2, ±π, 2π and small angles.
 */
const uniform = (max: number): fc.Arbitrary<number> => fc.integer({ min: -(2 ** 30), max: 2 ** 30 }).map((k) => (k / 2 ** 30) * max);
const angle = fc.oneof(
  { arbitrary: uniform(4 * Math.PI), weight: 8 },
  { arbitrary: fc.constantFrom(0, Math.PI / 2, -Math.PI / 2, Math.PI, -Math.PI, 2 * Math.PI, 1e-8, -1e-6), weight: 2 },
);

/** A gate of the library on random qubits (two-qubit gates on any pair, distant ones included). */
const gateOn = (n: number): fc.Arbitrary<GateOp> =>
  fc.constantFrom(...NAMES.filter((g) => n > 1 || GATES[g]!.arity === 1)).chain((name) => {
    const spec = GATES[name]!;
    const qubits = spec.arity === 1
      ? fc.tuple(fc.nat(n - 1)).map(([q]) => [q])
      : fc.tuple(fc.nat(n - 1), fc.nat(n - 2)).map(([a, b]) => [a, b >= a ? b + 1 : b]);
    return fc.record({ name: fc.constant(name), qubits, params: fc.array(angle, { minLength: spec.nParams, maxLength: spec.nParams }) });
  });

const circuitArb = (maxGates: number, minN = 1): fc.Arbitrary<Circuit> =>
  fc.integer({ min: minN, max: 8 }).chain((n) => fc.record({ n: fc.constant(n), ops: fc.array(gateOn(n), { maxLength: maxGates, size: 'max' }) }));

const pauliSumArb = (n: number): fc.Arbitrary<PauliSum> =>
  fc.array(
    fc.record({
      coeff: fc.oneof({ arbitrary: uniform(2), weight: 8 }, fc.constantFrom(0, 1, -1)),
      // a random subset of qubits with a random Pauli each (distinct qubits by construction)
      factors: fc.array(fc.constantFrom('I', 'X', 'Y', 'Z' as const), { minLength: n, maxLength: n })
        .map((ps) => ps.flatMap((p, q) => (p === 'I' ? [] : [{ q, p: p as 'X' | 'Y' | 'Z' }]))),
    }),
    { minLength: 1, maxLength: 5 },
  );

const truncationArb = fc.record({
  maxBond: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 3 }, fc.integer({ min: 1, max: 16 }), fc.constant(Infinity)),
  cutoff: fc.oneof(fc.constantFrom(0, 1e-14, 1e-10, 1e-6, 1e-3, 1e-1), uniform(0.2).map(Math.abs)),
});

const caseArb = (maxGates: number) => circuitArb(maxGates, 3).chain((c) => fc.record({ circuit: fc.constant(c), obs: pauliSumArb(c.n), trunc: truncationArb }));

function maxAbsDiff(a: { re: Float64Array; im: Float64Array }, b: { re: Float64Array; im: Float64Array }): number {
  let m = 0;
  for (let i = 0; i < a.re.length; i++) m = Math.max(m, Math.abs(a.re[i]! - b.re[i]!), Math.abs(a.im[i]! - b.im[i]!));
  return m;
}

describe('fuzz: MPS against the exact state vector', () => {
  it(`agrees to ${TOL.exact} when nothing is truncated; invariants hold when truncated (${FUZZ.simulate.numRuns} + ${FUZZ.truncated.numRuns} cases)`, () => {
    let exact = 0, truncated = 0;
    const check = ({ circuit, obs, trunc }: { circuit: Circuit; obs: PauliSum; trunc: { maxBond: number; cutoff: number } }) => {
      const opts = resolveTruncation(trunc);
      const psi0 = Mps.zeros(circuit.n);
      const { state, report } = runCircuit(psi0, circuit, opts);
      // pure: the input is untouched
      expect(psi0.toStateVector().re[0]).toBe(1);
      // always: ‖ψ‖² = F, bond cap, canonical form
      expect(Math.abs(state.normSquared() - report.fidelityEstimate)).toBeLessThanOrEqual(TOL.norm);
      expect(report.bondReached).toBeLessThanOrEqual(opts.maxBond);
      expect(state.bondReached()).toBeLessThanOrEqual(opts.maxBond);
      expect(state.canonicalFormError()).toBeLessThanOrEqual(TOL.canonical);
      if (report.truncations > 0) { truncated++; return; }
      exact++;
      const sv = simulateStateVector(circuit);
      expect(maxAbsDiff(state.toStateVector(), sv.toArrays())).toBeLessThanOrEqual(TOL.exact);
      expect(Math.abs(expectPauliSum(state, obs) - sv.expectPauliSum(obs))).toBeLessThanOrEqual(TOL.exact);
      for (const p of ['X', 'Y', 'Z'] as const) {
        const a = localExpectations(state, p), b = sv.expectations(p);
        for (let q = 0; q < circuit.n; q++) expect(Math.abs(a[q]! - b[q]!)).toBeLessThanOrEqual(TOL.exact);
      }
    };
    // exact settings: agreement everywhere
    fc.assert(fc.property(circuitArb(40).chain((c) => fc.record({ circuit: fc.constant(c), obs: pauliSumArb(c.n), trunc: fc.constant({ maxBond: Infinity, cutoff: 0 }) })), check), FUZZ.simulate);
    expect(truncated).toBe(0);
    // random truncation settings: either no truncation happened (then exact) or the invariants
    fc.assert(fc.property(caseArb(40), check), FUZZ.truncated);
    expect(truncated).toBeGreaterThan(100);
    expect(exact).toBeGreaterThan(FUZZ.simulate.numRuns);
    console.log(`fuzz MPS: ${exact} exact cases, ${truncated} truncated cases`);
  });

  it(`the adjoint gradient equals between backends without truncation (${FUZZ.gradient.numRuns} cases)`, () => {
    fc.assert(fc.property(circuitArb(25).chain((c) => fc.record({ circuit: fc.constant(c), obs: pauliSumArb(c.n) })), ({ circuit, obs }) => {
      const m = adjointGradientMps(Mps.zeros(circuit.n), circuit, obs, EXACT_TRUNCATION);
      const s = adjointGradientStateVector(circuit, obs);
      expect(m.report.truncations).toBe(0);
      expect(Math.abs(m.value - s.value)).toBeLessThanOrEqual(TOL.exact);
      expect(m.gateGradients.length).toBe(circuit.ops.length);
      m.gateGradients.forEach((g, k) => {
        expect(g.length).toBe(circuit.ops[k]!.params.length);
        for (let j = 0; j < g.length; j++) expect(Math.abs(g[j]! - s.gateGradients[k]![j]!), `gate ${k} (${circuit.ops[k]!.name}) param ${j}`).toBeLessThanOrEqual(TOL.exact);
      });
    }), FUZZ.gradient);
  });
});

/**
 * Counterexamples fast-check found (seeds 0x5eed0001–0x5eed0003 when angles and coefficients
 * were log-distributed doubles down to 5e-324): Householder reflectors squared entries of
 * ~1e-160 into subnormals or zero and produced NaN. Fixed by scaling each column by its largest
 * entry; kept as regression tests.
 */
describe('fuzz: regressions (underflow bugs found by fast-check, fixed by scaling Householder reflectors)', () => {
  it('fixed (was a known bug): a complex two-site split with a singular value whose square underflows (rxx(1e-323)) leaves NaN in the MPS while the report says F = 1', () => {
    const c: Circuit = { n: 2, ops: [{ name: 'rxx', qubits: [0, 1], params: [1e-323] }] };
    const { state, report } = runCircuit(Mps.zeros(2), c, EXACT_TRUNCATION);
    expect(report.fidelityEstimate).toBe(1);
    const v = state.toStateVector();
    expect([...v.re, ...v.im].every(Number.isFinite)).toBe(true);
  });

  it('fixed (was a known bug): adjointGradientMps returns NaN for a Pauli sum with a term of coefficient ≤ 1e-200 next to a zero identity term', () => {
    const obs: PauliSum = [{ coeff: 5e-324, factors: [{ q: 1, p: 'Y' }, { q: 2, p: 'Z' }] }, { coeff: 0, factors: [] }];
    expect(adjointGradientMps(Mps.zeros(3), { n: 3, ops: [] }, obs, EXACT_TRUNCATION).value).toBe(0);
  });

  it('fixed (was a known bug): an amplitude of 5e-151 (ry(1e-150), then a distant two-qubit gate) makes the MPS norm 0 and its amplitudes NaN, with F = 1 and no truncation reported', () => {
    const c: Circuit = { n: 8, ops: [{ name: 'sx', qubits: [1], params: [] }, { name: 'ry', qubits: [6], params: [-1e-150] }, { name: 'ryy', qubits: [6, 0], params: [0] }] };
    const { state, report } = runCircuit(Mps.zeros(8), c, EXACT_TRUNCATION);
    expect(report.truncations).toBe(0);
    expect(state.normSquared()).toBeCloseTo(1, 12);
  });

  it('fixed (was a known bug): the MPS adjoint gradient is NaN after a u3 with angles ~1e-70 (exact settings; the state vector gives finite values)', () => {
    const c: Circuit = {
      n: 8, ops: [
        { name: 'u3', qubits: [0], params: [0, 0, 0] }, { name: 'rx', qubits: [5], params: [0] }, { name: 'x', qubits: [2], params: [] },
        { name: 'sdg', qubits: [7], params: [] }, { name: 'rxx', qubits: [3, 7], params: [0] }, { name: 'x', qubits: [1], params: [] },
        { name: 'y', qubits: [4], params: [] }, { name: 'cy', qubits: [4, 7], params: [] },
        { name: 'u3', qubits: [1], params: [7.212422156921666e-71, 3.746614877713108e-89, -1.72713798065336e-92] },
      ],
    };
    const obs: PauliSum = [{ coeff: -1, factors: [{ q: 1, p: 'X' }, { q: 7, p: 'X' }] }, { coeff: 0, factors: [{ q: 1, p: 'Y' }] }];
    const s = adjointGradientStateVector(c, obs);
    expect(Number.isFinite(s.value)).toBe(true);
    expect(Number.isFinite(adjointGradientMps(Mps.zeros(8), c, obs, EXACT_TRUNCATION).value)).toBe(true);
  });
});
