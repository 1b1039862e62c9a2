/**
 * `qdistill submit <config.json> --out DIR` runs a study on a Slurm cluster: one job array per
 * dependency level of the study's plan, chained with `--dependency=afterok`, and a merge job.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { checkPlan, PlanError, type StudyPlan } from '../cluster/plan-json.js';
import { sbatchPathProblem, shQuote, shWord } from '../cluster/scripts.js';
import { checkPartition, checkSlurmMemory, MIN_DEFAULT_TIME_SECONDS, parseSlurmTime, TIME_SAFETY_FACTOR } from '../cluster/slurm-values.js';
import { formatDryRun, prepareSubmission, queuedEarlierJobs, submitToSlurm, type SlurmRunner, type SubmitSettings } from '../cluster/submit.js';
import { fileProblem, parseNumberOption, UsageError } from './errors.js';
import { assertRunnable, resolveConfig } from '../experiment/config.js';
import { estimateConfig } from '../experiment/estimate.js';
import { attachEstimates, planJson, planStudy } from '../experiment/plan.js';
import { foreignTaskMarker } from '../experiment/run-files.js';
import { parseSeeds, readConfig } from './run.js';
import type { Seed } from '../experiment/seeds.js';
import { parseJsonText } from './json-input.js';
import { addDebugOption, defineCommand, helpText, parseCommand } from './parse.js';

/** The definition of `qdistill submit`: its parser and its help text. */
export function submitDefinition(): Command {
  const c = defineCommand('submit', {
    summary: 'run a study on a Slurm cluster: a job array per dependency level, then a merge job',
    usage: '<config.json> --out <DIR> [options]',
    description: `Splits the study into its tasks (the plan of 'qdistill plan'), writes one Slurm batch script per
dependency level — a job array whose index i runs the task on line i+1 of a task list written
next to it, each task as 'qdistill run CONFIG --task ID --out DIR' — and a merge job
('qdistill merge DIR'), and submits them with 'sbatch --parsable', each level after the previous
(--dependency=afterok:JOBID --kill-on-invalid-dep=yes: a failed or cancelled task cancels the
rest of the chain). Scripts, task lists, logs and the job ids go to DIR/slurm/submit-<k>/.
DIR must be on a filesystem every compute node sees. Without --time, each level's limit is
${TIME_SAFETY_FACTOR} × its largest task estimate, at least ${MIN_DEFAULT_TIME_SECONDS / 60} min (the partition's default when a run
of the level has no estimate). After a failure, --only-failed resubmits the tasks that left no done marker.`,
    examples: [
      'qdistill submit experiments/e1-qubits.json --out /scratch/$USER/e1 --partition short --dry-run',
      'qdistill submit experiments/e3-self-distillation.json --out /scratch/$USER/e3 --mem 4G --cpus-per-task 2 --max-parallel 20',
      'qdistill submit experiments/e3-self-distillation.json --out /scratch/$USER/e3 --only-failed',
      'qdistill submit experiments/e1-qubits.json --out /scratch/$USER/e1 --seeds 11,12,13,14,15',
    ],
  })
    .option('--out <DIR>', 'results folder on a filesystem shared with the compute nodes (required)')
    .option('--quick', 'submit the config with its "quick" overrides')
    .option('--seeds <LIST>', 'submit these seeds instead of the config\'s, e.g. 11,12 (every task runs with them; tasks of other seeds already in DIR are kept and merged)')
    .option('--partition <P>', 'Slurm partition (or a comma-separated list); default: the cluster\'s default')
    .option('--time <T>', 'time limit of every job: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS; default: from the plan\'s estimates (see above)')
    .option('--cpus-per-task <K>', 'CPUs of each array task (integer ≥ 1); default: Slurm\'s (1)')
    .option('--mem <M>', 'memory of each job: N[K|M|G|T] (megabytes without a unit); default: the partition\'s')
    .option('--max-parallel <M>', 'at most M tasks of one level at once (--array=0-N%M; integer ≥ 1); default: no limit')
    .option('--dry-run', 'print the scripts, task lists and sbatch lines; write and submit nothing')
    .option('--only-failed', 'submit only the tasks without a done marker in DIR (and the merge)')
    .option('--plan <FILE>', 'the plan as written by \'qdistill plan CONFIG --json FILE\' (default: plan CONFIG here)')
    .option('--qdistill-command <CMD>', 'shell command that starts qdistill on the compute nodes, before \'run ...\' and \'merge ...\' (e.g. \'apptainer exec q.sif qdistill\'); default: this node binary and this qdistill');
  return addDebugOption(c);
}

