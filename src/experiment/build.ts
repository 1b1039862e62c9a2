/**
 * Turns config pieces into library objects: datasets, model specs, training options, and one
 * training run of one model with a chosen loss.
 */
import { join } from 'node:path';
import { makeRng } from '../../mps/index.js';
import { resolveSimulator, type Simulator } from '../backends/simulator.js';
import type { Dataset } from '../data/dataset.js';
import { fitAndMapDataset, type InputMap } from '../data/input-map.js';
import { loadMnist } from '../data/mnist.js';
import { phaseDataset } from '../data/phases.js';
import { applyDataRegime } from '../data/regime.js';
import { gaussianBlobs } from '../data/synthetic.js';
import { QnnModel } from '../qnn/model.js';
import { makeQnnObjective, type QnnObjective } from '../distill/objective.js';
import type { ModelSpec } from '../qnn/spec.js';
import { train, type TrainOptions, type TrainResult } from '../train/loop.js';
import type { ProgressMode, ProgressStream } from '../train/progress.js';
import type { ScheduleSpec } from '../train/schedules.js';
import { budgetFieldReplaced, type DataConfig, type InputMapConfig, type ModelConfig, type Training } from './config.js';
import { RunClock, withRemedy } from './run-files.js';

/** Settings shared by every run of an experiment invocation. */
export interface RunContext {
  /** Worker threads per training run. */
  workers: number;
  /** Continue killed runs from their checkpoints. */
  resume: boolean;
  /** Progress display of the training loop. */
  progress: ProgressMode;
  /** Stream of the progress display (default process.stderr). */
  progressStream?: ProgressStream;
  /** Name of the run in the progress display (the runner sets the run's key). */
  progressLabel?: string;
  /** Stop cleanly on Ctrl-C after writing a checkpoint (the CLI sets it). */
  handleSigint?: boolean;
}

/** Thrown when a run was stopped by SIGINT after its checkpoint was written. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/** Loads the dataset of a config for one seed (phase data: at `sites` sites when given). */
export async function loadData(cfg: DataConfig, seed: string | number, o: { sites?: number; cacheDir?: string; workers?: number } = {}): Promise<Dataset> {
  if (cfg.type === 'mnist') return withRegime(await loadMnist({ classes: cfg.classes, perClass: cfg.perClass, size: cfg.size, seed }), cfg, seed);
  if (cfg.type === 'phases') {
    return phaseDataset({ model: cfg.model, n: o.sites ?? cfg.n, grid: cfg.grid, split: cfg.split, dmrg: cfg.dmrg, seed, workers: o.workers ?? 1, ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), ...(cfg.transfer ? { transfer: cfg.transfer } : {}) });
  }
  const { type: _t, labelled: _l, transfer: _tr, ...b } = cfg;
  return withRegime(gaussianBlobs({ ...b, seed }), cfg, seed);
}

/** The dataset of the config's data regime (`labelled`, `transfer` per class; unchanged when both are absent). */
function withRegime(ds: Dataset, r: { labelled?: number | 'all' | undefined; transfer?: number | undefined }, seed: string | number): Dataset {
  return r.labelled === undefined && r.transfer === undefined ? ds : applyDataRegime(ds, { ...(r.labelled !== undefined ? { labelled: r.labelled } : {}), ...(r.transfer !== undefined ? { transfer: r.transfer } : {}) }, seed);
}

/** Applies an optional input map (fitted on the training split only). */
export function mapInputs(data: Dataset, spec: InputMapConfig | undefined): { data: Dataset; map: InputMap | null } {
  if (!spec) return { data, map: null };
  const { map, dataset } = fitAndMapDataset(spec, data);
  return { data: dataset, map };
}

/**
 * The simulator of a model config, resolved once (src/backends/simulator.ts): its backend,
 * and for the MPS its bond cap and cutoff (the default cutoff when the config gives none).
 * @param maxBond the bond cap; absent: the config's (the teacher-bond sweep passes each χ_T)
 * @throws Error when a state-vector model is given a bond cap or a cutoff (never ignored).
 */
