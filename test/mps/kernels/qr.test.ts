import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../mps/rng.js';
import { lqComplex, lqReal, qrComplex, qrReal } from '../../../mps/kernels/qr.js';
import { diffFro, fro, isoError, mul, randn } from './helpers.js';

const TOL = { recon: 1e-13, iso: 1e-13 };
const SHAPES: [number, number][] = [[1, 1], [1, 5], [5, 1], [7, 3], [3, 7], [6, 6], [64, 40], [40, 64]];
const CASES = SHAPES.flatMap(([m, n]) => [[m, n, false], [m, n, true]] as const);

describe('QR', () => {
  it.each(CASES)('%i×%i (complex: %s): A = QR, Q isometry, R upper-triangular', (m, n, complex) => {
    const rng = makeRng(`qr-${m}-${n}-${complex}`);
    const Ar = randn(rng, m * n);
    const Ai = complex ? randn(rng, m * n) : null;
    const r = Math.min(m, n);
    let Qr: Float64Array, Qi: Float64Array | null, Rr: Float64Array, Ri: Float64Array | null;
    if (Ai) {
      const f = qrComplex(m, n, Ar, Ai);
      expect(f.r).toBe(r);
      ({ Qre: Qr, Qim: Qi, Rre: Rr, Rim: Ri } = f);
    } else {
      const f = qrReal(m, n, Ar);
      expect(f.r).toBe(r);
      ({ Q: Qr, R: Rr } = f);
      Qi = null;
      Ri = null;
    }
    const QR = mul('N', 'N', m, n, r, Qr, Qi, Rr, Ri);
    expect(diffFro(QR.re, QR.im, Ar, Ai) / fro(Ar, Ai)).toBeLessThan(TOL.recon);
    expect(isoError(m, r, Qr, Qi)).toBeLessThan(TOL.iso);
    for (let i = 0; i < r; i++) for (let j = 0; j < Math.min(i, n); j++) {
      expect(Rr[i * n + j]).toBe(0);
      if (Ri) expect(Ri[i * n + j]).toBe(0);
    }
  });

  it('handles a zero matrix and rank-deficient columns', () => {
    const z = qrReal(4, 3, new Float64Array(12));
    expect(isoError(4, 3, z.Q, null)).toBeLessThan(TOL.iso);
    expect(fro(z.R)).toBe(0);
    const A = new Float64Array([1, 2, 1, 2, 4, 2, 3, 6, 3, 0, 0, 0]); // rank 1, 4×3
    const f = qrReal(4, 3, A);
    expect(diffFro(mul('N', 'N', 4, 3, 3, f.Q, null, f.R, null).re, null, A, null)).toBeLessThan(1e-14);
    expect(isoError(4, 3, f.Q, null)).toBeLessThan(TOL.iso);
  });
});

describe('LQ', () => {
  it.each(CASES)('%i×%i (complex: %s): A = LQ, Q orthonormal rows, L lower-triangular', (m, n, complex) => {
    const rng = makeRng(`lq-${m}-${n}-${complex}`);
    const Ar = randn(rng, m * n);
    const Ai = complex ? randn(rng, m * n) : null;
    const r = Math.min(m, n);
    let Lr: Float64Array, Li: Float64Array | null, Qr: Float64Array, Qi: Float64Array | null;
    if (Ai) {
      const f = lqComplex(m, n, Ar, Ai);
      expect(f.r).toBe(r);
      ({ Lre: Lr, Lim: Li, Qre: Qr, Qim: Qi } = f);
    } else {
      const f = lqReal(m, n, Ar);
      expect(f.r).toBe(r);
      ({ L: Lr, Q: Qr } = f);
      Li = null;
      Qi = null;
    }
    const LQ = mul('N', 'N', m, n, r, Lr, Li, Qr, Qi);
    expect(diffFro(LQ.re, LQ.im, Ar, Ai) / fro(Ar, Ai)).toBeLessThan(TOL.recon);
    expect(isoError(r, n, Qr, Qi, true)).toBeLessThan(TOL.iso);
    for (let i = 0; i < m; i++) for (let c = i + 1; c < r; c++) {
      expect(Lr[i * r + c]).toBe(0);
      if (Li) expect(Li[i * r + c]).toBe(0);
    }
  });
});
