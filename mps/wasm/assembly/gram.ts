// The real Gram-matrix truncated SVD fused into two calls (twin of `svdGramCore` in
// mps/kernels/svd.ts for real θ, with `eighTop` of mps/kernels/eigh.ts): the same kernels in
// the same order, without the copies in and out of the arena that a call per kernel costs.
//
// Phase 1 (`gramEigvals`): G = X·Xᵀ (packed gemm), exact symmetry, tridiagonalisation, and
// all p eigenvalues by rational QL (`tqlrat`; unsorted, JS sorts them and chooses the rank k).
// Phase 2 (`gramVectors`): inverse iteration for the k largest, reversal into descending
// rows, orthonormalisation, back-transformation, Z = Y·X, the row norms of Z as singular
// values, orthonormalisation of Z, and U (m×k) by transposition.
//
// Workspace: byte pointers from JS, one per region; the regions and their lengths are the
// layouts `gramSplitReal` and `twoSiteReal` of mps/kernels/wasm-layout.ts (the one description
// of every arena layout; test/mps/kernels/wasm-layout.test.ts checks it against these
// parameters and the lengths these kernels write).

import { gemmRealW, packCols, packRows, runPacked } from './gemm';
import { backTransform, householderQR, orthoRows, tridiagSym } from './real';
import { stein, tqlrat } from './tridiagonal';
import { at, ld, st } from './lanes';

/** Cluster tolerance of the inverse iteration (TOP_ORTOL of mps/kernels/eigh.ts). */
export const TOP_ORTOL: f64 = 1e-8;

/**
 * The two-site tensor of a real gate: θ = A·B (A: (dl·2)×c, B: c×(2·dr)) into `t`, then
 * θ' = G·θ on the physical pair into `x` (the loop of `twoSiteThetaTs`, mps/kernels/two-site.ts,
 * skipping zero gate entries). Writes ‖θ'‖_F² (sequential sum, as `sumSquares` in mps/kernels/scale.ts)
 * to `out[0]`. Returns 1, or 0 when θ' has a non-finite entry.
 */
export function twoSiteTheta(dl: i32, c: i32, dr: i32, a: usize, b: usize, gate: usize, t: usize, x: usize, pa: usize, pb: usize, out: usize): i32 {
  gemmRealW(false, false, dl * 2, 2 * dr, c, a, b, t, pa, pb);
  const size = dl * 4 * dr;
  memory.fill(x, 0, (<usize>size) << 3);
  for (let i = 0; i < dl; i++) {
    const base = i * 4 * dr;
    for (let to = 0; to < 4; to++) {
      const ob = base + to * dr;
      for (let si = 0; si < 4; si++) {
        const xr = ld(gate, to * 4 + si);
        if (xr == 0) continue;
        const ib = base + si * dr;
        const xv = f64x2.splat(xr);
        let j = 0;
        for (; j + 1 < dr; j += 2) v128.store(at(x, ob + j), f64x2.add(v128.load(at(x, ob + j)), f64x2.mul(xv, v128.load(at(t, ib + j)))));
        if (j < dr) st(x, ob + j, ld(x, ob + j) + xr * ld(t, ib + j));
      }
    }
  }
  let tot: f64 = 0;
  for (let i = 0; i < size; i++) {
    const v = ld(x, i);
    if (!isFinite(v)) return 0;
    tot += v * v;
  }
  st(out, 0, tot);
  return 1;
}

/**
 * Phase 1 for θ = x (m×n): G = X·Xᵀ into g with X = θ (m ≤ n) or θᵀ, made exactly
 * symmetric, tridiagonalised in place (g then holds the reflectors), diagonal d, sub-diagonal
 * e (e[p−1] = 0), beta; the p eigenvalues (unsorted) into w. `tmp` is p doubles of scratch.
 * Returns 1, or 0 when rational QL did not converge.
 */
export function gramEigvals(m: i32, n: i32, x: usize, g: usize, d: usize, e: usize, beta: usize, w: usize, tmp: usize, pa: usize, pb: usize): i32 {
  const wide = m <= n;
  const p = wide ? m : n;
  const q = wide ? n : m;
  // G = X·Xᵀ, upper 4×4 blocks only: the packed product computes G[i, j] and G[j, i] from
  // the same products in the same order, so they are bitwise equal and the mirror below
  // equals the full product symmetrised as 0.5·(G[i, j] + G[j, i]) in svdGramCore
  packRows(!wide, p, q, x, 1, pa, 0, q);
  packCols(wide, q, p, x, 1, pb, 0, q);
  runPacked(p, p, q, pa, pb, g, true);
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const a = 0.5 * (ld(g, i * p + j) + ld(g, i * p + j));
      st(g, i * p + j, a);
      st(g, j * p + i, a);
    }
  }
  tridiagSym(p, g, d, e, beta, tmp);
  st(e, p - 1, 0);
  memory.copy(w, d, (<usize>p) << 3);
  return tqlrat(p, w, e, tmp);
}

