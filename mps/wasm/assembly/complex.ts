// Complex (split-plane) twins: Householder QR, Hermitian tridiagonalisation, the complex
// back-transformation and row orthonormalisation. Conjugated dot products Σ conj(x)·y use the
// two-lane order of `cdot2` in mps/kernels/lanes.ts.

import { at, caxpyNeg, cdot2, cdotIm, dot2, ld, st } from './lanes';
import { scaleRowBy } from './real';

/**
 * y ← y − τ·v·(v†y) for the column y = (y0, y[1..len]) at (yr, yi), with v = (1, v[0..len))
 * at (vr, vi) and τ = (tr, ti): one Householder reflection in the order of qr.ts.
 */
@inline function reflect(yr: usize, yi: usize, vr: usize, vi: usize, len: i32, tr: f64, ti: f64): void {
  const wr = cdot2(vr, vi, at(yr, 1), at(yi, 1), len, ld(yr, 0), ld(yi, 0));
  const wi = cdotIm;
  const fr = tr * wr - ti * wi;
  const fi = tr * wi + ti * wr;
  st(yr, 0, ld(yr, 0) - fr);
  st(yi, 0, ld(yi, 0) - fi);
  caxpyNeg(at(yr, 1), at(yi, 1), vr, vi, len, fr, fi);
}

/** Twin of `householderComplex` (mps/kernels/qr.ts); tre/tim r doubles, qtre/qtim r×q out. */
export function householderQRc(q: i32, p: i32, wre: usize, wim: usize, tre: usize, tim: usize, qtre: usize, qtim: usize): void {
  const r = min(q, p);
  memory.fill(tre, 0, (<usize>r) << 3);
  memory.fill(tim, 0, (<usize>r) << 3);
  for (let j = 0; j < r; j++) {
    const cj = j * q;
    let amax: f64 = 0;
    for (let i = j; i < q; i++) amax = Math.max(Math.max(amax, Math.abs(ld(wre, cj + i))), Math.abs(ld(wim, cj + i)));
    if (amax == 0) continue;
    const ar = ld(wre, cj + j) / amax;
    const ai = ld(wim, cj + j) / amax;
    let xn2: f64 = 0;
    for (let i = j + 1; i < q; i++) { const xr = ld(wre, cj + i) / amax, xi = ld(wim, cj + i) / amax; xn2 += xr * xr + xi * xi; }
    if (xn2 == 0 && ai == 0) continue;
    const beta = -(ar >= 0 ? 1.0 : -1.0) * Math.sqrt(ar * ar + ai * ai + xn2);
    st(tre, j, (beta - ar) / beta);
    st(tim, j, -ai / beta);
    const dr = ar - beta;
    const di = ai;
    const den = dr * dr + di * di;
    const sr = dr / den;
    const si = -di / den;
    for (let i = j + 1; i < q; i++) {
      const xr = ld(wre, cj + i) / amax;
      const xi = ld(wim, cj + i) / amax;
      st(wre, cj + i, xr * sr - xi * si);
      st(wim, cj + i, xr * si + xi * sr);
    }
    st(wre, cj + j, beta * amax);
    st(wim, cj + j, 0);
    const ctr = ld(tre, j);
    const cti = -ld(tim, j);
    const vr = at(wre, cj + j + 1), vi = at(wim, cj + j + 1);
    const len = q - j - 1;
    for (let c = j + 1; c < p; c++) reflect(at(wre, c * q + j), at(wim, c * q + j), vr, vi, len, ctr, cti);
  }
  memory.fill(qtre, 0, (<usize>(r * q)) << 3);
  memory.fill(qtim, 0, (<usize>(r * q)) << 3);
  for (let c = 0; c < r; c++) st(qtre, c * q + c, 1);
  for (let j = r - 1; j >= 0; j--) {
    const t_r = ld(tre, j);
    const t_i = ld(tim, j);
    if (t_r == 0 && t_i == 0) continue;
    const cj = j * q;
    const vr = at(wre, cj + j + 1), vi = at(wim, cj + j + 1);
    const len = q - j - 1;
    for (let c = j; c < r; c++) reflect(at(qtre, c * q + j), at(qtim, c * q + j), vr, vi, len, t_r, t_i);
  }
}

