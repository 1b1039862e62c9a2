// AssemblyScript source of qdistill's WebAssembly SIMD kernels (built by `npm run build:wasm`
// into mps/wasm/kernels.wasm and loaded by mps/kernels/wasm.ts; the TypeScript kernels stay
// the reference and the fallback). All pointers are byte offsets into this module's memory,
// which the JS side manages above `heapBase()`. Every kernel keeps the TypeScript kernel's
// order of floating-point operations (separate multiply and add, same accumulation order),
// so results are bit-identical to the fallback.

/** First free byte of linear memory (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/**
 * C (m×n, row-major, f64) = or += Ap·Bp over packed inner dimension K2, for p in [p0, p1):
 * the packed-panel micro-kernel of mps/kernels/matmul.ts (4×4 register block, here as
 * eight f64x2 accumulators). `first` = 1 overwrites C, 0 accumulates.
 */
export function kernelPacked(m: i32, n: i32, K2: i32, ap: usize, bp: usize, c: usize, p0: i32, p1: i32, first: i32): void {
  const mb = (m + 3) >> 2;
  const nb = (n + 3) >> 2;
  const len = p1 - p0;
  for (let ib = 0; ib < mb; ib++) {
    const i0 = ib << 2;
    const rows = min(4, m - i0);
    const aBase = ap + ((<usize>(ib * K2 + p0)) << 5);
    for (let jb = 0; jb < nb; jb++) {
      const j0 = jb << 2;
      let pa = aBase;
      let pb = bp + ((<usize>(jb * K2 + p0)) << 5);
      let c0l = f64x2.splat(0), c0h = f64x2.splat(0);
      let c1l = f64x2.splat(0), c1h = f64x2.splat(0);
      let c2l = f64x2.splat(0), c2h = f64x2.splat(0);
      let c3l = f64x2.splat(0), c3h = f64x2.splat(0);
      for (let p = 0; p < len; p++) {
        const bl = v128.load(pb);
        const bh = v128.load(pb, 16);
        const a0 = f64x2.splat(load<f64>(pa));
        const a1 = f64x2.splat(load<f64>(pa, 8));
        const a2 = f64x2.splat(load<f64>(pa, 16));
        const a3 = f64x2.splat(load<f64>(pa, 24));
        c0l = f64x2.add(c0l, f64x2.mul(a0, bl)); c0h = f64x2.add(c0h, f64x2.mul(a0, bh));
        c1l = f64x2.add(c1l, f64x2.mul(a1, bl)); c1h = f64x2.add(c1h, f64x2.mul(a1, bh));
        c2l = f64x2.add(c2l, f64x2.mul(a2, bl)); c2h = f64x2.add(c2h, f64x2.mul(a2, bh));
        c3l = f64x2.add(c3l, f64x2.mul(a3, bl)); c3h = f64x2.add(c3h, f64x2.mul(a3, bh));
        pa += 32;
        pb += 32;
      }
      const cols = min(4, n - j0);
      if (rows == 4 && cols == 4) {
        let o = c + ((<usize>(i0 * n + j0)) << 3);
        const stride = (<usize>n) << 3;
        if (first) {
          v128.store(o, c0l); v128.store(o, c0h, 16); o += stride;
          v128.store(o, c1l); v128.store(o, c1h, 16); o += stride;
          v128.store(o, c2l); v128.store(o, c2h, 16); o += stride;
          v128.store(o, c3l); v128.store(o, c3h, 16);
        } else {
          v128.store(o, f64x2.add(v128.load(o), c0l)); v128.store(o, f64x2.add(v128.load(o, 16), c0h), 16); o += stride;
          v128.store(o, f64x2.add(v128.load(o), c1l)); v128.store(o, f64x2.add(v128.load(o, 16), c1h), 16); o += stride;
          v128.store(o, f64x2.add(v128.load(o), c2l)); v128.store(o, f64x2.add(v128.load(o, 16), c2h), 16); o += stride;
          v128.store(o, f64x2.add(v128.load(o), c3l)); v128.store(o, f64x2.add(v128.load(o, 16), c3h), 16);
        }
      } else {
        storeEdge(c, n, i0, j0, cols, first, c0l, c0h, 0);
        if (rows > 1) storeEdge(c, n, i0, j0, cols, first, c1l, c1h, 1);
        if (rows > 2) storeEdge(c, n, i0, j0, cols, first, c2l, c2h, 2);
        if (rows > 3) storeEdge(c, n, i0, j0, cols, first, c3l, c3h, 3);
      }
    }
  }
}

