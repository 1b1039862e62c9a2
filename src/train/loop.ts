/**
 * The one shared training loop (docs/design.md §2 src/train, §8 durability): seeded minibatch
 * shuffles, an optimizer step per batch at the schedule's rate, a NaN/Inf guard, per-epoch
 * metrics (returned as records and optionally appended to a JSONL file), early stopping,
 * named snapshots, and atomic checksummed checkpoints from which `resume` continues exactly
 * as an uninterrupted run would. With `handleSigint`, a SIGINT ends training cleanly after
 * the current epoch and its checkpoint.
 *
 * Numbering: `ctx.epoch` and the schedule see the 0-based epoch index; history records,
 * snapshot names and error messages count epochs and batches from 1 (record `epoch: 3` is
 * the state after three epochs). Parameter indices are 0-based.
 *
 * Step budget: with `steps`, training takes exactly that many optimizer steps (fewer only
 * under early stopping or SIGINT). Epochs run as without it (the same seeded shuffles, every
 * epoch ⌈nTrain / batchSize⌉ batches), and the last epoch stops once the budget is spent:
 * `epochs` is ⌈steps / stepsPerEpoch⌉ (given as well, it must equal that). The last, partial
 * epoch gets a history record, an evaluation and a checkpoint like any other; a run killed
 * inside it resumes from the checkpoint of the epoch before and repeats it exactly.
 *
 * Reproducibility: epoch e's order is `epochPermutation(nTrain, seed, e)`, the schedule is
 * pure, and the checkpoint stores params, optimizer state, history, best params and
 * snapshots exactly (JSON numbers round-trip), so with a deterministic objective the final
 * params and history of a resumed run equal those of a straight run bit for bit — except
 * each record's wall-clock `seconds`.
 */
import { mkdir, appendFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJsonChecked, writeFileAtomic, writeJsonChecked } from '../infra/atomic.js';
import { hashJson } from '../infra/hash.js';
import { makeOptimizer, type OptimizerSpec, type OptimizerState } from './optimizers.js';
import { makeProgress, type ProgressMode, type ProgressStream } from './progress.js';
import { makeSchedule, type ScheduleSpec } from './schedules.js';
import { epochPermutation, minibatches } from './shuffle.js';
import { watchSigint } from '../infra/sigint.js';

/** A data split the objective can evaluate. */
export type Split = 'train' | 'val' | 'test';

/** Position of a training step, passed to {@link Objective.lossAndGrad}. */
export interface StepContext {
  /** 0-based epoch index. */
  epoch: number;
  /** 0-based batch index within the epoch. */
  step: number;
}

/** What a model must provide to be trained by {@link train}. */
export interface Objective {
  /** Length of the parameter vector. */
  nParams: number;
  /** Number of training samples; minibatches are drawn from indices 0 … nTrain−1. */
  nTrain: number;
  /** Mean loss and its gradient over the given training-sample indices, plus the number classified correctly. Must be deterministic. */
  lossAndGrad(params: Float64Array, indices: number[], ctx: StepContext): Promise<{ loss: number; grad: Float64Array; correct: number }>;
  /** Mean loss and accuracy on a split; `extra` values (e.g. a truncation summary) are logged as `<split>_<key>`. */
  evaluate(params: Float64Array, split: Split): Promise<{ loss: number; accuracy: number; extra?: Record<string, number> }>;
}

/** Early-stopping rule: stop after `patience` epochs without an improvement larger than `minDelta`. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping (integer ≥ 1). */
  patience: number;
  /** Smallest change that counts as an improvement (≥ 0; default 0). */
  minDelta?: number;
  /** The monitored metric (requires 'val' in evalSplits). */
  metric: 'val_loss' | 'val_accuracy';
}

