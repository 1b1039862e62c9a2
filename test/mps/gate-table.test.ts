/**
 * The gate table against matrices written out here from their textbook definitions, built from
 * explicit Pauli matrices with a small complex-arithmetic helper of this file (no code of the
 * engine is used to build a reference). Every gate of the engine's table must have a reference
 * below, so a gate added without one fails this test.
 *
 * Definitions (OpenQASM 2 `qelib1.inc` conventions; qubit order: the first qubit is the more
 * significant bit, and controlled gates use the first qubit as the control):
 * - R_P(θ) = exp(−iθP/2) = cos(θ/2)·I − i·sin(θ/2)·P for P ∈ {X, Y, Z, X⊗X, Y⊗Y, Z⊗Z};
 * - P(λ) = diag(1, e^{iλ}); S = P(π/2), T = P(π/4) and their adjoints; H = (X + Z)/√2;
 * - SX = ½[[1+i, 1−i], [1−i, 1+i]] (SX² = X);
 * - U3(θ, φ, λ) = e^{i(φ+λ)/2}·RZ(φ)·RY(θ)·RZ(λ);
 * - C(U) = |0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ U; SWAP = ½(I⊗I + X⊗X + Y⊗Y + Z⊗Z);
 * - UCRY(θ0, θ1) = |0⟩⟨0| ⊗ RY(θ0) + |1⟩⟨1| ⊗ RY(θ1).
 * The derivatives ∂G/∂p used by the adjoint are checked against closed forms (∂R_P/∂θ =
 * −(i/2)·P·R_P) and, for every parameterised gate, against central differences of the reference.
 */
import { describe, expect, it } from 'vitest';
import { GATES, gateMatrix } from '../../mps/gates.js';
import { gateDerivative } from '../../mps/gate-derivatives.js';

type C = [number, number];
type M = C[][];
const c = (re: number, im = 0): C => [re, im];
const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const expi = (x: number): C => [Math.cos(x), Math.sin(x)];
const madd = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => add(v, b[i]![j]!)));
const mscale = (s: C, a: M): M => a.map((r) => r.map((v) => mul(s, v)));
const mmul = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce<C>((acc, v, k) => add(acc, mul(v, b[k]![j]!)), c(0))));
const kron = (a: M, b: M): M => {
  const n = b.length;
  return Array.from({ length: a.length * n }, (_, i) => Array.from({ length: a.length * n }, (_, j) => mul(a[Math.floor(i / n)]![Math.floor(j / n)]!, b[i % n]![j % n]!)));
};
const eye = (d: number): M => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => c(i === j ? 1 : 0)));
const diag = (...d: C[]): M => d.map((v, i) => d.map((_, j) => (i === j ? v : c(0))));

const I2 = eye(2);
const X: M = [[c(0), c(1)], [c(1), c(0)]];
const Y: M = [[c(0), c(0, -1)], [c(0, 1), c(0)]];
const Z: M = [[c(1), c(0)], [c(0), c(-1)]];
const P0: M = [[c(1), c(0)], [c(0), c(0)]];
const P1: M = [[c(0), c(0)], [c(0), c(1)]];
/** exp(−iθP/2) for an involutory P (P² = I). */
const rot = (P: M, t: number): M => madd(mscale(c(Math.cos(t / 2)), eye(P.length)), mscale(c(0, -Math.sin(t / 2)), P));
const phase = (l: number): M => diag(c(1), expi(l));
const controlled = (U: M): M => madd(kron(P0, I2), kron(P1, U));

/** The textbook reference of every gate, by canonical name. */
const REFERENCE: Record<string, (p: number[]) => M> = {
  id: () => I2,
  x: () => X,
  y: () => Y,
  z: () => Z,
  h: () => mscale(c(Math.SQRT1_2), madd(X, Z)),
  s: () => diag(c(1), c(0, 1)),
  sdg: () => diag(c(1), c(0, -1)),
  t: () => diag(c(1), expi(Math.PI / 4)),
  tdg: () => diag(c(1), expi(-Math.PI / 4)),
  sx: () => [[c(0.5, 0.5), c(0.5, -0.5)], [c(0.5, -0.5), c(0.5, 0.5)]],
  rx: ([t]) => rot(X, t!),
  ry: ([t]) => rot(Y, t!),
  rz: ([t]) => rot(Z, t!),
  p: ([l]) => phase(l!),
  u3: ([th, ph, la]) => mscale(expi((ph! + la!) / 2), mmul(rot(Z, ph!), mmul(rot(Y, th!), rot(Z, la!)))),
  cx: () => controlled(X),
  cy: () => controlled(Y),
  cz: () => controlled(Z),
  cp: ([l]) => controlled(phase(l!)),
  cry: ([t]) => controlled(rot(Y, t!)),
  ucry: ([t0, t1]) => madd(kron(P0, rot(Y, t0!)), kron(P1, rot(Y, t1!))),
  swap: () => mscale(c(0.5), madd(madd(eye(4), kron(X, X)), madd(kron(Y, Y), kron(Z, Z)))),
  rxx: ([t]) => rot(kron(X, X), t!),
  ryy: ([t]) => rot(kron(Y, Y), t!),
  rzz: ([t]) => rot(kron(Z, Z), t!),
};

