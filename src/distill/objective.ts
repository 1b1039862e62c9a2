/**
 * The training objective of a QNN classifier over a dataset: mean cross-entropy (or a
 * distillation loss) and its gradient over a minibatch, evaluated in a worker pool. It joins
 * the model (qnn/), the data (data/), the pool (infra/) and the losses (distill/), so it lives
 * above all of them. Per-sample gradients come back in sample order and are summed in that
 * order, so 1 and K workers give bit-identical results.
 */
import { mpsToJson, Mps, NORM_DRIFT_TOL } from '../../mps/index.js';
import type { Dataset, SplitName } from '../data/dataset.js';
import type { Objective } from '../train/loop.js';
import { WorkerPool } from '../infra/pool.js';
import type { QnnModel } from '../qnn/model.js';
import type { KdOptions } from './losses.js';
import type { ChunkLoss, InitPayload, Task, TaskResult, TaskTiming, WireInput } from './worker-task.js';

/**
 * The training loss over the whole training split: cross-entropy, Hinton KD against
 * per-sample teacher logits (with optional per-sample weights, e.g. teacher fidelities, and an
 * optional mask `unlabelled` (1 = the sample belongs to the transfer set: its label is not used,
 * only the soft term, see `hintonKdLoss`), or
 * cross-entropy against per-sample soft targets.
 */
export type ObjectiveLoss =
  | { kind: 'ce' }
  | { kind: 'kd'; options: KdOptions; teacherLogits: Float64Array[]; weights?: Float64Array; unlabelled?: Uint8Array }
  | { kind: 'soft'; targets: Float64Array[] };

/** Per-sample predictions on a split. */
export interface Predictions {
  /** Logits per sample. */
  logits: Float64Array[];
  /** Fidelity estimate of each sample's simulation. */
  fidelity: Float64Array;
  /** Largest bond dimension each sample's simulation reached. */
  bondReached: Float64Array;
  /** Accuracy on the split. */
  accuracy: number;
}

/** A QNN objective that owns a worker pool; call `close()` when done. */
export interface QnnObjective extends Objective {
  /** Replaces the training loss (takes effect at the next step). */
  setLoss(loss: ObjectiveLoss): void;
  /**
   * A hook called with the parameters at the first step of every epoch (before the step):
   * self-distillation uses it to refresh targets from the previous epoch's model.
   */
  onEpochStart?: (epoch: number, params: Float64Array, objective: QnnObjective) => Promise<void>;
  /**
   * Per-sample logits and fidelities on a split. For a stochastic model (shots or noise)
   * `replicate` r > 0 draws fresh shots and trajectories (call seed `<seed>:eval:<split>:r<r>`);
   * r = 0 or absent uses the seed of {@link Objective.evaluate} (`<seed>:eval:<split>`).
   */
  predict(params: Float64Array, split: SplitName, replicate?: number): Promise<Predictions>;
  /** Stops the worker pool and forgets the in-process session. */
  close(): Promise<void>;
  /**
   * With `opts.timing`: the last pool call's wall time (ms, sending the tasks to receiving
   * every result) and the timing each task reported; null before the first call or without
   * `opts.timing`.
   */
  lastPoolCall: { poolMs: number; tasks: TaskTiming[] } | null;
}

let sessionCounter = 0;


/** The numerical alarm over a stretch of simulations: the largest norm drift and whether it exceeded NORM_DRIFT_TOL. */
export interface NumericsSummary {
  normDriftMax: number;
  normDriftExceeded: boolean;
}

const seen: NumericsSummary = { normDriftMax: 0, normDriftExceeded: false };

/**
 * The norm-drift alarm of every simulation run by any objective of this process (all its
 * workers) since the last call, and resets it. The experiment runner records it per run.
 */
export function takeNumerics(): NumericsSummary {
  const out = { ...seen };
  seen.normDriftMax = 0;
  seen.normDriftExceeded = false;
  return out;
}

