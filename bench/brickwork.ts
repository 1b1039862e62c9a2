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
 * `process.memoryUsage.rss()` sampled after every moment of the first run, plus before and
 * after it (untimed without --big; with --big the sampling time is taken off the timed run). Sampling is used rather than `process.resourceUsage().maxRSS`, the
 * kernel's high-water mark, because that one cannot be reset: it would report the largest
 * earlier case (or the warm-up) for every later, smaller case. Transient buffers inside one
 * moment (θ and the kernel arena, a few MiB at χ = 256) are included only through the arena,
 * which stays allocated. The fidelity estimate is F = Π(1 − ε) over every truncation.
 *
 * `--big` runs the large rows instead of the default grid: n = 256 (L = 4, 8, 16; χ = 16 … 256)
 * and χ = 256 (n = 32, 64, 128; L = 16), one timed run each after the process warm-up (the
 * slowest takes minutes). It first measures two ceilings on the size of the χ = 256 update —
 * gemmReal 512×512×512, and the two-site update at χ = 256 alone (its 512×512 split) — and
 * adds the fraction of each that every case reaches. `--ceilings` prints the two ceilings and
 * exits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countGemm, gateMatrix, localExpectations, Mps, resetFlops, resolveTruncation, runCircuitInPlace, truncatedSplit, twoSiteSplit, type Circuit } from '../mps/index.js';
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
    ceilings: { type: 'boolean', default: false },
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

interface Row { n: number; L: number; chi: number; ms: number; cpuMs: number; gflops: number; gflopsCpu: number; ceilingFraction: number | null; splitFraction: number | null; rssMiB: number; bond: number; fidelityEstimate: number; sumZ: number; quimbSeconds: number | null; ratio: number | null; ratioCpu: number | null; dSumZ: number | null }
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
/** Median CPU ms of `runs` calls of `fn` after one untimed call. */
function cpuMedian(fn: () => void, runs: number): number {
  fn();
  const t: number[] = [];
  for (let r = 0; r < runs; r++) { const c0 = cpuNow(); fn(); t.push(cpuNow() - c0); }
  t.sort((a, b) => a - b);
  return t[Math.floor(runs / 2)]!;
}
/**
 * The ceilings on the size of the χ = 256 update (with --big or --ceilings), GFLOP/s per CPU
 * second, median of 5: gemmReal 512×512×512, and the two-site update itself at χ = 256
 * (θ = A·B of (2χ)×χ by χ×(2χ), a CZ, the truncated split of the 512×512 θ' back to χ,
 * cutoff 1e-10; the engine's nominal count of mps/flops.ts).
 */
