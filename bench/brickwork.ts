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
 * Options: --n 16,32 --L 4,8 --chi 16,32 --reps 3 --quick --json --variant ry|rxrz --big --ref DIR
 * (`rxrz`: the complex RX·RZ–CZ family from the generator, seed 1234; no quimb reference;
 * `--ref`: the folder of the reference circuits and quimb-results.json when it is not found
 * next to the checkout).
 *
 * Each row gives the wall time and the CPU time of the process over the same span
 * (`process.cpuUsage()`, user + system, all threads: V8's helper threads add a little): on a
 * machine shared with other work the wall time grows with the load while the CPU time stays
 * close to what the case costs, so GFLOP/s and the ratio to quimb (measured on an idle
 * machine) are also given per CPU second. The gemm ceiling of `--big` is per CPU second too.
 *
 * Every row also reports the peak resident set size (RSS) of the process during the case:
 * `process.memoryUsage.rss()` sampled after every moment of the first (untimed) run, plus
 * before and after it. Sampling is used rather than `process.resourceUsage().maxRSS`, the
 * kernel's high-water mark, because that one cannot be reset: it would report the largest
 * earlier case (or the warm-up) for every later, smaller case. Transient buffers inside one
 * moment (θ and the kernel arena, a few MiB at χ = 256) are included only through the arena,
 * which stays allocated. The fidelity estimate is F = Π(1 − ε) over every truncation.
 *
 * `--big` runs the large rows instead of the default grid: n = 256 (L = 4, 8, 16; χ = 16 … 256)
 * and χ = 256 (n = 32, 64, 128; L = 16), one timed run each after the process warm-up (the
 * slowest takes minutes). It first measures the gemm ceiling on the size of the χ = 256
 * two-site split — gemmReal 512×512×512, median of 5 — and adds the fraction of it that each
 * case reaches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { localExpectations, Mps, resetFlops, runCircuitInPlace, type Circuit } from '../mps/index.js';
import { kernelBackend } from '../mps/kernels/registry.js';
import { gemmReal } from '../mps/kernels/index.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';
import { parseQasm } from '../src/circuit/qasm.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '16,32,64,128' },
    L: { type: 'string', default: '4,8,16' },
    chi: { type: 'string', default: '16,32,64,128' },
    reps: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    variant: { type: 'string', default: 'ry' },
    big: { type: 'boolean', default: false },
    ref: { type: 'string' },
  },
});
const here = dirname(fileURLToPath(import.meta.url));
if (values.ref !== undefined && !existsSync(join(values.ref, 'quimb-results.json'))) throw new Error(`bench: --ref = ${values.ref} has no quimb-results.json; allowed: the folder of the reference brickwork circuits`);
const refDir = values.ref ?? [join(here, '../../../shared/reference/brickwork'), join(here, '../../shared/reference/brickwork')].find((d) => existsSync(d));

interface QuimbRow { circuit: string; maxBond: number; sumZ: number; fidelityEstimate: number; maxBondReached: number; seconds: number }
const quimb: QuimbRow[] = refDir ? (JSON.parse(readFileSync(join(refDir, 'quimb-results.json'), 'utf8')) as { results: QuimbRow[] }).results : [];

function loadCircuit(n: number, L: number): { circuit: Circuit; file: string | null } {
  if (variant === 'rxrz') return { circuit: brickworkCircuit(n, L, 1234, 'rxrz'), file: null };
  const file = `ry_cz_n${n}_L${L}.qasm`;
  if (refDir && existsSync(join(refDir, file))) return { circuit: parseQasm(readFileSync(join(refDir, file), 'utf8')).circuit, file };
  return { circuit: brickworkCircuit(n, L, 1234), file: null };
}

