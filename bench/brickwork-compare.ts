/**
 * Lever comparison for the forward simulator: this build against a baseline build of another
 * commit (its `dist` folder), interleaved repetition by repetition (old, new, old, new, …) so
 * that both see the same machine load, on the brickwork RY-CZ reference circuits (cutoff 1e-10,
 * a fresh |0…0⟩, every gate, ⟨Z_q⟩ on every qubit — what `npm run bench` times).
 *
 * Prints per case the median old and new time, the median of the per-repetition ratios
 * new/old, in wall time and in CPU time of the process (`process.cpuUsage()`, which a loaded
 * machine inflates far less), the ratio of each build's CPU time to quimb's stored time
 * (measured on an idle machine), and whether Σ⟨Z⟩ and the fidelity
 * estimate are bit-identical between the builds (else the largest difference).
 *
 * Run: npm run build && node dist/bench/brickwork-compare.js --baseline <dist of the baseline>
 *   [--n 32,64,128] [--L 16] [--chi 16,32] [--reps 7] [--variant ry|rxrz] [--ref DIR]
 * (`--ref`: the folder of the reference circuits and quimb-results.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as NEW from '../mps/index.js';
import type { Circuit } from '../mps/index.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';
import { parseQasm } from '../src/circuit/qasm.js';
import { kernelBackend } from '../mps/kernels/registry.js';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' }, n: { type: 'string', default: '32,64,128' }, L: { type: 'string', default: '8,16' },
    chi: { type: 'string', default: '16,32' }, reps: { type: 'string', default: '7' }, variant: { type: 'string', default: 'ry' },
    ref: { type: 'string' },
  },
});
if (!values.baseline) throw new Error('--baseline: the dist folder of the baseline build is required');
if (values.variant !== 'ry' && values.variant !== 'rxrz') throw new Error(`--variant = ${JSON.stringify(values.variant)}; allowed: ry, rxrz`);
const OLD = (await import(pathToFileURL(resolve(values.baseline, 'mps/index.js')).href)) as typeof NEW;
const here = dirname(fileURLToPath(import.meta.url));
const refDir = values.ref ?? [join(here, '../../../shared/reference/brickwork'), join(here, '../../shared/reference/brickwork')].find((d) => existsSync(d));
interface QuimbRow { circuit: string; maxBond: number; seconds: number }
const quimb: QuimbRow[] = refDir ? (JSON.parse(readFileSync(join(refDir, 'quimb-results.json'), 'utf8')) as { results: QuimbRow[] }).results : [];
const reps = Math.max(1, Number(values.reps));
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function circuitFor(n: number, L: number): { circuit: Circuit; file: string | null } {
  if (values.variant === 'rxrz') return { circuit: brickworkCircuit(n, L, 1234, 'rxrz'), file: null };
  const file = `ry_cz_n${n}_L${L}.qasm`;
  if (refDir && existsSync(join(refDir, file))) return { circuit: parseQasm(readFileSync(join(refDir, file), 'utf8')).circuit, file };
  return { circuit: brickworkCircuit(n, L, 1234), file: null };
}

/** One timed run on engine E: wall ms, CPU ms (process, all threads), Σ⟨Z⟩ and F. */
function once(E: typeof NEW, c: Circuit, chi: number): { ms: number; cpu: number; sumZ: number; fid: number } {
  const psi = E.Mps.zeros(c.n);
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const rep = E.runCircuitInPlace(psi, c, { maxBond: chi, cutoff: 1e-10 });
  const z = E.localExpectations(psi, 'Z');
  const ms = performance.now() - t0;
  const u = process.cpuUsage(u0);
  return { ms, cpu: (u.user + u.system) / 1000, sumZ: z.reduce((a, b) => a + b, 0), fid: rep.fidelityEstimate };
}

// warm both builds' kernels before the first timed case
{
  const warm = brickworkCircuit(24, 12, 7);
  for (let r = 0; r < 5; r++) { once(OLD, warm, 48); once(NEW, warm, 48); }
}
console.log(`brickwork ${values.variant}, this build vs ${values.baseline}; ${reps} interleaved repetitions (after one warm-up each), kernels ${kernelBackend()}`);
console.log('| n | L | χ | old ms | new ms | new/old wall | old CPU ms | new CPU ms | new/old CPU | old/quimb (CPU) | new/quimb (CPU) | Σ⟨Z⟩, F identical |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const n of values.n.split(',').map(Number)) {
  for (const L of values.L.split(',').map(Number)) {
    const { circuit, file } = circuitFor(n, L);
    for (const chi of values.chi.split(',').map(Number)) {
      const olds: number[] = [], news: number[] = [], ratios: number[] = [], oc: number[] = [], nc: number[] = [], cr: number[] = [];
      let o = once(OLD, circuit, chi), w = once(NEW, circuit, chi);
      for (let r = 0; r < reps; r++) {
        // alternate which build goes first
        if (r % 2 === 0) { o = once(OLD, circuit, chi); w = once(NEW, circuit, chi); } else { w = once(NEW, circuit, chi); o = once(OLD, circuit, chi); }
        olds.push(o.ms); news.push(w.ms); ratios.push(w.ms / o.ms);
        oc.push(o.cpu); nc.push(w.cpu); cr.push(w.cpu / o.cpu);
      }
      const same = o.sumZ === w.sumZ && o.fid === w.fid;
      const diff = same ? 'yes' : `no: |ΔΣ⟨Z⟩| ${Math.abs(o.sumZ - w.sumZ).toExponential(1)}, |ΔF| ${Math.abs(o.fid - w.fid).toExponential(1)}`;
      const q = file ? quimb.find((x) => x.circuit === file && x.maxBond === chi) : undefined;
      const qr = (ms: number) => (q ? (ms / 1000 / q.seconds).toFixed(3) : '–');
      console.log(`| ${n} | ${L} | ${chi} | ${median(olds).toFixed(1)} | ${median(news).toFixed(1)} | ${median(ratios).toFixed(3)} | ${median(oc).toFixed(1)} | ${median(nc).toFixed(1)} | ${median(cr).toFixed(3)} | ${qr(median(oc))} | ${qr(median(nc))} | ${diff} |`);
    }
  }
}
