/**
 * The two-lane summation order shared by the TypeScript kernels and their WebAssembly SIMD
 * twins (mps/wasm/assembly/kernels.ts): a dot product over `len` terms keeps two partial sums,
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
