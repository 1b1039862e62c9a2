/**
 * Kernel benchmarks: gemm (real/complex) and the decompositions at fixed sizes.
 *
 * Run: `npm run build && node dist/bench/kernels.js [--backend ts|wasm|both] [--only gemm|decomp]`
 * (`--backend both`, the default when the WebAssembly module is available, times each kernel
 * with the TypeScript and the WebAssembly SIMD backend side by side).
 *
 * Prints one table row per kernel and size with the median time (ms) and, for gemm, the
 * achieved GFLOP/s (2mnk real, 8mnk complex). The ceiling on the 2-core reference VMs is
 * about 4.4 GFLOP/s for register-blocked JS (DESIGN.md §7). ml-matrix's real SVD is timed
 * at the same sizes for comparison.
 */
import { parseArgs } from 'node:util';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { setKernelBackend, wasmAvailable } from '../mps/kernels/wasm.js';
import { gaussian, makeRng } from '../mps/rng.js';
import * as K from '../mps/kernels/index.js';
import { eighComplex, eighReal, gemmComplex, gemmReal, svdComplex, svdGramComplex, svdGramReal, svdReal } from '../mps/kernels/index.js';

interface Row { kernel: string; size: string; ms: number; gflops: number | null }

function randn(seed: string, len: number): Float64Array {
  const rng = makeRng(seed);
  const x = new Float64Array(len);
  for (let i = 0; i < len; i++) x[i] = gaussian(rng);
  return x;
}

/** Median wall time (ms) of `fn`, after one warm-up, over enough repeats to fill ~`budgetMs`. */
function time(fn: () => void, budgetMs = 400): number {
  fn();
  const t0 = performance.now();
  fn();
  const once = performance.now() - t0;
  const reps = Math.max(3, Math.min(200, Math.floor(budgetMs / Math.max(once, 1e-3))));
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}

function symmetric(n: number, X: Float64Array, sign: number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = X[i * n + j] + sign * X[j * n + i];
  return A;
}

const { values: args } = parseArgs({ options: { backend: { type: 'string', default: wasmAvailable() ? 'both' : 'ts' }, only: { type: 'string', default: 'all' } } });
if (!['ts', 'wasm', 'both'].includes(args.backend!)) throw new Error(`--backend = ${args.backend}; allowed: ts, wasm, both`);
if (!['all', 'gemm', 'decomp'].includes(args.only!)) throw new Error(`--only = ${args.only}; allowed: all, gemm, decomp`);

function main(): void {
  const rows: Row[] = [];
  const backends = (args.backend === 'both' ? ['ts', 'wasm'] : [args.backend]) as ('ts' | 'wasm')[];
  for (const be of backends) {
    setKernelBackend(be);
    const before = rows.length;
    if (args.only !== 'decomp') gemms(rows);
    if (args.only !== 'gemm') decomps(rows);
    for (let i = before; i < rows.length; i++) rows[i]!.kernel = `${rows[i]!.kernel} [${be}]`;
  }
  const lines = ['| kernel | size | ms | GFLOP/s |', '|---|---|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.kernel} | ${r.size} | ${r.ms.toFixed(2)} | ${r.gflops === null ? '' : r.gflops.toFixed(2)} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function gemms(rows: Row[]): void {
  for (const n of [64, 128, 256]) {
    const A = randn(`a${n}`, n * n), B = randn(`b${n}`, n * n), Ai = randn(`ai${n}`, n * n), Bi = randn(`bi${n}`, n * n);
    const C = new Float64Array(n * n), Ci = new Float64Array(n * n);
    const size = `${n}×${n}×${n}`;
    let ms = time(() => gemmReal('N', 'N', n, n, n, A, B, C));
    rows.push({ kernel: 'gemmReal NN', size, ms, gflops: (2 * n ** 3) / ms / 1e6 });
    ms = time(() => gemmReal('N', 'T', n, n, n, A, A, C));
    rows.push({ kernel: 'gemmReal NT (A·Aᵀ)', size, ms, gflops: (2 * n ** 3) / ms / 1e6 });
    ms = time(() => gemmComplex('N', 'N', n, n, n, A, Ai, B, Bi, C, Ci));
    rows.push({ kernel: 'gemmComplex NN', size, ms, gflops: (8 * n ** 3) / ms / 1e6 });
    ms = time(() => gemmComplex('C', 'N', n, n, n, A, Ai, A, Ai, C, Ci));
    rows.push({ kernel: 'gemmComplex CN (A†·A)', size, ms, gflops: (8 * n ** 3) / ms / 1e6 });
  }
}

function decomps(rows: Row[]): void {
  for (const n of [64, 128, 256]) {
    const A = randn(`s${n}`, n * n), Ai = randn(`si${n}`, n * n);
    const size = `${n}×${n}`;
    const budget = n >= 256 ? 1500 : 600;
    rows.push({ kernel: 'svdReal (Jacobi)', size, ms: time(() => svdReal(n, n, A), budget), gflops: null });
    rows.push({ kernel: 'svdComplex (Jacobi)', size, ms: time(() => svdComplex(n, n, A, Ai), budget), gflops: null });
    rows.push({ kernel: 'svdGramReal (k = n)', size, ms: time(() => svdGramReal(n, n, A, n), budget), gflops: null });
    rows.push({ kernel: 'svdGramComplex (k = n)', size, ms: time(() => svdGramComplex(n, n, A, Ai, n), budget), gflops: null });
    const S = symmetric(n, A, 1), Hr = symmetric(n, A, 1), Hi = symmetric(n, Ai, -1);
    rows.push({ kernel: 'eighReal', size, ms: time(() => eighReal(n, S), budget), gflops: null });
    rows.push({ kernel: 'eighComplex', size, ms: time(() => eighComplex(n, Hr, Hi), budget), gflops: null });
    // two-phase kernels (absent from older trees, so looked up dynamically)
    const k = n >> 1;
    const kr = K as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>;
    const topR = kr['eighTopReal'], topC = kr['eighTopComplex'];
    if (topR && topC) {
      rows.push({ kernel: 'eighTopReal (k = n/2)', size, ms: time(() => topR(n, S, () => k), budget), gflops: null });
      rows.push({ kernel: 'eighTopComplex (k = n/2)', size, ms: time(() => topC(n, Hr, Hi, () => k), budget), gflops: null });
    }
    rows.push({ kernel: 'svdGramReal (k = n/2)', size, ms: time(() => svdGramReal(n, n, A, k), budget), gflops: null });
    rows.push({ kernel: 'svdGramComplex (k = n/2)', size, ms: time(() => svdGramComplex(n, n, A, Ai, k), budget), gflops: null });
    const M = new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n))));
    rows.push({ kernel: 'ml-matrix SVD (real)', size, ms: time(() => new SingularValueDecomposition(M), budget), gflops: null });
  }
}

main();
