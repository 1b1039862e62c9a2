/**
 * Measurements on an {@link Mps}: local expectations on every site in one sweep, Pauli
 * strings and sums via transfer matrices, overlaps and single amplitudes.
 *
 * Expectation values are **normalised**: ⟨O⟩ = ⟨ψ|O|ψ⟩ / ⟨ψ|ψ⟩, so a truncated (unnormalised)
 * state gives the physical estimate. Functions may move the orthogonality centre of their
 * argument (the state itself, and its norm, are unchanged).
 */
import type { CMatrix } from './complex.js';
import { countGemm } from './flops.js';
import { gemmComplex } from './kernels/index.js';
import type { Mps, SiteTensor } from './mps.js';
import type { PauliLabel, PauliString, PauliSum } from './pauli.js';

/** A complex number. */
export interface Complex { re: number; im: number }

const PAULI: Record<Exclude<PauliLabel, 'I'>, CMatrix> = {
  X: { dim: 2, re: Float64Array.of(0, 1, 1, 0), im: null },
  Y: { dim: 2, re: Float64Array.of(0, 0, 0, 0), im: Float64Array.of(0, -1, 1, 0) },
  Z: { dim: 2, re: Float64Array.of(1, 0, 0, -1), im: null },
};

/** The 2×2 matrix of a Pauli label (null for the identity). */
export function pauliMatrix(p: PauliLabel): CMatrix | null {
  return p === 'I' ? null : PAULI[p];
}

/** T[a, t, b] = Σ_s O[t, s] X[a, s, b] for a tensor with legs [vL, p, vR] (new arrays). */
function applyPhys(re: Float64Array, im: Float64Array | null, dl: number, d: number, dr: number, o: CMatrix): { re: Float64Array; im: Float64Array | null } {
  const real = im === null && o.im === null;
  const ore = new Float64Array(re.length);
  const oim = real ? null : new Float64Array(re.length);
  for (let a = 0; a < dl; a++) {
    for (let t = 0; t < d; t++) {
      const ob = (a * d + t) * dr;
      for (let s = 0; s < d; s++) {
        const xr = o.re[t * d + s]!, xi = o.im ? o.im[t * d + s]! : 0;
        if (xr === 0 && xi === 0) continue;
        const ib = (a * d + s) * dr;
        for (let b = 0; b < dr; b++) {
          const yr = re[ib + b]!, yi = im ? im[ib + b]! : 0;
          ore[ob + b]! += xr * yr - xi * yi;
          if (oim) oim[ob + b]! += xr * yi + xi * yr;
        }
      }
    }
  }
  return { re: ore, im: oim };
}

/** Σ_i conj(x_i)·y_i. */
function dot(xr: Float64Array, xi: Float64Array | null, yr: Float64Array, yi: Float64Array | null): Complex {
  let re = 0, im = 0;
  for (let i = 0; i < xr.length; i++) {
    const a = xr[i]!, b = xi ? xi[i]! : 0, c = yr[i]!, d = yi ? yi[i]! : 0;
    re += a * c + b * d;
    im += a * d - b * c;
  }
  return { re, im };
}

/**
 * One step of a transfer-matrix sweep:
 * E'[b, b'] = Σ_{a,a',s} conj(Bra[a, s, b]) · E[a, a'] · (O·Ket)[a', s, b']   (O optional).
 * Returns E' as a (bra.dr × ket.dr) split-plane matrix.
 */
