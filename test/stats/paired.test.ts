/**
 * Paired comparisons against independently computed values: R's documented examples
 * (`t.test(extra ~ group, data = sleep, paired = TRUE)`, `wilcox.test(x, y, paired = TRUE)` of
 * the depression example in `?wilcox.test`), hand-derived signed-rank statistics, a hand-computed
 * Holm correction, and a Monte Carlo check of the stated power of the minimum detectable effect.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeRng } from '../../mps/index.js';
import { ALPHA, compareTable, holm, minimumDetectableEffect, pairedComparison, verdictOf } from '../../src/stats/index.js';

// R's `sleep` data: extra hours of sleep with drug 1 (group 1) and drug 2 (group 2), same 10 patients
const SLEEP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('paired t-test', () => {
  it('reproduces R: t.test(extra ~ group, data = sleep, paired = TRUE)', () => {
    const c = pairedComparison(SLEEP1, SLEEP2);
    // R prints t = -4.0621, df = 9, p-value = 0.002833, CI -2.4598858 -0.7001142, mean difference -1.58
    expect(c.n).toBe(10);
    expect(c.df).toBe(9);
    expect(c.meanDiff).toBeCloseTo(-1.58, 12);
    expect(Math.abs(c.t! - -4.0621)).toBeLessThan(5e-5); // R prints 5 significant digits
    expect(Math.abs(c.pT! - 0.002833)).toBeLessThan(5e-7); // R prints 4 significant digits
    expect(Math.abs(c.ci95![0] - -2.4598858)).toBeLessThan(5e-8); // 8 significant digits
    expect(Math.abs(c.ci95![1] - -0.7001142)).toBeLessThan(5e-8);
  });

  it('is antisymmetric: swapping a and b negates the difference, t and the CI, keeps the p-values', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 3, maxLength: 12 }), fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 3, maxLength: 12 }), (x, y) => {
      const n = Math.min(x.length, y.length);
      const a = x.slice(0, n).map((v) => v / 16), b = y.slice(0, n).map((v) => v / 16);
      const c = pairedComparison(a, b), r = pairedComparison(b, a);
      expect(r.meanDiff).toBeCloseTo(-c.meanDiff, 12);
      expect(r.pT).toBeCloseTo(c.pT!, 12);
      expect(r.pWilcoxon).toBeCloseTo(c.pWilcoxon!, 12);
      if (c.ci95 && r.ci95 && Number.isFinite(c.t!)) {
        expect(r.ci95[0]).toBeCloseTo(-c.ci95[1], 10);
        expect(r.ci95[1]).toBeCloseTo(-c.ci95[0], 10);
      }
      expect(c.pT).toBeGreaterThanOrEqual(0);
      expect(c.pT).toBeLessThanOrEqual(1);
      expect(c.pWilcoxon).toBeGreaterThanOrEqual(0);
      expect(c.pWilcoxon).toBeLessThanOrEqual(1);
    }), { numRuns: 200 });
  });

  it('degenerate cases: n < 2 has no test; constant differences, zero included, have no t-test and no t interval, only Wilcoxon (all-zero: p = 1, nothing to rank)', () => {
    const one = pairedComparison([0.9], [0.8]);
    expect(one).toMatchObject({ n: 1, pT: null, pWilcoxon: null, ci95: null, mde: null });
    expect(one.meanDiff).toBeCloseTo(0.1, 12);
    expect(pairedComparison([], []).n).toBe(0);
    // all zero: R's t.test stops ("data are essentially constant") and wilcox.test has nothing left
    // once zeros are dropped; the t-test stays undefined and the Wilcoxon p is 1, labelled all-zero (not exact)
    expect(pairedComparison([0.5, 0.7, 0.9], [0.5, 0.7, 0.9])).toEqual({ n: 3, meanDiff: 0, sdDiff: 0, ci95: null, t: null, df: 2, pT: null, pWilcoxon: 1, wilcoxonMethod: 'all-zero', mde: 0 });
    const c = pairedComparison([0.9, 0.8, 0.7], [0.8, 0.7, 0.6]);
    expect(c).toMatchObject({ t: null, pT: null, ci95: null, wilcoxonMethod: 'normal', mde: 0 });
    // all three ranks tied at 2: V = 6, E V = 3, Var V = 3·4·7/24 − (27 − 3)/48 = 3; z = (6 − 3 − 0.5)/√3 = 1.4434;
    // p = 2(1 − Φ(1.4434)) = 0.1489 (Φ(1.44) = 0.92507, Φ(1.45) = 0.92647 from a normal table, interpolated)
    expect(Math.abs(c.pWilcoxon! - 0.1489)).toBeLessThan(2e-4);
    expect(() => pairedComparison([1, 2], [1])).toThrow(/a has 2 values, b has 1/);
    expect(() => pairedComparison([1, NaN], [1, 2])).toThrow(/pair 1 is \(NaN, 2\)/);
  });
});

describe('Wilcoxon signed-rank test', () => {
  it("reproduces R's ?wilcox.test depression example (exact): V = 40, one-sided p = 0.01953, so two-sided 0.0390625", () => {
    const x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const c = pairedComparison(x, y);
    expect(c.wilcoxonMethod).toBe('exact');
    // exact: P(V ≥ 40) = 10/512 for n = 9 (two-sided doubles it); tolerance: float rounding only
    expect(Math.abs(c.pWilcoxon! - 20 / 512)).toBeLessThan(1e-12);
  });

  it("reproduces R on the sleep data (one zero, one tie: normal approximation with continuity correction): V = 0, p = 0.009091", () => {
    const c = pairedComparison(SLEEP1, SLEEP2);
    expect(c.wilcoxonMethod).toBe('normal');
    expect(Math.abs(c.pWilcoxon! - 0.009091)).toBeLessThan(5e-7);
  });

  it('matches a hand-derived normal approximation with ties: d = 1, 2, 2, −3, 4, 5', () => {
    // ranks 1, 2.5, 2.5, 4, 5, 6; V = 17; E V = 10.5; Var V = 6·7·13/24 − (2³ − 2)/48 = 22.625;
    // z = (17 − 10.5 − 0.5)/√22.625 = 1.26140; p = 2(1 − Φ(1.2614)) = 0.20716 (Φ from a normal table, interpolated)
    const c = pairedComparison([1, 2, 2, -3, 4, 5], [0, 0, 0, 0, 0, 0]);
    expect(c.wilcoxonMethod).toBe('normal');
    expect(Math.abs(c.pWilcoxon! - 0.20716)).toBeLessThan(1e-4); // table interpolation error
  });

  it('exact p-values equal the enumerated signed-rank distribution (all 2^n sign patterns) for tie-free data', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 10 }), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (mags, signs) => {
      const d = mags.map((m, i) => (signs[i] ? m : -m));
      const n = d.length;
      const order = [...mags].sort((u, v) => u - v);
      const rank = (m: number) => order.indexOf(m) + 1;
      const v = d.reduce((s, x) => s + (x > 0 ? rank(Math.abs(x)) : 0), 0);
      // enumerate V over all sign patterns of ranks 1..n
      const counts = new Map<number, number>();
      for (let mask = 0; mask < 1 << n; mask++) {
        let s = 0;
        for (let i = 0; i < n; i++) if (mask & (1 << i)) s += i + 1;
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      const total = 1 << n;
      const le = [...counts].filter(([s]) => s <= v).reduce((a, [, c]) => a + c, 0) / total;
      const ge = [...counts].filter(([s]) => s >= v).reduce((a, [, c]) => a + c, 0) / total;
      const p = Math.min(1, 2 * Math.min(le, ge));
      const c = pairedComparison(d, d.map(() => 0));
      expect(c.wilcoxonMethod).toBe('exact');
      expect(Math.abs(c.pWilcoxon! - p)).toBeLessThan(1e-12);
    }), { numRuns: 150 });
  });
});

describe('Holm correction', () => {
  it('equals a hand computation: p = (0.01, 0.04, 0.03, 0.005)', () => {
    // sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    const want = [0.03, 0.06, 0.06, 0.02];
    adj.forEach((p, i) => expect(Math.abs(p! - want[i]!)).toBeLessThan(1e-15));
  });

  it('skips nulls (not counted in m) and caps at 1', () => {
    expect(holm([null, 0.5, null, 0.4])).toEqual([null, 0.8, null, 0.8]);
    expect(holm([0.6, 0.7, 0.9])).toEqual([1, 1, 1]);
    expect(holm([])).toEqual([]);
    expect(() => holm([0.1, 1.5])).toThrow(/p-value 1 is 1.5/);
  });

  it('is the step-down formula on any family (fuzz against a direct implementation of the definition)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), (p) => {
      const m = p.length;
      const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
      const want = new Array<number>(m);
      let run = 0;
      order.forEach(([v, i], k) => { run = Math.max(run, Math.min(1, (m - k) * v)); want[i] = run; });
      holm(p).forEach((q, i) => expect(Math.abs(q! - want[i]!)).toBeLessThan(1e-12));
    }), { numRuns: 200 });
  });
});

describe('verdict and minimum detectable effect', () => {
  it('the verdict follows the corrected p-value and the sign', () => {
    expect(verdictOf(0.02, 0.01)).toBe('better');
    expect(verdictOf(-0.02, 0.01)).toBe('worse');
    expect(verdictOf(0.02, ALPHA)).toBe('no detectable difference');
    expect(verdictOf(0.02, null)).toBe('no detectable difference');
  });

  it('compareTable corrects across rows: a row significant alone can lose it in the family', () => {
    // X alone: t = 2.996, df = 4, p = 0.0401 < 0.05; twice in a family with the sleep row (p = 0.00283):
    // Holm gives 3·0.00283 = 0.0085 to the sleep row and max(0.0085, 2·0.0401) = 0.0802 to both X rows
    const X = { a: [1, 2, 3, 4, 5.5], b: [0, 2.2, 2.1, 3, 4] };
    const t = compareTable([{ a: SLEEP2, b: SLEEP1 }, X, X]);
    expect(t[1]!.pT!).toBeLessThan(ALPHA);
    expect(t[0]!.pHolm).toBeCloseTo(3 * t[0]!.pT!, 12);
    expect(t[1]!.pHolm).toBeCloseTo(2 * t[1]!.pT!, 12);
    expect(t.map((r) => r.verdict)).toEqual(['better', 'no detectable difference', 'no detectable difference']);
    expect(t.map((r) => r.test)).toEqual(['t', 't', 't']);
  });

  it('constant differences enter the family with their Wilcoxon p: 10 seeds all +0.02 are better, 2 seeds are not', () => {
    // n = 10, all ranks tied: V = 55, E V = 27.5, Var V = 10·11·21/24 − (1000 − 10)/48 = 75.625,
    // z = (55 − 27.5 − 0.5)/√75.625 = 3.1048, p = 2(1 − Φ(3.1048)) = 0.00190 (normal table)
    const ten = compareTable([{ a: Array(10).fill(0.82), b: Array(10).fill(0.8) }]);
    expect(ten[0]).toMatchObject({ test: 'wilcoxon', verdict: 'better', pT: null });
    expect(Math.abs(ten[0]!.pHolm! - 0.0019)).toBeLessThan(5e-5);
    const two = compareTable([{ a: [0.75, 0.85], b: [0.8, 0.9] }]);
    expect(two[0]).toMatchObject({ test: 'wilcoxon', verdict: 'no detectable difference' });
  });

  it('all-zero differences follow the same convention: Wilcoxon p = 1 (all-zero) counts in the Holm family, verdict no detectable difference', () => {
    // the sleep row (t p = 0.002833) with an all-zero row: m = 2, so the sleep row's Holm p is 2·0.002833
    const t = compareTable([{ a: SLEEP2, b: SLEEP1 }, { a: [0.8, 0.7, 0.9], b: [0.8, 0.7, 0.9] }]);
    expect(t[1]).toMatchObject({ test: 'wilcoxon', pT: null, pWilcoxon: 1, wilcoxonMethod: 'all-zero', pHolm: 1, verdict: 'no detectable difference' });
    expect(t[0]!.pHolm).toBeCloseTo(2 * t[0]!.pT!, 12);
  });

  it('is the stated formula: δ = (t_{0.975, 9} + t_{0.8, 9})·s/√10 with t quantiles from a printed t table', () => {
    // t_{0.975, 9} = 2.262, t_{0.80, 9} = 0.883 (a printed t table, 3 decimals): tolerance 2·0.0005/√10
    expect(Math.abs(minimumDetectableEffect(1, 10) - (2.262 + 0.883) / Math.sqrt(10))).toBeLessThan(3.2e-4);
    expect(minimumDetectableEffect(2, 10)).toBeCloseTo(2 * minimumDetectableEffect(1, 10), 12);
    expect(() => minimumDetectableEffect(1, 1)).toThrow(/n must be an integer ≥ 2, got 1/);
    expect(() => minimumDetectableEffect(-1, 5)).toThrow(/sd must be/);
  });

  it('has the stated power: a paired t-test at the MDE rejects in ≈ 80% of simulated studies (Monte Carlo, n = 10)', () => {
    const rng = makeRng('mde-power');
    const gauss = () => { const u = 1 - rng(), v = rng(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); };
    const n = 10, delta = minimumDetectableEffect(1, n);
    const R = 4000;
    let rejected = 0;
    for (let r = 0; r < R; r++) {
      const d = Array.from({ length: n }, () => delta + gauss());
      if (pairedComparison(d, d.map(() => 0)).pT! < ALPHA) rejected++;
    }
    // binomial SE at 0.8 with 4000 draws: 0.0063; the central-t approximation adds < 0.005
    expect(Math.abs(rejected / R - 0.8)).toBeLessThan(0.025);
  });
});
