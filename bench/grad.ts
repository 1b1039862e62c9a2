/**
 * Gradient benchmark (issue: QNN models and the adjoint gradient): brickwork RY-CZ with
 * n = 64, L = 8 (512 parameters) at χ = 32 and 64, cutoff 1e-10. Reports the time of one
 * forward pass (+ the readout), of the MPS adjoint gradient, their ratio (target ≤ 4), and the
 * parameter-shift cost, estimated from 2P forward passes (P = number of parameters).
 *
 * Run: npm run build && node dist/bench/grad.js [--n 64] [--L 8] [--chi 32,64] [--reps 3]
 */
import { parseArgs } from 'node:util';
import { adjointGradientMps, expectPauliSum, Mps, runCircuitInPlace } from '../mps/index.js';
import { parsePauliSum } from '../mps/pauli-parse.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '64' }, L: { type: 'string', default: '8' }, chi: { type: 'string', default: '32,64' }, reps: { type: 'string', default: '3' } } });
const n = Number(values.n), L = Number(values.L), reps = Number(values.reps);
const circuit = brickworkCircuit(n, L, 1234);
const P = circuit.ops.filter((o) => o.params.length > 0).length;
const M = parsePauliSum(`Z${n / 2 - 1} + 0.5*Z${n / 2}`, n);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`MPS adjoint gradient, brickwork RY-CZ n=${n} L=${L} (${P} parameters), observable Z${n / 2 - 1} + 0.5 Z${n / 2}, cutoff 1e-10`);
console.log('| χ | forward ms | gradient ms | gradient / forward | parameter shift (2P forwards) / forward | F estimate |');
console.log('|---|---|---|---|---|---|');
for (const chi of values.chi.split(',').map(Number)) {
  const opts = { maxBond: chi, cutoff: 1e-10 };
  const fwd: number[] = [], grad: number[] = [];
  let fid = 1;
  for (let r = 0; r <= reps; r++) {
    let t = performance.now();
    const psi = Mps.zeros(n);
    runCircuitInPlace(psi, circuit, opts);
    expectPauliSum(psi, M);
    const tf = performance.now() - t;
    t = performance.now();
    const res = adjointGradientMps(Mps.zeros(n), circuit, M, opts);
    const tg = performance.now() - t;
    fid = res.report.fidelityEstimate;
    if (r > 0 || reps === 0) { fwd.push(tf); grad.push(tg); }
  }
  const f = median(fwd), g = median(grad);
  console.log(`| ${chi} | ${f.toFixed(0)} | ${g.toFixed(0)} | ${(g / f).toFixed(2)} | ${2 * P} | ${fid.toFixed(9)} |`);
}