const list = (s: string) => s.split(',').map(Number);
const ns = values.quick ? [32, 64] : list(values.n);
const Ls = values.quick ? [4, 8] : list(values.L);
const chis = values.quick ? [16, 64] : list(values.chi);
const reps = Math.max(1, Number(values.reps ?? (values.big ? 1 : 3)));
/** The cases: the (n, L, χ) cross product, or with --big the n = 256 and χ = 256 rows. */
const cases: [number, number, number][] = [];
if (values.big) {
  for (const n of [32, 64, 128]) cases.push([n, 16, 256]);
  for (const L of [4, 8, 16]) for (const chi of [16, 32, 64, 128, 256]) cases.push([256, L, chi]);
} else {
  for (const n of ns) for (const L of Ls) for (const chi of chis) cases.push([n, L, chi]);
}
const variant = values.variant;
if (variant !== 'ry' && variant !== 'rxrz') throw new Error(`bench: --variant = ${JSON.stringify(variant)}; allowed: ry, rxrz`);

interface Row { n: number; L: number; chi: number; ms: number; cpuMs: number; gflops: number; gflopsCpu: number; ceilingFraction: number | null; rssMiB: number; bond: number; fidelityEstimate: number; sumZ: number; quimbSeconds: number | null; ratio: number | null; ratioCpu: number | null; dSumZ: number | null }
const rows: Row[] = [];
const MiB = 2 ** 20;
// process warm-up: every kernel (TypeScript and WebAssembly) reaches its optimising tier
// before the first timed case, which otherwise pays for it
{
  const warm = brickworkCircuit(24, 12, 7);
  for (let r = 0; r < 5; r++) { const psi = Mps.zeros(24); runCircuitInPlace(psi, warm, { maxBond: 48, cutoff: 1e-10 }); localExpectations(psi, 'Z'); }
}
/** CPU time of this process so far, ms (user + system, every thread). */
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
/**
 * The gemm ceiling on the χ = 256 split's size with --big: gemmReal 512³, GFLOP/s per CPU
 * second (median of 5).
 */
