/** Data regimes (src/data/regime.ts): counts per class, disjointness, determinism, errors. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyDataRegime, withLabelledTransfer } from '../../src/data/regime.js';
import type { Dataset } from '../../src/data/dataset.js';

/** A dataset whose sample i has the single feature i (so samples can be identified), labels i mod classes. */
function toy(nTrain: number, classes: number): Dataset {
  const split = (n: number, off: number) => ({ x: Array.from({ length: n }, (_, i) => Float64Array.of(off + i)), y: Int32Array.from({ length: n }, (_, i) => i % classes) });
  return { name: 'toy', features: 1, classes, train: split(nTrain, 0), val: split(6, 1000), test: split(6, 2000), provenance: { source: 'toy', seed: 0, details: {} } };
}
const ids = (s: { x: (Float64Array | unknown)[] }) => s.x.map((v) => (v as Float64Array)[0]!);

describe('applyDataRegime', () => {
  it('default regime returns the same dataset object', () => {
    const d = toy(30, 3);
    expect(applyDataRegime(d, {}, 1)).toBe(d);
    expect(applyDataRegime(d, { labelled: 'all', transfer: 0 }, 1)).toBe(d);
  });

  it('exact counts per class, disjoint subsets drawn from train, val/test untouched (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer(), (classes, lab, tr, seed) => {
      const d = toy(classes * 12, classes);
      const r = applyDataRegime(d, { labelled: lab, transfer: tr }, seed);
      const count = (y: Int32Array, c: number) => y.filter((v) => v === c).length;
      for (let c = 0; c < classes; c++) {
        if (count(r.train.y, c) !== lab) return false;
        if (tr > 0 && count(r.transfer!.y, c) !== tr) return false;
      }
      if (tr === 0 && r.transfer !== undefined) return false;
      const a = new Set(ids(r.train));
      const b = ids(r.transfer ?? { x: [] });
      if (b.some((v) => a.has(v))) return false;
      // labels travel with their samples
      const okLabels = [...ids(r.train).map((v, i) => [v, r.train.y[i]!]), ...b.map((v, i) => [v, r.transfer!.y[i]!])].every(([v, y]) => v! % classes === y);
      return okLabels && r.val === d.val && r.test === d.test && ids(r.train).every((v) => v < classes * 12);
    }), { seed: 11, numRuns: 150 });
  });

  it('is deterministic in the seed and records the regime', () => {
    const d = toy(40, 2);
    const a = applyDataRegime(d, { labelled: 5, transfer: 3 }, 'run-1');
    const b = applyDataRegime(d, { labelled: 5, transfer: 3 }, 'run-1');
    const c = applyDataRegime(d, { labelled: 5, transfer: 3 }, 'run-2');
    expect(ids(a.train)).toEqual(ids(b.train));
    expect(ids(a.transfer!)).toEqual(ids(b.transfer!));
    expect(ids(a.train)).not.toEqual(ids(c.train));
    expect(a.provenance.details['regime']).toEqual({ labelled: 5, transfer: 3 });
  });

  it('the labelled draw for a class does not depend on the transfer count (nested regimes share their labels)', () => {
    const d = toy(60, 3);
    const a = applyDataRegime(d, { labelled: 4 }, 9);
    const b = applyDataRegime(d, { labelled: 4, transfer: 6 }, 9);
    expect(new Set(ids(a.train))).toEqual(new Set(ids(b.train)));
  });

  const bad: [string, object, RegExp][] = [
    ['labelled 0', { labelled: 0 }, /^data\.labelled: expected an integer ≥ 1 .* got 0$/],
    ['labelled 2.5', { labelled: 2.5 }, /^data\.labelled: .* got 2\.5$/],
    ['labelled NaN', { labelled: NaN }, /^data\.labelled: .* got NaN$/],
    ['labelled "some"', { labelled: 'some' }, /^data\.labelled: .* got "some"$/],
    ['transfer -1', { labelled: 3, transfer: -1 }, /^data\.transfer: expected an integer ≥ 0 .* got -1$/],
    ['transfer with all labelled', { transfer: 4 }, /^data\.transfer: a transfer set of 4 per class needs data\.labelled/],
    ['too many per class', { labelled: 8, transfer: 3 }, /^data\.labelled \+ data\.transfer: 8 \+ 3 per class exceed the training split \(class 0 has 10 samples/],
  ];
  it.each(bad)('refuses %s with a one-line error naming the field', (_n, regime, re) => {
    expect(() => applyDataRegime(toy(20, 2), regime as never, 1)).toThrow(re);
  });
});

describe('data.labelled in a config reaches the loaded dataset', () => {
  it('blobs with labelled: 3 train on 3 per class; validation and test as without it', async () => {
    const { loadData } = await import('../../src/experiment/build.js');
    const base = { type: 'blobs' as const, classes: 2, features: 4, nTrain: 20, nVal: 6, nTest: 6, separation: 3 };
    const full = await loadData(base, 5);
    const few = await loadData({ ...base, labelled: 3 }, 5);
    expect([0, 1].map((c) => few.train.y.filter((y) => y === c).length)).toEqual([3, 3]);
    expect(few.val).toEqual(full.val);
    expect(few.test).toEqual(full.test);
    expect(await loadData({ ...base, labelled: 'all' }, 5)).toEqual(full);
  });
});

describe('withLabelledTransfer (a teacher trained on the labelled and the transfer set)', () => {
  it('the training split is the labelled samples then the transfer samples, true labels kept; val/test unchanged; no transfer split left', () => {
    const ds = applyDataRegime(toy(30, 3), { labelled: 2, transfer: 4 }, 7);
    const t = withLabelledTransfer(ds);
    expect(ids(t.train)).toEqual([...ids(ds.train), ...ids(ds.transfer!)]);
    expect(Array.from(t.train.y)).toEqual([...ds.train.y, ...ds.transfer!.y]);
    // toy labels are i mod classes: every label is the true one
    ids(t.train).forEach((id, i) => expect(t.train.y[i]).toBe(id % 3));
    expect([0, 1, 2].map((c) => t.train.y.filter((y) => y === c).length)).toEqual([6, 6, 6]);
    expect(t.val).toBe(ds.val);
    expect(t.test).toBe(ds.test);
    expect(t.transfer).toBeUndefined();
    expect(t.provenance.details).toMatchObject({ regime: { labelled: 2, transfer: 4 }, teacherTrainingSet: 'labelled+transfer' });
    // the input is not changed
    expect(ds.train.y.length).toBe(6);
    expect(ds.transfer!.y.length).toBe(12);
  });
  it.each([
    ['no transfer split', toy(10, 2)],
    ['an empty transfer split', { ...toy(10, 2), transfer: { x: [], y: new Int32Array(0) } }],
  ])('refuses %s, naming teacher.trainingSet', (_n, ds) => {
    expect(() => withLabelledTransfer(ds)).toThrow(/^teacher\.trainingSet: 'labelled\+transfer' needs a transfer set \(data\.transfer; for phase data, grid points inside data\.transfer\.window\), but the data has none$/);
  });
});