/** Help text of `qdistill submit`. */
export const SUBMIT_HELP = helpText(submitDefinition());

/** Option values of `qdistill submit`, keyed by flag. */
interface SubmitFlags {
  out?: string; quick: boolean; seeds?: string; partition?: string; time?: string; 'cpus-per-task'?: string; mem?: string;
  'max-parallel'?: string; 'dry-run': boolean; 'only-failed': boolean; plan?: string; 'qdistill-command'?: string;
}

/** Makes the plan of a config: `(configPath, quick, seeds) → plan`; `seeds` replaces the config's list when given. */
export type Planner = (configPath: string, quick: boolean, seeds?: Seed[]) => StudyPlan | Promise<StudyPlan>;

/**
 * The in-process planner of `qdistill submit` when no --plan is given: the study's plan
 * (`qdistill plan CONFIG [--quick] --estimate`), with each task's cost estimate from the cost
 * model on this machine (2 workers), which sets the default `--time` per level.
 * @throws ConfigError when the config is invalid; UsageError when it cannot be read.
 */
export const planInProcess: Planner = (configPath, quick, seeds) => {
  const cfg = resolveConfig(readConfig(configPath), { quick, file: configPath });
  if (seeds !== undefined) cfg.seeds = seeds;
  assertRunnable(cfg, configPath);
  return planJson(attachEstimates(planStudy(cfg, quick), estimateConfig(cfg, { workers: 2 })));
};

/**
 * The default `--qdistill-command`: this Node binary and this build's CLI entry point, each
 * quoted. The CLI switches to single-threaded garbage collection itself (./gc.ts), so a job that
 * runs as many workers as it has CPUs does not share them with V8's collector threads.
 */
export function defaultQdistillCommand(): string {
  return `${shQuote(process.execPath)} ${shQuote(fileURLToPath(new URL('./main.js', import.meta.url)))}`;
}

/**
 * Checks the Slurm options of `qdistill submit`.
 * @throws UsageError (exit code 2), one line naming the flag, the value and what is allowed.
 */
export function checkSubmitFlags(v: SubmitFlags): Pick<SubmitSettings, 'partition' | 'time' | 'cpusPerTask' | 'mem' | 'maxParallel'> {
  const out: Pick<SubmitSettings, 'partition' | 'time' | 'cpusPerTask' | 'mem' | 'maxParallel'> = {};
  if (v.partition !== undefined) {
    const p = checkPartition(v.partition);
    if (p) throw new UsageError(`--partition '${v.partition}': ${p}`);
    out.partition = v.partition;
  }
  if (v.time !== undefined) {
    const t = parseSlurmTime(v.time);
    if (typeof t === 'string') throw new UsageError(`--time '${v.time}': ${t}`);
    out.time = v.time;
  }
  if (v.mem !== undefined) {
    const m = checkSlurmMemory(v.mem);
    if (m) throw new UsageError(`--mem '${v.mem}': ${m}`);
    out.mem = v.mem;
  }
  const cpus = parseNumberOption('cpus-per-task', v['cpus-per-task'], 'int>=1');
  if (cpus !== undefined) out.cpusPerTask = cpus;
  const par = parseNumberOption('max-parallel', v['max-parallel'], 'int>=1');
  if (par !== undefined) out.maxParallel = par;
  return out;
}

