// The complex two-site update with the Gram-matrix split, fused into three calls: the twin of
// `twoSiteThetaTs` + `svdGramCore` + `eighTopCore` (mps/kernels/two-site.ts, mps/kernels/svd.ts,
// mps/kernels/eigh.ts) for complex sites (split planes), in the same order of operations.
// See gram.ts for the real case and the layout conventions.

import { gemmComplexW } from './gemm';
import { TOP_ORTOL } from './gram';
import { orthoRows } from './real';
import { backTransformC, householderQRc, orthoRowsC, tridiagHerm } from './complex';
import { stein, tqlrat } from './tridiagonal';
import { ld, st } from './lanes';


/**
 * θ = A·B (complex, A: (dl·2)×c, B: c×(2·dr)) into (tr, ti), θ' = G·θ on the physical pair
 * into (xr, xi) with the 4×4 gate (gater, gatei; `hasGi` = 0 for a real gate), skipping zero gate
 * entries. Writes Σ|θ'|² (Σ re² then Σ im², sequential) to out[0]. Returns 1, or 0 when θ'
 * has a non-finite entry.
 */
export function twoSiteThetaC(dl: i32, c: i32, dr: i32, ar: usize, ai: usize, br: usize, bi: usize, gater: usize, gatei: usize, hasGi: i32, tr: usize, ti: usize, xr: usize, xi: usize, pa: usize, pb: usize, out: usize): i32 {
  gemmComplexW(false, false, false, false, dl * 2, 2 * dr, c, ar, ai, br, bi, tr, ti, pa, pb, false);
  const size = dl * 4 * dr;
  memory.fill(xr, 0, (<usize>size) << 3);
  memory.fill(xi, 0, (<usize>size) << 3);
  for (let a = 0; a < dl; a++) {
    const base = a * 4 * dr;
    for (let to = 0; to < 4; to++) {
      const ob = base + to * dr;
      for (let si = 0; si < 4; si++) {
        const gre = ld(gater, to * 4 + si);
        const gim: f64 = hasGi ? ld(gatei, to * 4 + si) : 0;
        if (gre == 0 && gim == 0) continue;
        const ib = base + si * dr;
        for (let b = 0; b < dr; b++) {
          const yr = ld(tr, ib + b), yi = ld(ti, ib + b);
          st(xr, ob + b, ld(xr, ob + b) + (gre * yr - gim * yi));
          st(xi, ob + b, ld(xi, ob + b) + (gre * yi + gim * yr));
        }
      }
    }
  }
  for (let i = 0; i < size; i++) if (!isFinite(ld(xr, i)) || !isFinite(ld(xi, i))) return 0;
  let tot: f64 = 0;
  for (let i = 0; i < size; i++) tot += ld(xr, i) * ld(xr, i);
  for (let i = 0; i < size; i++) tot += ld(xi, i) * ld(xi, i);
  st(out, 0, tot);
  return 1;
}

/**
 * Phase 1 for complex θ = (xr, xi) (m×n): G = X·X† (upper 4×4 blocks, then Hermitian from
 * the upper triangle), Hermitian tridiagonalisation in place, the real tridiagonal (d, e) with
 * e = |e_c| and the phases (phr, phi), and all p eigenvalues (unsorted) into w. `t1`, `t2`
 * p doubles of scratch. Returns 1, or 0 when rational QL did not converge.
 */