/** Options of {@link train}. */
export interface TrainOptions {
  /**
   * Total number of epochs (integer ≥ 1); a resumed run continues up to this. Required unless
   * `steps` is given; with `steps` it may be left out (it is ⌈steps / stepsPerEpoch⌉, and a
   * different value is an error).
   */
  epochs?: number;
  /**
   * Budget of optimizer steps (integer ≥ 1): training stops inside the last epoch once this many
   * steps are taken, whatever the training-set size (see the module comment). Off when omitted.
   */
  steps?: number;
  /** Samples per minibatch (integer ≥ 1; the last batch of an epoch may be smaller). */
  batchSize: number;
  /** Seed of the per-epoch shuffles. */
  seed: string | number;
  /** Optimizer and its options. */
  optimizer: OptimizerSpec;
  /** Learning-rate schedule. */
  schedule: ScheduleSpec;
  /** Splits evaluated after every epoch (default {@link DEFAULT_EVAL_SPLITS}). */
  evalSplits?: Split[];
  /**
   * Evaluate the validation split every this many optimizer steps (integer ≥ 1; needs 'val' in
   * `evalSplits`) and record the points in each epoch's `val_steps`, together with the point at
   * the epoch's end; off when omitted (records then carry no `val_steps`). Steps count from 1
   * across epochs (step s is the state after s optimizer steps).
   */
  validateEvery?: number;
  /**
   * Evaluate the splits of `evalSplits` other than 'val' (train and test) only at the end of an
   * epoch in which the step count crosses a multiple of this many optimizer steps, and at the
   * end of training (the last epoch, or the epoch early stopping ends); other epochs' records
   * carry null for them. The validation split stays every epoch (early stopping and
   * `validateEvery` read it). For step budgets over small training sets, where an epoch is a few
   * steps and evaluating 1000 test samples after each would cost more than the training. Integer
   * ≥ 1; every epoch when omitted.
   */
  evalEvery?: number;
  /** Early stopping; off when omitted. */
  earlyStopping?: EarlyStoppingOptions;
  /** Directory of `checkpoint.json`; no checkpoints when omitted. */
  checkpointDir?: string;
  /** Checkpoint every this many epochs (integer ≥ 1, default 1); the final epoch is always checkpointed. */
  checkpointEvery?: number;
  /** Continue from `checkpointDir/checkpoint.json` if it exists (default false: start afresh and overwrite it). */
  resume?: boolean;
  /** Keep a snapshot of the params every this many epochs (integer ≥ 1); none when omitted. */
  snapshotEvery?: number;
  /** JSONL file receiving one line per epoch (rewritten from the history on resume). */
  metricsFile?: string;
  /** Progress display on stderr (default 'none'). */
  progress?: ProgressMode;
  /** Stream for progress output (default process.stderr). */
  progressStream?: ProgressStream;
  /** Name of the run shown in the progress bar and at the start of each progress line. */
  progressLabel?: string;
  /** Called with each epoch's record after it is logged. */
  onEpoch?: (rec: EpochRecord) => void;
  /**
   * Stop cleanly on SIGINT (default false). While `train` runs it listens for SIGINT; the first
   * one lets the current epoch finish, writes the checkpoint (when `checkpointDir` is set,
   * whatever `checkpointEvery` says) and returns with `interrupted: true`, so a later run with
   * `resume: true` continues exactly where it stopped. A second SIGINT removes the listener
   * and re-raises the signal (the default action: the process ends at once). The listener is
   * removed when `train` returns or throws.
   */
  handleSigint?: boolean;
}

/** The splits evaluated by default. */
export const DEFAULT_EVAL_SPLITS: readonly Split[] = Object.freeze(['train', 'val', 'test'] as Split[]);
/** Default checkpoint interval, in epochs. */
export const DEFAULT_CHECKPOINT_EVERY = 1;
/** Default early-stopping minDelta. */
export const DEFAULT_MIN_DELTA = 0;
/** File name of the checkpoint inside checkpointDir. */
export const CHECKPOINT_FILE = 'checkpoint.json';

/** Metrics of one epoch. Split metrics are null for splits not evaluated. */
export interface EpochRecord {
  /** Epochs completed (1-based). */
  epoch: number;
  train_loss: number | null;
  train_accuracy: number | null;
  val_loss: number | null;
  val_accuracy: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  /** Mean minibatch loss during the epoch (before each step), weighted by batch size. */
  batch_loss: number;
  /** Fraction of training samples classified correctly during the epoch (before each step). */
  batch_accuracy: number;
  /** Learning rate of the epoch's first step. */
  lr: number;
  /** Wall-clock seconds of the epoch, evaluation included. */
  seconds: number;
  /** With a step budget (`steps`): optimizer steps taken by the end of this epoch. Absent otherwise. */
  steps?: number;
  /** Objective-specific values, keyed `<split>_<key>`. */
  extra: Record<string, number>;
  /**
   * With `validateEvery`: validation points of this epoch in step order — every multiple of
   * `validateEvery` inside the epoch, then the epoch's end (the record's own val metrics). Absent otherwise.
   */
  val_steps?: ValidationPoint[];
}