function storeEdge(c: usize, n: i32, i0: i32, j0: i32, cols: i32, first: i32, lo: v128, hi: v128, r: i32): void {
  const o = c + ((<usize>((i0 + r) * n + j0)) << 3);
  const x0 = f64x2.extract_lane(lo, 0), x1 = f64x2.extract_lane(lo, 1);
  const x2 = f64x2.extract_lane(hi, 0), x3 = f64x2.extract_lane(hi, 1);
  if (first) {
    store<f64>(o, x0);
    if (cols > 1) store<f64>(o, x1, 8);
    if (cols > 2) store<f64>(o, x2, 16);
    if (cols > 3) store<f64>(o, x3, 24);
  } else {
    store<f64>(o, load<f64>(o) + x0);
    if (cols > 1) store<f64>(o, load<f64>(o, 8) + x1, 8);
    if (cols > 2) store<f64>(o, load<f64>(o, 16) + x2, 16);
    if (cols > 3) store<f64>(o, load<f64>(o, 24) + x3, 24);
  }
}

// ---------------------------------------------------------------------------------------
// Level-2 kernels of the decompositions. Dot products use the "two-lane" order of the
// TypeScript reference (mps/kernels/lanes.ts): lane 0 sums the terms at even offsets from
// the start, lane 1 the odd ones, and the result is lane0 + lane1; element-wise updates are
// lane-independent. That makes them bit-identical to TypeScript.

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + ((<usize>i) << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + ((<usize>i) << 3), v); }
@inline function at(p: usize, i: i32): usize { return p + ((<usize>i) << 3); }

/** Two-lane dot product Σ x[i]·y[i], i < len, starting from (init, 0). */
@inline function dot2(x: usize, y: usize, len: i32, init: f64): f64 {
  let acc = f64x2(init, 0);
  let i = 0;
  for (; i + 1 < len; i += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(at(x, i)), v128.load(at(y, i))));
  let s0 = f64x2.extract_lane(acc, 0);
  if (i < len) s0 += ld(x, i) * ld(y, i);
  return s0 + f64x2.extract_lane(acc, 1);
}

