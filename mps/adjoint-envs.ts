/**
 * Environments and sandwiches of the overlap ⟨bra|ket⟩ of two MPSs, for the adjoint gradient.
 *
 * Left environment L[q] (bra.dl × ket.dl at site q) contracts sites < q; right environment R[q]
 * (bra.dr × ket.dr at site q − 1) contracts sites ≥ q. A one-site sandwich ⟨bra|K_q|ket⟩ is read
 * from the 2×2 mixed reduced matrix ρ_q[s, t] = Σ conj(bra) · L[q] · ket · R[q+1] (open physical
 * legs s of the bra, t of the ket), built from the half-product T_q = L[q]·ket_q that the left
 * sweep forms anyway: one gemm of 2·χ_bra²·χ_ket per site instead of a full transfer step.
 * Real inputs give real environments (imaginary planes null), so real circuits run real gemms.
 */
import type { CMatrix } from './complex.js';
import { countGemm } from './flops.js';
import { gemmComplex } from './kernels/index.js';
import { transferStep } from './measure.js';
import type { Mps, SiteTensor } from './mps.js';

/** A split-plane matrix (imaginary plane null when real). */
export interface Env { re: Float64Array; im: Float64Array | null }

const ONE: Env = { re: Float64Array.of(1), im: null };

function cplx(...xs: (Float64Array | null)[]): 0 | 1 | 2 {
  let c = 0;
  for (const x of xs) if (x) c++;
  return Math.min(c, 2) as 0 | 1 | 2;
}

/** R'[a, a'] = Σ_{s,b,b'} conj(Bra[a,s,b]) · Ket[a',s,b'] · R[b, b']  (bra.dl × ket.dl). */
export function transferStepRight(R: Env, bra: SiteTensor, ket: SiteTensor): Env {
  // T[(a' s), b] = Σ_b' Ket[(a' s), b'] · R[b, b']  =  Ket · Rᵀ
  const rows = ket.dl * ket.d;
  const Tre = new Float64Array(rows * bra.dr), Tim = new Float64Array(rows * bra.dr);
  countGemm(rows, bra.dr, ket.dr, cplx(ket.im, R.im));
  gemmComplex('N', 'T', rows, bra.dr, ket.dr, ket.re, ket.im, R.re, R.im, Tre, Tim);
  const tim = ket.im === null && R.im === null ? null : Tim;
  // conj(R')[a, a'] = Σ_{(s b)} Bra[a, (s b)] · conj(T[a', (s b)])  =  Bra · T^H
  const cols = bra.d * bra.dr;
  const re = new Float64Array(bra.dl * ket.dl), im = new Float64Array(bra.dl * ket.dl);
  countGemm(bra.dl, ket.dl, cols, cplx(bra.im, tim));
  gemmComplex('N', 'C', bra.dl, ket.dl, cols, bra.re, bra.im, Tre, tim, re, im);
  if (bra.im === null && tim === null) return { re, im: null };
  for (let i = 0; i < im.length; i++) im[i] = -im[i]!;
  return { re, im };
}

/** One left step: T = E·Ket (bra.dl × (d·ket.dr)) and E' = Bra†·T (bra.dr × ket.dr). */
function leftStep(E: Env, bra: SiteTensor, ket: SiteTensor): { T: Env; next: Env } {
  const cols = ket.d * ket.dr;
  const Tre = new Float64Array(bra.dl * cols), Tim = new Float64Array(bra.dl * cols);
  countGemm(bra.dl, cols, ket.dl, cplx(E.im, ket.im));
  gemmComplex('N', 'N', bra.dl, cols, ket.dl, E.re, E.im, ket.re, ket.im, Tre, Tim);
  const T: Env = { re: Tre, im: E.im === null && ket.im === null ? null : Tim };
  const re = new Float64Array(bra.dr * ket.dr), im = new Float64Array(bra.dr * ket.dr);
  countGemm(bra.dr, ket.dr, bra.dl * bra.d, cplx(bra.im, T.im));
  gemmComplex('C', 'N', bra.dr, ket.dr, bra.dl * bra.d, bra.re, bra.im, T.re, T.im, re, im);
  return { T, next: { re, im: bra.im === null && T.im === null ? null : im } };
}

/** The environments of ⟨bra|ket⟩ that a set of sandwiches needs. */
export interface Environments {
  /** L[q] for q ≤ hi (undefined beyond). */
  L: Env[];
  /** T[q] = L[q]·ket_q for lo ≤ q ≤ hi. */
  T: Env[];
  /** R[q] for q > lo (undefined at and below lo). */
  R: Env[];
}

/**
 * Left environments up to site `hi` (with their half-products T from `lo` on) and right
 * environments down to site lo + 1: what the sandwiches on sites lo … hi need.
 */
export function environments(bra: Mps, ket: Mps, lo: number, hi: number): Environments {
  const n = bra.n;
  const L: Env[] = new Array<Env>(n + 1), T: Env[] = new Array<Env>(n), R: Env[] = new Array<Env>(n + 1);
  L[0] = ONE;
  for (let q = 0; q <= hi; q++) {
    const st = leftStep(L[q]!, bra.sites[q]!, ket.sites[q]!);
    if (q >= lo) T[q] = st.T;
    if (q < hi) L[q + 1] = st.next;
  }
  R[n] = ONE;
  for (let q = n - 1; q > lo; q--) R[q] = transferStepRight(R[q + 1]!, bra.sites[q]!, ket.sites[q]!);
  return { L, T, R };
}

