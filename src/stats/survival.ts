/**
 * Time-to-event statistics with right censoring: the Kaplan–Meier estimator (Kaplan & Meier
 * 1958) with Greenwood's variance, pointwise confidence bands on the log-log scale (or the log
 * scale), the median time with the Brookmeyer–Crowley confidence interval (the times where
 * the pointwise band crosses 0.5), and the log-rank test of two or more groups
 * (Mantel 1966; Peto & Peto 1972) with its chi-square p-value.
 *
 * Normal and chi-square distributions come from stdlib
 * (`@stdlib/stats-base-dists-normal-quantile`, `@stdlib/stats-base-dists-chisquare-cdf`);
 * the log-rank quadratic form is solved with ml-matrix.
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { Matrix, pseudoInverse } from 'ml-matrix';

/** 0.5 with room for the rounding of the product-limit (e.g. (3/4)(2/3) = 0.5000000000000001). */
const HALF = 0.5 + 1e-12;

/** One observed time: the event happened at `time` (`event` true) or the observation was censored there. */
export interface Observation {
  time: number;
  event: boolean;
}

/** One row of a Kaplan–Meier table: a distinct time at which an event or a censoring happened. */
export interface KmStep {
  time: number;
  /** Number at risk just before `time` (censored at `time` count as at risk). */
  atRisk: number;
  events: number;
  censored: number;
  /** S(time): the estimated probability that the event has not happened by `time` (inclusive). */
  survival: number;
  /** Greenwood standard error of S(time); null where undefined (S = 0). */
  se: number | null;
  /** Pointwise lower / upper confidence limits of S(time). */
  lower: number;
  upper: number;
}

/** Scale of the pointwise bands: log(−log S) (Kalbfleisch–Prentice) or log S (R's default). */
export type KmTransform = 'log-log' | 'log';

/** A Kaplan–Meier fit. */
export interface KaplanMeier {
  n: number;
  events: number;
  /** Level of the bands and of the median's interval (e.g. 0.95). */
  level: number;
  transform: KmTransform;
  steps: KmStep[];
  /** Median time: the first event time with S ≤ 0.5 (up to 1e-12 of rounding); null when the curve stays above 0.5. */
  median: number | null;
  /**
   * Brookmeyer–Crowley interval of the median: the first time the lower band reaches ≤ 0.5 and
   * the first time the upper band does; null for a limit never reached (open interval).
   */
  medianCi: [number | null, number | null];
}

function checkObs(obs: readonly Observation[], what: string): void {
  obs.forEach((o, i) => {
    if (!Number.isFinite(o.time) || o.time < 0) throw new RangeError(`${what}: observation ${i} has time ${o.time}; times must be finite and ≥ 0`);
    if (typeof o.event !== 'boolean') throw new RangeError(`${what}: observation ${i} has event ${String(o.event)}; must be true (event) or false (censored)`);
  });
}

/**
 * Kaplan–Meier estimate of S(t) = P(T > t) from right-censored observations:
 * S(t) = Π_{t_i ≤ t} (1 − d_i/n_i) over distinct event times t_i with d_i events among n_i at
 * risk (a censoring at t_i counts as at risk at t_i). Greenwood: Var S = S² Σ d_i/(n_i(n_i − d_i)).
 * Bands at `level` (default 0.95), z = Φ⁻¹((1 + level)/2): log-log (default)
 * S^{exp(±z·σ/log S)} with σ² = Σ d_i/(n_i(n_i − d_i)); log: S·exp(∓z·σ) capped at 1. Where
 * S = 1 the band is [1, 1]; where S = 0 it is [0, 0].
 * @throws RangeError when a time is negative or not finite, or level is outside (0, 1).
 */