export function simulatorOf(cfg: ModelConfig, maxBond: number | undefined = cfg.maxBond): Simulator {
  return resolveSimulator(cfg.backend, { maxBond, cutoff: cfg.cutoff });
}

/**
 * The model spec of a model config on data with `features` features and `classes` classes.
 * Its `backend` and `truncation` are those of {@link simulatorOf} (a state-vector model gets
 * no truncation settings).
 * @param maxBond the bond cap; absent: the config's (the teacher-bond sweep passes each χ_T)
 * @throws Error when a state-vector model is given a bond cap or a cutoff (never ignored).
 */
export function modelSpec(cfg: ModelConfig, features: number, classes: number, maxBond: number | undefined = cfg.maxBond): ModelSpec {
  const sim = simulatorOf(cfg, maxBond);
  return {
    qubits: cfg.qubits,
    features,
    classes,
    encoding: cfg.encoding,
    ansatz: { type: cfg.ansatz.type, layers: cfg.ansatz.layers, entangler: cfg.ansatz.entangler, ...(cfg.ansatz.reuploadEvery ? { reuploadEvery: cfg.ansatz.reuploadEvery } : {}), ...(cfg.ansatz.readoutQubits ? { readoutQubits: cfg.ansatz.readoutQubits } : {}) },
    readout: cfg.readout,
    backend: sim.kind,
    ...(sim.kind === 'mps' ? { truncation: sim.truncation } : {}),
    initScale: cfg.initScale,
    ...(cfg.shots !== undefined ? { shots: cfg.shots } : {}),
    ...(cfg.noise !== undefined ? { noise: cfg.noise as ModelSpec['noise'] } : {}),
    ...(cfg.trajectories !== undefined ? { trajectories: cfg.trajectories } : {}),
    ...(cfg.samplingSeed !== undefined ? { samplingSeed: cfg.samplingSeed } : {}),
    ...(cfg.gradient !== undefined ? { gradient: cfg.gradient } : {}),
  };
}

/**
 * A training block with a run's overrides: every field set in `over` replaces the inherited
 * one, and the budget is one setting in either unit — an override that sets `epochs` (not
 * `steps`) drops an inherited `steps`, and one that sets `steps` drops an inherited `epochs`.
 * Without `steps` anywhere this is `{ ...base, ...over }`.
 */
export function mergeTraining<T extends { epochs?: number | undefined; steps?: number | undefined }>(base: T, over?: Partial<T>): T {
  const t = { ...base, ...(over ?? {}) };
  const drop = over ? budgetFieldReplaced(over) : null;
  if (drop !== null) delete t[drop];
  return t;
}

/**
 * The schedule of a training config. With a step budget (`steps`) the cosine spans the budget
 * and the cyclic schedule's cycles are `cycleSteps` optimizer steps (default ⌊steps / 3⌋), so
 * every run gets the same rate at the same step whatever its training-set size. A cycle length
 * in the other unit is passed on, so the schedule refuses it rather than ignoring it.
 */
export function scheduleOf(t: Training): ScheduleSpec {
  if (t.schedule === 'constant') return { type: 'constant', lr: t.lr };
  if (t.steps !== undefined) {
    if (t.schedule === 'cyclic') return { type: 'cyclic', lr: t.lr, lrMin: t.lrMin, cycleSteps: t.cycleSteps ?? Math.max(1, Math.floor(t.steps / 3)), ...(t.cycleEpochs !== undefined ? { cycleEpochs: t.cycleEpochs } : {}) };
    return { type: 'cosine', lr: t.lr, lrMin: t.lrMin, steps: t.steps };
  }
  if (t.schedule === 'cyclic') return { type: 'cyclic', lr: t.lr, lrMin: t.lrMin, cycleEpochs: t.cycleEpochs ?? Math.max(1, Math.floor(t.epochs! / 3)), ...(t.cycleSteps !== undefined ? { cycleSteps: t.cycleSteps } : {}) };
  return { type: 'cosine', lr: t.lr, lrMin: t.lrMin, epochs: t.epochs! };
}

