/**
 * Hermitian eigendecomposition on flat row-major `Float64Array`s (complex: split planes).
 *
 * Method: Householder reduction to tridiagonal form (real symmetric: real tridiagonal;
 * Hermitian: complex tridiagonal, then a diagonal unitary scaling makes it real), implicit
 * QL with Wilkinson-type shifts on the real tridiagonal (EISPACK `tql2`, as in JAMA), and
 * back-transformation of the eigenvectors. O(n³). The QL rotations act on eigenvector rows
 * stored contiguously. References: Wilkinson & Reinsch, Handbook for Automatic
 * Computation II (1971); JAMA `EigenvalueDecomposition`.
 */

import { cdot2, cdotOut, dot2 } from './lanes.js';
import { orthonormalizeRows } from './orth.js';
import { tql2, tqlrat, tridiagEigvecs } from './tridiagonal.js';
import { keptCount, type RankDecision } from './rank-rule.js';
import { WASM_MIN_N, wasmBackTransform, wasmBackTransformC, wasmTqlrat, wasmTridiagHerm, wasmTridiagSym } from './wasm-ops.js';

export { tridiagEigvecs } from './tridiagonal.js';

/**
 * Householder tridiagonalisation in place. `a` (n×n, row-major, Hermitian; `ai === null`
 * for real symmetric) is destroyed: on return row k holds the reflector v_k in columns
 * k+1..n−1 (H_k = I − beta[k]·v_k·v_k†). Returns diagonal d, and sub-diagonal e
 * (e[k] couples k and k+1, complex for Hermitian input, e[n−1] = 0).
 */
function tridiagonalize(n: number, a: Float64Array, ai: Float64Array | null): { d: Float64Array; er: Float64Array; ei: Float64Array; beta: Float64Array } {
  if (ai === null) return tridiagonalizeSym(n, a);
  if (n >= WASM_MIN_N) {
    const w = wasmTridiagHerm(n, a, ai);
    if (w !== null) return w;
  }
  const d = new Float64Array(n);
  const er = new Float64Array(n);
  const ei = new Float64Array(n);
  const beta = new Float64Array(n);
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    d[k] = a[rk + k];
    // x = column k below the diagonal = conj(row k right of the diagonal)
    const xr0 = a[rk + k + 1];
    const xi0 = ai === null ? 0 : -ai[rk + k + 1];
    let xn2 = 0;
    for (let j = k + 2; j < n; j++) xn2 += a[rk + j] * a[rk + j];
    if (ai !== null) for (let j = k + 2; j < n; j++) xn2 += ai[rk + j] * ai[rk + j];
    if (xn2 === 0) {
      er[k] = xr0;
      ei[k] = xi0;
      beta[k] = 0;
      continue;
    }
    const abs0 = Math.sqrt(xr0 * xr0 + xi0 * xi0);
    const xnorm = Math.sqrt(abs0 * abs0 + xn2);
    // phase of x0 (1 if x0 = 0); γ = −phase·‖x‖, v = x − γ e1, v0 = phase·(|x0| + ‖x‖)
    const phr = abs0 === 0 ? 1 : xr0 / abs0;
    const phi = abs0 === 0 ? 0 : xi0 / abs0;
    er[k] = -phr * xnorm;
    ei[k] = -phi * xnorm;
    // store v in row k (columns k+1..n−1), conjugated back to column-k values
    a[rk + k + 1] = phr * (abs0 + xnorm);
    if (ai !== null) {
      ai[rk + k + 1] = phi * (abs0 + xnorm);
      for (let j = k + 2; j < n; j++) ai[rk + j] = -ai[rk + j];
    }
    const vn2 = (abs0 + xnorm) * (abs0 + xnorm) + xn2;
    const b = 2 / vn2;
    beta[k] = b;
    const s0 = k + 1;
    // p = b·S·v on the trailing block S = a[s0.., s0..]
    let mu = 0;
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      // (sr, si) = row i of S times v, two-lane order (as the WebAssembly twin)
      let sr = 0;
      let si = 0;
      if (ai === null) {
        sr = dot2(a, ri + s0, a, rk + s0, n - s0, 0);
      } else {
        let sr1 = 0, si1 = 0;
        let j = s0;
        for (; j + 1 < n; j += 2) {
          const ar = a[ri + j], aim = ai[ri + j], vr = a[rk + j], vi = ai[rk + j];
          sr += ar * vr - aim * vi;
          si += ar * vi + aim * vr;
          const ar1 = a[ri + j + 1], aim1 = ai[ri + j + 1], vr1 = a[rk + j + 1], vi1 = ai[rk + j + 1];
          sr1 += ar1 * vr1 - aim1 * vi1;
          si1 += ar1 * vi1 + aim1 * vr1;
        }
        if (j < n) {
          const ar = a[ri + j], aim = ai[ri + j], vr = a[rk + j], vi = ai[rk + j];
          sr += ar * vr - aim * vi;
          si += ar * vi + aim * vr;
        }
        sr += sr1;
        si += si1;
      }
      pr[i] = b * sr;
      pi[i] = b * si;
      // μ = v†p (real)
      const vr = a[rk + i];
      const vi = ai === null ? 0 : ai[rk + i];
      mu += vr * pr[i] + vi * pi[i];
    }
    const f = 0.5 * b * mu;
    for (let i = s0; i < n; i++) {
      pr[i] -= f * a[rk + i];
      if (ai !== null) pi[i] -= f * ai[rk + i];
    }
    // S ← S − v·w† − w·v†  (w = p)
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vir = a[rk + i];
      const wir = pr[i];
      if (ai === null) {
        for (let j = s0; j < n; j++) a[ri + j] -= vir * pr[j] + wir * a[rk + j];
      } else {
        const vii = ai[rk + i];
        const wii = pi[i];
        for (let j = s0; j < n; j++) {
          const wjr = pr[j], wji = pi[j], vjr = a[rk + j], vji = ai[rk + j];
          // v_i·conj(w_j) + w_i·conj(v_j)
          a[ri + j] -= vir * wjr + vii * wji + wir * vjr + wii * vji;
          ai[ri + j] -= vii * wjr - vir * wji + wii * vjr - wir * vji;
        }
      }
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    er[n - 2] = a[(n - 1) * n + n - 2];
    ei[n - 2] = ai === null ? 0 : ai[(n - 1) * n + n - 2];
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1];
  return { d, er, ei, beta };
}

