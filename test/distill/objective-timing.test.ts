/**
 * The objective's timing reports (the throughput benchmark's instrumentation): with
 * `timing: true` every pool call records its wall time and each task's thread, run time,
 * forward and backward time; the split of a step from them sums to the step's time; results
 * are bit-identical with and without timing and for 1 and 2 workers (a batch of 11 samples is
 * cut into uneven tasks that the pool hands out as workers become free).
 */
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { guidedChunks, makeQnnObjective } from '../../src/distill/objective.js';
import { QnnModel } from '../../src/qnn/model.js';
import { PHASES, splitStepTime } from '../../src/train/timing.js';
import { toyQnnSpec } from '../helpers/toy-qnn.js';

const data = gaussianBlobs({ classes: 2, features: 6, nTrain: 11, nVal: 3, nTest: 3, separation: 2, seed: 5 });
const model = new QnnModel(toyQnnSpec({ qubits: 6, classes: 2, layers: 2, ansatz: 'ry', readout: [1, 4], readoutType: 'linear', maxBond: 2 }));
const params = model.initParams(makeRng('timing'));
const batch = Array.from({ length: 11 }, (_, i) => i);

async function measure(workers: number, timing: boolean) {
  const obj = await makeQnnObjective(model, data, { workers, timing });
  try {
    const t0 = performance.now();
    const r = await obj.lossAndGrad(params, batch, { epoch: 0, step: 0 });
    return { r, totalMs: performance.now() - t0, call: obj.lastPoolCall };
  } finally {
    await obj.close();
  }
}
/** One step per (workers, timing), made once whichever test asks first (each objective starts its own pool). */
const steps = new Map<string, ReturnType<typeof measure>>();
function step(workers: number, timing: boolean): ReturnType<typeof measure> {
  const key = `${workers}:${timing}`;
  if (!steps.has(key)) steps.set(key, measure(workers, timing));
  return steps.get(key)!;
}

describe('objective timing (needs npm run build for the 2-worker case)', () => {
  it('loss and gradient are bit-identical with and without timing, for 1 and 2 workers', async () => {
    const runs = [await step(1, false), await step(1, true), await step(2, false), await step(2, true)];
    for (const s of runs) {
      expect(s.r.loss).toBe(runs[0]!.r.loss);
      expect(Buffer.from(s.r.grad.buffer).equals(Buffer.from(runs[0]!.r.grad.buffer))).toBe(true);
    }
    expect(runs[0]!.call).toBeNull();
    expect(runs[2]!.call).toBeNull();
  });

  it.each([1, 2])('%d worker(s): every task reports consistent times, and the split sums to the step', async (workers) => {
    const { totalMs, call } = await step(workers, true);
    expect(call).not.toBeNull();
    const tasks = call!.tasks;
    // one task per guided chunk of the call's 11 samples (6, 3, 1, 1 on one worker; 3, 2, 2, 1, 1, 1, 1 on two)
    expect(tasks.length).toBe(workers === 1 ? 4 : 7);
    expect(tasks.length).toBe(guidedChunks(Array.from({ length: 11 }, (_, i) => i), workers).length);
    for (const t of tasks) {
      expect(t.forwardMs).toBeGreaterThan(0);
      expect(t.backwardMs).toBeGreaterThan(0);
      expect(t.forwardMs + t.backwardMs).toBeLessThanOrEqual(t.runMs);
    }
    const threads = new Set(tasks.map((t) => t.thread));
    if (workers === 1) expect([...threads]).toEqual([0]);
    else expect(threads.has(0)).toBe(false);
    expect(call!.poolMs).toBeLessThanOrEqual(totalMs);
    const s = splitStepTime({ totalMs, poolMs: call!.poolMs, optimizerMs: 0, tasks });
    expect(Math.abs(PHASES.reduce((a, k) => a + s[k], 0) - totalMs)).toBeLessThanOrEqual(1e-9 * totalMs);
    expect(s.transfer).toBeGreaterThanOrEqual(0);
  });
});
