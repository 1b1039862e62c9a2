/**
 * Running a study as tasks: every task of a small study that has each kind of task (data,
 * teacher, soft labels at two χ_T, label and KD students, the bond sweep, a shots point of the
 * hardware sweep, the four self-distillation methods) run one by one, by level and in reverse
 * plan order within a level, into one folder and then merged, gives the results of a local
 * run bit for bit (timing fields aside); no two tasks write the same file, and each writes only
 * its own; a missing dependency, an unknown id, an unfinished study at merge time and a
 * dependency made under another config each fail with one line naming what to run.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run.js';
import { mergeCommand } from '../../src/cli/study.js';
import { resolveConfig, type ExperimentConfig } from '../../src/experiment/config.js';
import { mergeStudy } from '../../src/experiment/merge.js';
import { planStudy, taskDonePath, type PlanTask } from '../../src/experiment/plan.js';
import { runExperiment } from '../../src/experiment/runner.js';
import { MissingDependencyError, runTask, type TaskRunOptions } from '../../src/experiment/tasks.js';
import { diffPaths, stripTiming } from './compare-results.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-tasks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = (qubits: number, maxBond?: number) => ({ qubits, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'linear', qubits: [0, qubits - 1] }, ...(maxBond ? { maxBond } : {}) });
const RAW = {
  name: 'tasks-mini', seeds: [1],
  data: { type: 'mnist', classes: [0, 1], perClass: { train: 8, val: 4, test: 6 }, size: 4 },
  training: { epochs: 2, batchSize: 4, lr: 0.1, optimizer: 'adam', schedule: 'cosine', lrMin: 0.01 },
  teacher: { model: model(16, 4) },
  students: [{ name: 's4', input: { kind: 'pca', components: 4 }, model: model(4) }],
  methods: ['label', 'kd'],
  teacherBond: { chi: [2, 4], student: 's4' },
  hardwareSweep: { student: 's4', shots: [32], evalRepeats: 2 },
  selfDistillation: { model: model(4), input: { kind: 'pca', components: 4 }, methods: ['plain', 'snapshot', 'pskd', 'born-again'], cycleEpochs: 1, generations: 1, targetAccuracy: 0.5 },
};
const cfg: ExperimentConfig = resolveConfig(RAW, { file: 'tasks-mini.json' });
const plan = planStudy(cfg, false);
const base = { cfg, quick: false, workers: 1, resume: false, progress: 'none' as const, gitCommit: 'test' };

/** Every file under `root` with its size and modification time. */
function files(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else { const s = statSync(p); out.set(relative(root, p), `${s.size}:${s.mtimeMs}`); }
    }
  };
  walk(root);
  return out;
}

/** The files a task may write: its marker, and its run record and checkpoints, or its cache. */
function ownsFile(t: PlanTask, f: string): boolean {
  const flat = t.id.replaceAll('/', '__');
  if (f === `tasks/${flat}.json`) return true;
  if (t.kind === 'soft-labels') return /^cache\/soft-labels-[0-9a-f]{64}\.json$/.test(f);
  if (t.kind === 'data') return f.startsWith('cache/groundstates/');
  return f === `runs/${flat}.json` || f.startsWith(`checkpoints/${t.id}/`);
}

