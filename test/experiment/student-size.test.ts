/**
 * The student-size report's selection on hand-made results (test/helpers/synthetic-results.ts),
 * each expectation computed by hand: the size order and its ties, "none reaches" said
 * plainly, a student that reaches the target in mean but not with its 95% interval, steps to
 * target with censored runs (Kaplan–Meier by hand), the cost columns with and without the
 * teacher, and the comparison family of the grid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ExperimentConfig } from '../../src/experiment/config.js';
import { samplesAt, type RunCost } from '../../src/experiment/cost.js';
import { comparisonTables } from '../../src/experiment/report.js';
import { formatFlops, sizeVerdict, studentSizeStatistics, studentSizeTables, type MethodSize } from '../../src/experiment/student-size.js';
import { minibatches } from '../../src/train/shuffle.js';
import { syntheticResults, type SyntheticRun } from '../helpers/synthetic-results.js';

/** The e2-student-size config, full, with the grid given here (names q<Q>-l<L>). */
function config(qubits: number[], layers: number[], extra: Record<string, unknown> = {}): ExperimentConfig {
  const raw = JSON.parse(readFileSync('experiments/e2-student-size.json', 'utf8')) as Record<string, unknown>;
  return resolveConfig({ ...raw, studentSweep: { ...(raw['studentSweep'] as object), qubits, layers }, ...extra });
}
// teacher test accuracies by seed: mean 0.9, so the 95% target is 0.855
const TEACHER: SyntheticRun = { role: 'teacher', name: 'teacher', method: 'label', chiT: 32, acc: [0.9, 0.92, 0.88] };
const student = (name: string, method: string, acc: number[], params: number, forwardFlops: number | null, extra: Partial<SyntheticRun> = {}): SyntheticRun => {
  const [q, l] = /^q(\d+)-l(\d+)$/.exec(name)!.slice(1).map(Number) as [number, number];
  const cost: RunCost | undefined = forwardFlops === null ? undefined : { forwardFlops, gradientFlops: 3 * forwardFlops, inputs: 8, nTrain: 40, batchSize: 8, stepsPerEpoch: 5, steps: 20 };
  return { role: 'student', name, method, chiT: method === 'kd' ? 32 : null, acc, model: { qubits: q, layers: l, params }, ...(cost ? { cost } : {}), ...extra };
};
const stats = (cfg: ExperimentConfig, runs: SyntheticRun[], teacher: SyntheticRun = TEACHER) => {
  const s = studentSizeStatistics(syntheticResults({ config: cfg, runs: [teacher, ...runs] }));
  expect(s).not.toBeNull();
  return s!;
};
const method = (s: NonNullable<ReturnType<typeof studentSizeStatistics>>, m: string): MethodSize => s.methods.find((x) => x.method === m)!;

