import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { applyMpoTruncated, modelHamiltonian, modelPauliSum, mpoExpectation, mpoVariance, randomRealMps, realifyMpo } from '../../../mps/dmrg/index.js';
import { eighReal } from '../../../mps/kernels/index.js';
import { Mps, makeRng, pauliSumMpo, runCircuit, type Mpo } from '../../../mps/index.js';
import { parsePauliSum } from '../../../mps/pauli-parse.js';
import { randomCircuit } from '../../helpers/random-circuit.js';
import { denseMatrix, exactGroundState, tfimFreeFermionEnergy } from './exact.js';

const TOL = { exact: 1e-10, dense: 1e-12 };

/** The dense 2^n×2^n matrix of an MPO (real part; complex MPOs are not used here). */
function mpoToDense(w: Mpo): Float64Array {
  // M[(row prefix), (col prefix), wR]
  let M = Float64Array.of(1);
  let dim = 1, D = 1;
  for (const W of w.sites) {
    if (W.im) throw new Error('mpoToDense: real MPOs only');
    const nd = dim * W.d;
    const out = new Float64Array(nd * nd * W.Dr);
    for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) for (let a = 0; a < D; a++) {
      const m = M[(r * dim + c) * D + a]!;
      if (m === 0) continue;
      for (let s = 0; s < W.d; s++) for (let t = 0; t < W.d; t++) for (let b = 0; b < W.Dr; b++) {
        out[((r * W.d + s) * nd + (c * W.d + t)) * W.Dr + b]! += m * W.re[((a * W.d + s) * W.d + t) * W.Dr + b]!;
      }
    }
    M = out; dim = nd; D = W.Dr;
  }
  return M;
}

function matvec(H: Float64Array, N: number, x: Float64Array): Float64Array {
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < N; j++) s += H[i * N + j]! * x[j]!; y[i] = s; }
  return y;
}

/**
 * Operator Schmidt rank of a dense 2^n operator across bond b (sites ≤ b | sites > b): the rank
 * of H reshaped to (left row, left col) × (right row, right col), read from the eigenvalues of
 * the smaller Gram matrix (ml-matrix, independent of the engine's kernels).
 */
function operatorSchmidtRank(H: Float64Array, n: number, b: number): number {
  const nl = b + 1, nr = n - nl, N = 1 << n;
  const L = 1 << nl, R = 1 << nr;
  const rows = L * L, cols = R * R;
  const M = new Float64Array(rows * cols);
  for (let row = 0; row < N; row++) for (let col = 0; col < N; col++) {
    M[((row >> nr) * L + (col >> nr)) * cols + (row & (R - 1)) * R + (col & (R - 1))] = H[row * N + col]!;
  }
  const small = Math.min(rows, cols);
  const G = Matrix.zeros(small, small);
  for (let i = 0; i < small; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    if (rows <= cols) for (let k = 0; k < cols; k++) s += M[i * cols + k]! * M[j * cols + k]!;
    else for (let k = 0; k < rows; k++) s += M[k * cols + i]! * M[k * cols + j]!;
    G.set(i, j, s); G.set(j, i, s);
  }
  const ev = new EigenvalueDecomposition(G, { assumeSymmetric: true }).realEigenvalues;
  const top = Math.max(...ev);
  return ev.filter((x) => x > 1e-9 * top).length;
}

const MODELS = [
  ['tfim', { J: 1, h: 0.7 }],
  ['cluster-ising', { J: 1, h1: 0.4, h2: 0.3 }],
  ['annni', { J: 1, kappa: 0.4, h: 0.8 }],
  ['xxz', { J: 1, delta: 0.2, Delta: 0.6 }],
] as const;

