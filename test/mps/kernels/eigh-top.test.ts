import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../mps/rng.js';
import { eighComplex, eighReal, eighTopComplex, eighTopReal, tridiagEigvecs } from '../../../mps/kernels/eigh.js';
import { tql2, tqlrat } from '../../../mps/kernels/tridiagonal.js';
import { setKernelBackend, wasmAvailable } from '../../../mps/kernels/registry.js';
import { wasmTqlrat } from '../../../mps/kernels/wasm-ops.js';
import { fro, hermitianPart, isoError, mul, randn, withSpectrum } from './helpers.js';

const TOL = { residual: 1e-12, iso: 1e-12, eig: 1e-12 };


/** Gram matrix X·X† of a random n×q Gaussian X with columns scaled geometrically down to `decay`. */
function gram(seed: string, n: number, q: number, decay: number, complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const rng = makeRng(seed);
  const Xr = randn(rng, n * q);
  const Xi = complex ? randn(rng, n * q) : null;
  for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) {
    const f = decay ** (j / Math.max(q - 1, 1));
    Xr[i * q + j] *= f;
    if (Xi) Xi[i * q + j] *= f;
  }
  const G = mul('N', 'C', n, n, q, Xr, Xi, Xr, Xi);
  return hermitianPart(n, G.re, G.im, complex);
}

/** Runs eighTop* with a fixed k; checks values against the full solver, residuals and orthonormality. */
function checkTop(n: number, A: { re: Float64Array; im: Float64Array | null }, k: number): void {
  let seen: Float64Array | null = null;
  const choose = (w: Float64Array) => { seen = w.slice(); return k; };
  let w: Float64Array, Vr: Float64Array, Vi: Float64Array | null, kk: number, wFull: Float64Array;
  if (A.im) {
    ({ w, Vre: Vr, Vim: Vi, k: kk } = eighTopComplex(n, A.re, A.im, choose));
    wFull = eighComplex(n, A.re, A.im).w;
  } else {
    ({ w, V: Vr, k: kk } = eighTopReal(n, A.re, choose));
    Vi = null;
    wFull = eighReal(n, A.re).w;
  }
  const scale = Math.max(fro(A.re, A.im), 1e-300);
  expect(kk).toBe(k);
  expect(w.length).toBe(k);
  // the chooser saw every eigenvalue, descending, equal to the full solver's
  const all = seen as unknown as Float64Array;
  expect(all.length).toBe(n);
  for (let j = 0; j < n; j++) {
    expect(Math.abs(all[j] - wFull[n - 1 - j]) / scale).toBeLessThan(TOL.eig);
    if (j > 0) expect(all[j]).toBeLessThanOrEqual(all[j - 1]);
  }
  for (let c = 0; c < k; c++) expect(w[c]).toBe(all[c]);
  if (k === 0) return;
  // residual: rows v_c satisfy A·v_c = w_c·v_c, i.e. V·Aᵀ = diag(w)·V (A Hermitian: Aᵀ = conj(A))
  const VA = mul('N', 'T', k, n, n, Vr, Vi, A.re, A.im);
  let res = 0;
  for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) {
    res = Math.max(res, Math.abs(VA.re[c * n + i] - w[c] * Vr[c * n + i]), Math.abs(VA.im[c * n + i] - w[c] * (Vi ? Vi[c * n + i] : 0)));
  }
  expect(res / scale).toBeLessThan(TOL.residual);
  expect(isoError(k, n, Vr, Vi, true)).toBeLessThan(TOL.iso);
}

