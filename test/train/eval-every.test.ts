/**
 * `evalEvery`: the training and test splits are evaluated only at the end of an epoch whose
 * steps cross a multiple of evalEvery, and at the end of training (the last epoch, or the epoch
 * early stopping ends); validation stays every epoch. Checked on a closed-form trajectory (the
 * evaluated values are those of the parameters at that epoch's end), against a run without the
 * option (same trajectory, same validation, same final metrics), across a resume, under early
 * stopping, and for bad values.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { train, trainOptionsHash, trainTestEvaluations, type TrainOptions } from '../../src/train/loop.js';
import { makeBlobsObjective } from '../../src/train/toy-objective.js';
import { lineObjective, timeless } from '../helpers/train.js';

const LINE: TrainOptions = { batchSize: 2, seed: 1, optimizer: { type: 'sgd', momentum: 0 }, schedule: { type: 'constant', lr: 1 / 8 } };

describe('evalEvery', () => {
  // nTrain, steps (budget), evalEvery → epochs (1-based) whose records carry train and test
  it.each<[number, number, number, number[]]>([
    [4, 12, 5, [3, 5, 6]], // 2 steps per epoch: multiples 5, 10 fall in epochs 3 and 5; the last is 6
    [4, 11, 4, [2, 4, 6]], // the budget ends inside epoch 6 (11 steps)
    [7, 12, 1, [1, 2, 3]], // every epoch crosses a multiple of 1
    [7, 12, 4, [1, 2, 3]], // 4 steps per epoch: every epoch ends on a multiple
    [7, 12, 100, [3]], // never due: only the end of training
    [2, 10, 3, [3, 6, 9, 10]], // 1 step per epoch
  ])('nTrain %i, %i steps, evalEvery %i: train and test at epochs %j, val at every epoch', async (nTrain, steps, ev, want) => {
    const r = await train(lineObjective(nTrain), Float64Array.of(0), { ...LINE, steps, evalEvery: ev });
    const evaluated = r.history.filter((h) => h.test_accuracy !== null).map((h) => h.epoch);
    expect(evaluated).toEqual(want);
    expect(r.history.filter((h) => h.train_accuracy !== null).map((h) => h.epoch)).toEqual(want);
    expect(r.history.every((h) => h.val_accuracy !== null)).toBe(true);
    expect(trainTestEvaluations({ steps, batchSize: 2, evalEvery: ev }, nTrain)).toBe(want.length);
    // the values are those of the parameters at that epoch's end: −param = steps done / 8
    const spe = Math.ceil(nTrain / 2);
    for (const h of r.history) {
      const done = Math.min(h.epoch * spe, steps);
      expect(h.val_accuracy).toBe(done / 8);
      if (h.test_accuracy !== null) expect(h.test_accuracy).toBe(done / 8);
    }
  });

  it('trainTestEvaluations counts the evaluated epochs: fuzz against step-by-step enumeration and the loop', async () => {
    let seed = 12345;
    const rnd = (k: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return 1 + (seed % k); };
    for (let i = 0; i < 40; i++) {
      const nTrain = rnd(9), batchSize = rnd(4), evalEvery = rnd(7);
      const spe = Math.ceil(nTrain / batchSize);
      const byEpochs = i % 3 === 0;
      const steps = byEpochs ? undefined : rnd(25);
      const epochs = byEpochs ? rnd(6) : Math.ceil(steps! / spe);
      const budget = steps ?? epochs * spe;
      // reference: the epoch of every step that is a multiple of evalEvery, and the last epoch
      const want = new Set<number>([epochs]);
      for (let step = evalEvery; step <= budget; step += evalEvery) want.add(Math.ceil(step / spe));
      const opts = { batchSize, evalEvery, ...(byEpochs ? { epochs } : { steps }) };
      expect(trainTestEvaluations(opts, nTrain), JSON.stringify({ nTrain, ...opts })).toBe(want.size);
      expect(trainTestEvaluations({ ...opts, evalEvery: undefined }, nTrain)).toBe(epochs);
      if (i < 10) {
        const r = await train(lineObjective(nTrain), Float64Array.of(0), { ...LINE, ...opts });
        expect(r.history.filter((h) => h.test_accuracy !== null).map((h) => h.epoch)).toEqual([...want].sort((a, b) => a - b));
      }
    }
  });

  it('changes nothing but which epochs are evaluated: same parameters, validation, final metrics; its own options hash', async () => {
    const obj = makeBlobsObjective();
    const base: TrainOptions = { steps: 60, batchSize: 16, seed: 3, optimizer: { type: 'adam' }, schedule: { type: 'constant', lr: 0.05 } };
    const a = await train(obj, Float64Array.of(0.3, -0.2, 0.1), base);
    const b = await train(obj, Float64Array.of(0.3, -0.2, 0.1), { ...base, evalEvery: 30 });
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    expect(b.history.map((h) => [h.val_accuracy, h.val_loss])).toEqual(a.history.map((h) => [h.val_accuracy, h.val_loss]));
    const last = (h: typeof a.history) => { const r = h.at(-1)!; return [r.train_accuracy, r.test_accuracy, r.test_loss]; };
    expect(last(b.history)).toEqual(last(a.history));
    expect(b.history.some((h) => h.test_accuracy === null)).toBe(true);
    // the epochs it does evaluate read what the plain run read
    for (const [i, h] of b.history.entries()) if (h.test_accuracy !== null) expect(h.test_accuracy).toBe(a.history[i]!.test_accuracy);
    expect(trainOptionsHash(obj, { ...base, evalEvery: undefined })).toBe(trainOptionsHash(obj, base));
    expect(trainOptionsHash(obj, { ...base, evalEvery: 30 })).not.toBe(trainOptionsHash(obj, base));
  });

  it('evaluates the epoch early stopping ends on, even between multiples', async () => {
    // accuracy −param grows every step, the loss param falls: with val_loss monitored and a
    // huge minDelta nothing counts as an improvement, so patience 2 stops at epoch 3
    const r = await train(lineObjective(4), Float64Array.of(0), { ...LINE, steps: 40, evalEvery: 100, earlyStopping: { metric: 'val_loss', patience: 2, minDelta: 1e9 } });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.map((h) => h.test_accuracy !== null)).toEqual([false, false, true]);
    expect(r.history.at(-1)!.test_accuracy).toBe(6 / 8);
  });

  it('continues across a resume: interrupted after epoch 3, then resumed, equals a straight run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qdistill-evalevery-'));
    try {
      const o: TrainOptions = { ...LINE, steps: 14, evalEvery: 3 };
      const straight = await train(lineObjective(4), Float64Array.of(0), { ...o, checkpointDir: join(dir, 'a') });
      const stop = new Error('stop after epoch 3');
      await expect(train(lineObjective(4), Float64Array.of(0), { ...o, checkpointDir: join(dir, 'b'), onEpoch: (rec) => { if (rec.epoch === 4) throw stop; } })).rejects.toBe(stop);
      const resumed = await train(lineObjective(4), Float64Array.of(0), { ...o, checkpointDir: join(dir, 'b'), resume: true });
      expect(timeless(resumed.history)).toEqual(timeless(straight.history));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad values naming the option', async () => {
    for (const v of [0, -1, 1.5, Number.NaN]) {
      await expect(train(lineObjective(4), Float64Array.of(0), { ...LINE, steps: 4, evalEvery: v })).rejects.toThrow(/evalEvery must be an integer ≥ 1, got/);
    }
  });
});
