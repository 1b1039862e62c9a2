/**
 * Kernel micro-benchmarks, timed with Benchmark.js: gemm (real/complex), QR, SVD (Jacobi and
 * the two-phase Gram split), eigh, and the two-site split of a gate update.
 *
 * Run: `npm run build && node dist/bench/kernels.js [--backend ts|wasm|both]
 * [--only gemm|qr|decomp|split|ndarray] [--quick] [--max-time 0.5] [--sizes 64,128,256]`
 * (`--backend both`, the default when the WebAssembly module is available, times each kernel
 * with the TypeScript and the WebAssembly SIMD backend side by side; `--quick` keeps sizes
 * 64 and 128 and a 0.2 s budget per kernel, as `npm run bench` uses; `--sizes` replaces the
 * sizes: n of the gemm, QR and decomposition rows, χ of the two-site split — `--only gemm
 * --sizes 512` and `--only split --sizes 256` time the ceiling of the χ = 256 update, whose
 * two-site matrix is 512×512).
 *
 * Each row is one Benchmark.js run: repeated cycles until `--max-time` seconds have passed and
 * at least 5 samples exist; it reports ops/s ± the relative margin of error (95 % confidence,
 * Student's t over the samples), the mean time per call and the number of samples. GFLOP/s
 * is the nominal count of mps/flops.ts divided by the mean time: gemm 2mnk real / 8mnk
 * complex; Householder QR 4mn² − (4/3)n³ (×4 complex); thin SVD 6mn² + 20n³ (×4 complex,
 * also for the Jacobi kernels and ml-matrix, whose own counts differ); eigh 9n³ (×4 complex);
 * the Gram split 2n³ + 9n³ + 2n²k (×4 complex); the two-site split as the engine's counter
 * records it (θ products plus the split). ml-matrix's real
 * SVD is timed at the same sizes as an outside reference. `--only ndarray` (also part of the
 * default run, once) times a naive matmul through flat indexing against ndarray get/set, and the
 * boundary conversions of mps/ndarray.ts.
 *
 * The two-site split is one brickwork gate update at bond dimension χ: θ = A·B with A of
 * (2χ)×χ and B of χ×(2χ), a CX (real) or RZZ(0.7) (complex) applied, and the truncated split
 * back to χ (cutoff 1e-10), S folded into Vh. On WebAssembly it is the fused update of the
 * kernel registry (`twoSiteSplit`); on TypeScript, `twoSiteTheta` + `truncatedSplit`
 * + scaling, which is what the engine runs there.
 */
import { parseArgs } from 'node:util';
import Benchmark from 'benchmark';
import ndarray from 'ndarray';
import { flattenNdArray, ndView } from '../mps/ndarray.js';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { setKernelBackend, wasmAvailable } from '../mps/kernels/registry.js';
import { gaussian, makeRng } from '../mps/rng.js';
import { gateMatrix } from '../mps/gates.js';
import { twoSiteTheta } from '../mps/apply.js';
import { countGemm, resetFlops } from '../mps/flops.js';
import { scaleRows } from '../mps/mps.js';
import { truncatedSplit, twoSiteSplit } from '../mps/split.js';
import { resolveTruncation } from '../mps/truncation.js';
import {
  eighComplex, eighReal, eighTopComplex, eighTopReal, gemmComplex, gemmReal, qrComplex, qrReal, svdComplex, svdGramComplex, svdGramReal, svdReal,
} from '../mps/kernels/index.js';

// Test functions are closures over their operands: call them, do not inline their source.
Benchmark.support.decompilation = false;

