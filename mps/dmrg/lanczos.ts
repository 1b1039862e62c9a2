/**
 * Lanczos for the lowest eigenpair of a real symmetric operator given as a matvec (the DMRG
 * local solver). Full reorthogonalisation (classical Gram–Schmidt, applied twice: "twice is
 * enough", Giraud et al. 2005) keeps the Krylov basis orthonormal to machine precision, so
 * the Ritz residual estimate |β_m·y_m| is reliable. When `maxIter` vectors are not enough, the
 * method restarts explicitly from the current Ritz vector.
 *
 * Reference: C. Lanczos, J. Res. Natl. Bur. Stand. 45, 255 (1950); Golub & Van Loan,
 * Matrix Computations, §10.1.
 */
import { eighReal } from '../kernels/index.js';

/** Options of the local eigensolver. */
export interface LanczosOptions {
  /**
   * Stop when the residual ‖Hx − λx‖ ≤ tol · σ (x normalised), σ = the largest |Ritz value| of
   * the Krylov space so far (a lower estimate of ‖H‖₂ that is ≥ |λ|). Relative, so that H and
   * c·H (c > 0) take the same steps.
   */
  tol: number;
  /** Krylov vectors per restart cycle (integer ≥ 2). */
  maxIter: number;
  /** Explicit restarts after the first cycle (integer ≥ 0). */
  maxRestarts: number;
}

/** Defaults of {@link lanczosLowest}: residual 1e-10 relative to the operator's scale, 40 vectors, 8 restarts. */
export const DEFAULT_LANCZOS: Readonly<LanczosOptions> = Object.freeze({ tol: 1e-10, maxIter: 40, maxRestarts: 8 });

/** The lowest eigenpair found. */
export interface LanczosResult {
  /** Lowest Ritz value λ. */
  value: number;
  /** Its Ritz vector, normalised. */
  vector: Float64Array;
  /** Residual estimate ‖Hx − λx‖. */
  residual: number;
  /** Number of matvecs. */
  matvecs: number;
  /** True when the residual met the tolerance (or the Krylov space became invariant). */
  converged: boolean;
}

/** y ← H x (both length N; y is overwritten). */
export type MatVec = (x: Float64Array, y: Float64Array) => void;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Lowest eigenpair of the real symmetric N×N operator `matvec`, starting from `x0`
 * (a good guess, e.g. the current DMRG two-site tensor, makes it converge in a few steps).
 * A zero start vector is replaced by (1, 1, …, 1)/√N.
 */
export function lanczosLowest(matvec: MatVec, x0: Float64Array, opts: LanczosOptions = DEFAULT_LANCZOS): LanczosResult {
  const N = x0.length;
  const m = Math.max(2, Math.min(opts.maxIter, N));
  let x = x0.slice();
  let nx = Math.sqrt(dot(x, x));
  if (!(nx > 0)) { x.fill(1); nx = Math.sqrt(N); }
  for (let i = 0; i < N; i++) x[i]! /= nx;
  let matvecs = 0;
  let value = NaN, residual = Infinity, scale = 0;
  const w = new Float64Array(N);
  const coef = new Float64Array(m);
  for (let cycle = 0; cycle <= opts.maxRestarts; cycle++) {
    const V: Float64Array[] = [x];
    const alpha: number[] = [], beta: number[] = [];
    let y: Float64Array = Float64Array.of(1);
    let invariant = false;
    for (let j = 0; j < m; j++) {
      const v = V[j]!;
      matvec(v, w);
      matvecs++;
      const a = dot(v, w);
      alpha.push(a);
      // full reorthogonalisation, twice
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k <= j; k++) coef[k] = dot(V[k]!, w);
        for (let k = 0; k <= j; k++) {
          const c = coef[k]!, vk = V[k]!;
          for (let i = 0; i < N; i++) w[i]! -= c * vk[i]!;
        }
      }
      const b = Math.sqrt(dot(w, w));
      // lowest eigenpair of the (j+1)×(j+1) tridiagonal T
      const s = j + 1;
      const T = new Float64Array(s * s);
      for (let k = 0; k < s; k++) {
        T[k * s + k] = alpha[k]!;
        if (k + 1 < s) { T[k * s + k + 1] = beta[k]!; T[(k + 1) * s + k] = beta[k]!; }
      }
      const eig = eighReal(s, T);
      value = eig.w[0]!;
      y = new Float64Array(s);
      for (let k = 0; k < s; k++) y[k] = eig.V[k * s]!;
      residual = Math.abs(b * y[s - 1]!);
      // scale of the operator seen so far: the extremal Ritz values (|value| included)
      scale = Math.max(Math.abs(value), Math.abs(eig.w[s - 1]!));
      invariant = b <= 1e-14 * scale;
      if (invariant || residual <= opts.tol * scale || j === m - 1 || s === N) break;
      beta.push(b);
      const next = new Float64Array(N);
      for (let i = 0; i < N; i++) next[i] = w[i]! / b;
      V.push(next);
    }
    // Ritz vector x = V·y
    const nxt = new Float64Array(N);
    for (let k = 0; k < y.length; k++) {
      const c = y[k]!, vk = V[k]!;
      for (let i = 0; i < N; i++) nxt[i]! += c * vk[i]!;
    }
    const nn = Math.sqrt(dot(nxt, nxt));
    for (let i = 0; i < N; i++) nxt[i]! /= nn;
    x = nxt;
    if (invariant || residual <= opts.tol * scale || y.length === N) {
      return { value, vector: x, residual: invariant ? 0 : residual, matvecs, converged: true };
    }
  }
  return { value, vector: x, residual, matvecs, converged: false };
}
