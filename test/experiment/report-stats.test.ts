/**
 * The statistics of the report tables, on hand-made results whose numbers are known: R's sleep
 * data as the KD and label-only accuracies of a student (so the row must carry R's t-test and
 * Wilcoxon values), Holm across the rows, the gap check against the teacher's validation
 * accuracy, and self-distillation as time-to-event on the Freireich leukaemia data (plain =
 * placebo, snapshot = 6-MP: KM median 23, log-rank chi-square 16.8, p = 4.17e-5).
 */
import { describe, expect, it } from 'vitest';
import { comparisonTables, FINAL_ACCURACY_NOTE, reportStatistics, reportTables, resultsTable, teacherChiCell } from '../../src/experiment/report.js';
import { convergenceStatistics, convergenceTable, formatKmMedian } from '../../src/experiment/report-convergence.js';
import { COMPARISON_NOTE_NO_GAP, comparisonTable, MIN_GAP, VAL_ACCURACY_GAP } from '../../src/experiment/report-stats.js';
import type { ExperimentResults, RunRecord } from '../../src/experiment/runner.js';
import type { EpochRecord } from '../../src/train/loop.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

// R's sleep data (see test/stats/paired.test.ts): as accuracies, shifted into [0, 1]
const SLEEP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
const acc = (x: number) => 0.5 + x / 20;

function rec(seed: number, role: RunRecord['role'], name: string, method: string, test: number, val = test, history: EpochRecord[] = []): RunRecord {
  return {
    key: `seed-${seed}/${role}/${name}/${method}`, seed, role, name, method, chiT: null,
    model: { qubits: 4, ansatz: 'ry', layers: 1, maxBond: null, params: 4, features: 4 }, inputMap: null, history,
    final: { train_accuracy: null, val_accuracy: val, test_accuracy: test, test_loss: null }, teacher: null, epochsToTarget: null, phaseMap: null, seconds: 1,
  };
}
function withRuns(runs: RunRecord[]): ExperimentResults {
  const res = syntheticResults({ seeds: 1 });
  return { ...res, runs, config: { ...res.config, seeds: [...new Set(runs.map((r) => r.seed))] } };
}

