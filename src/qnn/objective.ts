/**
 * The training objective of a QNN classifier over a dataset: mean cross-entropy and its
 * gradient over a minibatch, evaluated in a worker pool. Per-sample gradients come back in
 * sample order and are summed in that order, so 1 and K workers give bit-identical results.
 */
import { mpsToJson, Mps } from '../../mps/index.js';
import type { Dataset, SplitName } from '../data/dataset.js';
import type { Objective } from '../train/loop.js';
import { WorkerPool } from '../train/pool.js';
import type { QnnModel } from './model.js';
import type { InitPayload, Task, TaskResult, WireInput } from './worker-task.js';

/** A QNN objective that owns a worker pool; call `close()` when done. */
export interface QnnObjective extends Objective {
  close(): Promise<void>;
}

/** Splits `indices` into at most `parts` contiguous chunks of near-equal size. */
export function chunk<T>(items: T[], parts: number): T[][] {
  const p = Math.max(1, Math.min(parts, items.length));
  const out: T[][] = [];
  for (let i = 0; i < p; i++) out.push(items.slice(Math.floor((i * items.length) / p), Math.floor(((i + 1) * items.length) / p)));
  return out.filter((c) => c.length > 0);
}

/**
 * Builds the objective. `workers` ≤ 1 evaluates in-process; otherwise a pool of that size
 * (worker threads need the compiled dist/ files; `npm run build`).
 */
export async function makeQnnObjective(model: QnnModel, data: Dataset, opts: { workers?: number } = {}): Promise<QnnObjective> {
  const workers = Math.max(1, opts.workers ?? 1);
  const wire = (s: Dataset['train']) => ({ x: s.x.map((v): WireInput => (v instanceof Mps ? mpsToJson(v) : Array.from(v))), y: Array.from(s.y) });
  const payload: InitPayload = { spec: model.spec, splits: { train: wire(data.train), val: wire(data.val), test: wire(data.test) } };
  const pool = new WorkerPool(new URL('./worker-task.js', import.meta.url), workers);
  await pool.init(payload);
  const P = model.nParams;
  const evalChunks = async (params: Float64Array, split: SplitName, indices: number[], grad: boolean): Promise<TaskResult[]> => {
    const tasks: Task[] = chunk(indices, workers * 2).map((ix) => ({ params: params.slice(), split, indices: ix, grad }));
    return pool.map<Task, TaskResult>(tasks);
  };
  return {
    nParams: P,
    nTrain: data.train.y.length,
    async lossAndGrad(params, indices) {
      const res = await evalChunks(params, 'train', indices, true);
      const grad = new Float64Array(P);
      let loss = 0, correct = 0;
      for (const r of res) {
        for (let s = 0; s < r.loss.length; s++) {
          loss += r.loss[s]!; correct += r.correct[s]!;
          for (let j = 0; j < P; j++) grad[j]! += r.grads[s * P + j]!;
        }
      }
      const m = indices.length;
      for (let j = 0; j < P; j++) grad[j]! /= m;
      return { loss: loss / m, grad, correct };
    },
    async evaluate(params, split) {
      const n = data[split].y.length;
      const res = await evalChunks(params, split, Array.from({ length: n }, (_, i) => i), false);
      let loss = 0, correct = 0, fMin = 1, fSum = 0, bond = 0;
      for (const r of res) {
        for (let s = 0; s < r.loss.length; s++) {
          loss += r.loss[s]!; correct += r.correct[s]!;
          fMin = Math.min(fMin, r.fidelity[s]!); fSum += r.fidelity[s]!; bond = Math.max(bond, r.maxBond[s]!);
        }
      }
      return { loss: loss / n, accuracy: correct / n, extra: { fidelity_mean: fSum / n, fidelity_min: fMin, max_bond: bond } };
    },
    close: () => pool.close(),
  };
}
