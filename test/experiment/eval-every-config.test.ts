/**
 * `training.evalEvery` from the config to the training loop: it reaches the loop's options, a
 * student's own training block inherits it or overrides it, and a run's history carries the
 * training and test metrics only where the loop evaluated them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeTraining, trainOptionsOf } from '../../src/experiment/build.js';
import { resolveConfig } from '../../src/experiment/config.js';
import { runExperiment } from '../../src/experiment/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-evalevery-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (training: object, studentTraining?: object) => resolveConfig({
  name: 'evalevery', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 16, nVal: 6, nTest: 8, separation: 2 },
  training: { steps: 12, batchSize: 4, lr: 0.1, ...training },
  teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 } } },
  students: [{ name: 's2', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'pca', components: 2 }, ...(studentTraining ? { training: studentTraining } : {}) }],
  methods: ['label'],
});
const ctx = { workers: 1, resume: false, progress: 'none' as const };

describe('training.evalEvery in a config', () => {
  it('reaches the loop options; a student inherits it or sets its own', () => {
    const c = config({ evalEvery: 5 });
    expect(trainOptionsOf(c.training, 1, dir, ctx).evalEvery).toBe(5);
    expect(trainOptionsOf(mergeTraining(c.training, c.students[0]!.training), 1, dir, ctx).evalEvery).toBe(5);
    const own = config({ evalEvery: 5 }, { evalEvery: 2 });
    expect(trainOptionsOf(mergeTraining(own.training, own.students[0]!.training), 1, dir, ctx).evalEvery).toBe(2);
    expect('evalEvery' in trainOptionsOf(config({}).training, 1, dir, ctx)).toBe(false);
  });

  it('a run evaluates training and test only at the epochs crossing a multiple, and at the end', async () => {
    // 16 samples in batches of 4: 4 steps per epoch, 3 epochs; evalEvery 5 → steps 5 and 10 fall in epochs 2 and 3
    const { results } = await runExperiment(config({ evalEvery: 5 }), { workers: 1, resume: false, progress: 'none', quick: false, outDir: join(dir, 'run') });
    for (const r of results.runs) {
      expect(r.history.map((h) => h.test_accuracy !== null), `${r.key}`).toEqual([false, true, true]);
      expect(r.history.map((h) => h.train_accuracy !== null), `${r.key}`).toEqual([false, true, true]);
      expect(r.history.every((h) => h.val_accuracy !== null)).toBe(true);
      expect(r.final.test_accuracy).not.toBeNull();
    }
  });
});