export function transferStep(Ere: Float64Array, Eim: Float64Array | null, bra: SiteTensor, ket: SiteTensor, o: CMatrix | null): { re: Float64Array; im: Float64Array | null } {
  const k = o ? applyPhys(ket.re, ket.im, ket.dl, ket.d, ket.dr, o) : { re: ket.re, im: ket.im };
  // T: vL(bra) × (p vR) = E: vL(bra) × [vL(ket)] · K: [vL(ket)] × (p vR)
  const cols = ket.d * ket.dr;
  countGemm(bra.dl, cols, ket.dl, 2);
  countGemm(bra.dr, ket.dr, bra.dl * bra.d, 2);
  const Tre = new Float64Array(bra.dl * cols);
  const Tim = new Float64Array(bra.dl * cols);
  gemmComplex('N', 'N', bra.dl, cols, ket.dl, Ere, Eim, k.re, k.im, Tre, Tim);
  // E': vR(bra) × vR(ket) = Bra†: vR × [(vL p)] · T: [(vL p)] × vR
  const re = new Float64Array(bra.dr * ket.dr);
  const im = new Float64Array(bra.dr * ket.dr);
  gemmComplex('C', 'N', bra.dr, ket.dr, bra.dl * bra.d, bra.re, bra.im, Tre, Tim, re, im);
  const real = bra.im === null && ket.im === null && Eim === null && (o === null || o.im === null);
  return { re, im: real ? null : im };
}

/**
 * ⟨O_q⟩ for every site q in one O(nχ³) sweep, for a single-site operator O (a Pauli label
 * or a d×d matrix). Moves the centre to 0, then carries the left environment rightwards.
 * Returns the real parts (exact for Hermitian O), normalised by ⟨ψ|ψ⟩.
 */
export function localExpectations(psi: Mps, op: Exclude<PauliLabel, 'I'> | CMatrix): Float64Array {
  const o = typeof op === 'string' ? PAULI[op] : op;
  psi.moveCenterInPlace(0);
  const norm2 = psi.normSquared();
  if (!(norm2 > 0)) throw new Error('expectation of a zero state');
  const out = new Float64Array(psi.n);
  let Ere: Float64Array = Float64Array.of(1);
  let Eim: Float64Array | null = null;
  for (let q = 0; q < psi.n; q++) {
    const t = psi.sites[q]!;
    // value = Σ conj(A[a,s,b]) (E·(O A))[a,s,b]; the right environment is the identity.
    const oa = applyPhys(t.re, t.im, t.dl, t.d, t.dr, o);
    const eoa = leftMul(Ere, Eim, t.dl, oa.re, oa.im, t.d * t.dr);
    out[q] = dot(t.re, t.im, eoa.re, eoa.im).re / norm2;
    if (q < psi.n - 1) ({ re: Ere, im: Eim } = transferStep(Ere, Eim, t, t, null));
  }
  return out;
}

/** E (m×m) · X (m×cols) as split planes; skips the product when E is 1×1 identity. */
function leftMul(Ere: Float64Array, Eim: Float64Array | null, m: number, Xre: Float64Array, Xim: Float64Array | null, cols: number): { re: Float64Array; im: Float64Array | null } {
  const re = new Float64Array(m * cols);
  const im = new Float64Array(m * cols);
  gemmComplex('N', 'N', m, cols, m, Ere, Eim, Xre, Xim, re, im);
  return { re, im: Eim === null && Xim === null ? null : im };
}

/**
 * ⟨P⟩ for a Pauli string (times its coefficient), normalised. Cost O((q_max − q_min)·χ³):
 * the centre is moved into [q_min, q_max] so both outer environments are identities.
 * @throws Error when the coefficient is not finite, or a qubit is out of range or repeated.
 */
