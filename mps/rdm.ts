/**
 * Reduced density matrices and two-point correlators of an {@link Mps}, returned as ndarrays
 * (complex data as two real planes, see `ndarray.ts`). Both are normalised by ⟨ψ|ψ⟩ and may
 * move the orthogonality centre of their argument (the state is unchanged).
 */
import type { CMatrix } from './complex.js';
import { gemmComplex } from './kernels/index.js';
import { localExpectations, pauliMatrix, transferStep } from './measure.js';
import type { Mps } from './mps.js';
import { flattenNdArray, ndView, type ComplexNdArray, type NdArray } from './ndarray.js';
import type { PauliLabel } from './pauli.js';

/** Most entries the open-leg environments of {@link reducedDensityMatrix} may hold: D² · χ². */
export const RDM_MAX_ENTRIES = 2 ** 24;

/** A split-plane matrix block. */
interface Block { re: Float64Array; im: Float64Array | null }

function identity(m: number): Float64Array {
  const e = new Float64Array(m * m);
  for (let i = 0; i < m; i++) e[i * m + i] = 1;
  return e;
}

/**
 * The reduced density matrix ρ of the listed sites, ρ[s, s'] = Σ_rest ψ[s, rest]·conj(ψ[s', rest])
 * / ⟨ψ|ψ⟩, as `{ re, im }` ndarrays of shape [D, D] with D = Π d over the sites. The row index
 * s is the big-endian multi-index of the sites **in the order given** (the first listed site is
 * the most significant digit). `im` is null when every site tensor is real.
 *
 * Algorithm: the centre is moved into [min, max] of the sites so both outer environments are
 * identities; a left environment F[s, s'] (a χ×χ block per pair of open indices) is carried
 * from min to max: traced sites give F ← Σ_t A_t† F A_t, listed sites open a new index pair,
 * F[(s t), (s' t')] ← A_{t'}† F[s, s'] A_t; finally ρ[s, s'] = tr F[s, s']. Cost
 * O((max − min) · D² · χ³), memory D² · χ² entries.
 * @throws when `sites` is empty, has a repeated or out-of-range entry, when the state is zero,
 * or when D² · χ² exceeds {@link RDM_MAX_ENTRIES}.
 */
export function reducedDensityMatrix(psi: Mps, sites: readonly number[]): ComplexNdArray {
  if (sites.length < 1) throw new Error('reducedDensityMatrix: sites must list at least one site, got []');
  const seen = new Set<number>();
  for (const q of sites) {
    if (!Number.isInteger(q) || q < 0 || q >= psi.n) throw new Error(`reducedDensityMatrix: site ${q} out of range; sites must be integers in [0, ${psi.n - 1}]`);
    if (seen.has(q)) throw new Error(`reducedDensityMatrix: site ${q} listed twice; sites must be distinct`);
    seen.add(q);
  }
  const asc = [...sites].sort((a, b) => a - b);
  const lo = asc[0]!, hi = asc[asc.length - 1]!;
  const D = asc.reduce((p, q) => p * psi.sites[q]!.d, 1);
  let widest = 1;
  for (let q = lo; q <= hi; q++) widest = Math.max(widest, psi.sites[q]!.dl, psi.sites[q]!.dr);
  if (D * D * widest * widest > RDM_MAX_ENTRIES) {
    throw new Error(`reducedDensityMatrix: ${sites.length} sites (D = ${D}) at bond dimension ${widest} need D²χ² = ${D * D * widest * widest} environment entries; allowed up to ${RDM_MAX_ENTRIES}`);
  }
  if (psi.center < lo) psi.moveCenterInPlace(lo);
  else if (psi.center > hi) psi.moveCenterInPlace(hi);
  const norm2 = psi.normSquared();
  if (!(norm2 > 0)) throw new Error('reducedDensityMatrix: the state is zero');
  const real = psi.sites.slice(lo, hi + 1).every((t) => t.im === null);

  let F: Block[] = [{ re: identity(psi.sites[lo]!.dl), im: null }];
  let Dcur = 1;
  for (let q = lo; q <= hi; q++) {
    const t = psi.sites[q]!;
    const { dl, d, dr } = t;
    // physical slices A_s: dl × dr, contiguous
    const slices: Block[] = [];
    for (let s = 0; s < d; s++) {
      const re = new Float64Array(dl * dr), im = t.im ? new Float64Array(dl * dr) : null;
      for (let a = 0; a < dl; a++) {
        re.set(t.re.subarray((a * d + s) * dr, (a * d + s + 1) * dr), a * dr);
        if (im) im.set(t.im!.subarray((a * d + s) * dr, (a * d + s + 1) * dr), a * dr);
      }
      slices.push({ re, im });
    }
    const open = seen.has(q);
    const Dnext = open ? Dcur * d : Dcur;
    const next: Block[] = Array.from({ length: Dnext * Dnext }, () => ({ re: new Float64Array(dr * dr), im: real ? null : new Float64Array(dr * dr) }));
    const Tre = new Float64Array(dl * dr), Tim = new Float64Array(dl * dr);
    const Pre = new Float64Array(dr * dr), Pim = new Float64Array(dr * dr);
    for (let s = 0; s < Dcur; s++) {
      for (let sp = 0; sp < Dcur; sp++) {
        const f = F[s * Dcur + sp]!;
        for (let k = 0; k < d; k++) {
          // T = F[s, s'] · A_k   (rows: bra bond, cols: ket bond)
          gemmComplex('N', 'N', dl, dr, dl, f.re, f.im, slices[k]!.re, slices[k]!.im, Tre, Tim);
          for (let kp = 0; kp < d; kp++) {
            if (!open && kp !== k) continue;
            // P = A_{k'}† · T
            gemmComplex('C', 'N', dr, dr, dl, slices[kp]!.re, slices[kp]!.im, Tre, real ? null : Tim, Pre, Pim);
            const dst = open ? next[(s * d + k) * Dnext + (sp * d + kp)]! : next[s * Dnext + sp]!;
            for (let i = 0; i < dr * dr; i++) { dst.re[i]! += Pre[i]!; if (dst.im) dst.im[i]! += Pim[i]!; }
          }
        }
      }
    }
    F = next;
    Dcur = Dnext;
  }
  const dr = psi.sites[hi]!.dr;
  const rre = new Float64Array(D * D), rim = real ? null : new Float64Array(D * D);
  for (let i = 0; i < D * D; i++) {
    const f = F[i]!;
    let tr = 0, ti = 0;
    for (let c = 0; c < dr; c++) { tr += f.re[c * dr + c]!; if (f.im) ti += f.im[c * dr + c]!; }
    // F[s, s'] accumulates ψ_s conj(ψ_s') with s on the ket side: ρ[s, s'] = tr F[s, s']
    rre[i] = tr / norm2;
    if (rim) rim[i] = ti / norm2;
  }
  // reorder from ascending site order to the order given: one axis per site, transposed
  const dims = asc.map((q) => psi.sites[q]!.d);
  const perm = sites.map((q) => asc.indexOf(q));
  const reorder = (x: Float64Array): NdArray => {
    if (perm.every((p, j) => p === j)) return ndView(x, [D, D]);
    const v = ndView(x, [...dims, ...dims]).transpose(...perm, ...perm.map((p) => p + asc.length));
    return ndView(flattenNdArray(v, 'reducedDensityMatrix'), [D, D]);
  };
  return { re: reorder(rre), im: rim ? reorder(rim) : null };
}

