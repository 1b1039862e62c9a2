/**
 * The scaling study E6 (`node dist/bench/scaling.js bench/e6-scaling.json [--quick]`):
 * time and state memory of the brickwork RY-CZ forward pass plus ⟨Z_q⟩ on every qubit against
 * n, L and χ, the MPS against the exact state vector where both fit, log-log fits of the
 * observed exponents (the cost model predicts time ∝ n·L·χ³ once the bond saturates), and the
 * GFLOP/s achieved against the measured ceiling of this machine's gemm kernel. Writes
 * results/e6-scaling/{results.json, table.md, *.svg}.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localExpectations, Mps, resetFlops, runCircuitInPlace } from '../mps/index.js';
import { gemmReal } from '../mps/kernels/index.js';
import { StateVectorBackend } from '../src/backends/statevector.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';
import { deepMerge } from '../src/experiment/config.js';
import { markdownTable, scatterChart, writeFigure } from '../src/report/index.js';
import { writeFileAtomic } from '../src/infra/atomic.js';
import { gitCommit } from '../src/experiment/runner.js';

interface Cfg { name: string; cutoff: number; reps: number; vsN: { L: number; chi: number; n: number[] }; vsChi: { n: number; L: number; chi: number[] }; vsL: { n: number; chi: number; L: number[] }; mpsVsStateVector: { L: number; n: number[] } }
interface Point { n: number; L: number; chi: number; seconds: number; gflops: number; bond: number; stateMiB: number; fidelity: number }

const file = process.argv[2] ?? 'bench/e6-scaling.json';
const raw = JSON.parse(readFileSync(file, 'utf8')) as Cfg & { quick?: unknown; description?: string };
const cfg = (process.argv.includes('--quick') ? deepMerge(raw, raw.quick) : raw) as Cfg;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function mpsPoint(n: number, L: number, chi: number): Point {
  const c = brickworkCircuit(n, L, 1234);
  const times: number[] = [];
  let flops = 0, bond = 0, mib = 0, fid = 1;
  for (let r = 0; r <= cfg.reps; r++) {
    const psi = Mps.zeros(n);
    resetFlops();
    const t0 = performance.now();
    const rep = runCircuitInPlace(psi, c, { maxBond: chi, cutoff: cfg.cutoff });
    localExpectations(psi, 'Z');
    const dt = (performance.now() - t0) / 1000;
    flops = resetFlops();
    if (r > 0 || cfg.reps === 0) times.push(dt);
    bond = rep.bondReached; fid = rep.fidelityEstimate;
    mib = psi.sites.reduce((a, t) => a + t.re.length * (t.im ? 16 : 8), 0) / 2 ** 20;
  }
  const s = median(times);
  return { n, L, chi, seconds: s, gflops: flops / s / 1e9, bond, stateMiB: mib, fidelity: fid };
}

function svSeconds(n: number, L: number): number {
  const c = brickworkCircuit(n, L, 1234);
  const times: number[] = [];
  for (let r = 0; r <= cfg.reps; r++) {
    const t0 = performance.now();
    const sv = StateVectorBackend.zeros(n);
    sv.run(c);
    sv.expectations('Z');
    if (r > 0 || cfg.reps === 0) times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** Least-squares slope and intercept of log10 y against log10 x. */
function fit(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const X = xs.map(Math.log10), Y = ys.map(Math.log10);
  const mx = X.reduce((a, b) => a + b, 0) / X.length, my = Y.reduce((a, b) => a + b, 0) / Y.length;
  let sxy = 0, sxx = 0;
  X.forEach((x, i) => { sxy += (x - mx) * (Y[i]! - my); sxx += (x - mx) ** 2; });
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}

function gemmCeiling(): number {
  const n = 256, A = new Float64Array(n * n).fill(1.0001), B = new Float64Array(n * n).fill(0.9999), C = new Float64Array(n * n);
  gemmReal('N', 'N', n, n, n, A, B, C);
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) gemmReal('N', 'N', n, n, n, A, B, C);
  return (5 * 2 * n ** 3) / ((performance.now() - t0) / 1000) / 1e9;
}