export function gramEigvalsC(m: i32, n: i32, xr: usize, xi: usize, gr: usize, gi: usize, d: usize, er: usize, ei: usize, beta: usize, e: usize, phr: usize, phi: usize, w: usize, t1: usize, t2: usize, pa: usize, pb: usize): i32 {
  const wide = m <= n;
  const p = wide ? m : n;
  const q = wide ? n : m;
  gemmComplexW(!wide, !wide, wide, wide, p, p, q, xr, xi, xr, xi, gr, gi, pa, pb, true);
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const a = 0.5 * (ld(gr, i * p + j) + ld(gr, i * p + j));
      st(gr, i * p + j, a);
      st(gr, j * p + i, a);
      const b = ld(gi, i * p + j);
      st(gi, i * p + j, b);
      st(gi, j * p + i, -b);
    }
    st(gi, i * p + i, 0);
  }
  tridiagHerm(p, gr, gi, d, er, ei, beta, t1, t2);
  memory.fill(e, 0, (<usize>p) << 3);
  memory.fill(phr, 0, (<usize>p) << 3);
  memory.fill(phi, 0, (<usize>p) << 3);
  st(phr, 0, 1);
  for (let c = 0; c < p - 1; c++) {
    const xr0 = ld(er, c), xi0 = ld(ei, c);
    const ab = Math.sqrt(xr0 * xr0 + xi0 * xi0);
    st(e, c, ab);
    const ur: f64 = ab == 0 ? 1 : xr0 / ab;
    const ui: f64 = ab == 0 ? 0 : xi0 / ab;
    st(phr, c + 1, ld(phr, c) * ur - ld(phi, c) * ui);
    st(phi, c + 1, ld(phr, c) * ui + ld(phi, c) * ur);
  }
  st(e, p - 1, 0);
  memory.copy(w, d, (<usize>p) << 3);
  return tqlrat(p, w, e, t1);
}

/**
 * Phase 2 after JS sorted w ascending and chose k (1 ≤ k ≤ p): U (m×k) into (ur, ui), S (k)
 * into s, Vh (k×n) into (zr, zi) (wide) or (yr, yi) (tall); `absorb` 1 folds S into the rows
 * of Vh, 2 into the columns of U. Returns 1, or 0 when inverse iteration did not converge.
 */
export function gramVectorsC(m: i32, n: i32, k: i32, xr: usize, xi: usize, gr: usize, gi: usize, d: usize, e: usize, beta: usize, phr: usize, phi: usize, w: usize, zasc: usize, yr: usize, yi: usize, zr: usize, zi: usize, s: usize, ur: usize, ui: usize, pa: usize, pb: usize, sw: usize, absorb: i32): i32 {
  const wide = m <= n;
  const p = wide ? m : n;
  const q = wide ? n : m;
  if (stein(p, d, e, w + ((<usize>(p - k)) << 3), k, zasc, sw, TOP_ORTOL) == 0) return 0;
  const rowBytes = (<usize>p) << 3;
  for (let c = 0; c < k; c++) memory.copy(yr + (<usize>c) * rowBytes, zasc + (<usize>(k - 1 - c)) * rowBytes, rowBytes);
  orthoRows(k, p, yr, 0, 1e-3);
  for (let c = 0; c < k; c++) {
    const o = c * p;
    for (let i = 0; i < p; i++) {
      const z = ld(yr, o + i);
      st(yr, o + i, ld(phr, i) * z);
      st(yi, o + i, ld(phi, i) * z);
    }
  }
  backTransformC(p, gr, gi, beta, k, yr, yi);
  for (let i = 0; i < k * p; i++) st(yi, i, -ld(yi, i));
  // Z (k×q) = Y·X, X = θ (wide) or θ† (tall)
  gemmComplexW(false, false, !wide, !wide, k, q, p, yr, yi, xr, xi, zr, zi, pa, pb, false);
  for (let c = 0; c < k; c++) {
    let t: f64 = 0;
    for (let i = c * q; i < c * q + q; i++) t += ld(zr, i) * ld(zr, i);
    for (let i = c * q; i < c * q + q; i++) t += ld(zi, i) * ld(zi, i);
    st(s, c, c > 0 ? min(Math.sqrt(t), ld(s, c - 1)) : Math.sqrt(t));
  }
  orthoRowsC(k, q, zr, zi, 0, 1e-3);
  // U (m×k): transpose of Y (wide) or Z (tall), conjugated
  const sr = wide ? yr : zr, si = wide ? yi : zi;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < m; j++) {
      st(ur, j * k + i, ld(sr, i * m + j));
      st(ui, j * k + i, -1 * ld(si, i * m + j));
    }
  }
  if (absorb == 1) {
    const vr = wide ? zr : yr, vi = wide ? zi : yi;
    for (let i = 0; i < k; i++) {
      const f = ld(s, i);
      for (let j = 0; j < n; j++) {
        st(vr, i * n + j, f * ld(vr, i * n + j));
        st(vi, i * n + j, f * ld(vi, i * n + j));
      }
    }
  } else if (absorb == 2) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) {
        st(ur, i * k + j, ld(ur, i * k + j) * ld(s, j));
        st(ui, i * k + j, ld(ui, i * k + j) * ld(s, j));
      }
    }
  }
  return 1;
}

