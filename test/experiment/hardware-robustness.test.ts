/**
 * The robustness table of the hardware report on hand-made results whose numbers are known:
 * each arm's accuracy at a point minus its own exact-readout student of the same seed, label-only's
 * loss minus KD's, paired by seed, Holm across the points; the depolarizing P = 0 point
 * (the exact path, Δ = 0 by construction) is left out.
 */
import { describe, expect, it } from 'vitest';
import { hardwareComparisons } from '../../src/experiment/hardware-report.js';
import type { ExperimentResults, RunRecord } from '../../src/experiment/runner.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

function rec(seed: number, role: RunRecord['role'], method: string, test: number, point?: string): RunRecord {
  return {
    key: `seed-${seed}/${point ?? role}/s4/${method}`, seed, role, name: role === 'teacher' ? 'teacher' : 's4', method, chiT: null,
    model: { qubits: 4, ansatz: 'ry', layers: 1, maxBond: null, params: 4, features: 4 }, inputMap: null, history: [],
    final: { train_accuracy: null, val_accuracy: test, test_accuracy: test, test_loss: null }, teacher: null, epochsToTarget: null, phaseMap: null, seconds: 1,
    ...(point ? { hardware: { point, shots: point.startsWith('shots') ? 16 : null, noise: null, trajectories: null, gradient: point === 'depol2q-0' ? 'adjoint' as const : 'parameter-shift' as const, testAccuracyRepeats: [test], testAccuracyMean: test, testAccuracyStd: 0 } } : {}),
  };
}

describe('hardware report: robustness (accuracy lost against the exact-readout student, KD − label)', () => {
  // per seed: exact label / kd, 16 shots label / kd, depolarizing 0 label / kd
  const exact = { label: [0.80, 0.82, 0.78, 0.81], kd: [0.75, 0.77, 0.79, 0.74] };
  const shots = { label: [0.70, 0.75, 0.70, 0.72], kd: [0.72, 0.73, 0.75, 0.70] };
  const seeds = [1, 2, 3, 4];
  const runs: RunRecord[] = seeds.flatMap((s, i) => [
    rec(s, 'teacher', 'label', 0.9),
    rec(s, 'student', 'label', exact.label[i]!), rec(s, 'student', 'kd', exact.kd[i]!),
    rec(s, 'hardware', 'label', shots.label[i]!, 'shots-16'), rec(s, 'hardware', 'kd', shots.kd[i]!, 'shots-16'),
    rec(s, 'hardware', 'label', exact.label[i]!, 'depol2q-0'), rec(s, 'hardware', 'kd', exact.kd[i]!, 'depol2q-0'),
  ]);
  const base = syntheticResults({ seeds: 1 });
  const res: ExperimentResults = { ...base, runs, config: { ...base.config, seeds, hardwareSweep: { student: 's4', shots: [16], depolarizing2q: [0], trajectories: 4, evalRepeats: 1 } } as ExperimentResults['config'] };

  it('KD − label per point, then the robustness table with hand-computed losses', () => {
    const [kd, robust] = hardwareComparisons(res);
    expect(kd!.statistics.map((s) => s.label)).toEqual(['16 shots', 'depolarizing P₂ = 0']);
    // 16 shots: KD − label = +0.02, −0.02, +0.05, −0.02
    expect(kd!.statistics[0]!.meanDiff).toBeCloseTo((0.02 - 0.02 + 0.05 - 0.02) / 4, 12);
    // robustness at 16 shots: (kd − kd_exact) − (label − label_exact)
    // seed 1: (−0.03) − (−0.10) = +0.07; seed 2: (−0.04) − (−0.07) = +0.03; seed 3: (−0.04) − (−0.08) = +0.04; seed 4: (−0.04) − (−0.09) = +0.05
    expect(robust!.statistics.map((s) => s.label)).toEqual(['16 shots']);
    const r = robust!.statistics[0]!;
    expect(r.n).toBe(4);
    expect(r.meanDiff).toBeCloseTo((0.07 + 0.03 + 0.04 + 0.05) / 4, 12);
    expect(r.aBetter).toBe(4);
    // t = mean / (sd / √n) with sd of [0.07, 0.03, 0.04, 0.05] = 0.0170783
    expect(r.t!).toBeCloseTo(0.0475 / (0.01707825127659933 / 2), 6);
    expect(r.gap).toBeNull();
    // the heading states the sign the numbers have: here KD loses less and Δ > 0
    expect(robust!.heading).toContain("Δ = label-only's loss − KD's loss; Δ > 0: KD loses less");
    const lossLabel = (0.10 + 0.07 + 0.08 + 0.09) / 4, lossKd = (0.03 + 0.04 + 0.04 + 0.04) / 4;
    expect(r.meanDiff).toBeCloseTo(lossLabel - lossKd, 12);
    // no gap in the robustness table: its gap-check columns are left out; KD's table keeps them
    expect(robust!.headers).not.toContain('gap check');
    expect(robust!.rows[0]).toHaveLength(robust!.headers.length);
    expect(kd!.headers.slice(-2)).toEqual(['teacher − label-only (val)', 'gap check']);
    expect(kd!.rows[0]).toHaveLength(kd!.headers.length);
    // and the note under each table explains the gap check only where the columns are printed
    expect(robust!.note).not.toContain('gap check');
    expect(robust!.note).toContain('Holm corrects');
    expect(kd!.note).toContain('The gap check is');
  });

  it('no sweep runs: no tables', () => {
    expect(hardwareComparisons({ ...res, runs: runs.filter((x) => x.role !== 'hardware') })).toEqual([]);
  });
});
