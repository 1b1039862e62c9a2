/**
 * Distillation inside training: the QNN objective's KD and soft-target paths against a loss
 * written out in this test from its definition (Hinton, Vinyals, Dean 2015), evaluated on the
 * student's logits from a plain forward pass, and the objective's gradient against central finite
 * differences of that independent loss. A training worker that ignored the teacher (or its
 * per-sample weights, or its temperature) fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QnnModel } from '../../src/qnn/model.js';
import { makeQnnObjective, type QnnObjective } from '../../src/distill/objective.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { makeRng } from '../../mps/rng.js';
import { toyQnnSpec } from '../helpers/toy-qnn.js';

const C = 3;
const data = gaussianBlobs({ classes: C, features: 3, nTrain: 12, nVal: 4, nTest: 4, separation: 4, seed: 5 });
const model = new QnnModel(toyQnnSpec({ qubits: 3, classes: C, layers: 2, readout: [0, 1, 2], maxBond: 8 }));
const params = model.initParams(makeRng('kd-objective'));
const rng = makeRng('kd-teacher');
const teacherLogits = Array.from({ length: data.train.y.length }, () => Float64Array.from({ length: C }, () => 4 * (rng() - 0.5)));
const weights = Float64Array.from({ length: data.train.y.length }, () => 0.1 + 0.8 * rng());
const softTargets = teacherLogits.map((t) => softmax(t, 1));
const batch = [0, 3, 4, 7, 8, 11];

function softmax(z: ArrayLike<number>, T: number): number[] {
  const m = Math.max(...Array.from(z));
  const e = Array.from(z, (v) => Math.exp((v - m) / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** (1 − α)·CE(z, y) + α·w·T²·KL(p_teacher^T ‖ p_student^T), per sample, written from the definition. */
function kdLoss(z: ArrayLike<number>, y: number, t: ArrayLike<number>, T: number, alpha: number, w: number): number {
  const q1 = softmax(z, 1);
  const ce = -Math.log(q1[y]!);
  const p = softmax(t, T), q = softmax(z, T);
  let kl = 0;
  for (let i = 0; i < C; i++) kl += p[i]! * (Math.log(p[i]!) - Math.log(q[i]!));
  return (1 - alpha) * ce + alpha * w * T * T * kl;
}

/** The batch-mean loss, from forward passes only. */
function meanLoss(theta: Float64Array, per: (z: Float64Array, i: number) => number): number {
  let s = 0;
  for (const i of batch) s += per(model.forward(theta, data.train.x[i]!).logits, i);
  return s / batch.length;
}

