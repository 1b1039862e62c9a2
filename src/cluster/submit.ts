/**
 * Submission of a study plan to Slurm: one job array per dependency level, each chained to the
 * previous one with `--dependency=afterok:JOBID`, then a merge job after the last. Slurm does
 * the scheduling (queueing, placement, retries by the user); qdistill only splits the study into
 * tasks, runs one task per array index, and merges. Each submission gets its own folder
 * `<out>/slurm/submit-<k>/` (scripts, task lists, logs, `jobs.json` with the job ids), so a
 * resubmission never rewrites a task list a queued array still reads. `--kill-on-invalid-dep=yes`
 * makes Slurm cancel the rest of the chain when a task fails or is cancelled, instead of leaving
 * it pending forever; `onlyFailed` then resubmits the tasks without a done marker.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTaskDone } from './done-marker.js';
import { tasksByLevel, type PlanTask, type StudyPlan } from './plan-json.js';
import { levelScript, mergeScript, shQuote, shWord, type BatchScript, type JobOptions, type LevelScript } from './scripts.js';
import { defaultTimeSeconds, formatSlurmTime, MIN_DEFAULT_TIME_SECONDS, TIME_SAFETY_FACTOR } from './slurm-values.js';

/** What a submission needs beyond the plan. */
export interface SubmitSettings extends JobOptions {
  /** Absolute path of the config. */
  configPath: string;
  /** Absolute path of the results folder. */
  outDir: string;
  /** Shell command that starts qdistill on the compute nodes (see {@link ScriptContext.qdistill}). */
  qdistill: string;
  /** Submit only the tasks without a done marker (and the merge). */
  onlyFailed: boolean;
  /** Whether task `id` is finished in `outDir`; defaults to the done-marker check. */
  isDone?: (outDir: string, id: string) => boolean;
}

/** A submission ready to write and submit. */
export interface Submission {
  /** Its folder, `<out>/slurm/submit-<k>`. */
  dir: string;
  /** One job array per level with tasks to run, lowest level first. */
  arrays: LevelScript[];
  /** The merge job. */
  merge: BatchScript;
  /** Tasks left out because they are done (`onlyFailed`). */
  done: PlanTask[];
  /** Notes for the user (how the time limits were chosen, what was left out). */
  notes: string[];
}

