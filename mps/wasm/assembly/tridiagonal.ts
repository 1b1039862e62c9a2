// Tridiagonal eigenproblem: scalar ports (same operations, same order) of `tqlrat` and of
// `tridiagEigvecs` with `lagtf`/`lagts` from mps/kernels/tridiagonal.ts.

import { at, ld, st } from './lanes';
import { mgsProject } from './real';
import { EPS, EXTRA, guardedDivide, inversePair, MAXITS } from './inverse-pair';

const TQ_BIG: f64 = 18446744073709551616.0; // 2^64
const TQ_SMALL: f64 = 1 / TQ_BIG;
const TQ_UP: f64 = TQ_BIG * TQ_BIG; // 2^128
const TQ_DOWN: f64 = 1 / TQ_UP;
const TQ_SC_MAX: f64 = TQ_UP * TQ_UP * TQ_UP * TQ_UP * TQ_UP * TQ_UP * TQ_UP; // 2^896: one more step overflows

/**
 * Eigenvalues by rational QL (EISPACK `tqlrat`), the twin of `tqlrat` in
 * mps/kernels/tridiagonal.ts: into d (unsorted); e not modified; e2 n doubles of scratch.
 * Returns 1, or 0 after 30 iterations on one eigenvalue.
 */
export function tqlrat(n: i32, d: usize, e: usize, e2: usize): i32 {
  let anorm: f64 = 0;
  for (let i = 0; i < n; i++) anorm = Math.max(anorm, Math.max(Math.abs(ld(d, i)), i < n - 1 ? Math.abs(ld(e, i)) : 0));
  let sc: f64 = 1;
  if (anorm > 0 && anorm < Infinity) {
    while (anorm * sc > TQ_BIG) sc *= TQ_DOWN;
    while (anorm * sc < TQ_SMALL && sc < TQ_SC_MAX) sc *= TQ_UP;
  }
  for (let i = 0; i < n; i++) st(d, i, ld(d, i) * sc);
  for (let i = 0; i < n - 1; i++) st(e2, i, (ld(e, i) * sc) * (ld(e, i) * sc));
  st(e2, n - 1, 0);
  let f: f64 = 0, b: f64 = 0, c: f64 = 0;
  for (let l = 0; l < n; l++) {
    let j = 0;
    let h = Math.abs(ld(d, l)) + Math.sqrt(ld(e2, l));
    if (b <= h) {
      b = EPS * h;
      c = b * b;
    }
    let m = l;
    while (ld(e2, m) > c) m++;
    if (m > l) {
      for (;;) {
        if (j == 30) return 0;
        j++;
        const l1 = l + 1;
        let s = Math.sqrt(ld(e2, l));
        let g = ld(d, l);
        let p = (ld(d, l1) - g) / (2 * s);
        let r = Math.sqrt(p * p + 1);
        st(d, l, s / (p + (p >= 0 ? r : -r)));
        h = g - ld(d, l);
        for (let i = l1; i < n; i++) st(d, i, ld(d, i) - h);
        f += h;
        g = ld(d, m);
        if (g == 0) g = b;
        h = g;
        s = 0;
        for (let i = m - 1; i >= l; i--) {
          p = g * h;
          r = p + ld(e2, i);
          st(e2, i + 1, s * r);
          s = ld(e2, i) / r;
          st(d, i + 1, h + s * (h + ld(d, i)));
          g = ld(d, i) - ld(e2, i) / g;
          if (g == 0) g = b;
          h = (g * p) / r;
        }
        st(e2, l, s * g);
        st(d, l, h);
        if (h == 0) break;
        if (Math.abs(ld(e2, l)) <= Math.abs(c / h)) break;
        st(e2, l, h * ld(e2, l));
        if (ld(e2, l) == 0) break;
      }
    }
    st(d, l, ld(d, l) + f);
  }
  if (sc != 1) for (let i = 0; i < n; i++) st(d, i, ld(d, i) / sc);
  return 1;
}

