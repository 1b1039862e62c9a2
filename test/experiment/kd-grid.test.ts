/**
 * The KD validation grid (`kd.T`, `kd.alpha` as lists) and the step budget (`training.steps`) in
 * studies: the choice rule against an independent reference (fuzzed, test metrics never read),
 * plan ids (stable for scalar T and α), the config checks, and a whole blob study with a grid
 * and a step budget — every arm takes the same optimizer steps whatever its training-set size,
 * the arm's record is its validation-best point, and results.json and the table record the
 * choices.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeTraining } from '../../src/experiment/build.js';
import { resolveConfig } from '../../src/experiment/config.js';
import { expectConfigIssue } from '../helpers/config-issue.js';
import { chooseKdPoint, kdChoiceCounts, kdGrid, type KdPointScore } from '../../src/experiment/kd-grid.js';
import { planStudy, runRecordPath } from '../../src/experiment/plan.js';
import { reportTables } from '../../src/experiment/report.js';
import { runExperiment, type RunRecord } from '../../src/experiment/runner.js';
import { chooseArm } from '../../src/experiment/steps/select.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-kd-grid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A grid point's run record with the given final validation (null: not recorded) and test metrics. */
function pointRecord(T: number, alpha: number, val: [number | null, number | null], test: [number, number]): RunRecord {
  const h = { epoch: 1, train_loss: 0.5, train_accuracy: 0.5, val_accuracy: val[0], val_loss: val[1], test_accuracy: test[0], test_loss: test[1], batch_loss: 0.5, batch_accuracy: 0.5, lr: 0.1, seconds: 1, extra: {} };
  return {
    key: `seed-1/student/s/kd/T-${T}-alpha-${alpha}`, seed: 1, role: 'student', name: 's', method: 'kd', chiT: null,
    model: { qubits: 2, ansatz: 'ry', layers: 1, maxBond: null, params: 4, features: 2 }, inputMap: null, history: [h],
    final: { train_accuracy: 0.5, val_accuracy: val[0], test_accuracy: test[0], test_loss: test[1] }, teacher: null, epochsToTarget: null, phaseMap: null,
    seconds: T + alpha, kd: { T, alpha }, numerics: { normDriftMax: T * 1e-12, normDriftExceeded: false },
  };
}

/** Ascending order of x and y with a missing value (null) after every number. */
const nullLast = (x: number | null, y: number | null): number => (x === y ? 0 : x === null ? 1 : y === null ? -1 : x - y);
/** Independent reference: sort by (−val accuracy, val loss, grid index), a missing value last, and take the first. */
function referenceChoice(s: KdPointScore[]): number {
  const neg = (x: number | null) => (x === null ? null : -x);
  return s.map((p, i) => ({ p, i })).sort((a, b) => nullLast(neg(a.p.val_accuracy), neg(b.p.val_accuracy)) || nullLast(a.p.val_loss, b.p.val_loss) || (a.i - b.i))[0]!.i;
}

