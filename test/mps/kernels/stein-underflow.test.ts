// Inverse iteration on tridiagonals near the underflow limit. The solve's tolerance is
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