interface Row { kernel: string; size: string; hz: number; rme: number; samples: number; meanMs: number; gflops: number | null }

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: wasmAvailable() ? 'both' : 'ts' },
    only: { type: 'string', default: 'all' },
    quick: { type: 'boolean', default: false },
    'max-time': { type: 'string' },
    sizes: { type: 'string' },
  },
});
if (!['ts', 'wasm', 'both'].includes(args.backend!)) throw new Error(`--backend = ${args.backend}; allowed: ts, wasm, both`);
if (args.backend !== 'ts' && !wasmAvailable()) throw new Error(`--backend = ${args.backend}, but the WebAssembly module is not built (npm run build:wasm)`);
const ONLY = ['all', 'gemm', 'qr', 'decomp', 'split', 'ndarray'];
if (!ONLY.includes(args.only!)) throw new Error(`--only = ${args.only}; allowed: ${ONLY.join(', ')}`);
const maxTime = Number(args['max-time'] ?? (args.quick ? 0.2 : 0.5));
if (!(maxTime > 0 && maxTime <= 60)) throw new Error(`--max-time = ${args['max-time']}; allowed: seconds in (0, 60]`);
const SIZES = args.sizes !== undefined ? args.sizes.split(',').map(Number) : args.quick ? [64, 128] : [64, 128, 256];
if (!SIZES.every((x) => Number.isInteger(x) && x >= 2 && x <= 2048)) throw new Error(`--sizes = ${args.sizes}; allowed: comma-separated integers in [2, 2048]`);

function randn(seed: string, len: number): Float64Array {
  const rng = makeRng(seed);
  const x = new Float64Array(len);
  for (let i = 0; i < len; i++) x[i] = gaussian(rng);
  return x;
}

function symmetric(n: number, X: Float64Array, sign: number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = X[i * n + j]! + sign * X[j * n + i]!;
  return A;
}

/** One Benchmark.js run of `fn`; `flops` is its nominal operation count (null: none). */
function bench(rows: Row[], kernel: string, size: string, fn: () => void, flops: number | null): void {
  const b = new Benchmark(kernel, fn, { maxTime, minSamples: 5 });
  b.run();
  if (b.error) throw b.error;
  const mean = b.stats.mean;
  rows.push({ kernel, size, hz: b.hz, rme: b.stats.rme, samples: b.stats.sample.length, meanMs: mean * 1e3, gflops: flops === null ? null : flops / mean / 1e9 });
}

const qrFlops = (m: number, n: number, cplx: boolean) => (cplx ? 4 : 1) * (4 * Math.max(m, n) * Math.min(m, n) ** 2 - (4 / 3) * Math.min(m, n) ** 3);
const svdFlops = (m: number, n: number, cplx: boolean) => (cplx ? 4 : 1) * (6 * Math.max(m, n) * Math.min(m, n) ** 2 + 20 * Math.min(m, n) ** 3);
/** The Gram split of an n×n matrix keeping k values: 2n³ (Gram) + 9n³ (eigensolver) + 2n²k. */
const gramFlops = (n: number, k: number, cplx: boolean) => (cplx ? 4 : 1) * (2 * n ** 3 + 9 * n ** 3 + 2 * n * n * k);
const eighFlops = (n: number, cplx: boolean) => (cplx ? 4 : 1) * 9 * n ** 3;
/** The engine's own nominal count for one call of `fn` (mps/flops.ts counter). */
function counted(fn: () => void): number {
  resetFlops();
  fn();
  return resetFlops();
}

function gemms(rows: Row[]): void {
  for (const n of SIZES) {
    const A = randn(`a${n}`, n * n), B = randn(`b${n}`, n * n), Ai = randn(`ai${n}`, n * n), Bi = randn(`bi${n}`, n * n);
    const C = new Float64Array(n * n), Ci = new Float64Array(n * n);
    const size = `${n}×${n}×${n}`;
    bench(rows, 'gemmReal NN', size, () => gemmReal('N', 'N', n, n, n, A, B, C), 2 * n ** 3);
    bench(rows, 'gemmReal NT (A·Aᵀ)', size, () => gemmReal('N', 'T', n, n, n, A, A, C), 2 * n ** 3);
    bench(rows, 'gemmComplex NN', size, () => gemmComplex('N', 'N', n, n, n, A, Ai, B, Bi, C, Ci), 8 * n ** 3);
    bench(rows, 'gemmComplex CN (A†·A)', size, () => gemmComplex('C', 'N', n, n, n, A, Ai, A, Ai, C, Ci), 8 * n ** 3);
  }
}

