/**
 * `npm run bench`: the brickwork RY-CZ benchmark of docs/design.md §7.
 *
 * For each (n, L, χ) it times the forward pass plus ⟨Z_q⟩ on every qubit (median of `--reps`
 * warm runs, cutoff 1e-10), and prints ms, nominal GFLOP/s (mps/flops.ts), the bond reached,
 * Σ⟨Z⟩ and, where the reference file has it, quimb's time and Σ⟨Z⟩ on the same circuit.
 *
 * Circuits come from ../shared/reference/brickwork/*.qasm when present (the exact files
 * quimb ran); otherwise they are generated with the same recipe (seeded, so Σ⟨Z⟩ differs).
 *
 * Options: --n 16,32 --L 4,8 --chi 16,32 --reps 3 --quick --json --variant ry|rxrz
 * (`rxrz`: the complex RX·RZ–CZ family from the generator, seed 1234; no quimb reference).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { localExpectations, Mps, resetFlops, runCircuitInPlace, type Circuit } from '../mps/index.js';
import { kernelBackend } from '../mps/kernels/registry.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';
import { parseQasm } from '../src/circuit/qasm.js';

const here = dirname(fileURLToPath(import.meta.url));
const refDir = [join(here, '../../../shared/reference/brickwork'), join(here, '../../shared/reference/brickwork')].find((d) => existsSync(d));

interface QuimbRow { circuit: string; maxBond: number; sumZ: number; fidelityEstimate: number; maxBondReached: number; seconds: number }
const quimb: QuimbRow[] = refDir ? (JSON.parse(readFileSync(join(refDir, 'quimb-results.json'), 'utf8')) as { results: QuimbRow[] }).results : [];

function loadCircuit(n: number, L: number): { circuit: Circuit; file: string | null } {
  if (variant === 'rxrz') return { circuit: brickworkCircuit(n, L, 1234, 'rxrz'), file: null };
  const file = `ry_cz_n${n}_L${L}.qasm`;
  if (refDir && existsSync(join(refDir, file))) return { circuit: parseQasm(readFileSync(join(refDir, file), 'utf8')).circuit, file };
  return { circuit: brickworkCircuit(n, L, 1234), file: null };
}

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '16,32,64,128' },
    L: { type: 'string', default: '4,8,16' },
    chi: { type: 'string', default: '16,32,64,128' },
    reps: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    variant: { type: 'string', default: 'ry' },
  },
});
const list = (s: string) => s.split(',').map(Number);
const ns = values.quick ? [32, 64] : list(values.n);
const Ls = values.quick ? [4, 8] : list(values.L);
const chis = values.quick ? [16, 64] : list(values.chi);
const reps = Math.max(1, Number(values.reps));
const variant = values.variant;
if (variant !== 'ry' && variant !== 'rxrz') throw new Error(`bench: --variant = ${JSON.stringify(variant)}; allowed: ry, rxrz`);

interface Row { n: number; L: number; chi: number; ms: number; gflops: number; bond: number; fidelityEstimate: number; sumZ: number; quimbSeconds: number | null; ratio: number | null; dSumZ: number | null }
const rows: Row[] = [];
if (!values.json) {
  console.log(`brickwork RY-CZ, cutoff 1e-10, median of ${reps} warm run(s); circuits from ${refDir ?? 'the built-in generator (seed 1234)'}`);
  console.log('| n | L | χ | ms | GFLOP/s | bond | F estimate | Σ<Z> | quimb s | ratio | |ΔΣ<Z>| |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
}
// process warm-up: every kernel (TypeScript and WebAssembly) reaches its optimising tier
// before the first timed case, which otherwise pays for it
{
  const warm = brickworkCircuit(24, 12, 7);
  for (let r = 0; r < 5; r++) { const psi = Mps.zeros(24); runCircuitInPlace(psi, warm, { maxBond: 48, cutoff: 1e-10 }); localExpectations(psi, 'Z'); }
}
for (const n of ns) {
  for (const L of Ls) {
    const { circuit, file } = loadCircuit(n, L);
    for (const chi of chis) {
      const times: number[] = [];
      let flops = 0, bond = 0, fid = 1, sumZ = 0;
      for (let r = 0; r < reps + 1; r++) {
        const psi = Mps.zeros(n);
        resetFlops();
        const t0 = performance.now();
        const rep = runCircuitInPlace(psi, circuit, { maxBond: chi, cutoff: 1e-10 });
        const z = localExpectations(psi, 'Z');
        const ms = performance.now() - t0;
        flops = resetFlops();
        if (r > 0) times.push(ms); // first run warms the JIT
        bond = rep.bondReached; fid = rep.fidelityEstimate; sumZ = z.reduce((a, b) => a + b, 0);
      }
      times.sort((a, b) => a - b);
      const ms = times[Math.floor(times.length / 2)]!;
      const q = file ? quimb.find((x) => x.circuit === file && x.maxBond === chi) : undefined;
      const row: Row = { n, L, chi, ms, gflops: flops / ms / 1e6, bond, fidelityEstimate: fid, sumZ, quimbSeconds: q?.seconds ?? null, ratio: q ? ms / 1000 / q.seconds : null, dSumZ: q ? Math.abs(sumZ - q.sumZ) : null };
      rows.push(row);
      if (!values.json) {
        console.log(`| ${n} | ${L} | ${chi} | ${ms.toFixed(1)} | ${row.gflops.toFixed(2)} | ${bond} | ${fid.toFixed(9)} | ${sumZ.toFixed(8)} | ${q ? q.seconds.toFixed(3) : '–'} | ${row.ratio !== null ? row.ratio.toFixed(2) : '–'} | ${row.dSumZ !== null ? row.dSumZ.toExponential(1) : '–'} |`);
      }
    }
  }
}
if (values.json) console.log(JSON.stringify({ reps, cutoff: 1e-10, rows }, null, 1));
else {
  // the layout of the performance issue: one row per (n, L), one column per χ
  console.log(`\nqdistill seconds, GFLOP/s and (ratio to quimb) — rows n, L; columns χ; kernels: ${kernelBackend()}:`);
  console.log(`| n | L | ${chis.map((c) => `χ=${c}`).join(' | ')} |`);
  console.log(`|---|---|${chis.map(() => '---').join('|')}|`);
  for (const n of ns) {
    for (const L of Ls) {
      const cells = chis.map((chi) => {
        const r = rows.find((x) => x.n === n && x.L === L && x.chi === chi)!;
        return `${(r.ms / 1000).toFixed(3)} s, ${r.gflops.toFixed(1)} GF/s${r.ratio !== null ? ` (${r.ratio.toFixed(2)})` : ''}`;
      });
      console.log(`| ${n} | ${L} | ${cells.join(' | ')} |`);
    }
  }
}
