import { describe, expect, it } from 'vitest';
import { DEFAULT_LANCZOS, lanczosLowest } from '../../../mps/dmrg/index.js';
import { eighReal } from '../../../mps/kernels/index.js';
import { gaussian, makeRng } from '../../../mps/index.js';

const TOL = { value: 1e-10, vector: 1e-9 };

function randomSymmetric(N: number, seed: string, shift = 0): Float64Array {
  const rng = makeRng(seed);
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) { const v = gaussian(rng); A[i * N + j] = v; A[j * N + i] = v; }
  for (let i = 0; i < N; i++) A[i * N + i]! += shift * i;
  return A;
}

const dense = (A: Float64Array, N: number) => (x: Float64Array, y: Float64Array) => {
  for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < N; j++) s += A[i * N + j]! * x[j]!; y[i] = s; }
};

describe('Lanczos lowest eigenpair', () => {
  it.each([[5, 0], [60, 0], [200, 0.05]])('matches eighReal on a random symmetric %i×%i matrix (diagonal ramp %s)', (N, shift) => {
    const A = randomSymmetric(N, `lanczos-${N}`, shift);
    const { w, V } = eighReal(N, A);
    const x0 = Float64Array.from({ length: N }, (_, i) => Math.cos(i));
    const r = lanczosLowest(dense(A, N), x0, { ...DEFAULT_LANCZOS, maxIter: 30, maxRestarts: 50 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.value - w[0]!)).toBeLessThan(TOL.value * Math.max(1, Math.abs(w[0]!)));
    let ov = 0;
    for (let i = 0; i < N; i++) ov += r.vector[i]! * V[i * N]!;
    expect(1 - Math.abs(ov)).toBeLessThan(TOL.vector);
    // the reported residual is the true one
    const y = new Float64Array(N);
    dense(A, N)(r.vector, y);
    let res = 0;
    for (let i = 0; i < N; i++) res += (y[i]! - r.value * r.vector[i]!) ** 2;
    expect(Math.sqrt(res)).toBeLessThan(Math.max(10 * r.residual, 1e-12));
  });
  it('stops on an invariant Krylov space (exact eigenvector start) after one matvec', () => {
    const N = 30;
    const A = randomSymmetric(N, 'lanczos-inv');
    const { w, V } = eighReal(N, A);
    const x0 = Float64Array.from({ length: N }, (_, i) => V[i * N]!);
    const r = lanczosLowest(dense(A, N), x0);
    expect(r.matvecs).toBe(1);
    expect(Math.abs(r.value - w[0]!)).toBeLessThan(TOL.value);
  });
  it('reports non-convergence when the budget is too small, and a zero start vector is replaced', () => {
    const N = 300;
    const A = randomSymmetric(N, 'lanczos-budget');
    const r = lanczosLowest(dense(A, N), new Float64Array(N), { tol: 1e-14, maxIter: 3, maxRestarts: 0 });
    expect(r.converged).toBe(false);
    expect(r.matvecs).toBe(3);
    expect(Number.isFinite(r.value)).toBe(true);
  });
  it.each([1e-300, 1e-12, 1e12, 1e300])('is scale-free: c·A (c = %s) takes the same steps, gives the same vector and c times the value', (c) => {
    const N = 80;
    const A = randomSymmetric(N, 'lanczos-scale', 0.02);
    const x0 = Float64Array.from({ length: N }, (_, i) => Math.sin(i + 1));
    const opts = { tol: 1e-10, maxIter: 20, maxRestarts: 10 };
    const ref = lanczosLowest(dense(A, N), x0, opts);
    const r = lanczosLowest(dense(A.map((v) => v * c), N), x0, opts);
    expect(ref.converged).toBe(true);
    expect(r.converged).toBe(true);
    expect(r.matvecs).toBe(ref.matvecs); // an absolute tolerance would stop at once for c = 1e-12
    expect(Math.abs(r.value / c - ref.value)).toBeLessThan(1e-13 * Math.abs(ref.value));
    let ov = 0;
    for (let i = 0; i < N; i++) ov += r.vector[i]! * ref.vector[i]!;
    expect(1 - Math.abs(ov)).toBeLessThan(1e-13);
    expect(Math.abs(r.residual / c - ref.residual)).toBeLessThanOrEqual(1e-3 * ref.residual + 1e-13 * Math.abs(ref.value));
  });
});
