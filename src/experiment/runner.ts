/**
 * The experiment runner behind `qdistill run`: plans a study (see `plan.ts`), runs every task in
 * plan order in this process (see `tasks.ts`), then merges the task outputs (see `merge.ts`)
 * into `results/<name>/` (`results/<name>/quick/` for quick runs). Each finished training run is
 * one JSON file under `runs/` (atomic; `--resume` skips them and resumes an interrupted run
 * from its checkpoint); then `results.json` (the CLI adds `table.md` and the figures).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { takeNumerics, type NumericsSummary } from '../distill/objective.js';
import type { EpochRecord } from '../train/loop.js';
import { watchSigint } from '../infra/sigint.js';
import { assertRunnable, type ExperimentConfig } from './config.js';
import type { RunContext } from './build.js';
import { mergeStudy } from './merge.js';
import { planStudy } from './plan.js';
import { gitCommit } from './provenance.js';
import { assertMayWrite, defaultOutDir, withRemedy } from './run-files.js';
import { clearInvocations, InvocationClock, type StudyInvocation } from './invocations.js';
import { runTask, type TaskRunOptions } from './tasks.js';
import type { HardwareRecord } from './hardware.js';
import type { KdChoiceCount } from './kd-grid.js';
import type { RunCost } from './cost.js';

/** What one finished training run records. */
export interface RunRecord {
  /** Unique key, e.g. `seed-1/student/s16-pool/kd`. */
  key: string;
  seed: string | number;
  role: 'teacher' | 'student' | 'self' | 'bond' | 'hardware';
  /** Student or model name. */
  name: string;
  /** `label`, `kd`, `plain`, `snapshot`, `pskd`, `born-again-g2`, … */
  method: string;
  /** Teacher bond χ_T the soft labels came from (KD and bond runs); null: no cap (or not a KD run). */
  chiT: number | null;
  /** The model; `maxBond` null means no bond cap (JSON has no Infinity; inputs leave the field out). */
  model: { qubits: number; ansatz: string; layers: number; maxBond: number | null; params: number; features: number };
  inputMap: unknown;
  history: EpochRecord[];
  final: { train_accuracy: number | null; val_accuracy: number | null; test_accuracy: number | null; test_loss: number | null };
  /**
   * For KD and bond runs: what the teacher's soft labels looked like; `bond_reached` is the
   * largest bond its states reached (null for a state-vector teacher, which has no bonds).
   */
  teacher: { test_accuracy: number; train_fidelity_mean: number; train_fidelity_min: number; bond_reached: number | null } | null;
  /** Self-distillation: first epoch (1-based) whose validation accuracy reached the target. */
  epochsToTarget: number | null;
  /**
   * Phase data: the phase predicted at every grid point (all splits, the transfer set last),
   * against the true label, and the predicted probability of phase 1 (softmax of the logits;
   * absent in records from before it was kept).
   */
  phaseMap: { params: Record<string, number>[]; label: number[]; predicted: number[]; probability?: number[] } | null;
  /** Wall-clock seconds of training, summed over every invocation that trained the run (`--resume`). */
  seconds: number;
  /** Seconds of each invocation that trained the run, in order (absent in records from before they were kept). */
  secondsPieces?: number[];
  /** The git commit that produced this run (runs reused by `--resume` keep their own). */
  gitCommit?: string;
  /** The engine's norm-drift alarm over this run's simulations (absent in records from before it was kept). */
  numerics?: NumericsSummary;
  /** With a step budget (`training.steps`): the optimizer steps the run took (absent otherwise). */
  steps?: number;
  /** A KD grid point's run: the (T, α) it trained with (absent without a grid). */
  kd?: { T: number; alpha: number };
  /**
   * With a KD grid, the arm's record (a copy of the chosen point's run under the arm's key):
   * the chosen (T, α), and every point's key and final validation accuracy and loss, in grid
   * order, with the training seconds of all of them (`seconds` is the chosen run's).
   */
  kdChoice?: { T: number; alpha: number; points: { key: string; T: number; alpha: number; val_accuracy: number | null; val_loss: number | null }[]; gridSeconds: number };
  /** Runs under shots or noise and hardware-sweep runs: the gradient method and the accuracy over shot seeds (absent: exact readouts, adjoint gradient). */
  hardware?: HardwareRecord;
  /** Teacher and student runs: nominal flops per forward pass and gradient, and the steps and samples trained (absent in records from before it was kept). */
  cost?: RunCost;
}