/** Central finite differences of `f` (step h; error O(h²) ≈ 1e-10 here). */
function fdGrad(f: (theta: Float64Array) => number, h = 1e-5): Float64Array {
  const g = new Float64Array(params.length);
  for (let j = 0; j < params.length; j++) {
    const p = params.slice(), m = params.slice();
    p[j]! += h; m[j]! -= h;
    g[j] = (f(p) - f(m)) / (2 * h);
  }
  return g;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe('the objective\'s distillation paths', () => {
  let obj: QnnObjective;
  beforeAll(async () => { obj = await makeQnnObjective(model, data, { workers: 1 }); });
  afterAll(async () => { await obj.close(); });

  const cases = [
    { name: 'pure KD (α = 1), T = 2', T: 2, alpha: 1, weighted: false },
    { name: 'mixed (α = 0.3), T = 4', T: 4, alpha: 0.3, weighted: false },
    { name: 'α = 1 with per-sample fidelity weights', T: 2, alpha: 1, weighted: true },
    { name: 'α = 0.5, T = 1, weighted', T: 1, alpha: 0.5, weighted: true },
  ];
  for (const c of cases) {
    it(`${c.name}: loss and gradient equal the independent KD loss`, async () => {
      obj.setLoss({ kind: 'kd', options: { T: c.T, alpha: c.alpha }, teacherLogits, ...(c.weighted ? { weights } : {}) });
      const r = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
      const per = (z: Float64Array, i: number) => kdLoss(z, data.train.y[i]!, teacherLogits[i]!, c.T, c.alpha, c.weighted ? weights[i]! : 1);
      expect(Math.abs(r.loss - meanLoss(params, per))).toBeLessThan(1e-12);
      const g = fdGrad((th) => meanLoss(th, per));
      // adjoint vs central differences at h = 1e-5: truncation error O(h²·f''') ≈ 1e-10
      expect(maxAbsDiff(r.grad, g)).toBeLessThan(1e-8);
    });
  }

  it('the KD loss is not the label loss (the teacher reaches the gradient)', async () => {
    obj.setLoss({ kind: 'ce' });
    const ce = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
    obj.setLoss({ kind: 'kd', options: { T: 2, alpha: 1 }, teacherLogits });
    const kd = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
    expect(Math.abs(ce.loss - kd.loss)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(ce.grad, kd.grad)).toBeGreaterThan(1e-3);
    // CE against the labels, from the definition
    const ceRef = meanLoss(params, (z, i) => -Math.log(softmax(z, 1)[data.train.y[i]!]!));
    expect(Math.abs(ce.loss - ceRef)).toBeLessThan(1e-12);
  });

  it('doubling one sample\'s weight doubles exactly its KD term', async () => {
    const w1 = new Float64Array(data.train.y.length).fill(0.25);
    obj.setLoss({ kind: 'kd', options: { T: 2, alpha: 1 }, teacherLogits, weights: w1 });
    const base = await obj.lossAndGrad(params, [3], { epoch: 0, step: 0 });
    const w2 = w1.slice(); w2[3] = 0.5;
    obj.setLoss({ kind: 'kd', options: { T: 2, alpha: 1 }, teacherLogits, weights: w2 });
    const twice = await obj.lossAndGrad(params, [3], { epoch: 0, step: 0 });
    expect(Math.abs(twice.loss - 2 * base.loss)).toBeLessThan(1e-14 * Math.max(1, base.loss));
    for (let j = 0; j < params.length; j++) expect(Math.abs(twice.grad[j]! - 2 * base.grad[j]!)).toBeLessThan(1e-13);
  });

  it('soft targets: cross-entropy against per-sample target distributions', async () => {
    obj.setLoss({ kind: 'soft', targets: softTargets.map((t) => Float64Array.from(t)) });
    const r = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
    const per = (z: Float64Array, i: number) => {
      const q = softmax(z, 1);
      return -softTargets[i]!.reduce((s, p, k) => s + p * Math.log(q[k]!), 0);
    };
    expect(Math.abs(r.loss - meanLoss(params, per))).toBeLessThan(1e-12);
    expect(maxAbsDiff(r.grad, fdGrad((th) => meanLoss(th, per)))).toBeLessThan(1e-8);
  });

  it('transfer samples (the unlabelled mask): the soft term alone, with the usual α; labelled samples unchanged', async () => {
    const unlabelled = Uint8Array.from({ length: data.train.y.length }, (_, i) => (i % 3 === 1 ? 1 : 0)); // batch samples 4 and 7 masked
    const T = 2, alpha = 0.4;
    obj.setLoss({ kind: 'kd', options: { T, alpha }, teacherLogits, weights, unlabelled });
    const r = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
    // a masked sample's loss is the KD loss with its hard term removed: kdLoss − (1 − α)·CE
    const per = (z: Float64Array, i: number) => kdLoss(z, data.train.y[i]!, teacherLogits[i]!, T, alpha, weights[i]!) - (unlabelled[i] ? (1 - alpha) * -Math.log(softmax(z, 1)[data.train.y[i]!]!) : 0);
    expect(Math.abs(r.loss - meanLoss(params, per))).toBeLessThan(1e-12);
    expect(maxAbsDiff(r.grad, fdGrad((th) => meanLoss(th, per)))).toBeLessThan(1e-8);
    // without the mask the loss differs: the mask reaches the workers
    obj.setLoss({ kind: 'kd', options: { T, alpha }, teacherLogits, weights });
    const unmasked = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
    expect(Math.abs(unmasked.loss - r.loss)).toBeGreaterThan(1e-3);
    expect(() => obj.setLoss({ kind: 'kd', options: {}, teacherLogits, unlabelled: unlabelled.slice(1) })).toThrow(/unlabelled mask has 11 entries, expected 12/);
  });

  it('refuses targets whose count differs from the training split', () => {
    expect(() => obj.setLoss({ kind: 'kd', options: {}, teacherLogits: teacherLogits.slice(1) })).toThrow(/expected 12 per-sample rows, got 11/);
  });
});
