/**
 * Thin singular value decompositions on flat row-major `Float64Array`s (complex: split
 * planes, see `mps/complex.ts`).
 *
 * - {@link svdReal} / {@link svdComplex}: one-sided Jacobi (Hestenes) SVD, preconditioned
 *   by a Householder QR of the row-sorted matrix (Drmač & Veselić, SIAM J. Matrix Anal.
 *   Appl. 29 (2008)). The Jacobi rotations orthogonalise the rows of R (i.e. the columns
 *   of Rᵀ, which converges faster than working on R), and rows are contiguous in memory.
 *   Accurate to ~1e-15 relative reconstruction and with high relative accuracy for small
 *   singular values of graded matrices.
 * - {@link svdGramReal} / {@link svdGramComplex}: the fast, truncating SVD via the
 *   eigendecomposition of the smaller Gram matrix (accurate only for s ≳ 1e-7·s_max).
 */
import { gemmComplex, gemmReal } from './matmul.js';
import { eighTopCore } from './eigh.js';
import { completeRows, orthonormalizeRows } from './orth.js';
import { qrComplex, qrReal } from './qr.js';
import { WASM_MIN_N } from './wasm-ops.js';
import { wasmGramSplitReal } from './wasm-fused.js';
import { gramSingularValues, type RankDecision, type RankRule } from './rank-rule.js';
import { pow2Exponent, scaledPow2, sumSquares, timesPow2 } from './scale.js';

/** Real thin SVD: A (m×n) = U (m×r) · diag(S) · Vh (r×n), all row-major. */
export interface SvdReal {
  /** Left singular vectors as columns, m×r row-major. */
  U: Float64Array;
  /** Singular values, length r, descending, ≥ 0. */
  S: Float64Array;
  /** Right singular vectors as rows, r×n row-major. */
  Vh: Float64Array;
  /** Number of singular triplets returned. */
  r: number;
  /** Jacobi sweeps used (0 for the Gram method). */
  sweeps: number;
  /** Whether the iteration met its tolerance. */
  converged: boolean;
}

/** Complex thin SVD on split planes: A = U · diag(S) · Vh; layout as in {@link SvdReal}. */
export interface SvdComplex {
  /** Real plane of U (m×r). */
  Ure: Float64Array;
  /** Imaginary plane of U (m×r). */
  Uim: Float64Array;
  /** Singular values, length r, descending, ≥ 0. */
  S: Float64Array;
  /** Real plane of Vh (r×n). */
  Vhre: Float64Array;
  /** Imaginary plane of Vh (r×n). */
  Vhim: Float64Array;
  /** Number of singular triplets returned. */
  r: number;
  /** Jacobi sweeps used (0 for the Gram method). */
  sweeps: number;
  /** Whether the iteration met its tolerance. */
  converged: boolean;
}

/**
 * Settings of the Jacobi SVD. `maxSweeps` bounds the iteration (60 by default; random matrices
 * need 9–11); past it the result is returned with `converged: false` and the caller falls back
 * to another algorithm (mps/split.ts). Tests lower it to force that fallback.
 */
export const JACOBI_SETTINGS = { maxSweeps: 60 };

/** Per-call settings of {@link svdReal} / {@link svdComplex}. */
export interface JacobiOptions {
  /** Sweep limit of this call (default {@link JACOBI_SETTINGS}.maxSweeps). */
  maxSweeps?: number;
}
/** Rows with ‖w‖² ≤ ZERO_ROW·max‖w‖² are treated as exact zeros (s = 0, completed basis). */
const ZERO_ROW = 1e-280;

/** |ζ| above this would overflow ζ²: the rotation uses t = 1/(2ζ) (as LAPACK's xGESVJ does for large θ). */
const BIG_ZETA = 1e150;

/**
 * One-sided Jacobi on the rows of W (p×q, row-major, complex when `Wi` is non-null):
 * applies unitary 2×2 rotations G from the left to every pair of rows whose cosine
 * |⟨w_j, w_k⟩|/(‖w_j‖‖w_k‖) exceeds tol = √q·ε, skipping rows that are negligible against the
 * largest (see `floor`). The same rotations are accumulated into G (p×p, start from I), so
 * that W_final = G·W_initial. Converged (LAPACK xGESVJ's test) when a sweep rotated nothing
 * or its largest cosine was at most √p·tol: a cosine that rounding keeps just above tol does
 * not make an accurate result unconverged. Scale W first so that its squared row norms
 * neither overflow nor underflow (svdTall's callers do).
 */