function readPlanFile(file: string): StudyPlan {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`--plan: cannot read '${file}': ${fileProblem(e)}`); }
  try { return checkPlan(parseJsonText(text, file), `--plan ${file}`); } catch (e) {
    if (e instanceof PlanError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * `qdistill submit`. `planner` makes the plan when --plan is not given; `slurm` runs the Slurm
 * client commands (sbatch, squeue, scancel).
 */
export async function submitCommand(argv: string[], planner: Planner = planInProcess, slurm?: SlurmRunner): Promise<string> {
  const cli = parseCommand<SubmitFlags>(submitDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (positionals.length !== 1) throw new UsageError(`submit takes exactly one config file, got ${positionals.length}`);
  const configPath = resolve(positionals[0]!);
  if (!existsSync(configPath)) throw new UsageError(`cannot read config '${positionals[0]}': no such file (ENOENT)`);
  if (values.out === undefined) throw new UsageError('--out DIR is required: the results folder, on a filesystem every compute node sees');
  if (values.out.trim() === '') throw new UsageError("--out '': needs a folder");
  const outDir = resolve(values.out);
  const pathProblem = sbatchPathProblem(outDir);
  if (pathProblem) throw new UsageError(`--out '${values.out}': ${pathProblem}`);
  const qdistill = values['qdistill-command'] ?? defaultQdistillCommand();
  if (qdistill.trim() === '' || /[\r\n]/.test(qdistill)) throw new UsageError(`--qdistill-command ${JSON.stringify(qdistill)}: must be one non-empty line of shell`);
  const flags = checkSubmitFlags(values);
  const seeds = values.seeds !== undefined ? parseSeeds(values.seeds) : undefined;
  const plan = values.plan !== undefined ? readPlanFile(values.plan) : checkPlan(await planner(configPath, values.quick, seeds), `the plan of ${positionals[0]}`);
  if (values.plan !== undefined && seeds !== undefined && (plan.seeds ?? []).join(',') !== seeds.join(',')) {
    throw new UsageError(`--seeds ${values.seeds}: the plan ${values.plan} was made for ${plan.seeds ? `seeds ${plan.seeds.join(',')}` : "the config's seeds (it does not list them)"}; give the same --seeds to 'qdistill plan', or leave --seeds out here`);
  }
  if (values.plan !== undefined && plan.quick !== values.quick) throw new UsageError(`--plan ${values.plan}: planned ${plan.quick ? 'with' : 'without'} --quick, but submit is run ${values.quick ? 'with' : 'without'} it; give the same --quick to both`);
  // every task runs with --resume, which refuses a folder of another config: say so now, not in each job's log
  const foreign = foreignTaskMarker(outDir, plan);
  if (foreign) throw new UsageError(`--out ${outDir} holds tasks of another config (${foreign.summary}): its tasks would all be refused; submit into another --out DIR, or delete ${join(outDir, 'tasks')} to start this study there`);
  const sub = prepareSubmission(plan, { ...flags, configPath, outDir, qdistill, onlyFailed: values['only-failed'] });
  if (values['dry-run']) return formatDryRun(sub);
  const queued = queuedEarlierJobs(outDir, slurm);
  if (queued.length > 0) throw new UsageError(`${queued.length} job(s) of an earlier submission into ${outDir} are still queued or running (${queued.slice(0, 5).join(', ')}${queued.length > 5 ? ', …' : ''}); wait for them or scancel them before submitting again`);
  const jobs = submitToSlurm(sub, slurm);
  const lines = [`${plan.name}${plan.quick ? ' (quick)' : ''}: submitted ${jobs.length} job(s), scripts and logs in ${sub.dir}`, ...sub.notes];
  for (const j of jobs) lines.push(`${j.name}: job ${j.jobId}${j.tasks ? `, ${j.tasks.length} task(s)` : ''}: sbatch ${j.args.map(shWord).join(' ')}`);
  lines.push(`watch with: squeue --me; after the merge job: ${outDir}/results.json; after a failure: the same command with --only-failed`);
  return lines.join('\n');
}
