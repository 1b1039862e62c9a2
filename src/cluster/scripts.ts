/**
 * Slurm batch scripts of a study: one job array per dependency level, whose array index i runs
 * line i+1 of a task-list file written next to the script, and one merge job. Paths enter the
 * scripts quoted: single quotes in the shell body, double quotes (with `%` doubled, Slurm's
 * file-name pattern escape) in the `#SBATCH --output` lines that sbatch itself reads.
 */
import { join } from 'node:path';
import type { PlanTask } from './plan-json.js';
import { formatSlurmTime } from './slurm-values.js';

/** Resources and limits of the jobs, as given to `qdistill submit` (already validated). */
export interface JobOptions {
  /** Partition (`--partition`), or undefined for the cluster's default. */
  partition?: string;
  /** Time limit for every job (`--time`, a Slurm time), or undefined for the default from the estimates. */
  time?: string;
  /** CPUs per array task (`--cpus-per-task`). */
  cpusPerTask?: number;
  /** Memory per array task (`--mem`, `N[K|M|G|T]`). */
  mem?: string;
  /** At most this many tasks of one array at once (the `%M` of `--array=0-N%M`). */
  maxParallel?: number;
}

/** What every script of one submission shares. */
export interface ScriptContext {
  /** The study's name (job names are built from it). */
  name: string;
  /** Whether the tasks run the config with its quick overrides (`--quick` on every `run`). */
  quick: boolean;
  /** Absolute path of the config. */
  configPath: string;
  /**
   * The seeds the plan was made for (`--seeds` on every `run`, so tasks of seeds beyond the
   * config's list are found); absent for plan files that do not list their seeds.
   */
  seeds?: readonly (number | string)[];
  /** Absolute path of the results folder (`--out`). */
  outDir: string;
  /** Absolute path of this submission's folder (scripts, task lists, logs). */
  submitDir: string;
  /**
   * The shell command that starts qdistill, inserted verbatim before `run …` and `merge …`
   * (e.g. `'/usr/bin/node' '/opt/qdistill/dist/src/cli/main.js'`, or `apptainer exec q.sif qdistill`).
   */
  qdistill: string;
}

/** A generated batch script. */
export interface BatchScript {
  /** Where the script is written. */
  path: string;
  /** Its text. */
  text: string;
}

/** A level's job array: the script, its task-list file and what the limit was derived from. */
export interface LevelScript extends BatchScript {
  /** Dependency level of the plan. */
  level: number;
  /** The tasks it runs; array index i is `tasks[i]`. */
  tasks: PlanTask[];
  /** Path of the task-list file (one id a line, in array-index order). */
  tasksPath: string;
  /** Text of the task-list file. */
  tasksText: string;
  /** The `--time` of the array, or undefined when none is asked for. */
  time?: string;
}

/** `s` as one shell word: single-quoted, each `'` written as `'\''`. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `s` as one shell word, quoted with {@link shQuote} only when it holds a character the shell would read (for command lines shown to people). */
export function shWord(s: string): string {
  return /^[A-Za-z0-9_\-.,:/=@%+]+$/.test(s) ? s : shQuote(s);
}

/**
 * Null when `dir` can be written in a `#SBATCH --output="…"` line, else what is wrong: sbatch
 * reads these lines itself, with double quotes but without escapes, so a `"`, a backslash (it
 * turns off Slurm's file-name patterns) or a line break cannot be written there.
 */
