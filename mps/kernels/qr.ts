/**
 * Householder thin QR and LQ factorisations on flat row-major `Float64Array`s
 * (complex: split planes, see `mps/complex.ts`).
 *
 * The factorisation works on a column-contiguous copy (`W[j*q + i]` = column j, row i of
 * the q×p matrix being factored), so every Householder reflection is a contiguous dot
 * product and axpy. Reflectors follow LAPACK `dlarfg`/`zlarfg`: H = I − τ·v·v†, v₀ = 1,
 * H†·x = β·e₁ with β real. Q is formed by backward accumulation (`dorg2r`).
 * Reference: Golub & Van Loan, Matrix Computations, §5.2.
 */

import { cdot2, cdotOut, dot2 } from './lanes.js';
import { WASM_MIN_QR, wasmHouseholderQR, wasmHouseholderQRc } from './wasm-ops.js';

/**
 * Factors the q×p matrix whose columns are the rows of `W` (W is p×q row-major, so column j
 * is `W[j*q .. j*q+q)`), in place. On return R (r×p, r = min(q, p)) sits in the upper part:
 * R[i, j] = W[j*q + i] for j ≥ i; `Qt` (r×q) holds the columns of Q as rows.
 */
function householderReal(q: number, p: number, W: Float64Array): { Qt: Float64Array; r: number } {
  if (q * p >= WASM_MIN_QR) {
    const w = wasmHouseholderQR(q, p, W);
    if (w !== null) return w;
  }
  const r = Math.min(q, p);
  const tau = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    const cj = j * q;
    // Scale the column by its largest entry first (as LAPACK's dlarfg does): the reflector is
    // scale-invariant, and tiny entries (~1e-160) would otherwise square to subnormals or zero.
    let amax = 0;
    for (let i = j; i < q; i++) { const a = Math.abs(W[cj + i]); if (a > amax) amax = a; }
    let xn2 = 0;
    if (amax > 0) for (let i = j + 1; i < q; i++) { const x = W[cj + i] / amax; xn2 += x * x; }
    if (xn2 === 0) {
      tau[j] = 0;
      continue;
    }
    const alpha = W[cj + j] / amax;
    const beta = -(alpha >= 0 ? 1 : -1) * Math.sqrt(alpha * alpha + xn2);
    tau[j] = (beta - alpha) / beta;
    const scal = 1 / (alpha - beta);
    for (let i = j + 1; i < q; i++) W[cj + i] = (W[cj + i] / amax) * scal; // never form 1/amax (it may overflow)
    W[cj + j] = beta * amax;
    const t = tau[j];
    // apply H to the remaining columns: y ← y − τ·v·(vᵀy)
    for (let c = j + 1; c < p; c++) {
      const cc = c * q;
      const w = dot2(W, cj + j + 1, W, cc + j + 1, q - j - 1, W[cc + j]) * t;
      W[cc + j] -= w;
      for (let i = j + 1; i < q; i++) W[cc + i] -= w * W[cj + i];
    }
  }
  // Q = H_0 … H_{r−1}·[I; 0], backward accumulation on columns (rows of Qt)
  const Qt = new Float64Array(r * q);
  for (let c = 0; c < r; c++) Qt[c * q + c] = 1;
  for (let j = r - 1; j >= 0; j--) {
    const t = tau[j];
    if (t === 0) continue;
    const cj = j * q;
    for (let c = j; c < r; c++) {
      const cc = c * q;
      const w = dot2(W, cj + j + 1, Qt, cc + j + 1, q - j - 1, Qt[cc + j]) * t;
      Qt[cc + j] -= w;
      for (let i = j + 1; i < q; i++) Qt[cc + i] -= w * W[cj + i];
    }
  }
  return { Qt, r };
}

