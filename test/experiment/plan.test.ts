/**
 * The study plan: stable ids derived from the config alone, dependencies that form a DAG in
 * plan order with consistent levels, one soft-labels task per teacher bond χ_T charged to its
 * first user, estimates mapped row by row, and the CLI's table and JSON. Every shipped config
 * (full and quick) is one row of the class; hand-made variants add the corner cases (a sweep χ
 * equal to the teacher's cap, an uncapped teacher, phase data with student site counts).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/study.js';
import { resolveConfig, type ExperimentConfig } from '../../src/experiment/config.js';
import type { ConfigEstimate, RunEstimate } from '../../src/experiment/estimate.js';
import { attachEstimates, planJson, planStudy, RUN_KINDS, taskDonePath, type StudyPlan } from '../../src/experiment/plan.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (name: string, quick: boolean): ExperimentConfig => resolveConfig(JSON.parse(readFileSync(`experiments/${name}`, 'utf8')), { quick, file: name });
const shipped = readdirSync('experiments').filter((f) => f.endsWith('.json') && f !== 'config.schema.json');

/** The structural laws every plan obeys (checked independently of how planStudy builds it). */
function expectWellFormed(plan: StudyPlan): void {
  const pos = new Map(plan.tasks.map((t, i) => [t.id, i]));
  expect(pos.size, 'ids are unique').toBe(plan.tasks.length);
  for (const [i, t] of plan.tasks.entries()) {
    for (const d of t.deps) {
      expect(pos.has(d), `${t.id} → ${d} exists`).toBe(true);
      expect(pos.get(d)!, `${t.id} comes after ${d}`).toBeLessThan(i);
    }
    const want = t.deps.length === 0 ? 0 : 1 + Math.max(...t.deps.map((d) => plan.tasks[pos.get(d)!]!.level));
    expect(t.level, t.id).toBe(want);
    expect(t.id.startsWith(`seed-${t.seed}/`)).toBe(true);
  }
  expect(plan.levels).toBe(plan.tasks.length ? 1 + Math.max(...plan.tasks.map((t) => t.level)) : 0);
  // each soft-labels task: needs its teacher, is used by at least one KD run, and is charged to the first one exactly
  for (const sl of plan.tasks.filter((t) => t.kind === 'soft-labels')) {
    expect(sl.deps).toContain(`seed-${sl.seed}/teacher`);
    const users = plan.tasks.filter((t) => t.softLabels === sl.id);
    expect(users.length).toBeGreaterThan(0);
    for (const u of users) expect(u.deps).toContain(sl.id);
    expect(users.filter((u) => u.chargeSoftLabels).map((u) => u.id)).toEqual([users[0]!.id]);
  }
  // every KD run reads soft labels; no label run does
  for (const t of plan.tasks.filter((x) => x.kind === 'student' || x.kind === 'hardware' || x.kind === 'bond')) {
    const kd = t.kind === 'bond' || /\/(kd|kd-transfer|pseudo)$/.test(t.id);
    expect(t.softLabels !== undefined, t.id).toBe(kd);
  }
  // done markers never collide
  expect(new Set(plan.tasks.map((t) => taskDonePath('out', t.id))).size).toBe(plan.tasks.length);
}