describe('KD against label-only: the paired statistics of every row', () => {
  const seeds = SLEEP1.map((_, i) => i + 1);
  // student A: KD = sleep group 2, label = group 1 (R: t = 4.0621, p = 0.002833, Wilcoxon p = 0.009091)
  // student B: KD = label + tiny noise → no detectable difference
  const runs = [
    ...seeds.map((s) => rec(s, 'teacher', 'teacher', 'label', 0.9, 0.9)),
    ...seeds.map((s, i) => rec(s, 'student', 'A', 'kd', acc(SLEEP2[i]!))),
    ...seeds.map((s, i) => rec(s, 'student', 'A', 'label', acc(SLEEP1[i]!), 0.8)),
    ...seeds.map((s, i) => rec(s, 'student', 'B', 'kd', 0.88 + (i % 2 ? 0.01 : -0.01))),
    ...seeds.map((s) => rec(s, 'student', 'B', 'label', 0.88, 0.89)),
  ];
  const res = withRuns(runs);

  it('row A carries R\'s paired t-test and Wilcoxon values (scaled by 1/20), Holm across the two rows, verdict better', () => {
    const [t] = comparisonTables(res);
    const a = t!.statistics.find((s) => s.label === 'A')!;
    const b = t!.statistics.find((s) => s.label === 'B')!;
    expect(a.n).toBe(10);
    expect(a.meanDiff).toBeCloseTo(1.58 / 20, 12);
    expect(Math.abs(a.t! - 4.0621)).toBeLessThan(5e-5);
    expect(Math.abs(a.pT! - 0.002833)).toBeLessThan(5e-7);
    expect(Math.abs(a.ci95![0] - 0.7001142 / 20)).toBeLessThan(5e-9);
    expect(Math.abs(a.ci95![1] - 2.4598858 / 20)).toBeLessThan(5e-9);
    expect(Math.abs(a.pWilcoxon! - 0.009091)).toBeLessThan(5e-7);
    expect(a.pHolm).toBeCloseTo(Math.min(1, 2 * a.pT!), 12); // A has the smaller p of the two
    expect(a.verdict).toBe('better');
    expect(b.verdict).toBe('no detectable difference');
    expect(b.pHolm).toBeCloseTo(Math.max(b.pT!, a.pHolm!), 12);
  });

  it('gap check: teacher 0.90 − label-only 0.80 = 0.10 has room; 0.90 − 0.89 < 0.03 says "no room to distil"', () => {
    const [t] = comparisonTables(res);
    const a = t!.statistics.find((s) => s.label === 'A')!;
    const b = t!.statistics.find((s) => s.label === 'B')!;
    expect(a.gap!.mean).toBeCloseTo(0.1, 12);
    expect(a.gap!.n).toBe(10);
    expect(a.roomToDistil).toBe(true);
    expect(b.gap!.mean).toBeLessThan(MIN_GAP);
    expect(b.roomToDistil).toBe(false);
    const md = resultsTable(res);
    expect(md).toMatch(/\| B +\| 10 +\|.*\| no detectable difference +\| .*\| no room to distil +\|/);
    expect(md).toMatch(/\| A +\| 10 +\| \+0\.079 +\| \[\+0\.035, \+0\.123\] +\| 0\.0028 +\| 0\.0091 \(normal\) +\| 0\.0057 +\|.*\| better +\| 9\/10 +\| \+0\.100 \(n = 10\) +\| room to distil +\|/);
    // a bare "yes" says nothing on its own; the note names both outcomes
    expect(t!.rows.map((r) => r.at(-1))).toEqual(['room to distil', 'no room to distil']);
    expect(VAL_ACCURACY_GAP.note).toBe(`The gap check is the teacher's validation accuracy minus the label-only student's (mean over seeds): "room to distil" at ${MIN_GAP} or more, "no room to distil" below.`);
    expect(md).toContain(VAL_ACCURACY_GAP.note);
    // the old rule is gone
    expect(md).not.toMatch(/mean − std|no clear difference/);
  });

  it("difference figure: each row's Δ and R's 95% CI (scaled), one row per student, drawn as a forest plot", async () => {
    const [t] = comparisonTables(res);
    const f = t!.figure!;
    expect(f.name).toBe('differences-kd');
    expect(f.points.map((p) => [p.category, p.series, p.n])).toEqual([['A', 'KD', 10], ['B', 'KD', 10]]);
    const a = f.points[0]!;
    expect(a.mean).toBeCloseTo(1.58 / 20, 12);
    expect(Math.abs(a.ci95![0] - 0.7001142 / 20)).toBeLessThan(5e-9);
    expect(Math.abs(a.ci95![1] - 2.4598858 / 20)).toBeLessThan(5e-9);
    const { differenceFigures } = await import('../../src/experiment/difference-figures.js');
    const figs = await differenceFigures(comparisonTables(res), 'sleep');
    expect(figs.map((x) => x.name)).toEqual(['differences-kd']);
    const svg = figs[0]!.svg;
    for (const text of ['Δ test accuracy (method − label-only)', 'intervals: 95% confidence interval over n = 10 seeds', 'no difference', '>A<', '>B<']) expect(svg).toContain(text);
    // a table without a figure, or a figure without rows, draws nothing
    expect(await differenceFigures([{ ...t!, figure: undefined }], 'x')).toEqual([]);
    expect(await differenceFigures([{ ...t!, figure: { ...f, points: [] } }], 'x')).toEqual([]);
  });

  it('statistics.json holds the same numbers as the table', () => {
    const s = reportStatistics(res);
    expect(s.comparisons).toHaveLength(1);
    expect(s.comparisons[0]!.rows.map((r) => r.label)).toEqual(['A', 'B']);
    expect(s.comparisons[0]!.rows[0]!.seeds).toEqual(seeds.map(String));
    expect(JSON.parse(JSON.stringify(s))).toEqual(s); // plain JSON: no Infinity, no functions
  });

  it('the same Δ in every seed, zero included: one convention — t-test "– (Δ constant)", CI [Δ, Δ], Holm on the Wilcoxon p, never "undefined"', () => {
    const same = withRuns([
      ...[1, 2, 3].map((s) => rec(s, 'student', 'C', 'kd', 0.82)),
      ...[1, 2, 3].map((s) => rec(s, 'student', 'C', 'label', 0.8)),
      // all-zero Δ: KD and label-only equal in every seed
      ...[1, 2, 3].map((s) => rec(s, 'student', 'Z', 'kd', 0.7 + s / 100)),
      ...[1, 2, 3].map((s) => rec(s, 'student', 'Z', 'label', 0.7 + s / 100)),
    ]);
    const [t] = comparisonTables(same);
    const [c, z] = t!.rows;
    expect(t!.statistics[0]!.mde).toBe(0); // statistics.json keeps the number
    // columns: student, n, Δ mean, CI, t-test p, Wilcoxon p, Holm p, smallest detectable Δ, verdict, seeds better;
    // Wilcoxon on three tied ranks: 0.1489 (test/stats/paired.test.ts); Holm over the two rows doubles the smaller p
    expect(c!.slice(2, 8)).toEqual(['+0.020', '[+0.020, +0.020] (Δ constant)', '– (Δ constant)', '0.15 (normal)', '0.30 (Wilcoxon)', '0 (Δ constant: no spread to test against)']);
    expect(z!.slice(2, 10)).toEqual(['+0.000', '[+0.000, +0.000] (Δ constant)', '– (Δ constant)', '1.0 (all Δ = 0: nothing to rank)', '1.0 (Wilcoxon)', '0 (Δ constant: no spread to test against)', 'no detectable difference', '0/3']);
    expect(t!.statistics[1]).toMatchObject({ pT: null, ci95: null, pWilcoxon: 1, wilcoxonMethod: 'all-zero', test: 'wilcoxon', verdict: 'no detectable difference' });
    // the note says what the table does: zero differences dropped, p = 1 for all-zero Δ, and the constant-Δ convention
    expect(COMPARISON_NOTE_NO_GAP).toContain('1 when every difference is zero, nothing being left to rank');
    expect(COMPARISON_NOTE_NO_GAP).toContain('Where every difference is the same, zero included, the t-test has no value (SD 0: "– (Δ constant)"), the CI is [Δ, Δ] and Holm takes the Wilcoxon p');
    expect(resultsTable(same)).not.toMatch(/undefined|NaN|\(exact\)/);
  });

  it('no cell prints "undefined" or "NaN", whatever the rows: one seed, constant Δ, a row without a gap', () => {
    const odd = withRuns([
      ...[1, 2].map((s) => rec(s, 'teacher', 'teacher', 'label', 0.9, 0.9)),
      rec(1, 'student', 'one', 'kd', 0.8), rec(1, 'student', 'one', 'label', 0.7),
      ...[1, 2].map((s) => rec(s, 'student', 'flat', 'kd', 0.8)), ...[1, 2].map((s) => rec(s, 'student', 'flat', 'label', 0.8)),
    ]);
    for (const tb of reportTables(odd)) for (const row of tb.rows) for (const cell of row) expect(String(cell), `${tb.heading}: ${row.join(' | ')}`).not.toMatch(/undefined|NaN|null|Infinity/);
  });

  it('a difference or gap that rounds to zero prints +0.000, never −0.000', () => {
    // Δ = −0.0001 per seed (constant), gap = teacher − label = −0.0002 on validation
    const tiny = withRuns([
      ...[1, 2, 3].map((s) => rec(s, 'teacher', 'teacher', 'label', 0.9, 0.8)),
      ...[1, 2, 3].map((s) => rec(s, 'student', 'T', 'kd', 0.7999)),
      ...[1, 2, 3].map((s) => rec(s, 'student', 'T', 'label', 0.8, 0.8002)),
    ]);
    const t = comparisonTable('tiny', 'student', 'KD', [{ label: 'T', a: tiny.runs.filter((r) => r.method === 'kd'), b: tiny.runs.filter((r) => r.name === 'T' && r.method === 'label'), metric: (r) => r.final.test_accuracy, gap: { teacher: tiny.runs.filter((r) => r.role === 'teacher'), student: tiny.runs.filter((r) => r.name === 'T' && r.method === 'label') } }])!;
    expect(t.statistics[0]!.meanDiff).toBeLessThan(0);
    expect(t.statistics[0]!.gap!.mean).toBeLessThan(0);
    expect(t.rows[0]!.slice(2, 4)).toEqual(['+0.000', '[+0.000, +0.000] (Δ constant)']);
    expect(t.rows[0]!.at(-2)).toBe('+0.000 (n = 3)');
    expect(resultsTable(tiny)).not.toContain('−0.000');
  });

  it('one seed: the row is shown with n = 1 and no test', () => {
    const one = withRuns(runs.filter((r) => r.seed === 1));
    const [t] = comparisonTables(one);
    expect(t!.statistics[0]).toMatchObject({ n: 1, pT: null, pHolm: null, verdict: 'no detectable difference' });
    expect(t!.rows[0]![8]).toBe('no detectable difference (n < 2: no test)');
  });
});

