import { describe, expect, it } from 'vitest';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { makeRng } from '../../../mps/rng.js';
import { svdComplex, svdGramComplex, svdGramReal, svdReal } from '../../../mps/kernels/svd.js';
import { gemmComplex } from '../../../mps/kernels/matmul.js';
import { diffFro, fro, isoError, mul, randn, randomIsometry, reconstruct } from './helpers.js';

const TOL = { recon: 1e-12, iso: 1e-12, mlMatrix: 1e-12, relSmall: 1e-12, gramS: 1e-10, gramIso: 1e-12 };

interface Split { U: Float64Array; Ui: Float64Array | null; S: Float64Array; V: Float64Array; Vi: Float64Array | null; r: number; converged: boolean }

function runSvd(m: number, n: number, Ar: Float64Array, Ai: Float64Array | null): Split {
  if (Ai) {
    const f = svdComplex(m, n, Ar, Ai);
    return { U: f.Ure, Ui: f.Uim, S: f.S, V: f.Vhre, Vi: f.Vhim, r: f.r, converged: f.converged };
  }
  const f = svdReal(m, n, Ar);
  return { U: f.U, Ui: null, S: f.S, V: f.Vh, Vi: null, r: f.r, converged: f.converged };
}

function runGram(m: number, n: number, Ar: Float64Array, Ai: Float64Array | null, k: number): Split {
  if (Ai) {
    const f = svdGramComplex(m, n, Ar, Ai, k);
    return { U: f.Ure, Ui: f.Uim, S: f.S, V: f.Vhre, Vi: f.Vhim, r: f.r, converged: f.converged };
  }
  const f = svdGramReal(m, n, Ar, k);
  return { U: f.U, Ui: null, S: f.S, V: f.Vh, Vi: null, r: f.r, converged: f.converged };
}

/** Checks the full contract: reconstruction, isometries, ordering. Returns the factorisation. */
function checkSvd(m: number, n: number, Ar: Float64Array, Ai: Float64Array | null): Split {
  const f = runSvd(m, n, Ar, Ai);
  const r = Math.min(m, n);
  expect(f.r).toBe(r);
  expect(f.converged).toBe(true);
  for (let j = 0; j < r; j++) {
    expect(f.S[j]).toBeGreaterThanOrEqual(0);
    if (j > 0) expect(f.S[j]).toBeLessThanOrEqual(f.S[j - 1]);
  }
  const B = reconstruct(m, n, r, f.U, f.Ui, f.S, f.V, f.Vi);
  const scale = fro(Ar, Ai);
  expect(diffFro(B.re, B.im, Ar, Ai) / (scale === 0 ? 1 : scale)).toBeLessThan(TOL.recon);
  expect(isoError(m, r, f.U, f.Ui)).toBeLessThan(TOL.iso);
  expect(isoError(r, n, f.V, f.Vi, true)).toBeLessThan(TOL.iso);
  return f;
}

/** An m×n matrix U·diag(s)·V† with random isometries. */
function withSingularValues(seed: string, m: number, n: number, s: number[], complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const rng = makeRng(seed);
  const k = s.length;
  const U = randomIsometry(rng, m, k, complex);
  const V = randomIsometry(rng, n, k, complex);
  for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) {
    U.re[i * k + c] *= s[c];
    if (U.im) U.im[i * k + c] *= s[c];
  }
  const A = mul('N', 'C', m, n, k, U.re, U.im, V.re, V.im);
  return { re: A.re, im: complex ? A.im : null };
}

const SHAPES: [number, number][] = [[1, 1], [1, 9], [9, 1], [7, 3], [3, 7], [2, 2], [64, 64], [128, 96], [96, 128], [40, 5]];
const RANDOM_CASES = SHAPES.flatMap(([m, n]) => [[m, n, false], [m, n, true]] as const);