/** Closed-form derivative generators: ∂G/∂θ = −(i/2)·P·G for the Pauli rotations. */
const PAULI_OF: Record<string, M> = { rx: X, ry: Y, rz: Z, rxx: kron(X, X), ryy: kron(Y, Y), rzz: kron(Z, Z) };

/** The controlled rotations: the control projector of each parameter's RY branch. */
const CONTROLLED_RY_BRANCH: Record<string, M[]> = { cry: [P1], ucry: [P0, P1] };

/** Largest |engine − reference| over both planes. */
function maxDiff(m: { dim: number; re: Float64Array; im: Float64Array | null }, ref: M): number {
  expect(m.dim).toBe(ref.length);
  let d = 0;
  for (let i = 0; i < m.dim; i++) {
    for (let j = 0; j < m.dim; j++) {
      const k = i * m.dim + j;
      d = Math.max(d, Math.abs(m.re[k]! - ref[i]![j]![0]), Math.abs((m.im ? m.im[k]! : 0) - ref[i]![j]![1]));
    }
  }
  return d;
}

const ANGLES = [0, Math.PI / 2, Math.PI, -Math.PI / 3, 0.3, 1.234, 2 * Math.PI - 0.1, -2.7];
const paramSets = (n: number): number[][] => {
  if (n === 0) return [[]];
  if (n === 1) return ANGLES.map((a) => [a]);
  return ANGLES.map((a, i) => [a, ANGLES[(i + 3) % ANGLES.length]!, ANGLES[(i + 5) % ANGLES.length]!].slice(0, n));
};

describe('the gate table against textbook matrices', () => {
  it('every gate of the table has an independent reference', () => {
    expect(Object.keys(GATES).filter((g) => !(g in REFERENCE))).toEqual([]);
  });

  for (const [name, spec] of Object.entries(GATES)) {
    it(`${name}: the matrix equals the reference to 1e-15 at every test angle`, () => {
      const ref = REFERENCE[name];
      expect(ref, `no reference for gate '${name}'`).toBeDefined();
      for (const p of paramSets(spec.nParams)) {
        const m = gateMatrix({ name, qubits: spec.arity === 1 ? [0] : [0, 1], params: p });
        // entries are products of at most three cos/sin values: rounding ≤ a few ulp
        expect(maxDiff(m, ref!(p)), `${name}(${p.join(', ')})`).toBeLessThanOrEqual(1e-15);
        // the real flag promises an exactly real matrix
        if (spec.real) expect(m.im === null || m.im.every((v) => v === 0)).toBe(true);
      }
    });
  }

  it('known identities hold for the references themselves (SX² = X, S² = Z, T² = S, H² = I)', () => {
    const close = (a: M, b: M) => Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.hypot(v[0] - b[i]![j]![0], v[1] - b[i]![j]![1]))));
    expect(close(mmul(REFERENCE.sx!([]), REFERENCE.sx!([])), X)).toBeLessThan(1e-15);
    expect(close(mmul(REFERENCE.s!([]), REFERENCE.s!([])), Z)).toBeLessThan(1e-15);
    expect(close(mmul(REFERENCE.t!([]), REFERENCE.t!([])), REFERENCE.s!([]))).toBeLessThan(1e-15);
    expect(close(mmul(REFERENCE.h!([]), REFERENCE.h!([])), I2)).toBeLessThan(1e-15);
  });
});

describe('gate derivatives against closed forms and central differences of the reference', () => {
  const parameterised = Object.entries(GATES).filter(([, s]) => s.nParams > 0);
  for (const [name, spec] of parameterised) {
    it(`${name}: ∂G/∂p_j`, () => {
      for (const p of paramSets(spec.nParams)) {
        for (let j = 0; j < spec.nParams; j++) {
          const dG = gateDerivative({ name, qubits: spec.arity === 1 ? [0] : [0, 1], params: p }, j);
          const P = PAULI_OF[name];
          if (P) {
            // closed form −(i/2)·P·R_P(θ)
            expect(maxDiff(dG, mscale(c(0, -0.5), mmul(P, REFERENCE[name]!(p)))), `${name}(${p}) ∂${j}`).toBeLessThanOrEqual(1e-15);
          }
          const ctrl = CONTROLLED_RY_BRANCH[name];
          if (ctrl) {
            // closed form |b⟩⟨b| ⊗ (−(i/2)·Y·RY(θ_j)), b the control value parameter j acts on
            const closed = kron(ctrl[j]!, mscale(c(0, -0.5), mmul(Y, rot(Y, p[j]!))));
            expect(maxDiff(dG, closed), `${name}(${p}) ∂${j}`).toBeLessThanOrEqual(1e-15);
          }
          // central differences of the reference, h = 1e-5: error ≈ h²/6·|G'''| + ε/h ≤ 3e-11
          const h = 1e-5;
          const pp = p.slice(), pm = p.slice();
          pp[j]! += h; pm[j]! -= h;
          const fd = madd(REFERENCE[name]!(pp), mscale(c(-1), REFERENCE[name]!(pm))).map((r) => r.map((v) => [v[0] / (2 * h), v[1] / (2 * h)] as C));
          expect(maxDiff(dG, fd), `${name}(${p}) ∂${j} vs differences`).toBeLessThanOrEqual(1e-9);
        }
      }
    });
  }
});
