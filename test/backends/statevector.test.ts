import { describe, expect, it } from 'vitest';
import { StateVectorBackend, simulateStateVector } from '../../src/backends/statevector.js';
import { GATES, gateMatrix, unitarityError, type Circuit, type GateOp } from '../../mps/gates.js';
import { makeRng } from '../../mps/rng.js';
import type { CMatrix } from '../../mps/complex.js';

/** Named tolerances. */
const TOL = { exact: 1e-12, unitary: 1e-14, norm: 1e-12 } as const;

const g = (name: string, qubits: number[], params: number[] = []): GateOp => ({ name, qubits, params });

/** Random parameter list for a named gate. */
function randomOp(rng: () => number, n: number): GateOp {
  const names = Object.keys(GATES);
  const name = names[Math.floor(rng() * names.length)]!;
  const spec = GATES[name]!;
  const q0 = Math.floor(rng() * n);
  let q1 = Math.floor(rng() * (n - 1));
  if (q1 >= q0) q1++;
  const params = Array.from({ length: spec.nParams }, () => (rng() * 2 - 1) * 2 * Math.PI);
  return g(name, spec.arity === 1 ? [q0] : [q0, q1], params);
}

function randomState(n: number, seed: number): StateVectorBackend {
  const rng = makeRng(seed);
  const d = 2 ** n;
  const re = Array.from({ length: d }, () => rng() - 0.5);
  const im = Array.from({ length: d }, () => rng() - 0.5);
  return StateVectorBackend.fromAmplitudes(re, im);
}

/** max |a_i − b_i| over both planes. */
function maxDiff(a: StateVectorBackend, b: StateVectorBackend): number {
  const x = a.toArrays(), y = b.toArrays();
  let m = 0;
  for (let i = 0; i < x.re.length; i++) m = Math.max(m, Math.abs(x.re[i]! - y.re[i]!), Math.abs(x.im[i]! - y.im[i]!));
  return m;
}

/**
 * (U on `qs`)·ψ by explicit index arithmetic: out[i] = Σ_j U[loc(i), loc(j)]·ψ[j] over the j that
 * agree with i outside `qs`, where loc reads the bits of `qs` in order (qs[0] most significant).
 */
function applyNaive(psi: { re: Float64Array; im: Float64Array }, n: number, qs: number[], m: CMatrix): { re: Float64Array; im: Float64Array } {
  const d = 2 ** n, k = qs.length, dl = 2 ** k;
  const re = new Float64Array(d), im = new Float64Array(d);
  const bitOf = (i: number, q: number): number => (i >> (n - 1 - q)) & 1;
  for (let i = 0; i < d; i++) {
    let li = 0;
    for (const q of qs) li = 2 * li + bitOf(i, q);
    for (let lj = 0; lj < dl; lj++) {
      let j = i;
      qs.forEach((q, t) => {
        const b = (lj >> (k - 1 - t)) & 1;
        j = (j & ~(1 << (n - 1 - q))) | (b << (n - 1 - q));
      });
      const mr = m.re[li * dl + lj]!, mi = m.im ? m.im[li * dl + lj]! : 0;
      re[i] += mr * psi.re[j]! - mi * psi.im[j]!;
      im[i] += mr * psi.im[j]! + mi * psi.re[j]!;
    }
  }
  return { re, im };
}

describe('construction and bit order', () => {
  it('X on qubit 0 of 3 puts amplitude 1 at "100" = index 4', () => {
    const sv = StateVectorBackend.zeros(3);
    sv.applyGate(g('x', [0]));
    expect(sv.amplitude('100')).toEqual({ re: 1, im: 0 });
    expect(sv.amplitude([1, 0, 0])).toEqual({ re: 1, im: 0 });
    expect(sv.toArrays().re[4]).toBe(1);
    expect(sv.isReal).toBe(true);
  });

  it('fromBits matches X gates and samples its own bitstring', () => {
    const sv = StateVectorBackend.fromBits('0110');
    expect(sv.toArrays().re[6]).toBe(1);
    expect(sv.sample(3, 1)).toEqual(['0110', '0110', '0110']);
    expect(StateVectorBackend.fromBits([0, 1, 1, 0]).overlap(sv)).toEqual({ re: 1, im: 0 });
  });

  it.each([
    [25, '512.0 MiB'],
    [30, '16.0 GiB'],
  ])('n=%i throws with the memory it would need (%s)', (n, mem) => {
    expect(() => StateVectorBackend.zeros(n)).toThrow(
      `state vector of n=${n} qubits needs ${mem} (2^${n} complex amplitudes); the limit is n ≤ 24 — use the MPS backend`,
    );
  });

  it('memoryBytes is 16·2^n', () => {
    expect(StateVectorBackend.memoryBytes(24)).toBe(256 * 2 ** 20);
  });

  it('rejects bad inputs', () => {
    expect(() => StateVectorBackend.fromAmplitudes([1, 0, 0], null)).toThrow(/power of two/);
    expect(() => StateVectorBackend.fromBits('012')).toThrow(/bit 2 must be 0 or 1/);
    expect(() => StateVectorBackend.zeros(2).applyGate(g('cx', [0, 2]))).toThrow(/out of range/);
    expect(() => StateVectorBackend.zeros(2).applyGate(g('cx', [1, 1]))).toThrow(/distinct/);
    expect(() => StateVectorBackend.zeros(2).run({ n: 3, ops: [] })).toThrow(/n=3/);
  });
});