function jacobiRows(p: number, q: number, Wr: Float64Array, Wi: Float64Array | null, Gr: Float64Array, Gi: Float64Array | null, maxSweeps: number): { sweeps: number; converged: boolean } {
  const tol = Math.sqrt(Math.max(q, 1)) * Number.EPSILON;
  const stopTol = Math.sqrt(Math.max(p, 1)) * tol;
  // Rows whose squared norm is below `floor` are numerically zero (their squares would be
  // subnormal, which makes the rotation angle and phase inaccurate); they are never rotated
  // and are later replaced by an orthonormal completion.
  let maxNorm2 = 0;
  for (let j = 0; j < p; j++) {
    let t = 0;
    for (let i = 0; i < q; i++) t += Wr[j * q + i]! * Wr[j * q + i]! + (Wi ? Wi[j * q + i]! * Wi[j * q + i]! : 0);
    if (t > maxNorm2) maxNorm2 = t;
  }
  const floor = Math.max(ZERO_ROW * maxNorm2, Number.MIN_VALUE * 2 ** 60);
  let sweep = 0;
  while (sweep < maxSweeps) {
    sweep++;
    let rotated = false;
    let maxCos = 0;
    for (let j = 0; j < p - 1; j++) {
      const oj = j * q;
      const gj = j * p;
      for (let k = j + 1; k < p; k++) {
        const ok = k * q;
        const gk = k * p;
        // α = ‖w_j‖², β = ‖w_k‖², γ = <w_j, w_k>
        let al = 0, be = 0, gr = 0, gi = 0;
        if (Wi === null) {
          for (let i = 0; i < q; i++) {
            const x = Wr[oj + i], y = Wr[ok + i];
            al += x * x;
            be += y * y;
            gr += x * y;
          }
        } else {
          for (let i = 0; i < q; i++) {
            const xr = Wr[oj + i], xi = Wi[oj + i], yr = Wr[ok + i], yi = Wi[ok + i];
            al += xr * xr + xi * xi;
            be += yr * yr + yi * yi;
            gr += xr * yr + xi * yi;
            gi += xr * yi - xi * yr;
          }
        }
        const g = Wi === null ? Math.abs(gr) : Math.hypot(gr, gi);
        if (al <= floor || be <= floor) continue;
        const nn = Math.sqrt(al) * Math.sqrt(be);
        if (g > maxCos * nn) maxCos = g / nn;
        if (g <= tol * nn) continue;
        rotated = true;
        // real rotation on (w_j, e^{-iφ}·w_k), γ = |γ|·e^{iφ}
        const zeta = (be - al) / (2 * g);
        const t = Math.abs(zeta) > BIG_ZETA ? 0.5 / zeta : (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        if (Wi === null || Gi === null) {
          const sign = gr >= 0 ? 1 : -1; // e^{-iφ} = sign(γ)
          const sy = s * sign;
          const cy = c * sign;
          for (let i = 0; i < q; i++) {
            const x = Wr[oj + i], y = Wr[ok + i];
            Wr[oj + i] = c * x - sy * y;
            Wr[ok + i] = s * x + cy * y;
          }
          for (let i = 0; i < p; i++) {
            const x = Gr[gj + i], y = Gr[gk + i];
            Gr[gj + i] = c * x - sy * y;
            Gr[gk + i] = s * x + cy * y;
          }
        } else {
          const er = gr / g;
          const ei = -gi / g; // e^{-iφ}
          for (let i = 0; i < q; i++) {
            const xr = Wr[oj + i], xi = Wi[oj + i];
            const yr0 = Wr[ok + i], yi0 = Wi[ok + i];
            const yr = er * yr0 - ei * yi0;
            const yi = er * yi0 + ei * yr0;
            Wr[oj + i] = c * xr - s * yr;
            Wi[oj + i] = c * xi - s * yi;
            Wr[ok + i] = s * xr + c * yr;
            Wi[ok + i] = s * xi + c * yi;
          }
          for (let i = 0; i < p; i++) {
            const xr = Gr[gj + i], xi = Gi[gj + i];
            const yr0 = Gr[gk + i], yi0 = Gi[gk + i];
            const yr = er * yr0 - ei * yi0;
            const yi = er * yi0 + ei * yr0;
            Gr[gj + i] = c * xr - s * yr;
            Gi[gj + i] = c * xi - s * yi;
            Gr[gk + i] = s * xr + c * yr;
            Gi[gk + i] = s * xi + c * yi;
          }
        }
      }
    }
    if (!rotated || maxCos <= stopTol) return { sweeps: sweep, converged: true };
  }
  return { sweeps: sweep, converged: false };
}

/** Row permutation sorting the rows of an m×n matrix by descending 2-norm. */
function rowOrder(m: number, n: number, Ar: Float64Array, Ai: Float64Array | null): Int32Array {
  const nrm = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Ar[i * n + j] * Ar[i * n + j];
    if (Ai !== null) for (let j = 0; j < n; j++) s += Ai[i * n + j] * Ai[i * n + j];
    nrm[i] = s;
  }
  const idx = Array.from({ length: m }, (_, i) => i);
  idx.sort((a, b) => nrm[b] - nrm[a] || a - b);
  return Int32Array.from(idx);
}

