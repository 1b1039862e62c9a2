/**
 * Per-call cost of the gate-application steps, this build against a baseline build (its
 * `dist` folder), interleaved block by block so that both see the same load: a one-qubit gate
 * on a real site, a centre move (QR and the product with the neighbour), and the fused
 * two-site update (θ, the gate and the truncated Gram split) at bond dimension χ, each on the
 * same inputs in both builds. Times are CPU time of the process per call (`process.cpuUsage()`),
 * the median over blocks; the ratio is the median of the per-block ratios new/old. Every
 * result is checked to be bit-identical between the builds.
 *
 * Run: npm run build && node dist/bench/overhead-compare.js --baseline <dist of the baseline>
 *   [--chi 8,16,32] [--blocks 15] [--calls 200]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as NEW from '../mps/index.js';
import * as NEW_REG from '../mps/kernels/registry.js';
import { gaussian, makeRng } from '../mps/rng.js';

const { values } = parseArgs({
  options: { baseline: { type: 'string' }, chi: { type: 'string', default: '8,16,32' }, blocks: { type: 'string', default: '15' }, calls: { type: 'string', default: '200' } },
});
if (!values.baseline) throw new Error('--baseline: the dist folder of the baseline build is required');
const base = resolve(values.baseline);
const OLD = (await import(pathToFileURL(resolve(base, 'mps/index.js')).href)) as typeof NEW;
const OLD_REG = (await import(pathToFileURL(resolve(base, 'mps/kernels/registry.js')).href)) as typeof NEW_REG;
const blocks = Number(values.blocks), calls = Number(values.calls);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function randn(seed: string, len: number): Float64Array {
  const rng = makeRng(seed);
  return new Float64Array(len).map(() => gaussian(rng));
}

/** Interleaved blocks of `calls` calls of each; returns µs per call (old, new) and the median ratio. */
function compare(oldFn: () => unknown, newFn: () => unknown): { oldUs: number; newUs: number; ratio: number } {
  const o: number[] = [], w: number[] = [], r: number[] = [];
  for (let i = 0; i < 3; i++) { oldFn(); newFn(); }
  for (let b = 0; b < blocks; b++) {
    const run = (fn: () => unknown) => { const t0 = cpu(); for (let c = 0; c < calls; c++) fn(); return (cpu() - t0) * 1000 / calls; };
    let a: number, z: number;
    if (b % 2 === 0) { a = run(oldFn); z = run(newFn); } else { z = run(newFn); a = run(oldFn); }
    o.push(a); w.push(z); r.push(z / a);
  }
  return { oldUs: median(o), newUs: median(w), ratio: median(r) };
}

function same(a: Float64Array | null, b: Float64Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

console.log(`gate-application steps, this build vs ${base}; CPU µs per call, median of ${blocks} interleaved blocks of ${calls} calls; kernels ${NEW_REG.kernelBackend()}`);
console.log('| step | χ | old µs | new µs | new/old | bit-identical |');
console.log('|---|---|---|---|---|---|');
const opts = NEW.resolveTruncation({ maxBond: 1 << 30, cutoff: 1e-10 });
for (const chi of values.chi.split(',').map(Number)) {
  // one-qubit RY on a real χ×2×χ site
  {
    const g = NEW.gateMatrix({ name: 'ry', qubits: [0], params: [0.7] });
    const A = randn(`a${chi}`, chi * 2 * chi);
    const mk = (E: typeof NEW) => { const p = E.Mps.zeros(1); p.sites[0] = { dl: chi, d: 2, dr: chi, re: A, im: null }; return p; };
    const po = mk(OLD), pn = mk(NEW);
    const c = compare(() => { po.sites[0]!.re = A; OLD.applyOneQubitInPlace(po, g, 0); }, () => { pn.sites[0]!.re = A; NEW.applyOneQubitInPlace(pn, g, 0); });
    console.log(`| one-qubit gate (real) | ${chi} | ${c.oldUs.toFixed(2)} | ${c.newUs.toFixed(2)} | ${c.ratio.toFixed(3)} | ${same(po.sites[0]!.re, pn.sites[0]!.re) ? 'yes' : 'NO'} |`);
  }
  // centre move right: A (2χ×χ) = Q·R, R·B with B χ×2χ
  {
    const A = { re: randn(`m${chi}`, 2 * chi * chi), im: null }, B = { re: randn(`n${chi}`, chi * 2 * chi), im: null };
    const ko = OLD_REG.kernels(), kn = NEW_REG.kernels();
    const c = compare(() => ko.qrMoveRight(2 * chi, chi, 2 * chi, A, B), () => kn.qrMoveRight(2 * chi, chi, 2 * chi, A, B));
    const x = ko.qrMoveRight(2 * chi, chi, 2 * chi, A, B), y = kn.qrMoveRight(2 * chi, chi, 2 * chi, A, B);
    console.log(`| centre move (QR, R·B) | ${chi} | ${c.oldUs.toFixed(2)} | ${c.newUs.toFixed(2)} | ${c.ratio.toFixed(3)} | ${same(x.Q.re, y.Q.re) && same(x.C.re, y.C.re) ? 'yes' : 'NO'} |`);
  }
  // fused two-site update with a CZ after RY on both sites (a brickwork step), real
  {
    const A = { re: randn(`A${chi}`, chi * 2 * chi), im: null }, B = { re: randn(`B${chi}`, chi * 2 * chi), im: null };
    const g = NEW.gateMatrix({ name: 'cz', qubits: [0, 1], params: [] });
    const t = { ...opts, maxBond: chi };
    const c = compare(() => OLD.twoSiteSplit(chi, chi, chi, A, B, g, t, 1), () => NEW.twoSiteSplit(chi, chi, chi, A, B, g, t, 1));
    const x = OLD.twoSiteSplit(chi, chi, chi, A, B, g, t, 1), y = NEW.twoSiteSplit(chi, chi, chi, A, B, g, t, 1);
    const ok = x.status === 'split' && y.status === 'split' ? same(x.split.Ure, y.split.Ure) && same(x.split.Vhre, y.split.Vhre) && same(x.split.S, y.split.S) : x.status === y.status;
    console.log(`| two-site update (${x.status === 'split' ? 'fused Gram' : x.status}) | ${chi} | ${c.oldUs.toFixed(2)} | ${c.newUs.toFixed(2)} | ${c.ratio.toFixed(3)} | ${ok ? 'yes' : 'NO'} |`);
  }
}