/**
 * The two-point correlator matrix C[i, j] = Re⟨A_i B_j⟩ / ⟨ψ|ψ⟩ for single-site operators A, B
 * (Pauli labels or d×d matrices), as an ndarray of shape [n, n]. Off the diagonal A_i and B_j
 * act on different sites; on the diagonal the product A·B acts on site i (for Paulis A = B this
 * is 1). Exact for Hermitian A, B off the diagonal; the real part is reported everywhere.
 *
 * Algorithm: for each left site l the centre is moved to l (one QR step from l − 1), the left
 * environment with A (then B) on site l is carried rightwards, and each site r > l closes it
 * with B (then A) against the identity right environment. Cost O(n² χ³).
 * @throws when the state is zero.
 */
export function correlationMatrix(psi: Mps, a: Exclude<PauliLabel, 'I'> | CMatrix, b: Exclude<PauliLabel, 'I'> | CMatrix): NdArray {
  const A = typeof a === 'string' ? pauliMatrix(a)! : a;
  const B = typeof b === 'string' ? pauliMatrix(b)! : b;
  const n = psi.n;
  const norm2 = psi.normSquared();
  if (!(norm2 > 0)) throw new Error('correlationMatrix: the state is zero');
  const out = new Float64Array(n * n);
  const diag = localExpectations(psi, product(A, B));
  for (let i = 0; i < n; i++) out[i * n + i] = diag[i]!;
  const same = a === b;
  for (let l = 0; l < n - 1; l++) {
    psi.moveCenterInPlace(l);
    const pairs: [CMatrix, CMatrix, (r: number) => number][] = [[A, B, (r) => l * n + r]];
    if (!same) pairs.push([B, A, (r) => r * n + l]);
    for (const [first, second, at] of pairs) {
      const t = psi.sites[l]!;
      let E = transferStep(identity(t.dl), null, t, t, first);
      for (let r = l + 1; r < n; r++) {
        const u = psi.sites[r]!;
        const closed = transferStep(E.re, E.im, u, u, second);
        let tr = 0;
        for (let c = 0; c < u.dr; c++) tr += closed.re[c * u.dr + c]!;
        out[at(r)] = tr / norm2;
        if (same) out[r * n + l] = tr / norm2;
        if (r < n - 1) E = transferStep(E.re, E.im, u, u, null);
      }
    }
  }
  return ndView(out, [n, n]);
}

/** The matrix product A·B of two d×d split-plane matrices. */
function product(A: CMatrix, B: CMatrix): CMatrix {
  const d = A.dim;
  if (B.dim !== d) throw new Error(`correlationMatrix: operators have dimensions ${A.dim} and ${B.dim}; they must be equal`);
  const re = new Float64Array(d * d), im = new Float64Array(d * d);
  gemmComplex('N', 'N', d, d, d, A.re, A.im, B.re, B.im, re, im);
  return { dim: d, re, im: A.im === null && B.im === null ? null : im };
}
