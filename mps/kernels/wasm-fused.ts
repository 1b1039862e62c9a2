/**
 * The fused WebAssembly pipelines (mps/wasm/assembly/gram.ts, gramc.ts): the real and complex
 * two-site update with the Gram split, the real Gram split alone, and the real and complex
 * centre moves, each in one to three calls with no copies between its kernels. Every pipeline
 * performs the TypeScript path's operations in the same order, so results are bit-identical;
 * each returns null when the TypeScript backend is selected or the arena cannot hold its
 * workspace. Arena layouts: the table of wasm-layout.ts.
 *
 * The Gram pipelines call a rank rule (rank-rule.ts) once, between their two phases, with the
 * full spectrum, and return its decision and that spectrum with the factors.
 */
import { placeArena, wasm } from './wasm.js';
import { ARENA_LAYOUTS as L } from './wasm-layout.js';
import { keptCount, type RankDecision, type RankRule, type TwoSiteRankRule } from './rank-rule.js';

/** A Float64Array over an ordinary ArrayBuffer. */
type F64 = Float64Array<ArrayBuffer>;

interface GramExports {
  gramEigvals(m: number, n: number, x: number, g: number, d: number, e: number, beta: number, w: number, tmp: number, pa: number, pb: number): number;
  gramVectors(m: number, n: number, k: number, x: number, g: number, d: number, e: number, beta: number, w: number, zasc: number, y: number, z: number, s: number, u: number, pa: number, pb: number, sw: number, absorb: number): number;
  twoSiteTheta(dl: number, c: number, dr: number, a: number, b: number, gate: number, t: number, x: number, pa: number, pb: number, out: number): number;
}

/** Regions of the real Gram phases (indices in doubles). */
type GramAt = Record<'x' | 'pa' | 'pb' | 'g' | 'd' | 'e' | 'beta' | 'w' | 'tmp' | 'zasc' | 'y' | 'z' | 's' | 'u' | 'sw', number>;

/**
 * The step between the two Gram phases (as in `eighTop`): sorts the p eigenvalues at index
 * `pw` ascending in place, and applies `rule` to the singular values in descending order.
 * Returns the decision, the spectrum and the kept count k ∈ [0, p].
 */
function sortAndDecide<D extends RankDecision>(f64: Float64Array, pw: number, p: number, rule: RankRule<D>): { decision: D; spectrum: F64; k: number } {
  const wAsc = f64.subarray(pw, pw + p).sort();
  // the singular values √max(λ, 0) in descending order (as gramSingularValues of the reversed eigenvalues)
  const spectrum = new Float64Array(p);
  for (let c = 0; c < p; c++) spectrum[c] = Math.sqrt(Math.max(wAsc[p - 1 - c]!, 0));
  const decision = rule(spectrum);
  return { decision, spectrum, k: keptCount(decision, p) };
}

/**
 * Result of a fused Gram split: U (m×k), S (k), Vh (k×n) as fresh arrays, the rank rule's
 * decision, and the full spectrum (all p singular values from the Gram eigenvalues,
 * descending) it was made on.
 */
export interface GramSplit<D> { U: F64; S: F64; Vh: F64; k: number; decision: D; spectrum: F64 }

/**
 * Runs both Gram phases on θ (m×n) already in the arena at `at.x`. Returns the decision
 * alone (`k` 0) when the rule keeps nothing or the Gram phases did not finish (rational QL or
 * inverse iteration did not converge; the decision is then absent).
 */
function gramPhases<D extends RankDecision>(g: GramExports, f64: Float64Array, m: number, n: number, at: GramAt, rule: RankRule<D>, absorb: number): GramSplit<D> | null {
  const wide = m <= n;
  const p = wide ? m : n;
  if (g.gramEigvals(m, n, at.x * 8, at.g * 8, at.d * 8, at.e * 8, at.beta * 8, at.w * 8, at.tmp * 8, at.pa * 8, at.pb * 8) !== 1) return null;
  const { decision, spectrum, k } = sortAndDecide(f64, at.w, p, rule);
  if (k === 0) return null;
  if (g.gramVectors(m, n, k, at.x * 8, at.g * 8, at.d * 8, at.e * 8, at.beta * 8, at.w * 8, at.zasc * 8, at.y * 8, at.z * 8, at.s * 8, at.u * 8, at.pa * 8, at.pb * 8, at.sw * 8, absorb) !== 1) return null;
  // slice() copies into a fresh (non-shared) ArrayBuffer
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  return { U: out(at.u, m * k), S: out(at.s, k), Vh: out(wide ? at.z : at.y, k * n), k, decision, spectrum };
}