export function kaplanMeier(obs: readonly Observation[], opts: { level?: number; transform?: KmTransform } = {}): KaplanMeier {
  checkObs(obs, 'kaplanMeier');
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`kaplanMeier: level must be in (0, 1), got ${level}`);
  const transform = opts.transform ?? 'log-log';
  const z = normalQuantile((1 + level) / 2, 0, 1);
  const times = [...new Set(obs.map((o) => o.time))].sort((x, y) => x - y);
  let atRisk = obs.length;
  let s = 1;
  let g = 0; // Greenwood sum Σ d/(n(n−d))
  const steps: KmStep[] = [];
  for (const time of times) {
    const here = obs.filter((o) => o.time === time);
    const events = here.filter((o) => o.event).length;
    const censored = here.length - events;
    if (events > 0) {
      s *= 1 - events / atRisk;
      g = atRisk - events > 0 ? g + events / (atRisk * (atRisk - events)) : Infinity;
    }
    let lower = s, upper = s;
    let se: number | null = s > 0 ? s * Math.sqrt(g) : null;
    if (s > 0 && s < 1) {
      const sigma = Math.sqrt(g);
      if (transform === 'log-log') {
        const w = (z * sigma) / Math.log(s); // negative
        lower = s ** Math.exp(-w);
        upper = s ** Math.exp(w);
      } else {
        lower = s * Math.exp(-z * sigma);
        upper = Math.min(1, s * Math.exp(z * sigma));
      }
    }
    if (s === 0) se = null;
    steps.push({ time, atRisk, events, censored, survival: s, se, lower, upper });
    atRisk -= here.length;
  }
  const first = (f: (st: KmStep) => boolean): number | null => steps.find((st) => st.events > 0 && f(st))?.time ?? null;
  return {
    n: obs.length, events: obs.filter((o) => o.event).length, level, transform, steps,
    median: first((st) => st.survival <= HALF),
    medianCi: [first((st) => st.lower <= HALF), first((st) => st.upper <= HALF)],
  };
}

/** The log-rank test of two or more groups. */
export interface LogRank {
  /** Observed events per group. */
  observed: number[];
  /** Expected events per group under equal hazards. */
  expected: number[];
  /** The chi-square statistic (O − E)ᵀ V⁻ (O − E) over the first K − 1 groups. */
  chiSquare: number;
  /** Degrees of freedom: the rank of V (K − 1 when every group has someone at risk at some event). */
  df: number;
  /** Upper-tail chi-square p-value; null when df = 0 (no event, or one group). */
  p: number | null;
}

/**
 * Log-rank test that K ≥ 2 groups share one survival function. At each distinct event time with
 * n at risk and d events in all, group j (n_j at risk) expects d·n_j/n events; the covariance of
 * the observed counts is V_jk = Σ d (n − d)/(n − 1) · (n_j/n)(δ_jk − n_k/n). The statistic is
 * (O − E)ᵀ V⁻ (O − E) over the first K − 1 groups (V⁻ a generalised inverse, as in R's
 * `survdiff`), chi-square with rank(V) degrees of freedom.
 * @throws RangeError with fewer than two groups, an empty group, or an invalid observation.
 */
export function logRank(groups: readonly (readonly Observation[])[]): LogRank {
  const K = groups.length;
  if (K < 2) throw new RangeError(`logRank: needs at least 2 groups, got ${K}`);
  groups.forEach((g, j) => {
    if (g.length === 0) throw new RangeError(`logRank: group ${j} is empty; every group needs at least one observation`);
    checkObs(g, `logRank group ${j}`);
  });
  const all = groups.flatMap((g, j) => g.map((o) => ({ ...o, j })));
  const times = [...new Set(all.filter((o) => o.event).map((o) => o.time))].sort((x, y) => x - y);
  const observed = new Array<number>(K).fill(0);
  const expected = new Array<number>(K).fill(0);
  const V = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (const t of times) {
    const nj = groups.map((g) => g.filter((o) => o.time >= t).length);
    const dj = groups.map((g) => g.filter((o) => o.time === t && o.event).length);
    const n = nj.reduce((a, b) => a + b, 0);
    const d = dj.reduce((a, b) => a + b, 0);
    for (let j = 0; j < K; j++) {
      observed[j]! += dj[j]!;
      expected[j]! += (d * nj[j]!) / n;
      if (n > 1) for (let k = 0; k < K; k++) V[j]![k]! += ((d * (n - d)) / (n - 1)) * (nj[j]! / n) * ((j === k ? 1 : 0) - nj[k]! / n);
    }
  }
  const m = K - 1;
  const oe = Matrix.columnVector(observed.slice(0, m).map((o, j) => o - expected[j]!));
  const Vm = new Matrix(V.slice(0, m).map((row) => row.slice(0, m)));
  const scale = Math.max(1e-300, ...Vm.diag().map(Math.abs));
  const pinv = pseudoInverse(Vm, 1e-10 * scale);
  const chiSquare = Math.max(0, oe.transpose().mmul(pinv).mmul(oe).get(0, 0));
  const df = matrixRank(Vm, 1e-10 * scale);
  return { observed, expected, chiSquare, df, p: df > 0 ? 1 - chisquareCdf(chiSquare, df) : null };
}

/** Rank of a symmetric matrix: its eigenvalues (singular values) above `tol`. */
function matrixRank(A: Matrix, tol: number): number {
  if (A.rows === 0) return 0;
  const s = pseudoInverse(A, tol);
  // A·A⁺ is the projector onto the range of A: its trace is the rank
  return Math.round(A.mmul(s).trace());
}
