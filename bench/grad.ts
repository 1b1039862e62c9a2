/**
 * Gradient benchmark: brickwork RY-CZ at L = 8 on n = 64 and 128 qubits, χ = 16, 32, 64, cutoff
 * 1e-10, for a local readout (Z_{n/2−1} + 0.5 Z_{n/2}) and the global Σ_i Z_i. Each repetition
 * times one forward pass with the readout (runCircuitInPlace + expectPauliSum) and the MPS
 * adjoint gradient (adjointGradientMps) back to back, so the ratio of a repetition is measured
 * under the same load; the table gives the medians. GFLOP/s is the nominal flop count (flops.ts)
 * over wall time; "flops ratio" is the load-independent cost ratio. λ ε is the backward pass's
 * summed discarded weight (its own report).
 *
 * Run: npm run build && node dist/bench/grad.js [--n 64,128] [--L 8] [--chi 16,32,64]
 *   [--obs local,global] [--reps 3] [--backward-cutoff x] [--backward-max-bond k]
 */
import { parseArgs } from 'node:util';
import { adjointGradientMps, expectPauliSum, flopCounter, Mps, runCircuitInPlace, type PauliSum, type TruncationOptions } from '../mps/index.js';
import { parsePauliSum } from '../mps/pauli-parse.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '64,128' }, L: { type: 'string', default: '8' }, chi: { type: 'string', default: '16,32,64' },
    obs: { type: 'string', default: 'local,global' }, reps: { type: 'string', default: '3' },
    'backward-cutoff': { type: 'string' }, 'backward-max-bond': { type: 'string' },
  },
});
const list = (s: string) => s.split(',').map(Number);
const L = Number(values.L), reps = Number(values.reps);
const backward: Partial<TruncationOptions> = {};
if (values['backward-cutoff'] !== undefined) backward.cutoff = Number(values['backward-cutoff']);
if (values['backward-max-bond'] !== undefined) backward.maxBond = Number(values['backward-max-bond']);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function observable(kind: string, n: number): { label: string; M: PauliSum } {
  if (kind === 'local') return { label: `Z${n / 2 - 1} + 0.5 Z${n / 2}`, M: parsePauliSum(`Z${n / 2 - 1} + 0.5*Z${n / 2}`, n) };
  if (kind === 'global') return { label: 'Σ_i Z_i', M: parsePauliSum(Array.from({ length: n }, (_, i) => `Z${i}`).join(' + '), n) };
  throw new Error(`--obs: unknown observable '${kind}'; allowed: local, global`);
}

console.log(`MPS adjoint gradient vs forward pass, brickwork RY-CZ L=${L}, cutoff 1e-10${Object.keys(backward).length ? `, backward ${JSON.stringify(backward)}` : ''}`);
console.log('| n | observable | χ | forward ms | gradient ms | gradient / forward | flops ratio | gradient GFLOP/s | F estimate | λ bond | λ ε |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const n of list(values.n)) {
  const circuit = brickworkCircuit(n, L, 1234);
  for (const kind of values.obs.split(',')) {
    const { label, M } = observable(kind, n);
    for (const chi of list(values.chi)) {
      const opts = { maxBond: chi, cutoff: 1e-10 };
      const fwd: number[] = [], grad: number[] = [], ratio: number[] = [];
      let ff = 0, fg = 0, res = null;
      for (let r = 0; r <= reps; r++) {
        flopCounter.flops = 0;
        let t = performance.now();
        const psi = Mps.zeros(n);
        runCircuitInPlace(psi, circuit, opts);
        expectPauliSum(psi, M);
        const tf = performance.now() - t;
        ff = flopCounter.flops;
        flopCounter.flops = 0;
        t = performance.now();
        res = adjointGradientMps(Mps.zeros(n), circuit, M, opts, { backward });
        const tg = performance.now() - t;
        fg = flopCounter.flops;
        if (r > 0 || reps === 0) { fwd.push(tf); grad.push(tg); ratio.push(tg / tf); }
      }
      const g = median(grad);
      const b = res!.backwardReport;
      console.log(`| ${n} | ${label} | ${chi} | ${median(fwd).toFixed(0)} | ${g.toFixed(0)} | ${median(ratio).toFixed(2)} | ${(fg / ff).toFixed(2)} | ${(fg / g / 1e6).toFixed(2)} | ${res!.report.fidelityEstimate.toFixed(9)} | ${b.bondReached} | ${b.discardedWeight.toExponential(1)} |`);
    }
  }
}
