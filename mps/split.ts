/**
 * The truncated split of a matrix: θ (m×n) ≈ U·diag(S)·Vh, keeping the rank chosen by
 * {@link chooseRank}. This is the only place the engine decides which SVD algorithm runs.
 *
 * Methods (recorded in the truncation report as `splitMethods`):
 * - `jacobi`: one-sided Jacobi SVD. Accurate to machine precision for every singular value;
 *   used whenever `cutoff < GRAM_MIN_CUTOFF` (including exact simulation) and for small matrices.
 * - `gram`: eigendecomposition of the smaller Gram matrix θθ† or θ†θ. About 3–6× cheaper, but
 *   singular values below ≈ 1e-7·s_max are inaccurate, so it is used only when the cutoff
 *   discards those anyway (DESIGN.md §4).
 */
import { gramSingularValues, svdComplex, svdGramTruncComplex, svdGramTruncReal, svdReal } from './kernels/index.js';
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
  /** Which algorithm ran (`jacobi→gram` when Jacobi did not converge and the Gram split took over). */
  method: 'jacobi' | 'gram' | 'jacobi→gram';
  /** True when the SVD reported convergence. */
  converged: boolean;
}

/** True when a split with small dimension r takes the Gram method under `opts`. */
function usesGram(r: number, opts: TruncationOptions): boolean {
  return opts.cutoff >= GRAM_MIN_CUTOFF && r >= GRAM_MIN_SIZE;
}

type RankChoice = { rank: number; kept: number; discarded: number };

/**
 * The rank rule of a Gram split: `pick(Sall)` gets all singular values (descending, from the
 * Gram eigenvalues) and returns the number of triplets to compute; `last()` is the
 * {@link chooseRank} result it was based on (rank before truncation, discarded weight).
 */
function gramRankRule(total: number, opts: TruncationOptions): { pick: (Sall: Float64Array) => number; last: () => RankChoice } {
  let choice: RankChoice | null = null;
  return {
    pick: (Sall) => {
      choice = chooseRank(Sall, Sall.length, total, opts, true);
      return Math.min(choice.kept, Sall.length);
    },
    last: () => choice as unknown as RankChoice,
  };
}

/** The rank rule for the fused pipelines, which pass the Gram eigenvalues and ‖θ‖². */
function fusedChooser(opts: TruncationOptions): { choose: (wDesc: Float64Array, total: number) => number; last: () => RankChoice } {
  let rule: ReturnType<typeof gramRankRule> | null = null;
  return {
    choose: (wDesc, total) => (rule = gramRankRule(total, opts)).pick(gramSingularValues(wDesc)),
    last: () => (rule as unknown as ReturnType<typeof gramRankRule>).last(),
  };
}

function frob2(a: Float64Array, b: Float64Array | null): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]! * a[i]!;
  if (b) for (let i = 0; i < b.length; i++) t += b[i]! * b[i]!;
  return t;
}

/** Copies the first k columns of an m×r row-major matrix. */
function leadingCols(src: Float64Array, m: number, r: number, k: number): Float64Array {
  if (k === r) return src;
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) out.set(src.subarray(i * r, i * r + k), i * k);
  return out;
}

/**
 * Truncated SVD of θ (m×n, row-major, split planes; `im` null for real θ).
 * Chooses the algorithm by size and cutoff, then the rank by `opts`.
 */
export function truncatedSplit(m: number, n: number, re: Float64Array, im: Float64Array | null, opts: TruncationOptions): SplitResult {
  const r = Math.min(m, n);
  const total = frob2(re, im);
  let useGram = usesGram(r, opts);
  let fellBack = false;
  const empty = new Float64Array(0);
  let Ure: Float64Array = empty, Uim: Float64Array | null = null, S: Float64Array = empty, Vhre: Float64Array = empty, Vhim: Float64Array | null = null;
  let rr = 0;
  let converged = true;
  let choice: RankChoice | null = null;
  if (!useGram) {
    // Jacobi first; if it does not converge, fall back to the Gram split (recorded as such)
    if (im === null) {
      const s = svdReal(m, n, re);
      ({ U: Ure, S, Vh: Vhre, r: rr, converged } = s);
      Uim = null; Vhim = null;
    } else {
      const s = svdComplex(m, n, re, im);
      ({ Ure, Uim, S, Vhre, Vhim, r: rr, converged } = s);
    }
    countSvd(m, n, im !== null);
    if (!converged) { useGram = true; fellBack = true; converged = true; }
  }
  if (useGram) {
    // two phases: every singular value first, the rank from them, then only k vectors
    const rule = gramRankRule(total, opts);
    if (im === null) {
      const s = svdGramTruncReal(m, n, re, rule.pick);
      ({ U: Ure, S, Vh: Vhre, r: rr } = s);
      Uim = null; Vhim = null;
    } else {
      const s = svdGramTruncComplex(m, n, re, im, rule.pick);
      ({ Ure, Uim, S, Vhre, Vhim, r: rr } = s);
    }
    countGram(m, n, rr, im !== null);
    choice = rule.last();
  }
  const { rank, kept, discarded } = choice ?? chooseRank(S, rr, total, opts, rr === r);
  const k = Math.min(kept, rr);
  return {
    k,
    Ure: leadingCols(Ure, m, rr, k),
    Uim: Uim ? leadingCols(Uim, m, rr, k) : null,
    S: S.subarray(0, k),
    Vhre: k === rr ? Vhre : Vhre.slice(0, k * n),
    Vhim: Vhim ? (k === rr ? Vhim : Vhim.slice(0, k * n)) : null,
    rankBefore: rank,
    discarded,
    total,
    method: fellBack ? 'jacobi→gram' : useGram ? 'gram' : 'jacobi',
    converged,
  };
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
 * when the fused path does not apply (TypeScript backend, Jacobi split, arena too small);
 * `theta` (θ', for {@link truncatedSplit}) when the Gram phases could not finish.
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
  const { rank, discarded } = ch.last();
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
  const { rank, discarded } = ch.last();
  return {
    status: 'split',
    split: { k: sp.k, Ure: sp.Ure, Uim: sp.Uim, S: sp.S, Vhre: sp.Vhre, Vhim: sp.Vhim, rankBefore: rank, discarded, total: f.total, method: 'gram', converged: true },
  };
}