const ceiling = values.big ? gemmCeiling(512, 5) : null;
function gemmCeiling(size: number, runs: number): number {
  const A = new Float64Array(size * size).map((_, i) => Math.sin(i)), B = new Float64Array(size * size).map((_, i) => Math.cos(i)), C = new Float64Array(size * size);
  gemmReal('N', 'N', size, size, size, A, B, C);
  const t: number[] = [];
  for (let r = 0; r < runs; r++) { const c0 = cpuNow(); gemmReal('N', 'N', size, size, size, A, B, C); t.push(cpuNow() - c0); }
  t.sort((a, b) => a - b);
  return (2 * size ** 3) / t[Math.floor(runs / 2)]! / 1e6;
}
if (!values.json) {
  console.log(`brickwork ${variant === 'ry' ? 'RY-CZ' : 'RX·RZ-CZ'}, cutoff 1e-10, median of ${reps} ${values.big ? 'run(s) after the process warm-up' : 'warm run(s)'}; circuits from ${refDir ?? 'the built-in generator (seed 1234)'}`);
  console.log('ms: wall time; CPU ms: CPU time of the process (all threads) over the same span, which a loaded machine inflates far less; GFLOP/s per wall and per CPU second; ratio: wall (CPU) time over quimb\'s stored time');
  if (ceiling !== null) console.log(`gemm ceiling: gemmReal 512×512×512 (kernels: ${kernelBackend()}) ${ceiling.toFixed(2)} GFLOP/s per CPU second, median of 5`);
  console.log(`| n | L | χ | ms | CPU ms | GFLOP/s | GFLOP/s (CPU) |${ceiling !== null ? ' of gemm ceiling (CPU) |' : ''} peak RSS MiB | bond | F estimate | Σ<Z> | quimb s | ratio (CPU) | |ΔΣ<Z>| |`);
  console.log(`|---|---|---|---|---|---|---|${ceiling !== null ? '---|' : ''}---|---|---|---|---|---|---|`);
}
let lastCircuit: { n: number; L: number; circuit: Circuit; file: string | null } | null = null;
for (const [n, L, chi] of cases) {
  if (lastCircuit === null || lastCircuit.n !== n || lastCircuit.L !== L) lastCircuit = { n, L, ...loadCircuit(n, L) };
  const { circuit, file } = lastCircuit;
  const times: number[] = [], cpus: number[] = [];
  let flops = 0, bond = 0, fid = 1, sumZ = 0, rss = 0;
  // without --big the first run warms the JIT and is not timed; with --big every run is timed
  const skip = values.big ? 0 : 1;
  for (let r = 0; r < reps + skip; r++) {
    const psi = Mps.zeros(n);
    const sample = r === 0;
    if (sample) rss = Math.max(rss, process.memoryUsage.rss());
    const hook = sample ? () => { rss = Math.max(rss, process.memoryUsage.rss()); } : undefined;
    resetFlops();
    const c0 = cpuNow();
    const t0 = performance.now();
    const rep = runCircuitInPlace(psi, circuit, { maxBond: chi, cutoff: 1e-10 }, hook);
    const z = localExpectations(psi, 'Z');
    const ms = performance.now() - t0;
    const cpu = cpuNow() - c0;
    flops = resetFlops();
    if (sample) rss = Math.max(rss, process.memoryUsage.rss());
    if (r >= skip) { times.push(ms); cpus.push(cpu); }
    bond = rep.bondReached; fid = rep.fidelityEstimate; sumZ = z.reduce((a, b) => a + b, 0);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  const cpuMs = cpus[Math.floor(cpus.length / 2)]!;
  const q = file ? quimb.find((x) => x.circuit === file && x.maxBond === chi) : undefined;
  const gflops = flops / ms / 1e6, gflopsCpu = flops / cpuMs / 1e6;
  const row: Row = { n, L, chi, ms, cpuMs, gflops, gflopsCpu, ceilingFraction: ceiling === null ? null : gflopsCpu / ceiling, rssMiB: rss / MiB, bond, fidelityEstimate: fid, sumZ, quimbSeconds: q?.seconds ?? null, ratio: q ? ms / 1000 / q.seconds : null, ratioCpu: q ? cpuMs / 1000 / q.seconds : null, dSumZ: q ? Math.abs(sumZ - q.sumZ) : null };
  rows.push(row);
  if (!values.json) {
    console.log(`| ${n} | ${L} | ${chi} | ${ms.toFixed(1)} | ${cpuMs.toFixed(1)} | ${row.gflops.toFixed(2)} | ${gflopsCpu.toFixed(2)} |${row.ceilingFraction !== null ? ` ${row.ceilingFraction.toFixed(2)} |` : ''} ${row.rssMiB.toFixed(0)} | ${bond} | ${fid.toFixed(9)} | ${sumZ.toFixed(8)} | ${q ? q.seconds.toFixed(3) : '–'} | ${row.ratio !== null ? `${row.ratio.toFixed(2)} (${row.ratioCpu!.toFixed(2)})` : '–'} | ${row.dSumZ !== null ? row.dSumZ.toExponential(1) : '–'} |`);
  }
}
if (values.json) console.log(JSON.stringify({ reps, cutoff: 1e-10, gemmCeilingGflops: ceiling, rows }, null, 1));
else {
  // the layout of the performance issue: one row per (n, L), one column per χ
  const rowChis = [...new Set(cases.map((c) => c[2]))].sort((a, b) => a - b);
  const nls = [...new Map(cases.map((c) => [`${c[0]},${c[1]}`, [c[0], c[1]] as const])).values()];
  console.log(`\nqdistill seconds (wall), GFLOP/s (per CPU second), peak RSS, fidelity estimate and (ratio to quimb, CPU time) — rows n, L; columns χ; kernels: ${kernelBackend()}:`);
  console.log(`| n | L | ${rowChis.map((c) => `χ=${c}`).join(' | ')} |`);
  console.log(`|---|---|${rowChis.map(() => '---').join('|')}|`);
  for (const [n, L] of nls) {
    const cells = rowChis.map((chi) => {
      const r = rows.find((x) => x.n === n && x.L === L && x.chi === chi);
      if (r === undefined) return '–';
      return `${(r.ms / 1000).toFixed(3)} s, ${r.gflopsCpu.toFixed(1)} GF/s, ${r.rssMiB.toFixed(0)} MiB, F ${r.fidelityEstimate.toFixed(4)}${r.ratioCpu !== null ? ` (${r.ratioCpu.toFixed(2)})` : ''}`;
    });
    console.log(`| ${n} | ${L} | ${cells.join(' | ')} |`);
  }
}