describe('eighTopReal / eighTopComplex (two-phase partial eigendecomposition)', () => {
  const sizes = [1, 2, 3, 7, 33, 128] as const;
  const cases = sizes.flatMap((n) => [[n, false], [n, true]] as const);
  it.each(cases)('random n = %i (complex: %s), k ∈ {0, 1, n/2, n}', (n, complex) => {
    const rng = makeRng(`top-${n}-${complex}`);
    const X = randn(rng, n * n), Y = randn(rng, n * n);
    const re = new Float64Array(n * n), im = complex ? new Float64Array(n * n) : null;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      re[i * n + j] = X[i * n + j] + X[j * n + i];
      if (im) im[i * n + j] = Y[i * n + j] - Y[j * n + i];
    }
    for (const k of new Set([0, 1, n >> 1, n])) checkTop(n, { re, im }, k);
  });

  it.each([false, true])('graded Gram matrices down to ε (complex: %s)', (complex) => {
    for (const [n, decay] of [[64, 1e-4], [96, 1e-8], [128, 1e-12], [200, 1e-16]] as const) {
      const G = gram(`grade-${n}-${complex}`, n, n, decay, complex);
      checkTop(n, G, n >> 1);
      checkTop(n, G, n);
    }
  });

  it.each([false, true])('rank-deficient Gram matrix: huge cluster of zero eigenvalues (complex: %s)', (complex) => {
    checkTop(80, gram(`rank-${complex}`, 80, 5, 0.1, complex), 40);
    checkTop(80, gram(`rank-${complex}`, 80, 5, 0.1, complex), 80);
  });

  it.each([false, true])('degenerate spectra (complex: %s)', (complex) => {
    const spec = [3, 3, 3, -1, -1, 0, 0, 0, 0, 2, 2, 1e-9, 1e-9, 5];
    checkTop(spec.length, withSpectrum(`deg-${complex}`, spec, complex), 7);
    checkTop(spec.length, withSpectrum(`deg-${complex}`, spec, complex), spec.length);
    const blocks = Array.from({ length: 48 }, (_, i) => Math.floor(i / 6));
    checkTop(48, withSpectrum(`blocks-${complex}`, blocks, complex), 30);
  });

  it.each([false, true])('zero, identity and diagonal matrices (already tridiagonal and split) (complex: %s)', (complex) => {
    const n = 9;
    const z = { re: new Float64Array(n * n), im: complex ? new Float64Array(n * n) : null };
    checkTop(n, z, 4);
    const id = { re: new Float64Array(n * n), im: complex ? new Float64Array(n * n) : null };
    for (let i = 0; i < n; i++) id.re[i * n + i] = 1;
    checkTop(n, id, n);
    const dg = { re: new Float64Array(n * n), im: complex ? new Float64Array(n * n) : null };
    for (let i = 0; i < n; i++) dg.re[i * n + i] = (i * 7) % n;
    checkTop(n, dg, 5);
  });

  it.each([false, true])('eigenvalue pairs with gaps from 1e-14 to 1e-4, across the cluster tolerance 1e-8 (complex: %s)', (complex) => {
    // pairs 1 + j/10 and 1 + j/10 + 10^−g: inverse iteration re-orthogonalises only gaps below
    // 1e-8·‖T‖; the Gram–Schmidt pass afterwards must keep the others orthonormal
    const spec: number[] = [];
    for (let g = 4; g <= 14; g++) spec.push(1 + g / 10, 1 + g / 10 + 10 ** -g);
    for (let i = 0; i < 10; i++) spec.push(1e-3 * i);
    checkTop(spec.length, withSpectrum(`gaps-${complex}`, spec, complex), 22);
    checkTop(spec.length, withSpectrum(`gaps-${complex}`, spec, complex), spec.length);
  });

  it('clamps the chooser result to [0, n]', () => {
    const A = withSpectrum('clamp', [1, 2, 3, 4], false);
    expect(eighTopReal(4, A.re, () => 99).k).toBe(4);
    expect(eighTopReal(4, A.re, () => -3).k).toBe(0);
  });
});

