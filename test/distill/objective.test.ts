/**
 * The QNN objective's bookkeeping against plain forward passes of the model (in-process,
 * workers = 1): per-sample predictions, split evaluation (loss, accuracy, fidelity summary,
 * largest bond), the minibatch's correct count, the epoch hook, the norm-drift summary, and the
 * chunking of a batch over workers. The reference values come from `model.forward` on each
 * sample and cross-entropy written out here; the objective computes them in its task code.
 * The bond cap (2 on 4 qubits, where the exact state needs 4) binds, so fidelities differ
 * between samples and the fidelity summary is not trivially 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QnnModel } from '../../src/qnn/model.js';
import { guidedChunks, makeQnnObjective, takeNumerics, type QnnObjective } from '../../src/distill/objective.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { makeRng } from '../../mps/rng.js';
import { toyQnnSpec } from '../helpers/toy-qnn.js';

const C = 3;
const data = gaussianBlobs({ classes: C, features: 4, nTrain: 10, nVal: 7, nTest: 5, separation: 2, seed: 11 });
const model = new QnnModel(toyQnnSpec({ qubits: 4, classes: C, layers: 2, readout: [0, 1, 2], maxBond: 2 }));
const params = model.initParams(makeRng('objective-bookkeeping'));

/** −log softmax(z)_y, from the definition. */
function ce(z: ArrayLike<number>, y: number): number {
  const m = Math.max(...Array.from(z));
  const s = Array.from(z).reduce((a, v) => a + Math.exp(v - m), 0);
  return -(z[y]! - m - Math.log(s));
}
/** Index of the largest entry (first on ties). */
const argmax = (z: ArrayLike<number>): number => Array.from(z).reduce((best, v, i, a) => (v > a[best]! ? i : best), 0);

/** Forward passes of one split, one sample at a time. */
function reference(split: 'train' | 'val' | 'test') {
  return data[split].x.map((x, i) => ({ ...model.forward(params, x), y: data[split].y[i]! }));
}

describe('guidedChunks', () => {
  const sizes = (n: number, w: number) => guidedChunks(Array.from({ length: n }, (_, i) => i), w).map((c) => c.length);
  it.each<[number, number, number[]]>([
    [20, 2, [5, 4, 3, 2, 2, 1, 1, 1, 1]],
    [7, 2, [2, 2, 1, 1, 1]],
    [20, 4, [3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]],
    [3, 1, [2, 1]],
    [3, 0, [2, 1]],
    [3, -2, [2, 1]],
    [3, Number.NaN, [2, 1]],
    [3, Infinity, [2, 1]],
    [3, 2.7, [1, 1, 1]],
    [1, 2, [1]],
    [0, 2, []],
  ])('%d items on %d workers → chunks of %j', (n, w, want) => {
    expect(sizes(n, w)).toEqual(want);
  });
  it('covers the items in order, in chunks that never grow, the last of size 1', () => {
    for (let n = 1; n <= 300; n += 7) {
      for (const w of [1, 2, 3, 8]) {
        const items = Array.from({ length: n }, (_, i) => i * 3);
        const c = guidedChunks(items, w);
        expect(c.flat()).toEqual(items);
        for (let k = 1; k < c.length; k++) expect(c[k]!.length).toBeLessThanOrEqual(c[k - 1]!.length);
        expect(c[c.length - 1]!.length).toBe(1);
        expect(c[0]!.length).toBe(Math.ceil(n / (2 * w)));
      }
    }
  });
});