describe('the teacher-bond sweep is compared with label-only at every χ_T', () => {
  it('one row per χ_T in one Holm family', () => {
    const res = syntheticResults({ seeds: 3 });
    res.config.teacherBond = { chi: [2, 8], student: 's4-pool' };
    const t = comparisonTables(res).find((x) => x.heading.includes('bond dimension'))!;
    expect(t.statistics.map((s) => s.label)).toEqual(['2', '8']);
    // s4-pool label 0.70, 0.72, 0.69; KD from χ_T = 8: 0.74, 0.72, 0.74 → Δ = 0.04, 0, 0.05
    expect(t.statistics[1]!.meanDiff).toBeCloseTo(0.03, 12);
    expect(t.statistics[1]!.n).toBe(3);
  });

  it('each χ_T against the most faithful teacher (the largest χ_T), paired by seed, in its own Holm family', () => {
    const res = syntheticResults({ seeds: 3 });
    res.config.teacherBond = { chi: [2, 8], student: 's4-pool' };
    const t = comparisonTables(res).find((x) => x.heading.includes('most faithful teacher'))!;
    expect(t.heading).toBe('KD from a teacher at bond dimension χ_T against the most faithful teacher of the sweep (χ_T = 8), student s4-pool (test accuracy, student at χ_T − student at χ_T = 8, paired by seed)');
    expect(t.statistics.map((s) => s.label)).toEqual(['2']);
    // KD from χ_T = 2: 0.71, 0.70, 0.73; from χ_T = 8: 0.74, 0.72, 0.74 → Δ = −0.03, −0.02, −0.01
    expect(t.statistics[0]!.meanDiff).toBeCloseTo(-0.02, 12);
    expect(t.statistics[0]!.sdDiff).toBeCloseTo(0.01, 12);
    // t = −0.02 / (0.01/√3) = −3.4641 on 2 df: two-sided p = 0.07418 (t-table value)
    expect(t.statistics[0]!.pT).toBeCloseTo(0.07418, 4);
    expect(t.statistics[0]!.pHolm).toBe(t.statistics[0]!.pT);
    expect(t.statistics[0]!.aBetter).toBe(0);
    // no gap-check columns: both arms learn from the same teacher
    expect(t.headers).not.toContain('gap check');
    expect(t.headers).toContain('seeds where the χ_T student is better');
    expect(t.figure!.name).toBe('differences-teacher-fidelity');
    expect(t.figure!.y).toBe('Δ test accuracy (at χ_T − at χ_T = 8)');
    expect(t.figure!.points.map((p) => p.category)).toEqual(['2']);
  });

  it('against the most faithful teacher: the largest χ_T is the reference, rows pair by seed (not by order) on the seeds both have, Holm across the rows', () => {
    // S: reference χ_T = 16 ran seeds 1–3 only; χ_T = 2 and 4 ran seeds 1–4 (listed out of order)
    const bond = (seed: number, chiT: number | null, test: number): RunRecord => ({ ...rec(seed, 'bond', 'S', 'kd', test), key: `seed-${seed}/bond/chi-${chiT}/S`, chiT });
    const res = withRuns([
      ...[[1, 0.80], [2, 0.70], [3, 0.75]].map(([s, a]) => bond(s!, 16, a!)),
      ...[[4, 0.50], [3, 0.74], [2, 0.66], [1, 0.78]].map(([s, a]) => bond(s!, 2, a!)),
      ...[[2, 0.72], [4, 0.90], [1, 0.80], [3, 0.77]].map(([s, a]) => bond(s!, 4, a!)),
    ]);
    res.config.teacherBond = { chi: [2, 4, 16], student: 'S' };
    const t = comparisonTables(res).find((x) => x.heading.includes('most faithful teacher'))!;
    expect(t.heading).toContain('(χ_T = 16)');
    expect(t.statistics.map((s) => [s.label, s.seeds])).toEqual([['2', ['3', '2', '1']], ['4', ['2', '1', '3']]]);
    // χ_T = 2 − 16 per seed: −0.04, −0.01, −0.02 (seed 4 has no reference): mean −0.07/3, t = −√7 on 2 df;
    // χ_T = 4 − 16: +0.02, 0, +0.02: t = 2. On 2 df the two-sided p is 1 − |t|/√(t² + 2): 1 − √7/3 and 1 − 2/√6
    const p2 = 1 - Math.sqrt(7) / 3, p4 = 1 - 2 / Math.sqrt(6);
    expect(t.statistics[0]!.meanDiff).toBeCloseTo(-0.07 / 3, 12);
    expect(t.statistics[0]!.pT).toBeCloseTo(p2, 9);
    expect(t.statistics[1]!.meanDiff).toBeCloseTo(0.04 / 3, 12);
    expect(t.statistics[1]!.pT).toBeCloseTo(p4, 9);
    // Holm over these two rows alone: 2·p2 = 0.236 for the smaller, then max(0.236, p4)
    expect(t.statistics[0]!.pHolm).toBeCloseTo(2 * p2, 9);
    expect(t.statistics[1]!.pHolm).toBeCloseTo(Math.max(2 * p2, p4), 9);
    expect(t.figure!.points.map((p) => [p.category, p.n])).toEqual([['2', 3], ['4', 3]]);
  });

  it('a run without a bond cap (χ_T null) sorts after every number and is then the reference, named "no cap"', () => {
    const bond = (seed: number, chiT: number | null, test: number): RunRecord => ({ ...rec(seed, 'bond', 'S', 'kd', test), key: `seed-${seed}/bond/chi-${chiT}/S`, chiT });
    const res = withRuns([...[1, 2].map((s) => bond(s, null, 0.8)), ...[1, 2].map((s) => bond(s, 64, 0.8 - s / 100))]);
    res.config.teacherBond = { chi: [64], student: 'S' };
    const t = comparisonTables(res).find((x) => x.heading.includes('most faithful teacher'))!;
    expect(t.heading).toContain('(χ_T = no cap)');
    expect(t.statistics.map((s) => [s.label, s.meanDiff])).toEqual([['64', expect.closeTo(-0.015, 12)]]);
  });

  it('a sweep of one χ_T has no most-faithful comparison', () => {
    const res = syntheticResults({ seeds: 3 });
    res.config.teacherBond = { chi: [8], student: 's4-pool' };
    res.runs = res.runs.filter((r) => !(r.role === 'bond' && r.chiT === 2));
    expect(comparisonTables(res).some((x) => x.heading.includes('most faithful teacher'))).toBe(false);
    expect(comparisonTables(res).some((x) => x.heading.includes('bond dimension χ_T against label-only'))).toBe(true);
  });
});