function qrs(rows: Row[]): void {
  for (const n of SIZES) {
    // a site tensor (χ·2)×χ, as in a centre move
    const m = 2 * n;
    const A = randn(`q${n}`, m * n), Ai = randn(`qi${n}`, m * n);
    const size = `${m}×${n}`;
    bench(rows, 'qrReal', size, () => qrReal(m, n, A), qrFlops(m, n, false));
    bench(rows, 'qrComplex', size, () => qrComplex(m, n, A, Ai), qrFlops(m, n, true));
  }
}

function decomps(rows: Row[], withReference: boolean): void {
  for (const n of SIZES) {
    const A = randn(`s${n}`, n * n), Ai = randn(`si${n}`, n * n);
    const size = `${n}×${n}`;
    const k = n >> 1;
    bench(rows, 'svdReal (Jacobi)', size, () => svdReal(n, n, A), svdFlops(n, n, false));
    bench(rows, 'svdComplex (Jacobi)', size, () => svdComplex(n, n, A, Ai), svdFlops(n, n, true));
    bench(rows, 'svdGramReal (k = n)', size, () => svdGramReal(n, n, A, n), gramFlops(n, n, false));
    bench(rows, 'svdGramComplex (k = n)', size, () => svdGramComplex(n, n, A, Ai, n), gramFlops(n, n, true));
    bench(rows, 'svdGramReal (k = n/2)', size, () => svdGramReal(n, n, A, k), gramFlops(n, k, false));
    bench(rows, 'svdGramComplex (k = n/2)', size, () => svdGramComplex(n, n, A, Ai, k), gramFlops(n, k, true));
    const S = symmetric(n, A, 1), Hr = symmetric(n, A, 1), Hi = symmetric(n, Ai, -1);
    bench(rows, 'eighReal', size, () => eighReal(n, S), eighFlops(n, false));
    bench(rows, 'eighComplex', size, () => eighComplex(n, Hr, Hi), eighFlops(n, true));
    bench(rows, 'eighTopReal (k = n/2)', size, () => eighTopReal(n, S, () => k), null);
    bench(rows, 'eighTopComplex (k = n/2)', size, () => eighTopComplex(n, Hr, Hi, () => k), null);
    if (withReference) {
      const M = new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n))));
      bench(rows, 'ml-matrix SVD (real)', size, () => new SingularValueDecomposition(M), svdFlops(n, n, false));
    }
  }
}

function splits(rows: Row[]): void {
  for (const chi of SIZES) {
    const opts = resolveTruncation({ maxBond: chi, cutoff: 1e-10 });
    const dl = chi, c = chi, dr = chi;
    for (const complex of [false, true]) {
      const A = { dl, d: 2, dr: c, re: randn(`A${chi}`, dl * 2 * c), im: complex ? randn(`Ai${chi}`, dl * 2 * c) : null };
      const B = { dl: c, d: 2, dr, re: randn(`B${chi}`, c * 2 * dr), im: complex ? randn(`Bi${chi}`, c * 2 * dr) : null };
      const g = complex ? gateMatrix({ name: 'rzz', qubits: [0, 1], params: [0.7] }) : gateMatrix({ name: 'cx', qubits: [0, 1], params: [] });
      const fused = () => twoSiteSplit(dl, c, dr, A, B, g, opts, 1);
      const unfused = () => {
        const { ore, oim } = twoSiteTheta(A, B, g, !complex);
        const sp = truncatedSplit(dl * 2, 2 * dr, ore, oim, opts);
        scaleRows(sp.Vhre, sp.Vhim, sp.k, 2 * dr, sp.S);
      };
      const probe = fused();
      const useFused = probe.status === 'split';
      const fn = useFused ? () => { fused(); } : unfused;
      const flops = counted(fn) + counted(() => { countGemm(dl * 2, 2 * dr, c, complex ? 2 : 0); countGemm(4, dr * dl, 4, complex ? 2 : 0); });
      const how = useFused ? 'fused' : 'θ + truncatedSplit';
      bench(rows, `two-site split ${complex ? 'complex' : 'real'} (${how})`, `χ = ${chi}`, fn, flops);
    }
  }
}