function permuteRows(m: number, n: number, X: Float64Array, perm: Int32Array): Float64Array {
  const Y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) Y.set(X.subarray(perm[i] * n, perm[i] * n + n), i * n);
  return Y;
}

/** Transpose of an m×n row-major matrix, times `sign` (pass −1 for the imaginary plane of a conjugate transpose). */
function transpose(m: number, n: number, X: Float64Array, sign = 1): Float64Array {
  const Y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Y[j * m + i] = sign * X[i * n + j];
  return Y;
}

/**
 * Core for m ≥ n (r = n): returns singular values in row order of the Jacobi result plus
 * U (m×n), Vh (n×n), then sorted. Complex when Ai is non-null.
 */
function svdTall(m: number, n: number, Ar: Float64Array, Ai: Float64Array | null, maxSweeps: number): { Ur: Float64Array; Ui: Float64Array | null; S: Float64Array; Vr: Float64Array; Vi: Float64Array | null; sweeps: number; converged: boolean } {
  // P·A = Q·R with rows sorted by norm (row-wise backward stability of Householder QR)
  const perm = rowOrder(m, n, Ar, Ai);
  const PAr = permuteRows(m, n, Ar, perm);
  let Qr: Float64Array, Qi: Float64Array | null, Wr: Float64Array, Wi: Float64Array | null;
  if (Ai === null) {
    const qr = qrReal(m, n, PAr);
    Qr = qr.Q; Qi = null; Wr = qr.R; Wi = null;
  } else {
    const qr = qrComplex(m, n, PAr, permuteRows(m, n, Ai, perm));
    Qr = qr.Qre; Qi = qr.Qim; Wr = qr.Rre; Wi = qr.Rim;
  }
  // Jacobi on the rows of R: W = G·R, so R = G†·W = Σ_j conj(G_j)ᵀ·W_j
  const Gr = new Float64Array(n * n);
  const Gi = Ai === null ? null : new Float64Array(n * n);
  for (let i = 0; i < n; i++) Gr[i * n + i] = 1;
  const { sweeps, converged } = jacobiRows(n, n, Wr, Wi, Gr, Gi, maxSweeps);
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += Wr[j * n + i] * Wr[j * n + i];
    if (Wi !== null) for (let i = 0; i < n; i++) t += Wi[j * n + i] * Wi[j * n + i];
    s[j] = Math.sqrt(t);
  }
  let smax = 0;
  for (let j = 0; j < n; j++) if (s[j]! > smax) smax = s[j]!;
  for (let j = 0; j < n; j++) if (s[j]! * s[j]! <= ZERO_ROW * smax * smax) s[j] = 0;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => s[b] - s[a] || a - b);
  // sorted G rows and W rows
  const S = new Float64Array(n);
  const Gsr = new Float64Array(n * n);
  const Gsi = Gi === null ? null : new Float64Array(n * n);
  const Vr = new Float64Array(n * n);
  const Vi = Wi === null ? null : new Float64Array(n * n);
  let nz = 0;
  for (let c = 0; c < n; c++) {
    const j = order[c];
    S[c] = s[j];
    Gsr.set(Gr.subarray(j * n, j * n + n), c * n);
    if (Gsi !== null && Gi !== null) Gsi.set(Gi.subarray(j * n, j * n + n), c * n);
    const f = s[j] > 0 && Number.isFinite(1 / s[j]) ? 1 / s[j] : 0;
    if (f > 0) nz = c + 1;
    for (let i = 0; i < n; i++) Vr[c * n + i] = f * Wr[j * n + i];
    if (Vi !== null && Wi !== null) for (let i = 0; i < n; i++) Vi[c * n + i] = f * Wi[j * n + i];
  }
  for (let c = nz; c < n; c++) S[c] = 0;
  if (nz < n) completeRows(n, n, Vr, Vi, nz);
  // U = Pᵀ·Q·G†
  const QUr = new Float64Array(m * n);
  let QUi: Float64Array | null = null;
  if (Qi === null || Gsi === null) gemmReal('N', 'T', m, n, n, Qr, Gsr, QUr);
  else {
    QUi = new Float64Array(m * n);
    gemmComplex('N', 'C', m, n, n, Qr, Qi, Gsr, Gsi, QUr, QUi);
  }
  const Ur = new Float64Array(m * n);
  const Ui = QUi === null ? null : new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    Ur.set(QUr.subarray(i * n, i * n + n), perm[i] * n);
    if (Ui !== null && QUi !== null) Ui.set(QUi.subarray(i * n, i * n + n), perm[i] * n);
  }
  return { Ur, Ui, S, Vr, Vi, sweeps, converged };
}