/** Twin of the Hermitian branch of `tridiagonalize` (eigh.ts); pr/pi n doubles of scratch. */
export function tridiagHerm(n: i32, a: usize, ai: usize, d: usize, er: usize, ei: usize, beta: usize, pr: usize, pi: usize): void {
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    st(d, k, ld(a, rk + k));
    const xr0 = ld(a, rk + k + 1);
    const xi0 = -ld(ai, rk + k + 1);
    let xn2: f64 = 0;
    for (let j = k + 2; j < n; j++) xn2 += ld(a, rk + j) * ld(a, rk + j);
    for (let j = k + 2; j < n; j++) xn2 += ld(ai, rk + j) * ld(ai, rk + j);
    if (xn2 == 0) {
      st(er, k, xr0);
      st(ei, k, xi0);
      st(beta, k, 0);
      continue;
    }
    const abs0 = Math.sqrt(xr0 * xr0 + xi0 * xi0);
    const xnorm = Math.sqrt(abs0 * abs0 + xn2);
    const phr: f64 = abs0 == 0 ? 1 : xr0 / abs0;
    const phi: f64 = abs0 == 0 ? 0 : xi0 / abs0;
    st(er, k, -phr * xnorm);
    st(ei, k, -phi * xnorm);
    st(a, rk + k + 1, phr * (abs0 + xnorm));
    st(ai, rk + k + 1, phi * (abs0 + xnorm));
    for (let j = k + 2; j < n; j++) st(ai, rk + j, -ld(ai, rk + j));
    const vn2 = (abs0 + xnorm) * (abs0 + xnorm) + xn2;
    const b = 2 / vn2;
    st(beta, k, b);
    const s0 = k + 1;
    const len = n - s0;
    const vrp = at(a, rk + s0), vip = at(ai, rk + s0);
    let mu: f64 = 0;
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const arp = at(a, ri + s0), aip = at(ai, ri + s0);
      let sv = f64x2.splat(0), tv = f64x2.splat(0);
      let j = 0;
      for (; j + 1 < len; j += 2) {
        const ar = v128.load(at(arp, j)), am = v128.load(at(aip, j)), vr = v128.load(at(vrp, j)), vi = v128.load(at(vip, j));
        sv = f64x2.add(sv, f64x2.sub(f64x2.mul(ar, vr), f64x2.mul(am, vi)));
        tv = f64x2.add(tv, f64x2.add(f64x2.mul(ar, vi), f64x2.mul(am, vr)));
      }
      let sr = f64x2.extract_lane(sv, 0), si = f64x2.extract_lane(tv, 0);
      if (j < len) {
        const ar = ld(arp, j), am = ld(aip, j), vr = ld(vrp, j), vi = ld(vip, j);
        sr += ar * vr - am * vi;
        si += ar * vi + am * vr;
      }
      sr += f64x2.extract_lane(sv, 1);
      si += f64x2.extract_lane(tv, 1);
      st(pr, i, b * sr);
      st(pi, i, b * si);
      mu += ld(a, rk + i) * ld(pr, i) + ld(ai, rk + i) * ld(pi, i);
    }
    const f = 0.5 * b * mu;
    for (let i = s0; i < n; i++) {
      st(pr, i, ld(pr, i) - f * ld(a, rk + i));
      st(pi, i, ld(pi, i) - f * ld(ai, rk + i));
    }
    const wrp = at(pr, s0), wip = at(pi, s0);
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vir = ld(a, rk + i), wir = ld(pr, i), vii = ld(ai, rk + i), wii = ld(pi, i);
      const virv = f64x2.splat(vir), wirv = f64x2.splat(wir), viiv = f64x2.splat(vii), wiiv = f64x2.splat(wii);
      const arp = at(a, ri + s0), aip = at(ai, ri + s0);
      let j = 0;
      for (; j + 1 < len; j += 2) {
        const wjr = v128.load(at(wrp, j)), wji = v128.load(at(wip, j)), vjr = v128.load(at(vrp, j)), vji = v128.load(at(vip, j));
        const t1 = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(virv, wjr), f64x2.mul(viiv, wji)), f64x2.mul(wirv, vjr)), f64x2.mul(wiiv, vji));
        const t2 = f64x2.sub(f64x2.add(f64x2.sub(f64x2.mul(viiv, wjr), f64x2.mul(virv, wji)), f64x2.mul(wiiv, vjr)), f64x2.mul(wirv, vji));
        v128.store(at(arp, j), f64x2.sub(v128.load(at(arp, j)), t1));
        v128.store(at(aip, j), f64x2.sub(v128.load(at(aip, j)), t2));
      }
      if (j < len) {
        const wjr = ld(wrp, j), wji = ld(wip, j), vjr = ld(vrp, j), vji = ld(vip, j);
        st(arp, j, ld(arp, j) - (vir * wjr + vii * wji + wir * vjr + wii * vji));
        st(aip, j, ld(aip, j) - (vii * wjr - vir * wji + wii * vjr - wir * vji));
      }
    }
  }
  if (n >= 2) {
    st(d, n - 2, ld(a, (n - 2) * n + n - 2));
    st(er, n - 2, ld(a, (n - 1) * n + n - 2));
    st(ei, n - 2, ld(ai, (n - 1) * n + n - 2));
  }
  if (n >= 1) st(d, n - 1, ld(a, (n - 1) * n + n - 1));
}

