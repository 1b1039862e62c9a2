/**
 * The two ends of a study that `qdistill run` shares with `qdistill merge`: running one task of
 * the plan (`qdistill run CONFIG --task ID`), and writing the report of merged results and
 * printing their summary (every path that produces results.json ends here).
 */
import { taskDonePath, planStudy } from '../experiment/plan.js';
import { writeReport } from '../experiment/report.js';
import { assertMayWrite, defaultOutDir, withRemedy } from '../experiment/run-files.js';
import { assertRunnable, type ExperimentConfig } from '../experiment/config.js';
import type { ExperimentResults } from '../experiment/runner.js';
import { gitCommit } from '../experiment/provenance.js';
import { runTask } from '../experiment/tasks.js';
import { InvocationClock } from '../experiment/invocations.js';
import type { ProgressMode } from '../train/progress.js';
import { watchSigint } from '../infra/sigint.js';
import { enforceAlarms } from './alarms.js';
import { UsageError } from './errors.js';
import { suggestCommand } from './parse.js';

/** What `qdistill run --task` was given besides the config. */
export interface TaskFlags {
  /** The config file and the flags that shaped the plan (for the commands the messages print). */
  file: string;
  quick: boolean;
  seeds?: string;
  task: string;
  out?: string;
  resume: boolean;
  force: boolean;
  workers: number;
  progress: ProgressMode;
}

/** `qdistill run CONFIG` with the flags that select the same plan, as a command prefix. */
function configCommand(f: Pick<TaskFlags, 'file' | 'quick' | 'seeds'>): string {
  return `${f.file}${f.quick ? ' --quick' : ''}${f.seeds !== undefined ? ` --seeds ${f.seeds}` : ''}`;
}

/**
 * Runs task `f.task` of the plan of `cfg` into the results folder (default as `qdistill run`);
 * when the task runs (is not reused), this invocation is recorded in the folder's
 * `invocations/` for the study's timing (see `invocations.ts`).
 * @throws ConfigError when the config fails a check of `assertRunnable` (as `qdistill run`).
 * @throws UsageError for an id that is not in the plan (naming `qdistill plan`, and the
 *   closest id); MissingDependencyError (exit 2) for a dependency that has not finished.
 */
export async function runOneTask(cfg: ExperimentConfig, f: TaskFlags): Promise<string> {
  assertRunnable(cfg, f.file);
  const plan = planStudy(cfg, f.quick);
  const task = plan.tasks.find((t) => t.id === f.task);
  if (!task) {
    const near = suggestCommand(plan.tasks.map((t) => t.id), f.task);
    throw new UsageError(`--task '${f.task}' is not a task of ${cfg.name}${f.quick ? ' (quick)' : ''}${near ? ` (did you mean ${near}?)` : ''}; 'qdistill plan ${configCommand(f)}' lists the ${plan.tasks.length} valid ids`);
  }
  const outDir = f.out ?? defaultOutDir(cfg.name, f.quick);
  assertMayWrite(outDir, { name: cfg.name, configHash: plan.configHash, quick: f.quick, resume: f.resume, force: f.force, task: true });
  const sigint = watchSigint(true);
  const log = (line: string) => process.stderr.write(`[${cfg.name}] ${line}\n`);
  const invocation = new InvocationClock(outDir, plan);
  try {
    const outcome = await runTask(plan, task, {
      cfg, quick: f.quick, outDir, gitCommit: gitCommit(), workers: f.workers, resume: f.resume, progress: f.progress, progressStream: process.stderr, handleSigint: true, log,
      interrupted: () => sigint.count() > 0, dependencyHint: `qdistill run ${configCommand(f)} --task {id} --out ${outDir}`, invocation,
    });
    return `${task.id}: ${outcome === 'ran' ? 'finished' : 'finished earlier (resume)'}; wrote ${taskDonePath(outDir, task.id)}`;
  } catch (e) {
    throw withRemedy(e);
  } finally {
    // the time up to the end, an error or Ctrl-C counts in the study's timing (save never throws)
    invocation.save(true);
    sigint.dispose();
  }
}

/**
 * Writes table.md, the figures and report.html of `results` into `outDir` and returns the
 * summary lines (`run` and `merge` print them).
 * @throws Error (exit code 1) when a simulation raised the norm-drift alarm, unless `allowNormDrift`.
 */
export async function finishStudy(results: ExperimentResults, outDir: string, allowNormDrift: boolean): Promise<string> {
  const written = await writeReport(results, outDir);
  const nm = results.numerics;
  const alarm = { normDrift: nm.normDriftMax, normDriftExceeded: nm.normDriftExceeded };
  const what = `${results.name} (results written to ${outDir}; alarm in ${nm.alarmedRuns.length > 0 ? nm.alarmedRuns.join(', ') : 'a simulation outside the recorded runs'})`;
  const warnings = enforceAlarms(alarm, allowNormDrift, what);
  return [...warnings, `${results.name}: ${results.runs.length} run(s) in ${results.wallSeconds.toFixed(1)} s`, `wrote ${outDir}/results.json`, ...written.map((p) => `wrote ${p}`)].join('\n');
}
