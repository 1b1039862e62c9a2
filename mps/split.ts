/**
 * The truncated split of a matrix: θ (m×n) ≈ U·diag(S)·Vh, keeping the rank chosen by
 * {@link chooseRank}. This is the only place the engine decides which SVD algorithm runs.
 *
 * Methods (recorded in the truncation report as `splitMethods`):
 * - `jacobi`: one-sided Jacobi SVD. Accurate to machine precision for every singular value;
 *   used whenever `cutoff < GRAM_MIN_CUTOFF` (including exact simulation) and for matrices with min(m, n) < GRAM_MIN_SIZE.
 * - `gram`: eigendecomposition of the smaller Gram matrix θθ† or θ†θ. About 3–6× cheaper, but
 *   singular values below ≈ 1e-7·s_max are inaccurate, so it is used only when the cutoff
 *   discards those anyway (docs/design.md §4).
 */
import { svdComplex, svdGramTruncComplex, svdGramTruncReal, svdReal } from './kernels/index.js';
import { JACOBI_SETTINGS } from './kernels/svd.js';
import { pow2Exponent, SAFE_NORM2_HI, SAFE_NORM2_LO, scaledPow2, sumSquares, timesPow2 } from './kernels/scale.js';
import { kernels, type Planes } from './kernels/registry.js';
import { countGram, countSvd } from './flops.js';
import { chooseRank, type RankChoice, type TruncationOptions } from './truncation.js';

/** Smallest cutoff for which the Gram-matrix split is accurate enough. */
export const GRAM_MIN_CUTOFF = 1e-12;
/**
 * Matrices with min(m, n) below this always use Jacobi. Below 4 a Jacobi SVD is a handful of
 * rotations; from 4 up the (fused, WebAssembly) Gram split is cheaper per call. It was 16 when
 * the Gram split had no fused kernel; at 4 the E1 teacher's training batches (bond 6–12, where
 * every split was a Jacobi SVD) take 0.56× the time (bench/train.ts against the build with 16).
 */
export const GRAM_MIN_SIZE = 4;

/** Result of a truncated split. Planes `*im` are null when θ was real. */
export interface SplitResult {
  /** Kept rank k. */
  k: number;
  /** U: m×k, row-major. */
  Ure: Float64Array;
  Uim: Float64Array | null;
  /** Singular values, k, descending. */
  S: Float64Array;
  /** Vh: k×n, row-major. */
  Vhre: Float64Array;
  Vhim: Float64Array | null;
  /** Numerical rank before truncation. */
  rankBefore: number;
  /** Relative discarded weight ε. */
  discarded: number;
  /** Σ s² over all singular values (= ‖θ‖_F²). */
  total: number;
  /**
   * Which algorithms ran, in order: `jacobi`, `gram`, or a chain such as `jacobi→gram` when
   * an attempt failed its checks and the next took over (`jacobi*`: Jacobi with a raised
   * sweep limit). The last one produced the result.
   */
  method: string;
  /** True when the first method's result passed its checks (false after any fallback). */
  converged: boolean;
}

/** True when a split with small dimension r takes the Gram method under `truncation`. */
function usesGram(r: number, truncation: TruncationOptions): boolean {
  return truncation.cutoff >= GRAM_MIN_CUTOFF && r >= GRAM_MIN_SIZE;
}

/**
 * Relative tolerance of the norm identity every split must satisfy before it is used:
 * |Σ_kept s² + ε·‖θ‖² − ‖θ‖²| ≤ SPLIT_NORM_TOL·‖θ‖², with the kept s computed from the
 * factors (Jacobi row norms, Gram Rayleigh quotients) and ε the discarded weight the rank
 * rule reported. Rounding gives ~1e-14 (p·ε for p ≤ 1024); a wrong singular vector breaks
 * it by the weight of its value.
 */
export const SPLIT_NORM_TOL = 1e-10;

/** Sweep limit of the last Jacobi attempt: this multiple of the usual limit, and at least {@link RESCUE_MIN_SWEEPS}. */
const RESCUE_SWEEPS = 4;
/** Smallest sweep limit of the last Jacobi attempt. */
const RESCUE_MIN_SWEEPS = 240;

/**
 * The rank rule of a Gram split of θ with ‖θ‖² = `total`: {@link chooseRank} on all the
 * singular values (descending, from the Gram eigenvalues). The kernel returns this decision
 * with the spectrum it was made on.
 */
function gramRankRule(total: number, truncation: TruncationOptions): (S: Float64Array) => RankChoice {
  return (S) => chooseRank(S, S.length, total, truncation, true);
}

/** A decision that keeps nothing: the kernel then hands θ back (see {@link twoSiteRankRule}). */
const NO_RANK: RankChoice = Object.freeze({ rank: 0, kept: 0, discarded: 0 });

/**
 * The rank rule of the fused two-site update, which learns ‖θ'‖² from the kernel. A ‖θ'‖²
 * outside the range where no scaling is needed keeps nothing, so that the kernel hands θ'
 * back to {@link truncatedSplit} (which scales it).
 */
