/**
 * `qdistill plan <config.json>` lists a study's tasks (ids, levels, dependencies, estimated
 * seconds) and writes them as JSON for a scheduler; `qdistill merge <DIR>` assembles
 * results.json, table.md, the figures and report.html from the task outputs in a results folder.
 */
import type { Command } from 'commander';
import { assertRunnable, resolveConfig } from '../experiment/config.js';
import { estimateConfig } from '../experiment/estimate.js';
import { mergeStudy, studyOfFolder } from '../experiment/merge.js';
import { attachEstimates, planJson, planStudy, type StudyPlan } from '../experiment/plan.js';
import { writeFileAtomic } from '../infra/atomic.js';
import { parseNumberOption, UsageError } from './errors.js';
import { addDebugOption, defineCommand, helpText, parseCommand } from './parse.js';
import { formatSeconds, parseSeeds, readConfig } from './run.js';
import { finishStudy } from './task.js';

/** The definition of `qdistill plan`: its parser and its help text. */
export function planDefinition(): Command {
  const c = defineCommand('plan', {
    summary: 'list the tasks of an experiment (for a cluster): ids, levels, dependencies, estimates',
    usage: '<config.json> [options]',
    description: `Lists the independent tasks of an experiment config: the data of each seed, each teacher, its
soft labels at each teacher bond χ_T, and every training run, with stable ids, dependencies and
levels (0: no dependencies; the tasks of one level are independent of each other), and a time
estimate per task calibrated on this machine. 'qdistill run CONFIG --task ID --out DIR' runs one
task; 'qdistill merge DIR' assembles the results. A finished task leaves DIR/tasks/<id>.json
(every / of the id written __).`,
    examples: [
      'qdistill plan experiments/e1-qubits.json --quick',
      'qdistill plan experiments/e4-teacher-bond.json --json plan.json',
    ],
  })
    .option('--quick', 'plan the config with its "quick" overrides applied')
    .option('--seeds <LIST>', 'plan these seeds instead of the config\'s, e.g. 1,2,3')
    .option('--json <FILE>', 'also write the plan as JSON to FILE: { name, quick, configHash, levels, tasks: [{ id, kind, level, deps, estimateSeconds, seed, donePath }] }')
    .option('--no-estimate', 'skip the time estimates (estimateSeconds null; no calibration)')
    .option('--workers <K>', 'worker threads per task the estimates assume (integer ≥ 1; default 2)');
  return addDebugOption(c);
}

/** Help text of `qdistill plan`. */
export const PLAN_HELP = helpText(planDefinition());

/** The plan as a table: id, level, dependencies and estimate per task. */
export function planTable(plan: StudyPlan): string {
  const rows = plan.tasks.map((t) => [t.id, String(t.level), t.deps.length ? t.deps.join(', ') : '–', t.estimateSeconds === null ? '–' : formatSeconds(t.estimateSeconds)]);
  const head = ['id', 'level', 'deps', 'estimate'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => (i === 3 ? x.padStart(w[i]!) : x.padEnd(w[i]!))).join('  ').trimEnd();
  const known = plan.tasks.filter((t) => t.estimateSeconds !== null);
  const total = known.reduce((a, t) => a + t.estimateSeconds!, 0);
  return [`${plan.name}${plan.quick ? ' (quick)' : ''}: ${plan.tasks.length} task(s) in ${plan.levels} level(s), config hash ${plan.configHash}`, '',
    line(head), ...rows.map(line),
    ...(known.length ? ['', `estimated ${formatSeconds(total)} of task time in all${known.length < plan.tasks.length ? ` (${plan.tasks.length - known.length} task(s) without an estimate)` : ''}`] : [])].join('\n');
}

/** `qdistill plan`. */
export async function planCommand(argv: string[]): Promise<string> {
  const cli = parseCommand<{ quick: boolean; seeds?: string; json?: string; estimate: boolean; workers?: string }>(planDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (positionals.length !== 1) throw new UsageError(`plan takes exactly one config file, got ${positionals.length}`);
  const file = positionals[0]!;
  const workers = parseNumberOption('workers', values.workers, 'int>=1') ?? 2;
  const cfg = resolveConfig(readConfig(file), { quick: values.quick, file });
  if (values.seeds !== undefined) cfg.seeds = parseSeeds(values.seeds);
  assertRunnable(cfg, file);
  let plan = planStudy(cfg, values.quick);
  if (values.estimate) plan = attachEstimates(plan, estimateConfig(cfg, { workers }));
  if (values.json !== undefined) await writeFileAtomic(values.json, `${JSON.stringify(planJson(plan), null, 1)}\n`);
  return `${planTable(plan)}${values.json !== undefined ? `\nwrote ${values.json}` : ''}`;
}

/** The definition of `qdistill merge`: its parser and its help text. */
export function mergeDefinition(): Command {
  const c = defineCommand('merge', {
    summary: 'assemble results.json, table.md and figures from the finished tasks in a folder',
    usage: '<DIR> [options]',
    description: `Assembles results.json, table.md, the figures and report.html in DIR from the outputs of the
study's tasks ('qdistill run CONFIG --task ID --out DIR'), exactly as a local 'qdistill run' of
the same config writes them (timing fields aside). The config is read from the task markers
(DIR/tasks/*.json); every task of its plan must have finished. Tasks run under different seed
lists of one config (a study grown with --seeds … --resume) are merged together: the seeds are
the union of the markers' seed lists, in the order the study grew; --seeds picks some of them.`,
    examples: ['qdistill merge results/e1-qubits/quick', 'qdistill merge /scratch/e3 --seeds 1,2,3'],
  })
    .option('--seeds <LIST>', 'merge only these seeds (each must have tasks in DIR), in this order; default: every seed there')
    .option('--allow-norm-drift', 'exit 0 even when a simulation raised the norm-drift alarm (the results record it either way)');
  return addDebugOption(c);
}

/** Help text of `qdistill merge`. */
export const MERGE_HELP = helpText(mergeDefinition());

/** `qdistill merge`. */
export async function mergeCommand(argv: string[]): Promise<string> {
  const cli = parseCommand<{ seeds?: string; 'allow-norm-drift': boolean }>(mergeDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (positionals.length !== 1) throw new UsageError(`merge takes exactly one results folder, got ${positionals.length}`);
  const outDir = positionals[0]!;
  const { cfg, quick, seeds } = studyOfFolder(outDir, values.seeds === undefined ? undefined : parseSeeds(values.seeds));
  const results = await mergeStudy(cfg, quick, outDir, {
    taskHint: `qdistill run CONFIG${quick ? ' --quick' : ''} --seeds ${seeds.join(',')} --task {id} --out ${outDir}`,
    subsetHint: `qdistill merge ${outDir} --seeds {seeds}`,
  });
  return finishStudy(results, outDir, values['allow-norm-drift']);
}