function lagtf(n: i32, d: usize, e: usize, lambda: f64, a: usize, b: usize, c: usize, d2: usize, piv: usize): void {
  for (let i = 0; i < n; i++) st(a, i, ld(d, i) - lambda);
  for (let i = 0; i < n - 1; i++) {
    st(b, i, ld(e, i));
    st(c, i, ld(e, i));
  }
  let scale1 = Math.abs(ld(a, 0)) + (n > 1 ? Math.abs(ld(b, 0)) : 0);
  for (let k = 0; k < n - 1; k++) {
    let scale2 = Math.abs(ld(c, k)) + Math.abs(ld(a, k + 1));
    if (k < n - 2) scale2 += Math.abs(ld(b, k + 1));
    const piv1 = ld(a, k) == 0 ? 0 : Math.abs(ld(a, k)) / scale1;
    if (ld(c, k) == 0) {
      store<u8>(piv + k, 0);
      scale1 = scale2;
      if (k < n - 2) st(d2, k, 0);
    } else if (Math.abs(ld(c, k)) / scale2 <= piv1) {
      store<u8>(piv + k, 0);
      scale1 = scale2;
      st(c, k, ld(c, k) / ld(a, k));
      st(a, k + 1, ld(a, k + 1) - ld(c, k) * ld(b, k));
      if (k < n - 2) st(d2, k, 0);
    } else {
      store<u8>(piv + k, 1);
      const mult = ld(a, k) / ld(c, k);
      st(a, k, ld(c, k));
      const temp = ld(a, k + 1);
      st(a, k + 1, ld(b, k) - mult * temp);
      if (k < n - 2) {
        st(d2, k, ld(b, k + 1));
        st(b, k + 1, -mult * ld(d2, k));
      }
      st(b, k, temp);
      st(c, k, mult);
    }
  }
}

