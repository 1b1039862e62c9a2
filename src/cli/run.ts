/**
 * `qdistill run <config.json>` runs an experiment; `qdistill validate <config.json>` checks one.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { configJsonSchema, resolveConfig } from '../experiment/config.js';
import { estimateConfig } from '../experiment/estimate.js';
import { writeReport } from '../experiment/report.js';
import { runExperiment } from '../experiment/runner.js';
import { enforceAlarms } from './alarms.js';
import { checkJsonDepth, parseNumberOption, UsageError } from './errors.js';

export const RUN_HELP = `Usage: qdistill run <config.json> [--quick] [--out DIR] [--resume] [--force] [--workers K] [--seeds LIST] [--dry-run] [--allow-norm-drift]

Runs an experiment config and writes results/<name>/ (results/<name>/quick/ with --quick): results.json (every run's config, seed,
metrics history, final accuracies, wall time, the teacher's truncation summary and the git
commit), table.md and SVG figures. Finished runs are saved one by one; --resume skips them
and continues an interrupted run from its last checkpoint.

Options:
  --quick        apply the config's "quick" overrides (a ~2-minute smoke version)
  --out DIR      output directory (default results/<name>, results/<name>/quick with --quick)
  --resume       continue a previous invocation
  --force        overwrite a finished full run in the output directory (one whose results.json
                 says quick: false); without it only --resume of the same config writes there
  --workers K    worker threads per training run (default 2; more than the cores is slower)
  --seeds LIST   run these seeds instead of the config's, e.g. 1,2,3 (with --resume, runs of
                 other seeds already in DIR are kept on disk and reused when asked for later)
  --dry-run      print the resolved config (defaults filled in) and a time estimate calibrated
                 on this machine, and exit
  --progress P   auto | bar | lines | none (default lines on stderr)
  --allow-norm-drift  exit 0 even when a simulation raised the norm-drift alarm (the results
                 record it either way: "numerics" in results.json and in every run)

Examples:
  qdistill run experiments/e1-qubits.json --quick
  qdistill run experiments/e3-self-distillation.json --workers 2 --resume
  qdistill run experiments/e4-teacher-bond.json --seeds 1,2 --resume`;

export const VALIDATE_HELP = `Usage: qdistill validate <config.json> [--quick] [--schema]

Checks an experiment config without running it and lists every problem with its path, value
and what is allowed. --schema prints the JSON Schema of the config format instead.

Examples:
  qdistill validate experiments/e1-qubits.json
  qdistill validate experiments/e1-qubits.json --quick
  qdistill validate --schema > config.schema.json`;

function readConfig(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`cannot read config '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new UsageError(`${file}: invalid JSON: ${(e as Error).message}`); }
  checkJsonDepth(doc, file);
  return doc;
}

/** `qdistill validate`. */
export async function validateCommand(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { quick: { type: 'boolean', default: false }, schema: { type: 'boolean', default: false }, help: { type: 'boolean', default: false }, debug: { type: 'boolean', default: false } } });
  if (values.help) return VALIDATE_HELP;
  if (values.schema) return JSON.stringify(configJsonSchema(), null, 1);
  if (positionals.length !== 1) throw new UsageError(`validate takes exactly one config file, got ${positionals.length}`);
  const cfg = resolveConfig(readConfig(positionals[0]!), { quick: values.quick, file: positionals[0]! });
  return `${positionals[0]}: valid (${cfg.name}: ${cfg.seeds.length} seed(s), ${cfg.students.length} student(s))`;
}