/**
 * Real symmetric twin of {@link tridiagonalize} that reads and updates only the upper
 * triangle (row-major, j ≥ i), about (4/3)n³ flops instead of 2n³: the product S·v and the
 * rank-2 update S −= v·wᵀ + w·vᵀ both run along contiguous row segments. Same outputs and
 * the same storage of the reflectors (row k, columns k+1..n−1); the strict lower triangle
 * of `a` is left stale.
 */
function tridiagonalizeSym(n: number, a: Float64Array): { d: Float64Array; er: Float64Array; ei: Float64Array; beta: Float64Array } {
  if (n >= WASM_MIN_N) {
    const w = wasmTridiagSym(n, a);
    if (w !== null) return w;
  }
  const d = new Float64Array(n);
  const er = new Float64Array(n);
  const ei = new Float64Array(n);
  const beta = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    d[k] = a[rk + k];
    const x0 = a[rk + k + 1];
    let xn2 = 0;
    for (let j = k + 2; j < n; j++) xn2 += a[rk + j] * a[rk + j];
    if (xn2 === 0) {
      er[k] = x0;
      beta[k] = 0;
      continue;
    }
    const abs0 = Math.abs(x0);
    const xnorm = Math.sqrt(x0 * x0 + xn2);
    const ph = x0 < 0 ? -1 : 1;
    er[k] = -ph * xnorm;
    const v0 = ph * (abs0 + xnorm);
    a[rk + k + 1] = v0;
    const b = 2 / (v0 * v0 + xn2);
    beta[k] = b;
    const s0 = k + 1;
    // p = S·v from the upper triangle
    p.fill(0, s0, n);
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vi = a[rk + i];
      // two-lane dot (mps/kernels/lanes.ts), the order of the WebAssembly twin
      let acc0 = a[ri + i] * vi, acc1 = 0;
      let j = i + 1;
      for (; j + 1 < n; j += 2) {
        const t0 = a[ri + j], t1 = a[ri + j + 1];
        acc0 += t0 * a[rk + j];
        acc1 += t1 * a[rk + j + 1];
        p[j] += t0 * vi;
        p[j + 1] += t1 * vi;
      }
      if (j < n) {
        const t = a[ri + j];
        acc0 += t * a[rk + j];
        p[j] += t * vi;
      }
      p[i] += acc0 + acc1;
    }
    let mu = 0;
    for (let i = s0; i < n; i++) {
      p[i] *= b;
      mu += a[rk + i] * p[i];
    }
    const f = 0.5 * b * mu;
    for (let i = s0; i < n; i++) p[i] -= f * a[rk + i];
    // S −= v·wᵀ + w·vᵀ on the upper triangle
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vi = a[rk + i];
      const wi = p[i];
      for (let j = i; j < n; j++) a[ri + j] -= vi * p[j] + wi * a[rk + j];
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    er[n - 2] = a[(n - 2) * n + n - 1];
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1];
  return { d, er, ei, beta };
}