/**
 * The real Gram-matrix truncated SVD of A (m×n, not modified) in two WebAssembly calls, the
 * twin of `svdGramCore` + `eighTop` (mps/kernels/svd.ts, eigh.ts) for real input: same
 * kernels, same order, bit-identical, but no copies between the kernels. `rule` gets the
 * p = min(m, n) singular values in DESCENDING order and decides the number k of leading
 * triplets to compute. Returns U (m×k), S (k), Vh (k×n) with the decision and the spectrum,
 * or null when the TypeScript backend is selected, the arena cannot hold the workspace, k = 0,
 * or inverse iteration did not converge (the caller then runs the TypeScript path, which has
 * the QL fallback).
 */
export function wasmGramSplitReal<D extends RankDecision>(m: number, n: number, A: Float64Array, rule: RankRule<D>): GramSplit<D> | null {
  const w = wasm();
  if (w === null) return null;
  const ar = placeArena(w, L.gramSplitReal, { m, n });
  if (ar === null) return null;
  const { f64, at } = ar;
  f64.set(A.subarray(0, m * n), at.x);
  return gramPhases(w as unknown as GramExports, f64, m, n, at, rule, 0);
}

/** Outcome of {@link wasmTwoSiteGramReal}. */
export type TwoSiteGram<D> =
  | { status: 'ok'; split: GramSplit<D>; total: number }
  | { status: 'nonfinite' }
  | { status: 'fallback'; theta: F64; total: number };

/**
 * The real two-site update in WebAssembly: θ = A·B (A: (dl·2)×c, B: c×(2·dr), row-major),
 * θ' = G·θ on the physical pair (G 4×4 real, row-major, basis 2·b(i) + b(i+1)), ‖θ'‖²,
 * then the Gram split of θ' ((dl·2)×(2·dr)), bit-identical to `twoSiteThetaTs` +
 * `truncatedSplit` (gram method) in TypeScript. `rule(S, total)` decides the rank.
 * `absorb`: 1 folds S into the rows of Vh, 2 into the columns of U. Returns null when the
 * TypeScript backend is selected or the arena is too small; `nonfinite` when θ' has a NaN
 * or infinite entry; `fallback` (with θ') when k = 0 or the Gram phases did not finish.
 */
export function wasmTwoSiteGramReal<D extends RankDecision>(dl: number, c: number, dr: number, A: Float64Array, B: Float64Array, gate: Float64Array, absorb: number, rule: TwoSiteRankRule<D>): TwoSiteGram<D> | null {
  const w = wasm();
  if (w === null) return null;
  const m = dl * 2, n = 2 * dr;
  const ar = placeArena(w, L.twoSiteReal, { dl, c, dr });
  if (ar === null) return null;
  const { f64, at } = ar;
  f64.set(A.subarray(0, m * c), at.a);
  f64.set(B.subarray(0, c * n), at.b);
  f64.set(gate.subarray(0, 16), at.gate);
  const g = w as unknown as GramExports;
  if (g.twoSiteTheta(dl, c, dr, at.a * 8, at.b * 8, at.gate * 8, at.t * 8, at.x * 8, at.pa * 8, at.pb * 8, at.out * 8) !== 1) return { status: 'nonfinite' };
  const total = f64[at.out]!;
  const split = gramPhases(g, f64, m, n, at, (S) => rule(S, total), absorb);
  if (split !== null) return { status: 'ok', split, total };
  return { status: 'fallback', theta: f64.slice(at.x, at.x + m * n) as F64, total };
}

interface ShiftExports {
  shiftRightW(m: number, n: number, nb: number, a: number, b: number, w: number, tau: number, qt: number, rr: number, q: number, out: number, pa: number, pb: number): number;
  shiftLeftW(m: number, n: number, mb: number, a: number, b: number, w: number, tau: number, qt: number, l: number, out: number, pa: number, pb: number): number;
}

/**
 * Real centre move to the right in one WebAssembly call: A (m×n) = Q·R, returns Q (m×r) and
 * R·B (r×nb) for B (n×nb), r = min(m, n); bit-identical to `qrReal` + `gemmReal`. Null when
 * the TypeScript backend is selected or the arena is too small.
 */
export function wasmShiftRight(m: number, n: number, nb: number, A: Float64Array, B: Float64Array): { Q: F64; RB: F64; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const ar = placeArena(w, L.shiftRight, { m, n, nb });
  if (ar === null) return null;
  const { f64, at } = ar;
  const r = Math.min(m, n);
  f64.set(A.subarray(0, m * n), at.a);
  f64.set(B.subarray(0, n * nb), at.b);
  (w as unknown as ShiftExports).shiftRightW(m, n, nb, at.a * 8, at.b * 8, at.w * 8, at.tau * 8, at.qt * 8, at.rr * 8, at.q * 8, at.out * 8, at.pa * 8, at.pb * 8);
  return { Q: f64.slice(at.q, at.q + m * r) as F64, RB: f64.slice(at.out, at.out + r * nb) as F64, r };
}