function twoSiteRankRule(truncation: TruncationOptions): (S: Float64Array, total: number) => RankChoice {
  return (S, total) => (total >= SAFE_NORM2_LO && total <= SAFE_NORM2_HI ? chooseRank(S, S.length, total, truncation, true) : NO_RANK);
}

/**
 * Why a candidate split fails the checks, or null when it passes: every value finite, and the
 * norm identity of {@link SPLIT_NORM_TOL} with the kept values `S` (from the factors) and the
 * discarded weight of the rank rule; for the Gram method also Σ s² over the eigenvalue-based
 * values `Sall` against ‖θ‖².
 */
function splitDefect(S: Float64Array, k: number, discarded: number, total: number, Sall: Float64Array | null): string | null {
  let kept = 0;
  for (let i = 0; i < k; i++) kept += S[i]! * S[i]!;
  const tol = SPLIT_NORM_TOL * total;
  const fmt = (x: number) => x.toExponential(6);
  if (!Number.isFinite(kept) || !Number.isFinite(discarded)) return 'non-finite singular values';
  if (!(Math.abs(kept + discarded * total - total) <= tol)) return `Σ s² = ${fmt(kept + discarded * total)} but ‖θ‖² = ${fmt(total)}`;
  if (Sall !== null) {
    let all = 0;
    for (let i = 0; i < Sall.length; i++) all += Sall[i]! * Sall[i]!;
    if (!(Math.abs(all - total) <= tol)) return `Σ λ = ${fmt(all)} but ‖θ‖² = ${fmt(total)}`;
  }
  return null;
}

/** Copies the first k columns of an m×r row-major matrix. */
function leadingCols(src: Float64Array, m: number, r: number, k: number): Float64Array {
  if (k === r) return src;
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) out.set(src.subarray(i * r, i * r + k), i * k);
  return out;
}

/** One attempt of {@link truncatedSplit}: the factors, truncated to k, or why it failed. */
type Attempt = { ok: true; split: Omit<SplitResult, 'method' | 'total'> } | { ok: false; why: string };

/** Jacobi attempt: every singular value, then the rank rule, then the checks. */
function jacobiAttempt(m: number, n: number, re: Float64Array, im: Float64Array | null, total: number, truncation: TruncationOptions, maxSweeps: number): Attempt {
  const s = im === null ? svdReal(m, n, re, { maxSweeps }) : svdComplex(m, n, re, im, { maxSweeps });
  countSvd(m, n, im !== null);
  if (!s.converged) return { ok: false, why: `not converged after ${s.sweeps} sweeps` };
  const rr = s.r;
  const { rank, kept, discarded } = chooseRank(s.S, rr, total, truncation, true);
  const k = Math.min(kept, rr);
  const defect = splitDefect(s.S, rr, 0, total, null) ?? splitDefect(s.S, k, discarded, total, null);
  if (defect !== null) return { ok: false, why: defect };
  const [Ure, Uim, Vhre, Vhim] = 'U' in s ? [s.U, null, s.Vh, null] : [s.Ure, s.Uim, s.Vhre, s.Vhim];
  return {
    ok: true,
    split: {
      k,
      Ure: leadingCols(Ure, m, rr, k),
      Uim: Uim ? leadingCols(Uim, m, rr, k) : null,
      S: s.S.subarray(0, k),
      Vhre: k === rr ? Vhre : Vhre.slice(0, k * n),
      Vhim: Vhim ? (k === rr ? Vhim : Vhim.slice(0, k * n)) : null,
      rankBefore: rank,
      discarded,
      converged: true,
    },
  };
}

/** Gram attempt: all values from the Gram eigenvalues, the rank from them, k vectors, the checks. */
function gramAttempt(m: number, n: number, re: Float64Array, im: Float64Array | null, total: number, truncation: TruncationOptions): Attempt {
  const rule = gramRankRule(total, truncation);
  const s = im === null ? svdGramTruncReal(m, n, re, rule) : svdGramTruncComplex(m, n, re, im, rule);
  countGram(m, n, s.r, im !== null);
  const { rank, discarded } = s.decision;
  const defect = splitDefect(s.S, s.r, discarded, total, s.Sall);
  if (defect !== null) return { ok: false, why: defect };
  const [Ure, Uim, Vhre, Vhim] = 'U' in s ? [s.U, null, s.Vh, null] : [s.Ure, s.Uim, s.Vhre, s.Vhim];
  return { ok: true, split: { k: s.r, Ure, Uim, S: s.S, Vhre, Vhim, rankBefore: rank, discarded, converged: true } };
}