describe('closed forms', () => {
  it.each([0, 0.3, 1.1, Math.PI / 2, 2.5, Math.PI, 4.4])('RY(%f): <Z> = cos θ, <X> = sin θ, <Y> = 0', (theta) => {
    const sv = StateVectorBackend.zeros(3);
    sv.applyGate(g('ry', [1], [theta]));
    expect(sv.isReal).toBe(true);
    const z = sv.expectations('Z'), x = sv.expectations('X'), y = sv.expectations('Y');
    expect(Math.abs(z[1]! - Math.cos(theta))).toBeLessThan(TOL.exact);
    expect(Math.abs(x[1]! - Math.sin(theta))).toBeLessThan(TOL.exact);
    expect(Math.abs(y[1]!)).toBeLessThan(TOL.exact);
    expect(Array.from(z.filter((_, q) => q !== 1))).toEqual([1, 1]);
  });

  it.each([0.2, 1.3, 2.9])('RX(%f): <Y> = −sin θ, <Z> = cos θ (complex path)', (theta) => {
    const sv = StateVectorBackend.zeros(2);
    sv.applyGate(g('rx', [0], [theta]));
    expect(sv.isReal).toBe(false);
    expect(Math.abs(sv.expectations('Y')[0]! + Math.sin(theta))).toBeLessThan(TOL.exact);
    expect(Math.abs(sv.expectations('Z')[0]! - Math.cos(theta))).toBeLessThan(TOL.exact);
    expect(Math.abs(sv.expectPauliString({ coeff: 2, factors: [{ q: 0, p: 'Y' }] }) + 2 * Math.sin(theta))).toBeLessThan(TOL.exact);
  });

  it.each([2, 3, 5, 8])('GHZ on n=%i: amplitudes 1/√2, <Z_i Z_j> = 1, <Z_i> = 0, <X…X> = 1', (n) => {
    const ops: GateOp[] = [g('h', [0])];
    for (let q = 0; q < n - 1; q++) ops.push(g('cx', [q, q + 1]));
    const sv = simulateStateVector({ n, ops });
    expect(Math.abs(sv.amplitude('0'.repeat(n)).re - Math.SQRT1_2)).toBeLessThan(TOL.exact);
    expect(Math.abs(sv.amplitude('1'.repeat(n)).re - Math.SQRT1_2)).toBeLessThan(TOL.exact);
    for (const z of sv.expectations('Z')) expect(Math.abs(z)).toBeLessThan(TOL.exact);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const zz = sv.expectPauliString({ coeff: 1, factors: [{ q: i, p: 'Z' }, { q: j, p: 'Z' }] });
        expect(Math.abs(zz - 1)).toBeLessThan(TOL.exact);
      }
    }
    const xs = sv.expectPauliString({ coeff: 1, factors: Array.from({ length: n }, (_, q) => ({ q, p: 'X' as const })) });
    expect(Math.abs(xs - 1)).toBeLessThan(TOL.exact);
  });

  it('Bell state: <XX> = 1, <YY> = −1, <ZZ> = 1; Pauli sum adds them', () => {
    const sv = simulateStateVector({ n: 2, ops: [g('h', [0]), g('cx', [0, 1])] });
    const two = (p: 'X' | 'Y' | 'Z', coeff = 1) => ({ coeff, factors: [{ q: 0, p }, { q: 1, p }] });
    expect(sv.expectPauliString(two('X'))).toBeCloseTo(1, 12);
    expect(sv.expectPauliString(two('Y'))).toBeCloseTo(-1, 12);
    expect(sv.expectPauliSum([two('X', 0.5), two('Y', 2), two('Z', -1), { coeff: 3, factors: [] }])).toBeCloseTo(0.5 - 2 - 1 + 3, 12);
  });

  it('expectations are normalised by <ψ|ψ>', () => {
    const sv = StateVectorBackend.fromAmplitudes([3, 0, 0, 0], null);
    expect(sv.norm()).toBe(3);
    expect(Array.from(sv.expectations('Z'))).toEqual([1, 1]);
    expect(sv.expectPauliString({ coeff: 1, factors: [{ q: 0, p: 'Z' }] })).toBe(1);
  });

  it('non-adjacent CX and CX with reversed control', () => {
    const sv = StateVectorBackend.fromBits('10000');
    sv.applyGate(g('cx', [0, 3]));
    expect(sv.amplitude('10010').re).toBe(1);
    sv.applyGate(g('cx', [3, 1]));
    expect(sv.amplitude('11010').re).toBe(1);
    sv.applyGate(g('cx', [4, 0])); // control 0: nothing happens
    expect(sv.amplitude('11010').re).toBe(1);
  });
});