describe('independent references (exact.ts)', () => {
  it('Lanczos ED agrees with a dense eigh at n = 6', () => {
    const sum = modelPauliSum('xxz', 6, { delta: 0.2, Delta: 0.7 });
    const w = eighReal(64, denseMatrix(6, sum)).w;
    const ed = exactGroundState(6, sum);
    expect(Math.abs(ed.e0 - w[0]!)).toBeLessThan(TOL.exact);
    expect(Math.abs(ed.e1 - w[1]!)).toBeLessThan(1e-8);
  });
  it.each([0.3, 1, 1.7])('free-fermion TFIM energy equals dense ED at n = 8, h = %s', (h) => {
    const sum = modelPauliSum('tfim', 8, { J: 1, h });
    const ev = new EigenvalueDecomposition(new Matrix(Array.from({ length: 256 }, (_, i) => Array.from(denseMatrix(8, sum).subarray(i * 256, i * 256 + 256)))), { assumeSymmetric: true }).realEigenvalues;
    expect(Math.abs(tfimFreeFermionEnergy(8, 1, h) - Math.min(...ev))).toBeLessThan(TOL.exact);
  });
});

describe('Pauli-sum MPOs of the models', () => {
  it.each(MODELS)('%s: the (real-gauged) MPO equals the dense Pauli sum at n = 6', (name, p) => {
    const n = 6;
    const M = mpoToDense(modelHamiltonian(name, n, p));
    const ref = denseMatrix(n, modelPauliSum(name, n, p));
    expect(Math.max(...M.map((v, i) => Math.abs(v - ref[i]!)))).toBeLessThan(TOL.dense);
  });
  it('realifyMpo makes the XXZ MPO real (Y factors carry a phase i each) and leaves real MPOs alone', () => {
    const sum = modelPauliSum('xxz', 5, { delta: 0.3, Delta: 1 });
    const w = pauliSumMpo(5, sum);
    expect(w.sites.some((W) => W.im !== null)).toBe(true);
    const r = realifyMpo(w)!;
    expect(r.sites.every((W) => W.im === null)).toBe(true);
    const tfim = modelHamiltonian('tfim', 5, {});
    expect(realifyMpo(tfim)).toBe(tfim);
    expect(realifyMpo(pauliSumMpo(3, parsePauliSum('Y1 + Z0', 3)))).toBeNull(); // not a real operator
  });
  it.each([
    // [model, params, bulk bond of pauliSumMpo, operator Schmidt rank in the bulk]
    ['tfim', { h: 0.7 }, 3, 3],
    ['cluster-ising', { h1: 0.4, h2: 0.3 }, 5, 5],
    ['xxz', { delta: 0.2, Delta: 0.6 }, 5, 5],
    ['annni', { kappa: 0.4, h: 0.8 }, 5, 4],
  ] as const)('%s %o: bulk MPO bond %i, operator Schmidt rank %i', (name, p, bond, rank) => {
    const n = 7;
    const w = modelHamiltonian(name, n, p);
    const H = denseMatrix(n, modelPauliSum(name, n, p));
    const mid = [2, 3];
    for (const b of mid) {
      expect(w.sites[b]!.Dr).toBe(bond);
      expect(operatorSchmidtRank(H, n, b)).toBe(rank);
    }
    // pauliSumMpo never goes below the Schmidt rank, and its bond never exceeds the bulk value
    for (let b = 0; b < n - 1; b++) {
      expect(w.sites[b]!.Dr).toBeGreaterThanOrEqual(operatorSchmidtRank(H, n, b));
      expect(w.sites[b]!.Dr).toBeLessThanOrEqual(bond);
    }
  });
});

