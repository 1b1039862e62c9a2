/**
 * The truncation rule against tables worked out by hand.
 *
 * The rule (mps/truncation.ts): keep the smallest k with ε_k = Σ_{j>k} s_j² / Σ_j s_j² ≤ cutoff,
 * then clamp k to [minBond, maxBond] and to the numerical rank. Every expected row below was
 * computed on paper from that sentence, not from the code: the spectra are chosen so that every
 * s² is a small integer (or an exact binary scaling of one) and every sum is exact in binary, so
 * the expected kept rank and discarded weight are exact numbers and compared exactly.
 *
 * The unnormalised rows (the same spectra scaled by 2^20 and by 1e-3) pin the *relative*
 * definition: an absolute cutoff, Σ_{discarded} s² ≤ cutoff, keeps a different rank on them.
 */
import { describe, expect, it } from 'vitest';
import { accumulate, chooseRank, emptyReport, mergeReports, resolveTruncation, type TruncationOptions } from '../../mps/truncation.js';
import { truncatedSplit } from '../../mps/split.js';

const opts = (o: Partial<TruncationOptions>): TruncationOptions => resolveTruncation(o, { maxBond: Infinity, cutoff: 0, minBond: 1 });
const fromSquares = (sq: number[], scale = 1): Float64Array => Float64Array.from(sq, (v) => Math.sqrt(v) * scale);
const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);

interface Row {
  name: string;
  /** s² (descending); Σ = total unless `total` is given. */
  squares: number[];
  o: Partial<TruncationOptions>;
  /** Σ s² over the whole matrix when only the leading values are passed (complete = false). */
  total?: number;
  rank: number;
  kept: number;
  /** Expected discarded weight as a fraction of the total. */
  discarded: number;
}