const out = join('results', cfg.name);
mkdirSync(out, { recursive: true });
const ceiling = gemmCeiling();
const vsN = cfg.vsN.n.map((n) => mpsPoint(n, cfg.vsN.L, cfg.vsN.chi));
const vsChi = cfg.vsChi.chi.map((chi) => mpsPoint(cfg.vsChi.n, cfg.vsChi.L, chi));
const vsL = cfg.vsL.L.map((L) => mpsPoint(cfg.vsL.n, L, cfg.vsL.chi));
const cmp = cfg.mpsVsStateVector.n.map((n) => ({ n, mps: mpsPoint(n, cfg.mpsVsStateVector.L, 2 ** 20).seconds, sv: svSeconds(n, cfg.mpsVsStateVector.L), svMiB: StateVectorBackend.memoryBytes(n) / 2 ** 20 }));
const fN = fit(vsN.map((p) => p.n), vsN.map((p) => p.seconds));
const fChi = fit(vsChi.map((p) => p.bond), vsChi.map((p) => p.seconds));
const fL = fit(vsL.map((p) => p.L), vsL.map((p) => p.seconds));
// the state vector is exponential in n: fit log10 t = a·n + b (a = 0.30 for 2^n)
const fSv = fit(cmp.map((p) => 10 ** p.n), cmp.map((p) => p.sv));
const results = { name: cfg.name, config: cfg, gitCommit: gitCommit(), node: process.version, gemmCeilingGflops: ceiling, vsN, vsChi, vsL, mpsVsStateVector: cmp, fits: { n: fN, chi: fChi, L: fL, stateVectorN: fSv } };
await writeFileAtomic(join(out, 'results.json'), JSON.stringify(results, null, 1));
const row = (p: Point) => [p.n, p.L, p.chi, p.bond, p.seconds.toFixed(4), p.gflops.toFixed(2), (p.gflops / ceiling * 100).toFixed(0) + '%', p.stateMiB.toFixed(2), p.fidelity.toFixed(8)];
const hdr = ['n', 'L', 'χ cap', 'bond', 'seconds', 'GFLOP/s', 'of ceiling', 'state MiB', 'F'];
const table = [
  `# ${cfg.name}`, '', raw.description ?? '', '',
  `gemm ceiling ${ceiling.toFixed(2)} GFLOP/s; commit ${results.gitCommit}; ${process.version}.`, '',
  `## Time against n (L = ${cfg.vsN.L}, χ ≤ ${cfg.vsN.chi}): fitted exponent ${fN.slope.toFixed(2)} (cost model: 1 once the bond saturates)`, '', markdownTable(hdr, vsN.map(row)), '',
  `## Time against the bond reached (n = ${cfg.vsChi.n}, L = ${cfg.vsChi.L}): fitted exponent ${fChi.slope.toFixed(2)} (cost model: 3)`, '', markdownTable(hdr, vsChi.map(row)), '',
  `## Time against L (n = ${cfg.vsL.n}, χ ≤ ${cfg.vsL.chi}): fitted exponent ${fL.slope.toFixed(2)} (cost model: 1 once the bond saturates)`, '', markdownTable(hdr, vsL.map(row)), '',
  `## MPS (no cap) against the state vector (L = ${cfg.mpsVsStateVector.L}); state-vector time grows as 10^(${fSv.slope.toFixed(3)}·n) (2^n is 10^(0.301·n))`, '',
  markdownTable(['n', 'MPS seconds', 'state vector seconds', 'state vector MiB'], cmp.map((p) => [p.n, p.mps.toFixed(4), p.sv.toFixed(4), p.svMiB.toFixed(1)])), '',
].join('\n');
await writeFileAtomic(join(out, 'table.md'), table);
const sc = (title: string, xl: string, pts: { x: number; y: number }[], f: { slope: number; intercept: number }) => scatterChart({ title, x: { label: xl, scale: 'log' }, y: { label: 'time', unit: 's', scale: 'log' }, legendTitle: 'measurement', series: [{ name: `measured (slope ${f.slope.toFixed(2)})`, points: pts, fit: f }] });
const figs = [
  await writeFigure(out, 'time-vs-n', await sc('Brickwork forward pass: time against n', 'qubits n', vsN.map((p) => ({ x: p.n, y: p.seconds })), fN)),
  await writeFigure(out, 'time-vs-chi', await sc('Brickwork forward pass: time against the bond reached', 'bond dimension χ', vsChi.map((p) => ({ x: p.bond, y: p.seconds })), fChi)),
  await writeFigure(out, 'time-vs-L', await sc('Brickwork forward pass: time against depth', 'layers L', vsL.map((p) => ({ x: p.L, y: p.seconds })), fL)),
];
console.log(table);
console.log(['wrote', join(out, 'results.json'), join(out, 'table.md'), ...figs].join('\n'));
