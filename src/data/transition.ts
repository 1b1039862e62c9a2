/**
 * Where a classifier puts a phase transition, and where a finite chain has it.
 *
 * A phase classifier evaluated along a line of parameters (e.g. h/J at fixed J) gives the
 * probability of one phase at every point; its estimated transition point is where that
 * probability crosses 1/2. {@link phaseCrossings} finds every crossing by linear interpolation
 * between neighbouring points; {@link transitionEstimate} summarises them in one number.
 *
 * The reference for a chain of n sites is its finite-size pseudo-critical point. For the open
 * transverse-field Ising chain H = −J Σ_{i<n−1} Z_i Z_{i+1} − h Σ_i X_i
 * ({@link tfimPseudoCriticalPoint}) it is the maximum over h of the ground-state "specific heat"
 * C(h) = −(h²/n)·∂²E₀/∂h², the quantum analogue of the thermal peak, which moves to the
 * critical point h = J as n → ∞ (Pfeuty, Ann. Phys. 57, 79 (1970)). E₀(h) is exact: the
 * free-fermion solution of Lieb, Schultz & Mattis (Ann. Phys. 16, 407 (1961)) gives
 * E₀ = −Σ_k Λ_k with Λ_k the singular values of the n×n bidiagonal matrix M (M_ii = h,
 * M_{i,i+1} = J), read here as the non-negative eigenvalues of the 2n×2n Golub–Kahan
 * tridiagonal matrix with zero diagonal and off-diagonal (h, J, h, J, …, h).
 */
import { tql2 } from '../../mps/kernels/tridiagonal.js';

/**
 * The points where `p` crosses `level`, by linear interpolation between neighbouring points.
 *
 * @param x - Parameter values, strictly increasing (length m ≥ 2).
 * @param p - Probability (or any score) at each x (length m), finite.
 * @param level - The level crossed (default 1/2).
 * @returns The crossing points in increasing order. A point where p equals `level` exactly
 *   counts once; a run of points on the level counts as one crossing at its middle only when
 *   p changes side across it.
 * @throws Error when the lengths differ, m < 2, x is not strictly increasing or a value is not finite.
 */