/** y[i] −= s·x[i], i < len (element-wise). */
@inline function axpyNeg(y: usize, x: usize, len: i32, s: f64): void {
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 1 < len; i += 2) v128.store(at(y, i), f64x2.sub(v128.load(at(y, i)), f64x2.mul(sv, v128.load(at(x, i)))));
  if (i < len) st(y, i, ld(y, i) - s * ld(x, i));
}

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
function mgsProject(y: usize, z: usize, g0: i32, g1: i32, n: i32): void {
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

@inline function scaleRowBy(row: usize, q: i32, f: f64): void {
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

// ---------------------------------------------------------------------------------------
// Tridiagonal eigenproblem: scalar ports (same operations, same order) of `tql2` without
// vectors (tql1) and of `tridiagEigvecs` with `lagtf`/`lagts` from mps/kernels/eigh.ts.

const EPS: f64 = 2.220446049250313e-16;
const SFMIN: f64 = 2.2250738585072014e-308;
const BIGNUM: f64 = 1 / SFMIN;
const MAXITS: i32 = 5;
const EXTRA: i32 = 1;
const ORTOL: f64 = 1e-3;

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
export function stein(n: i32, d: usize, e: usize, w: usize, k: i32, z: usize, work: usize): i32 {
  let onenrm: f64 = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.abs(ld(d, i)) + (i > 0 ? Math.abs(ld(e, i - 1)) : 0) + (i < n - 1 ? Math.abs(ld(e, i)) : 0);
    if (t > onenrm) onenrm = t;
  }
  const ortol = ORTOL * onenrm;
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

// ---------------------------------------------------------------------------------------
// Complex (split-plane) twins: Householder QR, Hermitian tridiagonalisation, the complex
// back-transformation and row orthonormalisation. Conjugated dot products Σ conj(x)·y use the
// two-lane order of `cdot2` in mps/kernels/lanes.ts.

let cdotIm: f64 = 0;

/** Σ conj(x)·y (two lanes) from (initR, initI); returns the real part, sets `cdotIm`. */
@inline function cdot2(xr: usize, xi: usize, yr: usize, yi: usize, len: i32, initR: f64, initI: f64): f64 {
  let ar = f64x2(initR, 0), ai = f64x2(initI, 0);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const a = v128.load(at(xr, i)), b = v128.load(at(xi, i)), c = v128.load(at(yr, i)), d = v128.load(at(yi, i));
    ar = f64x2.add(ar, f64x2.add(f64x2.mul(a, c), f64x2.mul(b, d)));
    ai = f64x2.add(ai, f64x2.sub(f64x2.mul(a, d), f64x2.mul(b, c)));
  }
  let r0 = f64x2.extract_lane(ar, 0), i0 = f64x2.extract_lane(ai, 0);
  if (i < len) {
    const a = ld(xr, i), b = ld(xi, i), c = ld(yr, i), d = ld(yi, i);
    r0 += a * c + b * d;
    i0 += a * d - b * c;
  }
  cdotIm = i0 + f64x2.extract_lane(ai, 1);
  return r0 + f64x2.extract_lane(ar, 1);
}

/** y −= f·v (complex, element-wise): yr −= fr·vr − fi·vi, yi −= fr·vi + fi·vr. */
@inline function caxpyNeg(yr: usize, yi: usize, vr: usize, vi: usize, len: i32, fr: f64, fi: f64): void {
  const frv = f64x2.splat(fr), fiv = f64x2.splat(fi);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const a = v128.load(at(vr, i)), b = v128.load(at(vi, i));
    v128.store(at(yr, i), f64x2.sub(v128.load(at(yr, i)), f64x2.sub(f64x2.mul(frv, a), f64x2.mul(fiv, b))));
    v128.store(at(yi, i), f64x2.sub(v128.load(at(yi, i)), f64x2.add(f64x2.mul(frv, b), f64x2.mul(fiv, a))));
  }
  if (i < len) {
    const a = ld(vr, i), b = ld(vi, i);
    st(yr, i, ld(yr, i) - (fr * a - fi * b));
    st(yi, i, ld(yi, i) - (fr * b + fi * a));
  }
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
    for (let c = j + 1; c < p; c++) {
      const cc = c * q;
      const wr = cdot2(vr, vi, at(wre, cc + j + 1), at(wim, cc + j + 1), len, ld(wre, cc + j), ld(wim, cc + j));
      const wi = cdotIm;
      const fr = ctr * wr - cti * wi;
      const fi = ctr * wi + cti * wr;
      st(wre, cc + j, ld(wre, cc + j) - fr);
      st(wim, cc + j, ld(wim, cc + j) - fi);
      caxpyNeg(at(wre, cc + j + 1), at(wim, cc + j + 1), vr, vi, len, fr, fi);
    }
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
    for (let c = j; c < r; c++) {
      const cc = c * q;
      const wr = cdot2(vr, vi, at(qtre, cc + j + 1), at(qtim, cc + j + 1), len, ld(qtre, cc + j), ld(qtim, cc + j));
      const wi = cdotIm;
      const fr = t_r * wr - t_i * wi;
      const fi = t_r * wi + t_i * wr;
      st(qtre, cc + j, ld(qtre, cc + j) - fr);
      st(qtim, cc + j, ld(qtim, cc + j) - fi);
      caxpyNeg(at(qtre, cc + j + 1), at(qtim, cc + j + 1), vr, vi, len, fr, fi);
    }
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
