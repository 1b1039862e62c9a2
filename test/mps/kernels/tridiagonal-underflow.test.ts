// The tridiagonal eigenproblem near the underflow limit. Inverse iteration: the solve's tolerance is
// max|U|·ε; where that product underflows to 0, a zero pivot's perturbation stayed 0 and the
// guard of the back-substitution looped for ever (both backends). LAPACK dlagts tests the
// product, not the maximum, for zero. Each case runs in a child process with a time limit, so
// a regression fails here instead of hanging the suite.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = join(dirname(fileURLToPath(import.meta.url)), '../../../dist');

interface Case { n: number; d: number; subnormalAt: number[]; w: number[] }
const cases: [string, Case][] = [
  ['n = 18, shift equal to the diagonal, one coupling of 1e-316, k = 1', { n: 18, d: 1e-300, subnormalAt: [12], w: [1e-300] }],
  ['n = 18, shifts 0 and 1e-300 (the second would run beside the first), k = 2', { n: 18, d: 1e-300, subnormalAt: [12], w: [0, 1e-300] }],
  ['n = 40, couplings of 1e-316 at five places, k = 3', { n: 40, d: 1e-300, subnormalAt: [2, 8, 16, 28, 33], w: [1e-300, 1e-300, 1e-300] }],
  ['n = 24, diagonal 1e-310 (subnormal), k = 2', { n: 24, d: 1e-310, subnormalAt: [5], w: [1e-310, 1e-310] }],
];

function run(c: Case, backend: 'ts' | 'wasm'): { status: number | null; out: string } {
  const script = `
    const { tridiagEigvecs } = await import(${JSON.stringify(join(dist, 'mps/kernels/tridiagonal.js'))});
    const { setKernelBackend, wasmAvailable } = await import(${JSON.stringify(join(dist, 'mps/kernels/wasm.js'))});
    if (${JSON.stringify(backend)} === 'wasm' && !wasmAvailable()) { console.log('no-wasm'); process.exit(0); }
    setKernelBackend(${JSON.stringify(backend)});
    const c = ${JSON.stringify(c)};
    const d = new Float64Array(c.n).fill(c.d), e = new Float64Array(c.n);
    for (const i of c.subnormalAt) e[i] = 1e-316;
    const k = c.w.length, Z = new Float64Array(k * c.n);
    const ok = tridiagEigvecs(c.n, d, e, Float64Array.from(c.w), k, Z, 1e-3);
    console.log(JSON.stringify({ ok, Z: ok ? Array.from(Z, (v) => Object.is(v, -0) ? '-0' : v) : null }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout.trim() };
}

describe('inverse iteration near the underflow limit', () => {
  it.each(cases)('%s: returns on both backends, with the same flag and vectors', (_name, c) => {
    const ts = run(c, 'ts');
    expect(ts.status, 'TypeScript kernel finished within 30 s').toBe(0);
    const wasm = run(c, 'wasm');
    expect(wasm.status, 'WebAssembly kernel finished within 30 s').toBe(0);
    if (wasm.out !== 'no-wasm') expect(wasm.out).toBe(ts.out);
    const r = JSON.parse(ts.out) as { ok: boolean; Z: (number | string)[] | null };
    if (r.ok) {
      // unit vectors
      for (let j = 0; j < c.w.length; j++) {
        const row = r.Z!.slice(j * c.n, (j + 1) * c.n).map(Number);
        expect(Math.abs(row.reduce((s, v) => s + v * v, 0) - 1)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('rational QL eigenvalues of tiny and huge tridiagonals', () => {
  // tqlrat scales by powers of two into [2^−64, 2^64]; below a norm of 2^−960 the upward scale
  // overflowed to Infinity (eigenvalues NaN, reported as converged). Each scaled copy of a
  // fixed tridiagonal must give the scaled eigenvalues, finite, on both backends alike.
  const n = 20;
  const d0 = Float64Array.from({ length: n }, (_, i) => (i % 5) - 1.5 + 0.1 * i);
  const e0 = Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? 0.3 + 0.05 * (i % 3) : 0));
  async function eigenvalues(s: number, backend: 'ts' | 'wasm'): Promise<Float64Array> {
    const { tqlrat } = await import('../../../mps/kernels/tridiagonal.js');
    const { setKernelBackend } = await import('../../../mps/kernels/wasm.js');
    const prev = setKernelBackend(backend);
    try {
      const w = d0.map((v) => v * s), e = e0.map((v) => v * s);
      expect(tqlrat(n, w, e, new Float64Array(n))).toBe(true);
      return w.sort();
    } finally {
      setKernelBackend(prev);
    }
  }
  it.each([1e300, 1e-280, 1e-289, 1e-300, 2 ** -1000, 1e-310])('scale %s: finite, equal to the scale times the unscaled eigenvalues to 1e-12, both backends alike', async (s) => {
    const ref = await eigenvalues(1, 'ts');
    const ts = await eigenvalues(s, 'ts');
    const { wasmAvailable } = await import('../../../mps/kernels/wasm.js');
    if (wasmAvailable()) expect(await eigenvalues(s, 'wasm')).toEqual(ts);
    const norm = Math.max(...ref.map(Math.abs));
    // the subnormal scale 1e-310 keeps about 15 fewer bits of the inputs themselves
    const tol = s < 2.3e-308 ? 1e-9 : 1e-12;
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(ts[i]!)).toBe(true);
      expect(Math.abs(ts[i]! / s - ref[i]!)).toBeLessThan(tol * norm);
    }
  });
});
