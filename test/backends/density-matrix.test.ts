/**
 * The dense density-matrix reference: noiseless runs against the state vector, each channel
 * against closed forms derived by hand from its definition, and trace, Hermiticity and
 * positivity of ρ after channels on random circuits.
 */
import { describe, expect, it } from 'vitest';
import type { CMatrix } from '../../mps/complex.js';
import type { Circuit, GateOp } from '../../mps/gates.js';
import { krausOperators, PAULIS, type Channel, type NoiseModel } from '../../mps/noise.js';
import { DensityMatrix } from '../../src/backends/density-matrix.js';
import { StateVectorBackend } from '../../src/backends/statevector.js';
import { randomCircuit } from '../helpers/random-circuit.js';

const op = (name: string, qubits: number[], params: number[] = []): GateOp => ({ name, qubits, params });
const X = PAULIS[1]!, Y = PAULIS[2]!, Z = PAULIS[3]!;

function maxDiff(a: DensityMatrix, b: DensityMatrix): number {
  let m = 0;
  for (let i = 0; i < a.re.length; i++) m = Math.max(m, Math.abs(a.re[i]! - b.re[i]!), Math.abs(a.im[i]! - b.im[i]!));
  return m;
}

describe('DensityMatrix without noise equals |ψ⟩⟨ψ| of the state vector', () => {
  it.each([1, 2, 3, 5])('random circuit over the whole gate table, n = %i', (n) => {
    const c = randomCircuit(n, 30, `dm-${n}`);
    const sv = StateVectorBackend.zeros(n);
    sv.run(c);
    const amps = sv.toArrays();
    const ref = DensityMatrix.fromStateVector(amps.re, amps.im);
    const rho = DensityMatrix.zeros(n).run(c);
    // measured: ≤ 3.4e-16
    expect(maxDiff(rho, ref)).toBeLessThan(1e-14);
  });
});

describe('channels against closed forms (per the Kraus operators of mps/noise.ts)', () => {
  const one = (gates: GateOp[], model: NoiseModel, n = 1): DensityMatrix => DensityMatrix.zeros(n).run({ n, ops: gates }, model);
  it.each([0, 0.01, 0.3, 1, 4 / 3])('depolarizing P = %f on |0⟩: ⟨Z⟩ = 1 − P (Qiskit form (1−P)ρ + P·I/2)', (P) => {
    const rho = one([op('id', [0])], { oneQubit: { depolarizing: P } });
    expect(rho.expectationsZ()[0]).toBeCloseTo(1 - P, 14);
  });
  it('depolarizing after m gates: ⟨Z⟩ = (1 − P)^m', () => {
    const rho = one(Array.from({ length: 7 }, () => op('id', [0])), { oneQubit: { depolarizing: 0.2 } });
    expect(rho.expectationsZ()[0]).toBeCloseTo(0.8 ** 7, 14);
  });
  it.each([0.05, 0.4, 1])('depolarizing P = %f equals the Pauli form of PennyLane, (1−p)ρ + (p/3)Σσρσ with p = 3P/4', (P) => {
    const c: Circuit = { n: 1, ops: [op('u3', [0], [0.7, 0.3, -1.1])] };
    const rho = DensityMatrix.zeros(1).run(c, { oneQubit: { depolarizing: P } });
    const pure = DensityMatrix.zeros(1).run(c);
    const p = (3 * P) / 4;
    const terms: [number, CMatrix][] = [[1 - p, PAULIS[0]!], [p / 3, X], [p / 3, Y], [p / 3, Z]];
    const ref = DensityMatrix.zeros(1);
    ref.re.fill(0);
    for (const [w, s] of terms) {
      const t = pure.clone().applyMatrix(s, [0]);
      for (let i = 0; i < 4; i++) { ref.re[i]! += w * t.re[i]!; ref.im[i]! += w * t.im[i]!; }
    }
    expect(maxDiff(rho, ref)).toBeLessThan(1e-15);
  });
  it.each([0, 0.1, 0.5, 1, 16 / 15])('two-qubit depolarizing P = %f: on a Bell pair ⟨Z0 Z1⟩ = 1 − P, on |00⟩ ⟨Z0⟩ = 1 − P', (P) => {
    const bell = DensityMatrix.zeros(2).run({ n: 2, ops: [op('h', [0]), op('cx', [0, 1])] }, { twoQubit: { depolarizing: P } });
    let zz01 = 0;
    for (let i = 0; i < 4; i++) zz01 += bell.re[i * 4 + i]! * ((i === 0 || i === 3) ? 1 : -1);
    expect(zz01).toBeCloseTo(1 - P, 14);
    const z = DensityMatrix.zeros(2).run({ n: 2, ops: [op('cz', [0, 1])] }, { twoQubit: { depolarizing: P } }).expectationsZ();
    expect(z[0]).toBeCloseTo(1 - P, 14);
    expect(z[1]).toBeCloseTo(1 - P, 14);
  });
  it.each([0, 0.2, 0.7, 1])('amplitude damping γ = %f: |1⟩ → ⟨Z⟩ = 2γ − 1; |+⟩ → ⟨X⟩ = √(1−γ), ⟨Z⟩ = γ', (g) => {
    expect(one([op('x', [0])], { oneQubit: { amplitudeDamping: g } }).expectationsZ()[0]).toBeCloseTo(2 * g - 1, 14);
    const plus = one([op('h', [0])], { oneQubit: { amplitudeDamping: g } });
    expect(plus.expectation1(X, 0)).toBeCloseTo(Math.sqrt(1 - g), 14);
    expect(plus.expectationsZ()[0]).toBeCloseTo(g, 14);
  });
  it.each([0, 0.2, 0.7, 1])('phase damping λ = %f: |+⟩ → ⟨X⟩ = √(1−λ), ⟨Z⟩ = 0; populations untouched', (l) => {
    const plus = one([op('h', [0])], { oneQubit: { phaseDamping: l } });
    expect(plus.expectation1(X, 0)).toBeCloseTo(Math.sqrt(1 - l), 14);
    expect(plus.expectationsZ()[0]).toBeCloseTo(0, 14);
    const tilted = one([op('ry', [0], [1.1])], { oneQubit: { phaseDamping: l } });
    expect(tilted.expectationsZ()[0]).toBeCloseTo(Math.cos(1.1), 14);
    expect(tilted.expectation1(X, 0)).toBeCloseTo(Math.sqrt(1 - l) * Math.sin(1.1), 14);
  });
  it('phase damping λ equals a phase flip with p_z = (1 − √(1−λ))/2 (the unravelling the trajectories use)', () => {
    const c: Circuit = { n: 1, ops: [op('u3', [0], [0.9, 0.4, 0.2])] };
    for (const l of [0.1, 0.6, 1]) {
      const rho = DensityMatrix.zeros(1).run(c, { oneQubit: { phaseDamping: l } });
      const pz = (1 - Math.sqrt(1 - l)) / 2;
      const ref = DensityMatrix.zeros(1).run(c).applyKraus([{ dim: 2, re: Float64Array.of(Math.sqrt(1 - pz), 0, 0, Math.sqrt(1 - pz)), im: null }, { dim: 2, re: Z.re.map((x) => Math.sqrt(pz) * x), im: null }], [0]);
      expect(maxDiff(rho, ref)).toBeLessThan(1e-15);
    }
  });
  it.each([0, 0.05, 0.5])('readout flip p = %f scales ⟨Z⟩ by 1 − 2p', (p) => {
    const rho = one([op('ry', [0], [0.8])], {});
    expect(rho.expectationsZ(p)[0]).toBeCloseTo((1 - 2 * p) * Math.cos(0.8), 14);
  });
});

