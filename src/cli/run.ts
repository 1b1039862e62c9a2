/**
 * `qdistill run <config.json>` runs an experiment; `qdistill validate <config.json>` checks one.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { configWarnings } from '../experiment/check.js';
import { configJsonSchema, resolveConfig } from '../experiment/config.js';
import { estimateConfig } from '../experiment/estimate.js';
import { runExperiment } from '../experiment/runner.js';
import { studentsOf } from '../experiment/student-sweep.js';
import { SEED_RULE, seedListProblem, type Seed } from '../experiment/seeds.js';
import { checkJsonDepth, fileProblem, parseNumberOption, UsageError } from './errors.js';
import { parseJsonText } from './json-input.js';
import { addDebugOption, defineCommand, helpText, parseCommand } from './parse.js';
import { addProgressOptions, progressMode } from './progress-options.js';
import { finishStudy, runOneTask } from './task.js';

/** The definition of `qdistill run`: its parser and its help text. */
export function runDefinition(): Command {
  const c = defineCommand('run', {
    summary: 'run an experiment (distillation studies): results.json, table.md, figures',
    usage: '<config.json> [options]',
    description: `Runs an experiment config and writes results/<name>/ (results/<name>/quick/ with --quick):
results.json (every run's config, seed, metrics history, final accuracies, wall time, the
teacher's truncation summary and the git commit), table.md and SVG figures. Finished runs are
saved one by one; --resume skips them and continues an interrupted run from its last checkpoint.
Progress goes to stderr: on a terminal a bar per run (run, epoch/step, loss, accuracy, bond
reached, ETA), otherwise one line per epoch.`,
    examples: [
      'qdistill run experiments/e1-qubits.json --quick',
      'qdistill run experiments/e3-self-distillation.json --workers 2 --resume',
      'qdistill run experiments/e4-teacher-bond.json --seeds 1,2 --resume',
      'qdistill run experiments/e1-qubits.json --quick --no-progress 2> /dev/null',
      'qdistill run experiments/e1-qubits.json --quick --task seed-1/teacher --out results/e1',
    ],
  })
    .option('--quick', 'apply the config\'s "quick" overrides (a ~2-minute smoke version)')
    .option('--out <DIR>', 'output directory (default results/<name>, results/<name>/quick with --quick)')
    .option('--resume', 'continue a previous invocation')
    .option('--force', 'overwrite a finished full run in the output directory (one whose results.json says quick: false); without it only --resume of the same config writes there')
    .option('--workers <K>', 'worker threads per training run (integer ≥ 1; default 2; more than the cores is slower)')
    .option('--seeds <LIST>', 'run these seeds instead of the config\'s, e.g. 1,2,3 (with --resume, runs of other seeds already in DIR are kept on disk and reused when asked for later)')
    .option('--dry-run', 'print the resolved config (defaults filled in) and a time estimate calibrated on this machine, and exit')
    .option('--task <ID>', 'run only this task of the study\'s plan (ids: qdistill plan CONFIG), reusing the finished tasks it depends on from the output directory; with --resume a finished task is kept and an interrupted one continues');
  addProgressOptions(c)
    .option('--allow-norm-drift', 'exit 0 even when a simulation raised the norm-drift alarm (the results record it either way: "numerics" in results.json and in every run)');
  return addDebugOption(c);
}

/** Help text of `qdistill run`. */
export const RUN_HELP = helpText(runDefinition());

/** The definition of `qdistill validate`: its parser and its help text. */
export function validateDefinition(): Command {
  const c = defineCommand('validate', {
    summary: 'check an experiment config without running it',
    usage: '<config.json> [options]',
    description: `Checks an experiment config without running it and lists every problem with its path, value
and what is allowed (JSON syntax errors with their line and column). Without --quick the
config's "quick" variant is checked too; a value the quick block sets is named there
(quick.seeds.1). --schema prints the JSON Schema of the config format instead.`,
    examples: [
      'qdistill validate experiments/e1-qubits.json',
      'qdistill validate experiments/e1-qubits.json --quick',
      'qdistill validate --schema > config.schema.json',
    ],
  })
    .option('--quick', 'check the config with its "quick" overrides applied')
    .option('--schema', 'print the JSON Schema of the config format and exit');
  return addDebugOption(c);
}

/** Help text of `qdistill validate`. */
export const VALIDATE_HELP = helpText(validateDefinition());

/** Reads a config file as JSON (one-line errors naming the file, the line and the column). */
export function readConfig(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`cannot read config '${file}': ${fileProblem(e)}`); }
  const doc = parseJsonText(text, file);
  checkJsonDepth(doc, file);
  return doc;
}