/**
 * Complex centre move to the right (`qrMoveRight` of mps/kernels/registry.ts with `qrComplex` of
 * mps/kernels/qr.ts), both sites complex: A (m×n) = Q·R; Q (m×r) into (qr, qi), R·B (r×nb) into
 * (or, oi) for B (n×nb). Scratch: w 2·m·n, tau 2·r, qt 2·r·m, rr 2·r·n doubles (planes
 * consecutive). Returns r = min(m, n).
 */
export function shiftRightWC(m: i32, n: i32, nb: i32, ar: usize, ai: usize, br: usize, bi: usize, w: usize, tau: usize, qt: usize, rr: usize, qr: usize, qi: usize, or: usize, oi: usize, pa: usize, pb: usize): i32 {
  const r = min(m, n);
  const wr = w, wi = w + ((<usize>(m * n)) << 3);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      st(wr, j * m + i, ld(ar, i * n + j));
      st(wi, j * m + i, ld(ai, i * n + j));
    }
  }
  const qtr = qt, qti = qt + ((<usize>(r * m)) << 3);
  householderQRc(m, n, wr, wi, tau, tau + ((<usize>r) << 3), qtr, qti);
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < m; i++) {
      st(qr, i * r + c, ld(qtr, c * m + i));
      st(qi, i * r + c, ld(qti, c * m + i));
    }
  }
  const rre = rr, rim = rr + ((<usize>(r * n)) << 3);
  memory.fill(rr, 0, (<usize>(2 * r * n)) << 3);
  for (let j = 0; j < n; j++) {
    const top = min(j, r - 1);
    for (let i = 0; i <= top; i++) {
      st(rre, i * n + j, ld(wr, j * m + i));
      st(rim, i * n + j, ld(wi, j * m + i));
    }
  }
  gemmComplexW(false, false, false, false, r, nb, n, rre, rim, br, bi, or, oi, pa, pb, false);
  return r;
}

/**
 * Complex centre move to the left (`lqMoveLeft` of mps/kernels/registry.ts with `lqComplex`), both sites complex:
 * A (m×n) = L·Q; Q (r×n) into (qr, qi), B·L (mb×r) into (or, oi) for B (mb×m). Scratch: w
 * 2·m·n, tau 2·r, l 2·m·r doubles. Returns r = min(m, n).
 */
export function shiftLeftWC(m: i32, n: i32, mb: i32, ar: usize, ai: usize, br: usize, bi: usize, w: usize, tau: usize, l: usize, qr: usize, qi: usize, or: usize, oi: usize, pa: usize, pb: usize): i32 {
  const r = min(m, n);
  const wr = w, wi = w + ((<usize>(m * n)) << 3);
  memory.copy(wr, ar, (<usize>(m * n)) << 3);
  for (let i = 0; i < m * n; i++) st(wi, i, -ld(ai, i));
  householderQRc(n, m, wr, wi, tau, tau + ((<usize>r) << 3), qr, qi);
  const lre = l, lim = l + ((<usize>(m * r)) << 3);
  memory.fill(l, 0, (<usize>(2 * m * r)) << 3);
  for (let i = 0; i < m; i++) {
    const top = min(i, r - 1);
    for (let c = 0; c <= top; c++) {
      st(lre, i * r + c, ld(wr, i * n + c));
      st(lim, i * r + c, -ld(wi, i * n + c));
    }
  }
  for (let i = 0; i < r * n; i++) st(qi, i, -ld(qi, i));
  gemmComplexW(false, false, false, false, mb, r, m, br, bi, lre, lim, or, oi, pa, pb, false);
  return r;
}
