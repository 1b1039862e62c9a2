import { describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import { areaWeights, classSubset, downsample, featureStats, makeDownsampler, scaleToUnit, stratifiedSplit } from '../../src/data/preprocess.js';

const TOL = { exact: 1e-12 };

/** Labels 0..C−1 with class c having counts[c] samples, in a seeded mixed order. */
function mixedLabels(counts: number[], seed: string): Int32Array {
  const out: number[] = [];
  counts.forEach((n, c) => { for (let i = 0; i < n; i++) out.push(c); });
  const rng = makeRng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return Int32Array.from(out);
}

const count = (labels: ArrayLike<number>, idx: Int32Array, c: number): number => Array.from(idx).filter((i) => labels[i] === c).length;

describe('classSubset', () => {
  it('returns the ascending indices of the kept labels', () => {
    expect(Array.from(classSubset([3, 1, 4, 1, 5], [1, 5]))).toEqual([1, 3, 4]);
    expect(classSubset([3, 1], [7]).length).toBe(0);
  });
});

describe('stratifiedSplit', () => {
  const labels = mixedLabels([30, 50, 40], 'labels');

  it('gives every part exactly sizes[k] samples of every class, disjoint', () => {
    const parts = stratifiedSplit(labels, [12, 5, 3], 7);
    expect(parts.map((p) => p.length)).toEqual([36, 15, 9]);
    parts.forEach((p, k) => {
      for (let c = 0; c < 3; c++) expect(count(labels, p, c)).toBe([12, 5, 3][k]);
    });
    const all = parts.flatMap((p) => Array.from(p));
    expect(new Set(all).size).toBe(all.length);
  });

  it('is reproducible for a seed and different for another', () => {
    expect(stratifiedSplit(labels, [10, 5], 'a')).toEqual(stratifiedSplit(labels, [10, 5], 'a'));
    expect(stratifiedSplit(labels, [10, 5], 'a')[0]).not.toEqual(stratifiedSplit(labels, [10, 5], 'b')[0]);
  });

  it('draws a class independently of the other classes present', () => {
    const only02 = classSubset(labels, [0, 2]);
    const sub = Int32Array.from(only02, (i) => labels[i]);
    const pick = (lab: ArrayLike<number>, p: Int32Array, map: (j: number) => number, c: number): number[] =>
      Array.from(p).filter((j) => lab[j] === c).map(map).sort((a, b) => a - b);
    const full = stratifiedSplit(labels, [8], 's')[0];
    const part = stratifiedSplit(sub, [8], 's')[0];
    expect(pick(sub, part, (j) => only02[j], 2)).toEqual(pick(labels, full, (j) => j, 2));
  });

  it('names the class and counts when a class is too small', () => {
    expect(() => stratifiedSplit(labels, [25, 6], 1)).toThrow('class 0 has 30 samples, fewer than the 31 requested (sizes 25 + 6)');
    expect(() => stratifiedSplit(labels, [2.5], 1)).toThrow('sizes[0] must be an integer ≥ 0, got 2.5');
  });
});

describe('downsample (exact area averaging)', () => {
  const rng = makeRng('img');
  const img28 = Float64Array.from({ length: 28 * 28 }, () => Math.floor(rng() * 256));

  it('2×2 → 1 is the mean', () => {
    expect(Array.from(downsample([1, 2, 3, 4], 2, 1))).toEqual([2.5]);
  });

  it('28 → 14 equals 2×2 block means exactly', () => {
    const out = downsample(img28, 28, 14);
    const blocks = Float64Array.from({ length: 14 * 14 }, (_, k) => {
      const r = 2 * Math.floor(k / 14), c = 2 * (k % 14);
      return (img28[r * 28 + c] + img28[r * 28 + c + 1] + img28[(r + 1) * 28 + c] + img28[(r + 1) * 28 + c + 1]) / 4;
    });
    expect(out).toEqual(blocks);
  });

  it.each([[28, 8], [28, 4], [28, 14], [7, 3], [5, 5], [3, 5]])('%i → %i preserves the image mean', (from, to) => {
    const img = Float64Array.from({ length: from * from }, () => rng());
    const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(downsample(img, from, to)) - mean(img))).toBeLessThan(TOL.exact);
  });

  it('uses overlap weights for non-integer factors (3 → 2: 2/3, 1/3)', () => {
    const { start, w } = areaWeights(3, 2);
    expect(Array.from(start)).toEqual([0, 1]);
    expect(w.map((r) => Array.from(r))).toEqual([[2 / 3, 1 / 3], [1 / 3, 2 / 3]]);
    // 28 → 8: every output row covers 3.5 source pixels, rows sum to 1
    for (const r of areaWeights(28, 8).w) expect(Math.abs(r.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(TOL.exact);
  });

  it('is the identity for from = to, and composes on nested grids (28 → 8 → 4 = 28 → 4)', () => {
    expect(downsample(img28, 28, 28)).toEqual(img28);
    const two = downsample(downsample(img28, 28, 8), 8, 4);
    const one = downsample(img28, 28, 4);
    two.forEach((v, i) => expect(Math.abs(v - one[i])).toBeLessThan(TOL.exact * 255));
  });

  it('rejects a bad shape, naming the value', () => {
    expect(() => downsample([1, 2, 3], 2, 1)).toThrow('image length must be 2×2 = 4, got 3');
    expect(() => makeDownsampler(28, 0)).toThrow('to must be an integer ≥ 1, got 0');
  });
});

describe('scaleToUnit and featureStats', () => {
  it('scales [lo, hi] to [0, 1] and clips', () => {
    expect(Array.from(scaleToUnit([0, 255, 127.5, -5, 300]))).toEqual([0, 1, 0.5, 0, 1]);
    expect(Array.from(scaleToUnit([2, 3, 4], 2, 4))).toEqual([0, 0.5, 1]);
    expect(() => scaleToUnit([1], 1, 1)).toThrow('scaleToUnit needs hi > lo, got lo = 1, hi = 1');
  });

  it('computes per-feature mean, population std, min, max', () => {
    const s = featureStats([Float64Array.of(1, 0), Float64Array.of(3, 0), Float64Array.of(5, 6)]);
    expect(s.n).toBe(3);
    expect(Array.from(s.mean)).toEqual([3, 2]);
    expect(Array.from(s.min)).toEqual([1, 0]);
    expect(Array.from(s.max)).toEqual([5, 6]);
    expect(Math.abs(s.std[0] - Math.sqrt(8 / 3))).toBeLessThan(TOL.exact);
    expect(Math.abs(s.std[1] - Math.sqrt(8))).toBeLessThan(TOL.exact);
    expect(() => featureStats([])).toThrow('featureStats needs at least one sample, got 0');
    expect(() => featureStats([Float64Array.of(1), Float64Array.of(1, 2)])).toThrow('sample 1 has 2 features, expected 1');
  });
});
