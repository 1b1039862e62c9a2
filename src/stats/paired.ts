/**
 * Paired comparisons by seed: two methods run under the same seeds give one difference per
 * seed; this module summarises those differences the way a referee expects — mean difference
 * with a Student-t 95% confidence interval, a paired t-test, a Wilcoxon signed-rank test, the
 * smallest difference the seeds could detect, Holm's correction across a table's comparisons
 * and a verdict from the corrected test.
 *
 * The distributions and tests come from stdlib (`@stdlib/stats-ttest`,
 * `@stdlib/stats-wilcoxon`, `@stdlib/stats-padjust`, `@stdlib/stats-base-dists-t-quantile`);
 * nothing here evaluates a distribution by hand.
 */
import ttest from '@stdlib/stats-ttest';
import wilcoxon from '@stdlib/stats-wilcoxon';
import padjust from '@stdlib/stats-padjust';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Significance level of every test and interval of the reports (two-sided). */
export const ALPHA = 0.05;
/** Power at which {@link minimumDetectableEffect} is stated. */
export const POWER = 0.8;

/**
 * How the Wilcoxon signed-rank p-value was computed: `exact` (the signed-rank distribution),
 * `normal` (the approximation with continuity and tie correction), or `all-zero` (every
 * difference is zero, so none is left to rank once zeros are dropped: no statistic is computed
 * and p is 1 by convention, the observed V = 0 being its own null expectation).
 */
export type WilcoxonMethod = 'exact' | 'normal' | 'all-zero';

/** The summary of one paired comparison (differences `a − b`, one per seed). */
export interface PairedComparison {
  /** Number of pairs. */
  n: number;
  /** Mean of the differences a − b. */
  meanDiff: number;
  /** Sample standard deviation of the differences (n − 1 in the denominator); null for n < 2. */
  sdDiff: number | null;
  /**
   * Two-sided 95% Student-t confidence interval of the mean difference; null for n < 2 or when
   * every difference is the same (zero included: SD 0, the interval collapses to [Δ, Δ], which a
   * table prints from `meanDiff`).
   */
  ci95: [number, number] | null;
  /** Paired t statistic; null for n < 2 or when every difference is the same, zero included (SD 0: the t-test is undefined). */
  t: number | null;
  /** Degrees of freedom of the t-test (n − 1). */
  df: number;
  /** Two-sided paired t-test p-value; null where t is. */
  pT: number | null;
  /** Two-sided Wilcoxon signed-rank p-value (zero differences dropped); null for n < 2. */
  pWilcoxon: number | null;
  /** `exact` (signed-rank distribution), `normal` (approximation with continuity correction) or `all-zero` (p = 1, nothing to rank); null when no test ran (n < 2). */
  wilcoxonMethod: WilcoxonMethod | null;
  /** {@link minimumDetectableEffect} for this n and SD; null for n < 2. */
  mde: number | null;
}

/**
 * Differences are rounded to 12 significant digits before ranking and testing, so that
 * differences equal in exact arithmetic (e.g. 0.7 − 1.9 and −1.2 − 0.1 on accuracies or data
 * given to a few decimals) tie as they should instead of differing in the last bit.
 */
function clean(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(12));
}

/**
 * The smallest true mean difference a two-sided paired t-test at level `alpha` detects with
 * probability `power`, for n pairs whose differences have standard deviation `sd`:
 *
 *   δ = (t_{1−α/2, n−1} + t_{power, n−1}) · sd / √n
 *
 * (the usual central-t approximation to the non-central-t power equation; t_{p, ν} is the
 * p-quantile of Student's t with ν degrees of freedom). At n = 10, α = 0.05, power 0.8 it is
 * within 0.5% of the exact non-central-t value.
 * @throws RangeError when n < 2, sd is negative or not finite, or alpha/power are outside (0, 1).
 */
export function minimumDetectableEffect(sd: number, n: number, alpha = ALPHA, power = POWER): number {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`minimumDetectableEffect: n must be an integer ≥ 2, got ${n}`);
  if (!(Number.isFinite(sd) && sd >= 0)) throw new RangeError(`minimumDetectableEffect: sd must be a finite number ≥ 0, got ${sd}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`minimumDetectableEffect: alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`minimumDetectableEffect: power must be in (0, 1), got ${power}`);
  const df = n - 1;
  return ((tQuantile(1 - alpha / 2, df) + tQuantile(power, df)) * sd) / Math.sqrt(n);
}

/**
 * Paired comparison of `a` against `b` (same length, element i of both from the same seed):
 * statistics of the differences a − b. The t-test is Student's paired t-test (two-sided); the
 * Wilcoxon signed-rank test drops zero differences and is exact (signed-rank distribution)
 * when at most 50 non-zero differences remain and their absolute values have no ties, else the
 * normal approximation with continuity correction and tie correction — the same rule as R's
 * `wilcox.test(paired = TRUE)`. Its p-value is capped at 1.
 *
 * Degenerate cases: n < 2 gives no test (nulls). Differences that are all the same value,
 * zero included, have SD 0, where the t-test is undefined (R stops with "data are essentially
 * constant"): t, pT and the CI are null (the interval would be [Δ, Δ]) and only the Wilcoxon
 * test is given — for one non-zero value the normal approximation (all ranks tied); for all-zero
 * differences nothing is left to rank (R stops with "not enough observations"), so the method
 * is `all-zero` and p is 1 by convention.
 * @throws RangeError when the lengths differ or a value is not finite.
 */
