/**
 * The truncated split of a matrix: θ (m×n) ≈ U·diag(S)·Vh, keeping the rank chosen by
 * {@link chooseRank}. This is the only place the engine decides which SVD algorithm runs.
 *
 * Methods (recorded in the truncation report as `splitMethods`):
 * - `jacobi`: one-sided Jacobi SVD. Accurate to machine precision for every singular value;
 *   used whenever `cutoff < GRAM_MIN_CUTOFF` (including exact simulation) and for small matrices.
 * - `gram`: eigendecomposition of the smaller Gram matrix θθ† or θ†θ. About 3–6× cheaper, but
 *   singular values below ≈ 1e-7·s_max are inaccurate, so it is used only when the cutoff
 *   discards those anyway (docs/design.md §4).
 */
import { gramSingularValues, svdComplex, svdGramTruncComplex, svdGramTruncReal, svdReal } from './kernels/index.js';
import { JACOBI_SETTINGS } from './kernels/svd.js';
import { pow2Exponent, SAFE_NORM2_HI, SAFE_NORM2_LO, scaledPow2, sumSquares, timesPow2 } from './kernels/scale.js';
import { wasmTwoSiteGramComplex, wasmTwoSiteGramReal } from './kernels/wasm-fused.js';
import { countGram, countSvd } from './flops.js';
import { chooseRank, type TruncationOptions } from './truncation.js';

/** Smallest cutoff for which the Gram-matrix split is accurate enough. */
export const GRAM_MIN_CUTOFF = 1e-12;
/** Matrices with min(m, n) below this always use Jacobi (it is fast there). */
export const GRAM_MIN_SIZE = 16;

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

/** True when a split with small dimension r takes the Gram method under `opts`. */
function usesGram(r: number, opts: TruncationOptions): boolean {
  return opts.cutoff >= GRAM_MIN_CUTOFF && r >= GRAM_MIN_SIZE;
}

type RankChoice = { rank: number; kept: number; discarded: number };

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
 * The rank rule of a Gram split: `pick(Sall)` gets all singular values (descending, from the
 * Gram eigenvalues) and returns the number of triplets to compute; `last()` is the
 * {@link chooseRank} result it was based on (rank before truncation, discarded weight) and
 * the values it saw.
 */
function gramRankRule(total: number, opts: TruncationOptions): { pick: (Sall: Float64Array) => number; last: () => RankChoice & { Sall: Float64Array } } {
  let choice: (RankChoice & { Sall: Float64Array }) | null = null;
  return {
    pick: (Sall) => {
      choice = { ...chooseRank(Sall, Sall.length, total, opts, true), Sall };
      return Math.min(choice.kept, Sall.length);
    },
    last: () => choice as unknown as RankChoice & { Sall: Float64Array },
  };
}

/**
 * The rank rule for the fused pipelines, which pass the Gram eigenvalues and ‖θ‖². A ‖θ‖²
 * outside the range where no scaling is needed makes it return 0, so that the pipeline hands
 * θ back to {@link truncatedSplit} (which scales it).
 */
