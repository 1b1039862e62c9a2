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

/** ‖x‖₂ without under- or overflow of the squares (rescaled by max|x| when Σx² leaves the safe range). */
function safeNorm(x: Float64Array): number {
  const s = dot(x, x);
  if (s > 1e-280 && s < 1e280) return Math.sqrt(s);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  if (!(m > 0) || !Number.isFinite(m)) return Math.sqrt(s);
  let t = 0;
  for (let i = 0; i < x.length; i++) { const y = x[i]! / m; t += y * y; }
  return m * Math.sqrt(t);
}

/** Two factors whose product is 2^k (|k| ≤ 2100), each representable. */
function pow2(k: number): [number, number] {
  const a = Math.trunc(k / 2);
  return [2 ** a, 2 ** (k - a)];
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
  let nx = safeNorm(x);
  if (!(nx > 0) || !Number.isFinite(nx)) { x.fill(1); nx = Math.sqrt(N); }
  for (let i = 0; i < N; i++) x[i]! /= nx;
  // An operator far from unit scale (‖Hx‖ outside 2^±256) is applied as H/2^ks (exact), so
  // that the squares in the norms and the tridiagonal problem stay in range; value and
  // residual are scaled back at the end. DMRG passes a normalised H, where ks stays 0.
  let ks = 0, f1 = 1, f2 = 1;
  const apply = (v: Float64Array, out: Float64Array) => {
    matvec(v, out);
    if (ks !== 0) for (let i = 0; i < N; i++) out[i] = out[i]! * f1 * f2;
  };
  let matvecs = 0;
  let value = NaN, residual = Infinity, scale = 0;
  const unscale = (v: number) => { if (ks === 0) return v; const [a, b] = pow2(ks); return v * a * b; };
  const w = new Float64Array(N);
  const coef = new Float64Array(m);
  for (let cycle = 0; cycle <= opts.maxRestarts; cycle++) {
    const V: Float64Array[] = [x];
    const alpha: number[] = [], beta: number[] = [];
    let y: Float64Array = Float64Array.of(1);
    let invariant = false;
    for (let j = 0; j < m; j++) {
      const v = V[j]!;
      apply(v, w);
      matvecs++;
      if (matvecs === 1) {
        const sigma = safeNorm(w);
        const k = sigma > 0 && Number.isFinite(sigma) ? Math.floor(Math.log2(sigma)) : 0;
        if (Math.abs(k) > 256) {
          ks = k;
          [f1, f2] = pow2(-k);
          for (let i = 0; i < N; i++) w[i] = w[i]! * f1 * f2;
        }
      }
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
      const b = safeNorm(w);
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
    const nn = safeNorm(nxt);
    for (let i = 0; i < N; i++) nxt[i]! /= nn;
    x = nxt;
    if (invariant || residual <= opts.tol * scale || y.length === N) {
      return { value: unscale(value), vector: x, residual: invariant ? 0 : unscale(residual), matvecs, converged: true };
    }
  }
  return { value: unscale(value), vector: x, residual: unscale(residual), matvecs, converged: false };
}