// s² = [8, 4, 2, 1, 1], Σ = 16. Tail weights ε_k: k=5 → 0, k=4 → 1/16, k=3 → 2/16,
// k=2 → 4/16, k=1 → 8/16.
const S5 = [8, 4, 2, 1, 1];
const rows: Row[] = [
  { name: 'cutoff 0 keeps the whole rank', squares: S5, o: { cutoff: 0 }, rank: 5, kept: 5, discarded: 0 },
  { name: 'cutoff just below ε_4 keeps 5', squares: S5, o: { cutoff: 0.0624 }, rank: 5, kept: 5, discarded: 0 },
  { name: 'cutoff = ε_4 (1/16) keeps 4', squares: S5, o: { cutoff: 1 / 16 }, rank: 5, kept: 4, discarded: 1 / 16 },
  { name: 'cutoff between ε_3 and ε_2 keeps 3', squares: S5, o: { cutoff: 0.2 }, rank: 5, kept: 3, discarded: 2 / 16 },
  { name: 'cutoff = ε_2 (1/4) keeps 2', squares: S5, o: { cutoff: 0.25 }, rank: 5, kept: 2, discarded: 4 / 16 },
  { name: 'cutoff = ε_1 (1/2) keeps 1', squares: S5, o: { cutoff: 0.5 }, rank: 5, kept: 1, discarded: 8 / 16 },
  { name: 'cutoff above ε_1 still keeps one value', squares: S5, o: { cutoff: 0.9 }, rank: 5, kept: 1, discarded: 8 / 16 },
  { name: 'maxBond 2 binds (cutoff 0)', squares: S5, o: { maxBond: 2 }, rank: 5, kept: 2, discarded: 4 / 16 },
  { name: 'maxBond 1 binds', squares: S5, o: { maxBond: 1 }, rank: 5, kept: 1, discarded: 8 / 16 },
  { name: 'maxBond above the cutoff rank does not bind', squares: S5, o: { maxBond: 4, cutoff: 0.25 }, rank: 5, kept: 2, discarded: 4 / 16 },
  { name: 'minBond 3 raises a cutoff of 1/2', squares: S5, o: { cutoff: 0.5, minBond: 3 }, rank: 5, kept: 3, discarded: 2 / 16 },
  { name: 'minBond 4 with maxBond 4', squares: S5, o: { cutoff: 0.5, minBond: 4, maxBond: 4 }, rank: 5, kept: 4, discarded: 1 / 16 },
  // minBond never invents values past the numerical rank
  { name: 'minBond above the rank stops at the rank', squares: [4, 4, 0, 0], o: { cutoff: 0.5, minBond: 3 }, rank: 2, kept: 2, discarded: 0 },
  // ties: s² = [4, 4, 4, 4], Σ = 16; the rule splits a degenerate multiplet (k = 3 at ε = 1/4)
  { name: 'ties: cutoff 1/4 keeps 3 of 4 equal values', squares: [4, 4, 4, 4], o: { cutoff: 0.25 }, rank: 4, kept: 3, discarded: 4 / 16 },
  { name: 'ties: cutoff just below 1/4 keeps all 4', squares: [4, 4, 4, 4], o: { cutoff: 0.2499 }, rank: 4, kept: 4, discarded: 0 },
  // exact zeros and values below NUMERICAL_ZERO·Σ (1e-28) are not part of the rank nor "discarded"
  { name: 'exact zeros are not rank', squares: [2, 2, 0, 0, 0], o: { cutoff: 0 }, rank: 2, kept: 2, discarded: 0 },
  { name: 'value below 1e-28 of the total is a numerical zero', squares: [1, 1e-30], o: { cutoff: 0 }, rank: 1, kept: 1, discarded: 0 },
  { name: 'value just above 1e-28 of the total is rank', squares: [1, 1e-27], o: { cutoff: 0 }, rank: 2, kept: 2, discarded: 0 },
  { name: 'all zeros: one value kept, nothing discarded', squares: [0, 0, 0], o: { cutoff: 0.1 }, rank: 0, kept: 1, discarded: 0 },
  // incomplete spectra: the leading 2 of a matrix with Σ s² = 16 (the rest, 2 + 1 + 1 = 4, is
  // already discarded before the rule looks at the computed values)
  { name: 'incomplete spectrum: the uncomputed tail counts', squares: [8, 4], total: 16, o: { cutoff: 0 }, rank: 2, kept: 2, discarded: 4 / 16 },
  { name: 'incomplete spectrum with cutoff 1/2', squares: [8, 4], total: 16, o: { cutoff: 0.5 }, rank: 2, kept: 1, discarded: 8 / 16 },
];

describe('chooseRank against hand-derived tables', () => {
  for (const scale of [1, 2 ** 20, 2 ** -40]) {
    for (const row of rows) {
      it(`${row.name} (s scaled by ${scale})`, () => {
        const s = fromSquares(row.squares, scale);
        const total = (row.total ?? sum(row.squares)) * scale * scale;
        const complete = row.total === undefined;
        const r = chooseRank(s, s.length, total, opts(row.o), complete);
        expect(r.rank).toBe(row.rank);
        expect(r.kept).toBe(row.kept);
        // exact in binary up to the rounding of sqrt then square (≤ 4 ulp of each term)
        expect(Math.abs(r.discarded - row.discarded)).toBeLessThanOrEqual(4e-16);
      });
    }
  }

  it('an absolute reading of the cutoff would keep a different rank (the rows can tell them apart)', () => {
    // With Σ s² = 16·2^40 and cutoff 1/16, a relative bound allows discarding 2^40; an absolute
    // one would allow only 1/16 and keep all 5 values.
    const s = fromSquares(S5, 2 ** 20);
    const r = chooseRank(s, 5, 16 * 2 ** 40, opts({ cutoff: 1 / 16 }));
    expect(r.kept).toBe(4);
    const small = fromSquares(S5, 2 ** -20);
    // and on a tiny state an absolute bound would discard everything but one value
    expect(chooseRank(small, 5, 16 * 2 ** -40, opts({ cutoff: 1 / 16 })).kept).toBe(4);
  });
});

