/**
 * The end-to-end check of a study run as tasks through the built CLI (minutes, so behind
 * `QDISTILL_MERGE_CHECK=1`): for `e1 --quick` and `e3 --quick`, `qdistill plan --json`, then
 * `qdistill run --task` for every task in level order (one process each, as a scheduler would
 * start them), then `qdistill merge`, gives results.json identical to a local `qdistill run`
 * (timing fields removed). The default suite runs the same check in-process on a smaller study
 * (`tasks.test.ts`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { diffPaths, stripTiming } from './compare-results.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-merge-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.env['QDISTILL_MERGE_CHECK'] !== '1')('plan → run --task → merge equals a local run (CLI)', () => {
  it.each(['e1-qubits', 'e3-self-distillation'])('%s --quick', { timeout: 1_800_000 }, (name) => {
    const cfg = `experiments/${name}.json`;
    const local = join(dir, `${name}-local`), tasks = join(dir, `${name}-tasks`), planFile = join(dir, `${name}-plan.json`);
    const ok = (args: string[]) => {
      const r = runCli(args, { timeout: 900_000 });
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    };
    ok(['run', cfg, '--quick', '--out', local, '--no-progress']);
    ok(['plan', cfg, '--quick', '--no-estimate', '--json', planFile]);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { tasks: { id: string; level: number }[] };
    for (const t of [...plan.tasks].sort((a, b) => a.level - b.level)) ok(['run', cfg, '--quick', '--task', t.id, '--out', tasks, '--no-progress']);
    ok(['merge', tasks]);
    const a = JSON.parse(readFileSync(join(local, 'results.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(tasks, 'results.json'), 'utf8'));
    expect(diffPaths(stripTiming(b), stripTiming(a))).toEqual([]);
  });
});