/** Ascending order of d, as an index permutation. */
function ascending(d: Float64Array): number[] {
  const idx = Array.from({ length: d.length }, (_, i) => i);
  idx.sort((x, y) => d[x] - d[y]);
  return idx;
}

/**
 * Applies Q = H_0·H_1⋯H_{n−3} (reflectors stored by {@link tridiagonalize} in a) to the
 * n×n matrix X (row-major, in place): X ← Q·X.
 */
function backTransform(n: number, a: Float64Array, ai: Float64Array | null, beta: Float64Array, Xr: Float64Array, Xi: Float64Array | null): void {
  const yr = new Float64Array(n);
  const yi = new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    const b = beta[k];
    if (b === 0) continue;
    const rk = k * n;
    yr.fill(0);
    yi.fill(0);
    // y = v†X
    for (let i = k + 1; i < n; i++) {
      const vr = a[rk + i];
      const vi = ai === null ? 0 : -ai[rk + i]; // conj(v_i)
      const ri = i * n;
      if (Xi === null) {
        for (let j = 0; j < n; j++) yr[j] += vr * Xr[ri + j];
      } else {
        for (let j = 0; j < n; j++) {
          const xr = Xr[ri + j], xi = Xi[ri + j];
          yr[j] += vr * xr - vi * xi;
          yi[j] += vr * xi + vi * xr;
        }
      }
    }
    // X −= b·v·y
    for (let i = k + 1; i < n; i++) {
      const vr = b * a[rk + i];
      const ri = i * n;
      if (Xi === null) {
        for (let j = 0; j < n; j++) Xr[ri + j] -= vr * yr[j];
      } else {
        const vi = ai === null ? 0 : b * ai[rk + i];
        for (let j = 0; j < n; j++) {
          Xr[ri + j] -= vr * yr[j] - vi * yi[j];
          Xi[ri + j] -= vr * yi[j] + vi * yr[j];
        }
      }
    }
  }
}

/**
 * Real symmetric eigendecomposition: A (n×n, row-major, symmetric) = V·diag(w)·Vᵀ.
 * `w` is ascending; the eigenvectors are the COLUMNS of V (n×n, row-major), orthonormal
 * also within degenerate eigenspaces. Only the full matrix is read (it should be exactly
 * symmetric); A is not modified.
 */
export function eighReal(n: number, A: Float64Array): { w: Float64Array; V: Float64Array } {
  const a = A.slice(0, n * n);
  const { d, er, beta } = tridiagonalize(n, a, null);
  const Zt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Zt[i * n + i] = 1;
  if (n > 0) tql2(n, d, er, Zt);
  const order = ascending(d);
  const w = new Float64Array(n);
  const V = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    w[j] = d[src];
    for (let i = 0; i < n; i++) V[i * n + j] = Zt[src * n + i];
  }
  backTransform(n, a, null, beta, V, null);
  return { w, V };
}