/** A diagonal m×n matrix (row-major) with the given diagonal: its singular values are |d_i|. */
function diagonal(m: number, n: number, d: number[]): Float64Array {
  const a = new Float64Array(m * n);
  d.forEach((v, i) => { a[i * n + i] = v; });
  return a;
}

describe('truncatedSplit keeps the hand-derived rank on unnormalised matrices', () => {
  // Jacobi (small) and Gram (min(m, n) ≥ 16 with cutoff ≥ 1e-12) paths, real and complex. The
  // cutoffs sit between two tail weights (not on one): with a decimal scale the tail and the
  // budget are rounded separately, and a tie at the boundary may fall either way.
  const cases = [
    { m: 5, n: 6, squares: S5, cutoff: 0.09, kept: 4, discarded: 1 / 16 },
    { m: 5, n: 6, squares: S5, cutoff: 0.3, kept: 2, discarded: 4 / 16 },
    // s² = [64, 32, 16, 8, 4, 2, 1, 1, 0 …] (Σ = 128): ε_7 = 1/128, ε_6 = 2/128, ε_5 = 4/128,
    // ε_4 = 8/128, ε_3 = 16/128. Gram path.
    { m: 20, n: 20, squares: [64, 32, 16, 8, 4, 2, 1, 1], cutoff: 3 / 128, kept: 6, discarded: 2 / 128 },
    { m: 20, n: 24, squares: [64, 32, 16, 8, 4, 2, 1, 1], cutoff: 10 / 128, kept: 4, discarded: 8 / 128 },
    { m: 24, n: 20, squares: [64, 32, 16, 8, 4, 2, 1, 1], cutoff: 0, kept: 8, discarded: 0 },
  ];
  for (const c of cases) {
    for (const scale of [1, 1e3, 1e-3]) {
      for (const complex of [false, true]) {
        it(`${c.m}×${c.n}, cutoff ${c.cutoff}, scale ${scale}, ${complex ? 'complex' : 'real'}`, () => {
          // a diagonal with phases e^{iφ} (complex) keeps the singular values |d_i|
          const d = c.squares.map((v) => Math.sqrt(v) * scale);
          const re = diagonal(c.m, c.n, d.map((v, i) => (complex ? v * Math.cos(0.3 * (i + 1)) : v)));
          const im = complex ? diagonal(c.m, c.n, d.map((v, i) => v * Math.sin(0.3 * (i + 1)))) : null;
          const r = truncatedSplit(c.m, c.n, re, im, opts({ cutoff: c.cutoff }));
          expect(r.k).toBe(c.kept);
          // relative error of the discarded weight: the Gram path squares the values (≈1e-15)
          expect(Math.abs(r.discarded - c.discarded)).toBeLessThanOrEqual(1e-13);
          for (let i = 0; i < r.k; i++) expect(Math.abs(r.S[i]! - d[i]!) / d[0]!).toBeLessThanOrEqual(1e-13);
        });
      }
    }
  }
});

