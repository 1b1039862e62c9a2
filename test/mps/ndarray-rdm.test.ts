/**
 * Reduced density matrices and correlator matrices (ndarray outputs) against partial traces and
 * operator products on the dense state vector, for exact and truncated (unnormalised) states.
 */
import { describe, expect, it } from 'vitest';
import { correlationMatrix, EXACT_TRUNCATION, Mps, RDM_MAX_ENTRIES, reducedDensityMatrix, runCircuit, type CMatrix } from '../../mps/index.js';
import { makeRng } from '../../mps/rng.js';
import { randomCircuit, randomUnitary } from '../helpers/random-circuit.js';

type Dense = { re: Float64Array; im: Float64Array };

/** ρ[s, s'] by brute-force partial trace of the dense state; s is big-endian over `sites` in the order given. */
function densePartialTrace(psi: Dense, n: number, sites: number[]): Dense {
  const D = 1 << sites.length;
  const re = new Float64Array(D * D), im = new Float64Array(D * D);
  const rest = Array.from({ length: n }, (_, q) => q).filter((q) => !sites.includes(q));
  let norm2 = 0;
  for (let i = 0; i < psi.re.length; i++) norm2 += psi.re[i]! ** 2 + psi.im[i]! ** 2;
  const index = (s: number, r: number) => {
    let i = 0;
    for (let q = 0; q < n; q++) {
      const j = sites.indexOf(q);
      const bit = j >= 0 ? (s >> (sites.length - 1 - j)) & 1 : (r >> (rest.length - 1 - rest.indexOf(q))) & 1;
      i = 2 * i + bit;
    }
    return i;
  };
  for (let s = 0; s < D; s++) for (let sp = 0; sp < D; sp++) for (let r = 0; r < 1 << rest.length; r++) {
    const a = index(s, r), b = index(sp, r);
    // ψ_a · conj(ψ_b)
    re[s * D + sp]! += (psi.re[a]! * psi.re[b]! + psi.im[a]! * psi.im[b]!) / norm2;
    im[s * D + sp]! += (psi.im[a]! * psi.re[b]! - psi.re[a]! * psi.im[b]!) / norm2;
  }
  return { re, im };
}

/** O_q|ψ⟩ for a 2×2 matrix O on qubit q of the dense state. */
function applyDense(psi: Dense, n: number, q: number, o: CMatrix): Dense {
  const re = new Float64Array(psi.re.length), im = new Float64Array(psi.re.length);
  const bit = n - 1 - q;
  for (let i = 0; i < psi.re.length; i++) {
    const t = (i >> bit) & 1;
    for (let s = 0; s < 2; s++) {
      const j = (i & ~(1 << bit)) | (s << bit);
      const mr = o.re[t * 2 + s]!, mi = o.im ? o.im[t * 2 + s]! : 0;
      re[i]! += mr * psi.re[j]! - mi * psi.im[j]!;
      im[i]! += mr * psi.im[j]! + mi * psi.re[j]!;
    }
  }
  return { re, im };
}

function reDot(a: Dense, b: Dense): number {
  let s = 0;
  for (let i = 0; i < a.re.length; i++) s += a.re[i]! * b.re[i]! + a.im[i]! * b.im[i]!;
  return s;
}

const PAULI: Record<'X' | 'Y' | 'Z', CMatrix> = {
  X: { dim: 2, re: Float64Array.of(0, 1, 1, 0), im: null },
  Y: { dim: 2, re: Float64Array.of(0, 0, 0, 0), im: Float64Array.of(0, -1, 1, 0) },
  Z: { dim: 2, re: Float64Array.of(1, 0, 0, -1), im: null },
};