describe('the objective against forward passes', () => {
  let obj: QnnObjective;
  beforeAll(async () => { obj = await makeQnnObjective(model, data, { workers: 1 }); });
  afterAll(async () => { await obj.close(); });

  it('the bond cap binds (the test would not see the fidelity summary otherwise)', () => {
    const f = reference('val').map((r) => r.report.fidelityEstimate);
    expect(Math.min(...f)).toBeLessThan(1 - 1e-6);
    expect(new Set(f).size).toBeGreaterThan(1);
  });

  for (const split of ['val', 'test'] as const) {
    it(`predict(${split}): each sample's logits, fidelity and bond, and the accuracy`, async () => {
      const ref = reference(split);
      const p = await obj.predict(params, split);
      expect(p.logits).toHaveLength(ref.length);
      ref.forEach((r, i) => {
        // the same forward computation in the task code: equal to rounding (1e-14 on logits of size ~1)
        expect(p.logits[i]!).toHaveLength(C);
        for (let c = 0; c < C; c++) expect(Math.abs(p.logits[i]![c]! - r.logits[c]!)).toBeLessThan(1e-14);
        expect(Math.abs(p.fidelity[i]! - r.report.fidelityEstimate)).toBeLessThan(1e-14);
        expect(p.bondReached[i]).toBe(r.report.bondReached);
      });
      expect(p.accuracy).toBe(ref.filter((r) => argmax(r.logits) === r.y).length / ref.length);
      expect('maxBond' in p).toBe(false); // the bond reached has one name
    });

    it(`evaluate(${split}): mean cross-entropy, accuracy, fidelity mean and minimum, largest bond`, async () => {
      const ref = reference(split);
      const e = await obj.evaluate(params, split);
      const n = ref.length;
      expect(Math.abs(e.loss - ref.reduce((s, r) => s + ce(r.logits, r.y), 0) / n)).toBeLessThan(1e-13);
      expect(e.accuracy).toBe(ref.filter((r) => argmax(r.logits) === r.y).length / n);
      const f = ref.map((r) => r.report.fidelityEstimate);
      expect(Math.abs(e.extra!['fidelity_mean']! - f.reduce((a, b) => a + b, 0) / n)).toBeLessThan(1e-14);
      expect(Math.abs(e.extra!['fidelity_min']! - Math.min(...f))).toBeLessThan(1e-14);
      expect(e.extra!['bond_reached']).toBe(Math.max(...ref.map((r) => r.report.bondReached)));
      expect(Object.keys(e.extra!).sort()).toEqual(['bond_reached', 'fidelity_mean', 'fidelity_min']);
    });
  }

  it('lossAndGrad counts the correctly classified samples of the batch and means the loss', async () => {
    obj.setLoss({ kind: 'ce' });
    const ref = reference('train');
    const batch = [9, 0, 4, 5, 2];
    const r = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
    expect(r.correct).toBe(batch.filter((i) => argmax(ref[i]!.logits) === ref[i]!.y).length);
    expect(Math.abs(r.loss - batch.reduce((s, i) => s + ce(ref[i]!.logits, ref[i]!.y), 0) / batch.length)).toBeLessThan(1e-13);
    expect(r.grad).toHaveLength(model.nParams);
    // a one-sample batch: the mean is that sample's gradient, the sum of two equal samples' halves
    const one = await obj.lossAndGrad(params, [4], { epoch: 0, step: 1 });
    const two = await obj.lossAndGrad(params, [4, 4], { epoch: 0, step: 2 });
    for (let j = 0; j < model.nParams; j++) expect(Math.abs(two.grad[j]! - one.grad[j]!)).toBeLessThan(1e-15);
    expect(two.correct).toBe(2 * one.correct);
  });

  it('the epoch hook runs once at the first step of each epoch, before the step, with its parameters', async () => {
    // a fresh objective whose first step is in epoch 1 (a resumed run starts so)
    const fresh = await makeQnnObjective(model, data, { workers: 1 });
    const calls: [number, number, boolean][] = [];
    const p2 = params.map((v) => v + 0.01);
    let stepsSeen = 0;
    fresh.onEpochStart = async (epoch, ps, self) => { calls.push([epoch, stepsSeen, ps === p2 && self === fresh]); };
    try {
      for (const [epoch, step] of [[1, 0], [1, 1], [2, 0], [2, 1], [2, 2], [3, 0], [3, 1], [5, 0]] as const) {
        await fresh.lossAndGrad(p2, [1, 2], { epoch, step });
        stepsSeen++;
      }
    } finally {
      await fresh.close();
    }
    expect(calls).toEqual([[1, 0, true], [2, 2, true], [3, 5, true], [5, 7, true]]);
  });

  it('the hook may replace the loss for the step it precedes (self-distillation refreshes targets so)', async () => {
    const soft = data.train.y.length;
    const uniform = Array.from({ length: soft }, () => Float64Array.from({ length: C }, () => 1 / C));
    obj.setLoss({ kind: 'ce' });
    obj.onEpochStart = async (_e, _p, self) => { self.setLoss({ kind: 'soft', targets: uniform }); };
    try {
      const r = await obj.lossAndGrad(params, [3], { epoch: 100, step: 0 });
      const z = reference('train')[3]!.logits;
      const want = Array.from({ length: C }, (_, c) => ce(z, c)).reduce((a, b) => a + b, 0) / C;
      expect(Math.abs(r.loss - want)).toBeLessThan(1e-13);
    } finally {
      obj.onEpochStart = undefined;
      obj.setLoss({ kind: 'ce' });
    }
  });

  it('takeNumerics reports the largest norm drift since the last call, then resets', async () => {
    takeNumerics();
    await obj.evaluate(params, 'val');
    const ref = reference('val').map((r) => r.report.normDrift);
    const s = takeNumerics();
    expect(s.normDriftExceeded).toBe(false);
    expect(s.normDriftMax).toBe(Math.max(...ref));
    expect(takeNumerics()).toEqual({ normDriftMax: 0, normDriftExceeded: false });
  });

  it('evaluate reports the label cross-entropy whatever the training loss is', async () => {
    const ref = reference('val');
    const want = ref.reduce((s, r) => s + ce(r.logits, r.y), 0) / ref.length;
    const rng = makeRng('objective-kd-teacher');
    obj.setLoss({ kind: 'kd', options: { T: 2, alpha: 1 }, teacherLogits: data.train.x.map(() => Float64Array.from({ length: C }, () => 4 * rng() - 2)) });
    try {
      expect(Math.abs((await obj.evaluate(params, 'val')).loss - want)).toBeLessThan(1e-13);
    } finally {
      obj.setLoss({ kind: 'ce' });
    }
  });

  it('two objectives alive at once each evaluate their own data', async () => {
    const other = gaussianBlobs({ classes: C, features: 4, nTrain: 10, nVal: 7, nTest: 5, separation: 2, seed: 12 });
    const obj2 = await makeQnnObjective(model, other, { workers: 1 });
    try {
      const want = (d: typeof data) => d.val.x.reduce((s, x, i) => s + ce(model.forward(params, x).logits, d.val.y[i]!), 0) / d.val.y.length;
      const [a, b] = [await obj.evaluate(params, 'val'), await obj2.evaluate(params, 'val')];
      expect(Math.abs(a.loss - want(data))).toBeLessThan(1e-13);
      expect(Math.abs(b.loss - want(other))).toBeLessThan(1e-13);
      expect(Math.abs(a.loss - b.loss)).toBeGreaterThan(1e-6);
    } finally {
      await obj2.close();
    }
  });

  it('refuses soft targets whose count differs from the training split', () => {
    expect(() => obj.setLoss({ kind: 'soft', targets: [Float64Array.of(1, 0, 0)] })).toThrow(/^soft loss: expected 10 per-sample rows, got 1$/);
  });
});
