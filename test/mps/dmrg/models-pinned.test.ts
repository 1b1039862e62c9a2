/**
 * Every model Hamiltonian pinned independently of the code that builds it: the dense matrix is
 * assembled here from the model's textbook formula by Kronecker products of explicit Pauli
 * matrices, and compared with (a) the engine's MPO contracted to a dense matrix and (b) the dense
 * matrix of the engine's Pauli sum. A sign, a coefficient, a missing boundary term or a wrong
 * bond alternation in `mps/dmrg/models.ts` fails here, so DMRG-vs-exact tests cannot share a
 * model bug with their reference. Physical anchor points (spectra known in closed form) check the
 * formulas themselves.
 */
import { describe, expect, it } from 'vitest';
import { modelHamiltonian, modelPauliSum } from '../../../mps/dmrg/models.js';
import type { Mpo } from '../../../mps/mpo.js';
import { denseMatrix } from './exact.js';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Dense complex matrices as split planes, N×N row-major. */
interface D { N: number; re: Float64Array; im: Float64Array }
const zeros = (N: number): D => ({ N, re: new Float64Array(N * N), im: new Float64Array(N * N) });
const PAULI: Record<'I' | 'X' | 'Y' | 'Z', D> = {
  I: { N: 2, re: Float64Array.of(1, 0, 0, 1), im: Float64Array.of(0, 0, 0, 0) },
  X: { N: 2, re: Float64Array.of(0, 1, 1, 0), im: Float64Array.of(0, 0, 0, 0) },
  Y: { N: 2, re: Float64Array.of(0, 0, 0, 0), im: Float64Array.of(0, -1, 1, 0) },
  Z: { N: 2, re: Float64Array.of(1, 0, 0, -1), im: Float64Array.of(0, 0, 0, 0) },
};
function kron(a: D, b: D): D {
  const N = a.N * b.N, out = zeros(N);
  for (let i = 0; i < a.N; i++) for (let j = 0; j < a.N; j++) for (let k = 0; k < b.N; k++) for (let l = 0; l < b.N; l++) {
    const ar = a.re[i * a.N + j]!, ai = a.im[i * a.N + j]!, br = b.re[k * b.N + l]!, bi = b.im[k * b.N + l]!;
    const idx = (i * b.N + k) * N + (j * b.N + l);
    out.re[idx] = ar * br - ai * bi; out.im[idx] = ar * bi + ai * br;
  }
  return out;
}
/** The operator P_{q0} P_{q1} … on n qubits (qubit 0 = most significant), times c. */
function op(n: number, c: number, ...f: ['X' | 'Y' | 'Z', number][]): D {
  let m: D = { N: 1, re: Float64Array.of(1), im: Float64Array.of(0) };
  for (let q = 0; q < n; q++) m = kron(m, PAULI[f.find(([, s]) => s === q)?.[0] ?? 'I']);
  for (let i = 0; i < m.re.length; i++) { m.re[i]! *= c; m.im[i]! *= c; }
  return m;
}
function sum(n: number, terms: D[]): D {
  const out = zeros(1 << n);
  for (const t of terms) for (let i = 0; i < out.re.length; i++) { out.re[i]! += t.re[i]!; out.im[i]! += t.im[i]!; }
  return out;
}

/** The textbook formulas (as documented in mps/dmrg/models.ts), written out term by term. */
const REFERENCE: Record<string, (n: number, p: Record<string, number>) => D> = {
  // H = −J Σ_{i=0}^{n−2} Z_i Z_{i+1} − h Σ_i X_i
  tfim: (n, { J, h }) => sum(n, [
    ...Array.from({ length: n - 1 }, (_, i) => op(n, -J!, ['Z', i], ['Z', i + 1])),
    ...Array.from({ length: n }, (_, i) => op(n, -h!, ['X', i])),
  ]),
  // H = −J Σ_{i=1}^{n−2} Z_{i−1} X_i Z_{i+1} − h1 Σ_i X_i − h2 Σ_{i=0}^{n−2} X_i X_{i+1}
  'cluster-ising': (n, { J, h1, h2 }) => sum(n, [
    ...Array.from({ length: n - 2 }, (_, k) => op(n, -J!, ['Z', k], ['X', k + 1], ['Z', k + 2])),
    ...Array.from({ length: n }, (_, i) => op(n, -h1!, ['X', i])),
    ...Array.from({ length: n - 1 }, (_, i) => op(n, -h2!, ['X', i], ['X', i + 1])),
  ]),
  // H = −J Σ_i [X_i X_{i+1} − κ X_i X_{i+2} + h Z_i] (each sum over the terms that fit)
  annni: (n, { J, kappa, h }) => sum(n, [
    ...Array.from({ length: n - 1 }, (_, i) => op(n, -J!, ['X', i], ['X', i + 1])),
    ...Array.from({ length: n - 2 }, (_, i) => op(n, J! * kappa!, ['X', i], ['X', i + 2])),
    ...Array.from({ length: n }, (_, i) => op(n, -J! * h!, ['Z', i])),
  ]),
  // H = J Σ_{i=0}^{n−2} (1 + δ(−1)^i)(X_i X_{i+1} + Y_i Y_{i+1} + Δ Z_i Z_{i+1})
  xxz: (n, { J, delta, Delta }) => sum(n, Array.from({ length: n - 1 }, (_, i) => {
    const c = J! * (1 + delta! * (-1) ** i);
    return [op(n, c, ['X', i], ['X', i + 1]), op(n, c, ['Y', i], ['Y', i + 1]), op(n, c * Delta!, ['Z', i], ['Z', i + 1])];
  }).flat()),
};