/**
 * Splits `items` into contiguous chunks of decreasing size for a pool of `workers` workers (a
 * variant of guided self-scheduling, Polychronopoulos & Kuck, IEEE Trans. Comput. 36, 1987,
 * whose chunks take ⌈remaining / workers⌉): each chunk takes ⌈remaining / (2·workers)⌉ items. The pool hands chunks out in order as workers become
 * free, so the large chunks go first and the last ones hold a single item: the workers finish
 * within about one sample of each other, with few messages (9 chunks for 20 items on 2
 * workers, 20 for 500). `workers` below 1 or not a finite number counts as 1.
 */
export function guidedChunks<T>(items: T[], workers: number): T[][] {
  const d = 2 * (Number.isFinite(workers) && workers >= 1 ? Math.floor(workers) : 1);
  const out: T[][] = [];
  for (let at = 0; at < items.length;) {
    const size = Math.ceil((items.length - at) / d);
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

/**
 * Builds the objective. `workers` ≤ 1 evaluates in-process; otherwise a pool of that size
 * (worker threads need the compiled dist/ files; `npm run build`).
 *
 * A stochastic model (shots or noise) needs `seed`: training step (epoch e, batch b) uses the
 * call seed `<seed>:train:<e>:<b>`, evaluation of a split `<seed>:eval:<split>`, and sample i
 * of the call is evaluated under `<call seed>:<i>` (its index in the split), so results are
 * the same for any number of workers and after a resume.
 * `timing` makes every task report where its time went ({@link QnnObjective.lastPoolCall}).
 * @throws Error when the model is stochastic and `seed` is absent.
 */
export async function makeQnnObjective(model: QnnModel, data: Dataset, opts: { workers?: number; seed?: string | number; timing?: boolean } = {}): Promise<QnnObjective> {
  const workers = Math.max(1, opts.workers ?? 1);
  if (model.stochastic && opts.seed === undefined) throw new Error('makeQnnObjective: the model estimates its readouts from shots or noisy trajectories: give opts.seed');
  const callSeed = (tag: string): { seed?: string } => (model.stochastic ? { seed: `${opts.seed}:${tag}` } : {});
  const wire = (s: Dataset['train']) => ({ x: s.x.map((v): WireInput => (v instanceof Mps ? mpsToJson(v) : Array.from(v))), y: Array.from(s.y) });
  const session = `obj-${++sessionCounter}-${process.pid}`;
  const payload: InitPayload = { session, spec: model.spec, splits: { train: wire(data.train), val: wire(data.val), test: wire(data.test) } };
  const pool = new WorkerPool(new URL('./worker-task.js', import.meta.url), workers);
  await pool.init(payload);
  const P = model.nParams;
  const C = model.spec.classes;
  let loss: ObjectiveLoss = { kind: 'ce' };
  const rows = (arrs: Float64Array[], ix: number[]): Float64Array => {
    const out = new Float64Array(ix.length * C);
    ix.forEach((i, s) => out.set(arrs[i]!, s * C));
    return out;
  };
  const chunkLoss = (ix: number[]): ChunkLoss => {
    if (loss.kind === 'kd') {
      const l = loss;
      return { kind: 'kd', options: l.options, teacherLogits: rows(l.teacherLogits, ix), weights: l.weights ? Float64Array.from(ix, (i) => l.weights![i]!) : null, ...(l.unlabelled ? { unlabelled: Uint8Array.from(ix, (i) => l.unlabelled![i]!) } : {}) };
    }
    if (loss.kind === 'soft') return { kind: 'soft', targets: rows(loss.targets, ix) };
    return { kind: 'ce' };
  };
  const evalChunks = async (params: Float64Array, split: SplitName, indices: number[], grad: boolean, seed: { seed?: string }): Promise<TaskResult[]> => {
    const tasks: Task[] = guidedChunks(indices, workers).map((ix) => ({ session, params: params.slice(), split, indices: ix, grad, ...(grad ? { loss: chunkLoss(ix) } : {}), ...seed, ...(opts.timing ? { timing: true } : {}) }));
    const t0 = opts.timing ? performance.now() : 0;
    const res = await pool.map<Task, TaskResult>(tasks);
    if (opts.timing) self.lastPoolCall = { poolMs: performance.now() - t0, tasks: res.map((r) => r.timing!) };
    for (const r of res) {
      for (const d of r.normDrift) {
        if (!(d <= NORM_DRIFT_TOL)) seen.normDriftExceeded = true;
        if (d > seen.normDriftMax || Number.isNaN(d)) seen.normDriftMax = Number.isNaN(d) ? Infinity : d;
      }
    }
    return res;
  };
  let lastEpoch = -1;
  const self: QnnObjective = {
    lastPoolCall: null,
    nParams: P,
    nTrain: data.train.y.length,
    setLoss(l) {
      if (l.kind !== 'ce') {
        const arr = l.kind === 'kd' ? l.teacherLogits : l.targets;
        if (arr.length !== data.train.y.length) throw new Error(`${l.kind} loss: expected ${data.train.y.length} per-sample rows, got ${arr.length}`);
        if (l.kind === 'kd' && l.unlabelled && l.unlabelled.length !== data.train.y.length) throw new Error(`kd loss: the unlabelled mask has ${l.unlabelled.length} entries, expected ${data.train.y.length}`);
      }
      loss = l;
    },
    async predict(params, split, replicate = 0) {
      const n = data[split].y.length;
      const res = await evalChunks(params, split, Array.from({ length: n }, (_, i) => i), false, callSeed(replicate > 0 ? `eval:${split}:r${replicate}` : `eval:${split}`));
      const logits: Float64Array[] = [];
      const fidelity = new Float64Array(n), bondReached = new Float64Array(n);
      let k = 0, correct = 0;
      for (const r of res) {
        for (let s = 0; s < r.loss.length; s++, k++) {
          logits.push(r.logits.slice(s * C, (s + 1) * C));
          fidelity[k] = r.fidelity[s]!; bondReached[k] = r.bondReached[s]!; correct += r.correct[s]!;
        }
      }
      return { logits, fidelity, bondReached, accuracy: correct / n };
    },
    async lossAndGrad(params, indices, ctx) {
      if (ctx.epoch !== lastEpoch) {
        lastEpoch = ctx.epoch;
        if (self.onEpochStart) await self.onEpochStart(ctx.epoch, params, self);
      }
      const res = await evalChunks(params, 'train', indices, true, callSeed(`train:${ctx.epoch}:${ctx.step}`));
      const grad = new Float64Array(P);
      let lossSum = 0, correct = 0;
      for (const r of res) {
        for (let s = 0; s < r.loss.length; s++) {
          lossSum += r.loss[s]!; correct += r.correct[s]!;
          for (let j = 0; j < P; j++) grad[j]! += r.grads[s * P + j]!;
        }
      }
      const m = indices.length;
      for (let j = 0; j < P; j++) grad[j]! /= m;
      return { loss: lossSum / m, grad, correct };
    },
    async evaluate(params, split) {
      const n = data[split].y.length;
      const res = await evalChunks(params, split, Array.from({ length: n }, (_, i) => i), false, callSeed(`eval:${split}`));
      let lossSum = 0, correct = 0, fMin = 1, fSum = 0, bond = 0;
      for (const r of res) {
        for (let s = 0; s < r.loss.length; s++) {
          lossSum += r.loss[s]!; correct += r.correct[s]!;
          fMin = Math.min(fMin, r.fidelity[s]!); fSum += r.fidelity[s]!; bond = Math.max(bond, r.bondReached[s]!);
        }
      }
      return { loss: lossSum / n, accuracy: correct / n, extra: { fidelity_mean: fSum / n, fidelity_min: fMin, bond_reached: bond } };
    },
    close: async () => {
      if (workers <= 1) (await import('./worker-task.js')).dispose(session);
      await pool.close();
    },
  };
  return self;
}