describe('gate matrices and identities', () => {
  const sampleParams = [0.37, -1.9, 2.6];
  it.each(Object.keys(GATES))('%s is unitary to 1e-14', (name) => {
    const op = g(name, GATES[name]!.arity === 1 ? [0] : [0, 1], sampleParams.slice(0, GATES[name]!.nParams));
    expect(unitarityError(gateMatrix(op))).toBeLessThan(TOL.unitary);
  });

  const twoQubit = Object.keys(GATES).filter((k) => GATES[k]!.arity === 2);
  it.each(twoQubit)('%s on (q1, q0) equals SWAP·G(q0, q1)·SWAP', (name) => {
    const params = sampleParams.slice(0, GATES[name]!.nParams);
    for (const [a, b] of [[1, 3], [0, 1], [3, 0]] as const) {
      const lhs = randomState(4, 11);
      const rhs = lhs.clone();
      lhs.applyGate(g(name, [b, a], params));
      rhs.applyGate(g('swap', [a, b]));
      rhs.applyGate(g(name, [a, b], params));
      rhs.applyGate(g('swap', [a, b]));
      expect(maxDiff(lhs, rhs)).toBeLessThan(TOL.exact);
    }
  });

  const placements: Record<1 | 2, number[][]> = { 1: [[0], [1], [2], [3]], 2: [[0, 1], [1, 0], [0, 3], [3, 1], [2, 3]] };
  it.each(Object.keys(GATES))('%s agrees with a naive dense application on every placement', (name) => {
    const spec = GATES[name]!;
    const params = sampleParams.slice(0, spec.nParams);
    for (const [k, qs] of placements[spec.arity].entries()) {
      const sv = randomState(4, 5 + k);
      const want = applyNaive(sv.toArrays(), 4, qs, gateMatrix(g(name, qs, params)));
      sv.applyGate(g(name, qs, params));
      expect(maxDiff(sv, StateVectorBackend.fromAmplitudes(want.re, want.im))).toBeLessThan(TOL.exact);
    }
  });

  it('real gates on a real state agree with the complex path', () => {
    const real = StateVectorBackend.fromAmplitudes(randomState(3, 9).toArrays().re, null);
    const forced = StateVectorBackend.fromAmplitudes(real.toArrays().re, null);
    forced.applyGate(g('rz', [0], [0])); // all-zero imaginary plane: still the real path
    expect(forced.isReal).toBe(true);
    forced.applyGate(g('s', [0]));
    forced.applyGate(g('sdg', [0])); // identity, but allocates the imaginary plane
    expect(forced.isReal).toBe(false);
    for (const sv of [real, forced]) sv.run({ n: 3, ops: [g('ry', [2], [0.7]), g('cx', [2, 0]), g('h', [1]), g('cz', [0, 1])] });
    expect(real.isReal).toBe(true);
    expect(maxDiff(real, forced)).toBeLessThan(TOL.exact);
  });

  it.each<[string, GateOp[], GateOp[]]>([
    ['H·Z·H = X', [g('h', [1]), g('z', [1]), g('h', [1])], [g('x', [1])]],
    ['H·X·H = Z', [g('h', [2]), g('x', [2]), g('h', [2])], [g('z', [2])]],
    ['S·S = Z', [g('s', [0]), g('s', [0])], [g('z', [0])]],
    ['T·T = S', [g('t', [0]), g('t', [0])], [g('s', [0])]],
    ['H(t)·CX·H(t) = CZ', [g('h', [2]), g('cx', [0, 2]), g('h', [2])], [g('cz', [0, 2])]],
    ['3 CX = SWAP', [g('cx', [0, 2]), g('cx', [2, 0]), g('cx', [0, 2])], [g('swap', [2, 0])]],
    ['CZ symmetric', [g('cz', [2, 1])], [g('cz', [1, 2])]],
    ['RZ(a)·RZ(b) = RZ(a+b)', [g('rz', [1], [0.4]), g('rz', [1], [0.9])], [g('rz', [1], [1.3])]],
  ])('%s', (_label, a, b) => {
    const s1 = randomState(3, 21), s2 = s1.clone();
    s1.run({ n: 3, ops: a });
    s2.run({ n: 3, ops: b });
    expect(maxDiff(s1, s2)).toBeLessThan(TOL.exact);
  });
});