describe('svdReal / svdComplex (Jacobi)', () => {
  it.each(RANDOM_CASES)('random %i×%i (complex: %s)', (m, n, complex) => {
    const rng = makeRng(`svd-${m}-${n}-${complex}`);
    checkSvd(m, n, randn(rng, m * n), complex ? randn(rng, m * n) : null);
  });

  it.each([[7, 3], [3, 7], [64, 64], [50, 20]] as const)('real %i×%i singular values agree with ml-matrix', (m, n) => {
    const A = randn(makeRng(`ml-${m}-${n}`), m * n);
    const f = checkSvd(m, n, A, null);
    const rows = Array.from({ length: m }, (_, i) => Array.from(A.subarray(i * n, i * n + n)));
    const ref = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true }).diagonal;
    const sorted = [...ref].sort((a, b) => b - a);
    for (let j = 0; j < f.r; j++) expect(Math.abs(f.S[j] - sorted[j]) / sorted[0]).toBeLessThan(TOL.mlMatrix);
  });

  const EDGE_SHAPES: [number, number][] = [[1, 1], [1, 5], [5, 1], [6, 4], [4, 6]];
  it.each(EDGE_SHAPES.flatMap(([m, n]) => [[m, n, false], [m, n, true]] as const))('zero %i×%i (complex: %s) gives S = 0 and complete bases', (m, n, complex) => {
    const f = checkSvd(m, n, new Float64Array(m * n), complex ? new Float64Array(m * n) : null);
    expect(Array.from(f.S).every((x) => x === 0)).toBe(true);
  });

  it.each([false, true])('rank-1 and rank-deficient (complex: %s)', (complex) => {
    const r1 = withSingularValues(`rank1-${complex}`, 9, 6, [2.5], complex);
    const f1 = checkSvd(9, 6, r1.re, r1.im);
    expect(Math.abs(f1.S[0] - 2.5)).toBeLessThan(1e-13);
    for (let j = 1; j < 6; j++) expect(f1.S[j]).toBeLessThan(1e-14);
    const r3 = withSingularValues(`rank3-${complex}`, 8, 12, [3, 2, 1], complex);
    const f3 = checkSvd(8, 12, r3.re, r3.im);
    for (let j = 3; j < 8; j++) expect(f3.S[j]).toBeLessThan(1e-14);
    // exactly repeated rows
    const Ar = new Float64Array(5 * 4);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) Ar[i * 4 + j] = (j + 1) * (i % 2 === 0 ? 1 : -2);
    checkSvd(5, 4, Ar, complex ? new Float64Array(20) : null);
  });

  it.each([false, true])('repeated singular values (complex: %s)', (complex) => {
    const s = [2, 2, 2, 1, 1];
    const A = withSingularValues(`rep-${complex}`, 10, 7, s, complex);
    const f = checkSvd(10, 7, A.re, A.im);
    for (let j = 0; j < s.length; j++) expect(Math.abs(f.S[j] - s[j])).toBeLessThan(1e-13);
    for (let j = s.length; j < 7; j++) expect(f.S[j]).toBeLessThan(1e-14);
  });

  // Graded matrices D·Q and Q·D (Q unitary) have singular values d to full relative accuracy;
  // one-sided Jacobi (with row-sorted QR) must recover them.
  const GRADED = [[false, 'rows'], [false, 'cols'], [true, 'rows'], [true, 'cols']] as const;
  it.each(GRADED)('tiny singular values to high relative accuracy (complex: %s, graded %s)', (complex, side) => {
    const n = 8;
    const d = [1, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-11, 1e-12];
    const Q = randomIsometry(makeRng(`graded-${complex}-${side}`), n, n, complex);
    const re = Q.re.slice();
    const im = Q.im ? Q.im.slice() : null;
    const perm = [3, 0, 6, 1, 7, 2, 5, 4]; // d in scrambled order along the graded side
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const f = side === 'rows' ? d[perm[i]] : d[perm[j]];
      re[i * n + j] *= f;
      if (im) im[i * n + j] *= f;
    }
    const f = checkSvd(n, n, re, im);
    for (let j = 0; j < n; j++) expect(Math.abs(f.S[j] - d[j]) / d[j]).toBeLessThan(TOL.relSmall);
  });
});

