// Real kernels of the decompositions: symmetric tridiagonalisation, Householder QR, the
// eigenvector back-transformation and row orthonormalisation.

import { at, axpyNeg, dot2, ld, st } from './lanes';

/**
 * Real symmetric Householder tridiagonalisation on the upper triangle (row-major n×n `a`),
 * the twin of `tridiagonalizeSym` in mps/kernels/eigh.ts. Outputs d, er, beta (n each);
 * `p` is n doubles of scratch.
 */
export function tridiagSym(n: i32, a: usize, d: usize, er: usize, beta: usize, p: usize): void {
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    st(d, k, ld(a, rk + k));
    const x0 = ld(a, rk + k + 1);
    let xn2: f64 = 0;
    for (let j = k + 2; j < n; j++) xn2 += ld(a, rk + j) * ld(a, rk + j);
    if (xn2 == 0) {
      st(er, k, x0);
      st(beta, k, 0);
      continue;
    }
    const abs0 = Math.abs(x0);
    const xnorm = Math.sqrt(x0 * x0 + xn2);
    const ph: f64 = x0 < 0 ? -1 : 1;
    st(er, k, -ph * xnorm);
    const v0 = ph * (abs0 + xnorm);
    st(a, rk + k + 1, v0);
    const b = 2 / (v0 * v0 + xn2);
    st(beta, k, b);
    const s0 = k + 1;
    for (let i = s0; i < n; i++) st(p, i, 0);
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vi = ld(a, rk + i);
      // acc = a[ri+i]·vi + Σ_j a[ri+j]·a[rk+j] (two lanes); p[j] += a[ri+j]·vi
      const len = n - i - 1;
      const row = at(a, ri + i + 1), vv = at(a, rk + i + 1), pp = at(p, i + 1);
      const viv = f64x2.splat(vi);
      let acc = f64x2(ld(a, ri + i) * vi, 0);
      let j = 0;
      for (; j + 1 < len; j += 2) {
        const t = v128.load(at(row, j));
        acc = f64x2.add(acc, f64x2.mul(t, v128.load(at(vv, j))));
        v128.store(at(pp, j), f64x2.add(v128.load(at(pp, j)), f64x2.mul(t, viv)));
      }
      let a0 = f64x2.extract_lane(acc, 0);
      if (j < len) {
        const t = ld(row, j);
        a0 += t * ld(vv, j);
        st(pp, j, ld(pp, j) + t * vi);
      }
      st(p, i, ld(p, i) + (a0 + f64x2.extract_lane(acc, 1)));
    }
    let mu: f64 = 0;
    for (let i = s0; i < n; i++) {
      st(p, i, ld(p, i) * b);
      mu += ld(a, rk + i) * ld(p, i);
    }
    const f = 0.5 * b * mu;
    for (let i = s0; i < n; i++) st(p, i, ld(p, i) - f * ld(a, rk + i));
    // S −= v·wᵀ + w·vᵀ on the upper triangle: a[ri+j] −= vi·p[j] + wi·a[rk+j]
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const viv = f64x2.splat(ld(a, rk + i));
      const wiv = f64x2.splat(ld(p, i));
      const vi = ld(a, rk + i), wi = ld(p, i);
      const row = at(a, ri + i), pp = at(p, i), vv = at(a, rk + i);
      const len = n - i;
      let j = 0;
      for (; j + 1 < len; j += 2) {
        v128.store(at(row, j), f64x2.sub(v128.load(at(row, j)), f64x2.add(f64x2.mul(viv, v128.load(at(pp, j))), f64x2.mul(wiv, v128.load(at(vv, j))))));
      }
      if (j < len) st(row, j, ld(row, j) - (vi * ld(pp, j) + wi * ld(vv, j)));
    }
  }
  if (n >= 2) {
    st(d, n - 2, ld(a, (n - 2) * n + n - 2));
    st(er, n - 2, ld(a, (n - 2) * n + n - 1));
  }
  if (n >= 1) st(d, n - 1, ld(a, (n - 1) * n + n - 1));
}