/** `qdistill validate`. */
export async function validateCommand(argv: string[]): Promise<string> {
  const cli = parseCommand<{ quick: boolean; schema: boolean }>(validateDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (values.schema) return JSON.stringify(configJsonSchema(), null, 1);
  if (positionals.length !== 1) throw new UsageError(`validate takes exactly one config file, got ${positionals.length}`);
  const raw = readConfig(positionals[0]!);
  const cfg = resolveConfig(raw, { quick: values.quick, file: positionals[0]! });
  // the quick block is part of the file: without --quick it is checked too, so that a config
  // that validates also runs with --quick
  if (!values.quick && raw !== null && typeof raw === 'object' && 'quick' in raw) resolveConfig(raw, { quick: true, file: `${positionals[0]!} (with --quick)` });
  for (const w of configWarnings(cfg)) process.stderr.write(`${positionals[0]}: ${w}\n`);
  return `${positionals[0]}: valid (${cfg.name}: ${cfg.seeds.length} seed(s), ${studentsOf(cfg).length} student(s)${cfg.studentSweep ? `, ${cfg.studentSweep.qubits.length * cfg.studentSweep.layers.length} of them on the student-size grid` : ''})`;
}

/**
 * Parses `--seeds 1,2,3`: each entry an integer ≥ 0 (written in digits) or a name (a letter,
 * then letters, digits, `.`, `_` or `-`; names become ids and file names such as
 * `seed-alpha/teacher`). Anything else — `-1`, `1.5`, `1e3`, a range `1-5` or `1..5`, a path —
 * is refused rather than run as a seed named so.
 * @throws UsageError (exit code 2) for an empty entry, an entry that is not a seed, or a seed
 *   listed twice.
 */
export function parseSeeds(raw: string): Seed[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`--seeds must be a comma-separated list of seeds, e.g. 1,2,3; got '${raw}'`);
  // digits are integers; anything else stays text, so '-1', '1.5', '1e3' and ranges fail the rule
  const seeds = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const bad = seedListProblem(seeds);
  if (bad?.problem.startsWith('lists')) throw new UsageError(`--seeds lists seed ${String(bad.value)} twice: '${raw}'; give each seed once`);
  if (bad) throw new UsageError(`--seeds entry '${parts[bad.index]}' is not a seed: each must be ${SEED_RULE}; ranges are not read, list every seed (e.g. 1,2,3,4,5)`);
  return seeds;
}

/**
 * The one-line warning for `--workers K` above the cores Node can use
 * (`os.availableParallelism()`), or null: K is accepted, but the threads then share cores,
 * time-slicing each other and the main thread, so a run is slower than with K = cores.
 */
export function workersWarning(workers: number, cores = availableParallelism()): string | null {
  if (workers <= cores) return null;
  return `warning: --workers ${workers} is more than the ${cores} core(s) available; the worker threads will share cores and the run will be slower than with --workers ${cores}`;
}

/** Seconds as `12 s`, `3.4 min` or `2.1 h`. */
export function formatSeconds(s: number): string {
  return s < 90 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

/** `≈ 12 s` when the range is tight (within 10 %), else `12 s – 3.4 min`. */
export function formatRange(lo: number, hi: number): string {
  return hi <= lo * 1.1 ? `≈ ${formatSeconds(lo)}` : `${formatSeconds(lo)} – ${formatSeconds(hi)}`;
}

/** Option values of `qdistill run`, keyed by flag. */
interface RunFlags {
  quick: boolean; out?: string; resume: boolean; force: boolean; workers?: string; seeds?: string;
  'dry-run': boolean; progress: string | false; 'allow-norm-drift': boolean; task?: string;
}

/** `qdistill run`. */
export async function runCommand(argv: string[]): Promise<string> {
  const cli = parseCommand<RunFlags>(runDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (positionals.length !== 1) throw new UsageError(`run takes exactly one config file, got ${positionals.length}`);
  const file = positionals[0]!;
  const workers = parseNumberOption('workers', values.workers, 'int>=1') ?? 2;
  const workerWarning = workersWarning(workers);
  if (workerWarning) process.stderr.write(`${workerWarning}\n`);
  const progress = progressMode(values.progress);
  const cfg = resolveConfig(readConfig(file), { quick: values.quick, file });
  if (values.seeds !== undefined) cfg.seeds = parseSeeds(values.seeds);
  for (const w of configWarnings(cfg)) process.stderr.write(`${file}: ${w}\n`);
  if (values['dry-run']) {
    const est = estimateConfig(cfg, { workers });
    const c = est.calibration;
    const rows = est.perSeed.map((r) => `  ${r.run.padEnd(28)} n=${String(r.qubits).padEnd(4)} 2q gates=${String(r.twoQubitGates).padEnd(5)} ${r.chi === 0 ? 'exact SV' : `χ≤${String(r.chi).padEnd(5)}`.padEnd(8)} ${formatRange(r.seconds, r.secondsHigh).padStart(16)}  ${r.peakMemoryMiB.toFixed(1)} MiB`);
    return [JSON.stringify(cfg, null, 1), '',
      `Time estimate, calibrated on this machine (two-site split: ${(c.gateSeconds * 1e6).toFixed(1)} µs fixed, ${c.gflops.toFixed(2)} GFLOP/s at χ=16; ${c.ms.toFixed(0)} ms of benchmark; load ${c.load.toFixed(1)}× from other processes),`,
      `per seed, ${cfg.seeds.length} seed(s), ${est.parallel} worker(s) at once; from bonds as initialised to every bond saturated at χ:`, ...rows,
      `  total ${formatRange(est.totalSeconds, est.totalSecondsHigh)} (wall clock), peak memory per worker ≈ ${est.peakMemoryMiB.toFixed(1)} MiB`].join('\n');
  }
  if (values.task !== undefined) {
    return runOneTask(cfg, { file, quick: values.quick, ...(values.seeds !== undefined ? { seeds: values.seeds } : {}), task: values.task, ...(values.out ? { out: values.out } : {}), resume: values.resume, force: values.force, workers, progress });
  }
  const log = (line: string) => process.stderr.write(`[${cfg.name}] ${line}\n`);
  const { results, outDir } = await runExperiment(cfg, { workers, resume: values.resume, force: values.force, progress, progressStream: process.stderr, quick: values.quick, log, handleSigint: true, ...(values.out ? { outDir: values.out } : {}) });
  return finishStudy(results, outDir, values['allow-norm-drift']);
}
