/**
 * Exact power-of-two scaling for the dense factorisations: a matrix whose entries sit near
 * the ends of the double range (1e-300, 1e300) is scaled by 2^−e before its squared norms
 * are formed, so that they neither underflow nor overflow, and the singular values are
 * scaled back by 2^e afterwards. Multiplying by a power of two is exact (barring underflow
 * of entries below 2^−1022·2^e, which are negligible against the largest), so the
 * factorisation of the scaled matrix is that of the original.
 */

/** ‖x‖² + ‖y‖² (y may be null) summed in index order. */
export function sumSquares(x: Float64Array, y: Float64Array | null): number {
  let t = 0;
  for (let i = 0; i < x.length; i++) t += x[i]! * x[i]!;
  if (y !== null) for (let i = 0; i < y.length; i++) t += y[i]! * y[i]!;
  return t;
}

/** Squared Frobenius norms in [SAFE_NORM2_LO, SAFE_NORM2_HI] need no scaling. */
export const SAFE_NORM2_LO = 2 ** -200;
/** Upper end of the range of squared norms that need no scaling (see {@link SAFE_NORM2_LO}). */
export const SAFE_NORM2_HI = 2 ** 200;

/**
 * The exponent e for which the matrix (planes x, y; y may be null) divided by 2^e has its
 * largest entry in [0.5, 2), or 0 when its squared Frobenius norm `norm2` (pass
 * {@link sumSquares}) is already in [{@link SAFE_NORM2_LO}, {@link SAFE_NORM2_HI}], when the
 * matrix is zero, or when an entry is not finite (no scaling is then attempted).
 */
export function pow2Exponent(x: Float64Array, y: Float64Array | null, norm2: number): number {
  if (norm2 >= SAFE_NORM2_LO && norm2 <= SAFE_NORM2_HI) return 0;
  let big = 0;
  for (let i = 0; i < x.length; i++) big = Math.max(big, Math.abs(x[i]!));
  if (y !== null) for (let i = 0; i < y.length; i++) big = Math.max(big, Math.abs(y[i]!));
  if (!(big > 0 && big < Infinity)) return 0;
  return Math.floor(Math.log2(big));
}

/** The factors 2^k1, 2^k2, … (each with |k| ≤ 1000, so each representable) whose product is 2^e. */
function pow2Steps(e: number): number[] {
  const steps: number[] = [];
  let k = e;
  while (k > 1000) { steps.push(2 ** 1000); k -= 1000; }
  while (k < -1000) { steps.push(2 ** -1000); k += 1000; }
  if (k !== 0) steps.push(2 ** k);
  return steps;
}

/** A new array x·2^e, computed exactly (in steps, so that 2^e itself need not be representable). */
export function scaledPow2(x: Float64Array, e: number): Float64Array<ArrayBuffer> {
  const out = Float64Array.from(x);
  for (const f of pow2Steps(e)) for (let i = 0; i < out.length; i++) out[i]! *= f;
  return out;
}

/** The number v·2^e (v·2^e may over- or underflow when the true value is out of range). */
export function timesPow2(v: number, e: number): number {
  let out = v;
  for (const f of pow2Steps(e)) out *= f;
  return out;
}
