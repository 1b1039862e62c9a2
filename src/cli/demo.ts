/**
 * `qdistill demo` (the main job, `npm start`): runs experiments/demo.json — a 16-qubit teacher
 * on 4×4 MNIST digits 0–3, distilled into a 4-qubit student, against the same student trained
 * on labels alone and a self-distilled student — then prints the table and where the figures are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../experiment/config.js';
import { writeReport } from '../experiment/report.js';
import { runExperiment } from '../experiment/runner.js';
import { UsageError } from './errors.js';

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

/** Help text of `qdistill demo`. */
export const DEMO_HELP = `Usage: qdistill demo [--quick] [--resume] [--force] [--out DIR]

The main job (npm start): trains a 16-qubit teacher on 4×4 MNIST digits 0–3, distils it into a
4-qubit student, trains the same student on labels alone and a self-distilled student, prints
the table and writes results/demo/ (results.json, table.md, SVG figures; results/demo/quick/
with --quick). About 35 s on 2 cores. A finished full demo is never overwritten without --force
(--resume continues it).

Options:
  --quick      the smoke version, written to results/demo/quick/
  --resume     reuse finished runs and continue interrupted ones
  --force      overwrite a finished full run in the output directory
  --out DIR    output directory

Examples:
  qdistill demo
  qdistill demo --quick`;

/** Runs the demo and returns the printed report. */
export async function demoCommand(argv: string[] = []): Promise<string> {
  if (argv.includes('--help')) return DEMO_HELP;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      out = argv[++i];
      if (out === undefined || out.startsWith('--')) throw new UsageError('demo: --out needs a directory, e.g. --out results/demo-2');
    } else if (!['--quick', '--resume', '--force', '--debug'].includes(a)) throw new UsageError(`demo: unknown option '${a}'; allowed: --quick, --resume, --force, --out DIR`);
  }
  const file = demoConfigPath();
  const cfg = resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { file, quick: argv.includes('--quick') });
  const log = (line: string) => process.stderr.write(`[demo] ${line}\n`);
  const { results, outDir } = await runExperiment(cfg, { workers: 2, resume: argv.includes('--resume'), force: argv.includes('--force'), progress: 'none', quick: argv.includes('--quick'), log, ...(out !== undefined ? { outDir: out } : {}) });
  const written = await writeReport(results, outDir);
  const table = readFileSync(join(outDir, 'table.md'), 'utf8').split('\n## Datasets')[0]!;
  return [table.trim(), '', `Results: ${join(outDir, 'results.json')}`, 'Figures and table:', ...written.map((p) => `  ${p}`)].join('\n');
}