/** The whole results file. */
export interface ExperimentResults {
  name: string;
  quick: boolean;
  config: ExperimentConfig;
  /** {@link runConfigHash} of the config: what `--resume` matches runs by. */
  configHash: string;
  qdistillVersion: string;
  gitCommit: string;
  node: string;
  /** When the study's first invocation started (ISO 8601); see {@link ExperimentResults.invocations}. */
  startedAt: string;
  /**
   * Wall-clock seconds the study took over all its invocations: the time during which at least
   * one worked (a run killed and resumed another day counts both pieces, not the gap; tasks run
   * in parallel count once). A `--resume` that reuses every task adds nothing.
   */
  wallSeconds: number;
  /** CPU seconds of every invocation of the study, summed, worker threads included. */
  cpuSeconds: number;
  /**
   * Every invocation (`qdistill run`, `run --task`) that ran tasks of the study in its results
   * folder, earliest first: start, wall and CPU seconds, tasks started, whether it ended or was
   * killed (absent in results from before they were recorded; tasks run by such versions count
   * in the totals through their markers but are not listed). See `invocations.ts`.
   */
  invocations?: StudyInvocation[];
  workers: number;
  datasets: Record<string, unknown>;
  runs: RunRecord[];
  /** With a KD grid (`kd.T` or `kd.alpha` a list): how often each (T, α) was chosen on validation, per student and method (absent without a grid). */
  kdGrid?: KdChoiceCount[];
  /** The norm-drift alarm over every simulation of the experiment (runs reused by --resume included). */
  numerics: NumericsSummary & { alarmedRuns: string[] };
}

export { gitCommit, runConfigHash } from './provenance.js';

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions extends RunContext {
  /** Output directory (default `results/<name>`, `results/<name>/quick` for quick runs). */
  outDir?: string;
  /** Overwrite a finished full study in the output directory (see {@link assertMayWrite}). */
  force?: boolean;
  /** The config was resolved with `--quick`. */
  quick: boolean;
  /** Called with a one-line status message per finished run. */
  log?: (line: string) => void;
}

/**
 * Runs an experiment (config already resolved) and returns its results. Its timing covers
 * the whole study: with `resume`, this invocation and every earlier one recorded in the folder
 * (see `invocations.ts`); without it, this invocation alone (earlier records are removed).
 * @throws ConfigError, before anything trains, when the config fails a check of
 *   {@link assertRunnable} (the same checks `qdistill validate` makes).
 * @throws ResultsFolderError, before anything trains, when the output directory holds a
 *   finished full study this invocation would overwrite (no `force`); during the run when a
 *   saved run record, checkpoint or cache is damaged (naming the file and what to do).
 */
export async function runExperiment(cfg: ExperimentConfig, options: RunExperimentOptions): Promise<{ results: ExperimentResults; outDir: string }> {
  assertRunnable(cfg);
  const outDir = options.outDir ?? defaultOutDir(cfg.name, options.quick);
  const plan = planStudy(cfg, options.quick);
  assertMayWrite(outDir, { name: cfg.name, configHash: plan.configHash, quick: options.quick, resume: options.resume, force: options.force === true });
  mkdirSync(join(outDir, 'runs'), { recursive: true });
  // a fresh run starts the study's time anew; --resume adds this invocation to the earlier ones
  if (!options.resume) clearInvocations(outDir);
  const invocation = new InvocationClock(outDir, plan);
  const commit = gitCommit();
  // With handleSigint, Ctrl-C between two tasks stops before the next one (during a run the
  // training loop stops after its checkpoint); a second Ctrl-C kills the process at once.
  const sigint = watchSigint(options.handleSigint === true);
  const { outDir: _o, force: _f, log, ...ctx } = options;
  const run: TaskRunOptions = { ...ctx, cfg, outDir, gitCommit: commit, ...(log ? { log } : {}), interrupted: () => sigint.count() > 0, dataMemo: new Map(), invocation };
  takeNumerics();
  try {
    // plan order is a dependency order: every task finds its dependencies finished
    for (const task of plan.tasks) await runTask(plan, task, run);
  } catch (e) {
    throw withRemedy(e);
  } finally {
    // the time up to the end, an error or Ctrl-C counts when the study is resumed (save never throws)
    invocation.save(true);
    sigint.dispose();
  }
  // the study's timing: this invocation and every earlier one that did work (see invocations.ts)
  const results = await mergeStudy(cfg, options.quick, outDir, { workers: options.workers, gitCommit: commit });
  return { results, outDir };
}
