/**
 * Truncation options and records, shared by every split in the engine.
 *
 * Definition of `cutoff` (docs/design.md §3): for singular values s_1 ≥ s_2 ≥ … the discarded
 * weight of keeping k values is ε_k = Σ_{j>k} s_j² / Σ_j s_j². qdistill keeps the
 * **smallest** k with ε_k ≤ cutoff, then clamps k to `[minBond, maxBond]` (and to the
 * number of values available). This is a *relative* bound on the squared norm lost, whatever
 * the state's normalisation. Other MPS libraries use the same word for other tests (thresholds
 * on single singular values, absolute or relative to s_1, or bounds on √ε): translate a
 * threshold rather than copy it when comparing (docs/design.md §3).
 */

/** Options that control every SVD truncation. */
export interface TruncationOptions {
  /**
   * Largest bond dimension kept (integer ≥ 1). In resolved options `Infinity` means no cap;
   * user-facing inputs spell "no cap" by leaving `maxBond` out ({@link resolveTruncation}).
   */
  maxBond: number;
  /** Bound on the relative discarded weight ε of one truncation (≥ 0; 0 keeps every non-zero value). */
  cutoff: number;
  /** Smallest bond dimension kept, when that many values exist (integer ≥ 1). */
  minBond: number;
}

/** No truncation beyond dropping exactly-zero singular values. */
export const EXACT_TRUNCATION: Readonly<TruncationOptions> = Object.freeze({
  maxBond: Infinity,
  cutoff: 0,
  minBond: 1,
});

/** The default for circuit simulation: relative cutoff 1e-10, no bond cap (quimb-compatible). */
export const DEFAULT_TRUNCATION: Readonly<TruncationOptions> = Object.freeze({
  maxBond: Infinity,
  cutoff: 1e-10,
  minBond: 1,
});

/** The record of one truncation. */
export interface TruncationRecord {
  /** Bond index b: the bond between site b and site b+1. */
  bond: number;
  /** Number of non-zero singular values before truncation. */
  rankBefore: number;
  /** Number of singular values kept. */
  rankKept: number;
  /** Relative discarded weight ε = Σ_{discarded} s² / Σ s². */
  discardedWeight: number;
}

/** Summary of all truncations of a run (a circuit, a sweep, a DMRG run). */
export interface TruncationReport {
  /** Fidelity estimate F = Π (1 − ε) over all truncations; equals the squared norm of the unnormalised result. */
  fidelityEstimate: number;
  /** Σ ε over all truncations. */
  discardedWeight: number;
  /** Largest bond dimension reached by the state during the run. */
  bondReached: number;
  /** Number of truncations that discarded a non-zero weight. */
  truncations: number;
  /** Number of splits performed (SVDs or equivalent), whether or not they discarded anything. */
  splits: number;
  /** How many splits used each method (e.g. `{ jacobi: 10, gram: 200 }`). */
  splitMethods: Record<string, number>;
  /**
   * |‖ψ‖²/‖ψ_0‖² − F| at the end of the run: how far the squared norm drifted from the product of
   * (1 − ε). Rounding alone gives ~1e-15·(number of gates); {@link NORM_DRIFT_TOL} flags more.
   */
  normDrift: number;
  /** True when normDrift exceeded {@link NORM_DRIFT_TOL}. */
  normDriftExceeded: boolean;
}

/**
 * The worst case of several runs' truncation reports, accumulated into `into` (mutated and
 * returned): the smallest fidelity estimate, the largest discarded weight, bond reached and norm
 * drift, summed truncation and split counts (per split method), and any norm-drift flag. Used
 * to summarise trajectories or the shifted circuits of a parameter-shift gradient.
 */
export function accumulateWorstReport(into: TruncationReport, r: TruncationReport): TruncationReport {
  into.fidelityEstimate = Math.min(into.fidelityEstimate, r.fidelityEstimate);
  into.discardedWeight = Math.max(into.discardedWeight, r.discardedWeight);
  into.bondReached = Math.max(into.bondReached, r.bondReached);
  into.truncations += r.truncations;
  into.splits += r.splits;
  for (const [k, v] of Object.entries(r.splitMethods)) into.splitMethods[k] = (into.splitMethods[k] ?? 0) + v;
  into.normDrift = Math.max(into.normDrift, r.normDrift);
  into.normDriftExceeded ||= r.normDriftExceeded;
  return into;
}

/** Norm drift above this is flagged in the report (`normDriftExceeded`). */
export const NORM_DRIFT_TOL = 1e-8;

/** A fresh, empty report (F = 1). */
export function emptyReport(): TruncationReport {
  return { fidelityEstimate: 1, discardedWeight: 0, bondReached: 1, truncations: 0, splits: 0, splitMethods: {}, normDrift: 0, normDriftExceeded: false };
}

/** Adds one truncation record to a report, in place, and returns it. */
export function accumulate(report: TruncationReport, rec: TruncationRecord, method: string): TruncationReport {
  report.splits += 1;
  report.splitMethods[method] = (report.splitMethods[method] ?? 0) + 1;
  if (rec.discardedWeight > 0) {
    report.truncations += 1;
    report.discardedWeight += rec.discardedWeight;
    report.fidelityEstimate *= 1 - rec.discardedWeight;
  }
  if (rec.rankKept > report.bondReached) report.bondReached = rec.rankKept;
  return report;
}