describe('student-size selection', () => {
  it('orders by parameters, then flops per forward pass, then qubits, then layers (ties)', () => {
    const s = stats(config([4, 6, 8], [1, 2]), [
      student('q4-l2', 'label', [0.9, 0.9, 0.9], 28, 100),
      student('q6-l1', 'label', [0.9, 0.9, 0.9], 28, 50), // same parameters, fewer flops: smaller
      student('q8-l1', 'label', [0.9, 0.9, 0.9], 20, 10),
      student('q4-l1', 'label', [0.9, 0.9, 0.9], 20, 10), // same parameters and flops as q8-l1, fewer qubits: smaller
      student('q6-l2', 'label', [0.5, 0.5, 0.5], 10, 1), // smallest of all, but below the target
    ]);
    const m = method(s, 'label');
    expect(m.candidates.map((c) => c.name)).toEqual(['q6-l2', 'q4-l1', 'q8-l1', 'q6-l1', 'q4-l2']);
    expect(m.smallest!.name).toBe('q4-l1');
    // equal parameters and flops: fewer qubits first even with more layers, then fewer layers
    // (the grid lists layers 2 before 1, so a tie left to the grid's order would put l2 first)
    const t = stats(config([4, 6], [2, 1]), [
      student('q4-l1', 'label', [0.5, 0.5, 0.5], 10, 1), // below the target
      student('q6-l2', 'label', [0.9, 0.9, 0.9], 30, 40),
      student('q6-l1', 'label', [0.9, 0.9, 0.9], 30, 40),
      student('q4-l2', 'label', [0.9, 0.9, 0.9], 30, 40),
    ]);
    expect(method(t, 'label').candidates.map((c) => c.name)).toEqual(['q4-l1', 'q4-l2', 'q6-l1', 'q6-l2']);
    expect(method(t, 'label').smallest!.name).toBe('q4-l2');
    // unknown flops sort after known ones at equal parameters
    const u = stats(config([4, 6], [1]), [student('q4-l1', 'label', [0.9, 0.9, 0.9], 28, null), student('q6-l1', 'label', [0.9, 0.9, 0.9], 28, 500)]);
    expect(method(u, 'label').smallest!.name).toBe('q6-l1');
  });

  it('says plainly when no student reaches the target, naming the best', () => {
    const s = stats(config([4, 6], [1]), [student('q4-l1', 'kd', [0.8, 0.8, 0.8], 20, 10), student('q6-l1', 'kd', [0.85, 0.84, 0.83], 30, 20)]);
    const m = method(s, 'kd');
    expect(s.targetTest).toBeCloseTo(0.855, 12);
    expect(m.smallest).toBeNull();
    expect(m.smallestConfident).toBeNull();
    expect(sizeVerdict(s, m)).toBe("none reaches 95% of the teacher's test accuracy (0.855); the best, q6-l1, reaches 0.840");
    const [summary] = studentSizeTables(s);
    expect(summary!.rows[0]!.slice(0, 3)).toEqual(['kd', sizeVerdict(s, m), '–']);
  });

  it('a student reaching the target in mean with its 95% interval below it is named as such', () => {
    // margins d = acc − 0.95·teacher = [0.095, −0.074, 0.034]: mean 0.0183 > 0, interval across 0
    const s = stats(config([4, 6], [1]), [student('q4-l1', 'label', [0.95, 0.8, 0.87], 20, 10), student('q6-l1', 'label', [0.93, 0.95, 0.91], 30, 20)]);
    const m = method(s, 'label');
    const c = m.smallest!;
    expect(c.name).toBe('q4-l1');
    expect(c.reachesMean).toBe(true);
    expect(c.reachesCi).toBe(false);
    // Student t interval by hand: t(0.975, 2) = 4.302652729911275 (tables)
    const d = [0.95 - 0.95 * 0.9, 0.8 - 0.95 * 0.92, 0.87 - 0.95 * 0.88];
    const mean = (d[0]! + d[1]! + d[2]!) / 3;
    const sd = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / 2);
    const h = (4.302652729911275 * sd) / Math.sqrt(3);
    expect(c.margin.meanDiff).toBeCloseTo(mean, 12);
    expect(c.margin.ci95![0]).toBeCloseTo(mean - h, 10);
    expect(c.margin.ci95![1]).toBeCloseTo(mean + h, 10);
    expect(m.smallestConfident!.name).toBe('q6-l1');
    expect(sizeVerdict(s, m)).toBe("q4-l1 reaches 95% of the teacher's test accuracy (0.855) in mean only (CI below the target); the smallest with its CI above it is q6-l1");
    // a margin equal in every seed is its own interval, at or above 0
    const flat = stats(config([4], [1]), [student('q4-l1', 'label', TEACHER.acc.map((t) => 0.95 * t + 0.01), 20, 10)]);
    const fc = method(flat, 'label').smallest!;
    expect(fc.margin.ci95).toBeNull();
    expect(fc.marginCi![0]).toBeCloseTo(0.01, 12);
    expect(fc.marginCi![1]).toBeCloseTo(0.01, 12);
    expect(fc.reachesCi).toBe(true);
    // at the target exactly: a zero margin in every seed reaches it with confidence ("at or
    // above"); one seed at the target reaches it in mean
    const zero = method(stats(config([4], [1]), [student('q4-l1', 'label', TEACHER.acc.map((t) => 0.95 * t), 20, 10)]), 'label').candidates[0]!;
    expect(zero.marginCi).toEqual([0, 0]);
    expect(zero.reachesCi).toBe(true);
    const exact = studentSizeStatistics(syntheticResults({ config: config([4], [1]), seeds: 1, runs: [TEACHER, student('q4-l1', 'label', [0.95 * TEACHER.acc[0]!], 20, 10)] }))!;
    expect(method(exact, 'label').candidates[0]!.meanTest).toBe(exact.targetTest);
    expect(method(exact, 'label').smallest?.name).toBe('q4-l1');
    // one seed: no interval, so never "with confidence"
    const one = studentSizeStatistics(syntheticResults({ config: config([4], [1]), seeds: 1, runs: [TEACHER, student('q4-l1', 'label', [0.95], 20, 10)] }))!;
    expect(method(one, 'label').smallest!.reachesCi).toBe(false);
    expect(sizeVerdict(one, method(one, 'label'))).toContain('in mean only; no student reaches it with its 95% CI above the target');
  });

  it('steps to target without val_steps: epoch ends at the steps each epoch recorded (a budget cuts the last one short)', () => {
    // 5 steps per epoch, budget 8: the second epoch ends after 8 steps, not 10; target 0.855
    const res = syntheticResults({ config: config([4], [1]), runs: [TEACHER, student('q4-l1', 'label', [0.9, 0.9, 0.9], 20, 100)] });
    for (const r of res.runs) {
      if (r.role !== 'student') continue;
      r.history = [
        { ...r.history[0]!, epoch: 1, steps: 5, val_accuracy: 0.5, val_steps: undefined },
        { ...r.history[0]!, epoch: 2, steps: 8, val_accuracy: r.seed === 3 ? 0.6 : 0.9, val_steps: undefined },
      ];
    }
    const m = method(studentSizeStatistics(res)!, 'label');
    expect(m.smallest!.steps!.runs.map((x) => [x.time, x.event])).toEqual([[8, true], [8, true], [8, false]]);
    // a history without step counts (no budget) falls back to epoch × steps per epoch
    for (const r of res.runs) if (r.role === 'student') r.history = r.history.map((h) => ({ ...h, steps: undefined }));
    expect(method(studentSizeStatistics(res)!, 'label').smallest!.steps!.runs.map((x) => x.time)).toEqual([10, 10, 10]);
  });

  it('steps to target: runs that never reach it are censored, the median is Kaplan–Meier', () => {
    // validation target 0.95 × 0.9 = 0.855 (teacher val = its test accuracy here)
    const valSteps: [number, number][][] = [[[5, 0.5], [10, 0.9]], [[5, 0.6], [10, 0.7]], [[5, 0.86]]];
    const never: [number, number][][] = [[[5, 0.5], [10, 0.6]], [[5, 0.5], [10, 0.6]], [[5, 0.5], [7, 0.6]]];
    const s = stats(config([4, 6], [1]), [
      student('q4-l1', 'label', [0.9, 0.9, 0.9], 20, 100, { valSteps }), student('q4-l1', 'kd', [0.9, 0.9, 0.9], 20, 100, { valSteps }),
      student('q6-l1', 'label', [0.9, 0.9, 0.9], 30, 200, { valSteps: never }),
    ]);
    const c = method(s, 'label').smallest!;
    expect(c.steps!.runs).toEqual([{ seed: '1', time: 10, event: true }, { seed: '2', time: 10, event: false }, { seed: '3', time: 5, event: true }]);
    // by hand: t = 5: 3 at risk, 1 event, S = 2/3; t = 10: 2 at risk (the censored one too), 1 event, S = 1/3 ≤ 1/2
    expect(c.steps!.median).toBe(10);
    expect(c.steps!.reached).toBe(2);
    const none = method(s, 'label').candidates.find((x) => x.name === 'q6-l1')!;
    expect(none.steps!.runs.map((r) => r.event)).toEqual([false, false, false]);
    expect(none.steps!.runs.map((r) => r.time)).toEqual([10, 10, 7]);
    expect(none.steps!.median).toBeNull();
    // no run reaches the target: the median is not reached and no limit of its interval is estimable
    expect(studentSizeTables(s)[1]!.rows.find((r) => r[1] === 'q6-l1')![9]).toBe('not reached (CI not estimable); 0/3 reached');
    expect(c.steps!.medianCi[1]).toBeNull();
    expect(studentSizeTables(s)[0]!.rows.find((r) => r[0] === 'label')![9]).toBe(`10 [${c.steps!.medianCi[0]}, –]; 2/3 reached`);
    for (const t of studentSizeTables(s)) {
      expect(t.note).toContain("shows '–'");
      for (const row of t.rows) for (const cell of row) expect(String(cell)).not.toMatch(/∞|undefined|NaN|−0\.000|not reached \[not reached/);
    }
    // the cost columns: student samples to step 10 = 2 epochs of 40, at 300 flops per sample; step 5 = 1 epoch
    expect(c.studentCost!.runs.map((r) => r.time)).toEqual([80 * 300, 80 * 300, 40 * 300]);
    expect(c.totalCost!.runs.map((r) => r.time)).toEqual(c.studentCost!.runs.map((r) => r.time)); // label-only: no teacher
    expect(method(s, 'label').teacherCounted).toBe(false);
    // a validation point exactly at the target reaches it ("at or above")
    const at: [number, number][][] = [0, 1, 2].map(() => [[5, 0.5], [10, s.targetVal]]);
    const e = stats(config([4], [1]), [student('q4-l1', 'label', [0.9, 0.9, 0.9], 20, 100, { valSteps: at })]);
    expect(method(e, 'label').smallest!.steps!.runs.map((r) => [r.time, r.event])).toEqual([[10, true], [10, true], [10, true]]);
  });

  it('the total cost of a method that learns from the teacher adds its training and soft labels, seed by seed', () => {
    const tcost: RunCost = { forwardFlops: 1000, gradientFlops: 2000, inputs: 8, nTrain: 40, batchSize: 8, stepsPerEpoch: 5, steps: 30 };
    const valSteps: [number, number][][] = [[[7, 0.9]], [[10, 0.9]], [[5, 0.9]]];
    const s = stats(config([4], [1]), [student('q4-l1', 'kd', [0.9, 0.9, 0.9], 20, 100, { valSteps }), student('q4-l1', 'label', [0.9, 0.9, 0.9], 20, 100, { valSteps })], { ...TEACHER, cost: tcost });
    const kd = method(s, 'kd');
    expect(kd.teacherCounted).toBe(true);
    // teacher: 30 steps = 6 epochs of 40 samples at 2000 flops; soft labels: 40 samples at 1000; student step 7 = 40 + 2·8 samples at 300
    const teacher = 6 * 40 * 2000 + 40 * 1000;
    expect(kd.smallest!.totalCost!.runs.map((r) => r.time)).toEqual([56 * 300 + teacher, 80 * 300 + teacher, 40 * 300 + teacher]);
    expect(method(s, 'label').smallest!.totalCost!.runs.map((r) => r.time)).toEqual([56 * 300, 80 * 300, 40 * 300]);
    expect(s.teacher.trainingFlops).toBe(6 * 40 * 2000);
    // without the teacher's cost record the total cannot be stated
    const blind = stats(config([4], [1]), [student('q4-l1', 'kd', [0.9, 0.9, 0.9], 20, 100, { valSteps })]);
    expect(method(blind, 'kd').smallest!.totalCost).toBeNull();
    expect(studentSizeTables(blind)[0]!.rows[0]![12]).toBe('– (not recorded)');
  });

  it('the KD − label table of the grid is its own Holm family; listed students keep theirs', () => {
    const cfg = config([4, 6], [1], { students: [{ name: 's4', input: { kind: 'pca', components: 4 }, model: { qubits: 4, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'linear', qubits: [0, 1, 2, 3] } } }] });
    const runs = ['q4-l1', 'q6-l1'].flatMap((n, k) => [student(n, 'label', [0.7, 0.72, 0.69], 20 + k, 10), student(n, 'kd', [0.74, 0.73, 0.77 + k / 100], 20 + k, 10)]);
    const listed: SyntheticRun[] = [{ role: 'student', name: 's4', method: 'label', chiT: null, acc: [0.6, 0.61, 0.62] }, { role: 'student', name: 's4', method: 'kd', chiT: 32, acc: [0.64, 0.6, 0.66] }];
    const tables = comparisonTables(syntheticResults({ config: cfg, runs: [TEACHER, ...runs, ...listed] }));
    const generic = tables.find((t) => t.heading.startsWith('KD against label-only training'))!;
    const grid = tables.find((t) => t.heading.startsWith('Student size'))!;
    expect(generic.statistics.map((r) => r.label)).toEqual(['s4']);
    expect(grid.statistics.map((r) => r.label)).toEqual(['q4-l1', 'q6-l1']);
    // Holm over the two rows by hand: sorted p's p1 ≤ p2 → min(1, 2·p1), max(that, p2)
    const p = grid.statistics.map((r) => r.pT!);
    const [lo, hi] = p[0]! <= p[1]! ? [0, 1] : [1, 0];
    expect(grid.statistics[lo]!.pHolm).toBeCloseTo(Math.min(1, 2 * p[lo]!), 12);
    expect(grid.statistics[hi]!.pHolm).toBeCloseTo(Math.max(Math.min(1, 2 * p[lo]!), p[hi]!), 12);
  });

  it('no sweep, no teacher runs: no statistics', () => {
    expect(studentSizeStatistics(syntheticResults())).toBeNull();
    expect(studentSizeStatistics(syntheticResults({ config: config([4], [1]), runs: [student('q4-l1', 'label', [0.9, 0.9, 0.9], 20, 10)] }))).toBeNull();
  });
});

describe('cost records', () => {
  it('samplesAt equals the training loop\'s minibatches summed step by step', () => {
    for (const [n, B] of [[40, 8], [41, 8], [7, 20], [100, 3]] as const) {
      const sizes = minibatches(Array.from({ length: n }, (_, i) => i), B).map((b) => b.length);
      const c = { nTrain: n, batchSize: B, stepsPerEpoch: Math.ceil(n / B) };
      expect(sizes).toHaveLength(c.stepsPerEpoch);
      let seen = 0;
      for (let step = 1; step <= 3 * c.stepsPerEpoch; step++) {
        seen += sizes[(step - 1) % sizes.length]!;
        expect(samplesAt(c, step), `n ${n}, B ${B}, step ${step}`).toBe(seen);
      }
    }
  });


  it('formats flops with three significant digits', () => {
    expect([formatFlops(8964), formatFlops(80164401.3), formatFlops(0), formatFlops(null), formatFlops(515.2)]).toEqual(['8.96e3', '8.02e7', '0', '–', '5.15e2']);
  });
});
