// Shared helpers of the kernels: f64 load/store by index and the two-lane dot products.
// Dot products use the "two-lane" order of the TypeScript reference (mps/kernels/lanes.ts):
// lane 0 sums the terms at even offsets from the start, lane 1 the odd ones, and the result is
// lane0 + lane1; element-wise updates are lane-independent. That makes the kernels
// bit-identical to TypeScript.

@inline export function ld(p: usize, i: i32): f64 { return load<f64>(p + ((<usize>i) << 3)); }
@inline export function st(p: usize, i: i32, v: f64): void { store<f64>(p + ((<usize>i) << 3), v); }
@inline export function at(p: usize, i: i32): usize { return p + ((<usize>i) << 3); }

/** Two-lane dot product Σ x[i]·y[i], i < len, starting from (init, 0). */
@inline export function dot2(x: usize, y: usize, len: i32, init: f64): f64 {
  let acc = f64x2(init, 0);
  let i = 0;
  for (; i + 1 < len; i += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(at(x, i)), v128.load(at(y, i))));
  let s0 = f64x2.extract_lane(acc, 0);
  if (i < len) s0 += ld(x, i) * ld(y, i);
  return s0 + f64x2.extract_lane(acc, 1);
}

/** y[i] −= s·x[i], i < len (element-wise). */
@inline export function axpyNeg(y: usize, x: usize, len: i32, s: f64): void {
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 1 < len; i += 2) v128.store(at(y, i), f64x2.sub(v128.load(at(y, i)), f64x2.mul(sv, v128.load(at(x, i)))));
  if (i < len) st(y, i, ld(y, i) - s * ld(x, i));
}

/** Imaginary part of the last cdot2. */
export let cdotIm: f64 = 0;

/** Σ conj(x)·y (two lanes) from (initR, initI); returns the real part, sets `cdotIm`. */
@inline export function cdot2(xr: usize, xi: usize, yr: usize, yi: usize, len: i32, initR: f64, initI: f64): f64 {
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
@inline export function caxpyNeg(yr: usize, yi: usize, vr: usize, vi: usize, len: i32, fr: f64, fi: f64): void {
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