describe('a study run as tasks', () => {
  it('has every kind of task, in three levels', () => {
    expect(new Set(plan.tasks.map((t) => t.kind))).toEqual(new Set(['data', 'self', 'teacher', 'soft-labels', 'student', 'bond', 'hardware']));
    expect(plan.levels).toBe(3);
  });

  it('tasks run level by level (reverse plan order within a level) into one folder, then merged, equal a local run; no task writes another\'s files', { timeout: 600_000 }, async () => {
    const local = await runExperiment(cfg, { ...base, quick: false, outDir: join(dir, 'local') });
    const out = join(dir, 'tasks');
    const o: TaskRunOptions = { ...base, outDir: out };
    const order = [...plan.tasks].sort((a, b) => a.level - b.level || plan.tasks.indexOf(b) - plan.tasks.indexOf(a));
    const writer = new Map<string, string>();
    for (const t of order) {
      const before = files(out);
      expect(await runTask(plan, t, o)).toBe('ran');
      const after = files(out);
      for (const [f, stamp] of after) {
        if (before.get(f) === stamp) continue;
        expect(writer.get(f), `${f} written by ${writer.get(f)} and ${t.id}`).toBeUndefined();
        expect(ownsFile(t, f), `${t.id} wrote ${f}`).toBe(true);
        writer.set(f, t.id);
      }
      for (const f of before.keys()) expect(after.has(f), `${t.id} removed ${f}`).toBe(true);
      expect(existsSync(taskDonePath(out, t.id))).toBe(true);
    }
    const merged = await mergeStudy(cfg, false, out);
    expect(diffPaths(stripTiming(JSON.parse(JSON.stringify(merged))), stripTiming(JSON.parse(JSON.stringify(local.results))))).toEqual([]);
    expect(merged.runs.map((r) => r.key)).toEqual(plan.tasks.filter((t) => t.kind !== 'data' && t.kind !== 'soft-labels').map((t) => t.id));

    // with --resume every finished task is reused; the CLI merge writes the same results
    for (const t of plan.tasks) expect(await runTask(plan, t, { ...o, resume: true })).toBe('reused');
    const text = await mergeCommand([out]);
    expect(text).toMatch(/^tasks-mini: 12 run\(s\) in /m);
    expect(text).toContain(`wrote ${out}/table.md`);
  });

  it('a task whose dependency has not finished fails naming it and the command that runs it, and writes nothing', async () => {
    const out = join(dir, 'missing');
    const kd = plan.tasks.find((t) => t.id === 'seed-1/bond/chi-2/s4')!;
    const err = await runTask(plan, kd, { ...base, outDir: out, dependencyHint: 'qdistill run C --task {id} --out D' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingDependencyError);
    expect((err as Error).message).toBe(`task seed-1/bond/chi-2/s4 needs seed-1/soft-labels/chi-2, which has not finished in ${out} (no ${taskDonePath(out, 'seed-1/soft-labels/chi-2')}): run 'qdistill run C --task seed-1/soft-labels/chi-2 --out D' first`);
    expect(files(out).size).toBe(0);
  });

  it('a dependency made under another config is refused; merge names the unfinished tasks', async () => {
    const out = join(dir, 'foreign');
    const other = resolveConfig({ ...RAW, training: { ...RAW.training, lr: 0.2 } });
    await runTask(planStudy(other, false), plan.tasks[0]!, { ...base, cfg: other, outDir: out });
    const t = plan.tasks.find((x) => x.id === 'seed-1/teacher')!;
    expect(t.deps).toEqual([]); // mnist: the teacher reads no cache
    const sl = plan.tasks.find((x) => x.id === 'seed-1/soft-labels/chi-4')!;
    mkdirSync(join(out, 'tasks'), { recursive: true });
    writeFileSync(taskDonePath(out, 'seed-1/teacher'), JSON.stringify({ format: 'qdistill.task', version: 1, id: 'seed-1/teacher', configHash: 'ffffffffffffffff' }));
    await expect(runTask(plan, sl, { ...base, outDir: out })).rejects.toThrow(/needs seed-1\/teacher, but .* was made under another config \(hash ffffffffffffffff, now [0-9a-f]{16}\)/);
    await expect(mergeStudy(cfg, false, out)).rejects.toThrow(new RegExp(`cannot merge ${out}: ${plan.tasks.length} of ${plan.tasks.length} task\\(s\\) have not finished there under this config \\(seed-1/data, seed-1/self/plain, seed-1/self/snapshot, …\\)`));
  });
});

describe('qdistill run --task and merge (CLI)', () => {
  const file = join(dir, 'tasks-mini.json');
  writeFileSync(file, JSON.stringify(RAW));

  it('an unknown id is a usage error that says how to list the ids (and the closest one)', async () => {
    await expect(runCommand([file, '--task', 'seed-1/techer', '--out', join(dir, 'x')])).rejects.toThrow(`--task 'seed-1/techer' is not a task of tasks-mini (did you mean seed-1/teacher?); 'qdistill plan ${file}' lists the ${plan.tasks.length} valid ids`);
    await expect(runCommand([file, '--task', 'nothing-like-it', '--out', join(dir, 'x')])).rejects.toMatchObject({ name: 'UsageError' });
  });

  it('a missing dependency names the command with the same config flags', async () => {
    await expect(runCommand([file, '--seeds', '1', '--task', 'seed-1/student/s4/kd', '--out', join(dir, 'y')])).rejects.toThrow(`run 'qdistill run ${file} --seeds 1 --task seed-1/soft-labels/chi-4 --out ${join(dir, 'y')}' first`);
  });

  it('merge of a folder without task markers says what to do', async () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    await expect(mergeCommand([join(dir, 'empty')])).rejects.toThrow(/holds no finished tasks/);
  });
});
