/**
 * `qdistill merge DIR` of a study grown seed by seed: task markers written under the seed lists
 * [1, 2] and then [3, 4] of one config merge into the study of seeds 1, 2, 3, 4, equal to a local
 * run of those seeds (timing fields aside). The rule (see `studyOfFolder`): markers of one
 * run-config hash and quick flag are one study; its seeds are the union of the markers' seed
 * lists, list by list in the order their tasks started; `merge --seeds` picks some of them.
 * Rows: the grown folder, `--seeds` as a subset and as a reordering, a seed that is not there,
 * a seed whose tasks have not all finished (named, with the subset that can be merged), markers
 * of two configs (named), the order rule when the later list started first.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeCommand } from '../../src/cli/study.js';
import { resolveConfig, type ExperimentConfig } from '../../src/experiment/config.js';
import { studyOfFolder } from '../../src/experiment/merge.js';
import { planStudy } from '../../src/experiment/plan.js';
import { reportStatistics } from '../../src/experiment/report.js';
import { runExperiment } from '../../src/experiment/runner.js';
import { runTask } from '../../src/experiment/tasks.js';
import { diffPaths, stripTiming } from './compare-results.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-merge-seeds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = (qubits: number) => ({ qubits, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'qubits', qubits: [0, 1] } });
const RAW = {
  name: 'grown', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 16, nVal: 8, nTest: 8, separation: 4 },
  training: { epochs: 1, batchSize: 8, lr: 0.1 },
  teacher: { model: model(4) },
  students: [{ name: 's2', input: { kind: 'subset', indices: [0, 1] }, model: model(2) }],
  methods: ['kd'],
};
const withSeeds = (seeds: (number | string)[], raw: object = RAW): ExperimentConfig => ({ ...resolveConfig(raw), seeds });
const base = { quick: false, workers: 1, resume: true, progress: 'none' as const, gitCommit: 'test' };

/** Runs every task of `cfg`'s plan (or those of `only`) into `out`, as `run --task --resume` would. */
async function runTasks(cfg: ExperimentConfig, out: string, only?: (id: string) => boolean): Promise<void> {
  const plan = planStudy(cfg, false);
  for (const t of plan.tasks) if (!only || only(t.id)) await runTask(plan, t, { ...base, cfg, outDir: out });
}

const grown = join(dir, 'grown');
const readResults = (d: string) => JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as { config: ExperimentConfig; runs: { key: string }[] };

beforeAll(async () => {
  await runTasks(withSeeds([1, 2]), grown);
  await runTasks(withSeeds([3, 4]), grown);
}, 300_000);

