// Tridiagonal eigenproblem: scalar ports (same operations, same order) of `tql2` without
// vectors (tql1) and of `tridiagEigvecs` with `lagtf`/`lagts` from mps/kernels/tridiagonal.ts.

import { at, ld, st } from './lanes';
import { mgsProject } from './real';

const EPS: f64 = 2.220446049250313e-16;
const SFMIN: f64 = 2.2250738585072014e-308;
const BIGNUM: f64 = 1 / SFMIN;
const MAXITS: i32 = 5;
const EXTRA: i32 = 1;

/** Eigenvalues of the symmetric tridiagonal (d, e), in place in d (unsorted); e destroyed. */
export function tql1(n: i32, d: usize, e: usize): void {
  let f: f64 = 0;
  let tst1: f64 = 0;
  st(e, n - 1, 0);
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(ld(d, l)) + Math.abs(ld(e, l)));
    let m = l;
    while (m < n - 1 && Math.abs(ld(e, m)) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        let g = ld(d, l);
        let p = (ld(d, l + 1) - g) / (2 * ld(e, l));
        let r = Math.sqrt(p * p + 1);
        if (p < 0) r = -r;
        st(d, l, ld(e, l) / (p + r));
        st(d, l + 1, ld(e, l) * (p + r));
        const dl1 = ld(d, l + 1);
        let h = g - ld(d, l);
        for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
        f += h;
        p = ld(d, m);
        let c: f64 = 1, c2: f64 = 1, c3: f64 = 1;
        const el1 = ld(e, l + 1);
        let s: f64 = 0, s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * ld(e, i);
          h = c * p;
          r = Math.sqrt(p * p + ld(e, i) * ld(e, i));
          st(e, i + 1, s * r);
          s = ld(e, i) / r;
          c = p / r;
          p = c * ld(d, i) - s * g;
          st(d, i + 1, h + s * (c * g + s * ld(d, i)));
        }
        p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
        st(e, l, s * p);
        st(d, l, c * p);
      } while (Math.abs(ld(e, l)) > EPS * tst1 && iter < 200);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
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
    let ak = ld(a, k);
    let pert = ak < 0 ? -tol : tol;
    for (;;) {
      const absak = Math.abs(ak);
      if (absak < 1) {
        if (absak < SFMIN) {
          if (absak == 0 || Math.abs(temp) * SFMIN > absak) {
            ak += pert;
            pert *= 2;
            continue;
          }
          temp *= BIGNUM;
          ak *= BIGNUM;
        } else if (Math.abs(temp) > absak * BIGNUM) {
          ak += pert;
          pert *= 2;
          continue;
        }
      }
      break;
    }
    st(y, k, temp / ak);
  }
}

/**
 * Inverse iteration (LAPACK dstein) for the k ascending eigenvalues w of the tridiagonal
 * (d, e): unit eigenvectors into the rows of z (k×n). `work` holds 6n doubles of scratch.
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
    tol = tol == 0 ? EPS : tol * EPS;
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
    let f = 1 / Math.sqrt(s2);
    if (ld(y, jmax) < 0) f = -f;
    for (let i = 0; i < n; i++) st(z, oj + i, f * ld(y, i));
    xjm = xj;
  }
  return 1;
}