/** Validation accuracy and loss after `step` optimizer steps (counted from 1 across epochs). */
export interface ValidationPoint {
  step: number;
  val_accuracy: number;
  val_loss: number;
}

/** Parameters frozen at the end of an epoch (for snapshot / self-distillation). */
export interface Snapshot {
  /** `epoch-<n>`. */
  name: string;
  /** Epochs completed when taken (1-based). */
  epoch: number;
  params: Float64Array;
}

/** What {@link train} returns. */
export interface TrainResult {
  /** Final parameters. */
  params: Float64Array;
  /** Parameters at the best monitored metric (earlyStopping.metric, else val_loss; the final params if 'val' is not evaluated). */
  bestParams: Float64Array;
  /** Epoch (1-based) of bestParams. */
  bestEpoch: number;
  history: EpochRecord[];
  snapshots: Snapshot[];
  stoppedEarly: boolean;
  /** True when a SIGINT (with `handleSigint`) stopped training before `epochs` epochs. */
  interrupted: boolean;
  /** Epochs completed (the last one partial when a step budget ends inside it). */
  epochs: number;
  /** Optimizer steps taken. */
  steps: number;
}

/** The JSON content of checkpoint.json (version 1). */
export interface Checkpoint {
  version: 1;
  optionsHash: string;
  nParams: number;
  epochsDone: number;
  params: number[];
  optimizer: OptimizerState;
  history: EpochRecord[];
  best: { metric: string; value: number | null; epoch: number; params: number[] };
  snapshots: { name: string; epoch: number; params: number[] }[];
  stoppedEarly: boolean;
  /** The shuffle needs no stored RNG state: epoch e uses epochPermutation(nTrain, seed, e). */
  shuffle: { seed: string | number; scheme: 'alea(seed:epoch:e) fisher-yates' };
}

/**
 * Hash of everything that determines the trajectory (not `epochs`, paths, progress or
 * callbacks): a checkpoint is only resumed under the same hash.
 */
export function trainOptionsHash(objective: Pick<Objective, 'nParams' | 'nTrain'>, opts: TrainOptions): string {
  return hashJson({
    nParams: objective.nParams,
    nTrain: objective.nTrain,
    batchSize: opts.batchSize,
    seed: opts.seed,
    optimizer: opts.optimizer,
    schedule: opts.schedule,
    evalSplits: opts.evalSplits ?? DEFAULT_EVAL_SPLITS,
    earlyStopping: opts.earlyStopping,
    snapshotEvery: opts.snapshotEvery,
    // absent (undefined) when unset, so hashes of runs without it are unchanged
    validateEvery: opts.validateEvery,
    steps: opts.steps,
    evalEvery: opts.evalEvery,
  });
}

function checkInt(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new Error(`${name} must be an integer ≥ ${min}, got ${v}`);
}

/** Optimizer steps per epoch: ⌈nTrain / batchSize⌉ (the last batch may be smaller). */
export function stepsPerEpoch(nTrain: number, batchSize: number): number {
  return Math.ceil(nTrain / batchSize);
}

/**
 * Whether an epoch evaluates the training and test splits under `evalEvery` (optimizer steps):
 * always without it; with it, at the last epoch and where the epoch's steps
 * (stepsDone − stepsInEpoch, stepsDone] cross a multiple of `evalEvery`. The validation split is
 * evaluated every epoch regardless. `epoch` counts from 1.
 */
export function evaluatesTrainTest(epoch: number, epochs: number, stepsDone: number, stepsInEpoch: number, evalEvery: number | undefined): boolean {
  return evalEvery === undefined || epoch === epochs || Math.floor(stepsDone / evalEvery) > Math.floor((stepsDone - stepsInEpoch) / evalEvery);
}

/**
 * How many epochs of a run that trains to its end (no early stop) evaluate the training and test
 * splits ({@link evaluatesTrainTest}): `epochs` without `evalEvery`.
 * @throws Error as {@link epochsOf}.
 */
export function trainTestEvaluations(opts: Pick<TrainOptions, 'epochs' | 'steps' | 'batchSize' | 'evalEvery'>, nTrain: number): number {
  const epochs = epochsOf(opts, nTrain);
  if (opts.evalEvery === undefined) return epochs;
  const spe = stepsPerEpoch(nTrain, opts.batchSize);
  const budget = opts.steps ?? epochs * spe;
  let count = 0;
  for (let e = 0; e < epochs; e++) {
    const nb = Math.min(spe, budget - e * spe);
    if (evaluatesTrainTest(e + 1, epochs, e * spe + nb, nb, opts.evalEvery)) count++;
  }
  return count;
}