/** The submission folders `submit-<k>` under `<out>/slurm`, by k. */
function previousSubmissions(outDir: string): number[] {
  const base = join(outDir, 'slurm');
  if (!existsSync(base)) return [];
  return readdirSync(base).map((n) => /^submit-(\d+)$/.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
}

/**
 * Builds (without writing anything) the submission of `plan`: the levels' job arrays with their
 * task lists (only unfinished tasks when `s.onlyFailed`; levels left without tasks are dropped),
 * the merge job, and the notes. The folder is the next free `<out>/slurm/submit-<k>`.
 * Time limits: `s.time` for every job when given, else per level
 * max(MIN_DEFAULT_TIME_SECONDS, TIME_SAFETY_FACTOR × the level's largest estimate), rounded up
 * to minutes; a level with a task without estimate gets no limit (the partition's default),
 * except a data task without one (feature data: reading the files), which does not count.
 */
export function prepareSubmission(plan: StudyPlan, s: SubmitSettings): Submission {
  const prev = previousSubmissions(s.outDir);
  const dir = join(s.outDir, 'slurm', `submit-${(prev.at(-1) ?? 0) + 1}`);
  const ctx = { name: plan.name, quick: plan.quick, configPath: s.configPath, ...(plan.seeds ? { seeds: plan.seeds } : {}), outDir: s.outDir, submitDir: dir, qdistill: s.qdistill };
  const isDone = s.isDone ?? isTaskDone;
  const done: PlanTask[] = [];
  const arrays: LevelScript[] = [];
  const notes: string[] = [];
  tasksByLevel(plan).forEach((tasks, level) => {
    const todo = s.onlyFailed ? tasks.filter((t) => { const d = isDone(s.outDir, t.id); if (d) done.push(t); return !d; }) : tasks;
    if (todo.length === 0) return;
    // the data task of MNIST or blob data has no estimate (it reads the data files: seconds);
    // it does not set the level's limit, the runs beside it do (the 10-minute floor covers it)
    const est = todo.filter((t) => !(t.kind === 'data' && t.estimateSeconds === null)).map((t) => t.estimateSeconds);
    const seconds = s.time === undefined ? defaultTimeSeconds(est) : null;
    const largest = est.every((e) => e !== null) ? Math.max(...(est as number[])) : null;
    const timeNote = s.time !== undefined ? `--time ${s.time}, as given.`
      : seconds === null ? 'none asked for (a task has no estimate); the partition\'s default applies.'
        : `${formatSlurmTime(seconds)} = max(${MIN_DEFAULT_TIME_SECONDS / 60} min, ${TIME_SAFETY_FACTOR} × the largest estimate of the level, ${largest!.toFixed(1)} s), rounded up to minutes.`;
    arrays.push(levelScript(ctx, level, plan.levels, todo, s, seconds, timeNote));
    if (s.time === undefined) notes.push(`level ${level}: ${todo.length} task(s), time limit ${seconds === null ? 'none (a task has no estimate; the partition\'s default applies)' : `${formatSlurmTime(seconds)} (largest estimate ${largest!.toFixed(1)} s × ${TIME_SAFETY_FACTOR}, at least ${MIN_DEFAULT_TIME_SECONDS / 60} min)`}`);
  });
  if (s.onlyFailed) notes.push(arrays.length === 0 ? `all ${plan.tasks.length} task(s) are done; only the merge job is submitted` : `${done.length} of ${plan.tasks.length} task(s) are done and left out`);
  return { dir, arrays, merge: mergeScript(ctx, s), done, notes };
}

/** The sbatch arguments of a job of the chain: after the job `after` (an id, or a shell variable in a dry run) unless it is the first. */
function sbatchArgs(script: string, after: string | null): string[] {
  return ['--parsable', ...(after === null ? [] : [`--dependency=afterok:${after}`, '--kill-on-invalid-dep=yes']), script];
}

/** The shell variable a dry run stores a job's id in: `level0`, `level1`, …, `merge`. */
function jobVar(job: LevelScript | BatchScript): string {
  return isLevel(job) ? `level${job.level}` : 'merge';
}

function isLevel(job: LevelScript | BatchScript): job is LevelScript {
  return 'level' in job;
}

/**
 * A dry run's text: every file of the submission with its contents (scripts and task lists),
 * then the sbatch lines as a shell script that chains them (`${levelK%%;*}` drops the cluster
 * name `--parsable` appends on multi-cluster sites).
 */
export function formatDryRun(sub: Submission): string {
  const out: string[] = [`# dry run: nothing written or submitted; the submission would go to ${sub.dir}`];
  for (const n of sub.notes) out.push(`# ${n}`);
  for (const a of sub.arrays) {
    out.push('', `# ---- ${a.path}`, a.text.trimEnd(), '', `# ---- ${a.tasksPath}`, a.tasksText.trimEnd());
  }
  out.push('', `# ---- ${sub.merge.path}`, sub.merge.text.trimEnd(), '', '# ---- sbatch lines');
  let prev: string | null = null;
  for (const job of [...sub.arrays, sub.merge]) {
    const v = jobVar(job);
    out.push(`${v}=$(sbatch ${sbatchArgs(shQuote(job.path), prev === null ? null : `\${${prev}%%;*}`).join(' ')})`);
    prev = v;
  }
  return out.join('\n');
}

/** Writes the submission's folder: logs/, the scripts (executable) and the task lists. */
export function writeSubmission(sub: Submission): void {
  mkdirSync(join(sub.dir, 'logs'), { recursive: true });
  for (const a of sub.arrays) {
    writeFileSync(a.tasksPath, a.tasksText);
    writeFileSync(a.path, a.text, { mode: 0o755 });
  }
  writeFileSync(sub.merge.path, sub.merge.text, { mode: 0o755 });
}

/** A Slurm command that failed (not found, or a non-zero exit): what was run and what it said. */
export class SlurmCommandError extends Error {
  override name = 'SlurmCommandError';
}

/** Runs a Slurm client command; returns its stdout. @throws SlurmCommandError naming the command line and its stderr. */
export type SlurmRunner = (command: string, args: string[]) => string;

/** Runs `command args` with the inherited environment (SLURM_CONF and the like). */
export const runSlurmCommand: SlurmRunner = (command, args) => {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  const line = [command, ...args.map(shWord)].join(' ');
  if (r.error) throw new SlurmCommandError(`${line}: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} not found (is this a Slurm login node? the Slurm client commands must be on PATH)` : r.error.message}`);
  if (r.status !== 0) throw new SlurmCommandError(`${line} exited with ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().split('\n').join(' | ')}`);
  return r.stdout;
};

/** One submitted job, as `jobs.json` records it. */
export interface SubmittedJob {
  /** `level-<k>` or `merge`. */
  name: string;
  /** The Slurm job id (of the whole array for a level). */
  jobId: string;
  /** The exact sbatch arguments. */
  args: string[];
  /** The tasks, in array-index order (levels only). */
  tasks?: string[];
}

/** The job ids recorded by every earlier submission into `outDir` (from their `jobs.json`). */
export function recordedJobIds(outDir: string): string[] {
  const ids: string[] = [];
  for (const k of previousSubmissions(outDir)) {
    const f = join(outDir, 'slurm', `submit-${k}`, 'jobs.json');
    if (!existsSync(f)) continue;
    try {
      const doc = JSON.parse(readFileSync(f, 'utf8')) as { jobs?: { jobId?: unknown }[] };
      for (const j of doc.jobs ?? []) if (typeof j.jobId === 'string') ids.push(j.jobId);
    } catch { /* a damaged record names no job: nothing to wait for */ }
  }
  return ids;
}

/**
 * The jobs of earlier submissions into `outDir` that are still in the queue (pending or
 * running), as `JOBID STATE` lines from `squeue --me`; empty when none is.
 */
export function queuedEarlierJobs(outDir: string, run: SlurmRunner = runSlurmCommand): string[] {
  const ids = new Set(recordedJobIds(outDir));
  if (ids.size === 0) return [];
  const out = run('squeue', ['--me', '--noheader', '--format=%F %i %T']);
  return out.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length === 3 && ids.has(f[0]!)).map((f) => `${f[1]} ${f[2]}`);
}

/**
 * Writes the submission and submits it: `sbatch --parsable` for each level's array, each after
 * the previous with `--dependency=afterok:JOBID --kill-on-invalid-dep=yes`, then the merge
 * job; records the job ids in `<dir>/jobs.json`. When an sbatch fails, the jobs already
 * submitted by this call are cancelled (`scancel`), so no half chain is left in the queue.
 * When the first sbatch fails, nothing was queued and the submission's folder is removed.
 * @returns the submitted jobs in order.
 * @throws SlurmCommandError naming the sbatch line that failed and what sbatch said.
 */
export function submitToSlurm(sub: Submission, run: SlurmRunner = runSlurmCommand): SubmittedJob[] {
  writeSubmission(sub);
  const jobs: SubmittedJob[] = [];
  let prev: string | null = null;
  try {
    for (const job of [...sub.arrays, sub.merge]) {
      const args = sbatchArgs(job.path, prev);
      const id = run('sbatch', args).trim().split(';')[0]!;
      if (!/^\d+$/.test(id)) throw new SlurmCommandError(`sbatch ${args.map(shWord).join(' ')} printed '${id}', not a job id`);
      jobs.push({ name: isLevel(job) ? `level-${job.level}` : 'merge', jobId: id, args, ...(isLevel(job) ? { tasks: job.tasks.map((t) => t.id) } : {}) });
      prev = id;
    }
  } catch (e) {
    if (jobs.length > 0) {
      try { run('scancel', jobs.map((j) => j.jobId)); } catch { /* the error below is the one to report */ }
      (e as Error).message += ` (cancelled the ${jobs.length} job(s) this submission had queued: ${jobs.map((j) => j.jobId).join(', ')})`;
    } else {
      // nothing reached the queue: leave no submission folder behind (the next one keeps its number)
      rmSync(sub.dir, { recursive: true, force: true });
      (e as Error).message += '; nothing was submitted';
    }
    throw e;
  }
  writeFileSync(join(sub.dir, 'jobs.json'), JSON.stringify({ submitted: new Date().toISOString(), jobs }, null, 1) + '\n');
  return jobs;
}
