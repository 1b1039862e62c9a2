/**
 * The task executor: runs one task of a study plan into a results folder, after checking that
 * the tasks it depends on have finished there, and leaves the task's outputs and, last, its
 * done marker (see `taskDonePath`). Every file is written atomically, and each task writes only
 * its own files: its run record and checkpoints (training runs), the soft-label cache file of
 * its χ_T (soft-label tasks), the ground-state cache of its seed (data tasks), and its marker
 * (and, given an invocation clock, that invocation's own file under `invocations/`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { takeNumerics, type NumericsSummary } from '../distill/objective.js';
import type { SoftLabelKeyParts } from '../distill/soft-labels.js';
import { writeFileAtomic } from '../infra/atomic.js';
import { InterruptedError, type RunContext } from './build.js';
import type { ExperimentConfig } from './config.js';
import type { InvocationClock } from './invocations.js';
import { RUN_KINDS, runRecordPath, taskDonePath, type PlanTask, type StudyPlan } from './plan.js';
import { readJsonNamed, readRunRecord, ResultsFolderError } from './run-files.js';
import type { RunRecord } from './runner.js';
import type { StepContext } from './steps/common.js';
import { dataStep, type DataOutput } from './steps/data.js';
import { selectStep } from './steps/select.js';
import { selfDistillStep } from './steps/self-distill.js';
import { softLabelsStep, type SoftLabelsOutput } from './steps/soft-labels.js';
import { studentStep } from './steps/students.js';
import { teacherStep } from './steps/teacher.js';

/** The done marker of a task (`tasks/<id>.json`). */
export interface TaskMarker {
  format: 'qdistill.task';
  version: 1;
  id: string;
  kind: PlanTask['kind'];
  /** The run-config hash the task ran under. */
  configHash: string;
  quick: boolean;
  /** The resolved config (what `qdistill merge` rebuilds the plan from). */
  config: ExperimentConfig;
  workers: number;
  gitCommit: string;
  /** When the task's last invocation started (ISO 8601), its wall and CPU seconds. */
  startedAt: string;
  wallSeconds: number;
  cpuSeconds: number;
  /**
   * The id of the invocation that ran the task (`invocations/<id>.json`, see `invocations.ts`);
   * absent in markers from before invocations were recorded and in those of reused records.
   */
  invocation?: string;
  /** The norm-drift alarm over every simulation of the task (a run's own part is in its record). */
  numerics: NumericsSummary;
  /** Data tasks: the provenance; soft-label tasks: the cache key; training runs: nothing (their record is in `runs/`). */
  output: DataOutput | SoftLabelsOutput | Record<string, never>;
}

/** Settings of one executor invocation (one task, or every task of a local run). */
export interface TaskRunOptions extends RunContext {
  cfg: ExperimentConfig;
  quick: boolean;
  outDir: string;
  /** The git commit stamped into run records and markers. */
  gitCommit: string;
  /** Called with a one-line status message per finished training run. */
  log?: (line: string) => void;
  /** True once the user asked to stop (Ctrl-C): no new task starts. */
  interrupted?: () => boolean;
  /** How to run a missing dependency, for the error message (`qdistill run CONFIG --task ID --out DIR`); `{id}` is replaced. */
  dependencyHint?: string;
  /** Data sets already loaded in this process (shared by the tasks of one invocation). */
  dataMemo?: Map<string, Promise<Dataset>>;
  /** This invocation's clock: told when a task starts, saved after it finishes; its id goes into the marker. */
  invocation?: InvocationClock;
}

/** A missing or foreign dependency of a task: a results-folder error (exit code 2). */
export class MissingDependencyError extends ResultsFolderError {}

/**
 * Reads the done marker of task `id` in `outDir`; null when it does not exist.
 * @throws ResultsFolderError when it exists but is damaged (naming the file).
 */
export function readTaskMarker(outDir: string, id: string): TaskMarker | null {
  const file = taskDonePath(outDir, id);
  if (!existsSync(file)) return null;
  const doc = readJsonNamed(file, 'task marker', `delete it and run task ${id} again`) as TaskMarker | null;
  if (doc === null || typeof doc !== 'object' || doc.format !== 'qdistill.task' || doc.id !== id || typeof doc.configHash !== 'string') {
    throw new ResultsFolderError(`task marker ${file} is damaged (not the marker of ${id}): delete it and run task ${id} again`);
  }
  return doc;
}

/** The marker of finished dependency `dep`, or an error naming it and what to run first. */
function dependencyMarker(plan: StudyPlan, task: PlanTask, dep: string, o: TaskRunOptions): TaskMarker {
  const m = readTaskMarker(o.outDir, dep);
  const how = (o.dependencyHint ?? "qdistill run CONFIG --task {id} --out DIR").replaceAll('{id}', dep);
  if (m === null) throw new MissingDependencyError(`task ${task.id} needs ${dep}, which has not finished in ${o.outDir} (no ${taskDonePath(o.outDir, dep)}): run '${how}' first`);
  if (m.configHash !== plan.configHash) throw new MissingDependencyError(`task ${task.id} needs ${dep}, but ${taskDonePath(o.outDir, dep)} was made under another config (hash ${m.configHash}, now ${plan.configHash}): run '${how}' first`);
  return m;
}

function maxNumerics(a: NumericsSummary, b: NumericsSummary | undefined): NumericsSummary {
  if (!b) return a;
  return { normDriftMax: Math.max(a.normDriftMax, b.normDriftMax ?? Infinity), normDriftExceeded: a.normDriftExceeded || b.normDriftExceeded };
}