/** Merges report `b` into a copy of report `a`. */
export function mergeReports(a: TruncationReport, b: TruncationReport): TruncationReport {
  const out: TruncationReport = {
    fidelityEstimate: a.fidelityEstimate * b.fidelityEstimate,
    discardedWeight: a.discardedWeight + b.discardedWeight,
    bondReached: Math.max(a.bondReached, b.bondReached),
    truncations: a.truncations + b.truncations,
    splits: a.splits + b.splits,
    splitMethods: { ...a.splitMethods },
    normDrift: Math.max(a.normDrift, b.normDrift),
    normDriftExceeded: a.normDriftExceeded || b.normDriftExceeded,
  };
  for (const [k, v] of Object.entries(b.splitMethods)) out.splitMethods[k] = (out.splitMethods[k] ?? 0) + v;
  return out;
}

/**
 * Validates and normalises user-supplied truncation options, filling defaults. "No bond cap"
 * is spelled by leaving `maxBond` out; the resolved options carry it as `maxBond: Infinity`
 * (which is accepted back, so resolved options can be passed again). `null`, `0` and other
 * non-integers are refused.
 * @throws Error naming the field, the value and what is allowed.
 */
export function resolveTruncation(truncation: Partial<TruncationOptions> = {}, base: Readonly<TruncationOptions> = DEFAULT_TRUNCATION): TruncationOptions {
  const known = new Set(['maxBond', 'cutoff', 'minBond']);
  for (const k of Object.keys(truncation)) {
    if (!known.has(k)) throw new Error(`unknown truncation option '${k}'; allowed: maxBond, cutoff, minBond`);
    // null (and 0 for maxBond, below) are not spellings of "default" or "no cap": leave the option out
    if ((truncation as Record<string, unknown>)[k] === null) throw new Error(`${k} must be a number, got null (leave ${k} out for the default${k === 'maxBond' ? ': no bond cap' : ''})`);
  }
  const maxBond = truncation.maxBond ?? base.maxBond;
  const cutoff = truncation.cutoff ?? base.cutoff;
  const minBond = truncation.minBond ?? base.minBond;
  if (!(maxBond === Infinity || (Number.isInteger(maxBond) && maxBond >= 1))) {
    throw new Error(`maxBond must be an integer ≥ 1, got ${maxBond} (leave maxBond out for no bond cap)`);
  }
  if (typeof cutoff !== 'number' || !Number.isFinite(cutoff) || cutoff < 0 || cutoff >= 1) {
    throw new Error(`cutoff must be a number in [0, 1), got ${cutoff}`);
  }
  if (!(Number.isInteger(minBond) && minBond >= 1)) {
    throw new Error(`minBond must be an integer ≥ 1, got ${minBond}`);
  }
  if (minBond > maxBond) throw new Error(`minBond (${minBond}) must not exceed maxBond (${maxBond})`);
  return { maxBond, cutoff, minBond };
}

/** Singular values with s² ≤ NUMERICAL_ZERO · Σ s² count as exact zeros (not part of the rank, not "discarded"). */
export const NUMERICAL_ZERO = 1e-28;

/** The decision of {@link chooseRank}. */
export interface RankChoice {
  /** Numerical rank: the number of values above {@link NUMERICAL_ZERO}·Σ s². */
  rank: number;
  /** Number of values kept, k ≥ 1. */
  kept: number;
  /** Relative discarded weight ε = Σ_{discarded} s² / Σ s². */
  discarded: number;
}

/**
 * Chooses how many of the descending singular values `s[0..r)` to keep.
 * `total` is Σ s² over **all** singular values of the matrix (it may exceed Σ_{i<r} s_i²
 * when only the leading r values were computed: pass `complete = false`). Returns the numerical rank (values above
 * {@link NUMERICAL_ZERO}), the kept count k ≥ 1 and the relative discarded weight.
 */
export function chooseRank(s: Float64Array, r: number, total: number, truncation: TruncationOptions, complete = true): RankChoice {
  if (!(total > 0)) return { rank: 0, kept: 1, discarded: 0 };
  const zero = NUMERICAL_ZERO * total;
  let rank = 0;
  while (rank < r && s[rank]! * s[rank]! > zero) rank++;
  // Tail weight beyond index k, for k = rank down to 1; start from the exact remainder.
  let head = 0;
  for (let i = 0; i < rank; i++) head += s[i]! * s[i]!;
  // With every value computed (`complete`), values past the numerical rank are zeros; with
  // only the leading r values, the rest of the weight is total − head.
  let tail = complete ? 0 : Math.max(0, total - head);
  if (tail <= 1e-15 * total) tail = 0; // rounding noise of total − head
  const budget = truncation.cutoff * total;
  let k = rank;
  while (k > 1) {
    const w = s[k - 1]! * s[k - 1]!;
    if (tail + w > budget) break;
    tail += w;
    k -= 1;
  }
  if (k > truncation.maxBond) {
    for (let i = truncation.maxBond; i < k; i++) tail += s[i]! * s[i]!;
    k = truncation.maxBond;
  }
  if (k < truncation.minBond) {
    const target = Math.min(truncation.minBond, rank);
    for (let i = k; i < target; i++) tail -= s[i]! * s[i]!;
    k = Math.max(target, 1);
    if (tail < 0) tail = 0;
  }
  if (k < 1) k = 1;
  return { rank, kept: k, discarded: tail / total };
}
