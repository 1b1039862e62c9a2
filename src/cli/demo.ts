/**
 * `qdistill demo` (the main job, `npm start`): runs experiments/demo.json — a 16-qubit teacher
 * trained on 100 labelled 4×4 MNIST images per class of digits 0–3, and an 8-qubit student with
 * 10 of those labels per class and the other 90 unlabelled, trained on its labels alone, by
 * Hinton KD on the teacher's soft labels (kd-transfer) and on its hard labels (pseudo) — then
 * prints the table and where the figures are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../experiment/config.js';
import { writeReport } from '../experiment/report.js';
import { ResultsFolderError } from '../experiment/run-files.js';
import { runExperiment } from '../experiment/runner.js';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { parseJsonText } from './json-input.js';
import { addDebugOption, defineCommand, helpText, parseCommand } from './parse.js';
import { addProgressOptions, progressMode } from './progress-options.js';

/** Path of the demo config shipped with the package. */
export function demoConfigPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'experiments', 'demo.json');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('experiments/demo.json not found next to the package');
}

/** The definition of `qdistill demo`: its parser and its help text. */
export function demoDefinition(): Command {
  const c = defineCommand('demo', {
    summary: 'the main job: a small distillation demo (teacher; label-only, KD and pseudo-label students with scarce labels); prints the table, writes figures',
    usage: '[options]',
    description: `The main job (npm start): trains a 16-qubit teacher on 100 labelled 4×4 MNIST images per class
of digits 0–3, and an 8-qubit student with 10 of those labels per class and the other 90
unlabelled three ways: on its labels alone, by KD on the teacher's soft labels for the
unlabelled images (kd-transfer) and on its hard labels (pseudo); prints the table and writes
results/demo/ (results.json, table.md, statistics.json, report.html, SVG and PNG figures;
results/demo/quick/ with --quick). About 35 s on 2 cores. A finished full demo is never
overwritten without --force (--resume continues it or prints it again; through npm the options
follow --: npm start -- --resume). Progress goes to stderr: on a terminal a bar per run (run,
epoch/step, loss, accuracy, bond reached, ETA), otherwise one line per epoch.`,
    examples: ['qdistill demo', 'qdistill demo --quick', 'qdistill demo --quick --no-progress'],
  })
    .option('--quick', 'the smoke version, written to results/demo/quick/')
    .option('--resume', 'reuse finished runs and continue interrupted ones')
    .option('--force', 'overwrite a finished full run in the output directory')
    .option('--out <DIR>', 'output directory (default results/demo, results/demo/quick with --quick)');
  return addDebugOption(addProgressOptions(c));
}

/** Help text of `qdistill demo`. */
export const DEMO_HELP = helpText(demoDefinition());

/** Runs the demo and returns the printed report. */
export async function demoCommand(argv: string[] = []): Promise<string> {
  const p = parseCommand<{ quick: boolean; resume: boolean; force: boolean; out?: string; progress: string | false }>(demoDefinition(), argv);
  if (p.help !== null) return p.help;
  const { values, positionals } = p;
  if (positionals.length > 0) throw new UsageError(`demo takes no positional arguments, got '${positionals[0]}'`);
  const progress = progressMode(values.progress);
  const file = demoConfigPath();
  const cfg = resolveConfig(parseJsonText(readFileSync(file, 'utf8'), file), { file, quick: values.quick });
  const log = (line: string) => process.stderr.write(`[demo] ${line}\n`);
  const { results, outDir } = await runExperiment(cfg, { workers: 2, resume: values.resume, force: values.force, progress, progressStream: process.stderr, quick: values.quick, log, handleSigint: true, ...(values.out !== undefined ? { outDir: values.out } : {}) })
    .catch((e: unknown) => {
      // under `npm start` an option before `--` goes to npm (npm start --force is npm's own flag)
      if (e instanceof ResultsFolderError && process.env['npm_lifecycle_event'] === 'start') throw new ResultsFolderError(`${e.message}; through npm the options follow --: npm start -- --resume, npm start -- --force`);
      throw e;
    });
  const written = await writeReport(results, outDir);
  const table = readFileSync(join(outDir, 'table.md'), 'utf8').split('\n## Datasets')[0]!;
  return [table.trim(), '', `Results: ${join(outDir, 'results.json')}`, 'Figures and table:', ...written.map((p) => `  ${p}`)].join('\n');
}
