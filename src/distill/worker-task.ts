/**
 * The worker-pool task module of {@link QnnObjective}: each worker rebuilds the model and the
 * dataset once (`init`), then evaluates per-sample losses, logits and gradients (`run`).
 * Results are per sample so that the caller can reduce them in a fixed order.
 */
import { threadId } from 'node:worker_threads';
import { mpsFromJson, takeAdjointPhaseTimes, type MpsJson } from '../../mps/index.js';
import type { SplitName } from '../data/dataset.js';
import { hintonKdLoss, softTargetCrossEntropy, UNLABELLED, type KdOptions } from './losses.js';
import { crossEntropy, argmax, type LossResult } from '../qnn/loss.js';
import { QnnModel, type ModelInput } from '../qnn/model.js';
import type { ModelSpec } from '../qnn/spec.js';

/** Serialised inputs: feature arrays or MPS JSON. */
export type WireInput = number[] | MpsJson;

/** The payload broadcast to every worker. */
export interface InitPayload {
  /** Identifies the objective: several objectives may share one in-process module instance. */
  session: string;
  spec: ModelSpec;
  splits: Record<SplitName, { x: WireInput[]; y: number[] }>;
}

/**
 * The training loss of a chunk: plain cross-entropy, Hinton KD against per-sample teacher
 * logits (row-major, one row of C per sample of the chunk) with optional per-sample weights,
 * or cross-entropy against per-sample soft targets (PS-KD).
 */
export type ChunkLoss =
  | { kind: 'ce' }
  | { kind: 'kd'; options: KdOptions; teacherLogits: Float64Array; weights: Float64Array | null; unlabelled?: Uint8Array }
  | { kind: 'soft'; targets: Float64Array };

/** One task: a contiguous chunk of sample indices of one split. */
export interface Task {
  /** The objective's session (see {@link InitPayload.session}). */
  session: string;
  params: Float64Array;
  split: SplitName;
  indices: number[];
  /** Compute gradients (training) or only forward (evaluation). */
  grad: boolean;
  /** Training loss (default cross-entropy); evaluation always reports cross-entropy. */
  loss?: ChunkLoss;
  /**
   * Seed of this call for a stochastic model (shots or noise): sample i of the split is
   * evaluated under `<seed>:<i>`, so results do not depend on how samples are chunked.
   */
  seed?: string;
  /** Report {@link TaskTiming} with the result (the throughput benchmark sets it). */
  timing?: boolean;
}

/** Where one task's time went in the thread that ran it (milliseconds of wall time). */
export interface TaskTiming {
  /** The thread (`worker_threads.threadId`; 0 for the main thread). */
  thread: number;
  /** The whole of `run(task)`. */
  runMs: number;
  /** Forward simulations (inside the adjoint gradient, or the forward-only evaluations). */
  forwardMs: number;
  /** Backward passes of the adjoint gradients. */
  backwardMs: number;
}

/** Per-sample results, in the order of `indices`. */
export interface TaskResult {
  loss: Float64Array;
  correct: Uint8Array;
  /** nSamples × nParams (empty when grad is false). */
  grads: Float64Array;
  /** Fidelity estimate of each sample's simulation. */
  fidelity: Float64Array;
  /** Largest bond dimension each sample's simulation reached (1 on the state vector). */
  bondReached: Float64Array;
  /** Norm drift |‖ψ‖² − F| of each sample's simulation (the engine's numerical alarm). */
  normDrift: Float64Array;
  /** Logits, nSamples × C. */
  logits: Float64Array;
  /** Present when the task asked for it ({@link Task.timing}). */
  timing?: TaskTiming;
}

interface Session { model: QnnModel; data: Record<SplitName, { x: ModelInput[]; y: number[] }> }
/** Sessions by id: in-process pools of several objectives share this module instance. */
const sessions = new Map<string, Session>();

/** Rebuilds the model and decodes the dataset. */
export function init(payload: InitPayload): void {
  const decode = (s: { x: WireInput[]; y: number[] }) => ({ x: s.x.map((v) => (Array.isArray(v) ? Float64Array.from(v) : mpsFromJson(v))), y: s.y });
  sessions.set(payload.session, { model: new QnnModel(payload.spec), data: { train: decode(payload.splits.train), val: decode(payload.splits.val), test: decode(payload.splits.test) } });
}

/** Forgets a session (called when its objective closes). */
export function dispose(session: string): void {
  sessions.delete(session);
}

/** Evaluates one chunk. */
export function run(task: Task): TaskResult {
  const t0 = task.timing ? performance.now() : 0;
  if (task.timing) takeAdjointPhaseTimes();
  let forwardOnlyMs = 0;
  const st = sessions.get(task.session);
  if (!st) throw new Error(`worker task: session ${task.session} used before init`);
  const m = st.model;
  const split = st.data[task.split];
  const k = task.indices.length;
  const out: TaskResult = {
    loss: new Float64Array(k), correct: new Uint8Array(k), grads: new Float64Array(task.grad ? k * m.nParams : 0),
    fidelity: new Float64Array(k), bondReached: new Float64Array(k), normDrift: new Float64Array(k), logits: new Float64Array(k * m.spec.classes),
  };
  const C = m.spec.classes;
  const loss = task.loss ?? { kind: 'ce' };
  const lossFor = (s: number, y: number) => (z: Float64Array): LossResult => {
    if (loss.kind === 'kd') {
      const w = loss.weights ? loss.weights[s]! : 1;
      return hintonKdLoss(z, loss.unlabelled?.[s] ? UNLABELLED : y, { logits: loss.teacherLogits.subarray(s * C, (s + 1) * C), weight: w }, loss.options);
    }
    if (loss.kind === 'soft') return softTargetCrossEntropy(z, loss.targets.subarray(s * C, (s + 1) * C));
    return crossEntropy(z, y);
  };
  task.indices.forEach((i, s) => {
    const x = split.x[i]!;
    const y = split.y[i]!;
    const seed = task.seed === undefined ? undefined : `${task.seed}:${i}`;
    if (task.grad) {
      const r = m.forwardBackward(task.params, x, lossFor(s, y), seed);
      out.logits.set(r.logits, s * C);
      out.loss[s] = r.loss; out.correct[s] = argmax(r.logits) === y ? 1 : 0;
      out.grads.set(r.grad, s * m.nParams);
      out.fidelity[s] = r.report.fidelityEstimate; out.bondReached[s] = r.report.bondReached; out.normDrift[s] = r.report.normDrift;
    } else {
      const tf = task.timing ? performance.now() : 0;
      const r = m.forward(task.params, x, seed);
      if (task.timing) forwardOnlyMs += performance.now() - tf;
      out.logits.set(r.logits, s * C);
      out.loss[s] = crossEntropy(r.logits, y).loss; out.correct[s] = argmax(r.logits) === y ? 1 : 0;
      out.fidelity[s] = r.report.fidelityEstimate; out.bondReached[s] = r.report.bondReached; out.normDrift[s] = r.report.normDrift;
    }
  });
  if (task.timing) {
    const ph = takeAdjointPhaseTimes();
    out.timing = { thread: threadId, runMs: performance.now() - t0, forwardMs: ph.forwardMs + forwardOnlyMs, backwardMs: ph.backwardMs };
  }
  return out;
}