/** Twin of the complex branch (complex reflectors, complex rows) of `backTransformRows`. */
export function backTransformC(n: i32, a: usize, ai: usize, beta: usize, k: i32, xr: usize, xi: usize): void {
  for (let r = 0; r < k; r++) {
    const o = r * n;
    for (let q = n - 3; q >= 0; q--) {
      const bq = ld(beta, q);
      if (bq == 0) continue;
      const vr = at(a, q * n + q + 1), vi = at(ai, q * n + q + 1);
      const len = n - q - 1;
      const yr = at(xr, o + q + 1), yi = at(xi, o + q + 1);
      const sr = cdot2(vr, vi, yr, yi, len, 0, 0) * bq;
      const si = cdotIm * bq;
      caxpyNeg(yr, yi, vr, vi, len, sr, si);
    }
  }
}

@inline function projectOutRowC(t: i32, q: i32, re: usize, im: usize): void {
  const rr = at(re, t * q), ri = at(im, t * q);
  for (let s = 0; s < t; s++) {
    const sr = at(re, s * q), si = at(im, s * q);
    const dr = cdot2(sr, si, rr, ri, q, 0, 0);
    const di = cdotIm;
    if (dr != 0 || di != 0) caxpyNeg(rr, ri, sr, si, q, dr, di);
  }
}

@inline function rowNormC(row: usize, rowi: usize, q: i32): f64 {
  let s = dot2(row, row, q, 0);
  s += dot2(rowi, rowi, q, 0);
  return Math.sqrt(s);
}

function completeRowC(t: i32, q: i32, re: usize, im: usize): void {
  const row = at(re, t * q), rowi = at(im, t * q);
  const accept = Math.sqrt(0.5 / <f64>q);
  for (let c = 0; c < q; c++) {
    memory.fill(row, 0, (<usize>q) << 3);
    memory.fill(rowi, 0, (<usize>q) << 3);
    st(row, c, 1);
    projectOutRowC(t, q, re, im);
    projectOutRowC(t, q, re, im);
    const nr = rowNormC(row, rowi, q);
    if (nr > accept) {
      scaleRowBy(row, q, 1 / nr);
      scaleRowBy(rowi, q, 1 / nr);
      return;
    }
  }
}

/** Complex twin of `orthonormalizeRows` (mps/kernels/orth.ts). */
export function orthoRowsC(k: i32, q: i32, re: usize, im: usize, from: i32, dropTol: f64): void {
  for (let t = from; t < k; t++) {
    const row = at(re, t * q), rowi = at(im, t * q);
    const n0 = rowNormC(row, rowi, q);
    if (n0 == 0 || !isFinite(n0)) {
      completeRowC(t, q, re, im);
      continue;
    }
    scaleRowBy(row, q, 1 / n0);
    scaleRowBy(rowi, q, 1 / n0);
    projectOutRowC(t, q, re, im);
    let n1 = rowNormC(row, rowi, q);
    if (n1 < 0.7) {
      projectOutRowC(t, q, re, im);
      n1 = rowNormC(row, rowi, q);
    }
    if (n1 < dropTol) completeRowC(t, q, re, im);
    else {
      scaleRowBy(row, q, 1 / n1);
      scaleRowBy(rowi, q, 1 / n1);
    }
  }
}
