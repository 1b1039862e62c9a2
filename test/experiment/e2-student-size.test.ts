/**
 * The student-size study (E2b), `--quick` (about ten seconds on one core): a 64-qubit teacher
 * and a 2 × 2 grid of students (2, 4 qubits × 1, 2 layers), label-only and KD, two seeds. The
 * report is checked against the results it was built from, recomputed here without the
 * report's code: the smallest student per method from the final test accuracies, parameters
 * and flops in `results.json`; each run's steps to the validation target from its
 * `val_steps` (reached or censored); the Kaplan–Meier median by the product-limit rule; the
 * cost to target by replaying the minibatches; and the figure's target line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { writeReport } from '../../src/experiment/report.js';
import { runExperiment, type ExperimentResults, type RunRecord } from '../../src/experiment/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-e2-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Product-limit median of right-censored times: the first event time where S drops to ≤ 1/2. */
function kmMedian(obs: { time: number; event: boolean }[]): number | null {
  let s = 1;
  for (const t of [...new Set(obs.map((o) => o.time))].sort((a, b) => a - b)) {
    const atRisk = obs.filter((o) => o.time >= t).length;
    const d = obs.filter((o) => o.time === t && o.event).length;
    s *= 1 - d / atRisk;
    if (d > 0 && s <= 0.5 + 1e-12) return t;
  }
  return null;
}

/** Samples a run has trained on after `step` optimizer steps, minibatch by minibatch. */
function samplesReplayed(n: number, batch: number, step: number): number {
  const sizes: number[] = [];
  for (let i = 0; i < n; i += batch) sizes.push(Math.min(batch, n - i));
  let seen = 0;
  for (let k = 0; k < step; k++) seen += sizes[k % sizes.length]!;
  return seen;
}

describe('E2b student-size study (--quick)', () => {
  it('runs the grid, and its report agrees with the results recomputed independently', async () => {
    const cfg = resolveConfig(JSON.parse(readFileSync('experiments/e2-student-size.json', 'utf8')), { quick: true });
    const quickSteps = cfg.training.steps!;
    expect(quickSteps).toBe(18); // 3 epochs of the 48 quick samples in batches of 8, as the checks below assume
    const { results, outDir } = await runExperiment(cfg, { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'out') });
    await writeReport(results, outDir);
    const res = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as ExperimentResults;
    const stats = JSON.parse(readFileSync(join(outDir, 'statistics.json'), 'utf8')) as { studentSize: { targetTest: number; methods: { method: string; smallest: { name: string } | null; candidates: { name: string; steps: { runs: { seed: string; time: number; event: boolean }[]; median: number | null }; totalCost: { runs: { time: number }[] } | null }[] }[] } };
    const size = stats.studentSize;
    const grid = ['q2-l1', 'q2-l2', 'q4-l1', 'q4-l2'];

    // the sweep ran every grid student with every method, every seed, under readable ids
    for (const seed of [1, 2]) for (const name of grid) for (const m of ['label', 'kd']) expect(res.runs.some((r) => r.key === `seed-${seed}/student/${name}/${m}`), `${seed} ${name} ${m}`).toBe(true);
    const student = (name: string, m: string) => res.runs.filter((r) => r.role === 'student' && r.name === name && r.method === m);
    for (const name of grid) {
      const r = student(name, 'label')[0]!;
      expect(`q${r.model.qubits}-l${r.model.layers}`).toBe(name);
      expect(r.cost!.forwardFlops).toBeGreaterThan(0);
      expect(r.cost!.steps).toBe(quickSteps); // the config's quick step budget
    }
    // more qubits or more layers cost more per forward pass (the engine's flop count)
    const fwd = (n: string) => student(n, 'label')[0]!.cost!.forwardFlops!;
    expect(fwd('q2-l2')).toBeGreaterThan(fwd('q2-l1'));
    expect(fwd('q4-l1')).toBeGreaterThan(fwd('q2-l1'));
    expect(fwd('q4-l2')).toBeGreaterThan(fwd('q4-l1'));

    // the smallest student per method, recomputed from results.json
    const teacher = res.runs.filter((r) => r.role === 'teacher');
    const target = 0.8 * mean(teacher.map((r) => r.final.test_accuracy!));
    const targetVal = 0.8 * mean(teacher.map((r) => r.final.val_accuracy!));
    expect(size.targetTest).toBeCloseTo(target, 12);
    const table = readFileSync(join(outDir, 'table.md'), 'utf8');
    let selected = 0, censored = 0;
    for (const m of ['label', 'kd']) {
      const rows = grid.map((name) => {
        const rs = student(name, m);
        return { name, rs, acc: mean(rs.map((r) => r.final.test_accuracy!)), params: rs[0]!.model.params, flops: mean(rs.map((r) => r.cost!.forwardFlops!)), q: rs[0]!.model.qubits, l: rs[0]!.model.layers };
      });
      const reaching = rows.filter((r) => r.acc >= target).sort((a, b) => a.params - b.params || a.flops - b.flops || a.q - b.q || a.l - b.l);
      const got = size.methods.find((x) => x.method === m)!;
      expect(got.smallest?.name ?? null, m).toBe(reaching[0]?.name ?? null);
      if (reaching[0]) selected++;
      else expect(table).toContain(`none reaches 80% of the teacher's test accuracy (${target.toFixed(3)})`);
      for (const row of rows) {
        // steps to the validation target per run, reached or censored at the last validation
        const obs = row.rs.map((r: RunRecord) => {
          const pts = r.history.flatMap((h) => h.val_steps!);
          expect(pts.map((p) => p.step)).toEqual(Array.from({ length: 9 }, (_, k) => 2 * (k + 1))); // validateEvery 2, 18 steps
          const hit = pts.find((p) => p.val_accuracy >= targetVal);
          return { seed: String(r.seed), time: hit ? hit.step : pts.at(-1)!.step, event: hit !== undefined };
        });
        censored += obs.filter((o) => !o.event).length;
        const c = got.candidates.find((x) => x.name === row.name)!;
        expect(c.steps.runs, `${m} ${row.name}`).toEqual(obs);
        expect(c.steps.median).toBe(kmMedian(obs));
        // total cost per run: the student's samples to its time × its gradient flops, plus for KD the teacher's training and soft labels
        const totals = row.rs.map((r, k) => {
          const own = samplesReplayed(r.cost!.nTrain, r.cost!.batchSize, obs[k]!.time) * r.cost!.gradientFlops!;
          if (m !== 'kd') return own;
          const t = teacher.find((x) => String(x.seed) === String(r.seed))!.cost!;
          return own + samplesReplayed(t.nTrain, t.batchSize, t.steps) * t.gradientFlops! + r.cost!.nTrain * t.forwardFlops!;
        });
        c.totalCost!.runs.forEach((x, k) => expect(x.time).toBeCloseTo(totals[k]!, 6));
      }
    }
    // the quick config is set so that both a selection and a censored run happen
    expect(selected).toBeGreaterThan(0);
    expect(censored).toBeGreaterThan(0);
    expect(table).toContain("## Student size: the smallest student reaching 80% of the teacher's test accuracy, per method");
    expect(table).toContain('teacher cost counted');
    // the figure: every method, the target line at its value
    const svg = readFileSync(join(outDir, 'student-size.svg'), 'utf8');
    expect(svg).toContain(`80% of the teacher (${target.toFixed(3)})`);
    // one line per method and qubit count (the quick grid's 2 and 4 qubits)
    for (const m of ['label', 'kd']) for (const q of [2, 4]) expect(svg).toContain(`>${m}, ${q} qubits<`);
  }, 180_000);
});