function fusedChooser(opts: TruncationOptions): { choose: (wDesc: Float64Array, total: number) => number; last: () => RankChoice & { Sall: Float64Array } } {
  let rule: ReturnType<typeof gramRankRule> | null = null;
  return {
    choose: (wDesc, total) => {
      if (!(total >= SAFE_NORM2_LO && total <= SAFE_NORM2_HI)) return 0;
      return (rule = gramRankRule(total, opts)).pick(gramSingularValues(wDesc));
    },
    last: () => (rule as unknown as ReturnType<typeof gramRankRule>).last(),
  };
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
function jacobiAttempt(m: number, n: number, re: Float64Array, im: Float64Array | null, total: number, opts: TruncationOptions, maxSweeps: number): Attempt {
  const s = im === null ? svdReal(m, n, re, { maxSweeps }) : svdComplex(m, n, re, im, { maxSweeps });
  countSvd(m, n, im !== null);
  if (!s.converged) return { ok: false, why: `not converged after ${s.sweeps} sweeps` };
  const rr = s.r;
  const { rank, kept, discarded } = chooseRank(s.S, rr, total, opts, true);
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
function gramAttempt(m: number, n: number, re: Float64Array, im: Float64Array | null, total: number, opts: TruncationOptions): Attempt {
  const rule = gramRankRule(total, opts);
  const s = im === null ? svdGramTruncReal(m, n, re, rule.pick) : svdGramTruncComplex(m, n, re, im, rule.pick);
  countGram(m, n, s.r, im !== null);
  const { rank, discarded, Sall } = rule.last();
  const defect = splitDefect(s.S, s.r, discarded, total, Sall);
  if (defect !== null) return { ok: false, why: defect };
  const [Ure, Uim, Vhre, Vhim] = 'U' in s ? [s.U, null, s.Vh, null] : [s.Ure, s.Uim, s.Vhre, s.Vhim];
  return { ok: true, split: { k: s.r, Ure, Uim, S: s.S, Vhre, Vhim, rankBefore: rank, discarded, converged: true } };
}

/**
 * Truncated SVD of θ (m×n, row-major, split planes; `im` null for real θ).
 * Chooses the algorithm by size and cutoff, then the rank by `opts`.
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
export function truncatedSplit(m: number, n: number, re: Float64Array, im: Float64Array | null, opts: TruncationOptions): SplitResult {
  const r = Math.min(m, n);
  let total = sumSquares(re, im);
  const e = pow2Exponent(re, im, total);
  if (e !== 0) {
    re = scaledPow2(re, -e);
    im = im === null ? null : scaledPow2(im, -e);
    total = sumSquares(re, im);
  }
  const jacobi = (sweeps: number) => () => jacobiAttempt(m, n, re, im, total, opts, sweeps);
  const gram = () => gramAttempt(m, n, re, im, total, opts);
  const rescue = jacobi(Math.max(RESCUE_SWEEPS * JACOBI_SETTINGS.maxSweeps, RESCUE_MIN_SWEEPS));
  const ladder: [string, () => Attempt][] = usesGram(r, opts)
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

/** Outcome of {@link twoSiteSplitReal} / {@link twoSiteSplitComplex}. */
export type TwoSiteSplit =
  | { status: 'split'; split: SplitResult }
  | { status: 'nonfinite' }
  | { status: 'theta'; re: Float64Array; im: Float64Array | null };


/**
 * The fused real two-site update (WebAssembly): θ = A·B (A: (dl·2)×c, B: c×(2·dr)), θ' =
 * G·θ with the real 4×4 gate G, and the truncated Gram split of θ' with S folded into Vh
 * (`absorb` 1) or U (2). Bit-identical to building θ' in TypeScript and calling
 * {@link truncatedSplit} (which would take the Gram method here), then scaling. Returns null
 * when the fused path does not apply (TypeScript backend, Jacobi split, arena too small) or
 * its result fails the checks of {@link truncatedSplit} (the caller then rebuilds θ' and
 * calls it, which escalates to Jacobi);
 * `theta` (θ', for {@link truncatedSplit}) when the Gram phases could not finish or ‖θ'‖² needs
 * scaling.
 */
export function twoSiteSplitReal(dl: number, c: number, dr: number, A: Float64Array, B: Float64Array, gate: Float64Array, opts: TruncationOptions, absorb: 1 | 2): TwoSiteSplit | null {
  const m = dl * 2, n = 2 * dr;
  if (!usesGram(Math.min(m, n), opts)) return null;
  const ch = fusedChooser(opts);
  const f = wasmTwoSiteGramReal(dl, c, dr, A, B, gate, absorb, ch.choose);
  if (f === null) return null;
  if (f.status === 'nonfinite') return f;
  if (f.status === 'fallback') return { status: 'theta', re: f.theta, im: null };
  const { U, S, Vh, k } = f.split;
  countGram(m, n, k, false);
  const { rank, discarded, Sall } = ch.last();
  // a result that fails the checks of truncatedSplit goes back to it (null: θ is rebuilt in
  // TypeScript, bit-identically, and split with the fallbacks)
  if (splitDefect(S, k, discarded, f.total, Sall) !== null) return null;
  return {
    status: 'split',
    split: { k, Ure: U, Uim: null, S, Vhre: Vh, Vhim: null, rankBefore: rank, discarded, total: f.total, method: 'gram', converged: true },
  };
}

/**
 * Complex twin of {@link twoSiteSplitReal}: complex sites A, B (split planes, both planes
 * present) and a gate (gre, gim; gim null for a real gate).
 */
export function twoSiteSplitComplex(dl: number, c: number, dr: number, Are: Float64Array, Aim: Float64Array, Bre: Float64Array, Bim: Float64Array, gre: Float64Array, gim: Float64Array | null, opts: TruncationOptions, absorb: 1 | 2): TwoSiteSplit | null {
  const m = dl * 2, n = 2 * dr;
  if (!usesGram(Math.min(m, n), opts)) return null;
  const ch = fusedChooser(opts);
  const f = wasmTwoSiteGramComplex(dl, c, dr, Are, Aim, Bre, Bim, gre, gim, absorb, ch.choose);
  if (f === null) return null;
  if (f.status === 'nonfinite') return f;
  if (f.status === 'fallback') return { status: 'theta', re: f.re, im: f.im };
  const sp = f.split;
  countGram(m, n, sp.k, true);
  const { rank, discarded, Sall } = ch.last();
  if (splitDefect(sp.S, sp.k, discarded, f.total, Sall) !== null) return null;
  return {
    status: 'split',
    split: { k: sp.k, Ure: sp.Ure, Uim: sp.Uim, S: sp.S, Vhre: sp.Vhre, Vhim: sp.Vhim, rankBefore: rank, discarded, total: f.total, method: 'gram', converged: true },
  };
}