/** ρ_q[s, t] (row-major 2×2 on split planes) from T[q] and R[q+1]. */
export function mixedReduced(env: Environments, bra: Mps, q: number): { re: Float64Array; im: Float64Array } {
  const B = bra.sites[q]!;
  const T = env.T[q]!, R = env.R[q + 1]!;
  const d = B.d, kdr = R.re.length / B.dr; // ket.dr
  // Z[(a s), b'] = Σ_b Bra[(a s), b] · conj(R[b, b'])
  const rim = R.im ? R.im.map((x) => -x) : null;
  const rows = B.dl * d;
  const Zre = new Float64Array(rows * kdr), Zim = new Float64Array(rows * kdr);
  countGemm(rows, kdr, B.dr, cplx(B.im, rim));
  gemmComplex('N', 'N', rows, kdr, B.dr, B.re, B.im, R.re, rim, Zre, Zim);
  const zim = B.im === null && rim === null ? null : Zim;
  // ρ[s, t] = Σ_{a, b'} conj(Z[a, s, b']) · T[a, t, b']
  const re = new Float64Array(d * d), im = new Float64Array(d * d);
  for (let a = 0; a < B.dl; a++) {
    for (let s = 0; s < d; s++) {
      const zo = (a * d + s) * kdr;
      for (let t = 0; t < d; t++) {
        const to = (a * d + t) * kdr;
        let sr = 0, si = 0;
        if (zim === null && T.im === null) {
          for (let b = 0; b < kdr; b++) sr += Zre[zo + b]! * T.re[to + b]!;
        } else {
          for (let b = 0; b < kdr; b++) {
            const zr = Zre[zo + b]!, zi = zim ? -zim[zo + b]! : 0, tr = T.re[to + b]!, ti = T.im ? T.im[to + b]! : 0;
            sr += zr * tr - zi * ti; si += zr * ti + zi * tr;
          }
        }
        re[s * d + t]! += sr; im[s * d + t]! += si;
      }
    }
  }
  return { re, im };
}

/** Σ_{s,t} K[s, t] · ρ[s, t]. */
export function traceWith(K: CMatrix, rho: { re: Float64Array; im: Float64Array }): { re: number; im: number } {
  let re = 0, im = 0;
  for (let i = 0; i < rho.re.length; i++) {
    const kr = K.re[i]!, ki = K.im ? K.im[i]! : 0, pr = rho.re[i]!, pi = rho.im[i]!;
    re += kr * pr - ki * pi; im += kr * pi + ki * pr;
  }
  return { re, im };
}

function envContract(E: Env, R: Env): { re: number; im: number } {
  let re = 0, im = 0;
  for (let i = 0; i < E.re.length; i++) {
    const a = E.re[i]!, b = E.im ? E.im[i]! : 0, c = R.re[i]!, d = R.im ? R.im[i]! : 0;
    re += a * c - b * d; im += a * d + b * c;
  }
  return { re, im };
}

/** Splits a 4×4 operator K (basis 2·s0+s1) into Σ_t A_t ⊗ B_t with A_t = |s0⟩⟨t0|. */
function blockTerms(K: CMatrix): { A: CMatrix; B: CMatrix }[] {
  const out: { A: CMatrix; B: CMatrix }[] = [];
  for (let s0 = 0; s0 < 2; s0++) {
    for (let t0 = 0; t0 < 2; t0++) {
      const bre = new Float64Array(4), bim = new Float64Array(4);
      let nz = false, cx = false;
      for (let s1 = 0; s1 < 2; s1++) {
        for (let t1 = 0; t1 < 2; t1++) {
          const idx = (2 * s0 + s1) * 4 + 2 * t0 + t1;
          bre[s1 * 2 + t1] = K.re[idx]!; bim[s1 * 2 + t1] = K.im ? K.im[idx]! : 0;
          if (bre[s1 * 2 + t1] !== 0 || bim[s1 * 2 + t1] !== 0) nz = true;
          if (bim[s1 * 2 + t1] !== 0) cx = true;
        }
      }
      if (!nz) continue;
      const are = new Float64Array(4);
      are[s0 * 2 + t0] = 1;
      out.push({ A: { dim: 2, re: are, im: null }, B: { dim: 2, re: bre, im: cx ? bim : null } });
    }
  }
  return out;
}

/**
 * ⟨bra| K |ket⟩ for a two-qubit operator K on sites (lo, hi), lo < hi (basis 2·b(lo)+b(hi)),
 * from L[lo] and R[hi+1], carrying the sites between.
 */
export function sandwichTwo(env: Environments, bra: Mps, ket: Mps, K: CMatrix, lo: number, hi: number): { re: number; im: number } {
  let re = 0, im = 0;
  for (const { A, B } of blockTerms(K)) {
    let E = transferStep(env.L[lo]!.re, env.L[lo]!.im, bra.sites[lo]!, ket.sites[lo]!, A);
    for (let q = lo + 1; q < hi; q++) E = transferStep(E.re, E.im, bra.sites[q]!, ket.sites[q]!, null);
    E = transferStep(E.re, E.im, bra.sites[hi]!, ket.sites[hi]!, B);
    const v = envContract(E, env.R[hi + 1]!);
    re += v.re; im += v.im;
  }
  return { re, im };
}