describe('merge of a study grown with --seeds 1,2 --resume, then --seeds 3,4 --resume', () => {
  it('the markers carry two seed lists of one config; the folder reads as seeds 1, 2, 3, 4', () => {
    const lists = new Set(readdirSync(join(grown, 'tasks')).map((f) => JSON.stringify(JSON.parse(readFileSync(join(grown, 'tasks', f), 'utf8')).config.seeds)));
    expect(lists).toEqual(new Set(['[1,2]', '[3,4]']));
    expect(studyOfFolder(grown)).toMatchObject({ seeds: [1, 2, 3, 4], seedsPresent: [1, 2, 3, 4], quick: false });
  });

  it('merges every seed, equal to a local run of --seeds 1,2,3,4 (timing fields aside)', async () => {
    const text = await mergeCommand([grown]);
    expect(text).toMatch(/^grown: 8 run\(s\) in /m);
    const local = await runExperiment(withSeeds([1, 2, 3, 4]), { ...base, resume: false, outDir: join(dir, 'local') });
    // the CLI's results.json also carries the report's statistics, computed from the runs: the
    // local run's give the same
    const { statistics, ...merged } = readResults(grown) as ReturnType<typeof readResults> & { statistics?: unknown };
    expect(diffPaths(stripTiming(merged), stripTiming(JSON.parse(JSON.stringify(local.results))))).toEqual([]);
    expect(statistics).not.toBeUndefined();
    expect(diffPaths(stripTiming(statistics), stripTiming(JSON.parse(JSON.stringify(reportStatistics(local.results)))))).toEqual([]);
  }, 300_000);

  it('--seeds picks seeds there, in the order given', async () => {
    const sub = join(dir, 'subset');
    cpSync(grown, sub, { recursive: true });
    await mergeCommand([sub, '--seeds', '4,1']);
    const r = readResults(sub);
    expect(r.config.seeds).toEqual([4, 1]);
    expect(r.runs.map((x) => x.key)).toEqual(['seed-4/teacher', 'seed-4/student/s2/kd', 'seed-1/teacher', 'seed-1/student/s2/kd']);
  });

  it('--seeds with a seed that has no tasks there names the seeds there', async () => {
    await expect(mergeCommand([grown, '--seeds', '1,7'])).rejects.toThrow(`--seeds: no task of seed 7 in ${grown}; the seeds there are 1,2,3,4`);
  });

  it('a seed whose tasks have not all finished is named, with the command that runs one and the seeds that can be merged', async () => {
    const half = join(dir, 'half');
    cpSync(grown, half, { recursive: true });
    await runTasks(withSeeds([5]), half, (id) => id === 'seed-5/teacher');
    await expect(mergeCommand([half])).rejects.toThrow(`cannot merge ${half}: 3 of 20 task(s) have not finished there under this config (seed-5/data, seed-5/soft-labels/no-cap, seed-5/student/s2/kd): run each, e.g. 'qdistill run CONFIG --seeds 1,2,3,4,5 --task seed-5/data --out ${half}' (qdistill plan lists the tasks), or merge only the seeds whose tasks have all finished: 'qdistill merge ${half} --seeds 1,2,3,4'`);
    await mergeCommand([half, '--seeds', '1,2,3,4']);
    expect(readResults(half).config.seeds).toEqual([1, 2, 3, 4]);
  });

  it('markers of two configs are refused, naming one marker of each', async () => {
    const mixed = join(dir, 'mixed');
    cpSync(grown, mixed, { recursive: true });
    const other = withSeeds([9], { ...RAW, training: { ...RAW.training, lr: 0.2 } });
    await runTasks(other, mixed, (id) => id === 'seed-9/teacher');
    const hashes = [planStudy(withSeeds([1]), false).configHash, planStudy(other, false).configHash];
    const err = (await mergeCommand([mixed]).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ name: 'ResultsFolderError' });
    expect(err.message).toMatch(new RegExp(`^${mixed} holds tasks of 2 different configs \\(.*tasks/seed-\\d__\\S+\\.json: 'grown', config hash (${hashes[0]}|${hashes[1]}) and .*tasks/seed-\\d__\\S+\\.json: 'grown', config hash (${hashes[0]}|${hashes[1]})\\): merge a folder that holds one study \\(its tasks may come from different seed lists\\)$`));
    expect(err.message).toContain(hashes[0]);
    expect(err.message).toContain(hashes[1]);
  });

  it('the seed lists are taken in the order their tasks started: the later list first when it started first', () => {
    const flipped = join(dir, 'flipped');
    cpSync(grown, flipped, { recursive: true });
    for (const f of readdirSync(join(flipped, 'tasks'))) {
      const p = join(flipped, 'tasks', f);
      const m = JSON.parse(readFileSync(p, 'utf8'));
      // the [3, 4] tasks an hour earlier than the [1, 2] ones
      if (m.config.seeds[0] === 3) { m.startedAt = new Date(Date.parse(m.startedAt) - 3_600_000).toISOString(); writeFileSync(p, JSON.stringify(m)); }
    }
    expect(studyOfFolder(flipped).seeds).toEqual([3, 4, 1, 2]);
  });
});
