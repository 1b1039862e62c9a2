/**
 * truncatedSplit on matrices whose SVD is known exactly: θ has the singular values
 * s_j = 2^−j·c placed at seeded row and column positions with signs (or a phase), so θ =
 * P·diag(s)·Q with P, Q signed permutations. The kept rank, the discarded weight and ‖θ‖² are
 * worked out by hand from the spectrum (no call of the rank rule), for both methods (Jacobi
 * below GRAM_MIN_SIZE or below GRAM_MIN_CUTOFF, Gram otherwise), real and complex, and after
 * the exact power-of-two scaling of tiny and huge θ. Small matrices only: the whole file runs
 * in well under a second.
 */
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import { GRAM_MIN_CUTOFF, GRAM_MIN_SIZE, SPLIT_NORM_TOL, truncatedSplit } from '../../mps/split.js';

/** θ (m×n) with singular values `s` at seeded positions, signs ±1 and, when complex, phases. */
function known(m: number, n: number, s: number[], seed: string, complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const rng = makeRng(seed);
  const perm = (k: number) => {
    const p = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [p[i], p[j]] = [p[j]!, p[i]!]; }
    return p;
  };
  const rows = perm(m), cols = perm(n);
  const re = new Float64Array(m * n), im = complex ? new Float64Array(m * n) : null;
  s.forEach((v, j) => {
    const k = rows[j]! * n + cols[j]!;
    const sign = rng() < 0.5 ? -1 : 1;
    if (im) { const ph = 2 * Math.PI * rng(); re[k] = sign * v * Math.cos(ph); im[k] = sign * v * Math.sin(ph); } else re[k] = sign * v;
  });
  return { re, im };
}

/** max over entries of |θ − U·diag(S)·Vh|², divided by ‖θ‖², summed: the relative squared error. */
function relErr2(m: number, n: number, A: { re: Float64Array; im: Float64Array | null }, sp: ReturnType<typeof truncatedSplit>): number {
  let err = 0, tot = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let br = 0, bi = 0;
      for (let c = 0; c < sp.k; c++) {
        const ur = sp.Ure[i * sp.k + c]!, ui = sp.Uim ? sp.Uim[i * sp.k + c]! : 0;
        const vr = sp.Vhre[c * n + j]!, vi = sp.Vhim ? sp.Vhim[c * n + j]! : 0;
        br += sp.S[c]! * (ur * vr - ui * vi);
        bi += sp.S[c]! * (ur * vi + ui * vr);
      }
      const ar = A.re[i * n + j]!, ai = A.im ? A.im[i * n + j]! : 0;
      err += (ar - br) ** 2 + (ai - bi) ** 2;
      tot += ar * ar + ai * ai;
    }
  }
  return err / tot;
}

// s_j = 2^−j, j = 0 … r−1: ‖θ‖² = Σ 4^−j = (1 − 4^−r)/(3/4); the relative weight of the tail
// from k on is (4^−k − 4^−r)/(1 − 4^−r).
const spectrum = (r: number) => Array.from({ length: r }, (_, j) => 2 ** -j);
const tail = (k: number, r: number) => (4 ** -k - 4 ** -r) / (1 - 4 ** -r);
const norm2 = (r: number) => (1 - 4 ** -r) / 0.75;