describe('the choice of a KD grid point', () => {
  it('keeps the validation-best point where the test-best point is another one', () => {
    const pts = [
      pointRecord(1, 0.25, [0.70, 0.60], [0.95, 0.20]), // best on test
      pointRecord(2, 0.5, [0.80, 0.55], [0.60, 0.90]), // best on validation
      pointRecord(4, 0.9, [0.75, 0.40], [0.80, 0.50]),
    ];
    const arm = chooseArm('seed-1/student/s/kd', pts);
    expect(arm.kdChoice).toMatchObject({ T: 2, alpha: 0.5 });
    expect(arm.key).toBe('seed-1/student/s/kd');
    expect(arm.final.test_accuracy).toBe(0.60); // the chosen run's own test accuracy, not the best
    expect(arm).not.toHaveProperty('kd');
    expect(arm.kdChoice!.points.map((p) => p.key)).toEqual(pts.map((p) => p.key));
    expect(arm.kdChoice!.points.every((p) => !('test_accuracy' in p))).toBe(true);
    expect(arm.kdChoice!.gridSeconds).toBeCloseTo(1.25 + 2.5 + 4.9, 12);
    expect(arm.seconds).toBe(2.5);
    expect(arm.numerics!.normDriftMax).toBe(4e-12); // the worst over the points it ran
  });

  it.each<[string, [number, number][], number]>([
    ['ties on accuracy: the lower validation loss', [[0.8, 0.5], [0.8, 0.4], [0.7, 0.1]], 1],
    ['ties on accuracy and loss: the first in grid order', [[0.6, 0.5], [0.8, 0.4], [0.8, 0.4]], 1],
    ['a single point', [[0.1, 9]], 0],
  ])('%s', (_n, vals, want) => {
    expect(chooseKdPoint(vals.map(([a, l], i) => ({ T: i + 1, alpha: 0.5, val_accuracy: a, val_loss: l })))).toBe(want);
  });

  it('fuzz: equals the sort-based reference, and never changes when test metrics change', () => {
    // accuracies on a coarse grid (k / 8) and losses from a few values, so ties are common; about
    // one value in six missing (null), which ranks last
    const maybe = (v: fc.Arbitrary<number>) => fc.option(v, { nil: null, freq: 5 });
    const point = fc.record({ a: maybe(fc.integer({ min: 0, max: 8 })), l: maybe(fc.integer({ min: 0, max: 3 })), ta: fc.double({ min: 0, max: 1, noNaN: true }), tl: fc.double({ min: 0, max: 5, noNaN: true }) });
    fc.assert(fc.property(fc.array(point, { minLength: 1, maxLength: 9 }), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })), { minLength: 9, maxLength: 9 }), (ps, otherTest) => {
      const val = (p: { a: number | null; l: number | null }): [number | null, number | null] => [p.a === null ? null : p.a / 8, p.l === null ? null : p.l / 4];
      const scores = ps.map((p, i) => ({ T: i + 1, alpha: 0.5, val_accuracy: val(p)[0], val_loss: val(p)[1] }));
      expect(chooseKdPoint(scores)).toBe(referenceChoice(scores));
      const recs = ps.map((p, i) => pointRecord(i + 1, 0.5, val(p), [p.ta, p.tl]));
      const again = ps.map((p, i) => pointRecord(i + 1, 0.5, val(p), otherTest[i]!));
      expect(chooseArm('k', recs).kdChoice!.T).toBe(chooseArm('k', again).kdChoice!.T);
    }), { numRuns: 300, seed: 14 });
  });

  it('counts how often each point was chosen, per student and method, in grid order', () => {
    const kd = { T: [1, 2], alpha: 0.5 };
    const runs = [
      { name: 's', method: 'kd', seed: 1, kdChoice: { T: 2, alpha: 0.5 } },
      { name: 's', method: 'kd', seed: 2, kdChoice: { T: 2, alpha: 0.5 } },
      { name: 's', method: 'kd', seed: 3, kdChoice: { T: 1, alpha: 0.5 } },
      { name: 's', method: 'label', seed: 1 },
    ];
    expect(kdChoiceCounts(kd, runs)).toEqual([
      { student: 's', method: 'kd', T: 1, alpha: 0.5, chosen: 1, seeds: [3] },
      { student: 's', method: 'kd', T: 2, alpha: 0.5, chosen: 2, seeds: [1, 2] },
    ]);
    expect(kdChoiceCounts({ T: 2, alpha: 0.5 }, runs)).toEqual([]);
  });
});

const blobs = {
  name: 'grid-blobs', seeds: [1, 2],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 24, nVal: 8, nTest: 8, separation: 2, labelled: 3, transfer: 5 },
  training: { steps: 5, batchSize: 2, lr: 0.1 },
  teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 } } },
  students: [{ name: 's2', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'pca', components: 2 } }],
  methods: ['label', 'kd', 'kd-transfer', 'pseudo'],
  kd: { T: [1, 4], alpha: [0.25, 0.9] },
};

describe('plans with a KD grid', () => {
  it('trains every point of kd and kd-transfer as its own task, then chooses under the arm\'s id; pseudo and label are unchanged', () => {
    const plan = planStudy(resolveConfig(blobs), false);
    const ids = plan.tasks.filter((t) => t.seed === 1).map((t) => t.id);
    for (const m of ['kd', 'kd-transfer']) {
      const points = kdGrid(blobs.kd).map((p) => `seed-1/student/s2/${m}/T-${p.T}-alpha-${p.alpha}`);
      expect(points).toHaveLength(4);
      for (const p of points) expect(ids).toContain(p);
      const sel = plan.tasks.find((t) => t.id === `seed-1/student/s2/${m}`)!;
      expect(sel.kind).toBe('select');
      expect(sel.deps).toEqual(points);
    }
    for (const m of ['label', 'pseudo']) expect(plan.tasks.find((t) => t.id === `seed-1/student/s2/${m}`)!.kind).toBe('student');
    expect(ids.filter((i) => i.includes('/T-'))).toHaveLength(8);
  });

  it('scalar T and α keep the ids of a study without a grid', () => {
    const plan = planStudy(resolveConfig({ ...blobs, kd: { T: 2, alpha: 0.5 } }), false);
    expect(plan.tasks.filter((t) => t.seed === 1).map((t) => t.id)).toEqual([
      'seed-1/data', 'seed-1/teacher', 'seed-1/soft-labels/no-cap',
      'seed-1/student/s2/label', 'seed-1/student/s2/kd', 'seed-1/student/s2/kd-transfer', 'seed-1/student/s2/pseudo',
    ]);
  });
});

