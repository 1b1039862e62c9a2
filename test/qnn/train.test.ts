import { describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/index.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { QnnModel } from '../../src/qnn/model.js';
import { makeQnnObjective } from '../../src/distill/objective.js';
import type { ModelSpec } from '../../src/qnn/spec.js';
import { train, type TrainOptions } from '../../src/train/loop.js';

const data = gaussianBlobs({ classes: 2, features: 4, nTrain: 64, nVal: 32, nTest: 64, separation: 6, seed: 11 });
const spec = (backend: 'mps' | 'statevector'): ModelSpec => ({
  qubits: 4, features: 4, classes: 2,
  encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
  ansatz: { type: 'hardware-efficient', layers: 1, entangler: 'cz' },
  readout: { type: 'qubits', qubits: [0, 1] },
  initScale: 0.1,
  backend,
  ...(backend === 'mps' ? { truncation: { cutoff: 0 } } : {}),
});
const opts: TrainOptions = { epochs: 15, batchSize: 16, seed: 7, optimizer: { type: 'adam' }, schedule: { type: 'cosine', lr: 0.1, lrMin: 0.01, epochs: 15 } };

async function run(backend: 'mps' | 'statevector', workers: number) {
  const model = new QnnModel(spec(backend));
  const obj = await makeQnnObjective(model, data, { workers });
  try {
    return await train(obj, model.initParams(makeRng('init-7')), opts);
  } finally {
    await obj.close();
  }
}

describe('training a QNN on a 2-class toy task', () => {
  it('reaches ≥ 95% test accuracy on both backends, with loss curves equal to 1e-8', async () => {
    const sv = await run('statevector', 1);
    const mps = await run('mps', 1);
    const last = (r: typeof sv) => r.history[r.history.length - 1]!;
    expect(last(sv).test_accuracy).toBeGreaterThanOrEqual(0.95);
    expect(last(mps).test_accuracy).toBeGreaterThanOrEqual(0.95);
    sv.history.forEach((h, i) => {
      expect(Math.abs(h.train_loss! - mps.history[i]!.train_loss!)).toBeLessThan(1e-8);
      expect(Math.abs(h.batch_loss - mps.history[i]!.batch_loss)).toBeLessThan(1e-8);
    });
  });

  it('gives bit-identical parameters with 1 and 2 workers', async () => {
    const a = await run('mps', 1);
    const b = await run('mps', 2);
    expect(Buffer.from(b.params.buffer).equals(Buffer.from(a.params.buffer))).toBe(true);
    expect(b.history.map((h) => h.train_loss)).toEqual(a.history.map((h) => h.train_loss));
  });
});

describe('objectives sharing one in-process worker module', () => {
  it('keep their own model and data (regression: a second objective replaced the first one\'s model)', async () => {
    const small = new QnnModel(spec('statevector'));
    const big = new QnnModel({ ...spec('statevector'), ansatz: { type: 'hardware-efficient', layers: 3, entangler: 'cz' } });
    const a = await makeQnnObjective(small, data, { workers: 1 });
    const pa = small.initParams(makeRng('a'));
    const before = await a.evaluate(pa, 'test');
    const b = await makeQnnObjective(big, data, { workers: 1 });
    await b.evaluate(big.initParams(makeRng('b')), 'test');
    const after = await a.evaluate(pa, 'test');
    expect(after.loss).toBe(before.loss);
    await a.close(); await b.close();
  });
});
