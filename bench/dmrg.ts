/**
 * DMRG benchmark (issue: many-body quantum data): open TFIM, −J Σ Z Z − h Σ X, at h = J
 * (critical) and h = 0.5·J, for n ∈ {32, 64, 128} and χ ∈ {16, 32, 64}, cutoff 1e-12, random
 * product start, default sweeps (stop at |ΔE| < 1e-10). Prints wall time (the median of
 * `--repeat` runs), sweeps, bond reached and the relative energy error against the free-fermion
 * closed form (E0 = −Σ_k Λ_k, Λ_k the singular values of the bidiagonal h/J matrix; Pfeuty 1970).
 * `--mode sector` (default) runs DMRG in the even-parity sector (the ground state's,
 * modelGroundState); `--mode plain` runs it without a symmetry, as before sectors existed.
 *
 * Run: npm run build && node dist/bench/dmrg.js [--n 32,64,128] [--chi 16,32,64] [--h 1,0.5] [--repeat 3] [--mode sector|plain]
 */
import { parseArgs } from 'node:util';
import { dmrg, modelGroundState, modelHamiltonian } from '../mps/dmrg/index.js';
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

const { values } = parseArgs({ options: { n: { type: 'string', default: '32,64,128' }, chi: { type: 'string', default: '16,32,64' }, h: { type: 'string', default: '1,0.5' }, repeat: { type: 'string', default: '1' }, mode: { type: 'string', default: 'sector' } } });
const ns = values.n.split(',').map(Number), chis = values.chi.split(',').map(Number), hs = values.h.split(',').map(Number);
const repeat = Number(values.repeat);
if (!(Number.isInteger(repeat) && repeat >= 1)) throw new Error(`--repeat must be an integer ≥ 1, got '${values.repeat}'`);
if (values.mode !== 'sector' && values.mode !== 'plain') throw new Error(`--mode must be sector or plain, got '${values.mode}'`);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

console.log(`Two-site DMRG (${values.mode === 'sector' ? 'even-parity sector' : 'no symmetry'}), open TFIM (J = 1), cutoff 1e-12, |ΔE| < 1e-10, median of ${repeat} run(s)`);
console.log('| h/J | n | χ cap | seconds (median) | all runs (s) | sweeps | bond reached | GFLOP/s | E_dmrg | relative error vs free fermions | variance | stop |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const h of hs) {
  for (const n of ns) {
    const exact = tfimExact(n, 1, h);
    for (const chi of chis) {
      const times: number[] = [];
      let r: ReturnType<typeof dmrg> | null = null;
      let gf = 0;
      for (let k = 0; k < repeat; k++) {
        resetFlops();
        const t = performance.now();
        r = values.mode === 'sector'
          ? modelGroundState('tfim', n, { J: 1, h }, { maxBond: chi, cutoff: 1e-12, seed: 1 })
          : dmrg(modelHamiltonian('tfim', n, { J: 1, h }), { maxBond: chi, cutoff: 1e-12, seed: 1 });
        const s = (performance.now() - t) / 1000;
        times.push(s);
        gf = flopCounter.flops / s / 1e9;
      }
      const s = median(times);
      const rel = Math.abs(r!.energy - exact) / Math.abs(exact);
      console.log(`| ${h} | ${n} | ${chi} | ${s.toFixed(2)} | ${times.map((x) => x.toFixed(2)).join(', ')} | ${r!.history.length}${r!.converged ? '' : ' (max)'} | ${r!.state.bondReached()} | ${gf.toFixed(2)} | ${r!.energy.toFixed(10)} | ${rel.toExponential(2)} | ${r!.variance.toExponential(2)} | ${r!.stop} |`);
    }
  }
}