describe('MPO expectation and variance', () => {
  it.each(MODELS)('%s: ⟨H⟩ and ⟨H²⟩ − ⟨H⟩² from environments equal the dense values (random real MPS, n = 7)', (name, p) => {
    const n = 7, N = 1 << n;
    const psi = randomRealMps(n, 6, makeRng(`mpo-tools:${name}`));
    psi.scaleInPlace(1.7); // expectations are normalised
    const H = denseMatrix(n, modelPauliSum(name, n, p));
    const v = psi.toStateVector().re;
    const hv = matvec(H, N, v);
    let vv = 0, vhv = 0, hh = 0;
    for (let i = 0; i < N; i++) { vv += v[i]! * v[i]!; vhv += v[i]! * hv[i]!; hh += hv[i]! * hv[i]!; }
    const w = modelHamiltonian(name, n, p);
    expect(Math.abs(mpoExpectation(w, psi) - vhv / vv)).toBeLessThan(TOL.exact);
    const ev = mpoVariance(w, psi);
    expect(Math.abs(ev.energy - vhv / vv)).toBeLessThan(TOL.exact);
    expect(Math.abs(ev.h2 - hh / vv)).toBeLessThan(TOL.exact);
    expect(Math.abs(ev.variance - (hh / vv - (vhv / vv) ** 2))).toBeLessThan(1e-9);
  });
  it('complex states take the applyMpo fallback and agree with the real path on the same operator', () => {
    const n = 6;
    const psi = runCircuit(Mps.zeros(n), randomCircuit(n, 30, 'mpo-tools-complex')).state;
    expect(psi.isReal()).toBe(false);
    const sum = modelPauliSum('xxz', n, { delta: 0.1, Delta: 0.5 });
    const H = denseMatrix(n, sum);
    const { re, im } = psi.toStateVector();
    const hr = matvec(H, 1 << n, re), hi = matvec(H, 1 << n, im);
    let e = 0, h2 = 0, nn = 0;
    for (let i = 0; i < 1 << n; i++) { e += re[i]! * hr[i]! + im[i]! * hi[i]!; h2 += hr[i]! ** 2 + hi[i]! ** 2; nn += re[i]! ** 2 + im[i]! ** 2; }
    const w = pauliSumMpo(n, sum); // complex MPO, complex state
    expect(Math.abs(mpoExpectation(w, psi) - e / nn)).toBeLessThan(TOL.exact);
    expect(Math.abs(mpoVariance(w, psi).variance - (h2 / nn - (e / nn) ** 2))).toBeLessThan(1e-9);
  });
  it('the variance vanishes on an exact eigenstate (a computational basis state of a diagonal H)', () => {
    const w = pauliSumMpo(5, parsePauliSum('Z0*Z1 + 0.5*Z2 - Z3*Z4', 5));
    const ev = mpoVariance(w, Mps.fromBits('01101'));
    expect(ev.energy).toBeCloseTo(-1 - 0.5 + 1, 14);
    expect(ev.variance).toBeLessThan(1e-14);
  });
  it('rejects mismatched sizes', () => {
    expect(() => mpoExpectation(modelHamiltonian('tfim', 4, {}), Mps.zeros(5))).toThrow(/4 sites, state has 5/);
  });
});

describe('MPO × MPS with truncation', () => {
  it.each([
    ['exact', { maxBond: Infinity, cutoff: 0, minBond: 1 }],
    ['capped χ = 4', { maxBond: 4, cutoff: 0, minBond: 1 }],
    ['cutoff 1e-3', { maxBond: Infinity, cutoff: 1e-3, minBond: 1 }],
  ] as const)('H|ψ⟩ (%s): canonical, bond within the cap, discarded weight = norm lost', (_label, opts) => {
    const n = 8, N = 1 << n;
    const psi = randomRealMps(n, 8, makeRng('apply-trunc'));
    const sum = modelPauliSum('cluster-ising', n, { h1: 0.5, h2: 0.2 });
    const { state, report } = applyMpoTruncated(modelHamiltonian('cluster-ising', n, { h1: 0.5, h2: 0.2 }), psi, opts);
    const ref = matvec(denseMatrix(n, sum), N, psi.toStateVector().re);
    const got = state.toStateVector().re;
    let rr = 0, gg = 0, rg = 0;
    for (let i = 0; i < N; i++) { rr += ref[i]! ** 2; gg += got[i]! ** 2; rg += ref[i]! * got[i]!; }
    expect(state.canonicalFormError()).toBeLessThan(TOL.exact);
    expect(state.center).toBe(0);
    expect(state.bondReached()).toBeLessThanOrEqual(opts.maxBond);
    // truncation at the centre is an orthogonal projection: ⟨ref|got⟩ = ‖got‖², ‖got‖² = ‖ref‖²·F
    expect(Math.abs(rg - gg) / rr).toBeLessThan(TOL.exact);
    expect(Math.abs(gg / rr - report.fidelityEstimate)).toBeLessThan(TOL.exact);
    if (opts.cutoff === 0 && opts.maxBond === Infinity) {
      expect(report.truncations).toBe(0);
      expect(Math.abs(gg - rr) / rr).toBeLessThan(TOL.exact);
    } else {
      expect(report.truncations).toBeGreaterThan(0);
    }
  });
});