describe('tridiagEigvecs (inverse iteration)', () => {
  /** Eigenvalues of a tridiagonal by the full dense solver. */
  function denseEig(n: number, d: Float64Array, e: Float64Array): Float64Array {
    const T = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      T[i * n + i] = d[i];
      if (i < n - 1) { T[i * n + i + 1] = e[i]; T[(i + 1) * n + i] = e[i]; }
    }
    return eighReal(n, T).w;
  }
  function checkTri(n: number, d: Float64Array, e: Float64Array, from: number): void {
    const w = denseEig(n, d, e).subarray(from);
    const k = w.length;
    const Z = new Float64Array(k * n);
    expect(tridiagEigvecs(n, d, e, w, k, Z)).toBe(true);
    let tn = 0;
    for (let i = 0; i < n; i++) tn = Math.max(tn, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
    let res = 0;
    for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) {
      const tz = d[i] * Z[c * n + i] + (i > 0 ? e[i - 1] * Z[c * n + i - 1] : 0) + (i < n - 1 ? e[i] * Z[c * n + i + 1] : 0);
      res = Math.max(res, Math.abs(tz - w[c] * Z[c * n + i]));
    }
    expect(res / tn).toBeLessThan(1e-13);
    expect(isoError(k, n, Z, null, true)).toBeLessThan(TOL.iso);
  }

  it('Wilkinson W21+ (pairs of eigenvalues equal to 1e-14)', () => {
    const n = 21;
    const d = Float64Array.from({ length: n }, (_, i) => Math.abs(10 - i));
    const e = new Float64Array(n).fill(1);
    checkTri(n, d, e, 0);
    checkTri(n, d, e, 11);
  });

  it('glued Wilkinson matrices (tight clusters) and a split tridiagonal', () => {
    const blocks = 6, m = 21, n = blocks * m;
    const d = new Float64Array(n), e = new Float64Array(n);
    for (let b = 0; b < blocks; b++) for (let i = 0; i < m; i++) {
      d[b * m + i] = Math.abs(10 - i);
      e[b * m + i] = i < m - 1 ? 1 : 1e-10;
    }
    checkTri(n, d, e, 0);
    checkTri(n, d, e, n - 40);
    const e0 = e.slice();
    for (let b = 0; b < blocks; b++) e0[b * m + m - 1] = 0;
    checkTri(n, d, e0, n - 40);
  });

  it('1-2-1 matrix (well separated) and a constant diagonal (e = 0: fully degenerate)', () => {
    const n = 100;
    checkTri(n, new Float64Array(n).fill(2), new Float64Array(n).fill(-1), 50);
    checkTri(n, new Float64Array(n).fill(0.5), new Float64Array(n), 0);
  });
});

describe('tqlrat (rational QL eigenvalues)', () => {
  /** tqlrat on both backends (bit-identical) against tql2's eigenvalues, relative to ‖T‖₁. */
  function check(n: number, d: Float64Array, e: Float64Array, tol = 1e-14): void {
    const ref = d.slice();
    tql2(n, ref, e.slice(), null);
    ref.sort();
    const run = (backend: 'ts' | 'wasm') => {
      const prev = setKernelBackend(backend);
      try {
        const w = d.slice();
        const e0 = e.slice();
        const ok = (backend === 'wasm' ? wasmTqlrat(n, w, e) : null) ?? tqlrat(n, w, e, new Float64Array(n));
        expect(e).toEqual(e0); // e is not modified
        return { ok, w: w.sort() };
      } finally {
        setKernelBackend(prev);
      }
    };
    const ts = run('ts');
    expect(ts.ok).toBe(true);
    if (wasmAvailable()) expect(run('wasm')).toEqual(ts);
    let tn = 1e-300;
    for (let i = 0; i < n; i++) tn = Math.max(tn, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(ts.w[i]! - ref[i]!) / tn);
    expect(err, `n = ${n}, d[0] = ${d[0]}, e[0] = ${e[0]}`).toBeLessThan(tol);
  }

  it('random, graded, Wilkinson, split and constant tridiagonals of sizes 1 to 200', () => {
    const rng = makeRng('tqlrat');
    for (const n of [1, 2, 3, 17, 64, 200]) {
      check(n, randn(rng, n), randn(rng, n));
      // graded: entries from 1 down to 1e-15
      const g = (i: number) => 10 ** (-15 * i / Math.max(n - 1, 1));
      check(n, Float64Array.from({ length: n }, (_, i) => g(i)), Float64Array.from({ length: n }, (_, i) => 0.5 * g(i)));
      check(n, new Float64Array(n).fill(0.5), new Float64Array(n));
      check(n, new Float64Array(n).fill(2), new Float64Array(n).fill(-1));
    }
    const w = 21;
    check(w, Float64Array.from({ length: w }, (_, i) => Math.abs(10 - i)), new Float64Array(w).fill(1));
    const e = new Float64Array(40).fill(1);
    e[9] = 0; e[20] = 1e-300; e[30] = 1e-17;
    check(40, Float64Array.from({ length: 40 }, (_, i) => Math.cos(i)), e);
    // tiny and huge scales (the squared off-diagonal stays in range)
    check(30, randn(rng, 30).map((x) => 1e-150 * x), randn(rng, 30).map((x) => 1e-150 * x));
    check(30, randn(rng, 30).map((x) => 1e150 * x), randn(rng, 30).map((x) => 1e150 * x));
  });
});
