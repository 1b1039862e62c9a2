/**
 * The step budget of the training loop (`steps`): exactly that many optimizer steps whatever the
 * training-set size, the last epoch cut inside, step-based schedules that give two runs with
 * different training-set sizes the same learning rate at the same step (against the closed
 * form), and resume after a kill inside the partial last epoch (bit-identical to a straight run).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochsOf, train, type Objective, type TrainOptions } from '../../src/train/loop.js';
import { epochPermutation, minibatches } from '../../src/train/shuffle.js';
import { makeSchedule, type ScheduleSpec } from '../../src/train/schedules.js';
import { makeBlobsObjective } from '../../src/train/toy-objective.js';
import { bits, counting, P0, tempDirPerTest, timeless } from '../helpers/train.js';

const dir = tempDirPerTest('qdistill-steps-');
const BASE: TrainOptions = { batchSize: 16, seed: 42, optimizer: { type: 'adam' }, schedule: { type: 'constant', lr: 0.05 } };

/**
 * One parameter, gradient 1 everywhere: plain SGD (no momentum) moves it by exactly −lr per step,
 * so the learning rate of step k is p_k − p_{k+1}, read off the parameters the objective is handed.
 */
function lrProbe(nTrain: number): { obj: Objective; seen: number[] } {
  const seen: number[] = [];
  return {
    seen,
    obj: {
      nParams: 1, nTrain,
      lossAndGrad: async (p) => { seen.push(p[0]!); return { loss: 0, grad: new Float64Array([1]), correct: 0 }; },
      evaluate: async () => ({ loss: 0, accuracy: 0 }),
    },
  };
}
async function lrsOf(nTrain: number, batchSize: number, steps: number, schedule: ScheduleSpec): Promise<number[]> {
  const { obj, seen } = lrProbe(nTrain);
  const r = await train(obj, new Float64Array([0]), { batchSize, seed: 1, steps, optimizer: { type: 'sgd', momentum: 0 }, schedule, evalSplits: [] });
  const p = [...seen, r.params[0]!];
  return p.slice(1).map((x, k) => p[k]! - x);
}

describe('training with a step budget', () => {
  // rows: [nTrain, batchSize, steps]; the last batch of an epoch may be short
  it.each([
    [200, 16, 1000], // 13 steps an epoch, the budget ends inside epoch 77
    [200, 16, 13], // exactly one epoch
    [200, 16, 5], // inside the first epoch
    [200, 200, 7], // one step an epoch
    [37, 4, 100], // 10 steps an epoch, last batch of 1
  ])('nTrain %i, batch %i, %i steps: exactly that many optimizer steps, the last epoch cut inside', async (nTrain, batchSize, steps) => {
    const { obj, calls } = counting(makeBlobsObjective({ nTrain }));
    const r = await train(obj, P0, { ...BASE, batchSize, steps, evalSplits: ['val'] });
    const spe = Math.ceil(nTrain / batchSize);
    const epochs = Math.ceil(steps / spe);
    expect(calls).toHaveLength(steps);
    expect(r.steps).toBe(steps);
    expect(r.epochs).toBe(epochs);
    expect(r.history.map((h) => h.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    // one record per epoch end, the last at the final step
    expect(r.history.map((h) => h.steps)).toEqual(Array.from({ length: epochs }, (_, i) => Math.min((i + 1) * spe, steps)));
    // the partial epoch runs the first batches of that epoch's seeded shuffle
    const last = calls.filter((c) => c.epoch === epochs - 1);
    const expected = minibatches(epochPermutation(nTrain, BASE.seed, epochs - 1), batchSize).slice(0, steps - (epochs - 1) * spe);
    expect(last.map((c) => c.indices)).toEqual(expected);
    // batch metrics of the partial epoch average over the samples it saw
    const seenSamples = expected.reduce((a, b) => a + b.length, 0);
    const want = last.reduce((a, c) => a + c.loss * c.indices.length, 0) / seenSamples;
    expect(Math.abs(r.history.at(-1)!.batch_loss - want)).toBeLessThan(1e-14);
  });

  it('fuzz: calls = steps and epochs = ⌈steps / ⌈nTrain / batch⌉⌉ over sizes and budgets', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 60 }), async (nTrain, batchSize, steps) => {
      const { obj, calls } = counting(makeBlobsObjective({ nTrain, nVal: 4, nTest: 4 }));
      const r = await train(obj, P0, { ...BASE, batchSize, steps, evalSplits: [] });
      expect(calls).toHaveLength(steps);
      expect(r.epochs).toBe(Math.ceil(steps / Math.ceil(nTrain / batchSize)));
    }), { numRuns: 60, seed: 14 });
  });

  it('the same step without a budget: records carry no steps field and results are unchanged', async () => {
    const a = await train(makeBlobsObjective(), P0, { ...BASE, epochs: 3 });
    expect(a.history.every((h) => !('steps' in h))).toBe(true);
    expect(a.steps).toBe(3 * 13);
    // a budget of exactly 3 epochs of steps trains the same trajectory
    const b = await train(makeBlobsObjective(), P0, { ...BASE, steps: 39 });
    expect(bits(b.params)).toBe(bits(a.params));
  });

  it.each<[string, Partial<TrainOptions>, RegExp]>([
    ['epochs conflicting with the budget', { epochs: 5, steps: 100 }, /^epochs = 5 conflicts with steps = 100: at 13 steps per epoch \(200 samples, batch 16\) the budget takes 8 epochs; leave epochs out when steps is given$/],
    ['neither epochs nor steps', {}, /^epochs is required \(an integer ≥ 1\) unless steps is given$/],
    ['steps 0', { steps: 0 }, /^steps must be an integer ≥ 1, got 0$/],
    ['fractional steps', { steps: 2.5 }, /^steps must be an integer ≥ 1, got 2.5$/],
  ])('refuses %s with a one-line error naming the field', async (_n, o, msg) => {
    await expect(train(makeBlobsObjective(), P0, { ...BASE, ...o })).rejects.toThrow(msg);
  });

  it('epochs equal to the derived count is accepted', async () => {
    expect(epochsOf({ steps: 100, epochs: 8, batchSize: 16 }, 200)).toBe(8);
    const r = await train(makeBlobsObjective(), P0, { ...BASE, epochs: 8, steps: 100, evalSplits: [] });
    expect(r.steps).toBe(100);
  });
});