/** Parses `--seeds 1,2,3` (integers ≥ 0, or names); rejects empty lists and duplicates. */
export function parseSeeds(raw: string): (number | string)[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`--seeds must be a comma-separated list of seeds, e.g. 1,2,3; got '${raw}'`);
  const seeds = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (new Set(seeds.map(String)).size !== seeds.length) throw new UsageError(`--seeds lists a seed twice: '${raw}'`);
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
function formatSeconds(s: number): string {
  return s < 90 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

/** `≈ 12 s` when the range is tight (within 10 %), else `12 s – 3.4 min`. */
export function formatRange(lo: number, hi: number): string {
  return hi <= lo * 1.1 ? `≈ ${formatSeconds(lo)}` : `${formatSeconds(lo)} – ${formatSeconds(hi)}`;
}

/** `qdistill run`. */
export async function runCommand(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      quick: { type: 'boolean', default: false }, out: { type: 'string' }, resume: { type: 'boolean', default: false },
      workers: { type: 'string' }, seeds: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, progress: { type: 'string', default: 'none' },
      help: { type: 'boolean', default: false }, debug: { type: 'boolean', default: false },
      'allow-norm-drift': { type: 'boolean', default: false }, force: { type: 'boolean', default: false },
    },
  });
  if (values.help) return RUN_HELP;
  if (positionals.length !== 1) throw new UsageError(`run takes exactly one config file, got ${positionals.length}`);
  const file = positionals[0]!;
  const workers = parseNumberOption('workers', values.workers, 'int>=1') ?? 2;
  const workerWarning = workersWarning(workers);
  if (workerWarning) process.stderr.write(`${workerWarning}\n`);
  const progress = values.progress;
  if (!['auto', 'bar', 'lines', 'none'].includes(progress)) throw new UsageError(`--progress must be auto, bar, lines or none, got '${progress}'`);
  const cfg = resolveConfig(readConfig(file), { quick: values.quick, file });
  if (values.seeds !== undefined) cfg.seeds = parseSeeds(values.seeds);
  if (values['dry-run']) {
    const est = estimateConfig(cfg, { workers });
    const c = est.calibration;
    const rows = est.perSeed.map((r) => `  ${r.run.padEnd(28)} n=${String(r.qubits).padEnd(4)} 2q gates=${String(r.twoQubitGates).padEnd(5)} ${r.chi === 0 ? 'exact SV' : `χ≤${String(r.chi).padEnd(5)}`.padEnd(8)} ${formatRange(r.seconds, r.secondsHigh).padStart(16)}  ${r.peakMemoryMiB.toFixed(1)} MiB`);
    return [JSON.stringify(cfg, null, 1), '',
      `Time estimate, calibrated on this machine (two-site split: ${(c.gateSeconds * 1e6).toFixed(1)} µs fixed, ${c.gflops.toFixed(2)} GFLOP/s at χ=16; ${c.ms.toFixed(0)} ms of benchmark; load ${c.load.toFixed(1)}× from other processes),`,
      `per seed, ${cfg.seeds.length} seed(s), ${est.parallel} worker(s) at once; from bonds as initialised to every bond saturated at χ:`, ...rows,
      `  total ${formatRange(est.totalSeconds, est.totalSecondsHigh)} (wall clock), peak memory per worker ≈ ${est.peakMemoryMiB.toFixed(1)} MiB`].join('\n');
  }
  const log = (line: string) => process.stderr.write(`[${cfg.name}] ${line}\n`);
  const { results, outDir } = await runExperiment(cfg, { workers, resume: values.resume, force: values.force, progress: progress as 'none', quick: values.quick, log, handleSigint: true, ...(values.out ? { outDir: values.out } : {}) });
  const written = await writeReport(results, outDir);
  const nm = results.numerics;
  const alarm = { normDrift: nm.normDriftMax, normDriftExceeded: nm.normDriftExceeded };
  const what = `${cfg.name} (results written to ${outDir}; alarm in ${nm.alarmedRuns.length > 0 ? nm.alarmedRuns.join(', ') : 'a simulation outside the recorded runs'})`;
  const warnings = enforceAlarms(alarm, values['allow-norm-drift'], what);
  return [...warnings,`${cfg.name}: ${results.runs.length} run(s) in ${results.wallSeconds.toFixed(1)} s`, `wrote ${outDir}/results.json`, ...written.map((p) => `wrote ${p}`)].join('\n');
}