const ceiling = values.big || values.ceilings ? gemmCeiling(512, 5) : null;
const splitCeiling = values.big || values.ceilings ? twoSiteCeiling(256, 5) : null;
function gemmCeiling(size: number, runs: number): number {
  const A = new Float64Array(size * size).map((_, i) => Math.sin(i)), B = new Float64Array(size * size).map((_, i) => Math.cos(i)), C = new Float64Array(size * size);
  return (2 * size ** 3) / cpuMedian(() => gemmReal('N', 'N', size, size, size, A, B, C), runs) / 1e6;
}
function twoSiteCeiling(chi: number, runs: number): { gflops: number; method: string } {
  const A = { re: new Float64Array(2 * chi * chi).map((_, i) => Math.sin(1 + i * 0.37)), im: null };
  const B = { re: new Float64Array(2 * chi * chi).map((_, i) => Math.cos(2 + i * 0.71)), im: null };
  const g = gateMatrix({ name: 'cz', qubits: [0, 1], params: [] });
  const opts = resolveTruncation({ maxBond: chi, cutoff: 1e-10 });
  let method = '';
  const step = () => {
    countGemm(chi * 2, 2 * chi, chi, 0);
    countGemm(4, chi * chi, 4, 0);
    const f = twoSiteSplit(chi, chi, chi, A, B, g, opts, 1);
    if (f.status === 'split') method = 'fused Gram';
    else if (f.status === 'theta') { const sp = truncatedSplit(2 * chi, 2 * chi, f.re, f.im, opts); method = sp.method; }
  };
  resetFlops();
  step();
  const flops = resetFlops();
  return { gflops: flops / cpuMedian(step, runs) / 1e6, method };
}
if (values.ceilings) {
  console.log(`ceilings per CPU second (kernels: ${kernelBackend()}), median of 5: gemmReal 512×512×512 ${ceiling!.toFixed(2)} GFLOP/s; two-site update at χ = 256 (512×512 split, ${splitCeiling!.method}) ${splitCeiling!.gflops.toFixed(2)} GFLOP/s`);
  process.exit(0);
}
if (!values.json) {
  console.log(`brickwork ${variant === 'ry' ? 'RY-CZ' : 'RX·RZ-CZ'}, cutoff 1e-10, median of ${reps} ${values.big ? 'run(s) after the process warm-up' : 'warm run(s)'}; circuits from ${refDir ?? 'the built-in generator (seed 1234)'}`);
  console.log('ms: wall time; CPU ms: CPU time of the process (all threads) over the same span, which a loaded machine inflates far less; GFLOP/s per wall and per CPU second; ratio: wall (CPU) time over quimb\'s stored time');
  if (ceiling !== null) console.log(`ceilings per CPU second (kernels: ${kernelBackend()}), median of 5: gemmReal 512×512×512 ${ceiling.toFixed(2)} GFLOP/s; two-site update at χ = 256 (512×512 split, ${splitCeiling!.method}) ${splitCeiling!.gflops.toFixed(2)} GFLOP/s`);
  console.log(`| n | L | χ | ms | CPU ms | GFLOP/s | GFLOP/s (CPU) |${ceiling !== null ? ' of gemm ceiling (CPU) | of split ceiling (CPU) |' : ''} peak RSS MiB | bond | F estimate | Σ<Z> | quimb s | ratio (CPU) | |ΔΣ<Z>| |`);
  console.log(`|---|---|---|---|---|---|---|${ceiling !== null ? '---|---|' : ''}---|---|---|---|---|---|---|`);
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
    // the time spent sampling (about 0.1 ms per moment) is taken off the run's wall and CPU time
    let hookMs = 0, hookCpu = 0;
    const hook = sample ? () => { const h0 = performance.now(), u0 = cpuNow(); rss = Math.max(rss, process.memoryUsage.rss()); hookCpu += cpuNow() - u0; hookMs += performance.now() - h0; } : undefined;
    resetFlops();
    const c0 = cpuNow();
    const t0 = performance.now();
    const rep = runCircuitInPlace(psi, circuit, { maxBond: chi, cutoff: 1e-10 }, hook);
    const z = localExpectations(psi, 'Z');
    const ms = performance.now() - t0 - hookMs;
    const cpu = cpuNow() - c0 - hookCpu;
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
  const row: Row = { n, L, chi, ms, cpuMs, gflops, gflopsCpu, ceilingFraction: ceiling === null ? null : gflopsCpu / ceiling, splitFraction: splitCeiling === null ? null : gflopsCpu / splitCeiling.gflops, rssMiB: rss / MiB, bond, fidelityEstimate: fid, sumZ, quimbSeconds: q?.seconds ?? null, ratio: q ? ms / 1000 / q.seconds : null, ratioCpu: q ? cpuMs / 1000 / q.seconds : null, dSumZ: q ? Math.abs(sumZ - q.sumZ) : null };
  rows.push(row);
  if (!values.json) {
    console.log(`| ${n} | ${L} | ${chi} | ${ms.toFixed(1)} | ${cpuMs.toFixed(1)} | ${row.gflops.toFixed(2)} | ${gflopsCpu.toFixed(2)} |${row.ceilingFraction !== null ? ` ${row.ceilingFraction.toFixed(2)} | ${row.splitFraction!.toFixed(2)} |` : ''} ${row.rssMiB.toFixed(0)} | ${bond} | ${fid.toFixed(9)} | ${sumZ.toFixed(8)} | ${q ? q.seconds.toFixed(3) : '–'} | ${row.ratio !== null ? `${row.ratio.toFixed(2)} (${row.ratioCpu!.toFixed(2)})` : '–'} | ${row.dSumZ !== null ? row.dSumZ.toExponential(1) : '–'} |`);
  }
}
if (values.json) console.log(JSON.stringify({ reps, cutoff: 1e-10, gemmCeilingGflops: ceiling, twoSiteCeilingGflops: splitCeiling?.gflops ?? null, rows }, null, 1));
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