/** A random Hermitian 2×2 matrix. */
function randomHermitian(seed: string): CMatrix {
  const u = randomUnitary(2, makeRng(seed));
  return { dim: 2, re: Float64Array.of(u.re[0]! * 2, u.re[1]!, u.re[1]!, -u.re[3]!), im: Float64Array.of(0, u.im![1]!, -u.im![1]!, 0) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('reducedDensityMatrix against the dense partial trace', () => {
  const cases = [
    { n: 6, sites: [2], maxBond: Infinity, real: false },
    { n: 6, sites: [0, 1], maxBond: Infinity, real: false },
    { n: 7, sites: [1, 4], maxBond: Infinity, real: false },
    { n: 7, sites: [5, 0, 3], maxBond: Infinity, real: false },
    { n: 8, sites: [7, 6], maxBond: Infinity, real: true },
    { n: 8, sites: [3, 4, 5, 6], maxBond: Infinity, real: false },
    { n: 8, sites: [6, 1, 2], maxBond: 3, real: false },
    { n: 9, sites: [0, 8], maxBond: 4, real: true },
    { n: 5, sites: [4, 3, 2, 1, 0], maxBond: Infinity, real: false },
  ];
  it.each(cases)('n=$n sites=$sites maxBond=$maxBond real=$real', ({ n, sites, maxBond, real }) => {
    const c = randomCircuit(n, 60, `rdm-${n}-${sites.join('.')}`, { realOnly: real });
    const psi = runCircuit(Mps.zeros(n), c, maxBond === Infinity ? EXACT_TRUNCATION : { maxBond, cutoff: 0 }).state;
    const dense = psi.toStateVector(); // the (possibly truncated, unnormalised) state itself
    for (const start of [0, n - 1, n >> 1]) {
      psi.moveCenterInPlace(start);
      const rho = reducedDensityMatrix(psi, sites);
      const D = 1 << sites.length;
      expect(rho.re.shape).toEqual([D, D]);
      expect(rho.im === null).toBe(psi.isReal());
      const ref = densePartialTrace(dense, n, sites);
      expect(maxDiff(rho.re.data, ref.re)).toBeLessThan(1e-12);
      expect(maxDiff(rho.im ? rho.im.data : new Float64Array(D * D), ref.im)).toBeLessThan(1e-12);
      let tr = 0;
      for (let s = 0; s < D; s++) tr += rho.re.get(s, s);
      expect(Math.abs(tr - 1)).toBeLessThan(1e-12);
    }
  });

  it('rejects bad site lists and oversized requests with the allowed range', () => {
    const psi = Mps.zeros(4);
    expect(() => reducedDensityMatrix(psi, [])).toThrow(/at least one site/);
    expect(() => reducedDensityMatrix(psi, [4])).toThrow(/site 4 out of range; sites must be integers in \[0, 3\]/);
    expect(() => reducedDensityMatrix(psi, [1, 1])).toThrow(/site 1 listed twice/);
    const big = Mps.zeros(14);
    expect(() => reducedDensityMatrix(big, Array.from({ length: 13 }, (_, q) => q))).toThrow(new RegExp(`D²χ² = ${2 ** 26} environment entries; allowed up to ${RDM_MAX_ENTRIES}`));
  });
});

describe('correlationMatrix against operator products on the dense state', () => {
  const cases = [
    { a: 'Z', b: 'Z', n: 6, maxBond: Infinity },
    { a: 'X', b: 'Z', n: 6, maxBond: Infinity },
    { a: 'Y', b: 'X', n: 7, maxBond: Infinity },
    { a: 'H1', b: 'H2', n: 6, maxBond: Infinity },
    { a: 'Z', b: 'Y', n: 8, maxBond: 3 },
  ] as const;
  it.each(cases)('⟨$a_i $b_j⟩ n=$n maxBond=$maxBond', ({ a, b, n, maxBond }) => {
    const c = randomCircuit(n, 60, `corr-${a}${b}${n}`);
    const psi = runCircuit(Mps.zeros(n), c, maxBond === Infinity ? EXACT_TRUNCATION : { maxBond, cutoff: 0 }).state;
    const dense = psi.toStateVector();
    const op = (x: string): CMatrix => (x.startsWith('H') ? randomHermitian(x) : PAULI[x as 'X' | 'Y' | 'Z']);
    const A = op(a), B = op(b);
    const C = correlationMatrix(psi, a.startsWith('H') ? A : (a as 'X'), b.startsWith('H') ? B : (b as 'X'));
    expect(C.shape).toEqual([n, n]);
    const norm2 = reDot(dense, dense);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // Re⟨ψ|A_i B_j|ψ⟩ / ⟨ψ|ψ⟩ (i = j: the product A·B on site i)
        const ref = reDot(dense, applyDense(applyDense(dense, n, j, B), n, i, A)) / norm2;
        expect(Math.abs(C.get(i, j) - ref)).toBeLessThan(1e-12);
      }
    }
  });
});