describe('truncation records add up into the report', () => {
  it('accumulate: splits and methods always count, truncations and ε only when weight is discarded', () => {
    const r = emptyReport();
    expect(r).toEqual({ fidelityEstimate: 1, discardedWeight: 0, bondReached: 1, truncations: 0, splits: 0, splitMethods: {}, normDrift: 0, normDriftExceeded: false });
    accumulate(r, { bond: 0, rankBefore: 4, rankKept: 3, discardedWeight: 0.25 }, 'jacobi');
    expect(r).toMatchObject({ fidelityEstimate: 0.75, discardedWeight: 0.25, bondReached: 3, truncations: 1, splits: 1, splitMethods: { jacobi: 1 } });
    accumulate(r, { bond: 1, rankBefore: 2, rankKept: 2, discardedWeight: 0 }, 'gram');
    expect(r).toMatchObject({ fidelityEstimate: 0.75, discardedWeight: 0.25, bondReached: 3, truncations: 1, splits: 2, splitMethods: { jacobi: 1, gram: 1 } });
    accumulate(r, { bond: 2, rankBefore: 8, rankKept: 5, discardedWeight: 0.5 }, 'gram');
    expect(r).toMatchObject({ fidelityEstimate: 0.375, discardedWeight: 0.75, bondReached: 5, truncations: 2, splits: 3, splitMethods: { jacobi: 1, gram: 2 } });
  });

  it('mergeReports: F multiplies, ε and counts add, bonds and drift take the maximum, alarms OR', () => {
    const a = { fidelityEstimate: 0.5, discardedWeight: 0.5, bondReached: 4, truncations: 1, splits: 3, splitMethods: { jacobi: 3 }, normDrift: 1e-12, normDriftExceeded: false };
    const b = { fidelityEstimate: 0.25, discardedWeight: 0.75, bondReached: 8, truncations: 2, splits: 5, splitMethods: { jacobi: 1, gram: 4 }, normDrift: 1e-6, normDriftExceeded: true };
    const m = mergeReports(a, b);
    expect(m).toEqual({ fidelityEstimate: 0.125, discardedWeight: 1.25, bondReached: 8, truncations: 3, splits: 8, splitMethods: { jacobi: 4, gram: 4 }, normDrift: 1e-6, normDriftExceeded: true });
    expect(mergeReports(b, a)).toEqual(m);
    expect(a.splitMethods).toEqual({ jacobi: 3 }); // inputs untouched
    expect(mergeReports(a, a).normDriftExceeded).toBe(false);
  });
});

describe('resolveTruncation refuses what the rule cannot mean', () => {
  it.each([
    [{ cutoff: Number.NaN }, /cutoff must be a number in \[0, 1\), got NaN/],
    [{ cutoff: Infinity }, /cutoff must be a number in \[0, 1\), got Infinity/],
    [{ cutoff: -0.1 }, /cutoff must be a number in \[0, 1\), got -0.1/],
    [{ cutoff: 1 }, /cutoff must be a number in \[0, 1\), got 1/],
    [{ cutoff: '0.1' as unknown as number }, /cutoff must be a number in \[0, 1\), got 0.1/],
    [{ maxBond: 0 }, /maxBond must be an integer ≥ 1, got 0 \(leave maxBond out for no bond cap\)/],
    [{ maxBond: 2.5 }, /maxBond must be an integer ≥ 1, got 2.5/],
    [{ minBond: 0 }, /minBond must be an integer ≥ 1, got 0/],
    [{ minBond: 1.5 }, /minBond must be an integer ≥ 1, got 1.5/],
    [{ minBond: 4, maxBond: 3 }, /minBond \(4\) must not exceed maxBond \(3\)/],
    [{ maxbond: 3 } as unknown as Partial<TruncationOptions>, /unknown truncation option 'maxbond'; allowed: maxBond, cutoff, minBond/],
  ])('%j', (o, re) => {
    expect(() => resolveTruncation(o)).toThrow(re);
  });
  it('accepts the edges of the allowed ranges', () => {
    expect(resolveTruncation({ cutoff: 0, maxBond: 1, minBond: 1 })).toEqual({ cutoff: 0, maxBond: 1, minBond: 1 });
    expect(resolveTruncation({ cutoff: 0.999, maxBond: Infinity, minBond: 7 })).toEqual({ cutoff: 0.999, maxBond: Infinity, minBond: 7 });
  });
});

describe('chooseRank details', () => {
  it('by default the spectrum is complete: weight of `total` beyond the values passed is rounding, not discarded', () => {
    const s = fromSquares([4, 1]);
    expect(chooseRank(s, 2, 5 * (1 + 2 ** -52), opts({ cutoff: 0 })).discarded).toBe(0);
    expect(chooseRank(s, 2, 5 * (1 + 2 ** -52), opts({ cutoff: 0 }), false).discarded).toBe(0); // below 1e-15·Σ: rounding noise
    expect(chooseRank(s, 2, 6, opts({ cutoff: 0 }), false).discarded).toBeCloseTo(1 / 6, 15);
  });
});