/**
 * Why the kernels stay on flat arrays: the same naive i-k-j matmul through flat indexing and
 * through ndarray `get`/`set`, and the cost of the boundary conversions (a stride-honouring
 * copy of a transposed view; a zero-copy view).
 */
function ndarrays(rows: Row[]): void {
  const n = 64;
  const A = randn('nA', n * n), B = randn('nB', n * n), C = new Float64Array(n * n);
  const a = ndarray(A, [n, n]), b = ndarray(B, [n, n]), c = ndarray(C, [n, n]);
  const size = `${n}×${n}×${n}`;
  bench(rows, 'naive matmul, flat Float64Array', size, () => {
    C.fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const x = A[i * n + k]!;
      for (let j = 0; j < n; j++) C[i * n + j]! += x * B[k * n + j]!;
    }
  }, 2 * n ** 3);
  bench(rows, 'naive matmul, ndarray get/set', size, () => {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c.set(i, j, 0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const x = a.get(i, k);
      for (let j = 0; j < n; j++) c.set(i, j, c.get(i, j) + x * b.get(k, j));
    }
  }, 2 * n ** 3);
  const q = 16, big = randn('nbig', 2 ** q);
  const t = ndarray(big, new Array<number>(q).fill(2)).transpose(...Array.from({ length: q }, (_, j) => q - 1 - j));
  bench(rows, 'flattenNdArray, transposed [2]×16 view', '2^16', () => flattenNdArray(t, 'bench'), null);
  bench(rows, 'ndView (zero-copy)', '2^16', () => ndView(big, [256, 256]), null);
}

function main(): void {
  const rows: Row[] = [];
  const backends = (args.backend === 'both' ? ['ts', 'wasm'] : [args.backend]) as ('ts' | 'wasm')[];
  const t0 = performance.now();
  for (const [i, be] of backends.entries()) {
    setKernelBackend(be);
    const before = rows.length;
    if (args.only === 'all' || args.only === 'gemm') gemms(rows);
    if (args.only === 'all' || args.only === 'qr') qrs(rows);
    if (args.only === 'all' || args.only === 'decomp') decomps(rows, i === 0);
    if (args.only === 'all' || args.only === 'split') splits(rows);
    if ((args.only === 'all' || args.only === 'ndarray') && i === 0) ndarrays(rows);
    for (let r = before; r < rows.length; r++) if (!/^(ml-matrix|naive|flatten|ndView)/.test(rows[r]!.kernel)) rows[r]!.kernel = `${rows[r]!.kernel} [${be}]`;
  }
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const lines = [
    `Kernel micro-benchmarks (Benchmark.js ${Benchmark.version}, max ${maxTime} s per kernel, ≥ 5 samples; RME = relative margin of error at 95 %)`,
    '',
    '| kernel | size | ops/s ± RME | mean ms | samples | GFLOP/s |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.kernel} | ${r.size} | ${fmt(r.hz)} ± ${r.rme.toFixed(1)} % | ${r.meanMs.toFixed(2)} | ${r.samples} | ${r.gflops === null ? '' : r.gflops.toFixed(2)} |`);
  }
  lines.push('', `(${rows.length} kernels in ${((performance.now() - t0) / 1000).toFixed(1)} s)`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
