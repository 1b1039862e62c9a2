/**
 * A figure's band caption names the sample size behind its bands; where points rest on different
 * numbers of runs (a seed's run missing at one point) it gives their range, not the largest: the
 * phase-boundary curves (E5) and the hardware sweep (E7), on hand-made results.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { hardwareFigures } from '../../src/experiment/hardware-report.js';
import { phaseBoundaryFigures } from '../../src/experiment/phase-boundary.js';
import type { ExperimentResults, RunRecord } from '../../src/experiment/runner.js';

const hs = Array.from({ length: 21 }, (_, i) => 0.5 + i * 0.05);
const logistic = (c: number) => (x: number) => 1 / (1 + Math.exp(-40 * (x - c)));

function base(role: RunRecord['role'], name: string, method: string, seed: number): RunRecord {
  return {
    key: `seed-${seed}/${role}/${name}/${method}`, seed, role, name, method, chiT: null,
    model: { qubits: 8, ansatz: 'qcnn', layers: 0, maxBond: null, params: 10, features: 0 },
    inputMap: null, history: [], final: { train_accuracy: 1, val_accuracy: 1, test_accuracy: 0.9, test_loss: 0 },
    teacher: null, epochsToTarget: null, seconds: 1,
  } as unknown as RunRecord;
}

function phaseRun(role: RunRecord['role'], name: string, method: string, seed: number, centre: number): RunRecord {
  const params = hs.map((r) => ({ J: 1, h: r }));
  const p = params.map((q) => logistic(centre + 0.01 * seed)(q.h));
  return { ...base(role, name, method, seed), phaseMap: { params, label: params.map((q) => (q.h < q.J ? 0 : 1)), predicted: p.map((v) => (v > 0.5 ? 1 : 0)), probability: p } } as RunRecord;
}

function results(file: string, runs: RunRecord[]): ExperimentResults {
  const config = resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { quick: false, file });
  return { name: 'study', quick: false, config, configHash: 'x', qdistillVersion: '0', gitCommit: 'x', node: 'v20', startedAt: '', wallSeconds: 0, cpuSeconds: 0, workers: 1, datasets: {}, runs } as ExperimentResults;
}

const subtitleOf = (svg: string) => [...svg.matchAll(/aria-roledescription="subtitle" aria-label="Subtitle text '([^']*)'/g)].map((m) => m[1]);

describe('band captions give the range of n when points differ', () => {
  it('phase boundary: teacher on 3 seeds, student on 2: "n = 2–3 runs"; all on 3: "n = 3 runs"', async () => {
    const teacher = [1, 2, 3].map((s) => phaseRun('teacher', 'teacher', 'label', s, 0.98));
    const student = (seeds: number[]) => seeds.map((s) => phaseRun('student', 'n8', 'label', s, 0.9));
    const [uneven] = await phaseBoundaryFigures(results('experiments/e5-many-body.json', [...teacher, ...student([1, 2])]));
    expect(uneven!.svg).toContain('bands: mean ± 1 std over n = 2–3 runs');
    const [even] = await phaseBoundaryFigures(results('experiments/e5-many-body.json', [...teacher, ...student([1, 2, 3])]));
    expect(even!.svg).toContain('bands: mean ± 1 std over n = 3 runs');
  });

  it('hardware sweep: a point missing one seed\'s run: "n = 2–3 seeds" in the subtitle and the band caption', async () => {
    const hw = (point: string, method: string, seed: number, acc: number): RunRecord => ({ ...base('hardware', 's4-pca', method, seed), key: `seed-${seed}/${point}/s4-pca/${method}`, hardware: { point, testAccuracyMean: acc } } as unknown as RunRecord);
    const runs = [1, 2, 3].flatMap((s) => ['label', 'kd'].flatMap((m) => ['shots-16', 'shots-256']
      .filter((p) => !(s === 3 && p === 'shots-256' && m === 'kd'))
      .map((p) => hw(p, m, s, 0.7 + 0.01 * s + (m === 'kd' ? 0.02 : 0)))));
    const figs = await hardwareFigures(results('experiments/e7-hardware.json', runs), { y: 0.5, label: 'chance (1/2)' });
    const shots = figs.find((f) => f.name === 'hardware-shots')!;
    expect(subtitleOf(shots.svg).join(' | ')).toContain('mean over n = 2–3 seeds');
    expect(shots.svg).toContain('bands: mean ± 1 std over n = 2–3 seeds');
  });
});
