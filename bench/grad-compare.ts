/**
 * Lever comparison for the MPS adjoint gradient: this build against a baseline build of another
 * commit (its `dist` folder), interleaved repetition by repetition so that both see the same
 * load, and both against the parameter shift of the truncated simulation on a subset of the
 * parameters (the K/2 largest gradients of the baseline and K/2 spread over the rest).
 * Brickwork RY-CZ L = 8, cutoff 1e-10.
 *
 * Prints per case: the median of new/old time, the new and old gradient/forward flop ratios, and
 * max |adjoint − parameter shift| with the relative norm ‖adjoint − PS‖/‖PS‖ for old and new.
 *
 * Run: npm run build && node dist/bench/grad-compare.js --baseline <dist of the baseline>
 *   [--n 64] [--chi 16,32,64] [--obs local,global] [--reps 3] [--k 16]
 *   [--backward-cutoff x] [--backward-max-bond k] [--no-light-cone] [--adaptive-cutoff f|false]
 *   [--ref-chi R]
 * With --ref-chi, a near-exact reference (this build's conservative backward pass at χ = R,
 * cutoff 1e-12) adds max |x − ref| over all parameters for old and new, and over the subset for
 * the parameter shift: the truncated parameter shift is itself an approximation.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as NEW from '../mps/index.js';
import type { Circuit, PauliSum, TruncationOptions } from '../mps/index.js';
import { parsePauliSum } from '../mps/pauli-parse.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' }, n: { type: 'string', default: '64' }, chi: { type: 'string', default: '16,32,64' },
    obs: { type: 'string', default: 'local,global' }, reps: { type: 'string', default: '3' }, k: { type: 'string', default: '16' },
    'backward-cutoff': { type: 'string' }, 'backward-max-bond': { type: 'string' },
    'no-light-cone': { type: 'boolean', default: false }, 'adaptive-cutoff': { type: 'string' }, 'ref-chi': { type: 'string' },
  },
});
if (!values.baseline) throw new Error('--baseline: the dist folder of the baseline build is required');
const OLD = (await import(pathToFileURL(resolve(values.baseline, 'mps/index.js')).href)) as typeof NEW;
const backward: Partial<TruncationOptions> = {};
if (values['backward-cutoff'] !== undefined) backward.cutoff = Number(values['backward-cutoff']);
if (values['backward-max-bond'] !== undefined) backward.maxBond = Number(values['backward-max-bond']);
const extra: NEW.AdjointOptions = { backward };
if (values['no-light-cone']) extra.lightCone = false;
if (values['adaptive-cutoff'] !== undefined) extra.adaptiveCutoff = values['adaptive-cutoff'] === 'false' ? false : Number(values['adaptive-cutoff']);
const L = 8, reps = Number(values.reps), K = Number(values.k);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const norm = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

function shifted(c: Circuit, i: number, d: number): Circuit {
  return { n: c.n, ops: c.ops.map((o, k) => (k === i ? { ...o, params: [o.params[0]! + d] } : o)) };
}

console.log(`adjoint gradient, this build (${JSON.stringify(extra)}) vs ${values.baseline}`);
const refChi = values['ref-chi'] === undefined ? 0 : Number(values['ref-chi']);
console.log(`| n | obs | χ | new/old time | new flops/fwd | old flops/fwd | old max|Δ_PS| | new max|Δ_PS| | old rel | new rel |${refChi ? ` PS max|Δ_ref| (subset) | old max|Δ_ref| | new max|Δ_ref| |` : ''}`);
console.log(`|---|---|---|---|---|---|---|---|---|---|${refChi ? '---|---|---|' : ''}`);
for (const n of values.n.split(',').map(Number)) {
  const c = brickworkCircuit(n, L, 1234);
  for (const kind of values.obs.split(',')) {
    const M: PauliSum = kind === 'local' ? parsePauliSum(`Z${n / 2 - 1} + 0.5*Z${n / 2}`, n) : parsePauliSum(Array.from({ length: n }, (_, i) => `Z${i}`).join(' + '), n);
    for (const chi of values.chi.split(',').map(Number)) {
      const opts = { maxBond: chi, cutoff: 1e-10 };
      const ref = OLD.adjointGradientMps(OLD.Mps.zeros(n), c, M, opts);
      const trainable = c.ops.map((o, i) => (o.params.length ? i : -1)).filter((i) => i >= 0);
      const big = trainable.slice().sort((a, b) => Math.abs(ref.gateGradients[b]![0]!) - Math.abs(ref.gateGradients[a]![0]!)).slice(0, K / 2);
      const rest = trainable.filter((i) => !big.includes(i));
      const sub = [...big, ...Array.from({ length: K - big.length }, (_, j) => rest[Math.floor(((j + 0.5) * rest.length) / (K - big.length))]!)];
      const f = (cc: Circuit) => { const p = NEW.Mps.zeros(n); NEW.runCircuitInPlace(p, cc, opts); return NEW.expectPauliSum(p, M); };
      const ps = sub.map((i) => (f(shifted(c, i, Math.PI / 2)) - f(shifted(c, i, -Math.PI / 2))) / 2);
      const ratios: number[] = [];
      let fo = 0, fn = 0, ff = 0;
      let go: number[] = [], gn: number[] = [];
      let allOld: Float64Array[] = [], allNew: Float64Array[] = [];
      for (let r = 0; r <= reps; r++) {
        NEW.flopCounter.flops = 0;
        const p = NEW.Mps.zeros(n); NEW.runCircuitInPlace(p, c, opts); NEW.expectPauliSum(p, M);
        ff = NEW.flopCounter.flops;
        OLD.flopCounter.flops = 0;
        let t = performance.now();
        const ro = OLD.adjointGradientMps(OLD.Mps.zeros(n), c, M, opts);
        const to = performance.now() - t;
        fo = OLD.flopCounter.flops;
        NEW.flopCounter.flops = 0;
        t = performance.now();
        const rn = NEW.adjointGradientMps(NEW.Mps.zeros(n), c, M, opts, extra);
        const tn = performance.now() - t;
        fn = NEW.flopCounter.flops;
        if (r > 0 || reps === 0) ratios.push(tn / to);
        allOld = ro.gateGradients; allNew = rn.gateGradients;
        go = sub.map((i) => ro.gateGradients[i]![0]!);
        gn = sub.map((i) => rn.gateGradients[i]![0]!);
      }
      const dOld = go.map((x, k) => x - ps[k]!), dNew = gn.map((x, k) => x - ps[k]!);
      const mx = (a: number[]) => Math.max(...a.map(Math.abs)).toExponential(2);
      let extraCols = '';
      if (refChi) {
        const rg = NEW.adjointGradientMps(NEW.Mps.zeros(n), c, M, { maxBond: refChi, cutoff: 1e-12 }, { lightCone: false, adaptiveCutoff: false }).gateGradients;
        const offAll = (g: Float64Array[]) => mx(trainable.map((i) => g[i]![0]! - rg[i]![0]!));
        extraCols = ` ${mx(ps.map((x, k) => x - rg[sub[k]!]![0]!))} | ${offAll(allOld)} | ${offAll(allNew)} |`;
      }
      console.log(`| ${n} | ${kind} | ${chi} | ${median(ratios).toFixed(2)} | ${(fn / ff).toFixed(2)} | ${(fo / ff).toFixed(2)} | ${mx(dOld)} | ${mx(dNew)} | ${(norm(dOld) / norm(ps)).toExponential(2)} | ${(norm(dNew) / norm(ps)).toExponential(2)} |${extraCols}`);
    }
  }
}