export function expectPauliString(psi: Mps, ps: PauliString): number {
  if (typeof ps.coeff !== 'number' || !Number.isFinite(ps.coeff)) throw new Error(`Pauli string coefficient must be a finite number, got ${ps.coeff}`);
  const factors = ps.factors.filter((f) => f.p !== 'I');
  for (const f of factors) {
    if (!Number.isInteger(f.q) || f.q < 0 || f.q >= psi.n) throw new Error(`Pauli factor on qubit ${f.q} out of range [0, ${psi.n - 1}]`);
  }
  const norm2 = psi.normSquared();
  if (!(norm2 > 0) || !Number.isFinite(norm2)) throw new Error(`expectation of a state of norm ${Math.sqrt(norm2)}`);
  if (factors.length === 0) return ps.coeff;
  const byQ = new Map<number, PauliLabel>();
  for (const f of factors) {
    if (byQ.has(f.q)) throw new Error(`Pauli string has two factors on qubit ${f.q}`);
    byQ.set(f.q, f.p);
  }
  const qs = [...byQ.keys()];
  const lo = Math.min(...qs), hi = Math.max(...qs);
  if (psi.center < lo) psi.moveCenterInPlace(lo);
  else if (psi.center > hi) psi.moveCenterInPlace(hi);
  const dl = psi.sites[lo]!.dl;
  let Ere: Float64Array = identity(dl);
  let Eim: Float64Array | null = null;
  for (let q = lo; q <= hi; q++) {
    const t = psi.sites[q]!;
    const p = byQ.get(q);
    ({ re: Ere, im: Eim } = transferStep(Ere, Eim, t, t, p ? pauliMatrix(p) : null));
  }
  const dr = psi.sites[hi]!.dr;
  let tr = 0;
  for (let b = 0; b < dr; b++) tr += Ere[b * dr + b]!;
  return (ps.coeff * tr) / norm2;
}

/** ⟨Σ_k c_k P_k⟩, normalised (sum of {@link expectPauliString}). */
export function expectPauliSum(psi: Mps, sum: PauliSum): number {
  let v = 0;
  for (const ps of sum) v += expectPauliString(psi, ps);
  return v;
}

function identity(m: number): Float64Array {
  const e = new Float64Array(m * m);
  for (let i = 0; i < m; i++) e[i * m + i] = 1;
  return e;
}

/** ⟨φ|ψ⟩ (unnormalised) by a full transfer-matrix contraction, O(nχ³). */
export function overlap(phi: Mps, psi: Mps): Complex {
  if (phi.n !== psi.n) throw new Error(`overlap: states have ${phi.n} and ${psi.n} sites`);
  let Ere: Float64Array = Float64Array.of(1);
  let Eim: Float64Array | null = null;
  for (let q = 0; q < psi.n; q++) ({ re: Ere, im: Eim } = transferStep(Ere, Eim, phi.sites[q]!, psi.sites[q]!, null));
  return { re: Ere[0]!, im: Eim ? Eim[0]! : 0 };
}

/** The amplitude ⟨b_0 … b_{n−1}|ψ⟩ (unnormalised), O(nχ²). bits[0] is qubit 0. */
export function amplitude(psi: Mps, bits: readonly number[] | string): Complex {
  const b = typeof bits === 'string' ? Array.from(bits, Number) : bits;
  if (b.length !== psi.n) throw new Error(`amplitude: expected ${psi.n} bits, got ${b.length}`);
  let vr: Float64Array = Float64Array.of(1);
  let vi: Float64Array = Float64Array.of(0);
  for (let q = 0; q < psi.n; q++) {
    const t = psi.sites[q]!;
    const s = b[q]!;
    if (!Number.isInteger(s) || s < 0 || s >= t.d) throw new Error(`amplitude: bit ${q} must be in [0, ${t.d - 1}], got ${s}`);
    const nr = new Float64Array(t.dr);
    const ni = new Float64Array(t.dr);
    // v'[b] = Σ_a v[a] · A[a, s, b]
    for (let a = 0; a < t.dl; a++) {
      const xr = vr[a]!, xi = vi[a]!;
      const off = (a * t.d + s) * t.dr;
      for (let j = 0; j < t.dr; j++) {
        const yr = t.re[off + j]!, yi = t.im ? t.im[off + j]! : 0;
        nr[j]! += xr * yr - xi * yi;
        ni[j]! += xr * yi + xi * yr;
      }
    }
    vr = nr; vi = ni;
  }
  return { re: vr[0]!, im: vi[0]! };
}