/**
 * Hermitian eigendecomposition on split planes: A (n×n, row-major, Hermitian) =
 * V·diag(w)·V†. `w` (real) is ascending; eigenvectors are the COLUMNS of V = Vre + i·Vim
 * (n×n, row-major). A is not modified.
 */
export function eighComplex(n: number, Are: Float64Array, Aim: Float64Array): { w: Float64Array; Vre: Float64Array; Vim: Float64Array } {
  const a = Are.slice(0, n * n);
  const ai = Aim.slice(0, n * n);
  const { d, er, ei, beta } = tridiagonalize(n, a, ai);
  // T = D·T'·D† with T' real: δ_0 = 1, δ_{k+1} = δ_k·e_k/|e_k|; T' sub-diagonal |e_k|
  const dr = new Float64Array(n);
  const di = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) dr[0] = 1;
  for (let k = 0; k < n - 1; k++) {
    const ab = Math.sqrt(er[k] * er[k] + ei[k] * ei[k]);
    e[k] = ab;
    const ur = ab === 0 ? 1 : er[k] / ab;
    const ui = ab === 0 ? 0 : ei[k] / ab;
    dr[k + 1] = dr[k] * ur - di[k] * ui;
    di[k + 1] = dr[k] * ui + di[k] * ur;
  }
  const Zt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Zt[i * n + i] = 1;
  if (n > 0) tql2(n, d, e, Zt);
  const order = ascending(d);
  const w = new Float64Array(n);
  const Vre = new Float64Array(n * n);
  const Vim = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    w[j] = d[src];
    for (let i = 0; i < n; i++) {
      const z = Zt[src * n + i];
      Vre[i * n + j] = dr[i] * z;
      Vim[i * n + j] = di[i] * z;
    }
  }
  backTransform(n, a, ai, beta, Vre, Vim);
  return { w, Vre, Vim };
}

/**
 * Applies Q = H_0·H_1⋯H_{n−3} (reflectors stored by {@link tridiagonalize}) to each of the
 * k vectors stored as the ROWS of X (k×n, row-major, complex when `Xi` is non-null), in
 * place: x ← Q·x. Cost 2n²k real flops per plane.
 */
function backTransformRows(n: number, a: Float64Array, ai: Float64Array | null, beta: Float64Array, k: number, Xr: Float64Array, Xi: Float64Array | null): void {
  let r = 0;
  if (Xi !== null && ai !== null && n >= WASM_MIN_N && wasmBackTransformC(n, a, ai, beta, k, Xr, Xi)) return;
  if (Xi === null) {
    if (n >= WASM_MIN_N && wasmBackTransform(n, a, beta, k, Xr)) return;
    // four vectors at a time: each reflector element is loaded once per four vectors; the
    // dot products in the two-lane order of mps/kernels/lanes.ts (as the WebAssembly twin)
    for (; r + 4 <= k; r += 4) {
      const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      for (let q = n - 3; q >= 0; q--) {
        const bq = beta[q];
        if (bq === 0) continue;
        const rq = q * n;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        let i = q + 1;
        for (; i + 1 < n; i += 2) {
          const v = a[rq + i], u = a[rq + i + 1];
          s0 += v * Xr[o0 + i]; t0 += u * Xr[o0 + i + 1];
          s1 += v * Xr[o1 + i]; t1 += u * Xr[o1 + i + 1];
          s2 += v * Xr[o2 + i]; t2 += u * Xr[o2 + i + 1];
          s3 += v * Xr[o3 + i]; t3 += u * Xr[o3 + i + 1];
        }
        if (i < n) {
          const v = a[rq + i];
          s0 += v * Xr[o0 + i]; s1 += v * Xr[o1 + i]; s2 += v * Xr[o2 + i]; s3 += v * Xr[o3 + i];
        }
        s0 = (s0 + t0) * bq; s1 = (s1 + t1) * bq; s2 = (s2 + t2) * bq; s3 = (s3 + t3) * bq;
        for (let i = q + 1; i < n; i++) {
          const v = a[rq + i];
          Xr[o0 + i] -= s0 * v;
          Xr[o1 + i] -= s1 * v;
          Xr[o2 + i] -= s2 * v;
          Xr[o3 + i] -= s3 * v;
        }
      }
    }
  }
  for (; r < k; r++) {
    const o = r * n;
    for (let q = n - 3; q >= 0; q--) {
      const bq = beta[q];
      if (bq === 0) continue;
      const rq = q * n;
      if (Xi === null) {
        const s = dot2(a, rq + q + 1, Xr, o + q + 1, n - q - 1, 0) * bq;
        for (let i = q + 1; i < n; i++) Xr[o + i] -= s * a[rq + i];
      } else if (ai === null) {
        let sr = 0, si = 0;
        for (let i = q + 1; i < n; i++) {
          const v = a[rq + i];
          sr += v * Xr[o + i];
          si += v * Xi[o + i];
        }
        sr *= bq;
        si *= bq;
        for (let i = q + 1; i < n; i++) {
          const v = a[rq + i];
          Xr[o + i] -= sr * v;
          Xi[o + i] -= si * v;
        }
      } else {
        // s = b·v†x, x −= s·v
        cdot2(a, ai, rq + q + 1, Xr, Xi, o + q + 1, n - q - 1, 0, 0);
        const sr = cdotOut[0]! * bq, si = cdotOut[1]! * bq;
        for (let i = q + 1; i < n; i++) {
          const vr = a[rq + i], vi = ai[rq + i];
          Xr[o + i] -= sr * vr - si * vi;
          Xi[o + i] -= sr * vi + si * vr;
        }
      }
    }
  }
}