function lagts(n: i32, a: usize, b: usize, c: usize, d2: usize, piv: usize, y: usize, tol: f64): void {
  for (let k = 1; k < n; k++) {
    if (load<u8>(piv + k - 1) == 0) st(y, k, ld(y, k) - ld(c, k - 1) * ld(y, k - 1));
    else {
      const t = ld(y, k - 1);
      st(y, k - 1, ld(y, k));
      st(y, k, t - ld(c, k - 1) * ld(y, k));
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let temp = ld(y, k);
    if (k <= n - 3) temp = temp - ld(b, k) * ld(y, k + 1) - ld(d2, k) * ld(y, k + 2);
    else if (k == n - 2) temp -= ld(b, k) * ld(y, k + 1);
    st(y, k, guardedDivide(temp, ld(a, k), tol));
  }
}

/**
 * Inverse iteration (LAPACK dstein) for the k ascending eigenvalues w of the tridiagonal
 * (d, e): unit eigenvectors into the rows of z (k×n). `work` holds 12n doubles of scratch.
 * Two consecutive eigenvalues that each start a cluster of their own run together, one per
 * SIMD lane (./inverse-pair.ts), with the same operations as one after the other.
 * Returns 1, or 0 when a vector did not converge.
 */
export function stein(n: i32, d: usize, e: usize, w: usize, k: i32, z: usize, work: usize, ortolRel: f64): i32 {
  let onenrm: f64 = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.abs(ld(d, i)) + (i > 0 ? Math.abs(ld(e, i - 1)) : 0) + (i < n - 1 ? Math.abs(ld(e, i)) : 0);
    if (t > onenrm) onenrm = t;
  }
  const ortol = ortolRel * onenrm;
  const dtpcrt = Math.sqrt(0.1 / <f64>n);
  const a = work, b = at(work, n), c = at(work, 2 * n), d2 = at(work, 3 * n), y = at(work, 4 * n), piv = at(work, 5 * n);
  let seed: i32 = 0x2545f491;
  let gpind = 0;
  let xjm: f64 = 0;
  for (let j = 0; j < k; j++) {
    let xj = ld(w, j);
    if (j > 0) {
      const pertol = 10 * Math.abs(EPS * xj);
      if (xj - xjm < pertol) xj = xjm + pertol;
      if (Math.abs(xj - xjm) > ortol) gpind = j;
    }
    if (gpind == j && j + 1 < k && n >= 2) {
      // the next eigenvalue, perturbed as its own turn would: when it starts a cluster of its
      // own, neither vector is projected and both run at once (./inverse-pair.ts)
      let x1 = ld(w, j + 1);
      const pertol1 = 10 * Math.abs(EPS * x1);
      if (x1 - xj < pertol1) x1 = xj + pertol1;
      if (Math.abs(x1 - xj) > ortol) {
        const y2 = at(work, 8 * n);
        for (let l = 0; l < 2; l++) {
          for (let i = 0; i < n; i++) {
            seed ^= seed << 13;
            seed ^= <i32>(<u32>seed >> 17);
            seed ^= seed << 5;
            st(y2, 2 * i + l, <f64>(<u32>seed) / 2147483648.0 - 1);
          }
        }
        if (inversePair(n, d, e, xj, x1, onenrm, dtpcrt, at(z, j * n), at(z, (j + 1) * n), work) == 0) return 0;
        gpind = j + 1;
        xjm = x1;
        j++;
        continue;
      }
    }
    for (let i = 0; i < n; i++) {
      seed ^= seed << 13;
      seed ^= <i32>(<u32>seed >> 17);
      seed ^= seed << 5;
      st(y, i, <f64>(<u32>seed) / 2147483648.0 - 1);
    }
    lagtf(n, d, e, xj, a, b, c, d2, piv);
    let tol: f64 = 0;
    for (let i = 0; i < n; i++) {
      tol = Math.max(tol, Math.abs(ld(a, i)));
      if (i < n - 1) tol = Math.max(tol, Math.abs(ld(b, i)));
      if (i < n - 2) tol = Math.max(tol, Math.abs(ld(d2, i)));
    }
    tol *= EPS; // LAPACK dlagts: zero after the product (an underflow) becomes EPS
    if (tol == 0) tol = EPS;
    const oj = j * n;
    let its = 0;
    let nrmchk = 0;
    let converged = false;
    while (its < MAXITS) {
      its++;
      let asum: f64 = 0;
      for (let i = 0; i < n; i++) asum += Math.abs(ld(y, i));
      const scl = (<f64>n * onenrm * Math.max(EPS, Math.abs(ld(a, n - 1)))) / asum;
      for (let i = 0; i < n; i++) st(y, i, ld(y, i) * scl);
      lagts(n, a, b, c, d2, piv, y, tol);
      if (gpind < j) mgsProject(y, z, gpind, j, n);
      let nrm: f64 = 0;
      for (let i = 0; i < n; i++) nrm = Math.max(nrm, Math.abs(ld(y, i)));
      if (!(nrm >= dtpcrt)) continue;
      nrmchk++;
      if (nrmchk < EXTRA + 1) continue;
      converged = true;
      break;
    }
    if (!converged) return 0;
    let s2: f64 = 0;
    let jmax = 0;
    for (let i = 0; i < n; i++) {
      s2 += ld(y, i) * ld(y, i);
      if (Math.abs(ld(y, i)) > Math.abs(ld(y, jmax))) jmax = i;
    }
    if (!(s2 <= 1e290 && s2 >= 1e-290)) {
      // the squares over- or underflowed: divide by the largest entry first (as dnrm2 scales)
      const big = Math.abs(ld(y, jmax));
      s2 = 0;
      for (let i = 0; i < n; i++) {
        st(y, i, ld(y, i) / big);
        s2 += ld(y, i) * ld(y, i);
      }
    }
    let f = 1 / Math.sqrt(s2);
    if (ld(y, jmax) < 0) f = -f;
    for (let i = 0; i < n; i++) st(z, oj + i, f * ld(y, i));
    xjm = xj;
  }
  return 1;
}
