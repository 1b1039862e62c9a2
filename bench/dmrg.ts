/**
 * DMRG benchmark (issue: many-body quantum data): open TFIM, −J Σ Z Z − h Σ X, at h = J
 * (critical) and h = 0.5·J, for n ∈ {32, 64, 128} and χ ∈ {16, 32, 64}, cutoff 1e-12, random
 * product start, default sweeps (stop at |ΔE| < 1e-10). Prints wall time, sweeps, bond
 * reached and the relative energy error against the free-fermion closed form
 * (E0 = −Σ_k Λ_k, Λ_k the singular values of the bidiagonal h/J matrix; Pfeuty 1970).
 *
 * Run: npm run build && node dist/bench/dmrg.js [--n 32,64,128] [--chi 16,32,64] [--h 1,0.5]
 */
import { parseArgs } from 'node:util';
import { dmrg, modelHamiltonian } from '../mps/dmrg/index.js';
import { flopCounter, resetFlops } from '../mps/flops.js';
import { eighReal } from '../mps/kernels/index.js';

/** Free-fermion ground-state energy of the open TFIM: −½ Σ |eig([[0, M], [Mᵀ, 0]])|. */
function tfimExact(n: number, J: number, h: number): number {
  const N = 2 * n;
  const B = new Float64Array(N * N);
  for (let i = 0; i < n; i++) {
    B[i * N + n + i] = h; B[(n + i) * N + i] = h;
    if (i + 1 < n) { B[i * N + n + i + 1] = J; B[(n + i + 1) * N + i] = J; }
  }
  let s = 0;
  for (const w of eighReal(N, B).w) s += Math.abs(w);
  return -0.5 * s;
}

const { values } = parseArgs({ options: { n: { type: 'string', default: '32,64,128' }, chi: { type: 'string', default: '16,32,64' }, h: { type: 'string', default: '1,0.5' } } });
const ns = values.n.split(',').map(Number), chis = values.chi.split(',').map(Number), hs = values.h.split(',').map(Number);

console.log('Two-site DMRG, open TFIM (J = 1), cutoff 1e-12, |ΔE| < 1e-10, random product start');
console.log('| h/J | n | χ cap | seconds | sweeps | bond reached | GFLOP/s | E_dmrg | relative error vs free fermions | variance |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const h of hs) {
  for (const n of ns) {
    const exact = tfimExact(n, 1, h);
    for (const chi of chis) {
      const H = modelHamiltonian('tfim', n, { J: 1, h });
      resetFlops();
      const t = performance.now();
      const r = dmrg(H, { maxBond: chi, cutoff: 1e-12, seed: 1 });
      const s = (performance.now() - t) / 1000;
      const gf = flopCounter.flops / s / 1e9;
      const rel = Math.abs(r.energy - exact) / Math.abs(exact);
      console.log(`| ${h} | ${n} | ${chi} | ${s.toFixed(2)} | ${r.history.length}${r.converged ? '' : ' (max)'} | ${r.state.bondReached()} | ${gf.toFixed(2)} | ${r.energy.toFixed(10)} | ${rel.toExponential(2)} | ${r.variance.toExponential(2)} |`);
    }
  }
}