/**
 * Chooses how many leading eigenpairs to compute from all n eigenvalues, given in
 * DESCENDING order; returns a count in [0, n] (clamped).
 */
export type EigCountChooser = (wDesc: Float64Array) => number;

/**
 * Cluster tolerance (relative to ‖T‖₁) of the inverse iteration in {@link eighTopCore}. LAPACK's
 * 1e-3 re-orthogonalises almost every vector of a Gram matrix with decaying singular values
 * (their eigenvalues s² sit within 1e-3·s_max² of each other), at O(k²n) per iteration. The
 * eigenvectors of eigenvalues a gap δ apart are accurate to O(ε‖T‖/δ) with or without that
 * step, which is also the accuracy the Householder reduction allows, and the Gram–Schmidt
 * pass after inverse iteration restores orthogonality to working precision; only
 * near-degenerate clusters (δ < 1e-8·‖T‖₁), where the iteration would converge to the same
 * vector, need it. Measured: brickwork n = 128, L = 16, χ = 32 0.527 → 0.510 s; residuals
 * and orthogonality unchanged in test/mps/kernels/eigh-top.test.ts.
 */
const TOP_ORTOL = 1e-8;

/**
 * Shared two-phase driver; `a`/`ai` are working copies (destroyed). `decide` gets all n
 * eigenvalues in DESCENDING order; its decision (`kept`, clamped to [0, n]) is returned with
 * the eigenpairs.
 */