export function pairedComparison(a: readonly number[], b: readonly number[]): PairedComparison {
  if (a.length !== b.length) throw new RangeError(`pairedComparison: a has ${a.length} values, b has ${b.length}; pairs need equal lengths`);
  const d = a.map((x, i) => {
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`pairedComparison: pair ${i} is (${x}, ${y}); values must be finite`);
    return clean(x - y);
  });
  const n = d.length;
  const constant = n > 0 && d.every((x) => x === d[0]);
  // constant differences: their value exactly (a sum would add rounding to the mean and a tiny SD)
  const meanDiff = constant ? d[0]! : n ? d.reduce((s, x) => s + x, 0) / n : NaN;
  const none: PairedComparison = { n, meanDiff, sdDiff: null, ci95: null, t: null, df: Math.max(0, n - 1), pT: null, pWilcoxon: null, wilcoxonMethod: null, mde: null };
  if (n < 2) return none;
  const sdDiff = constant ? 0 : Math.sqrt(d.reduce((s, x) => s + (x - meanDiff) ** 2, 0) / (n - 1));
  const mde = minimumDetectableEffect(sdDiff, n);
  const nonZero = d.filter((x) => x !== 0);
  if (nonZero.length === 0) return { ...none, meanDiff: 0, sdDiff: 0, pWilcoxon: 1, wilcoxonMethod: 'all-zero', mde };
  let t: number | null = null, pT: number | null = null, ci95: [number, number] | null = null;
  if (!constant) {
    const r = ttest(d, { alpha: ALPHA });
    t = r.statistic; pT = r.pValue; ci95 = [r.ci[0]!, r.ci[1]!];
  }
  const w = wilcoxon(d, { alpha: ALPHA });
  const abs = nonZero.map(Math.abs);
  const exact = nonZero.length === n && nonZero.length <= 50 && new Set(abs).size === abs.length;
  return { n, meanDiff, sdDiff, ci95, t, df: n - 1, pT, pWilcoxon: Math.min(1, w.pValue), wilcoxonMethod: exact ? 'exact' : 'normal', mde };
}

/**
 * Holm's step-down correction (Holm 1979) of a family of p-values: sorted ascending, the i-th
 * smallest (1-based) becomes max over j ≤ i of min(1, (m − j + 1)·p_(j)). Null entries (tests
 * that could not run) are left null and are not counted in the family size m.
 * @throws RangeError when a p-value is outside [0, 1].
 */
export function holm(p: readonly (number | null)[]): (number | null)[] {
  const idx: number[] = [];
  const vals: number[] = [];
  p.forEach((v, i) => {
    if (v === null) return;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`holm: p-value ${i} is ${v}; p-values must lie in [0, 1]`);
    idx.push(i); vals.push(v);
  });
  const out: (number | null)[] = p.map(() => null);
  if (vals.length === 0) return out;
  const adj = padjust(vals, 'holm');
  idx.forEach((i, k) => { out[i] = adj[k]!; });
  return out;
}

/** The verdict of a comparison. */
export type Verdict = 'better' | 'worse' | 'no detectable difference';

/**
 * The verdict from a corrected p-value: `better` when it is below `alpha` and the mean
 * difference is positive, `worse` when below `alpha` and negative, else `no detectable
 * difference` (also when no test could run).
 */
export function verdictOf(meanDiff: number, pCorrected: number | null, alpha = ALPHA): Verdict {
  if (pCorrected === null || !(pCorrected < alpha) || meanDiff === 0 || !Number.isFinite(meanDiff)) return 'no detectable difference';
  return meanDiff > 0 ? 'better' : 'worse';
}

/** One row of a table of paired comparisons, with its Holm-corrected p-value and verdict. */
export interface TableComparison extends PairedComparison {
  /** The test behind the verdict: the paired t-test, or Wilcoxon where the t-test is undefined (constant differences, zero included); null with n < 2. */
  test: 't' | 'wilcoxon' | null;
  /** That test's p-value, Holm-corrected across every comparison of the table. */
  pHolm: number | null;
  /** {@link verdictOf} the mean difference and pHolm. */
  verdict: Verdict;
}

/**
 * The comparisons of one table: {@link pairedComparison} of every row, then Holm's correction
 * across the table ({@link holm}) of each row's paired t-test p-value — the Wilcoxon p-value
 * for a row whose t-test is undefined (every difference the same value, zero included; for
 * all-zero differences that p is 1) — and the
 * verdict of each.
 */
export function compareTable(rows: readonly { a: readonly number[]; b: readonly number[] }[]): TableComparison[] {
  const cs = rows.map((r) => pairedComparison(r.a, r.b));
  const tests = cs.map((c) => (c.pT !== null ? 't' as const : c.pWilcoxon !== null ? 'wilcoxon' as const : null));
  const adj = holm(cs.map((c, i) => (tests[i] === 't' ? c.pT : tests[i] === 'wilcoxon' ? c.pWilcoxon : null)));
  return cs.map((c, i) => ({ ...c, test: tests[i]!, pHolm: adj[i]!, verdict: verdictOf(c.meanDiff, adj[i]!) }));
}
