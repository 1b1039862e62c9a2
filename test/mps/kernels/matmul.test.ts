import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../mps/rng.js';
import { gemmComplex, gemmReal, type ComplexOp, type RealOp } from '../../../mps/kernels/matmul.js';
import { diffFro, fro, mul, randn } from './helpers.js';

const TOL = { gemm: 1e-12 };
const SHAPES: [number, number, number][] = [[1, 1, 1], [5, 7, 3], [33, 17, 9], [4, 4, 4], [8, 12, 200], [3, 1, 5], [1, 6, 2], [65, 66, 67]];
const ROPS: [RealOp, RealOp][] = [['N', 'N'], ['N', 'T'], ['T', 'N'], ['T', 'T']];
const COPS: ComplexOp[] = ['N', 'T', 'C'];

describe('gemmReal', () => {
  const cases = SHAPES.flatMap(([m, n, k]) => ROPS.map(([a, b]) => [m, n, k, a, b] as const));
  it.each(cases)('%i×%i×%i op %s%s matches the naive product', (m, n, k, opA, opB) => {
    const rng = makeRng(`gemmReal-${m}-${n}-${k}-${opA}${opB}`);
    const A = randn(rng, m * k);
    const B = randn(rng, k * n);
    const C = new Float64Array(m * n).fill(Number.NaN); // must be overwritten
    gemmReal(opA, opB, m, n, k, A, B, C);
    const ref = mul(opA, opB, m, n, k, A, null, B, null);
    expect(diffFro(C, null, ref.re, null) / fro(ref.re)).toBeLessThan(TOL.gemm);
  });

  it('k = 0 gives zeros', () => {
    const C = new Float64Array(6).fill(7);
    gemmReal('N', 'N', 2, 3, 0, new Float64Array(0), new Float64Array(0), C);
    expect(Array.from(C)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('gemmComplex', () => {
  const kinds = ['cc', 'rc', 'cr', 'rr'] as const;
  const cases = SHAPES.flatMap(([m, n, k]) => COPS.flatMap((a) => COPS.flatMap((b) => kinds.map((kind) => [m, n, k, a, b, kind] as const))));
  it.each(cases)('%i×%i×%i op %s%s (%s) matches the naive product', (m, n, k, opA, opB, kind) => {
    const rng = makeRng(`gemmComplex-${m}-${n}-${k}-${opA}${opB}-${kind}`);
    const Ar = randn(rng, m * k);
    const Ai = kind[0] === 'c' ? randn(rng, m * k) : null;
    const Br = randn(rng, k * n);
    const Bi = kind[1] === 'c' ? randn(rng, k * n) : null;
    const Cr = new Float64Array(m * n).fill(Number.NaN);
    const Ci = new Float64Array(m * n).fill(Number.NaN);
    gemmComplex(opA, opB, m, n, k, Ar, Ai, Br, Bi, Cr, Ci);
    const ref = mul(opA, opB, m, n, k, Ar, Ai, Br, Bi);
    expect(diffFro(Cr, Ci, ref.re, ref.im) / fro(ref.re, ref.im)).toBeLessThan(TOL.gemm);
  });
});
