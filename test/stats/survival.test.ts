/**
 * Kaplan–Meier and log-rank against published values on the Freireich et al. (1963) leukaemia
 * remission data (Gehan 1965): the 6-MP arm's KM table with Greenwood standard errors and
 * log-log 95% limits as printed by Stata's `sts list` and in MASS's `gehan` example, its median
 * (23 weeks) and the log-rank test 6-MP vs placebo (chi-square 16.8 on 1 df, p = 4.17e-5, R's
 * `survdiff`); a hand-derived three-group log-rank; and properties over random data.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kaplanMeier, logRank, type Observation } from '../../src/stats/index.js';

const obs = (s: string): Observation[] => s.trim().split(/\s+/).map((t) => ({ time: Number(t.replace('+', '')), event: !t.endsWith('+') }));
// weeks of remission; + marks a censored time
const MP6 = obs('6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+');
const PLACEBO = obs('1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23');

describe('Kaplan–Meier', () => {
  it('reproduces the published 6-MP table (survival, Greenwood SE, log-log 95% limits, 3–4 decimals)', () => {
    const km = kaplanMeier(MP6);
    const events = km.steps.filter((s) => s.events > 0);
    // time, at risk, events, S, SE, lower, upper
    const table: [number, number, number, number, number, number, number][] = [
      [6, 21, 3, 0.8571, 0.0764, 0.6197, 0.9516],
      [7, 17, 1, 0.8067, 0.0869, 0.5631, 0.9228],
      [10, 15, 1, 0.7529, 0.0963, 0.5032, 0.8894],
      [13, 12, 1, 0.6902, 0.1068, 0.4316, 0.8491],
      [16, 11, 1, 0.6275, 0.1141, 0.3675, 0.8049],
      [22, 7, 1, 0.5378, 0.1282, 0.2678, 0.7468],
      [23, 6, 1, 0.4482, 0.1346, 0.1881, 0.6801],
    ];
    expect(events.map((s) => s.time)).toEqual(table.map((r) => r[0]));
    table.forEach(([, n, d, S, se, lo, hi], i) => {
      const s = events[i]!;
      expect(s.atRisk).toBe(n);
      expect(s.events).toBe(d);
      // the published values are rounded to 4 decimals: tolerance half a unit in the last place
      expect(Math.abs(s.survival - S)).toBeLessThan(5e-5);
      expect(Math.abs(s.se! - se)).toBeLessThan(5e-5);
      expect(Math.abs(s.lower - lo)).toBeLessThan(5e-5);
      expect(Math.abs(s.upper - hi)).toBeLessThan(5e-5);
    });
    expect(km.n).toBe(21);
    expect(km.events).toBe(9);
    // the placebo arm's first row as Stata's sts list prints it: week 1, 21 at risk, 2 relapses,
    // S = 0.9048, SE 0.0641, lower log-log limit 0.6700
    const p1 = kaplanMeier(PLACEBO).steps[0]!;
    expect([p1.time, p1.atRisk, p1.events]).toEqual([1, 21, 2]);
    expect(Math.abs(p1.survival - 0.9048)).toBeLessThan(5e-5);
    expect(Math.abs(p1.se! - 0.0641)).toBeLessThan(5e-5);
    expect(Math.abs(p1.lower - 0.6700)).toBeLessThan(5e-5);
  });

  it('median: 6-MP 23 weeks, placebo 8 weeks; intervals 6-MP (13, ∞) log-log and (16, ∞) log, placebo (4, 12) log as R prints', () => {
    const ll = kaplanMeier(MP6);
    expect(ll.median).toBe(23);
    // log-log lower band first ≤ 0.5 at 13 (0.4316 above); the upper band never reaches 0.5
    expect(ll.medianCi).toEqual([13, null]);
    // R: survfit(Surv(time, cens) ~ treat, data = gehan) prints median 23, 0.95LCL 16, 0.95UCL NA; control 8, 4, 12
    expect(kaplanMeier(MP6, { transform: 'log' }).medianCi).toEqual([16, null]);
    const pl = kaplanMeier(PLACEBO, { transform: 'log' });
    expect(pl.median).toBe(8);
    expect(pl.medianCi).toEqual([4, 12]);
    expect(kaplanMeier(PLACEBO).steps.at(-1)!.survival).toBe(0);
  });

  it('without censoring S(t) is the empirical fraction still without the event; with all censored S stays 1 and the median is open', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }), (ts) => {
      const km = kaplanMeier(ts.map((time) => ({ time, event: true })));
      for (const s of km.steps) {
        expect(Math.abs(s.survival - ts.filter((t) => t > s.time).length / ts.length)).toBeLessThan(1e-12);
        expect(s.lower).toBeLessThanOrEqual(s.survival + 1e-15);
        expect(s.upper).toBeGreaterThanOrEqual(s.survival - 1e-15);
      }
      const sorted = [...ts].sort((a, b) => a - b);
      // the first time with at most half still without the event
      expect(km.median).toBe(sorted.find((t) => ts.filter((u) => u > t).length / ts.length <= 0.5));
    }), { numRuns: 200 });
    const none = kaplanMeier([{ time: 3, event: false }, { time: 5, event: false }]);
    expect(none.steps.every((s) => s.survival === 1)).toBe(true);
    expect(none.median).toBeNull();
    expect(none.medianCi).toEqual([null, null]);
  });

  it('rejects bad observations by index', () => {
    expect(() => kaplanMeier([{ time: 1, event: true }, { time: -1, event: true }])).toThrow(/observation 1 has time -1/);
    expect(() => kaplanMeier([{ time: 1, event: true }], { level: 1 })).toThrow(/level must be in \(0, 1\), got 1/);
  });
});

describe('log-rank test', () => {
  it("reproduces R's survdiff on the leukaemia data: chi-square 16.8 on 1 df, p = 4.17e-5; O = 9, 21; E = 19.25, 10.75", () => {
    const r = logRank([MP6, PLACEBO]);
    expect(r.observed).toEqual([9, 21]);
    expect(Math.abs(r.expected[0]! - 19.25)).toBeLessThan(5e-3); // R prints 4 significant digits
    expect(Math.abs(r.expected[1]! - 10.75)).toBeLessThan(5e-3);
    expect(r.df).toBe(1);
    expect(Math.abs(r.chiSquare - 16.8)).toBeLessThan(0.05); // printed to 3 significant digits
    expect(Math.abs(r.p! - 4.17e-5)).toBeLessThan(5e-8);
    // the group order does not matter
    expect(logRank([PLACEBO, MP6]).chiSquare).toBeCloseTo(r.chiSquare, 10);
  });

  it('matches a hand-derived three-group test', () => {
    // A: 1, 3+   B: 2, 4   C: 3, 5+
    // t=1: n=(2,2,2) N=6 d=1: E=(1/3,1/3,1/3); V = 1·5/5 · p(δ − p) with p = 1/3 → V11 = V22 = 2/9, V12 = −1/9
    // t=2: n=(1,2,2) N=5 d=1 (B): E += (1/5, 2/5, 2/5); V11 += (1/5)(4/5) = 4/25, V22 += (2/5)(3/5) = 6/25, V12 += −(1/5)(2/5) = −2/25
    // t=3: n=(1,1,2) N=4 d=1 (C; A censored at 3 still at risk): E += (1/4, 1/4, 1/2); V11 += 3/16, V22 += 3/16, V12 += −1/16
    // t=4: n=(0,1,1) N=2 d=1 (B): E += (0, 1/2, 1/2); V22 += 1/4
    // O = (1, 2, 1); E = (47/60, 89/60, 104/60); O − E (first two) = (13/60, 31/60)
    const A = [{ time: 1, event: true }, { time: 3, event: false }];
    const B = [{ time: 2, event: true }, { time: 4, event: true }];
    const C = [{ time: 3, event: true }, { time: 5, event: false }];
    const r = logRank([A, B, C]);
    const V11 = 2 / 9 + 4 / 25 + 3 / 16, V22 = 2 / 9 + 6 / 25 + 3 / 16 + 1 / 4, V12 = -1 / 9 - 2 / 25 - 1 / 16;
    const a = 13 / 60, b = 31 / 60, det = V11 * V22 - V12 * V12;
    const chi = (a * a * V22 - 2 * a * b * V12 + b * b * V11) / det;
    expect(r.observed).toEqual([1, 2, 1]);
    r.expected.forEach((e, i) => expect(Math.abs(e - [47 / 60, 89 / 60, 104 / 60][i]!)).toBeLessThan(1e-12));
    expect(r.df).toBe(2);
    expect(Math.abs(r.chiSquare - chi)).toBeLessThan(1e-10);
    // chi-square with 2 df: P(X > x) = exp(−x/2) exactly
    expect(Math.abs(r.p! - Math.exp(-chi / 2))).toBeLessThan(1e-10);
  });

  it('two identical groups give chi-square 0 and p = 1; observed and expected totals agree', () => {
    fc.assert(fc.property(fc.array(fc.record({ time: fc.integer({ min: 0, max: 15 }), event: fc.boolean() }), { minLength: 1, maxLength: 20 }), (g) => {
      const r = logRank([g, g.map((o) => ({ ...o }))]);
      expect(r.chiSquare).toBeLessThan(1e-10);
      if (r.df > 0) expect(r.p!).toBeGreaterThan(1 - 1e-8);
      const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
      expect(sum(r.expected)).toBeCloseTo(sum(r.observed), 10);
    }), { numRuns: 100 });
    expect(() => logRank([MP6])).toThrow(/at least 2 groups, got 1/);
    expect(() => logRank([MP6, []])).toThrow(/group 1 is empty/);
  });
});