/**
 * Real thin SVD: A (m×n, row-major) = U·diag(S)·Vh with r = min(m, n). U (m×r) has
 * orthonormal columns and Vh (r×n) orthonormal rows, also for zero singular values (the
 * basis is completed). S is descending and ≥ 0. A is not modified. One-sided Jacobi after
 * a row-sorted QR; a wide matrix is handled through its transpose. A matrix whose squared
 * norm is outside [2^−200, 2^200] (entries near 1e±300) is first scaled by an exact power
 * of two (mps/kernels/scale.ts) and S scaled back; S itself over- or underflows only where
 * the true values are outside the double range. `converged: false` means the sweep limit
 * was reached (the factors still reconstruct A, but U and Vh may not be orthonormal).
 */
export function svdReal(m: number, n: number, A: Float64Array, settings: JacobiOptions = {}): SvdReal {
  const maxSweeps = settings.maxSweeps ?? JACOBI_SETTINGS.maxSweeps;
  const e = pow2Exponent(A.subarray(0, m * n), null, sumSquares(A.subarray(0, m * n), null));
  if (e !== 0) A = scaledPow2(A.subarray(0, m * n), -e);
  if (m < n) {
    const t = svdTall(n, m, transpose(m, n, A), null, maxSweeps);
    // Aᵀ = U'·S·Vh'  ⇒  A = Vh'ᵀ·S·U'ᵀ
    return { U: transpose(m, m, t.Vr), S: unscale(t.S, e), Vh: transpose(n, m, t.Ur), r: m, sweeps: t.sweeps, converged: t.converged };
  }
  const t = svdTall(m, n, A, null, maxSweeps);
  return { U: t.Ur, S: unscale(t.S, e), Vh: t.Vr, r: n, sweeps: t.sweeps, converged: t.converged };
}

/** S·2^e in place (S from the matrix scaled by 2^−e); returns S. */
function unscale(S: Float64Array, e: number): Float64Array {
  if (e !== 0) for (let i = 0; i < S.length; i++) S[i] = timesPow2(S[i]!, e);
  return S;
}

/**
 * Complex thin SVD on split planes: A (m×n) = U·diag(S)·Vh, r = min(m, n), with the same
 * guarantees as {@link svdReal}. A is not modified.
 */