/** Complex twin of {@link householderReal}: same layout, split planes. */
function householderComplex(q: number, p: number, Wre: Float64Array, Wim: Float64Array): { Qtre: Float64Array; Qtim: Float64Array; r: number } {
  if (q * p >= WASM_MIN_QR) {
    const w = wasmHouseholderQRc(q, p, Wre, Wim);
    if (w !== null) return w;
  }
  const r = Math.min(q, p);
  const tre = new Float64Array(r);
  const tim = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    const cj = j * q;
    // scale by the largest entry first (see householderReal)
    let amax = 0;
    for (let i = j; i < q; i++) amax = Math.max(amax, Math.abs(Wre[cj + i]), Math.abs(Wim[cj + i]));
    if (amax === 0) continue; // τ = 0, H = I
    const ar = Wre[cj + j] / amax;
    const ai = Wim[cj + j] / amax;
    let xn2 = 0;
    for (let i = j + 1; i < q; i++) { const xr = Wre[cj + i] / amax, xi = Wim[cj + i] / amax; xn2 += xr * xr + xi * xi; }
    if (xn2 === 0 && ai === 0) continue; // τ = 0, H = I
    const beta = -(ar >= 0 ? 1 : -1) * Math.sqrt(ar * ar + ai * ai + xn2);
    tre[j] = (beta - ar) / beta;
    tim[j] = -ai / beta;
    // v[1:] = x[1:] / (α − β), all in the scaled units
    const dr = ar - beta;
    const di = ai;
    const den = dr * dr + di * di;
    const sr = dr / den;
    const si = -di / den; // 1/(α−β) = conj(α−β)/|α−β|²
    for (let i = j + 1; i < q; i++) {
      const xr = Wre[cj + i] / amax; // never form 1/amax (it may overflow)
      const xi = Wim[cj + i] / amax;
      Wre[cj + i] = xr * sr - xi * si;
      Wim[cj + i] = xr * si + xi * sr;
    }
    Wre[cj + j] = beta * amax;
    Wim[cj + j] = 0;
    // apply H† = I − conj(τ)·v·v† to the remaining columns
    const ctr = tre[j];
    const cti = -tim[j];
    for (let c = j + 1; c < p; c++) {
      const cc = c * q;
      cdot2(Wre, Wim, cj + j + 1, Wre, Wim, cc + j + 1, q - j - 1, Wre[cc + j], Wim[cc + j]);
      const wr = cdotOut[0]!, wi = cdotOut[1]!;
      const fr = ctr * wr - cti * wi;
      const fi = ctr * wi + cti * wr;
      Wre[cc + j] -= fr;
      Wim[cc + j] -= fi;
      for (let i = j + 1; i < q; i++) {
        const vr = Wre[cj + i], vi = Wim[cj + i];
        Wre[cc + i] -= fr * vr - fi * vi;
        Wim[cc + i] -= fr * vi + fi * vr;
      }
    }
  }
  const Qtre = new Float64Array(r * q);
  const Qtim = new Float64Array(r * q);
  for (let c = 0; c < r; c++) Qtre[c * q + c] = 1;
  for (let j = r - 1; j >= 0; j--) {
    const t_r = tre[j];
    const t_i = tim[j];
    if (t_r === 0 && t_i === 0) continue;
    const cj = j * q;
    for (let c = j; c < r; c++) {
      const cc = c * q;
      cdot2(Wre, Wim, cj + j + 1, Qtre, Qtim, cc + j + 1, q - j - 1, Qtre[cc + j], Qtim[cc + j]);
      const wr = cdotOut[0]!, wi = cdotOut[1]!;
      const fr = t_r * wr - t_i * wi;
      const fi = t_r * wi + t_i * wr;
      Qtre[cc + j] -= fr;
      Qtim[cc + j] -= fi;
      for (let i = j + 1; i < q; i++) {
        const vr = Wre[cj + i], vi = Wim[cj + i];
        Qtre[cc + i] -= fr * vr - fi * vi;
        Qtim[cc + i] -= fr * vi + fi * vr;
      }
    }
  }
  return { Qtre, Qtim, r };
}