export function phaseCrossings(x: readonly number[], p: readonly number[], level = 0.5): number[] {
  if (x.length !== p.length) throw new Error(`phaseCrossings: x has ${x.length} points but p has ${p.length}`);
  if (x.length < 2) throw new Error(`phaseCrossings: need at least 2 points, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(p[i]!)) throw new Error(`phaseCrossings: point ${i} is not finite (x = ${x[i]}, p = ${p[i]})`);
    if (i > 0 && !(x[i]! > x[i - 1]!)) throw new Error(`phaseCrossings: x must be strictly increasing, got x[${i - 1}] = ${x[i - 1]} ≥ x[${i}] = ${x[i]}`);
  }
  const side = (v: number) => Math.sign(v - level);
  const out: number[] = [];
  let i = 0;
  // the side of the last point off the level, and where the current run on the level started
  let last = 0;
  let lastIdx = -1;
  while (i < x.length) {
    const s = side(p[i]!);
    if (s === 0) { i++; continue; }
    if (last !== 0 && s !== last) {
      if (lastIdx === i - 1) {
        // a plain sign change between neighbours: interpolate
        const t = (level - p[i - 1]!) / (p[i]! - p[i - 1]!);
        out.push(x[i - 1]! + t * (x[i]! - x[i - 1]!));
      } else {
        // points lay exactly on the level between lastIdx and i: the middle of that run
        out.push(0.5 * (x[lastIdx + 1]! + x[i - 1]!));
      }
    }
    last = s;
    lastIdx = i;
    i++;
  }
  return out;
}

/** A classifier's transition point along a line, from {@link phaseCrossings}. */
export interface TransitionEstimate {
  /** The estimate: the midpoint of the first and last crossing (the crossing itself when there is one); null when p never crosses. */
  point: number | null;
  /** Number of crossings: 1 for a clean step; more when the prediction flips back and forth. */
  crossings: number;
  /** Every crossing, increasing. */
  all: number[];
}

/**
 * A classifier's estimated transition point along a line of parameters: where its predicted
 * probability crosses `level`, interpolated linearly; with several crossings the midpoint of the
 * outermost two (and `crossings` says how many, so a noisy classifier is visible).
 *
 * @param x - Parameter values, strictly increasing.
 * @param p - Predicted probability of one phase at each x.
 * @param level - Decision level (default 1/2).
 * @throws Error on the inputs {@link phaseCrossings} refuses.
 */
export function transitionEstimate(x: readonly number[], p: readonly number[], level = 0.5): TransitionEstimate {
  const all = phaseCrossings(x, p, level);
  return { point: all.length ? 0.5 * (all[0]! + all[all.length - 1]!) : null, crossings: all.length, all };
}

/**
 * Exact ground-state energy E₀ of the open TFIM chain −J Σ Z_iZ_{i+1} − h Σ X_i of n sites, by
 * the free-fermion solution (see the module comment): E₀ = −½ Σ |λ| over the 2n eigenvalues λ of
 * the Golub–Kahan tridiagonal matrix, summed smallest first.
 *
 * @param n - Sites, integer ≥ 2.
 * @param J - Coupling (any finite real; the spectrum depends on |J|).
 * @param h - Transverse field (finite real).
 * @returns E₀ in units of the couplings.
 * @throws Error when n is not an integer ≥ 2 or J, h are not finite.
 */
export function tfimGroundEnergy(n: number, J: number, h: number): number {
  if (!Number.isInteger(n) || n < 2) throw new Error(`tfimGroundEnergy: n must be an integer ≥ 2, got ${n}`);
  if (!Number.isFinite(J) || !Number.isFinite(h)) throw new Error(`tfimGroundEnergy: J and h must be finite, got J = ${J}, h = ${h}`);
  const m = 2 * n;
  const d = new Float64Array(m);
  const e = new Float64Array(m);
  // interleaved basis (u_1, v_1, u_2, v_2, …): off-diagonal h, J, h, J, …, h
  for (let k = 0; k < m - 1; k++) e[k] = k % 2 === 0 ? h : J;
  tql2(m, d, e, null);
  const abs = Array.from(d, Math.abs).sort((a, b) => a - b);
  let s = 0;
  for (const v of abs) s += v;
  return -0.5 * s;
}

/**
 * The ground-state specific heat C(h) = −(h²/n)·∂²E₀/∂h² of the open TFIM chain, by a central
 * second difference of the exact E₀ with step δ = 1e-3·max(|J|, |h|, 1e-3) (truncation error
 * O(δ²), rounding error about 1e-16·n/δ²; both below 1e-6 relative for n ≤ 512).
 *
 * @throws Error on the inputs {@link tfimGroundEnergy} refuses.
 */
export function tfimSpecificHeat(n: number, J: number, h: number): number {
  const dh = 1e-3 * Math.max(Math.abs(J), Math.abs(h), 1e-3);
  const e0 = tfimGroundEnergy(n, J, h);
  const ep = tfimGroundEnergy(n, J, h + dh);
  const em = tfimGroundEnergy(n, J, h - dh);
  return (-(h * h) / n) * ((ep - 2 * e0 + em) / (dh * dh));
}

/**
 * The finite-size pseudo-critical field of the open TFIM chain of n sites at coupling J: the h > 0
 * that maximises the ground-state specific heat {@link tfimSpecificHeat} (see the module
 * comment). Found by a scan of h/|J| over [0.25, 2] in steps of 0.01 and a golden-section
 * refinement of the best bracket to 1e-7·|J|.
 *
 * @param n - Sites, integer ≥ 4.
 * @param J - Coupling, finite and non-zero.
 * @returns The pseudo-critical field (in the units of J); its ratio to |J| tends to 1 as n → ∞.
 * @throws Error when n is not an integer ≥ 4 or J is zero or not finite.
 */
export function tfimPseudoCriticalPoint(n: number, J: number): number {
  if (!Number.isInteger(n) || n < 4) throw new Error(`tfimPseudoCriticalPoint: n must be an integer ≥ 4, got ${n}`);
  if (!Number.isFinite(J) || J === 0) throw new Error(`tfimPseudoCriticalPoint: J must be finite and non-zero, got ${J}`);
  const a = Math.abs(J);
  const f = (h: number) => tfimSpecificHeat(n, a, h);
  let best = 0;
  let bestF = -Infinity;
  const step = 0.01 * a;
  for (let h = 0.25 * a; h <= 2 * a + 1e-12; h += step) {
    const v = f(h);
    if (v > bestF) { bestF = v; best = h; }
  }
  let lo = best - step;
  let hi = best + step;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  while (hi - lo > 1e-7 * a) {
    if (f1 > f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = f(x1); }
    else { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = f(x2); }
  }
  return 0.5 * (lo + hi);
}