/**
 * Householder QR of the q×p matrix stored column-contiguous in `w` (p×q row-major), the twin
 * of `householderReal` in mps/kernels/qr.ts. `tau` r doubles, `qt` r×q output (zeroed here).
 */
export function householderQR(q: i32, p: i32, w: usize, tau: usize, qt: usize): void {
  const r = min(q, p);
  for (let j = 0; j < r; j++) {
    const cj = j * q;
    let amax: f64 = 0;
    for (let i = j; i < q; i++) { const a = Math.abs(ld(w, cj + i)); if (a > amax) amax = a; }
    let xn2: f64 = 0;
    if (amax > 0) for (let i = j + 1; i < q; i++) { const x = ld(w, cj + i) / amax; xn2 += x * x; }
    if (xn2 == 0) {
      st(tau, j, 0);
      continue;
    }
    const alpha = ld(w, cj + j) / amax;
    const beta = -(alpha >= 0 ? 1.0 : -1.0) * Math.sqrt(alpha * alpha + xn2);
    st(tau, j, (beta - alpha) / beta);
    const scal = 1 / (alpha - beta);
    for (let i = j + 1; i < q; i++) st(w, cj + i, (ld(w, cj + i) / amax) * scal);
    st(w, cj + j, beta * amax);
    const t = ld(tau, j);
    const v = at(w, cj + j + 1);
    const len = q - j - 1;
    for (let c = j + 1; c < p; c++) {
      const cc = c * q;
      let s = dot2(v, at(w, cc + j + 1), len, ld(w, cc + j));
      s *= t;
      st(w, cc + j, ld(w, cc + j) - s);
      axpyNeg(at(w, cc + j + 1), v, len, s);
    }
  }
  memory.fill(qt, 0, (<usize>(r * q)) << 3);
  for (let c = 0; c < r; c++) st(qt, c * q + c, 1);
  for (let j = r - 1; j >= 0; j--) {
    const t = ld(tau, j);
    if (t == 0) continue;
    const cj = j * q;
    const v = at(w, cj + j + 1);
    const len = q - j - 1;
    for (let c = j; c < r; c++) {
      const cc = c * q;
      let s = dot2(v, at(qt, cc + j + 1), len, ld(qt, cc + j));
      s *= t;
      st(qt, cc + j, ld(qt, cc + j) - s);
      axpyNeg(at(qt, cc + j + 1), v, len, s);
    }
  }
}

/**
 * x ← Q·x for the k real rows of X (k×n), Q = H_0⋯H_{n−3} from the reflectors in the rows of
 * `a` (tridiagSym's output): the twin of `backTransformRows` (real case) in eigh.ts.
 */