/**
 * Real centre move to the left in one WebAssembly call: A (m×n) = L·Q, returns Q (r×n) and
 * B·L (mb×r) for B (mb×m), r = min(m, n); bit-identical to `lqReal` + `gemmReal`. Null when
 * the TypeScript backend is selected or the arena is too small.
 */
export function wasmShiftLeft(m: number, n: number, mb: number, A: Float64Array, B: Float64Array): { Q: F64; BL: F64; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const ar = placeArena(w, L.shiftLeft, { m, n, mb });
  if (ar === null) return null;
  const { f64, at } = ar;
  const r = Math.min(m, n);
  f64.set(A.subarray(0, m * n), at.a);
  f64.set(B.subarray(0, mb * m), at.b);
  (w as unknown as ShiftExports).shiftLeftW(m, n, mb, at.a * 8, at.b * 8, at.w * 8, at.tau * 8, at.qt * 8, at.l * 8, at.out * 8, at.pa * 8, at.pb * 8);
  return { Q: f64.slice(at.qt, at.qt + r * n) as F64, BL: f64.slice(at.out, at.out + mb * r) as F64, r };
}

interface GramCExports {
  twoSiteThetaC(dl: number, c: number, dr: number, ar: number, ai: number, br: number, bi: number, gater: number, gatei: number, hasGi: number, tr: number, ti: number, xr: number, xi: number, pa: number, pb: number, out: number): number;
  gramEigvalsC(m: number, n: number, xr: number, xi: number, gr: number, gi: number, d: number, er: number, ei: number, beta: number, e: number, phr: number, phi: number, w: number, t1: number, t2: number, pa: number, pb: number): number;
  gramVectorsC(m: number, n: number, k: number, xr: number, xi: number, gr: number, gi: number, d: number, e: number, beta: number, phr: number, phi: number, w: number, zasc: number, yr: number, yi: number, zr: number, zi: number, s: number, ur: number, ui: number, pa: number, pb: number, sw: number, absorb: number): number;
}

/** Result of the fused complex Gram split: U (m×k), S (k), Vh (k×n) on split planes, with the decision and spectrum. */
export interface GramSplitC<D> { Ure: F64; Uim: F64; S: F64; Vhre: F64; Vhim: F64; k: number; decision: D; spectrum: F64 }

/** Outcome of {@link wasmTwoSiteGramComplex} (as {@link TwoSiteGram}). */
export type TwoSiteGramC<D> =
  | { status: 'ok'; split: GramSplitC<D>; total: number }
  | { status: 'nonfinite' }
  | { status: 'fallback'; re: F64; im: F64; total: number };

/**
 * The complex twin of {@link wasmTwoSiteGramReal}: sites A ((dl·2)×c) and B (c×(2·dr)) on
 * split planes (both complex), gate (gre, gim; gim null for a real gate). Bit-identical to
 * `twoSiteThetaTs` + `truncatedSplit` (gram method) in TypeScript.
 */