export function svdComplex(m: number, n: number, Are: Float64Array, Aim: Float64Array, settings: JacobiOptions = {}): SvdComplex {
  const maxSweeps = settings.maxSweeps ?? JACOBI_SETTINGS.maxSweeps;
  const e = pow2Exponent(Are.subarray(0, m * n), Aim.subarray(0, m * n), sumSquares(Are.subarray(0, m * n), Aim.subarray(0, m * n)));
  if (e !== 0) {
    Are = scaledPow2(Are.subarray(0, m * n), -e);
    Aim = scaledPow2(Aim.subarray(0, m * n), -e);
  }
  if (m < n) {
    // A† = U'·S·Vh'  ⇒  A = Vh'†·S·U'†
    const t = svdTall(n, m, transpose(m, n, Are), transpose(m, n, Aim, -1), maxSweeps);
    const Vi = t.Vi as Float64Array;
    const Ui = t.Ui as Float64Array;
    return {
      Ure: transpose(m, m, t.Vr), Uim: transpose(m, m, Vi, -1), S: unscale(t.S, e),
      Vhre: transpose(n, m, t.Ur), Vhim: transpose(n, m, Ui, -1),
      r: m, sweeps: t.sweeps, converged: t.converged,
    };
  }
  const t = svdTall(m, n, Are, Aim, maxSweeps);
  return { Ure: t.Ur, Uim: t.Ui as Float64Array, S: unscale(t.S, e), Vhre: t.Vr, Vhim: t.Vi as Float64Array, r: n, sweeps: t.sweeps, converged: t.converged };
}

export { gramSingularValues };

/**
 * Gram-matrix SVD core, in two phases. With the small dimension p = min(m, n): G = X·X†
 * (p×p) where X is A (m ≤ n) or A† (m > n). All p eigenvalues are computed first; `rule`
 * decides k from the singular values √λ; only the k leading eigenvectors Y (rows, k×p) are
 * then computed. Z = conj(Y)·X (k×q) gives the other side: its row norms are the returned
 * singular values (a Rayleigh quotient, more accurate than √λ for small values), its rows
 * normalised and re-orthonormalised are the other singular vectors.
 */
function svdGramCore<D extends RankDecision>(m: number, n: number, Ar: Float64Array, Ai: Float64Array | null, rule: RankRule<D>): { Ur: Float64Array; Ui: Float64Array | null; S: Float64Array; Vr: Float64Array; Vi: Float64Array | null; k: number; Sall: Float64Array; decision: D } {
  const wide = m <= n;
  const p = wide ? m : n;
  const q = wide ? n : m;
  // G = A·A† (wide) or A†·A (tall), p×p
  const Gr = new Float64Array(p * p);
  const Gi = Ai === null ? null : new Float64Array(p * p);
  if (Ai === null) gemmReal(wide ? 'N' : 'T', wide ? 'T' : 'N', p, p, q, Ar, Ar, Gr);
  else gemmComplex(wide ? 'N' : 'C', wide ? 'C' : 'N', p, p, q, Ar, Ai, Ar, Ai, Gr, Gi as Float64Array);
  // exact Hermitian symmetry from the upper triangle. Re G[i, j] and Re G[j, i] are bitwise
  // equal (same products, same order), so the mean below is Re G[i, j]; Im G[i, j] is taken
  // as computed. The WebAssembly twin computes only the upper 4×4 blocks.
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const a = 0.5 * (Gr[i * p + j] + Gr[j * p + i]);
      Gr[i * p + j] = a;
      Gr[j * p + i] = a;
      if (Gi !== null) {
        const b = Gi[i * p + j];
        Gi[i * p + j] = b;
        Gi[j * p + i] = -b;
      }
    }
    if (Gi !== null) Gi[i * p + i] = 0;
  }
  // the rule sees the singular values √λ; its decision and that spectrum come back with the vectors
  const decide = (wDesc: Float64Array) => {
    const spectrum = gramSingularValues(wDesc);
    const decision = rule(spectrum);
    return { kept: decision.kept, decision, spectrum };
  };
  // top-k eigenvectors E_c (rows); Y_c = conj(E_c) so that Y† = E_k
  const e = eighTopCore(p, Gr.slice(0, p * p), Gi === null ? null : Gi.slice(0, p * p), decide);
  const Yr = e.Vr, Yi = e.Vi, k = e.k;
  if (Yi !== null) for (let i = 0; i < Yi.length; i++) Yi[i] = -Yi[i];
  const { decision, spectrum: Sall } = e.decision;
  // Z (k×q) = Y·X where X = A (wide) or A† (tall): rows of Z are s_c × (other singular vectors)†
  const Zr = new Float64Array(k * q);
  const Zi = Ai === null ? null : new Float64Array(k * q);
  if (Ai === null) gemmReal('N', wide ? 'N' : 'T', k, q, p, Yr, Ar, Zr);
  else gemmComplex('N', wide ? 'N' : 'C', k, q, p, Yr, Yi, Ar, Ai, Zr, Zi as Float64Array);
  const S = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let t = 0;
    for (let i = c * q; i < c * q + q; i++) t += Zr[i] * Zr[i];
    if (Zi !== null) for (let i = c * q; i < c * q + q; i++) t += Zi[i] * Zi[i];
    // keep the order descending (near-ties may swap by rounding)
    S[c] = c > 0 ? Math.min(Math.sqrt(t), S[c - 1]) : Math.sqrt(t);
  }
  orthonormalizeRows(k, q, Zr, Zi);
  return { Ur: Yr, Ui: Yi, S, Vr: Zr, Vi: Zi, k, Sall, decision };
}