/**
 * Phase 2, after JS sorted w ascending and chose k (1 ≤ k ≤ p): the k leading triplets.
 * Outputs u (m×k), s (k, descending), and Vh in z (wide: Z, k×n) or y (tall: Y, k×n).
 * `absorb` = 1 scales the rows of Vh by s (`scaleRows` of mps/mps.ts), 2 the columns of U
 * (`scaleCols`), 0 neither. Returns 1, or 0 when inverse iteration did not converge (JS then takes the QL fallback).
 */
export function gramVectors(m: i32, n: i32, k: i32, x: usize, g: usize, d: usize, e: usize, beta: usize, w: usize, zasc: usize, y: usize, z: usize, s: usize, u: usize, pa: usize, pb: usize, sw: usize, absorb: i32): i32 {
  const wide = m <= n;
  const p = wide ? m : n;
  const q = wide ? n : m;
  if (stein(p, d, e, w + ((<usize>(p - k)) << 3), k, zasc, sw, TOP_ORTOL) == 0) return 0;
  const rowBytes = (<usize>p) << 3;
  for (let c = 0; c < k; c++) memory.copy(y + (<usize>c) * rowBytes, zasc + (<usize>(k - 1 - c)) * rowBytes, rowBytes);
  orthoRows(k, p, y, 0, 1e-3);
  backTransform(p, g, beta, k, y);
  // Z (k×q) = Y·X, X = θ (wide) or θᵀ (tall)
  gemmRealW(false, !wide, k, q, p, y, x, z, pa, pb);
  for (let c = 0; c < k; c++) {
    let t: f64 = 0;
    for (let i = c * q; i < c * q + q; i++) t += ld(z, i) * ld(z, i);
    st(s, c, c > 0 ? min(Math.sqrt(t), ld(s, c - 1)) : Math.sqrt(t));
  }
  orthoRows(k, q, z, 0, 1e-3);
  // U (m×k) = transpose of Y (wide, k×m) or of Z (tall, k×m)
  const src = wide ? y : z;
  for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) st(u, j * k + i, ld(src, i * m + j));
  if (absorb == 1) {
    const vh = wide ? z : y;
    for (let i = 0; i < k; i++) {
      const si = ld(s, i);
      for (let j = 0; j < n; j++) st(vh, i * n + j, si * ld(vh, i * n + j));
    }
  } else if (absorb == 2) {
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) st(u, i * k + j, ld(u, i * k + j) * ld(s, j));
  }
  return 1;
}

/**
 * Moves the orthogonality centre right (the real `qrMoveRight` of mps/kernels/registry.ts with `qrReal`
 * of mps/kernels/qr.ts): A (m×n) = Q·R, Q (m×r) into `q`, R·B (r×nb) into `out`, where B is
 * n×nb. `w` m·n, `tau` r, `qt` r·m and `rr` r·n doubles of scratch. Returns r = min(m, n).
 */
export function shiftRightW(m: i32, n: i32, nb: i32, a: usize, b: usize, w: usize, tau: usize, qt: usize, rr: usize, q: usize, out: usize, pa: usize, pb: usize): i32 {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) st(w, j * m + i, ld(a, i * n + j));
  householderQR(m, n, w, tau, qt);
  const r = min(m, n);
  for (let c = 0; c < r; c++) for (let i = 0; i < m; i++) st(q, i * r + c, ld(qt, c * m + i));
  memory.fill(rr, 0, (<usize>(r * n)) << 3);
  for (let j = 0; j < n; j++) {
    const top = min(j, r - 1);
    for (let i = 0; i <= top; i++) st(rr, i * n + j, ld(w, j * m + i));
  }
  gemmRealW(false, false, r, nb, n, rr, b, out, pa, pb);
  return r;
}

/**
 * Moves the orthogonality centre left (the real `lqMoveLeft` of mps/kernels/registry.ts with `lqReal`):
 * A (m×n) = L·Q, Q (r×n) into `qt`, B·L ((mb)×r) into `out`, where B is mb×m. `w` m·n,
 * `tau` r and `l` m·r doubles of scratch. Returns r = min(m, n).
 */
export function shiftLeftW(m: i32, n: i32, mb: i32, a: usize, b: usize, w: usize, tau: usize, qt: usize, l: usize, out: usize, pa: usize, pb: usize): i32 {
  memory.copy(w, a, (<usize>(m * n)) << 3);
  householderQR(n, m, w, tau, qt);
  const r = min(m, n);
  memory.fill(l, 0, (<usize>(m * r)) << 3);
  for (let i = 0; i < m; i++) {
    const top = min(i, r - 1);
    for (let c = 0; c <= top; c++) st(l, i * r + c, ld(w, i * n + c));
  }
  gemmRealW(false, false, mb, r, m, b, l, out, pa, pb);
  return r;
}