export function backTransform(n: i32, a: usize, beta: usize, k: i32, x: usize): void {
  let r = 0;
  for (; r + 4 <= k; r += 4) {
    const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    for (let q = n - 3; q >= 0; q--) {
      const bq = ld(beta, q);
      if (bq == 0) continue;
      const v = at(a, q * n + q + 1);
      const len = n - q - 1;
      const x0 = at(x, o0 + q + 1), x1 = at(x, o1 + q + 1), x2 = at(x, o2 + q + 1), x3 = at(x, o3 + q + 1);
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let i = 0;
      for (; i + 1 < len; i += 2) {
        const vv = v128.load(at(v, i));
        a0 = f64x2.add(a0, f64x2.mul(vv, v128.load(at(x0, i))));
        a1 = f64x2.add(a1, f64x2.mul(vv, v128.load(at(x1, i))));
        a2 = f64x2.add(a2, f64x2.mul(vv, v128.load(at(x2, i))));
        a3 = f64x2.add(a3, f64x2.mul(vv, v128.load(at(x3, i))));
      }
      let s0 = f64x2.extract_lane(a0, 0), s1 = f64x2.extract_lane(a1, 0), s2 = f64x2.extract_lane(a2, 0), s3 = f64x2.extract_lane(a3, 0);
      if (i < len) {
        const vi = ld(v, i);
        s0 += vi * ld(x0, i); s1 += vi * ld(x1, i); s2 += vi * ld(x2, i); s3 += vi * ld(x3, i);
      }
      s0 = (s0 + f64x2.extract_lane(a0, 1)) * bq;
      s1 = (s1 + f64x2.extract_lane(a1, 1)) * bq;
      s2 = (s2 + f64x2.extract_lane(a2, 1)) * bq;
      s3 = (s3 + f64x2.extract_lane(a3, 1)) * bq;
      axpyNeg(x0, v, len, s0);
      axpyNeg(x1, v, len, s1);
      axpyNeg(x2, v, len, s2);
      axpyNeg(x3, v, len, s3);
    }
  }
  for (; r < k; r++) {
    const o = r * n;
    for (let q = n - 3; q >= 0; q--) {
      const bq = ld(beta, q);
      if (bq == 0) continue;
      const v = at(a, q * n + q + 1);
      const len = n - q - 1;
      const xr = at(x, o + q + 1);
      const s = dot2(v, xr, len, 0) * bq;
      axpyNeg(xr, v, len, s);
    }
  }
}

/** y −= (y·z_g) z_g for the rows g = g0..g1−1 of z (n each), modified Gram–Schmidt. */
export function mgsProject(y: usize, z: usize, g0: i32, g1: i32, n: i32): void {
  for (let g = g0; g < g1; g++) {
    const zg = at(z, g * n);
    const d = dot2(y, zg, n, 0);
    axpyNeg(y, zg, n, d);
  }
}

@inline function projectOutRow(t: i32, q: i32, re: usize): void {
  const row = at(re, t * q);
  for (let s = 0; s < t; s++) {
    const rs = at(re, s * q);
    const d = dot2(rs, row, q, 0);
    if (d != 0) axpyNeg(row, rs, q, d);
  }
}

@inline export function scaleRowBy(row: usize, q: i32, f: f64): void {
  const fv = f64x2.splat(f);
  let i = 0;
  for (; i + 1 < q; i += 2) v128.store(at(row, i), f64x2.mul(v128.load(at(row, i)), fv));
  if (i < q) st(row, i, ld(row, i) * f);
}

function completeRowReal(t: i32, q: i32, re: usize): void {
  const row = at(re, t * q);
  const accept = Math.sqrt(0.5 / <f64>q);
  for (let c = 0; c < q; c++) {
    memory.fill(row, 0, (<usize>q) << 3);
    st(row, c, 1);
    projectOutRow(t, q, re);
    projectOutRow(t, q, re);
    const nr = Math.sqrt(dot2(row, row, q, 0));
    if (nr > accept) {
      scaleRowBy(row, q, 1 / nr);
      return;
    }
  }
}

/** Real twin of `orthonormalizeRows` (mps/kernels/orth.ts): rows from..k−1 of re (k×q). */
export function orthoRows(k: i32, q: i32, re: usize, from: i32, dropTol: f64): void {
  for (let t = from; t < k; t++) {
    const row = at(re, t * q);
    const n0 = Math.sqrt(dot2(row, row, q, 0));
    if (n0 == 0 || !isFinite(n0)) {
      completeRowReal(t, q, re);
      continue;
    }
    scaleRowBy(row, q, 1 / n0);
    projectOutRow(t, q, re);
    let n1 = Math.sqrt(dot2(row, row, q, 0));
    if (n1 < 0.7) {
      projectOutRow(t, q, re);
      n1 = Math.sqrt(dot2(row, row, q, 0));
    }
    if (n1 < dropTol) completeRowReal(t, q, re);
    else scaleRowBy(row, q, 1 / n1);
  }
}
