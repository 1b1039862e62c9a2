/**
 * The E7 hardware study, `--quick` (a few seconds on one core): a student of MNIST 0 vs 1
 * trained label-only and by KD under 16 and 256 shots and under two-qubit depolarizing rates
 * 0 and 1 (the fully depolarizing channel on every entangled pair, which erases the input).
 * A broken study fails here: the noiseless point must beat chance by far and equal the
 * exact-readout student bit for bit, full depolarization must fall to chance, the arms must
 * differ, shot runs must have run the parameter shift (noisy runs the trajectory adjoint) with a
 * spread over shot seeds, and the report must hold the hardware table and both figures.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { writeReport } from '../../src/experiment/report.js';
import { runExperiment, type RunRecord } from '../../src/experiment/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-e7-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('E7 hardware study (--quick)', () => {
  it('runs, and its numbers are those of a working study', async () => {
    const cfg = resolveConfig(JSON.parse(readFileSync('experiments/e7-hardware.json', 'utf8')), { quick: true });
    const { results, outDir } = await runExperiment(cfg, { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'out') });
    const run = (key: string): RunRecord => {
      const r = results.runs.find((x) => x.key === key);
      expect(r, key).toBeDefined();
      return r!;
    };
    const acc = (r: RunRecord) => r.hardware!.testAccuracyMean;
    for (const m of ['label', 'kd']) {
      const exact = run(`seed-1/student/s4-pca/${m}`);
      const p0 = run(`seed-1/depol2q-0/s4-pca/${m}`);
      const p1 = run(`seed-1/depol2q-1/s4-pca/${m}`);
      // noiseless point: far above chance (0.5), and the exact student bit for bit (adjoint, no sampling)
      expect(p0.hardware!.gradient).toBe('adjoint');
      expect(acc(p0)).toBeGreaterThanOrEqual(0.8);
      expect(p0.history.map((h) => [h.train_loss, h.test_loss, h.test_accuracy])).toEqual(exact.history.map((h) => [h.train_loss, h.test_loss, h.test_accuracy]));
      // full depolarization erases the input: near chance, far below the noiseless point
      expect(p1.hardware!.gradient).toBe('trajectory-adjoint'); // depolarizing only, no shots: 'auto' differentiates realized trajectories
      expect(p1.hardware!.trajectories).toBe(4);
      expect(acc(p1)).toBeLessThan(acc(p0) - 0.2);
      expect(Math.abs(acc(p1) - 0.5)).toBeLessThan(0.15);
      for (const k of [16, 256]) {
        const s = run(`seed-1/shots-${k}/s4-pca/${m}`);
        expect(s.hardware!.gradient).toBe('parameter-shift');
        expect(s.hardware!.shots).toBe(k);
        expect(s.hardware!.testAccuracyRepeats).toHaveLength(3);
        expect(s.hardware!.testAccuracyRepeats[0]).toBe(s.final.test_accuracy);
        expect(acc(s)).toBeGreaterThan(0.6);
      }
    }
    // the arms differ: KD trains on another loss
    expect(run('seed-1/depol2q-0/s4-pca/kd').final.test_loss).not.toBe(run('seed-1/depol2q-0/s4-pca/label').final.test_loss);
    expect(run('seed-1/shots-16/s4-pca/kd').history.map((h) => h.batch_loss)).not.toEqual(run('seed-1/shots-16/s4-pca/label').history.map((h) => h.batch_loss));
    // the report
    const written = await writeReport(results, outDir);
    for (const f of ['hardware-shots.svg', 'hardware-noise.svg']) expect(written.map((w) => w.split('/').pop())).toContain(f);
    const svg = readFileSync(join(outDir, 'hardware-noise.svg'), 'utf8');
    expect(svg).toContain('one seed (n = 1): no error bands'); // the quick run has one seed: no bands, and the figure says so
    expect(svg).toContain('chance (1/2)');
    const table = readFileSync(join(outDir, 'table.md'), 'utf8');
    expect(table).toMatch(/## Hardware: student s4-pca/);
    expect(table).toMatch(/\| 256 shots +\| kd +\| parameter-shift/);
    expect(existsSync(join(outDir, 'results.json'))).toBe(true);
  }, 120_000);
});