export function wasmTwoSiteGramComplex<D extends RankDecision>(dl: number, c: number, dr: number, Are: Float64Array, Aim: Float64Array, Bre: Float64Array, Bim: Float64Array, gre: Float64Array, gim: Float64Array | null, absorb: number, rule: TwoSiteRankRule<D>): TwoSiteGramC<D> | null {
  const w = wasm();
  if (w === null) return null;
  const m = dl * 2, n = 2 * dr;
  const p = Math.min(m, n);
  const la = m * c, lb = c * n, lx = m * n;
  const ar = placeArena(w, L.twoSiteComplex, { dl, c, dr });
  if (ar === null) return null;
  const { f64, at } = ar;
  f64.set(Are.subarray(0, la), at.ar);
  f64.set(Aim.subarray(0, la), at.ai);
  f64.set(Bre.subarray(0, lb), at.br);
  f64.set(Bim.subarray(0, lb), at.bi);
  f64.set(gre.subarray(0, 16), at.gater);
  if (gim !== null) f64.set(gim.subarray(0, 16), at.gatei);
  const g = w as unknown as GramCExports;
  if (g.twoSiteThetaC(dl, c, dr, at.ar * 8, at.ai * 8, at.br * 8, at.bi * 8, at.gater * 8, at.gatei * 8, gim === null ? 0 : 1, at.tr * 8, at.ti * 8, at.xr * 8, at.xi * 8, at.pa * 8, at.pb * 8, at.out * 8) !== 1) return { status: 'nonfinite' };
  const total = f64[at.out]!;
  const fallback = (): TwoSiteGramC<D> => ({ status: 'fallback', re: f64.slice(at.xr, at.xr + lx) as F64, im: f64.slice(at.xi, at.xi + lx) as F64, total });
  if (g.gramEigvalsC(m, n, at.xr * 8, at.xi * 8, at.gr * 8, at.gi * 8, at.d * 8, at.er * 8, at.ei * 8, at.beta * 8, at.e * 8, at.phr * 8, at.phi * 8, at.w * 8, at.t1 * 8, at.t2 * 8, at.pa * 8, at.pb * 8) !== 1) return fallback();
  const { decision, spectrum, k } = sortAndDecide(f64, at.w, p, (S) => rule(S, total));
  if (k === 0) return fallback();
  if (g.gramVectorsC(m, n, k, at.xr * 8, at.xi * 8, at.gr * 8, at.gi * 8, at.d * 8, at.e * 8, at.beta * 8, at.phr * 8, at.phi * 8, at.w * 8, at.zasc * 8, at.yr * 8, at.yi * 8, at.zr * 8, at.zi * 8, at.s * 8, at.ur * 8, at.ui * 8, at.pa * 8, at.pb * 8, at.sw * 8, absorb) !== 1) return fallback();
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  const wide = m <= n;
  return {
    status: 'ok',
    total,
    split: { Ure: out(at.ur, m * k), Uim: out(at.ui, m * k), S: out(at.s, k), Vhre: out(wide ? at.zr : at.yr, k * n), Vhim: out(wide ? at.zi : at.yi, k * n), k, decision, spectrum },
  };
}

interface ShiftCExports {
  shiftRightWC(m: number, n: number, nb: number, ar: number, ai: number, br: number, bi: number, w: number, tau: number, qt: number, rr: number, qr: number, qi: number, or: number, oi: number, pa: number, pb: number): number;
  shiftLeftWC(m: number, n: number, mb: number, ar: number, ai: number, br: number, bi: number, w: number, tau: number, l: number, qr: number, qi: number, or: number, oi: number, pa: number, pb: number): number;
}

/** Complex twin of {@link wasmShiftRight} (both sites complex, split planes). */
export function wasmShiftRightC(m: number, n: number, nb: number, Are: Float64Array, Aim: Float64Array, Bre: Float64Array, Bim: Float64Array): { Qre: F64; Qim: F64; re: F64; im: F64; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const r = Math.min(m, n);
  const ar = placeArena(w, L.shiftRightC, { m, n, nb });
  if (ar === null) return null;
  const { f64, at } = ar;
  f64.set(Are.subarray(0, m * n), at.ar);
  f64.set(Aim.subarray(0, m * n), at.ai);
  f64.set(Bre.subarray(0, n * nb), at.br);
  f64.set(Bim.subarray(0, n * nb), at.bi);
  (w as unknown as ShiftCExports).shiftRightWC(m, n, nb, at.ar * 8, at.ai * 8, at.br * 8, at.bi * 8, at.w * 8, at.tau * 8, at.qt * 8, at.rr * 8, at.qr * 8, at.qi * 8, at.or * 8, at.oi * 8, at.pa * 8, at.pb * 8);
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  return { Qre: out(at.qr, m * r), Qim: out(at.qi, m * r), re: out(at.or, r * nb), im: out(at.oi, r * nb), r };
}

/** Complex twin of {@link wasmShiftLeft} (both sites complex, split planes). */
export function wasmShiftLeftC(m: number, n: number, mb: number, Are: Float64Array, Aim: Float64Array, Bre: Float64Array, Bim: Float64Array): { Qre: F64; Qim: F64; re: F64; im: F64; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const r = Math.min(m, n);
  const ar = placeArena(w, L.shiftLeftC, { m, n, mb });
  if (ar === null) return null;
  const { f64, at } = ar;
  f64.set(Are.subarray(0, m * n), at.ar);
  f64.set(Aim.subarray(0, m * n), at.ai);
  f64.set(Bre.subarray(0, mb * m), at.br);
  f64.set(Bim.subarray(0, mb * m), at.bi);
  (w as unknown as ShiftCExports).shiftLeftWC(m, n, mb, at.ar * 8, at.ai * 8, at.br * 8, at.bi * 8, at.w * 8, at.tau * 8, at.l * 8, at.qr * 8, at.qi * 8, at.or * 8, at.oi * 8, at.pa * 8, at.pb * 8);
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  return { Qre: out(at.qr, r * n), Qim: out(at.qi, r * n), re: out(at.or, mb * r), im: out(at.oi, mb * r), r };
}
