/**
 * What every step of a study shares: the step context (config, results folder, run settings),
 * the data of a seed, the paths of a run's checkpoints, the parameters of a finished run read
 * back from its checkpoint (without writing to its folder), and the pieces of a run record.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import { makeQnnObjective } from '../../distill/objective.js';
import type { QnnModel } from '../../qnn/model.js';
import { softmax } from '../../qnn/loss.js';
import { CHECKPOINT_FILE, epochsOf, readCheckpoint, trainOptionsHash, type EpochRecord } from '../../train/loop.js';
import { loadData, mergeTraining, trainOptionsOf, type ModelRun, type RunContext } from '../build.js';
import type { ExperimentConfig, ModelConfig, Training } from '../config.js';
import { ResultsFolderError, withRemedy } from '../run-files.js';
import type { RunRecord } from '../runner.js';

/** Everything a step reads besides its task: the study, where it writes, and how it runs. */
export interface StepContext extends RunContext {
  /** The resolved config (quick overrides and `--seeds` applied). */
  cfg: ExperimentConfig;
  quick: boolean;
  /** The results folder. */
  outDir: string;
  /** The run-config hash every output is stamped with. */
  configHash: string;
  /**
   * Data sets loaded in this process, by seed and site count: one invocation that runs many
   * tasks loads each once (the loaders are deterministic, so a fresh load gives the same data).
   */
  dataMemo: Map<string, Promise<Dataset>>;
}

/** The checkpoint folder of run `key`: `<outDir>/checkpoints/<key>`. */
export function checkpointDir(ctx: StepContext, key: string): string {
  return join(ctx.outDir, 'checkpoints', key);
}

/** The ground-state cache of phase data (owned by the data task of each seed). */
export function groundStateCache(ctx: StepContext): string {
  return join(ctx.outDir, 'cache', 'groundstates');
}

/** The study's training settings with a run's overrides (an override's budget replaces the inherited one: see `mergeTraining`). */
export function trainingOf(ctx: StepContext, over?: Partial<Training>): Training {
  return mergeTraining(ctx.cfg.training, over);
}

/** The data of `seed` (phase data: at `sites` sites when given), loaded once per process. */
export function dataOf(ctx: StepContext, seed: string | number, sites?: number): Promise<Dataset> {
  const key = JSON.stringify([String(seed), typeof seed, sites ?? null]);
  let p = ctx.dataMemo.get(key);
  if (!p) {
    p = loadData(ctx.cfg.data, seed, { ...(sites !== undefined ? { sites } : {}), cacheDir: groundStateCache(ctx), workers: ctx.workers });
    ctx.dataMemo.set(key, p);
  }
  return p;
}

/**
 * The final parameters of the finished run `key` (trained with `t` under run seed `seed` on
 * `data`), read from its checkpoint; nothing in its folder is written.
 * @throws ResultsFolderError when the checkpoint is missing, damaged, made under other training
 *   options, or of an unfinished run (each naming the file and what to do).
 */
export async function finishedParams(ctx: StepContext, key: string, model: QnnModel, data: Dataset, t: Training, seed: string | number): Promise<Float64Array> {
  const dir = checkpointDir(ctx, key);
  const file = join(dir, CHECKPOINT_FILE);
  if (!existsSync(file)) throw new ResultsFolderError(`the checkpoint of ${key} (${file}) is missing though the run is marked finished: delete ${key}'s run record and task marker and run it again`);
  const ck = await readCheckpoint(file).catch((e: unknown) => { throw withRemedy(e); });
  const opts = trainOptionsOf(t, seed, dir, ctx);
  const hash = trainOptionsHash({ nParams: model.nParams, nTrain: data.train.y.length }, opts);
  if (ck.optionsHash !== hash) throw new ResultsFolderError(`the checkpoint of ${key} (${file}) was made with other training options: run ${key} again`);
  const epochs = epochsOf(opts, data.train.y.length);
  if (ck.epochsDone < epochs && !ck.stoppedEarly) throw new ResultsFolderError(`the checkpoint of ${key} (${file}) holds ${ck.epochsDone} of ${epochs} epochs: finish ${key} first (rerun it with --resume)`);
  return Float64Array.from(ck.params);
}

/** The final metrics of a history (nulls when a split was not evaluated). */
export function finalOf(h: EpochRecord[]): RunRecord['final'] {
  const r = h[h.length - 1];
  return { train_accuracy: r?.train_accuracy ?? null, val_accuracy: r?.val_accuracy ?? null, test_accuracy: r?.test_accuracy ?? null, test_loss: r?.test_loss ?? null };
}

/** The model block of a run record (`maxBond` null: no cap). */
export function modelInfo(m: ModelConfig, model: QnnModel, maxBond?: number): RunRecord['model'] {
  return { qubits: m.qubits, ansatz: m.ansatz.type, layers: m.ansatz.layers, maxBond: maxBond ?? m.maxBond ?? null, params: model.nParams, features: model.spec.features };
}

type PhaseData = Dataset & { points: Record<'train' | 'val' | 'test', { params: Record<string, number>; label: number }[]> & { transfer?: { params: Record<string, number>; label: number }[] } };

/** Predicted phase at every grid point of a phase dataset (null for other data). */
export async function phaseMapOf(run: Pick<ModelRun, 'model' | 'params' | 'samplingSeed'>, data: Dataset, workers: number): Promise<RunRecord['phaseMap']> {
  const pd = data as PhaseData;
  if (!pd.points) return null;
  const obj = await makeQnnObjective(run.model, data, { workers, ...(run.samplingSeed !== undefined ? { seed: run.samplingSeed } : {}) });
  try {
    const out: NonNullable<RunRecord['phaseMap']> & { probability: number[] } = { params: [], label: [], predicted: [], probability: [] };
    const add = (pts: { params: Record<string, number>; label: number }[], logits: Float64Array[]) => pts.forEach((pt, i) => {
      out.params.push(pt.params); out.label.push(pt.label); out.predicted.push(argmaxOf(logits[i]!)); out.probability.push(softmax(logits[i]!)[1]!);
    });
    for (const split of ['train', 'val', 'test'] as const) add(pd.points[split], (await obj.predict(run.params, split)).logits);
    if (data.transfer && pd.points.transfer?.length) {
      // the transfer set, evaluated as the test split of a view of the data
      const view = await makeQnnObjective(run.model, { ...data, test: data.transfer }, { workers, ...(run.samplingSeed !== undefined ? { seed: `${run.samplingSeed}:transfer` } : {}) });
      try { add(pd.points.transfer, (await view.predict(run.params, 'test')).logits); } finally { await view.close(); }
    }
    return out;
  } finally { await obj.close(); }
}

/** Index of the largest entry (the first on ties). */
export function argmaxOf(z: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < z.length; i++) if (z[i]! > z[k]!) k = i;
  return k;
}

/** Arithmetic mean. */
export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}
