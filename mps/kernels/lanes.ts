/**
 * The two-lane summation order shared by the TypeScript kernels and their WebAssembly SIMD
 * twins (mps/wasm/assembly/lanes.ts): a dot product over `len` terms keeps two partial sums,
 * lane 0 over the terms at even offsets from the start (plus `init`) and lane 1 over the odd
 * ones, and returns lane0 + lane1. Using the same order on both sides makes the backends
 * bit-identical; it is as accurate as the sequential sum.
 */

/** Σ_{i<len} x[xo+i]·y[yo+i] in the two-lane order, starting from `init` in lane 0. */
export function dot2(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number, init: number): number {
  let s0 = init, s1 = 0;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    s0 += x[xo + i]! * y[yo + i]!;
    s1 += x[xo + i + 1]! * y[yo + i + 1]!;
  }
  if (i < len) s0 += x[xo + i]! * y[yo + i]!;
  return s0 + s1;
}

/** Output of {@link cdot2}: [re, im] (module scratch, read right after the call). */
export const cdotOut = new Float64Array(2);

/**
 * Σ_{i<len} conj(x_i)·y_i for split-plane complex vectors, in the two-lane order, starting
 * from (initR + i·initI) in lane 0; writes the result to {@link cdotOut}.
 */
export function cdot2(xr: Float64Array, xi: Float64Array, xo: number, yr: Float64Array, yi: Float64Array, yo: number, len: number, initR: number, initI: number): void {
  let r0 = initR, i0 = initI, r1 = 0, i1 = 0;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const a = xr[xo + i]!, b = xi[xo + i]!, c = yr[yo + i]!, d = yi[yo + i]!;
    r0 += a * c + b * d;
    i0 += a * d - b * c;
    const a1 = xr[xo + i + 1]!, b1 = xi[xo + i + 1]!, c1 = yr[yo + i + 1]!, d1 = yi[yo + i + 1]!;
    r1 += a1 * c1 + b1 * d1;
    i1 += a1 * d1 - b1 * c1;
  }
  if (i < len) {
    const a = xr[xo + i]!, b = xi[xo + i]!, c = yr[yo + i]!, d = yi[yo + i]!;
    r0 += a * c + b * d;
    i0 += a * d - b * c;
  }
  cdotOut[0] = r0 + r1;
  cdotOut[1] = i0 + i1;
}
