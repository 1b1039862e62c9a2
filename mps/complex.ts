/**
 * Complex data layout used everywhere in qdistill: **split planes**.
 *
 * A complex array of length N is a pair `{ re, im }` of `Float64Array`s of length N.
 * `im === null` marks data that is exactly real; kernels then take the real fast
 * path, which costs about 4× fewer flops (docs/design.md §3).
 *
 * Matrices are row-major: element (i, j) of an m×n matrix is at index `i * n + j`.
 */
export interface CArray {
  /** Real plane. */
  re: Float64Array;
  /** Imaginary plane, or `null` when the data is exactly real. */
  im: Float64Array | null;
}

/** A square complex matrix of dimension `dim` (2 for one-qubit gates, 4 for two-qubit gates), row-major. */
export interface CMatrix extends CArray {
  /** Number of rows (= columns). */
  dim: number;
}

/** True when every imaginary entry is exactly zero (or the plane is absent). */
export function isRealPlane(im: Float64Array | null): boolean {
  if (im === null) return true;
  for (let i = 0; i < im.length; i++) if (im[i] !== 0) return false;
  return true;
}

/** Returns `{re, im}` with `im` dropped to `null` when it is identically zero. */
export function compactImag<T extends CArray>(a: T): T {
  if (a.im !== null && isRealPlane(a.im)) return { ...a, im: null };
  return a;
}
