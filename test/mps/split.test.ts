import { describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import { truncatedSplit, GRAM_MIN_SIZE } from '../../mps/split.js';
import { svdComplex, svdReal } from '../../mps/kernels/svd.js';
import { chooseRank, type TruncationOptions } from '../../mps/truncation.js';
import { diffFro, fro, isoError, mul, randomIsometry, reconstruct } from './kernels/helpers.js';

/**
 * θ = U·diag(s)·V† with random isometries and a graded spectrum s_j = 10^(−decades·j/(r−1))·(1 + 0.5·u_j),
 * sorted, so that every cutoff lands between well-separated weights.
 */
function theta(seed: string, m: number, n: number, decades: number, complex: boolean): { re: Float64Array; im: Float64Array | null; s: number[] } {
  const rng = makeRng(seed);
  const r = Math.min(m, n);
  const s = Array.from({ length: r }, (_, j) => 10 ** (-decades * j / Math.max(r - 1, 1)) * (1 + 0.5 * rng()));
  s.sort((a, b) => b - a);
  const U = randomIsometry(rng, m, r, complex);
  const V = randomIsometry(rng, n, r, complex);
  for (let i = 0; i < m; i++) for (let c = 0; c < r; c++) {
    U.re[i * r + c] *= s[c];
    if (U.im) U.im[i * r + c] *= s[c];
  }
  const A = mul('N', 'C', m, n, r, U.re, U.im, V.re, V.im);
  return { re: A.re, im: complex ? A.im : null, s };
}

const SIZES = [[8, 8], [24, 40], [64, 64], [96, 128], [128, 64], [256, 256]] as const;
const CUTOFFS = [1e-12, 1e-10, 1e-6, 1e-3];
const MAXBONDS = [Infinity, 5, 32];

describe('truncatedSplit (Gram path) against the Jacobi SVD', () => {
  const cases = SIZES.flatMap(([m, n]) => [[m, n, false], [m, n, true]] as const);
  it.each(cases)('%i×%i (complex: %s): rank, discarded weight, S, isometries, reconstruction', (m, n, complex) => {
    const r = Math.min(m, n);
    const A = theta(`split-${m}-${n}-${complex}`, m, n, 7, complex);
    const ref = complex ? svdComplex(m, n, A.re, A.im as Float64Array) : svdReal(m, n, A.re);
    const total = fro(A.re, A.im) ** 2;
    for (const cutoff of CUTOFFS) {
      for (const maxBond of MAXBONDS) {
        const opts: TruncationOptions = { cutoff, maxBond, minBond: 1 };
        const sp = truncatedSplit(m, n, A.re, A.im, opts);
        expect(sp.method).toBe(r >= GRAM_MIN_SIZE ? 'gram' : 'jacobi');
        const want = chooseRank(ref.S, ref.r, total, opts, true);
        expect(sp.k).toBe(want.kept);
        expect(Math.abs(sp.discarded - want.discarded)).toBeLessThan(1e-12);
        expect(sp.rankBefore).toBeGreaterThanOrEqual(want.kept);
        expect(Math.abs(sp.total - total) / total).toBeLessThan(1e-14);
        const smax = ref.S[0];
        for (let c = 0; c < sp.k; c++) {
          expect(Math.abs(sp.S[c] - ref.S[c]) / smax).toBeLessThan(1e-10);
          if (c > 0) expect(sp.S[c]).toBeLessThanOrEqual(sp.S[c - 1]);
        }
        expect(isoError(m, sp.k, sp.Ure, sp.Uim)).toBeLessThan(1e-12);
        expect(isoError(sp.k, n, sp.Vhre, sp.Vhim, true)).toBeLessThan(1e-12);
        // ‖θ − U·S·Vh‖² / ‖θ‖² equals the discarded weight (optimal truncation)
        const B = reconstruct(m, n, sp.k, sp.Ure, sp.Uim, sp.S, sp.Vhre, sp.Vhim);
        const err2 = diffFro(B.re, B.im, A.re, A.im) ** 2 / total;
        expect(Math.abs(err2 - want.discarded)).toBeLessThan(1e-12);
      }
    }
  });

  it.each([false, true])('singular values above 1e-7·s_max match Jacobi to 1e-10·s_max (complex: %s)', (complex) => {
    const m = 128, n = 128;
    const A = theta(`acc-${complex}`, m, n, 9, complex);
    const ref = complex ? svdComplex(m, n, A.re, A.im as Float64Array) : svdReal(m, n, A.re);
    const sp = truncatedSplit(m, n, A.re, A.im, { cutoff: 1e-12, maxBond: Infinity, minBond: 1 });
    expect(sp.method).toBe('gram');
    let checked = 0;
    for (let c = 0; c < sp.k; c++) {
      if (ref.S[c] < 1e-7 * ref.S[0]) break;
      expect(Math.abs(sp.S[c] - ref.S[c]) / ref.S[0]).toBeLessThan(1e-10);
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });

  it.each([false, true])('rank-deficient θ: k never exceeds the rank, no basis completion needed (complex: %s)', (complex) => {
    const m = 64, n = 48;
    const rng = makeRng(`def-${complex}`);
    const U = randomIsometry(rng, m, 3, complex);
    const V = randomIsometry(rng, n, 3, complex);
    const s = [1, 0.5, 1e-3];
    for (let i = 0; i < m; i++) for (let c = 0; c < 3; c++) {
      U.re[i * 3 + c] *= s[c];
      if (U.im) U.im[i * 3 + c] *= s[c];
    }
    const A = mul('N', 'C', m, n, 3, U.re, U.im, V.re, V.im);
    const sp = truncatedSplit(m, n, A.re, complex ? A.im : null, { cutoff: 1e-10, maxBond: 40, minBond: 1 });
    expect(sp.method).toBe('gram');
    expect(sp.k).toBe(3);
    for (let c = 0; c < 3; c++) expect(Math.abs(sp.S[c] - s[c])).toBeLessThan(1e-12);
    expect(sp.discarded).toBeLessThan(1e-14);
    expect(isoError(m, 3, sp.Ure, sp.Uim)).toBeLessThan(1e-12);
    expect(isoError(3, n, sp.Vhre, sp.Vhim, true)).toBeLessThan(1e-12);
  });

  it('minBond forces values below the cutoff to be kept, within the numerical rank', () => {
    const m = 40, n = 40;
    const A = theta('minbond', m, n, 6, false);
    const sp = truncatedSplit(m, n, A.re, null, { cutoff: 1e-3, maxBond: Infinity, minBond: 30 });
    expect(sp.k).toBe(30);
    expect(isoError(m, 30, sp.Ure, null)).toBeLessThan(1e-12);
    expect(isoError(30, n, sp.Vhre, null, true)).toBeLessThan(1e-12);
  });
});

describe('SVD fallback', () => {
  it('when Jacobi does not converge, the Gram split takes over and the report records it', async () => {
    const { JACOBI_SETTINGS } = await import('../../mps/kernels/svd.js');
    const { Mps, runCircuit } = await import('../../mps/index.js');
    const { simulateStateVector } = await import('../../src/backends/statevector.js');
    const { randomCircuit } = await import('../helpers/random-circuit.js');
    const c = randomCircuit(8, 60, 'fallback', { local: true });
    const saved = JACOBI_SETTINGS.maxSweeps;
    JACOBI_SETTINGS.maxSweeps = 1; // force non-convergence
    try {
      const { state, report } = runCircuit(Mps.zeros(8), c, { cutoff: 0 });
      expect(report.splitMethods['jacobi→gram']).toBeGreaterThan(0);
      const a = state.toStateVector(), b = simulateStateVector(c).toArrays();
      let err = 0;
      for (let i = 0; i < a.re.length; i++) err = Math.max(err, Math.abs(a.re[i]! - b.re[i]!), Math.abs(a.im[i]! - b.im[i]!));
      expect(err).toBeLessThan(1e-6); // Gram accuracy: values above ~1e-7·s_max
    } finally {
      JACOBI_SETTINGS.maxSweeps = saved;
    }
  });
});