export function eighTopCore<D extends RankDecision>(n: number, a: Float64Array, ai: Float64Array | null, decide: (wDesc: Float64Array) => D): { w: Float64Array; Vr: Float64Array; Vi: Float64Array | null; k: number; decision: D } {
  const { d, er, ei, beta } = tridiagonalize(n, a, ai);
  // real tridiagonal T' = D†·T·D (complex: δ_0 = 1, δ_{k+1} = δ_k·e_k/|e_k|)
  let e = er;
  let dr: Float64Array | null = null;
  let di: Float64Array | null = null;
  if (ai !== null) {
    e = new Float64Array(n);
    dr = new Float64Array(n);
    di = new Float64Array(n);
    if (n > 0) dr[0] = 1;
    for (let q = 0; q < n - 1; q++) {
      const ab = Math.sqrt(er[q] * er[q] + ei[q] * ei[q]);
      e[q] = ab;
      const ur = ab === 0 ? 1 : er[q] / ab;
      const ui = ab === 0 ? 0 : ei[q] / ab;
      dr[q + 1] = dr[q] * ur - di[q] * ui;
      di[q + 1] = dr[q] * ui + di[q] * ur;
    }
  }
  e[n - 1] = 0;
  const wAsc = d.slice();
  if (n > 0) {
    // rational QL (WebAssembly twin when available); the implicit QL if it did not converge
    const ok = (n >= WASM_MIN_N ? wasmTqlrat(n, wAsc, e) : null) ?? tqlrat(n, wAsc, e, new Float64Array(n));
    if (!ok) {
      wAsc.set(d);
      tql2(n, wAsc, e.slice(), null);
    }
  }
  wAsc.sort();
  const wDesc = wAsc.slice().reverse();
  const decision = decide(wDesc);
  const k = keptCount(decision, n);
  // tridiagonal eigenvectors of the k largest, ascending, then reversed into descending rows
  const Zasc = new Float64Array(k * n);
  const Vr = new Float64Array(k * n);
  const wOut = wDesc.slice(0, k);
  if (tridiagEigvecs(n, d, e, wAsc.subarray(n - k), k, Zasc, TOP_ORTOL)) {
    for (let c = 0; c < k; c++) Vr.set(Zasc.subarray((k - 1 - c) * n, (k - c) * n), c * n);
  } else {
    // fallback: full implicit QL with vectors
    const dd = d.slice();
    const Zt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) Zt[i * n + i] = 1;
    tql2(n, dd, e.slice(), Zt);
    const order = ascending(dd);
    for (let c = 0; c < k; c++) {
      const src = order[n - 1 - c];
      wOut[c] = dd[src];
      Vr.set(Zt.subarray(src * n, src * n + n), c * n);
    }
  }
  // Vectors of distinct clusters are orthogonal to O(ε‖T‖/gap) ≤ O(1e3·ε), but vectors of a
  // numerically degenerate cluster (|λ| ≲ ε‖T‖) may not be: one Gram–Schmidt pass over all.
  orthonormalizeRows(k, n, Vr, null);
  let Vi: Float64Array | null = null;
  if (dr !== null && di !== null) {
    Vi = new Float64Array(k * n);
    for (let c = 0; c < k; c++) {
      const o = c * n;
      for (let i = 0; i < n; i++) {
        const z = Vr[o + i];
        Vr[o + i] = dr[i] * z;
        Vi[o + i] = di[i] * z;
      }
    }
  }
  backTransformRows(n, a, ai, beta, k, Vr, Vi);
  return { w: wOut, Vr, Vi, k, decision };
}

/**
 * Leading eigenpairs of a real symmetric A (n×n, row-major, not modified), in two phases:
 * all eigenvalues (Householder reduction + rational QL, `tqlrat`), then `count(wDesc)` decides how many,
 * k, and only those k eigenvectors are computed (inverse iteration on the tridiagonal, then
 * back-transformed). Returns `w` (k, descending) and the eigenvectors as the ROWS of V
 * (k×n, row-major), orthonormal. Cost ≈ (4/3)n³ + O(n²) + 2n²k flops instead of ≈ 9n³.
 */
export function eighTopReal(n: number, A: Float64Array, count: EigCountChooser): { w: Float64Array; V: Float64Array; k: number } {
  const t = eighTopCore(n, A.slice(0, n * n), null, (wDesc) => ({ kept: count(wDesc) }));
  return { w: t.w, V: t.Vr, k: t.k };
}

/**
 * Complex Hermitian twin of {@link eighTopReal} on split planes: eigenvectors are the rows
 * of Vre + i·Vim (k×n). A is not modified.
 */
export function eighTopComplex(n: number, Are: Float64Array, Aim: Float64Array, count: EigCountChooser): { w: Float64Array; Vre: Float64Array; Vim: Float64Array; k: number } {
  const t = eighTopCore(n, Are.slice(0, n * n), Aim.slice(0, n * n), (wDesc) => ({ kept: count(wDesc) }));
  return { w: t.w, Vre: t.Vr, Vim: t.Vi as Float64Array, k: t.k };
}