describe('svdGramReal / svdGramComplex', () => {
  const GRAM_CASES = ([[30, 20, 20], [20, 30, 10], [64, 64, 64], [128, 96, 40], [1, 7, 1], [7, 1, 1]] as const).flatMap(
    ([m, n, k]) => [[m, n, k, false], [m, n, k, true]] as const,
  );
  it.each(GRAM_CASES)('%i×%i top %i (complex: %s) agree with Jacobi; vectors orthonormal', (m, n, k, complex) => {
    const rng = makeRng(`gram-${m}-${n}-${k}-${complex}`);
    const Ar = randn(rng, m * n);
    const Ai = complex ? randn(rng, m * n) : null;
    const ref = runSvd(m, n, Ar, Ai);
    const g = runGram(m, n, Ar, Ai, k);
    expect(g.r).toBe(k);
    for (let j = 0; j < k; j++) expect(Math.abs(g.S[j] - ref.S[j]) / ref.S[0]).toBeLessThan(TOL.gramS);
    expect(isoError(m, k, g.U, g.Ui)).toBeLessThan(TOL.gramIso);
    expect(isoError(k, n, g.V, g.Vi, true)).toBeLessThan(TOL.gramIso);
    if (k === Math.min(m, n)) {
      const B = reconstruct(m, n, k, g.U, g.Ui, g.S, g.V, g.Vi);
      expect(diffFro(B.re, B.im, Ar, Ai) / fro(Ar, Ai)).toBeLessThan(1e-10);
    }
  });

  it.each([false, true])('rank-deficient and zero inputs keep orthonormal vectors (complex: %s)', (complex) => {
    const A = withSingularValues(`gram-def-${complex}`, 12, 9, [3, 1, 1e-9], complex);
    const g = runGram(12, 9, A.re, A.im, 6);
    expect(Math.abs(g.S[0] - 3)).toBeLessThan(1e-12);
    expect(Math.abs(g.S[1] - 1)).toBeLessThan(1e-12);
    expect(isoError(12, 6, g.U, g.Ui)).toBeLessThan(TOL.gramIso);
    expect(isoError(6, 9, g.V, g.Vi, true)).toBeLessThan(TOL.gramIso);
    const z = runGram(5, 4, new Float64Array(20), complex ? new Float64Array(20) : null, 4);
    expect(Array.from(z.S)).toEqual([0, 0, 0, 0]);
    expect(isoError(5, 4, z.U, z.Ui)).toBeLessThan(TOL.gramIso);
    expect(isoError(4, 4, z.V, z.Vi, true)).toBeLessThan(TOL.gramIso);
  });
});

describe('svdComplex regression: rows that underflow to subnormal squares', () => {
  // θ from a SWAP step of a random circuit: rank 2 with entries of size 1e-17..1e-18 in the
  // null directions. An earlier version rotated with an inaccurate phase (|e^{iφ}| ≠ 1).
  it('keeps U and Vh isometric and S exact', () => {
    const re = Float64Array.from([0, 0, 0.29609879765097147, -2.3705572369805777e-17, 0, 0, 0.2960987976509716, -2.3705572369805792e-17, 0, 0, -9.09867522191308e-18, -0.10037827620267088, 0, 0, -9.098675221913081e-18, -0.10037827620267091]);
    const im = Float64Array.from([0, 0, 0.6262378983763359, -1.455677183636756e-17, 0, 0, 0.626237898376336, -1.455677183636756e-17, 0, 0, 1.2394306644646307e-18, 0.10037827620267084, 0, 0, 1.239430664464681e-18, 0.10037827620267087]);
    const s = svdComplex(4, 4, re, im);
    expect(Math.abs(s.S[0]! - 0.9796411621947712)).toBeLessThan(1e-14);
    expect(Math.abs(s.S[1]! - 0.2007565524053418)).toBeLessThan(1e-14);
    const gr = new Float64Array(16), gi = new Float64Array(16);
    gemmComplex('C', 'N', 4, 4, 4, s.Ure, s.Uim, s.Ure, s.Uim, gr, gi);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(gr[i * 4 + j]! - (i === j ? 1 : 0)) + Math.abs(gi[i * 4 + j]!)).toBeLessThan(1e-13);
    gemmComplex('N', 'C', 4, 4, 4, s.Vhre, s.Vhim, s.Vhre, s.Vhim, gr, gi);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(gr[i * 4 + j]! - (i === j ? 1 : 0)) + Math.abs(gi[i * 4 + j]!)).toBeLessThan(1e-13);
  });
});