export function sbatchPathProblem(dir: string): string | null {
  const bad = /["\\\r\n\0]/.exec(dir);
  if (!bad) return null;
  const what = bad[0] === '"' ? 'a double quote (")' : bad[0] === '\\' ? 'a backslash (\\)' : 'a line break or NUL';
  return `contains ${what}, which a #SBATCH line cannot hold (sbatch reads those lines without escapes); use a folder without it`;
}

/**
 * A log path for a `#SBATCH --output` line: the folder `dir` with `%` doubled (Slurm's escape
 * for a literal `%` in file-name patterns), then the file-name pattern `name` (`%A`, `%a`, `%j`
 * are Slurm's), double-quoted.
 */
function sbatchPath(dir: string, name: string): string {
  return `"${join(dir, 'logs').replace(/%/g, '%%')}/${name}"`;
}

/** A Slurm job name from the study name: characters other than letters, digits, `_ . -` become `_`, at most 48 of them. */
export function jobName(study: string, suffix: string): string {
  return `qd-${study.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40)}-${suffix}`;
}

function resourceLines(o: JobOptions, time: string | undefined, cpus: boolean): string[] {
  const lines: string[] = [];
  if (o.partition !== undefined) lines.push(`#SBATCH --partition=${o.partition}`);
  if (time !== undefined) lines.push(`#SBATCH --time=${time}`);
  if (cpus && o.cpusPerTask !== undefined) lines.push(`#SBATCH --cpus-per-task=${o.cpusPerTask}`);
  if (o.mem !== undefined) lines.push(`#SBATCH --mem=${o.mem}`);
  return lines;
}

/**
 * The job array of dependency level `level` of `levels`, running `tasks` (non-empty). Its time
 * limit is `o.time` when given, else `defaultSeconds` formatted (none when that is null too);
 * `timeNote` says in a comment where the limit came from.
 */
export function levelScript(ctx: ScriptContext, level: number, levels: number, tasks: PlanTask[], o: JobOptions, defaultSeconds: number | null, timeNote: string): LevelScript {
  const path = join(ctx.submitDir, `level-${level}.sh`);
  const tasksPath = join(ctx.submitDir, `level-${level}.tasks`);
  const time = o.time ?? (defaultSeconds === null ? undefined : formatSlurmTime(defaultSeconds));
  const last = tasks.length - 1;
  const text = [
    '#!/bin/bash',
    `#SBATCH --job-name=${jobName(ctx.name, `L${level}`)}`,
    `#SBATCH --array=0-${last}${o.maxParallel !== undefined ? `%${o.maxParallel}` : ''}`,
    `#SBATCH --output=${sbatchPath(ctx.submitDir, `level-${level}-%A_%a.out`)}`,
    ...resourceLines(o, time, true),
    `# qdistill study ${ctx.name}${ctx.quick ? ' (quick)' : ''}, dependency level ${level} of 0-${levels - 1}: ${tasks.length} task(s);`,
    '# array index i runs the task on line i+1 of the task list.',
    `# Time limit: ${timeNote}`,
    'set -euo pipefail',
    `tasks=${shQuote(tasksPath)}`,
    'task=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$tasks")',
    'if [ -z "$task" ]; then',
    '  echo "qdistill submit: no task at array index $SLURM_ARRAY_TASK_ID in $tasks" >&2',
    '  exit 2',
    'fi',
    'echo "qdistill task $task (array job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}) on $(hostname) at $(date -u +%FT%TZ)"',
    // --resume: a task cancelled or timed out earlier continues from its last checkpoint (a finished one is skipped);
    // --workers: the CPUs Slurm gave the task (results do not depend on the worker count)
    `exec ${ctx.qdistill} run ${shQuote(ctx.configPath)}${ctx.quick ? ' --quick' : ''}${ctx.seeds ? ` --seeds ${shQuote(ctx.seeds.join(','))}` : ''} --task "$task" --out ${shQuote(ctx.outDir)} --resume --workers "\${SLURM_CPUS_PER_TASK:-1}"`,
    '',
  ].join('\n');
  return { level, tasks, path, text, tasksPath, tasksText: tasks.map((t) => `${t.id}\n`).join(''), ...(time !== undefined ? { time } : {}) };
}

/** The merge job: `qdistill merge OUT` on one CPU, with the partition, memory and (given) time limit of the arrays. */
export function mergeScript(ctx: ScriptContext, o: JobOptions): BatchScript {
  const text = [
    '#!/bin/bash',
    `#SBATCH --job-name=${jobName(ctx.name, 'merge')}`,
    `#SBATCH --output=${sbatchPath(ctx.submitDir, 'merge-%j.out')}`,
    ...resourceLines(o, o.time, false),
    `# qdistill study ${ctx.name}${ctx.quick ? ' (quick)' : ''}: merges the task outputs into results.json, table.md and the figures.`,
    'set -euo pipefail',
    `exec ${ctx.qdistill} merge ${shQuote(ctx.outDir)}`,
    '',
  ].join('\n');
  return { path: join(ctx.submitDir, 'merge.sh'), text };
}