describe('Kraus operators are complete: Σ K†K = I', () => {
  const chans: Channel[] = [
    { kind: 'depolarizing', qubits: [0], p: 0.3 }, { kind: 'depolarizing', qubits: [0], p: 4 / 3 },
    { kind: 'depolarizing', qubits: [0, 1], p: 0.2 }, { kind: 'depolarizing', qubits: [0, 1], p: 16 / 15 },
    { kind: 'amplitudeDamping', qubits: [0], p: 0.37 }, { kind: 'phaseDamping', qubits: [0], p: 0.81 },
  ];
  it.each(chans)('%o', (ch) => {
    const ks = krausOperators(ch);
    const d = ks[0]!.dim;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let re = 0, im = 0;
      for (const k of ks) for (let r = 0; r < d; r++) {
        const ar = k.re[r * d + i]!, ai = k.im ? -k.im[r * d + i]! : 0, br = k.re[r * d + j]!, bi = k.im ? k.im[r * d + j]! : 0;
        re += ar * br - ai * bi; im += ar * bi + ai * br;
      }
      expect(Math.abs(re - (i === j ? 1 : 0))).toBeLessThan(1e-15);
      expect(Math.abs(im)).toBeLessThan(1e-15);
    }
  });
});

describe('ρ after channels stays a density matrix: trace 1, Hermitian, eigenvalues ≥ −1e-12', () => {
  const models: NoiseModel[] = [
    { oneQubit: { depolarizing: 0.3 }, twoQubit: { depolarizing: 0.5 } },
    { oneQubit: { amplitudeDamping: 0.4 }, twoQubit: { amplitudeDamping: 0.2, phaseDamping: 0.3 } },
    { oneQubit: { depolarizing: 4 / 3, phaseDamping: 1 }, twoQubit: { depolarizing: 16 / 15, amplitudeDamping: 1 } },
  ];
  it.each(models.map((m, i) => [i, m] as const))('model %i on random 4-qubit circuits', (i, m) => {
    for (const seed of [1, 2]) {
      const rho = DensityMatrix.zeros(4).run(randomCircuit(4, 25, `pos-${i}-${seed}`), m);
      const tr = rho.trace();
      expect(Math.abs(tr.re - 1)).toBeLessThan(1e-13);
      expect(Math.abs(tr.im)).toBeLessThan(1e-15);
      expect(rho.hermiticityError()).toBeLessThan(1e-15);
      const w = rho.eigenvalues();
      expect(w[0]!).toBeGreaterThanOrEqual(-1e-12);
    }
  });
  it('refuses n > 10 with the memory rule', () => {
    expect(() => DensityMatrix.zeros(11)).toThrow(/n must be an integer in \[1, 10\], got 11/);
  });
});