/**
 * Thin QR: A (m×n, row-major) = Q (m×r) · R (r×n), r = min(m, n). Q has orthonormal
 * columns; R is upper-triangular (row-major, R[i, j] = 0 for j < i), its diagonal real and
 * possibly negative. A is not modified.
 */
export function qrReal(m: number, n: number, A: Float64Array): { Q: Float64Array; R: Float64Array; r: number } {
  const W = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W[j * m + i] = A[i * n + j];
  const { Qt, r } = householderReal(m, n, W);
  const Q = new Float64Array(m * r);
  for (let c = 0; c < r; c++) for (let i = 0; i < m; i++) Q[i * r + c] = Qt[c * m + i];
  const R = new Float64Array(r * n);
  for (let j = 0; j < n; j++) {
    const top = Math.min(j, r - 1);
    for (let i = 0; i <= top; i++) R[i * n + j] = W[j * m + i];
  }
  return { Q, R, r };
}

/** Complex thin QR on split planes; shapes and layout as in {@link qrReal}. */
export function qrComplex(m: number, n: number, Are: Float64Array, Aim: Float64Array): { Qre: Float64Array; Qim: Float64Array; Rre: Float64Array; Rim: Float64Array; r: number } {
  const Wre = new Float64Array(m * n);
  const Wim = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      Wre[j * m + i] = Are[i * n + j];
      Wim[j * m + i] = Aim[i * n + j];
    }
  }
  const { Qtre, Qtim, r } = householderComplex(m, n, Wre, Wim);
  const Qre = new Float64Array(m * r);
  const Qim = new Float64Array(m * r);
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < m; i++) {
      Qre[i * r + c] = Qtre[c * m + i];
      Qim[i * r + c] = Qtim[c * m + i];
    }
  }
  const Rre = new Float64Array(r * n);
  const Rim = new Float64Array(r * n);
  for (let j = 0; j < n; j++) {
    const top = Math.min(j, r - 1);
    for (let i = 0; i <= top; i++) {
      Rre[i * n + j] = Wre[j * m + i];
      Rim[i * n + j] = Wim[j * m + i];
    }
  }
  return { Qre, Qim, Rre, Rim, r };
}

/**
 * Thin LQ: A (m×n, row-major) = L (m×r) · Q (r×n), r = min(m, n). Q has orthonormal rows;
 * L is lower-triangular (row-major). Computed as the QR of Aᵀ, whose columns are the
 * (contiguous) rows of A. A is not modified.
 */
export function lqReal(m: number, n: number, A: Float64Array): { L: Float64Array; Q: Float64Array; r: number } {
  const W = A.slice(0, m * n); // columns of Aᵀ = rows of A
  const { Qt, r } = householderReal(n, m, W);
  const L = new Float64Array(m * r);
  for (let i = 0; i < m; i++) {
    const top = Math.min(i, r - 1);
    for (let c = 0; c <= top; c++) L[i * r + c] = W[i * n + c];
  }
  return { L, Q: Qt, r };
}

/** Complex thin LQ on split planes (QR of A†); shapes and layout as in {@link lqReal}. */
export function lqComplex(m: number, n: number, Are: Float64Array, Aim: Float64Array): { Lre: Float64Array; Lim: Float64Array; Qre: Float64Array; Qim: Float64Array; r: number } {
  const Wre = Are.slice(0, m * n);
  const Wim = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) Wim[i] = -Aim[i]; // columns of A† = conjugated rows of A
  const { Qtre, Qtim, r } = householderComplex(n, m, Wre, Wim);
  const Lre = new Float64Array(m * r);
  const Lim = new Float64Array(m * r);
  for (let i = 0; i < m; i++) {
    const top = Math.min(i, r - 1);
    for (let c = 0; c <= top; c++) {
      Lre[i * r + c] = Wre[i * n + c];
      Lim[i * r + c] = -Wim[i * n + c];
    }
  }
  for (let i = 0; i < Qtim.length; i++) Qtim[i] = -Qtim[i];
  return { Lre, Lim, Qre: Qtre, Qim: Qtim, r };
}