describe('step-based schedules', () => {
  const S = 60;
  const cosine = (k: number, hi: number, lo: number, n: number) => lo + 0.5 * (hi - lo) * (1 + Math.cos((Math.PI * k) / n));
  it.each<[string, ScheduleSpec, (k: number) => number]>([
    ['cosine over the budget', { type: 'cosine', lr: 0.2, lrMin: 0.01, steps: S }, (k) => cosine(k, 0.2, 0.01, S)],
    ['cyclic with 25-step cycles', { type: 'cyclic', lr: 0.2, lrMin: 0.02, cycleSteps: 25 }, (k) => cosine(k % 25, 0.2, 0.02, 25)],
    ['constant', { type: 'constant', lr: 0.07 }, () => 0.07],
  ])('%s: the lr at step k is the same for training sets of 10, 37 and 200 samples, and equals the closed form', async (_n, spec, closed) => {
    const runs = await Promise.all([[10, 4], [37, 4], [200, 16]].map(([n, b]) => lrsOf(n!, b!, S, spec)));
    for (const lrs of runs) {
      expect(lrs).toHaveLength(S);
      // p_k − p_{k+1} carries the rounding of the parameter (|p| ≤ S · lr = 12, one ulp 1.8e-15);
      // achieved: 4.4e-16 at most over the three schedules and sizes
      lrs.forEach((lr, k) => expect(Math.abs(lr - closed(k))).toBeLessThan(5e-15));
    }
    // and the schedule itself, evaluated at the same global step with different steps per epoch, agrees bit for bit
    const sch = makeSchedule(spec);
    for (let k = 0; k < S; k++) {
      const at = (spe: number) => sch.lr(Math.floor(k / spe), k % spe, spe);
      expect(at(3)).toBe(at(7));
      expect(at(1)).toBe(at(13));
    }
  });

  it('an epoch-based cosine over the derived epochs would differ between the two sizes (why the budget needs step-based schedules)', async () => {
    // 50 steps: 3 steps an epoch → 17 epochs (51 steps of schedule), 10 steps an epoch → 5 epochs (50)
    const lr = (n: number) => lrsOf(n, 4, 50, { type: 'cosine', lr: 0.2, lrMin: 0.01, epochs: Math.ceil(50 / Math.ceil(n / 4)) });
    const [a, b] = await Promise.all([lr(10), lr(37)]);
    expect(Math.max(...a.map((x, k) => Math.abs(x - b[k]!)))).toBeGreaterThan(1e-3);
  });

  it.each<[string, ScheduleSpec, RegExp]>([
    ['cosine with epochs and steps', { type: 'cosine', lr: 0.1, epochs: 3, steps: 10 }, /^cosine schedule takes epochs or steps, not both \(got epochs = 3, steps = 10\)$/],
    ['cosine steps 0', { type: 'cosine', lr: 0.1, steps: 0 }, /^cosine schedule steps must be an integer ≥ 1, got 0$/],
    ['cosine steps with warm-up', { type: 'cosine', lr: 0.1, steps: 10, warmupEpochs: 1 }, /^cosine schedule warmupEpochs is for epoch-based schedules, not with steps = 10$/],
    ['cyclic with both cycle lengths', { type: 'cyclic', lr: 0.1, cycleEpochs: 2, cycleSteps: 5 }, /^cyclic schedule takes cycleEpochs or cycleSteps, not both/],
    ['cyclic cycleSteps 1.5', { type: 'cyclic', lr: 0.1, cycleSteps: 1.5 }, /^schedule cycleSteps must be an integer ≥ 1, got 1.5$/],
  ])('refuses %s', (_n, spec, msg) => {
    expect(() => makeSchedule(spec)).toThrow(msg);
  });

  it('cycle ends of a step-based cyclic schedule fall in the epochs that hold a cycle\'s last step', () => {
    const s = makeSchedule({ type: 'cyclic', lr: 1, cycleSteps: 5 });
    // 3 steps an epoch: steps 0–2, 3–5, 6–8, 9–11; cycles end at steps 4 and 9
    expect([0, 1, 2, 3].map((e) => s.isCycleEnd(e, 3))).toEqual([false, true, false, true]);
    expect([0, 1, 2, 3].map((e) => s.cycleIndex(e, 3))).toEqual([0, 0, 1, 1]);
    expect(() => s.isCycleEnd(0)).toThrow(/needs stepsPerEpoch/);
    const c = makeSchedule({ type: 'cosine', lr: 1, steps: 10 });
    expect([0, 1, 2, 3].map((e) => c.isCycleEnd(e, 3))).toEqual([false, false, false, true]);
  });
});