/** What {@link runTask} did: `ran`, or `reused` a finished task (with `resume`). */
export type TaskOutcome = 'ran' | 'reused';

/**
 * Runs `task` of `plan` into `o.outDir`. With `resume`, a finished task (its run record, or for
 * data and soft-label tasks its marker, made under the same config) is reused, and a training
 * run interrupted earlier continues from its checkpoint; without it the task runs afresh. With
 * `o.invocation`, a task that runs is recorded in the invocation's file when it starts and
 * when it finishes (a reused task is not).
 * @throws MissingDependencyError naming the first dependency that has not finished in the
 *   folder (or finished under another config) and the command that runs it.
 * @throws InterruptedError when `o.interrupted()` is already true.
 */
export async function runTask(plan: StudyPlan, task: PlanTask, o: TaskRunOptions): Promise<TaskOutcome> {
  const log = o.log ?? (() => undefined);
  const isRun = RUN_KINDS.includes(task.kind);
  if (o.resume) {
    if (isRun && existsSync(runRecordPath(o.outDir, task.id))) {
      const saved = readRunRecord<RunRecord>(runRecordPath(o.outDir, task.id), task.id);
      if (saved.configHash === plan.configHash) {
        // records from before markers were kept get theirs now
        if (readTaskMarker(o.outDir, task.id)?.configHash !== plan.configHash) {
          mkdirSync(join(o.outDir, 'tasks'), { recursive: true });
          await writeMarker(task, o, plan.configHash, { startedAt: new Date().toISOString(), wallSeconds: 0, cpuSeconds: 0 }, { normDriftMax: 0, normDriftExceeded: false }, {});
        }
        log(`${task.id}: done earlier (resume)`);
        return 'reused';
      }
    } else if (!isRun && readTaskMarker(o.outDir, task.id)?.configHash === plan.configHash) {
      return 'reused';
    }
  }
  const markers = new Map(task.deps.map((d) => [d, dependencyMarker(plan, task, d, o)]));
  if (o.interrupted?.()) throw new InterruptedError(`interrupted before ${task.id} (every finished run is saved); rerun with --resume to continue`);
  mkdirSync(join(o.outDir, 'runs'), { recursive: true });
  mkdirSync(join(o.outDir, 'tasks'), { recursive: true });
  o.invocation?.taskStarted(task.id);
  const t0 = performance.now(), cpu0 = process.cpuUsage(), startedAt = new Date().toISOString();
  const before = takeNumerics(); // simulations before the task (none expected) count for its marker
  const ctx: StepContext = { ...o, configHash: plan.configHash, dataMemo: o.dataMemo ?? new Map(), ...(isRun ? { progressLabel: task.id } : {}) };
  let output: TaskMarker['output'] = {};
  let numerics: NumericsSummary;
  if (task.kind === 'data') { output = await dataStep(ctx, task); numerics = takeNumerics(); }
  else if (task.kind === 'soft-labels') { output = await softLabelsStep(ctx, task); numerics = takeNumerics(); }
  else if (task.kind === 'select') {
    // the KD grid's choice: the chosen point's record (its commit and numerics) under the arm's key
    const rec = selectStep(ctx, task);
    numerics = takeNumerics();
    await writeFileAtomic(runRecordPath(o.outDir, task.id), JSON.stringify({ configHash: plan.configHash, record: rec }));
    log(`${task.id}: chose T = ${rec.kdChoice!.T}, α = ${rec.kdChoice!.alpha} on validation (accuracy ${rec.final.val_accuracy?.toFixed(3) ?? '–'})`);
  } else {
    const kd = task.softLabels !== undefined ? { taskId: task.softLabels, keyParts: (markers.get(task.softLabels)!.output as { keyParts: SoftLabelKeyParts }).keyParts } : undefined;
    const done = task.kind === 'teacher' ? await teacherStep(ctx, task) : task.kind === 'self' ? await selfDistillStep(ctx, task) : await studentStep(ctx, task, kd);
    // the teacher's soft-label pass is counted once, in the first run that uses it
    numerics = maxNumerics(takeNumerics(), task.chargeSoftLabels ? markers.get(task.softLabels!)!.numerics : undefined);
    const rec: RunRecord = { ...done, gitCommit: o.gitCommit, numerics };
    await writeFileAtomic(runRecordPath(o.outDir, task.id), JSON.stringify({ configHash: plan.configHash, record: rec }));
    log(`${task.id}: test accuracy ${rec.final.test_accuracy?.toFixed(3) ?? '–'} (${rec.seconds.toFixed(1)} s)`);
  }
  const d = process.cpuUsage(cpu0);
  const time = { startedAt, wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: (d.user + d.system) / 1e6, ...(o.invocation ? { invocation: o.invocation.id } : {}) };
  await writeMarker(task, o, plan.configHash, time, maxNumerics(numerics, before), output);
  o.invocation?.save();
  return 'ran';
}

async function writeMarker(task: PlanTask, o: TaskRunOptions, configHash: string, time: Pick<TaskMarker, 'startedAt' | 'wallSeconds' | 'cpuSeconds' | 'invocation'>, numerics: NumericsSummary, output: TaskMarker['output']): Promise<void> {
  const m: TaskMarker = { format: 'qdistill.task', version: 1, id: task.id, kind: task.kind, configHash, quick: o.quick, config: o.cfg, workers: o.workers, gitCommit: o.gitCommit, ...time, numerics, output };
  await writeFileAtomic(taskDonePath(o.outDir, task.id), JSON.stringify(m));
}
