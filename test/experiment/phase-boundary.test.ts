/**
 * The phase-boundary analysis (src/experiment/phase-boundary.ts) on hand-made phase maps whose
 * crossing points are known: logistic probability curves centred at chosen h/J, a step of
 * predicted classes, and a curve that never crosses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { boundaryEstimates, phaseBoundaryFigures, phaseBoundaryTable } from '../../src/experiment/phase-boundary.js';
import type { ExperimentResults, RunRecord } from '../../src/experiment/runner.js';
import { tfimPseudoCriticalPoint } from '../../src/data/transition.js';

const hs = Array.from({ length: 41 }, (_, i) => 0.5 + i * 0.025);

function run(role: RunRecord['role'], name: string, method: string, seed: number, sites: number, curve: (ratio: number, J: number) => number, withProbability = true): RunRecord {
  const params = [1, 2].flatMap((J) => hs.map((r) => ({ J, h: r * J })));
  const p = params.map((q) => curve(q.h / q.J, q.J));
  return {
    key: `seed-${seed}/${role}/${name}/${method}`, seed, role, name, method, chiT: null,
    model: { qubits: sites, ansatz: 'qcnn', layers: 0, maxBond: null, params: 10, features: 0 },
    inputMap: null, history: [], final: { train_accuracy: 1, val_accuracy: 1, test_accuracy: 1, test_loss: 0 },
    teacher: null, epochsToTarget: null, seconds: 1,
    phaseMap: { params, label: params.map((q) => (q.h < q.J ? 0 : 1)), predicted: p.map((v) => (v > 0.5 ? 1 : 0)), ...(withProbability ? { probability: p } : {}) } as RunRecord['phaseMap'],
  };
}
const logistic = (c: number, k = 40) => (x: number) => 1 / (1 + Math.exp(-k * (x - c)));

function results(runs: RunRecord[]): ExperimentResults {
  const config = resolveConfig(JSON.parse(readFileSync('experiments/e5-many-body.json', 'utf8')), { quick: false, file: 'experiments/e5-many-body.json' });
  return { name: 'e5', quick: false, config, configHash: 'x', qdistillVersion: '0', gitCommit: 'x', node: 'v20', startedAt: '', wallSeconds: 0, cpuSeconds: 0, workers: 1, datasets: {}, runs } as ExperimentResults;
}

describe('phase-boundary estimates', () => {
  it('recovers the centre of logistic curves per line of J, with errors against 1 and against h*(n)', () => {
    const res = results([run('teacher', 'teacher', 'label', 1, 64, logistic(0.98)), run('student', 'n8', 'kd', 1, 8, logistic(0.9)), run('student', 'n8', 'label', 1, 8, logistic(0.8))]);
    const es = boundaryEstimates(res);
    expect(es).toHaveLength(6); // 3 runs × 2 lines of J
    const hstar8 = tfimPseudoCriticalPoint(8, 1);
    for (const e of es) {
      const c = e.name === 'teacher' ? 0.98 : e.method === 'kd' ? 0.9 : 0.8;
      expect(e.crossings).toBe(1);
      // linear interpolation of a logistic of slope 40 on a 0.025 grid: within 1e-3 of its centre
      expect(Math.abs(e.ratio! - c)).toBeLessThan(1e-3);
      expect(e.error).toBeCloseTo(e.ratio! - 1, 12);
      if (e.sites === 8) expect(e.errorFiniteSize).toBeCloseTo(e.ratio! - hstar8, 12);
    }
  });

  it('falls back to the predicted classes without probabilities; a curve that never crosses is counted, not dropped', () => {
    const res = results([run('student', 'n8', 'label', 1, 8, logistic(0.89), false), run('student', 'n8', 'label', 2, 8, () => 0.2)]);
    const es = boundaryEstimates(res);
    const step = es.find((e) => e.seed === 1)!;
    // classes flip between the last grid point below 0.9 and the first above: the midpoint
    expect(step.ratio).toBeCloseTo(0.8875, 12);
    const flat = es.filter((e) => e.seed === 2);
    expect(flat.every((e) => e.ratio === null && e.crossings === 0 && e.error === null)).toBe(true);
    const table = phaseBoundaryTable(res).join('\n');
    expect(table).toMatch(/\| 2\/4 +\|/); // 2 of 4 (run, line) pairs never cross
  });

  it('table and figure: one row and one curve per model and method, references marked', async () => {
    const runs = [1, 2, 3].flatMap((s) => [run('teacher', 'teacher', 'label', s, 64, logistic(0.97 + 0.01 * s)), run('student', 'n8', 'kd', s, 8, logistic(0.88 + 0.01 * s)), run('student', 'n8', 'label', s, 8, logistic(0.7 + 0.05 * s))]);
    const res = results(runs);
    const table = phaseBoundaryTable(res).join('\n');
    expect(table).toMatch(/\| teacher \(n = 64\) +\| 0\.990 ± 0\.009 \(n=6\) \|/);
    expect(table).toMatch(/\| n8 \(n = 8\), KD +\| 0\.900 ± 0\.009 \(n=6\) \|/);
    expect(table).toContain(tfimPseudoCriticalPoint(8, 1).toFixed(3));
    const figs = await phaseBoundaryFigures(res);
    expect(figs.map((f) => f.name)).toEqual(['phase-boundary-n8']);
    for (const s of ['teacher (n = 64)', 'n8 (n = 8), KD', 'n8 (n = 8), label-only', 'h/J = 1', 'h*(8)', 'h*(64)']) expect(figs[0]!.svg).toContain(s);
  });

  it('figures: one per student, each with the teacher and only that student; the teacher alone without students', async () => {
    const runs = [1, 2].flatMap((s) => [run('teacher', 'teacher', 'label', s, 64, logistic(0.97)), run('student', 'n8', 'label', s, 8, logistic(0.88)), run('student', 'n12', 'kd', s, 12, logistic(0.9))]);
    const figs = await phaseBoundaryFigures(results(runs));
    expect(figs.map((f) => f.name)).toEqual(['phase-boundary-n8', 'phase-boundary-n12']);
    expect(figs[0]!.svg).toContain('n8 (n = 8), label-only');
    expect(figs[0]!.svg).toContain('h*(8)');
    expect(figs[0]!.svg).not.toContain('n12 (n = 12)');
    expect(figs[0]!.svg).not.toContain('h*(12)');
    expect(figs[1]!.svg).toContain('n12 (n = 12), KD');
    expect(figs.every((f) => f.svg.includes('teacher (n = 64)'))).toBe(true);
    const alone = await phaseBoundaryFigures(results(runs.filter((r) => r.role === 'teacher')));
    expect(alone.map((f) => f.name)).toEqual(['phase-boundary']);
    expect(alone[0]!.svg).not.toContain('h*(8)');
  });

  it("transition table: the gap check measures the teacher's advantage at the transition, not validation accuracy", async () => {
    const { comparisonTables } = await import('../../src/experiment/report.js');
    // every model is perfect on the labelled points (validation accuracy 1), so the accuracy table has no room;
    // at the transition the teacher errs by 0.02 and the label-only student by 0.2 (seed 1) and 0.15 (seed 2): a gap of 0.165
    const runs = [1, 2].flatMap((s) => [run('teacher', 'teacher', 'label', s, 64, logistic(0.98)), run('student', 'n8', 'kd', s, 8, logistic(0.9)), run('student', 'n8', 'label', s, 8, logistic(s === 1 ? 0.8 : 0.85))]);
    const tables = comparisonTables(results(runs));
    const acc = tables.find((t) => t.heading.startsWith('KD against label-only'))!;
    const tr = tables.find((t) => t.heading.startsWith('Transition point'))!;
    expect(acc.statistics[0]!.gap).toEqual({ mean: 0, n: 2 });
    expect(acc.statistics[0]!.roomToDistil).toBe(false);
    expect(tr.headers.slice(-2)).toEqual(['teacher − label-only (−|ĥ/J − 1|)', 'gap check']);
    expect(tr.statistics[0]!.gap!.n).toBe(2);
    expect(tr.statistics[0]!.gap!.mean).toBeCloseTo((0.2 + 0.15) / 2 - 0.02, 2); // crossings within 1e-3 of the centres
    expect(tr.statistics[0]!.roomToDistil).toBe(true);
    expect(tr.rows[0]!.at(-1)).toBe('room to distil');
    expect(tr.note).toContain('"room to distil" at 0.03 or more, "no room to distil" below');
    expect(tr.note).toContain('closer to h/J = 1');
    expect(tr.note).not.toContain('validation accuracy');
    expect(acc.note).toContain("teacher's validation accuracy");
    // a teacher that errs more at the transition than the student leaves no room there
    const worse = [1, 2].flatMap((s) => [run('teacher', 'teacher', 'label', s, 64, logistic(0.7)), run('student', 'n8', 'kd', s, 8, logistic(0.9)), run('student', 'n8', 'label', s, 8, logistic(0.95))]);
    const tw = comparisonTables(results(worse)).find((t) => t.heading.startsWith('Transition point'))!;
    expect(tw.statistics[0]!.gap!.mean).toBeCloseTo(0.05 - 0.3, 2);
    expect(tw.rows[0]!.at(-1)).toBe('no room to distil');
  });

  it('gives nothing for results without phase maps', async () => {
    const res = results([]);
    expect(boundaryEstimates(res)).toEqual([]);
    expect(phaseBoundaryTable(res)).toEqual([]);
    expect(await phaseBoundaryFigures(res)).toEqual([]);
  });
});

describe('experiments/e5-phase-boundary.json --quick', () => {
  it('runs end to end: phase maps with probabilities, the boundary table, the transition comparison and the figure', async () => {
    const { mkdtempSync, rmSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runExperiment } = await import('../../src/experiment/runner.js');
    const dir = mkdtempSync(join(tmpdir(), 'qdistill-e5pb-'));
    try {
      const cfg = resolveConfig(JSON.parse(readFileSync('experiments/e5-phase-boundary.json', 'utf8')), { quick: true, file: 'experiments/e5-phase-boundary.json' });
      const { results, outDir } = await runExperiment(cfg, { workers: 2, resume: false, progress: 'none', quick: true, outDir: join(dir, 'out') });
      const methods = new Set(results.runs.filter((r) => r.role === 'student').map((r) => r.method));
      expect([...methods].sort()).toEqual(['kd-transfer', 'label', 'pseudo']);
      for (const r of results.runs) expect(r.phaseMap!.probability!.length).toBe(11); // all 11 grid points, transfer ones included
      // every run takes the quick budget of optimizer steps, though kd-transfer and pseudo train on 7 samples and label on 2
      // (pinned: a config without a budget would leave both sides undefined)
      expect(cfg.training.steps).toBe(6);
      for (const r of results.runs) expect([r.key, r.steps, r.history.at(-1)!.steps]).toEqual([r.key, 6, 6]);
      expect(results.runs.find((r) => r.method === 'label' && r.role === 'student')!.history).toHaveLength(6);
      expect(results.runs.find((r) => r.method === 'kd-transfer')!.history).toHaveLength(3);
      const { writeReport } = await import('../../src/experiment/report.js');
      await writeReport(results, outDir);
      const table = readFileSync(join(outDir, 'table.md'), 'utf8');
      expect(table).toContain('## Phase boundary: where each model puts the transition');
      expect(table).toContain('## Transition point: distillation against label-only training');
      expect(existsSync(join(outDir, 'phase-boundary-n8.svg'))).toBe(true);
      expect(boundaryEstimates(results).length).toBe(results.runs.length);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }, 300_000);
});