/**
 * The epochs a run trains: `epochs`, or with a step budget ⌈steps / stepsPerEpoch⌉.
 * @throws Error when neither is given, or both are and disagree (naming both and the epochs the budget takes).
 */
export function epochsOf(opts: Pick<TrainOptions, 'epochs' | 'steps' | 'batchSize'>, nTrain: number): number {
  if (opts.steps === undefined) {
    if (opts.epochs === undefined) throw new Error('epochs is required (an integer ≥ 1) unless steps is given');
    return opts.epochs;
  }
  const spe = stepsPerEpoch(nTrain, opts.batchSize);
  const derived = Math.ceil(opts.steps / spe);
  if (opts.epochs !== undefined && opts.epochs !== derived) {
    throw new Error(`epochs = ${opts.epochs} conflicts with steps = ${opts.steps}: at ${spe} steps per epoch (${nTrain} samples, batch ${opts.batchSize}) the budget takes ${derived} epochs; leave epochs out when steps is given`);
  }
  return derived;
}

/** Checks the options and the initial parameters; returns the epochs the run trains ({@link epochsOf}). */
function validate(objective: Objective, params0: Float64Array, opts: TrainOptions, splits: readonly Split[]): number {
  checkInt('epochs', opts.epochs, 1);
  checkInt('steps', opts.steps, 1);
  checkInt('batchSize', opts.batchSize, 1);
  checkInt('checkpointEvery', opts.checkpointEvery, 1);
  checkInt('snapshotEvery', opts.snapshotEvery, 1);
  checkInt('validateEvery', opts.validateEvery, 1);
  checkInt('evalEvery', opts.evalEvery, 1);
  checkInt('objective.nTrain', objective.nTrain, 1);
  const epochs = epochsOf(opts, objective.nTrain);
  if (params0.length !== objective.nParams) throw new Error(`params0 has length ${params0.length}, but objective.nParams is ${objective.nParams}`);
  for (let i = 0; i < params0.length; i++) {
    if (!Number.isFinite(params0[i]!)) throw new Error(`params0[${i}] is ${params0[i]}; initial parameters must be finite`);
  }
  for (const s of splits) if (s !== 'train' && s !== 'val' && s !== 'test') throw new Error(`evalSplits entries must be 'train', 'val' or 'test', got ${JSON.stringify(s)}`);
  const es = opts.earlyStopping;
  if (es) {
    checkInt('earlyStopping.patience', es.patience, 1);
    if (es.metric !== 'val_loss' && es.metric !== 'val_accuracy') throw new Error(`earlyStopping.metric must be 'val_loss' or 'val_accuracy', got ${JSON.stringify(es.metric)}`);
    const md = es.minDelta ?? DEFAULT_MIN_DELTA;
    if (!(Number.isFinite(md) && md >= 0)) throw new Error(`earlyStopping.minDelta must be a number ≥ 0, got ${md}`);
    if (!splits.includes('val')) throw new Error(`earlyStopping.metric ${es.metric} needs 'val' in evalSplits, got [${splits.join(', ')}]`);
  }
  if (opts.validateEvery !== undefined && !splits.includes('val')) throw new Error(`validateEvery needs 'val' in evalSplits, got [${splits.join(', ')}]`);
  const progress = opts.progress ?? 'none';
  if (!['auto', 'bar', 'lines', 'none'].includes(progress)) throw new Error(`progress must be 'auto', 'bar', 'lines' or 'none', got ${JSON.stringify(progress)}`);
  return epochs;
}

/** Throws if `loss` or any gradient entry is NaN or ±Infinity, naming epoch, batch (1-based) and parameter. */
function guardFinite(loss: number, grad: Float64Array, nParams: number, epoch: number, batch: number): void {
  if (grad.length !== nParams) throw new Error(`gradient at epoch ${epoch}, batch ${batch} has length ${grad.length}, expected nParams = ${nParams}`);
  if (!Number.isFinite(loss)) throw new Error(`non-finite loss at epoch ${epoch}, batch ${batch} (loss = ${loss})`);
  for (let i = 0; i < grad.length; i++) {
    const g = grad[i]!;
    if (!Number.isFinite(g)) throw new Error(`non-finite gradient at epoch ${epoch}, batch ${batch} (parameter ${i} = ${g})`);
  }
}

/** One JSONL line: the record with `extra` flattened into it. */
export function metricsLine(rec: EpochRecord): string {
  const { extra, ...fields } = rec;
  return JSON.stringify({ ...fields, ...extra });
}

