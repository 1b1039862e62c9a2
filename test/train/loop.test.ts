import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CHECKPOINT_FILE, train, type Objective, type TrainOptions } from '../../src/train/loop.js';
import { makeBlobsObjective } from '../../src/train/toy-objective.js';
import { bits, P0, tempDirPerTest, timeless } from '../helpers/train.js';

const dir = tempDirPerTest('qdistill-loop-');
const BASE: TrainOptions = {
  epochs: 4,
  batchSize: 16,
  seed: 42,
  optimizer: { type: 'adam' },
  schedule: { type: 'cosine', lr: 0.1, lrMin: 0.01, epochs: 4 },
};

describe('train', () => {
  it.each([
    ['adam', { type: 'adam' }],
    ['sgd', { type: 'sgd', momentum: 0.9 }],
    ['sgd nesterov', { type: 'sgd', momentum: 0.9, nesterov: true }],
  ] as const)('%s reaches ≥ 95%% accuracy on the blobs', async (_name, optimizer) => {
    const r = await train(makeBlobsObjective(), P0, { ...BASE, epochs: 10, optimizer, schedule: { type: 'constant', lr: 0.05 } });
    const last = r.history.at(-1)!;
    expect(last.train_accuracy).toBeGreaterThanOrEqual(0.95);
    expect(last.test_accuracy).toBeGreaterThanOrEqual(0.95);
    expect(last.train_loss!).toBeLessThan(r.history[0]!.batch_loss);
    expect(r.epochs).toBe(10);
    expect(r.stoppedEarly).toBe(false);
    expect(P0).toEqual(new Float64Array([0.3, -0.2, 0.1])); // input not mutated
  });

  it('records the schedule lr, extras, and writes one JSONL line per epoch', async () => {
    const metricsFile = join(dir(), 'm', 'metrics.jsonl');
    const seen: number[] = [];
    const r = await train(makeBlobsObjective(), P0, { ...BASE, metricsFile, onEpoch: (rec) => seen.push(rec.epoch) });
    expect(seen).toEqual([1, 2, 3, 4]);
    r.history.forEach((h, e) => expect(Math.abs(h.lr - (0.01 + 0.045 * (1 + Math.cos((Math.PI * e) / 4))))).toBeLessThan(1e-15));
    const lines = (await readFile(metricsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines).toHaveLength(4);
    for (const k of ['epoch', 'train_loss', 'train_accuracy', 'val_loss', 'val_accuracy', 'test_loss', 'test_accuracy', 'lr', 'seconds', 'val_grad_norm']) {
      expect(lines[3]).toHaveProperty(k);
    }
    expect(lines[2]!['val_loss']).toBe(r.history[2]!.val_loss);
  });

  it('resume after 2 epochs gives bit-identical params and history to 4 straight epochs', async () => {
    const opts: TrainOptions = { ...BASE, snapshotEvery: 1, optimizer: { type: 'sgd', nesterov: true }, schedule: { type: 'cyclic', lr: 0.2, cycleEpochs: 3 } };
    const straight = await train(makeBlobsObjective(), P0, opts);

    const checkpointDir = join(dir(), 'ck');
    const metricsFile = join(dir(), 'metrics.jsonl');
    const half = await train(makeBlobsObjective(), P0, { ...opts, epochs: 2, checkpointDir, metricsFile });
    expect(half.epochs).toBe(2);
    // a stray line that the checkpoint does not cover (as after kill -9 between log and checkpoint)
    await writeFile(metricsFile, (await readFile(metricsFile, 'utf8')) + '{"epoch":99}\n');
    const resumed = await train(makeBlobsObjective(), P0, { ...opts, checkpointDir, metricsFile, resume: true });

    expect(bits(resumed.params)).toBe(bits(straight.params));
    expect(bits(resumed.bestParams)).toBe(bits(straight.bestParams));
    expect(timeless(resumed.history)).toEqual(timeless(straight.history));
    expect(resumed.snapshots.map((s) => s.name)).toEqual(['epoch-1', 'epoch-2', 'epoch-3', 'epoch-4']);
    resumed.snapshots.forEach((s, i) => expect(bits(s.params)).toBe(bits(straight.snapshots[i]!.params)));
    const lines = (await readFile(metricsFile, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
    expect(lines).toEqual([1, 2, 3, 4]);
    expect(await readdir(checkpointDir)).toEqual([CHECKPOINT_FILE]);
  });

  it('resume refuses a checkpoint written under other options, and a corrupted one by name', async () => {
    const checkpointDir = join(dir(), 'ck');
    await train(makeBlobsObjective(), P0, { ...BASE, epochs: 1, checkpointDir });
    await expect(train(makeBlobsObjective(), P0, { ...BASE, batchSize: 8, checkpointDir, resume: true }))
      .rejects.toThrow(/was written with different training options/);
    const path = join(checkpointDir, CHECKPOINT_FILE);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"epochsDone":1', '"epochsDone":2'));
    await expect(train(makeBlobsObjective(), P0, { ...BASE, checkpointDir, resume: true }))
      .rejects.toThrow(`checkpoint ${path} is corrupted (checksum mismatch)`);
  });

  it('NaN gradient throws naming epoch, batch and parameter', async () => {
    const toy = makeBlobsObjective();
    const bad: Objective = {
      ...toy,
      lossAndGrad: async (p, idx, ctx) => {
        const r = await toy.lossAndGrad(p, idx, ctx);
        if (ctx.epoch === 2 && ctx.step === 6) r.grad[2] = NaN;
        return r;
      },
    };
    await expect(train(bad, P0, BASE)).rejects.toThrow('non-finite gradient at epoch 3, batch 7 (parameter 2 = NaN)');
  });

  it('infinite loss throws', async () => {
    const toy = makeBlobsObjective();
    const bad: Objective = { ...toy, lossAndGrad: async (p, idx, ctx) => ({ ...(await toy.lossAndGrad(p, idx, ctx)), loss: Infinity }) };
    await expect(train(bad, P0, BASE)).rejects.toThrow('non-finite loss at epoch 1, batch 1 (loss = Infinity)');
  });

  it('early stopping stops after patience epochs without improvement and keeps the best params', async () => {
    const toy = makeBlobsObjective();
    let evals = 0;
    // val loss improves for 3 epochs, then gets worse
    const obj: Objective = {
      ...toy,
      evaluate: async (p, split) => {
        const r = await toy.evaluate(p, split);
        if (split !== 'val') return r;
        evals++;
        return { ...r, loss: Math.abs(evals - 3) };
      },
    };
    const checkpointDir = join(dir(), 'ck');
    const r = await train(obj, P0, { ...BASE, epochs: 20, schedule: { type: 'constant', lr: 0.05 }, earlyStopping: { patience: 2, metric: 'val_loss' }, checkpointDir });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochs).toBe(5);
    expect(r.bestEpoch).toBe(3);
    expect(r.history[2]!.val_loss).toBe(0);
    // resuming a stopped run returns at once
    const again = await train(obj, P0, { ...BASE, epochs: 20, schedule: { type: 'constant', lr: 0.05 }, earlyStopping: { patience: 2, metric: 'val_loss' }, checkpointDir, resume: true });
    expect(again.epochs).toBe(5);
    expect(bits(again.bestParams)).toBe(bits(r.bestParams));
  });

  it("prints nothing with progress 'none' and one line per epoch with 'lines'", async () => {
    const spy = vi.spyOn(process.stderr, 'write');
    await train(makeBlobsObjective(), P0, { ...BASE, epochs: 2, progress: 'none' });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const out: string[] = [];
    await train(makeBlobsObjective(), P0, { ...BASE, epochs: 2, progress: 'lines', progressStream: { write: (s: string) => out.push(s) } });
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^epoch 1\/2 .*val_loss/);
    // the bar (cli-progress) on a terminal: its last drawing shows the last step of the epoch
    const bar: string[] = [];
    await train(makeBlobsObjective(), P0, { ...BASE, epochs: 1, progress: 'bar', progressStream: { isTTY: true, columns: 200, write: (s: string) => bar.push(s) } });
    expect(bar.join('')).toContain('epoch 1/1 step 13/13'); // 200 / 16 → 13 batches
    expect(bar.join('')).not.toMatch(/val_loss/); // no epoch lines under the bar
  });

  it.each<[Partial<TrainOptions>, RegExp]>([
    [{ epochs: 0 }, /epochs must be an integer ≥ 1, got 0/],
    [{ batchSize: 1.5 }, /batchSize must be an integer ≥ 1, got 1.5/],
    [{ evalSplits: ['train'], earlyStopping: { patience: 1, metric: 'val_loss' } }, /needs 'val' in evalSplits/],
  ])('validates %j', async (patch, re) => {
    await expect(train(makeBlobsObjective(), P0, { ...BASE, ...patch })).rejects.toThrow(re);
  });
});