describe('truncatedSplit against exactly known SVDs', () => {
  // [m, n, cutoff, maxBond, kept k (by hand), method]
  // cutoff 1e-3: 4^−5 = 9.8e-4 ≤ 1e-3 < 4^−4, so k = 5; cutoff 1e-6: 4^−10 = 9.5e-7, k = 10;
  // maxBond 3 caps below that; cutoff 1e-13 (< GRAM_MIN_CUTOFF): Jacobi, 4^−k ≤ 1e-13 needs
  // k = 22 > r, so all r are kept.
  const cases: [number, number, number, number, number, 'gram' | 'jacobi'][] = [
    [20, 24, 1e-3, Infinity, 5, 'gram'],
    [24, 20, 1e-6, Infinity, 10, 'gram'],
    [20, 24, 1e-6, 3, 3, 'gram'],
    [16, 16, 1e-3, Infinity, 5, 'gram'],
    [15, 24, 1e-3, Infinity, 5, 'gram'],
    [24, 15, 1e-6, 7, 7, 'gram'],
    // min(m, n) = GRAM_MIN_SIZE (4) takes Gram, 3 takes Jacobi; r = 4: the tail from 3,
    // (4^−3 − 4^−4)/(1 − 4^−4) = 0.0118 > 1e-3, so all 4 are kept; r = 3 likewise keeps 3
    [4, 24, 1e-3, Infinity, 4, 'gram'],
    [24, 4, 1e-6, 2, 2, 'gram'],
    [3, 24, 1e-3, Infinity, 3, 'jacobi'],
    [24, 3, 1e-6, 2, 2, 'jacobi'],
    [20, 24, 1e-13, Infinity, 20, 'jacobi'],
    // cutoff exactly GRAM_MIN_CUTOFF (1e-12) takes Gram; 4^−k ≤ 1e-12 needs k = 20 = r
    [20, 24, 1e-12, Infinity, 20, 'gram'],
    [20, 24, 0, 12, 12, 'jacobi'],
    [6, 4, 1e-3, Infinity, 4, 'gram'],
    [6, 3, 1e-3, Infinity, 3, 'jacobi'],
  ];
  for (const complex of [false, true]) {
    it.each(cases)(`%i×%i, cutoff %d, maxBond %d → k = %i by %s (complex: ${complex})`, (m, n, cutoff, maxBond, k, method) => {
      const r = Math.min(m, n);
      expect(method === 'gram').toBe(r >= GRAM_MIN_SIZE && cutoff >= GRAM_MIN_CUTOFF);
      const A = known(m, n, spectrum(r), `contract-${m}-${n}-${cutoff}-${complex}`, complex);
      const sp = truncatedSplit(m, n, A.re, A.im, { cutoff, maxBond, minBond: 1 });
      expect(sp.method).toBe(method);
      expect(sp.converged).toBe(true);
      expect(sp.k).toBe(k);
      expect(sp.rankBefore).toBe(r);
      // ‖θ‖² and the discarded weight: exact sums of powers of 4, rounding ≤ a few ulp
      expect(Math.abs(sp.total - norm2(r))).toBeLessThan(1e-15);
      // Gram eigenvalues carry absolute errors of ~1e-16·s_max² into the tail
      expect(Math.abs(sp.discarded - tail(k, r))).toBeLessThan(method === 'gram' ? 1e-14 : 1e-16);
      // the kept values are 2^−j: Jacobi to rounding, Gram to 1e-10·s_max above 1e-7·s_max
      expect(sp.S).toHaveLength(k);
      for (let j = 0; j < k; j++) expect(Math.abs(sp.S[j]! - 2 ** -j), `s_${j}`).toBeLessThan(method === 'gram' ? 1e-10 : 1e-15);
      // factor shapes and planes
      expect(sp.Ure).toHaveLength(m * k);
      expect(sp.Vhre).toHaveLength(k * n);
      if (complex) {
        expect(sp.Uim).toHaveLength(m * k);
        expect(sp.Vhim).toHaveLength(k * n);
      } else {
        expect(sp.Uim).toBeNull();
        expect(sp.Vhim).toBeNull();
      }
      // θ − U·S·Vh carries exactly the discarded weight (optimal truncation)
      expect(Math.abs(relErr2(m, n, A, sp) - tail(k, r))).toBeLessThan(1e-12);
    });
  }

  it('zero singular values are not counted in the rank before truncation', () => {
    const s = [3, 2, 1, 0, 0, 0];
    const A = known(6, 8, s, 'contract-zeros', false);
    const sp = truncatedSplit(6, 8, A.re, A.im, { cutoff: 0, maxBond: Infinity, minBond: 1 });
    expect(sp.rankBefore).toBe(3);
    expect(sp.k).toBe(3);
    expect(Array.from(sp.S)).toEqual([3, 2, 1]);
    expect(sp.total).toBe(14);
    expect(sp.discarded).toBe(0);
  });

  it('the norm identity of a returned split holds to SPLIT_NORM_TOL', () => {
    const A = known(20, 24, spectrum(20), 'contract-identity', true);
    const sp = truncatedSplit(20, 24, A.re, A.im, { cutoff: 1e-3, maxBond: Infinity, minBond: 1 });
    const kept = Array.from(sp.S).reduce((a, v) => a + v * v, 0);
    expect(Math.abs(kept + sp.discarded * sp.total - sp.total)).toBeLessThanOrEqual(SPLIT_NORM_TOL * sp.total);
  });

  for (const e of [-300, 300, -120, 120]) {
    it(`θ·2^${e}: S and ‖θ‖² are exactly 2^${e} and 2^${2 * e} times those of θ`, () => {
      for (const [m, n, cutoff] of [[20, 24, 1e-3], [8, 6, 0]] as const) {
        for (const complex of [false, true]) {
          const A = known(m, n, spectrum(Math.min(m, n)), `contract-scale-${m}-${complex}`, complex);
          const opts = { cutoff, maxBond: Infinity, minBond: 1 };
          const ref = truncatedSplit(m, n, A.re, A.im, opts);
          const f = 2 ** e;
          const sp = truncatedSplit(m, n, A.re.map((x) => x * f), A.im ? A.im.map((x) => x * f) : null, opts);
          expect(sp.k).toBe(ref.k);
          expect(sp.method).toBe(ref.method);
          expect(Array.from(sp.S)).toEqual(Array.from(ref.S, (x) => x * f));
          expect(sp.total).toBe(ref.total * f * f);
          expect(sp.discarded).toBe(ref.discarded);
          expect(Array.from(sp.Ure)).toEqual(Array.from(ref.Ure));
        }
      }
    });
  }
});