/** The objective seed of a stochastic model trained under the run seed `seed`: `<seed>:readout:<samplingSeed>`. */
export function samplingSeedOf(spec: ModelSpec, seed: string | number): string {
  return `${seed}:readout:${spec.samplingSeed ?? 0}`;
}

/**
 * The training-loop options of one run of `t` under run seed `seed`, checkpointed in `dir`
 * (shuffle seed `<seed>:shuffle`, metrics in `dir/metrics.jsonl`); {@link trainModel} adds its
 * clock. The options that determine the trajectory hash to the checkpoint's `optionsHash`.
 */
export function trainOptionsOf(t: Training, seed: string | number, dir: string, ctx: RunContext): TrainOptions {
  return {
    // both when both are set: the loop refuses a conflicting pair rather than ignoring one
    ...(t.epochs !== undefined ? { epochs: t.epochs } : {}), ...(t.steps !== undefined ? { steps: t.steps } : {}), batchSize: t.batchSize, seed: `${seed}:shuffle`,
    optimizer: { type: t.optimizer }, schedule: scheduleOf(t),
    checkpointDir: dir, resume: ctx.resume, metricsFile: join(dir, 'metrics.jsonl'), progress: ctx.progress,
    ...(ctx.progressStream ? { progressStream: ctx.progressStream } : {}), ...(ctx.progressLabel ? { progressLabel: ctx.progressLabel } : {}),
    ...(ctx.handleSigint ? { handleSigint: true } : {}),
    ...(t.validateEvery !== undefined ? { validateEvery: t.validateEvery } : {}),
    ...(t.evalEvery !== undefined ? { evalEvery: t.evalEvery } : {}),
  };
}

/** Result of one training run. */
export interface ModelRun {
  model: QnnModel;
  params: Float64Array;
  result: TrainResult;
  /** Wall-clock seconds of training, summed over every invocation that trained it (`--resume`). */
  seconds: number;
  /** Seconds of each invocation that trained it, in order (one entry when never interrupted). */
  secondsPieces: number[];
  /** The objective seed of a stochastic model (see {@link samplingSeedOf}); absent when readouts are exact. */
  samplingSeed?: string;
}

/**
 * Trains one model with checkpoints under `dir` (resumable) and a metrics log. `setup` may set
 * the objective's loss and epoch hook before training starts; it runs again on resume, so it
 * must be deterministic. The run's wall-clock pieces are kept in `dir/time.json` (see
 * {@link RunClock}), so `seconds` counts every invocation that trained it.
 */
export async function trainModel(spec: ModelSpec, data: Dataset, t: Training, seed: string | number, dir: string, ctx: RunContext, setup?: (obj: QnnObjective, model: QnnModel) => Promise<void> | void): Promise<ModelRun> {
  const model = new QnnModel(spec);
  const sampling = model.stochastic ? { seed: samplingSeedOf(spec, seed) } : {};
  const obj = await makeQnnObjective(model, data, { workers: ctx.workers, ...sampling });
  const clock = new RunClock(dir, ctx.resume);
  try {
    if (setup) await setup(obj, model);
    const opts: TrainOptions = { ...trainOptionsOf(t, seed, dir, ctx), onEpoch: () => clock.save() };
    const result = await train(obj, model.initParams(makeRng(`${seed}:init`)), opts).catch((e: unknown) => { throw withRemedy(e); });
    if (result.interrupted) throw new InterruptedError(`interrupted after the checkpoint of epoch ${result.epochs} in ${dir}; rerun with --resume to continue`);
    clock.save();
    return { model, params: result.params, result, ...clock.total(), ...(sampling.seed !== undefined ? { samplingSeed: sampling.seed } : {}) };
  } finally {
    await obj.close();
  }
}
