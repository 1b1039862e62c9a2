import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../mps/rng.js';
import { eighComplex, eighReal } from '../../../mps/kernels/eigh.js';
import { diffFro, fro, isoError, mul, randn, withSpectrum } from './helpers.js';

const TOL = { residual: 1e-12, iso: 1e-12, eig: 1e-12 };

/** Hermitian A = X + X† from a Gaussian X (im null for real). */
function randomHermitian(seed: string, n: number, complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const rng = makeRng(seed);
  const Xr = randn(rng, n * n);
  const Xi = complex ? randn(rng, n * n) : null;
  const re = new Float64Array(n * n);
  const im = complex ? new Float64Array(n * n) : null;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    re[i * n + j] = Xr[i * n + j] + Xr[j * n + i];
    if (im && Xi) im[i * n + j] = Xi[i * n + j] - Xi[j * n + i];
  }
  return { re, im };
}


function check(n: number, A: { re: Float64Array; im: Float64Array | null }): Float64Array {
  let w: Float64Array, Vr: Float64Array, Vi: Float64Array | null;
  if (A.im) ({ w, Vre: Vr, Vim: Vi } = eighComplex(n, A.re, A.im));
  else {
    ({ w, V: Vr } = eighReal(n, A.re));
    Vi = null;
  }
  for (let j = 1; j < n; j++) expect(w[j]).toBeGreaterThanOrEqual(w[j - 1]);
  const AV = mul('N', 'N', n, n, n, A.re, A.im, Vr, Vi);
  const Vw = { re: Vr.slice(), im: Vi ? Vi.slice() : null };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    Vw.re[i * n + j] *= w[j];
    if (Vw.im) Vw.im[i * n + j] *= w[j];
  }
  const scale = Math.max(fro(A.re, A.im), 1e-300);
  expect(diffFro(AV.re, AV.im, Vw.re, Vw.im) / scale).toBeLessThan(TOL.residual);
  expect(isoError(n, n, Vr, Vi)).toBeLessThan(TOL.iso);
  return w;
}

describe('eigh', () => {
  const cases = [1, 2, 3, 7, 32, 100].flatMap((n) => [[n, false], [n, true]] as const);
  it.each(cases)('random n = %i (complex: %s): A·V = V·diag(w), V unitary', (n, complex) => {
    check(n, randomHermitian(`eigh-${n}-${complex}`, n, complex));
  });

  it.each([false, true])('degenerate spectrum (complex: %s)', (complex) => {
    const spec = [3, 3, 3, -1, -1, 0, 0, 0, 0, 2];
    const w = check(spec.length, withSpectrum(`deg-${complex}`, spec, complex));
    const sorted = [...spec].sort((a, b) => a - b);
    for (let j = 0; j < spec.length; j++) expect(Math.abs(w[j] - sorted[j])).toBeLessThan(TOL.eig * 10);
  });

  it.each([false, true])('zero, identity and diagonal matrices (complex: %s)', (complex) => {
    const n = 6;
    const z = { re: new Float64Array(n * n), im: complex ? new Float64Array(n * n) : null };
    expect(Array.from(check(n, z))).toEqual(new Array(n).fill(0));
    const id = { re: new Float64Array(n * n), im: complex ? new Float64Array(n * n) : null };
    for (let i = 0; i < n; i++) id.re[i * n + i] = 1;
    check(n, id);
    const dg = { re: new Float64Array(n * n), im: complex ? new Float64Array(n * n) : null };
    for (let i = 0; i < n; i++) dg.re[i * n + i] = n - i;
    expect(Array.from(check(n, dg))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