/** A self run whose validation accuracy is 0 until step `time` and 1 from then (event), or 0 up to `time` (censored). */
function selfRun(seed: number, method: string, time: number, event: boolean): RunRecord {
  const val_steps = Array.from({ length: time }, (_, i) => ({ step: i + 1, val_accuracy: event && i + 1 >= time ? 1 : 0, val_loss: 0 }));
  const h = { epoch: 1, train_loss: null, train_accuracy: null, val_loss: 0, val_accuracy: val_steps.at(-1)!.val_accuracy, test_loss: null, test_accuracy: null, batch_loss: 0, batch_accuracy: 0, lr: 0.1, seconds: 0, extra: {}, val_steps } as EpochRecord;
  return rec(seed, 'self', 'self', method, 0.5, h.val_accuracy!, [h]);
}
const weeks = (s: string) => s.trim().split(/\s+/).map((t) => ({ time: Number(t.replace('+', '')), event: !t.endsWith('+') }));
const MP6 = weeks('6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+');
const PLACEBO = weeks('1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23');

describe('self-distillation as time-to-event', () => {
  const runs = [...PLACEBO.map((o, i) => selfRun(i + 1, 'plain', o.time, o.event)), ...MP6.map((o, i) => selfRun(i + 1, 'snapshot', o.time, o.event))];
  const res = withRuns(runs);

  it('reproduces the leukaemia references through the report: snapshot median 23, log-rank 16.8 on 1 df, p = 4.17e-5', () => {
    const c = convergenceStatistics(res)!;
    expect(c.unit).toBe('steps');
    expect(c.plainFinalVal).toBe(1); // every placebo run reached accuracy 1
    expect(c.target).toBeCloseTo(0.95, 12);
    const snap = c.methods.find((m) => m.method === 'snapshot')!;
    expect(snap.reached).toBe(9);
    expect(snap.median).toBe(23);
    expect(snap.medianCi).toEqual([13, null]);
    expect(Math.abs(snap.logRank!.chiSquare - 16.8)).toBeLessThan(0.05);
    expect(Math.abs(snap.logRank!.p! - 4.17e-5)).toBeLessThan(5e-8);
    expect(snap.logRank!.pHolm).toBe(snap.logRank!.p); // one comparison in the family
    // 6-MP "reaches the target" later (fewer events than expected): worse, i.e. slower
    expect(snap.logRank!.verdict).toBe('worse');
    expect(c.methods.find((m) => m.method === 'plain')!.median).toBe(8);
    const md = resultsTable(res);
    expect(md).toMatch(/## Self-distillation as time-to-event: steps to validation accuracy ≥ 0\.950/);
    // the upper limit of the interval is never reached within the follow-up: not estimable, '–' (not ∞)
    expect(md).toMatch(/\| snapshot +\| 21 +\| 9\/21 +\| 23 \[13, –\] +\| no +\| 16\.79 \(1\) +\| 4\.2e-5 +\| 4\.2e-5 +\| worse +\|/);
    expect(md).toMatch(/\| plain +\| 21 +\| 21\/21 +\| 8 \[4, 11\] +\|/);
    expect(md).not.toMatch(/∞|not reached \[not reached/);
    expect(reportStatistics(res).convergence).toMatchObject({ unit: 'steps', target: 0.95 });
  });

  it('born-again generation g is charged its teachers\' steps; without val_steps the unit is epochs', () => {
    const ba = withRuns([selfRun(1, 'plain', 4, true), selfRun(1, 'born-again-g0', 10, true), selfRun(1, 'born-again-g1', 3, true), selfRun(1, 'born-again-g2', 5, false)]);
    const c = convergenceStatistics(ba)!;
    const by = (m: string) => c.methods.find((x) => x.method === m)!.runs[0]!;
    expect(by('born-again-g0')).toMatchObject({ time: 10, event: true, teacherTime: 0 });
    expect(by('born-again-g1')).toMatchObject({ time: 13, event: true, teacherTime: 10 });
    expect(by('born-again-g2')).toMatchObject({ time: 18, event: false, teacherTime: 13 });
    const epochs = syntheticResults({ seeds: 2 });
    expect(convergenceStatistics(epochs)!.unit).toBe('epochs');
    expect(reportTables(epochs).map((t) => t.heading)).toContainEqual(expect.stringMatching(/^Self-distillation as time-to-event: epochs/));
  });
});

describe('a Kaplan–Meier median and its interval as a cell', () => {
  it('prints a limit the band never reaches as "–" and a median not reached with its lower limit only, or says the interval is not estimable', () => {
    expect(formatKmMedian(23, [13, null])).toBe('23 [13, –]');
    expect(formatKmMedian(8, [4, 12])).toBe('8 [4, 12]');
    expect(formatKmMedian(null, [40, null])).toBe('not reached [40, –]');
    expect(formatKmMedian(null, [null, null])).toBe('not reached (CI not estimable)');
    expect(formatKmMedian(2e6, [1e6, null], (v) => v.toExponential(1))).toBe('2.0e+6 [1.0e+6, –]');
  });

  it('through the table: a method that mostly never reaches the target (median not reached; the lower band reaches 0.5 or not)', () => {
    // "slow": 3 of 10 runs reach the target at steps 2, 3, 4, the rest are censored at 10: S stays at 0.7 > 0.5
    const slow = [2, 3, 4].map((t, i) => selfRun(i + 1, 'slow', t, true)).concat([4, 5, 6, 7, 8, 9, 10].map((s) => selfRun(s, 'slow', 10, false)));
    const never = [1, 2, 3].map((s) => selfRun(s, 'never', 10, false));
    const res = withRuns([...[1, 2, 3].map((s) => selfRun(s, 'plain', 2, true)), ...slow, ...never]);
    const c = convergenceStatistics(res)!;
    const row = (m: string) => convergenceTable(c).rows.find((r) => r[0] === m)!;
    const s = c.methods.find((m) => m.method === 'slow')!;
    expect(s.median).toBeNull();
    expect(s.medianCi[1]).toBeNull();
    expect(row('slow')[3]).toBe(s.medianCi[0] === null ? 'not reached (CI not estimable)' : `not reached [${s.medianCi[0]}, –]`);
    expect(row('never')[3]).toBe('not reached (CI not estimable)');
    expect(row('plain')[3]).toBe('2 [2, 2]');
    const md = resultsTable(res);
    expect(md).not.toMatch(/∞|not reached \[not reached/);
    expect(md).toContain("A median is \"not reached\" when fewer than half the runs reach the target; a limit of its interval that the band never reaches within the follow-up is not estimable and shows '–'.");
  });
});

describe('χ_T in the final-accuracy table: the bond dimension of the teacher whose labels the row learned from', () => {
  const head = (res: ExperimentResults) => reportTables(res)[0]!;
  const cell = (res: ExperimentResults, role: string, method: string, col: string) => {
    const t = head(res);
    const r = t.rows.find((x) => x[0] === role && x[2] === method)!;
    return r[t.headers.indexOf(col)];
  };

  it('KD and bond rows show their χ_T; label-only, self-distillation and the teacher show "–"; the teacher\'s own cap is under χ (training)', () => {
    const res = syntheticResults({ seeds: 2 });
    res.runs = res.runs.map((r) => (r.role === 'teacher' ? { ...r, model: { ...r.model, maxBond: 16 } } : r));
    const t = head(res);
    expect(t.headers.slice(3, 5)).toEqual(['χ_T', 'χ (training)']);
    expect(t.note).toBe(FINAL_ACCURACY_NOTE);
    expect(cell(res, 'teacher', 'label', 'χ_T')).toBe('–');
    expect(cell(res, 'teacher', 'label', 'χ (training)')).toBe(16);
    expect(cell(res, 'student', 'label', 'χ_T')).toBe('–');
    expect(cell(res, 'student', 'kd', 'χ_T')).toBe(16);
    expect(cell(res, 'self', 'pskd', 'χ_T')).toBe('–');
    expect(t.rows.filter((x) => x[0] === 'bond').map((x) => x[3])).toEqual([2, 8]);
    expect(cell(res, 'student', 'kd', 'χ (training)')).toBe('no cap');
  });

  it('kd-transfer and pseudo rows (which record χ_T null) show the teacher\'s cap, or "no cap" for an uncapped teacher, like KD', () => {
    const cfg = syntheticResults({ seeds: 1 }).config;
    const capped = { ...cfg, teacher: { ...cfg.teacher!, model: { ...cfg.teacher!.model, maxBond: 16 } } } as ExperimentResults['config'];
    const open = { ...cfg, teacher: { ...cfg.teacher!, model: { ...cfg.teacher!.model, maxBond: undefined } } } as ExperimentResults['config'];
    for (const method of ['kd-transfer', 'pseudo']) {
      expect(teacherChiCell({ role: 'student', method, chiT: null }, capped)).toBe(16);
      expect(teacherChiCell({ role: 'student', method, chiT: null }, open)).toBe('no cap');
    }
    expect(teacherChiCell({ role: 'student', method: 'kd', chiT: null }, capped)).toBe('no cap'); // a KD run records its χ_T; null is no cap
    expect(teacherChiCell({ role: 'bond', method: 'pseudo', chiT: 4 }, capped)).toBe(4);
    expect(teacherChiCell({ role: 'teacher', method: 'label', chiT: 16 }, capped)).toBe('–');
    expect(teacherChiCell({ role: 'student', method: 'label', chiT: null }, capped)).toBe('–');
    expect(teacherChiCell({ role: 'self', method: 'born-again-g1', chiT: null }, capped)).toBe('–');
  });
});