describe('resume with a step budget', () => {
  it('a run killed inside the partial last epoch resumes to bit-identical params, history and metrics', async () => {
    // 200 samples, batch 16: 13 steps an epoch; 45 steps = 3 full epochs and 6 steps of a 4th
    const opts: TrainOptions = { ...BASE, steps: 45, snapshotEvery: 1, optimizer: { type: 'sgd', nesterov: true }, schedule: { type: 'cosine', lr: 0.2, lrMin: 0.01, steps: 45 } };
    const straight = await train(makeBlobsObjective(), P0, opts);
    expect(straight.history.map((h) => h.steps)).toEqual([13, 26, 39, 45]);

    const checkpointDir = join(dir(), 'ck');
    const metricsFile = join(dir(), 'metrics.jsonl');
    // "killed" at step 43 (inside epoch 4): the objective throws there, after epoch 3's checkpoint
    const base = makeBlobsObjective();
    let k = 0;
    const dying: Objective = { ...base, lossAndGrad: (p, i, c) => { if (++k === 43) throw new Error('killed'); return base.lossAndGrad(p, i, c); } };
    await expect(train(dying, P0, { ...opts, checkpointDir, metricsFile })).rejects.toThrow('killed');
    const resumed = await train(makeBlobsObjective(), P0, { ...opts, checkpointDir, metricsFile, resume: true });

    expect(bits(resumed.params)).toBe(bits(straight.params));
    expect(bits(resumed.bestParams)).toBe(bits(straight.bestParams));
    expect(timeless(resumed.history)).toEqual(timeless(straight.history));
    resumed.snapshots.forEach((s, i) => expect(bits(s.params)).toBe(bits(straight.snapshots[i]!.params)));
    expect(resumed.steps).toBe(45);
    const lines = (await readFile(metricsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; steps: number });
    expect(lines.map((l) => [l.epoch, l.steps])).toEqual([[1, 13], [2, 26], [3, 39], [4, 45]]);
    // a finished run resumed again takes no step
    const { obj, calls } = counting(makeBlobsObjective());
    const again = await train(obj, P0, { ...opts, checkpointDir, resume: true });
    expect(calls).toHaveLength(0);
    expect(bits(again.params)).toBe(bits(straight.params));
  });

  it('a checkpoint made under another budget is not resumed', async () => {
    const checkpointDir = join(dir(), 'ck');
    await train(makeBlobsObjective(), P0, { ...BASE, steps: 20, checkpointDir });
    await expect(train(makeBlobsObjective(), P0, { ...BASE, steps: 30, checkpointDir, resume: true })).rejects.toThrow(/different training options/);
  });
});