/**
 * Truncated SVD of θ (m×n, row-major, split planes; `im` null for real θ).
 * Chooses the algorithm by size and cutoff, then the rank by `truncation`.
 *
 * Every candidate factorisation is checked (converged, finite, and the norm identity of
 * {@link SPLIT_NORM_TOL}) before it is used; a failed one escalates: Jacobi → Gram → Jacobi
 * with a raised sweep limit ({@link RESCUE_SWEEPS}× the usual, at least 240), or Gram → Jacobi
 * → that rescue Jacobi. The chain that ran is the `method` (`jacobi→gram`, `gram→jacobi`, …).
 * θ whose ‖θ‖² is outside
 * [2^−200, 2^200] (entries near 1e±300) is split after an exact power-of-two scaling
 * (mps/kernels/scale.ts); S and `total` are scaled back.
 * @throws Error naming the matrix size and each method's failure when every attempt fails.
 */
export function truncatedSplit(m: number, n: number, re: Float64Array, im: Float64Array | null, truncation: TruncationOptions): SplitResult {
  const r = Math.min(m, n);
  let total = sumSquares(re, im);
  const e = pow2Exponent(re, im, total);
  if (e !== 0) {
    re = scaledPow2(re, -e);
    im = im === null ? null : scaledPow2(im, -e);
    total = sumSquares(re, im);
  }
  const jacobi = (sweeps: number) => () => jacobiAttempt(m, n, re, im, total, truncation, sweeps);
  const gram = () => gramAttempt(m, n, re, im, total, truncation);
  const rescue = jacobi(Math.max(RESCUE_SWEEPS * JACOBI_SETTINGS.maxSweeps, RESCUE_MIN_SWEEPS));
  const ladder: [string, () => Attempt][] = usesGram(r, truncation)
    ? [['gram', gram], ['jacobi', jacobi(JACOBI_SETTINGS.maxSweeps)], ['jacobi*', rescue]]
    : [['jacobi', jacobi(JACOBI_SETTINGS.maxSweeps)], ['gram', gram], ['jacobi*', rescue]];
  const tried: string[] = [];
  const failures: string[] = [];
  for (const [name, run] of ladder) {
    tried.push(name);
    const a = run();
    if (!a.ok) {
      failures.push(`${name}: ${a.why}`);
      continue;
    }
    const sp = a.split;
    return {
      ...sp,
      S: e === 0 ? sp.S : sp.S.map((x) => timesPow2(x, e)),
      total: e === 0 ? total : timesPow2(total, 2 * e),
      method: tried.join('→') as SplitResult['method'],
      converged: sp.converged && tried.length === 1,
    };
  }
  throw new Error(`the SVD of a ${m}×${n} ${im === null ? 'real' : 'complex'} matrix failed every method (${failures.join('; ')})`);
}

/** Outcome of {@link twoSiteSplit}. */
export type TwoSiteSplit =
  | { status: 'split'; split: SplitResult }
  | { status: 'nonfinite' }
  | { status: 'theta'; re: Float64Array; im: Float64Array | null };

/**
 * The two-site update at the centre: θ = A·B (A: (dl·2)×c, B: c×(2·dr), legs vL p1 [c] and
 * [c] p2 vR, split planes), θ' = G·θ with the 4×4 gate G (basis 2·b(i) + b(i+1)), and, when
 * the split would take the Gram method and the kernel backend has a fused path, the truncated
 * Gram split of θ' with S folded into Vh (`absorb` 1) or U (2): `split`, bit-identical to
 * building θ' and calling {@link truncatedSplit}, then scaling. Its truncation record comes
 * from the rank decision and the full spectrum the kernel returns, and it passes the checks of
 * {@link truncatedSplit}; otherwise the result is `theta` (θ', for {@link truncatedSplit},
 * which escalates), or `nonfinite` when θ' has a NaN or infinite entry.
 */
export function twoSiteSplit(dl: number, c: number, dr: number, A: Planes, B: Planes, gate: Planes, truncation: TruncationOptions, absorb: 1 | 2): TwoSiteSplit {
  const m = dl * 2, n = 2 * dr;
  const ks = kernels();
  const f = ks.twoSiteUpdate(dl, c, dr, A, B, gate, absorb, usesGram(Math.min(m, n), truncation) ? twoSiteRankRule(truncation) : null);
  if (f.status === 'nonfinite') return f;
  if (f.status === 'theta') return { status: 'theta', re: f.theta.re, im: f.theta.im };
  const complex = f.U.im !== null;
  countGram(m, n, f.k, complex);
  const { rank, discarded } = f.decision;
  if (splitDefect(f.S, f.k, discarded, f.total, f.spectrum) === null) {
    return {
      status: 'split',
      split: { k: f.k, Ure: f.U.re, Uim: f.U.im, S: f.S, Vhre: f.Vh.re, Vhim: f.Vh.im, rankBefore: rank, discarded, total: f.total, method: 'gram', converged: true },
    };
  }
  // a result that fails the checks of truncatedSplit goes back to it: θ' rebuilt in
  // TypeScript (bit-identically) and split with the fallbacks
  const t = ks.twoSiteTheta(dl, c, dr, A, B, gate);
  return t.status === 'nonfinite' ? t : { status: 'theta', re: t.theta.re, im: t.theta.im };
}