describe('config checks of the budget and the grid', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a grid with the teacher-bond sweep', { teacherBond: { chi: [2], student: 's2' } }, 'kd.T', /applies to the students' kd and kd-transfer runs only; teacherBond takes a single T and alpha/],
    ['a grid with the hardware sweep', { hardwareSweep: { student: 's2', shots: [16] } }, 'kd.T', /hardwareSweep takes a single T and alpha/],
    ['a grid without kd or kd-transfer', { methods: ['label', 'pseudo'] }, 'kd.T', /needs method kd or kd-transfer in methods, got \[label, pseudo\]/],
    ['a repeated alpha', { kd: { T: 2, alpha: [0.5, 0.5] } }, 'kd.alpha', /must be distinct/],
    ['an empty T list', { kd: { T: [], alpha: 0.5 } }, 'kd.T', /at least 1 item/],
    ['an alpha above 1 in the list', { kd: { T: 2, alpha: [0.5, 1.5] } }, 'kd.alpha.1', /≤ 1/],
    ['a student override with both epochs and steps', { students: [{ ...blobs.students[0], training: { epochs: 2, steps: 4 } }] }, 'students.0.training.steps', /give either epochs \(2\) or steps, not both/],
  ])('refuses %s', (_n, over, path, re) => {
    const err = expectConfigIssue({ ...blobs, ...over }, path, re);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('an override gives the budget in either unit: setting one drops the inherited other', () => {
    type B = { epochs?: number; steps?: number; batchSize: number };
    expect(mergeTraining<B>({ steps: 10, batchSize: 2 }, { epochs: 3 })).toEqual({ epochs: 3, batchSize: 2 });
    expect(mergeTraining<B>({ epochs: 10, batchSize: 2 }, { steps: 7 })).toEqual({ steps: 7, batchSize: 2 });
    expect(mergeTraining<B>({ epochs: 10, batchSize: 2 }, { batchSize: 4 })).toEqual({ epochs: 10, batchSize: 4 });
    expect(() => resolveConfig({ ...blobs, teacher: { ...blobs.teacher, training: { epochs: 2 } } })).not.toThrow();
  });

  it('--quick may switch the unit of the budget', () => {
    const c = resolveConfig({ ...blobs, training: { epochs: 9, batchSize: 2, lr: 0.1 }, quick: { training: { steps: 3 } } }, { quick: true });
    expect(c.training.steps).toBe(3);
    expect(c.training.epochs).toBeUndefined();
    const d = resolveConfig({ ...blobs, quick: { training: { epochs: 2 } } }, { quick: true });
    expect(d.training).toMatchObject({ epochs: 2 });
    expect(d.training.steps).toBeUndefined();
  });
});

describe('a blob study with a KD grid and a step budget', () => {
  it('every run takes the same optimizer steps; each arm is its validation-best point; the choices are recorded', async () => {
    const cfg = resolveConfig(blobs);
    const out = join(dir, 'study');
    const { results } = await runExperiment(cfg, { workers: 1, resume: false, progress: 'none', quick: false, outDir: out });
    // 6 labelled samples (3 per class) → 3 steps an epoch; labelled + 10 transfer → 8 steps an epoch
    for (const r of results.runs) {
      expect(r.steps, r.key).toBe(5);
      expect(r.history.at(-1)!.steps, r.key).toBe(5);
    }
    const arm = (seed: number, m: string) => results.runs.find((r) => r.key === `seed-${seed}/student/s2/${m}`)!;
    expect(arm(1, 'label').history.map((h) => h.steps)).toEqual([3, 5]);
    expect(arm(1, 'kd-transfer').history.map((h) => h.steps)).toEqual([5]);
    expect(arm(1, 'pseudo').history.map((h) => h.steps)).toEqual([5]);
    // only arms in results.json: label, kd, kd-transfer, pseudo and the teacher per seed
    expect(results.runs).toHaveLength(2 * 5);
    for (const seed of [1, 2]) {
      for (const m of ['kd', 'kd-transfer']) {
        const a = arm(seed, m);
        // the points' own records, read back from the folder, and the rule recomputed independently
        const pts = kdGrid(blobs.kd).map((p) => JSON.parse(readFileSync(runRecordPath(out, `seed-${seed}/student/s2/${m}/T-${p.T}-alpha-${p.alpha}`), 'utf8')).record as RunRecord);
        const scores = pts.map((r) => ({ T: r.kd!.T, alpha: r.kd!.alpha, val_accuracy: r.final.val_accuracy, val_loss: r.history.at(-1)!.val_loss }));
        const i = referenceChoice(scores);
        expect(a.kdChoice).toMatchObject({ T: scores[i]!.T, alpha: scores[i]!.alpha });
        expect(a.history).toEqual(pts[i]!.history);
        expect(a.final).toEqual(pts[i]!.final);
        // different (T, α) train different models
        expect(new Set(pts.map((r) => r.history.at(-1)!.train_loss)).size).toBeGreaterThan(1);
      }
    }
    expect(results.kdGrid!.filter((c) => c.method === 'kd').reduce((a, c) => a + c.chosen, 0)).toBe(2);
    const table = reportTables(results).find((t) => t.heading.startsWith('KD validation grid'))!;
    expect(table.rows).toHaveLength(8);
    expect(existsSync(join(out, 'results.json'))).toBe(true);
  }, 240_000);
});