/**
 * Two-phase truncating Gram SVD: computes every singular value (from the Gram eigenvalues),
 * lets the rank rule decide the rank k from them (rank-rule.ts), then computes only the k
 * leading triplets. It does not scale its input: a caller with entries near 1e±150 or beyond
 * scales A by a power of two first (truncatedSplit does, and checks the result).
 * Returns U (m×k), S (k, descending), Vh (k×n), the rule's `decision`, and `Sall`, all
 * p = min(m, n) singular values from the eigenvalues (√max(λ, 0), descending) on which the
 * decision was made. Accuracy as {@link svdGramReal}. A is not modified. With the WebAssembly
 * backend the same steps run fused in two calls (bit-identical).
 */
export function svdGramTruncReal<D extends RankDecision>(m: number, n: number, A: Float64Array, rule: RankRule<D>): SvdReal & { Sall: Float64Array; decision: D } {
  if (Math.min(m, n) >= WASM_MIN_N) {
    const f = wasmGramSplitReal(m, n, A, rule);
    if (f !== null) return { U: f.U, S: f.S, Vh: f.Vh, r: f.k, sweeps: 0, converged: true, Sall: f.spectrum, decision: f.decision };
  }
  const t = svdGramCore(m, n, A, null, rule);
  const k = t.k;
  if (m <= n) return { U: transpose(k, m, t.Ur), S: t.S, Vh: t.Vr, r: k, sweeps: 0, converged: true, Sall: t.Sall, decision: t.decision };
  return { U: transpose(k, m, t.Vr), S: t.S, Vh: t.Ur, r: k, sweeps: 0, converged: true, Sall: t.Sall, decision: t.decision };
}

/** Complex twin of {@link svdGramTruncReal} on split planes. */
export function svdGramTruncComplex<D extends RankDecision>(m: number, n: number, Are: Float64Array, Aim: Float64Array, rule: RankRule<D>): SvdComplex & { Sall: Float64Array; decision: D } {
  const t = svdGramCore(m, n, Are, Aim, rule);
  const k = t.k;
  const Ui = t.Ui as Float64Array;
  const Vi = t.Vi as Float64Array;
  if (m <= n) return { Ure: transpose(k, m, t.Ur), Uim: transpose(k, m, Ui, -1), S: t.S, Vhre: t.Vr, Vhim: Vi, r: k, sweeps: 0, converged: true, Sall: t.Sall, decision: t.decision };
  return { Ure: transpose(k, m, t.Vr), Uim: transpose(k, m, Vi, -1), S: t.S, Vhre: t.Ur, Vhim: Ui, r: k, sweeps: 0, converged: true, Sall: t.Sall, decision: t.decision };
}

/**
 * Fast truncating SVD via the Gram matrix: eigendecomposition of the smaller of A·A† /
 * A†·A. Returns only the k largest triplets (k ≤ min(m, n)): U (m×k), S (k, descending),
 * Vh (k×n). Accurate only for s ≳ 1e-7·s_max; smaller values are returned as computed, and
 * their vectors, though inaccurate, are still orthonormal (re-orthonormalised, and the basis
 * completed where needed). A is not modified.
 */
export function svdGramReal(m: number, n: number, A: Float64Array, k: number): SvdReal {
  const { Sall: _s, decision: _d, ...rest } = svdGramTruncReal(m, n, A, () => ({ kept: k }));
  return rest;
}

/** Complex twin of {@link svdGramReal} on split planes. */
export function svdGramComplex(m: number, n: number, Are: Float64Array, Aim: Float64Array, k: number): SvdComplex {
  const { Sall: _s, decision: _d, ...rest } = svdGramTruncComplex(m, n, Are, Aim, () => ({ kept: k }));
  return rest;
}
