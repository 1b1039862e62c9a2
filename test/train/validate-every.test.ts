/**
 * Validation every K optimizer steps: the points land on the right steps with the values of the
 * parameters at those steps (a closed-form trajectory), continue across a resume, and leave
 * runs without the option exactly as they were.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { train, trainOptionsHash, type TrainOptions } from '../../src/train/loop.js';
import { makeBlobsObjective } from '../../src/train/toy-objective.js';
import { lineObjective } from '../helpers/train.js';

const LINE: TrainOptions = { epochs: 3, batchSize: 2, seed: 1, optimizer: { type: 'sgd', momentum: 0 }, schedule: { type: 'constant', lr: 1 / 8 } };

describe('validateEvery', () => {
  it.each([1, 2, 3, 5, 7])('K = %i: points at every multiple of K and at each epoch end, with the closed-form values', async (K) => {
    // 7 samples, batches of 2 → 4 steps per epoch, 12 steps in 3 epochs
    const r = await train(lineObjective(7), Float64Array.of(0), { ...LINE, validateEvery: K });
    const pts = r.history.flatMap((h) => h.val_steps!);
    const want = [...new Set([...Array.from({ length: 12 }, (_, i) => i + 1).filter((s) => s % K === 0), 4, 8, 12])].sort((a, b) => a - b);
    expect(pts.map((p) => p.step)).toEqual(want);
    for (const p of pts) {
      expect(p.val_accuracy).toBe(p.step / 8);
      expect(p.val_loss).toBe(-p.step / 8);
    }
    // each epoch's last point is its record's own validation metrics
    r.history.forEach((h, e) => expect(h.val_steps!.at(-1)).toEqual({ step: 4 * (e + 1), val_accuracy: h.val_accuracy, val_loss: h.val_loss }));
  });

  it('leaves runs without it unchanged: same history (no val_steps), same parameters, same options hash', async () => {
    const obj = makeBlobsObjective();
    const base: TrainOptions = { epochs: 2, batchSize: 16, seed: 3, optimizer: { type: 'adam' }, schedule: { type: 'constant', lr: 0.05 } };
    const a = await train(obj, Float64Array.of(0.3, -0.2, 0.1), base);
    const b = await train(obj, Float64Array.of(0.3, -0.2, 0.1), { ...base, validateEvery: 3 });
    expect(a.history.every((h) => !('val_steps' in h))).toBe(true);
    // validation does not touch the trajectory of a deterministic objective
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    expect(b.history.map((h) => h.val_accuracy)).toEqual(a.history.map((h) => h.val_accuracy));
    expect(trainOptionsHash(obj, { ...base, validateEvery: undefined })).toBe(trainOptionsHash(obj, base));
    expect(trainOptionsHash(obj, { ...base, validateEvery: 3 })).not.toBe(trainOptionsHash(obj, base));
  });

  it('continues the step count across a resume: 2 epochs then 2 more equal 4 straight', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qdistill-valsteps-'));
    try {
      const o: TrainOptions = { ...LINE, epochs: 4, validateEvery: 3, checkpointDir: dir };
      const straight = await train(lineObjective(7), Float64Array.of(0), { ...o, checkpointDir: join(dir, 'a') });
      await train(lineObjective(7), Float64Array.of(0), { ...o, epochs: 2, checkpointDir: join(dir, 'b') });
      const resumed = await train(lineObjective(7), Float64Array.of(0), { ...o, checkpointDir: join(dir, 'b'), resume: true });
      expect(resumed.history.map((h) => h.val_steps)).toEqual(straight.history.map((h) => h.val_steps));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad values naming the option', async () => {
    await expect(train(lineObjective(4), Float64Array.of(0), { ...LINE, validateEvery: 0 })).rejects.toThrow(/validateEvery must be an integer ≥ 1, got 0/);
    await expect(train(lineObjective(4), Float64Array.of(0), { ...LINE, validateEvery: 2, evalSplits: ['train'] })).rejects.toThrow(/validateEvery needs 'val' in evalSplits/);
  });
});
