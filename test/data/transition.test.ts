/**
 * Transition-point estimation (src/data/transition.ts): crossings of a predicted probability by
 * hand-computed tables, and the TFIM finite-size reference against an independent free-fermion
 * solver (a dense 2n×2n eigendecomposition with ml-matrix, test/mps/dmrg/exact.ts) and against
 * known physics (the pseudo-critical field approaches h = J as n grows).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { phaseCrossings, tfimGroundEnergy, tfimPseudoCriticalPoint, tfimSpecificHeat, transitionEstimate } from '../../src/data/transition.js';
import { tfimFreeFermionEnergy } from '../mps/dmrg/exact.js';

describe('phaseCrossings', () => {
  // [x, p, expected crossings] — hand-computed
  const rows: [string, number[], number[], number[]][] = [
    ['clean step between two points', [0, 1, 2, 3], [0, 0, 1, 1], [1.5]],
    ['linear ramp crossing inside an interval', [0.5, 0.75, 1, 1.25], [0.1, 0.3, 0.7, 0.9], [0.875]],
    ['decreasing probability', [0, 1, 2], [0.9, 0.6, 0.2], [1.25]],
    ['a point exactly on the level', [0, 1, 2], [0.2, 0.5, 0.8], [1]],
    ['a run of points on the level', [0, 1, 2, 3, 4], [0.2, 0.5, 0.5, 0.5, 0.8], [2]],
    ['touching the level without crossing', [0, 1, 2], [0.2, 0.5, 0.2], []],
    ['never crosses', [0, 1, 2], [0.1, 0.2, 0.3], []],
    ['three crossings', [0, 1, 2, 3], [0, 1, 0, 1], [0.5, 1.5, 2.5]],
  ];
  it.each(rows)('%s', (_name, x, p, want) => {
    const got = phaseCrossings(x, p);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 14));
  });

  it('transitionEstimate: midpoint of the outermost crossings, null without one', () => {
    expect(transitionEstimate([0, 1, 2, 3], [0, 1, 0, 1])).toEqual({ point: 1.5, crossings: 3, all: [0.5, 1.5, 2.5] });
    expect(transitionEstimate([0, 1], [0.2, 0.3]).point).toBeNull();
    expect(transitionEstimate([0, 1], [0.2, 0.8], 0.8).crossings).toBe(0);
  });

  it('a monotone logistic curve is crossed once, within the grid spacing of its centre (property)', () => {
    fc.assert(fc.property(fc.double({ min: 0.6, max: 1.4, noNaN: true }), fc.double({ min: 2, max: 50, noNaN: true }), (c, k) => {
      const x = Array.from({ length: 41 }, (_, i) => 0.5 + i * 0.025);
      const p = x.map((v) => 1 / (1 + Math.exp(-k * (v - c))));
      const t = transitionEstimate(x, p);
      return t.crossings === 1 && Math.abs(t.point! - c) <= 0.025;
    }), { seed: 7, numRuns: 200 });
  });

  const bad: [string, number[], number[], RegExp][] = [
    ['length mismatch', [0, 1], [0.5], /x has 2 points but p has 1/],
    ['one point', [0], [0.5], /at least 2 points/],
    ['not increasing', [0, 0], [0.2, 0.8], /strictly increasing/],
    ['NaN', [0, 1], [0.2, NaN], /point 1 is not finite/],
    ['Infinity', [0, Infinity], [0.2, 0.8], /point 1 is not finite/],
  ];
  it.each(bad)('refuses %s', (_n, x, p, re) => {
    expect(() => phaseCrossings(x, p)).toThrow(re);
  });
});

describe('TFIM finite-size reference', () => {
  it.each([[4, 1, 0.3], [8, 1, 1], [16, 2, 1.7], [33, 1, 0.95], [64, 0.5, 0.45], [128, 1, 1.05]])('E0(n=%i, J=%s, h=%s) equals the dense free-fermion solver to 1e-13 relative', (n, J, h) => {
    const ref = tfimFreeFermionEnergy(n, J, h);
    expect(Math.abs(tfimGroundEnergy(n, J, h) - ref) / Math.abs(ref)).toBeLessThan(1e-13);
  });

  it('known limits: E0 = −(n−1)|J| at h = 0 and −n|h| at J = 0', () => {
    expect(tfimGroundEnergy(10, 1.3, 0)).toBeCloseTo(-9 * 1.3, 12);
    expect(tfimGroundEnergy(10, 0, -0.7)).toBeCloseTo(-7, 12);
  });

  it('the pseudo-critical field is a maximum of the specific heat and approaches h = J as n grows', () => {
    const pts = [8, 16, 32, 64, 128].map((n) => tfimPseudoCriticalPoint(n, 1));
    for (const [i, n] of [8, 16, 32, 64, 128].entries()) {
      const h = pts[i]!;
      const c = tfimSpecificHeat(n, 1, h);
      expect(c).toBeGreaterThan(tfimSpecificHeat(n, 1, h - 0.01));
      expect(c).toBeGreaterThan(tfimSpecificHeat(n, 1, h + 0.01));
    }
    const dist = pts.map((h) => Math.abs(h - 1));
    for (let i = 1; i < dist.length; i++) expect(dist[i]!).toBeLessThan(dist[i - 1]!);
    expect(dist[dist.length - 1]!).toBeLessThan(0.05);
  });

  it('scales with J: h*(n, J) = |J|·h*(n, 1)', () => {
    const h1 = tfimPseudoCriticalPoint(16, 1);
    expect(tfimPseudoCriticalPoint(16, 2) / 2).toBeCloseTo(h1, 5);
    expect(tfimPseudoCriticalPoint(16, -0.5) / 0.5).toBeCloseTo(h1, 5);
  });

  it.each([[3, 1, /n must be an integer ≥ 4/], [8.5, 1, /n must be an integer ≥ 4/], [8, 0, /J must be finite and non-zero/], [8, NaN, /J must be finite and non-zero/]])('refuses n = %s, J = %s', (n, J, re) => {
    expect(() => tfimPseudoCriticalPoint(n as number, J as number)).toThrow(re as RegExp);
  });
});