describe('invariants, overlaps and sampling', () => {
  it('a 200-gate random circuit on 8 qubits preserves the norm to 1e-12, and ⟨ψ|ψ⟩ = 1', () => {
    const rng = makeRng('norm-200');
    const circuit: Circuit = { n: 8, ops: Array.from({ length: 200 }, () => randomOp(rng, 8)) };
    const sv = simulateStateVector(circuit);
    expect(Math.abs(sv.norm() - 1)).toBeLessThan(TOL.norm);
    const ov = sv.overlap(sv);
    expect(Math.abs(ov.re - 1)).toBeLessThan(TOL.norm);
    expect(Math.abs(ov.im)).toBeLessThan(TOL.norm);
    // Σ_q <Z_q>² + <X_q>² + <Y_q>² ≤ n (Bloch vectors inside the ball)
    const z = sv.expectations('Z'), x = sv.expectations('X'), y = sv.expectations('Y');
    for (let q = 0; q < 8; q++) expect(z[q]! ** 2 + x[q]! ** 2 + y[q]! ** 2).toBeLessThanOrEqual(1 + TOL.norm);
  });

  it('overlap is ⟨this|other⟩ (conjugate-linear in this)', () => {
    const a = StateVectorBackend.zeros(1);
    const b = StateVectorBackend.zeros(1);
    b.applyGate(g('h', [0]));
    b.applyGate(g('s', [0])); // (|0⟩ + i|1⟩)/√2
    const one = StateVectorBackend.fromBits('1');
    expect(one.overlap(b).im).toBeCloseTo(Math.SQRT1_2, 15);
    expect(b.overlap(one).im).toBeCloseTo(-Math.SQRT1_2, 15);
    expect(a.overlap(b).re).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('real fast path stays real for RY/CZ/CX/H/SWAP circuits', () => {
    const sv = simulateStateVector({ n: 4, ops: [g('ry', [0], [0.3]), g('cz', [0, 3]), g('h', [2]), g('cx', [2, 1]), g('swap', [1, 3])] });
    expect(sv.isReal).toBe(true);
  });

  it('sampling frequencies match |amplitude|² within 5σ and are reproducible per seed', () => {
    // RY(θ0) ⊗ RY(θ1) product: p(b0 b1) = p0(b0) p1(b1)
    const th = [1.0, 2.2];
    const sv = simulateStateVector({ n: 2, ops: [g('ry', [0], [th[0]!]), g('ry', [1], [th[1]!])] });
    const shots = 20000;
    const s = sv.sample(shots, 'freq');
    expect(sv.sample(shots, 'freq')).toEqual(s);
    expect(sv.sample(50, 'other')).not.toEqual(s.slice(0, 50));
    const p1 = (t: number) => Math.sin(t / 2) ** 2;
    for (const bits of ['00', '01', '10', '11']) {
      const p = (bits[0] === '1' ? p1(th[0]!) : 1 - p1(th[0]!)) * (bits[1] === '1' ? p1(th[1]!) : 1 - p1(th[1]!));
      const count = s.filter((x) => x === bits).length;
      const sigma = Math.sqrt(shots * p * (1 - p));
      expect(Math.abs(count - shots * p)).toBeLessThan(5 * sigma);
    }
  });

  it('n=20 random brickwork runs and agrees with the 2-qubit-gate-free closed form', () => {
    // RY on each qubit then CZ layers: CZ is diagonal, so <Z_q> = cos θ_q exactly.
    const n = 20;
    const rng = makeRng(7);
    const th = Array.from({ length: n }, () => rng() * 2 * Math.PI);
    const ops: GateOp[] = th.map((t, q) => g('ry', [q], [t]));
    for (let q = 0; q + 1 < n; q += 2) ops.push(g('cz', [q, q + 1]));
    for (let q = 1; q + 1 < n; q += 2) ops.push(g('cz', [q, q + 1]));
    const z = simulateStateVector({ n, ops }).expectations('Z');
    for (let q = 0; q < n; q++) expect(Math.abs(z[q]! - Math.cos(th[q]!))).toBeLessThan(TOL.exact);
  });
});