/** The dense matrix of an MPO (legs [wL, p, p*, wR], boundary bonds of dimension 1). */
function mpoDense(w: Mpo): D {
  // M[a][row][col] after contracting sites 0..k, with the open right bond a
  let N = 1, Dr = 1;
  let re = Float64Array.of(1), im = Float64Array.of(0); // shape (N, N, Dr)
  for (const s of w.sites) {
    const d = s.d, N2 = N * d, nre = new Float64Array(N2 * N2 * s.Dr), nim = new Float64Array(N2 * N2 * s.Dr);
    for (let r = 0; r < N; r++) for (let c = 0; c < N; c++) for (let a = 0; a < Dr; a++) {
      const xr = re[(r * N + c) * Dr + a]!, xi = im[(r * N + c) * Dr + a]!;
      if (xr === 0 && xi === 0) continue;
      for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) for (let b = 0; b < s.Dr; b++) {
        const k = ((a * d + p) * d + q) * s.Dr + b;
        const wr = s.re[k]!, wi = s.im ? s.im[k]! : 0;
        const idx = ((r * d + p) * N2 + (c * d + q)) * s.Dr + b;
        nre[idx]! += xr * wr - xi * wi; nim[idx]! += xr * wi + xi * wr;
      }
    }
    N = N2; Dr = s.Dr; re = nre; im = nim;
  }
  expect(Dr).toBe(1);
  return { N, re, im };
}

function maxDiff(a: D, b: { re: Float64Array; im?: Float64Array }): number {
  let d = 0;
  for (let i = 0; i < a.re.length; i++) d = Math.max(d, Math.abs(a.re[i]! - b.re[i]!), Math.abs(a.im[i]! - (b.im ? b.im[i]! : 0)));
  return d;
}

const POINTS: [string, Record<string, number>][] = [
  ['tfim', { J: 0.7, h: 1.3 }],
  ['tfim', { J: -1.1, h: 0.4 }],
  ['cluster-ising', { J: 1.1, h1: 0.4, h2: -0.3 }],
  ['annni', { J: 0.9, kappa: 0.35, h: 0.6 }],
  ['xxz', { J: 1.2, delta: 0.25, Delta: 1.7 }],
  ['xxz', { J: 0.8, delta: -0.6, Delta: -0.4 }],
];

describe('model Hamiltonians pinned to their textbook formulas', () => {
  for (const n of [4, 5]) {
    for (const [name, p] of POINTS) {
      it(`${name} ${JSON.stringify(p)}, n = ${n}: MPO and Pauli sum equal the formula to 1e-14`, () => {
        const ref = REFERENCE[name]!(n, p);
        expect(maxDiff(ref, mpoDense(modelHamiltonian(name, n, p)))).toBeLessThan(1e-14);
        expect(maxDiff(ref, { re: denseMatrix(n, modelPauliSum(name, n, p)) })).toBeLessThan(1e-14);
      });
    }
  }
});

describe('closed-form anchor points of the formulas', () => {
  const spectrum = (m: D): number[] => {
    for (const v of m.im) expect(v).toBe(0);
    const M = new Matrix(Array.from({ length: m.N }, (_, i) => Array.from(m.re.subarray(i * m.N, (i + 1) * m.N))));
    return new EigenvalueDecomposition(M, { assumeSymmetric: true }).realEigenvalues.sort((a, b) => a - b);
  };
  it('two-site Heisenberg (XXZ, Δ = 1, δ = 0): singlet −3J and a triplet at +J', () => {
    const e = spectrum(mpoDense(modelHamiltonian('xxz', 2, { J: 0.5, delta: 0, Delta: 1 })));
    expect(e.map((x) => +x.toFixed(12))).toEqual([-1.5, 0.5, 0.5, 0.5]);
  });
  it('cluster model at h1 = h2 = 0: commuting stabilisers, E0 = −J(n − 2) with a 4-fold ground space', () => {
    const e = spectrum(mpoDense(modelHamiltonian('cluster-ising', 6, { J: 1.25, h1: 0, h2: 0 })));
    for (let k = 0; k < 4; k++) expect(e[k]!).toBeCloseTo(-1.25 * 4, 12);
    expect(e[4]!).toBeCloseTo(-1.25 * 2, 12);
  });
  it('ANNNI at κ = 0 is the TFIM with X ↔ Z exchanged: same spectrum as TFIM(J, J·h)', () => {
    const a = spectrum(mpoDense(modelHamiltonian('annni', 5, { J: 0.8, kappa: 0, h: 0.7 })));
    const t = spectrum(mpoDense(modelHamiltonian('tfim', 5, { J: 0.8, h: 0.56 })));
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - t[i]!)).toBeLessThan(1e-12);
  });
  it('TFIM at h = 0: classical Ising, E0 = −|J|(n − 1), doubly degenerate', () => {
    const e = spectrum(mpoDense(modelHamiltonian('tfim', 5, { J: -0.9, h: 0 })));
    expect(e[0]!).toBeCloseTo(-0.9 * 4, 12);
    expect(e[1]!).toBeCloseTo(-0.9 * 4, 12);
    expect(e[2]!).toBeGreaterThan(-0.9 * 4 + 1);
  });
});