describe('planStudy', () => {
  it.each(shipped.flatMap((f) => [[f, false], [f, true]] as const))('%s (quick %s): a DAG in plan order, levels consistent, ids stable across two plans', (file, quick) => {
    const a = planStudy(load(file, quick), quick);
    const b = planStudy(load(file, quick), quick);
    expect(JSON.stringify(planJson(b))).toBe(JSON.stringify(planJson(a)));
    expectWellFormed(a);
    // the training runs of the plan are the study's runs: one data task per seed, one teacher per seed when there is one
    const cfg = load(file, quick);
    expect(a.tasks.filter((t) => t.kind === 'data').map((t) => t.seed)).toEqual(cfg.seeds);
    expect(a.tasks.filter((t) => t.kind === 'teacher').length).toBe(cfg.teacher ? cfg.seeds.length : 0);
  });

  it('e1 --quick: the hand-derived plan', () => {
    const p = planStudy({ ...load('e1-qubits.json', true), seeds: [1] }, true);
    const kd = ['seed-1/soft-labels/chi-8'];
    expect(p.tasks.map((t) => [t.id, t.kind, t.level, t.deps])).toEqual([
      ['seed-1/data', 'data', 0, []],
      ['seed-1/teacher', 'teacher', 0, []],
      ['seed-1/soft-labels/chi-8', 'soft-labels', 1, ['seed-1/teacher']],
      ...['s16-pool', 's8-pca', 's4-pca'].flatMap((st) => [
        [`seed-1/student/${st}/label`, 'student', 0, []],
        [`seed-1/student/${st}/kd`, 'student', 2, kd],
        [`seed-1/student/${st}/kd-transfer`, 'student', 2, kd],
        [`seed-1/student/${st}/pseudo`, 'student', 2, kd],
      ]),
    ]);
    expect(p.levels).toBe(3);
    expect(p.configHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('e3 --quick: born-again generation 1 after generation 0, from the schedule of distill/self-distill', () => {
    const p = planStudy(load('e3-self-distillation.json', true), true);
    expect(p.tasks.map((t) => [t.id, t.level, t.deps])).toEqual([
      ['seed-1/data', 0, []],
      ['seed-1/self/plain', 0, []],
      ['seed-1/self/cyclic', 0, []],
      ['seed-1/self/snapshot', 0, []],
      ['seed-1/self/pskd', 0, []],
      ['seed-1/self/born-again-g0', 0, []],
      ['seed-1/self/born-again-g1', 1, ['seed-1/self/born-again-g0']],
    ]);
  });

  it('a sweep χ equal to the teacher\'s cap shares one soft-labels task; an uncapped teacher gets no-cap', () => {
    const base = { ...load('e4-teacher-bond.json', true), seeds: [1] }; // teacher χ 8, sweep [1, 2, 8], methods [label]; one seed
    const withKd = { ...base, methods: ['label', 'kd'] as ('label' | 'kd')[] };
    const p = planStudy(withKd, true);
    expectWellFormed(p);
    expect(p.tasks.filter((t) => t.kind === 'soft-labels').map((t) => t.id)).toEqual(['seed-1/soft-labels/chi-8', 'seed-1/soft-labels/chi-1', 'seed-1/soft-labels/chi-2']);
    expect(p.tasks.find((t) => t.id === 'seed-1/bond/chi-8/s16-pool')!.deps).toEqual(['seed-1/soft-labels/chi-8']);
    expect(p.tasks.find((t) => t.id === 'seed-1/student/s16-pool/kd')!.chargeSoftLabels).toBe(true);
    expect(p.tasks.find((t) => t.id === 'seed-1/bond/chi-8/s16-pool')!.chargeSoftLabels).toBeUndefined();
    const { maxBond: _m, ...uncapped } = base.teacher!.model;
    const q = planStudy({ ...withKd, teacherBond: undefined, teacher: { ...base.teacher!, model: uncapped } }, true);
    expect(q.tasks.filter((t) => t.kind === 'soft-labels').map((t) => [t.id, t.step])).toEqual([['seed-1/soft-labels/no-cap', { kind: 'soft-labels', maxBond: null }]]);
  });

  it('phase data: every task of a seed needs its data task, which loads the students\' site counts', () => {
    const cfg = load('e5-many-body.json', true);
    const p = planStudy(cfg, true);
    expectWellFormed(p);
    for (const t of p.tasks.filter((x) => x.kind !== 'data')) expect(t.deps, t.id).toContain(`seed-${t.seed}/data`);
    const sites = cfg.students.map((s) => s.sites).filter((n) => n !== undefined);
    expect(p.tasks[0]!.step).toEqual({ kind: 'data', sites: [...new Set(sites)] });
  });

  it('seeds multiply the plan seed by seed; a duplicate id is refused', () => {
    const cfg = { ...load('e1-qubits.json', true), seeds: [1] };
    const one = planStudy(cfg, true);
    const two = planStudy({ ...cfg, seeds: [1, 'b'] }, true);
    expect(two.tasks.map((t) => t.id)).toEqual([...one.tasks.map((t) => t.id), ...one.tasks.map((t) => t.id.replace(/^seed-1\//, 'seed-b/'))]);
    expect(() => planStudy({ ...load('e4-teacher-bond.json', true), teacherBond: { chi: [2, 2], student: 's16-pool' } }, true)).toThrow(/task 'seed-1\/bond\/chi-2\/s16-pool' twice/);
  });

  it('training runs are the run kinds; the done marker path replaces / by __', () => {
    const p = planStudy(load('e7-hardware.json', true), true);
    expect(p.tasks.filter((t) => RUN_KINDS.includes(t.kind)).every((t) => t.kind !== 'data' && t.kind !== 'soft-labels')).toBe(true);
    expect(taskDonePath('/r', 'seed-1/shots-16/s4-pca/kd')).toBe('/r/tasks/seed-1__shots-16__s4-pca__kd.json');
  });
});

describe('attachEstimates', () => {
  it('maps each estimate row to its task, sharing the soft-label and born-again rows', () => {
    const cfg = { ...load('e4-teacher-bond.json', true), seeds: [1], methods: ['label', 'kd'] as ('label' | 'kd')[] };
    const row = (run: string, seconds: number): RunEstimate => ({ run, qubits: 1, twoQubitGates: 0, chi: 1, seconds, secondsHigh: seconds, peakMemoryMiB: 0 });
    const est = { perSeed: [row('teacher', 10), row('teacher soft labels', 9), row('s16-pool/label', 4), row('s16-pool/kd', 5), row('bond χ_T=1/s16-pool', 6), row('bond χ_T=2/s16-pool', 7), row('bond χ_T=8/s16-pool', 8)] } as ConfigEstimate;
    const p = attachEstimates(planStudy(cfg, true), est);
    expect(Object.fromEntries(p.tasks.map((t) => [t.id, t.estimateSeconds]))).toEqual({
      'seed-1/data': null, 'seed-1/teacher': 10,
      'seed-1/soft-labels/chi-8': 3, 'seed-1/soft-labels/chi-1': 3, 'seed-1/soft-labels/chi-2': 3,
      'seed-1/student/s16-pool/label': 4, 'seed-1/student/s16-pool/kd': 5,
      'seed-1/bond/chi-1/s16-pool': 6, 'seed-1/bond/chi-2/s16-pool': 7, 'seed-1/bond/chi-8/s16-pool': 8,
    });
    const sd = load('e3-self-distillation.json', true);
    const q = attachEstimates(planStudy(sd, true), { perSeed: [row('self/born-again', 12), row('self/plain', 1)] } as ConfigEstimate);
    expect(q.tasks.filter((t) => t.id.includes('born-again')).map((t) => t.estimateSeconds)).toEqual([6, 6]);
    expect(q.tasks.find((t) => t.id === 'seed-1/self/plain')!.estimateSeconds).toBe(1);
  });
});

describe('qdistill plan', () => {
  it('prints the table and writes the JSON; ids and deps do not depend on --workers', async () => {
    const f1 = join(dir, 'w1.json'), f3 = join(dir, 'w3.json');
    const text = await planCommand(['experiments/e1-qubits.json', '--quick', '--no-estimate', '--workers', '1', '--json', f1]);
    await planCommand(['experiments/e1-qubits.json', '--quick', '--no-estimate', '--workers', '3', '--json', f3]);
    expect(readFileSync(f3, 'utf8')).toBe(readFileSync(f1, 'utf8'));
    const doc = JSON.parse(readFileSync(f1, 'utf8'));
    expect(Object.keys(doc)).toEqual(['name', 'quick', 'configHash', 'levels', 'seeds', 'tasks']);
    expect(doc).toMatchObject({ name: 'e1-qubits', quick: true, levels: 3, seeds: [1, 2] });
    expect(doc.tasks[4]).toEqual({ id: 'seed-1/student/s16-pool/kd', kind: 'student', level: 2, deps: ['seed-1/soft-labels/chi-8'], estimateSeconds: null, seed: 1, donePath: 'tasks/seed-1__student__s16-pool__kd.json' });
    // e1 --quick pairs two seeds (so the statistics run in CI): 15 tasks per seed (data, teacher,
    // soft labels, 3 students × 4 methods)
    expect(text.split('\n')[0]).toBe(`e1-qubits (quick): 30 task(s) in 3 level(s), config hash ${doc.configHash}`);
    expect(text).toMatch(/^seed-1\/student\/s16-pool\/kd\s+2\s+seed-1\/soft-labels\/chi-8\s+–$/m);
  });

  it('--seeds replans; a bad config file is a usage error naming it', async () => {
    const f = join(dir, 's.json');
    await planCommand(['experiments/e3-self-distillation.json', '--quick', '--no-estimate', '--seeds', '4,7', '--json', f]);
    expect(JSON.parse(readFileSync(f, 'utf8')).tasks.filter((t: { kind: string }) => t.kind === 'data').map((t: { id: string }) => t.id)).toEqual(['seed-4/data', 'seed-7/data']);
    await expect(planCommand(['experiments/nope.json'])).rejects.toThrow(/cannot read config 'experiments\/nope.json'/);
  });
});