/** Reads and checks `checkpointDir/checkpoint.json`. */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  const ck = (await readJsonChecked(path, { label: 'checkpoint' })) as Checkpoint;
  if (ck === null || typeof ck !== 'object' || ck.version !== 1) throw new Error(`checkpoint ${path} has unsupported version ${JSON.stringify((ck as { version?: unknown } | null)?.version)}`);
  return ck;
}

/**
 * Trains `params0` (not mutated) on `objective`; see the module comment for the per-epoch
 * sequence, numbering and resume guarantees.
 */
export async function train(objective: Objective, params0: Float64Array, opts: TrainOptions): Promise<TrainResult> {
  const splits = opts.evalSplits ?? DEFAULT_EVAL_SPLITS;
  const epochs = validate(objective, params0, opts, splits);
  const budget = opts.steps ?? Infinity;
  const schedule = makeSchedule(opts.schedule);
  const optimizer = makeOptimizer(opts.optimizer, objective.nParams);
  const checkpointEvery = opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  const es = opts.earlyStopping;
  const minDelta = es?.minDelta ?? DEFAULT_MIN_DELTA;
  const bestMetric: 'val_loss' | 'val_accuracy' | undefined = es?.metric ?? (splits.includes('val') ? 'val_loss' : undefined);
  const optionsHash = trainOptionsHash(objective, opts);
  const ckptPath = opts.checkpointDir === undefined ? undefined : join(opts.checkpointDir, CHECKPOINT_FILE);

  let params = Float64Array.from(params0);
  let history: EpochRecord[] = [];
  let snapshots: Snapshot[] = [];
  let best = { value: null as number | null, epoch: 0, params: Float64Array.from(params0) };
  let stoppedEarly = false;
  let start = 0;

  if (ckptPath !== undefined) {
    await mkdir(opts.checkpointDir!, { recursive: true });
    // temp files left by a process killed mid-write are never read; remove them
    for (const f of await readdir(opts.checkpointDir!)) if (f.startsWith(`${CHECKPOINT_FILE}.tmp-`)) await rm(join(opts.checkpointDir!, f), { force: true });
  }
  if (opts.resume === true && ckptPath !== undefined && existsSync(ckptPath)) {
    const ck = await readCheckpoint(ckptPath);
    if (ck.optionsHash !== optionsHash) {
      throw new Error(`checkpoint ${ckptPath} was written with different training options (hash ${ck.optionsHash.slice(0, 12)}…, now ${optionsHash.slice(0, 12)}…); delete it or set resume: false`);
    }
    params = Float64Array.from(ck.params);
    optimizer.load(ck.optimizer);
    history = ck.history;
    snapshots = ck.snapshots.map((s) => ({ name: s.name, epoch: s.epoch, params: Float64Array.from(s.params) }));
    best = { value: ck.best.value, epoch: ck.best.epoch, params: Float64Array.from(ck.best.params) };
    stoppedEarly = ck.stoppedEarly;
    start = ck.epochsDone;
  }

  if (opts.metricsFile !== undefined) {
    await mkdir(dirname(opts.metricsFile), { recursive: true });
    if (start === 0) await writeFile(opts.metricsFile, '');
    else await writeFileAtomic(opts.metricsFile, history.map((r) => `${metricsLine(r)}\n`).join(''));
  }

  const progress = makeProgress(opts.progress ?? 'none', opts.progressStream, opts.progressLabel);
  const writeCheckpoint = async (epochsDone: number): Promise<void> => {
    if (ckptPath === undefined) return;
    const ck: Checkpoint = {
      version: 1,
      optionsHash,
      nParams: objective.nParams,
      epochsDone,
      params: Array.from(params),
      optimizer: optimizer.state(),
      history,
      best: { metric: bestMetric ?? 'final', value: best.value, epoch: best.epoch, params: Array.from(best.params) },
      snapshots: snapshots.map((s) => ({ name: s.name, epoch: s.epoch, params: Array.from(s.params) })),
      stoppedEarly,
      shuffle: { seed: opts.seed, scheme: 'alea(seed:epoch:e) fisher-yates' },
    };
    await writeJsonChecked(ckptPath, ck);
  };

  let interrupted = false;
  const sigint = watchSigint(opts.handleSigint === true);
  try {
    for (let e = start; e < epochs && !stoppedEarly; e++) {
      const n = e + 1;
      const t0 = performance.now();
      const batches = minibatches(epochPermutation(objective.nTrain, opts.seed, e), opts.batchSize);
      // a step budget ends inside the last epoch
      const nb = Math.min(batches.length, budget - e * batches.length);
      // optimizer steps taken by the end of this epoch
      const stepsDone = e * batches.length + nb;
      let lossSum = 0;
      let correctSum = 0;
      let firstLr = 0;
      let samplesSeen = 0;
      const valSteps: ValidationPoint[] = [];
      for (let b = 0; b < nb; b++) {
        const lr = schedule.lr(e, b, batches.length);
        if (b === 0) firstLr = lr;
        const idx = batches[b]!;
        const { loss, grad, correct } = await objective.lossAndGrad(params, idx, { epoch: e, step: b });
        guardFinite(loss, grad, objective.nParams, n, b + 1);
        optimizer.step(params, grad, lr);
        lossSum += loss * idx.length;
        correctSum += correct;
        samplesSeen += idx.length;
        const step = e * batches.length + b + 1;
        if (opts.validateEvery !== undefined && step % opts.validateEvery === 0 && b < nb - 1) {
          const v = await objective.evaluate(params, 'val');
          valSteps.push({ step, val_accuracy: v.accuracy, val_loss: v.loss });
        }
        progress?.batch({ epoch: n, epochs, batch: b + 1, nBatches: batches.length, loss, accuracy: correctSum / samplesSeen });
      }

      const rec: EpochRecord = {
        epoch: n,
        train_loss: null, train_accuracy: null, val_loss: null, val_accuracy: null, test_loss: null, test_accuracy: null,
        // over the samples of the steps taken (the whole training set but in a partial last epoch)
        batch_loss: lossSum / samplesSeen,
        batch_accuracy: correctSum / samplesSeen,
        lr: firstLr,
        seconds: 0,
        ...(opts.steps !== undefined ? { steps: stepsDone } : {}),
        extra: {},
      };
      // with evalEvery, train and test only where the step count crosses a multiple of it, and at the end
      const ev = opts.evalEvery;
      const due = evaluatesTrainTest(n, epochs, stepsDone, nb, ev);
      const evaluateInto = async (split: Split) => {
        const r = await objective.evaluate(params, split);
        rec[`${split}_loss`] = r.loss;
        rec[`${split}_accuracy`] = r.accuracy;
        for (const [k, v] of Object.entries(r.extra ?? {})) rec.extra[`${split}_${k}`] = v;
      };
      for (const split of splits) if (due || split === 'val') await evaluateInto(split);
      if (opts.validateEvery !== undefined) rec.val_steps = [...valSteps, { step: stepsDone, val_accuracy: rec.val_accuracy!, val_loss: rec.val_loss! }];
      rec.seconds = (performance.now() - t0) / 1000;
      history.push(rec);

      if (bestMetric === undefined) {
        best = { value: null, epoch: n, params: Float64Array.from(params) };
      } else {
        const v = rec[bestMetric]!;
        const improved = best.value === null
          || (bestMetric === 'val_loss' ? v < best.value - minDelta : v > best.value + minDelta);
        if (improved) best = { value: v, epoch: n, params: Float64Array.from(params) };
      }
      if (es && n - best.epoch >= es.patience) stoppedEarly = true;
      if (stoppedEarly && !due) {
        for (const split of splits) if (split !== 'val') await evaluateInto(split);
        rec.seconds = (performance.now() - t0) / 1000;
      }
      if (opts.snapshotEvery !== undefined && n % opts.snapshotEvery === 0) {
        snapshots.push({ name: `epoch-${n}`, epoch: n, params: Float64Array.from(params) });
      }

      if (opts.metricsFile !== undefined) await appendFile(opts.metricsFile, `${metricsLine(rec)}\n`);
      progress?.epoch(rec, epochs);
      opts.onEpoch?.(rec);
      interrupted = sigint.count() > 0 && n < epochs && !stoppedEarly;
      if (n % checkpointEvery === 0 || n === epochs || stoppedEarly || interrupted) await writeCheckpoint(n);
      if (interrupted) break;
    }
  } finally {
    sigint.dispose();
    progress?.done();
  }

  return {
    params,
    bestParams: best.params,
    bestEpoch: best.epoch,
    history,
    snapshots,
    stoppedEarly,
    interrupted,
    epochs: history.length,
    steps: Math.min(history.length * stepsPerEpoch(objective.nTrain, opts.batchSize), budget),
  };
}

