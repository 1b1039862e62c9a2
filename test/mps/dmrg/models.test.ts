import { describe, expect, it } from 'vitest';
import { clusterStringOrder, MODEL_NAMES, modelHamiltonian, modelPauliSum, resolveModel } from '../../../mps/dmrg/index.js';
import { denseMatrix } from './exact.js';

function matmul(A: Float64Array, B: Float64Array, N: number): Float64Array {
  const C = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let k = 0; k < N; k++) {
    const a = A[i * N + k]!;
    if (a === 0) continue;
    for (let j = 0; j < N; j++) C[i * N + j]! += a * B[k * N + j]!;
  }
  return C;
}

describe('model Pauli sums', () => {
  it('TFIM has n−1 couplings and n fields with the documented signs', () => {
    const s = modelPauliSum('tfim', 4, { J: 2, h: 0.5 });
    expect(s.filter((t) => t.factors.length === 2).map((t) => t.coeff)).toEqual([-2, -2, -2]);
    expect(s.filter((t) => t.factors.length === 1).map((t) => t.coeff)).toEqual([-0.5, -0.5, -0.5, -0.5]);
  });
  it('XXZ alternates (1 + δ) on even bonds and (1 − δ) on odd bonds', () => {
    const s = modelPauliSum('xxz', 4, { delta: 0.25, Delta: 2 });
    const zz = s.filter((t) => t.factors.every((f) => f.p === 'Z')).map((t) => t.coeff);
    expect(zz).toEqual([2 * 1.25, 2 * 0.75, 2 * 1.25]);
  });
  it('ANNNI: −X X + κ X X(next-nearest) − h Z; zero coefficients are dropped', () => {
    const s = modelPauliSum('annni', 5, { kappa: 0.5, h: 0 });
    expect(s).toHaveLength(4 + 3);
    expect(s.filter((t) => t.factors[1]?.q === (t.factors[0]?.q ?? 0) + 2).every((t) => t.coeff === 0.5)).toBe(true);
  });
  it('every model gives a real MPO', () => {
    for (const m of MODEL_NAMES) expect(modelHamiltonian(m, 6, {}).sites.every((W) => W.im === null)).toBe(true);
  });
});

describe('validation', () => {
  it.each([
    ['ising', 6, {}, /unknown model 'ising'; allowed: tfim, cluster-ising, annni, xxz/],
    ['tfim', 1, {}, /n must be an integer ≥ 2 for model 'tfim', got 1/],
    ['cluster-ising', 2, {}, /n must be an integer ≥ 3/],
    ['tfim', 4.5, {}, /got 4.5/],
    ['tfim', 6, { kappa: 1 }, /model 'tfim' has no parameter 'kappa'; allowed: J, h/],
    ['annni', 6, { h: NaN }, /parameter h must be a finite number, got NaN/],
  ] as const)('%s, n = %s, %o → error', (name, n, params, msg) => {
    expect(() => modelHamiltonian(name, n, params)).toThrow(msg);
  });
  it('fills defaults', () => {
    expect(resolveModel('xxz', 4, { Delta: 0.5 }).params).toEqual({ J: 1, delta: 0, Delta: 0.5 });
  });
});

describe('cluster string order', () => {
  it.each([[1, 2], [1, 3], [2, 5], [1, 5]])('the Pauli string for K_%i ⋯ K_%i equals the product of the stabilisers (dense, n = 7)', (a, b) => {
    const n = 7, N = 1 << n;
    let P: Float64Array | null = null;
    for (let i = a; i <= b; i++) {
      const K = denseMatrix(n, [{ coeff: 1, factors: [{ q: i - 1, p: 'Z' }, { q: i, p: 'X' }, { q: i + 1, p: 'Z' }] }]);
      P = P ? matmul(P, K, N) : K;
    }
    const S = denseMatrix(n, [clusterStringOrder(n, a, b)]);
    expect(Math.max(...S.map((v, i) => Math.abs(v - P![i]!)))).toBe(0);
  });
  it('rejects a string that does not fit', () => {
    expect(() => clusterStringOrder(6, 0, 3)).toThrow(/1 ≤ a < b ≤ n − 2 = 4/);
    expect(() => clusterStringOrder(6, 2, 5)).toThrow(/got a = 2, b = 5/);
  });
});
