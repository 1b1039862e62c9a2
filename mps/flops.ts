/**
 * A nominal flop counter for the cost model (docs/design.md §7). Counts are LAPACK-equivalent
 * operation counts of the algorithms called, not instructions executed:
 * - gemm: 2mnk real, 8mnk complex (4mnk when one operand is real);
 * - thin SVD of m×n (m ≥ n): 6mn² + 20n³ real (Golub & Van Loan, R-SVD), ×4 complex;
 * - Gram split: 2·m·n·min(m,n) for the Gram matrix + 9r³ for the eigensolver + 2·m·n·k for
 *   the second factor, ×4 complex;
 * - Householder QR/LQ of m×n (m ≥ n): 4mn² − (4/3)n³ including forming Q, ×4 complex.
 * GFLOP/s reported by benchmarks is this count divided by wall time.
 */

/** The running count of nominal floating-point operations. */
export const flopCounter = { flops: 0 };

/** Resets the counter and returns the previous value. */
export function resetFlops(): number {
  const f = flopCounter.flops;
  flopCounter.flops = 0;
  return f;
}

/** Adds the cost of a gemm (m×k)·(k×n). `cplx` = number of complex operands (0, 1 or 2). */
export function countGemm(m: number, n: number, k: number, cplx: 0 | 1 | 2): void {
  flopCounter.flops += (cplx === 0 ? 2 : cplx === 1 ? 4 : 8) * m * n * k;
}

/** Adds the cost of a thin SVD of an m×n matrix. */
export function countSvd(m: number, n: number, complex: boolean): void {
  const a = Math.max(m, n), b = Math.min(m, n);
  flopCounter.flops += (complex ? 4 : 1) * (6 * a * b * b + 20 * b * b * b);
}

/** Adds the cost of a Gram-matrix split keeping k values. */
export function countGram(m: number, n: number, k: number, complex: boolean): void {
  const r = Math.min(m, n);
  flopCounter.flops += (complex ? 4 : 1) * (2 * m * n * r + 9 * r * r * r + 2 * m * n * k);
}

/** Adds the cost of a Householder QR/LQ of an m×n matrix. */
export function countQr(m: number, n: number, complex: boolean): void {
  const a = Math.max(m, n), b = Math.min(m, n);
  flopCounter.flops += (complex ? 4 : 1) * (4 * a * b * b - (4 / 3) * b * b * b);
}
