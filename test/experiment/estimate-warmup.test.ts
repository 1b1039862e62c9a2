/**
 * The cost model's per-call timings of a model are the per-call times of a long series of calls
 * (what a training run makes), not of a cold model: the class of models of the shipped configs,
 * from 4 to 16 qubits, product and ground-state (MPS) inputs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRng, Mps } from '../../mps/index.js';
import { resolveConfig, type ModelConfig } from '../../src/experiment/config.js';
import { modelSpec } from '../../src/experiment/build.js';
import { measureModel } from '../../src/experiment/estimate.js';
import { QnnModel } from '../../src/qnn/model.js';

const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const config = (file: string) => resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { quick: true, file });
const demo = config('experiments/demo.json');
const e5 = config('experiments/e5-many-body.json');

describe('measureModel times warmed-up models', () => {
  it.each([
    ['demo teacher (16 qubits, χ 16)', demo.teacher!.model, 16, 4],
    ['demo student (4 qubits)', demo.students[0]!.model, 4, 4],
    ['e5 n8 student (ground-state input)', e5.students.find((s) => s.name === 'n8')!.model, 0, 2],
  ] as [string, ModelConfig, number, number][])('%s: within 3× of the per-call time of calls 61–160 (fastest batch of 10)', (_name, m, features, classes) => {
    // the reference: a fresh model of the same spec, called 160 times; calls 61–160 in 10
    // batches of 10, the fastest batch's mean per call (the estimator's own statistic: a single
    // call of about a millisecond carries the garbage collector's background threads and the
    // CPU clock's granularity, which a median of single calls does not average out)
    const ref = new QnnModel(modelSpec(m, features, classes));
    const params = ref.initParams(makeRng('estimate'));
    const rng = makeRng('reference:x');
    const x = ref.spec.encoding.type === 'mps' ? Mps.zeros(ref.spec.qubits) : Float64Array.from({ length: ref.spec.features }, () => rng());
    const zero = new Float64Array(ref.spec.classes);
    const series = (fn: () => void) => {
      for (let i = 0; i < 60; i++) fn();
      let best = Infinity;
      for (let b = 0; b < 10; b++) {
        const c = cpuNow();
        for (let i = 0; i < 10; i++) fn();
        best = Math.min(best, (cpuNow() - c) / 10);
      }
      return best;
    };
    const fwd = series(() => { ref.forward(params, x, 'estimate'); });
    const grad = series(() => { ref.forwardBackward(params, x, () => ({ loss: 0, grad: zero }), 'estimate'); });
    // 3×: timings of sub-millisecond to few-millisecond calls on a 2-core machine spread by up to
    // 2.6× between runs (seen in CI), and one estimate in a few lands just outside (3.05× seen on
    // an idle machine); a cold model is what this must catch, and it is slow every time: the demo
    // teacher's first two gradient calls took 12.8× its warmed time, calls 3–10 4.0×. So the
    // estimate, each time on a fresh model, gets up to three tries to land within the band.
    const within = (e: number, r: number) => e > r / 3 && e < r * 3;
    const tries: { fwd: number; grad: number }[] = [];
    for (let t = 0; t < 3; t++) {
      const est = measureModel(new QnnModel(modelSpec(m, features, classes)), 40, 1000);
      tries.push(est);
      console.log(`${_name}: estimate fwd ${(est.fwd * 1e3).toFixed(3)} ms, grad ${(est.grad * 1e3).toFixed(3)} ms; series fastest batch fwd ${(fwd * 1e3).toFixed(3)} ms, grad ${(grad * 1e3).toFixed(3)} ms`);
      if (within(est.fwd, fwd) && within(est.grad, grad)) break;
    }
    const last = tries.at(-1)!;
    for (const [e, r] of [[last.fwd, fwd], [last.grad, grad]] as const) {
      expect(e).toBeGreaterThan(r / 3);
      expect(e).toBeLessThan(r * 3);
    }
  });
});
