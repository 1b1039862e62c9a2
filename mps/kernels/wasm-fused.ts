/**
 * The fused WebAssembly pipelines (mps/wasm/assembly/gram.ts, gramc.ts): the real and complex
 * two-site update with the Gram split, the real Gram split alone, and the real centre moves,
 * each in one to three calls with no copies between its kernels. Every pipeline performs the
 * TypeScript path's operations in the same order, so results are bit-identical; each returns
 * null when the TypeScript backend is selected or the arena cannot hold its workspace.
 */
import { arena, wasm } from './wasm.js';

/** A Float64Array over an ordinary ArrayBuffer. */
type F64 = Float64Array<ArrayBuffer>;

interface GramExports {
  gramEigvals(m: number, n: number, x: number, g: number, d: number, e: number, beta: number, w: number, tmp: number, pa: number, pb: number): number;
  gramVectors(m: number, n: number, k: number, x: number, g: number, d: number, e: number, beta: number, w: number, zasc: number, y: number, z: number, s: number, u: number, pa: number, pb: number, sw: number, absorb: number): number;
  twoSiteTheta(dl: number, c: number, dr: number, a: number, b: number, gate: number, t: number, x: number, pa: number, pb: number, out: number): number;
}

/** Packed-panel length (doubles) for `rc` rows or columns over an inner dimension `k`. */
const packed = (rc: number, k: number) => ((rc + 3) >> 2) * k * 4;

/** Arena length (doubles) of the Gram phases for θ (m×n) at index x, and the packing needs. */
function gramLen(m: number, n: number): { len: number; pack: number } {
  const p = Math.min(m, n), q = Math.max(m, n);
  return { len: p * p + 5 * p + 2 * p * p + p * q + p + m * p + 6 * p, pack: Math.max(packed(p, q), packed(q, p)) };
}

/**
 * The step between the two Gram phases (as in `eighTop`): sorts the p eigenvalues at index
 * `pw` ascending in place and returns the rank `choose` picks from them in descending order,
 * clamped to [0, p].
 */
function sortAndChoose(f64: Float64Array, pw: number, p: number, choose: (wDesc: Float64Array) => number): number {
  const wAsc = f64.slice(pw, pw + p).sort();
  f64.set(wAsc, pw);
  return Math.max(0, Math.min(p, Math.floor(choose(wAsc.slice().reverse()))));
}

/** Result of the fused Gram phases: U (m×k), S (k), Vh (k×n), fresh arrays. */
export interface GramSplit { U: F64; S: F64; Vh: F64; k: number }

/**
 * Runs both Gram phases on θ (m×n) already in the arena at index `px`, with packing buffers
 * at `pa`/`pb` (each ≥ gramLen().pack) and the workspace from `pw0` (gramLen().len).
 * Returns null when k = 0 or inverse iteration did not converge.
 */
function gramPhases(g: GramExports, f64: Float64Array, m: number, n: number, px: number, pa: number, pb: number, pw0: number, choose: (wDesc: Float64Array) => number, absorb: number): GramSplit | null {
  const wide = m <= n;
  const p = wide ? m : n;
  const q = wide ? n : m;
  const pg = pw0, pd = pg + p * p, pe = pd + p, pbeta = pe + p, pw = pbeta + p, ptmp = pw + p;
  const pz0 = ptmp + p, py = pz0 + p * p, pz = py + p * p, ps = pz + p * q, pu = ps + p, psw = pu + m * p;
  if (g.gramEigvals(m, n, px * 8, pg * 8, pd * 8, pe * 8, pbeta * 8, pw * 8, ptmp * 8, pa * 8, pb * 8) !== 1) return null;
  const k = sortAndChoose(f64, pw, p, choose);
  if (k === 0) return null;
  if (g.gramVectors(m, n, k, px * 8, pg * 8, pd * 8, pe * 8, pbeta * 8, pw * 8, pz0 * 8, py * 8, pz * 8, ps * 8, pu * 8, pa * 8, pb * 8, psw * 8, absorb) !== 1) return null;
  // slice() copies into a fresh (non-shared) ArrayBuffer
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  return { U: out(pu, m * k), S: out(ps, k), Vh: out(wide ? pz : py, k * n), k };
}

/**
 * The real Gram-matrix truncated SVD of A (m×n, not modified) in two WebAssembly calls, the
 * twin of `svdGramCore` + `eighTop` (mps/kernels/svd.ts, eigh.ts) for real input: same
 * kernels, same order, bit-identical, but no copies between the kernels. `choose` gets the
 * p = min(m, n) Gram eigenvalues in DESCENDING order and returns the number k of leading
 * triplets to compute. Returns U (m×k), S (k), Vh (k×n), or null when the TypeScript backend
 * is selected, the arena cannot hold the workspace, k = 0, or inverse iteration did not
 * converge (the caller then runs the TypeScript path, which has the QL fallback).
 */
export function wasmGramSplitReal(m: number, n: number, A: Float64Array, choose: (wDesc: Float64Array) => number): GramSplit | null {
  const w = wasm();
  if (w === null) return null;
  const { len, pack } = gramLen(m, n);
  const ar = arena(w, m * n + 2 * pack + len);
  if (ar === null) return null;
  const { f64, base } = ar;
  f64.set(A.subarray(0, m * n), base);
  return gramPhases(w as unknown as GramExports, f64, m, n, base, base + m * n, base + m * n + pack, base + m * n + 2 * pack, choose, 0);
}

/** Outcome of {@link wasmTwoSiteGramReal}. */
export type TwoSiteGram =
  | { status: 'ok'; split: GramSplit; total: number }
  | { status: 'nonfinite' }
  | { status: 'fallback'; theta: F64; total: number };

/**
 * The real two-site update in WebAssembly: θ = A·B (A: (dl·2)×c, B: c×(2·dr), row-major),
 * θ' = G·θ on the physical pair (G 4×4 real, row-major, basis 2·b(i) + b(i+1)), ‖θ'‖²,
 * then the Gram split of θ' ((dl·2)×(2·dr)), bit-identical to `applyTwoSiteInPlace` +
 * `truncatedSplit` (gram method) in TypeScript. `choose(wDesc, total)` returns the rank k.
 * `absorb`: 1 folds S into the rows of Vh, 2 into the columns of U. Returns null when the
 * TypeScript backend is selected or the arena is too small; `nonfinite` when θ' has a NaN
 * or infinite entry; `fallback` (with θ') when k = 0 or inverse iteration failed.
 */
export function wasmTwoSiteGramReal(dl: number, c: number, dr: number, A: Float64Array, B: Float64Array, gate: Float64Array, absorb: number, choose: (wDesc: Float64Array, total: number) => number): TwoSiteGram | null {
  const w = wasm();
  if (w === null) return null;
  const m = dl * 2, n = 2 * dr;
  const { len, pack: gp } = gramLen(m, n);
  const pack = Math.max(gp, packed(m, c), packed(n, c));
  const la = m * c, lb = c * n, lx = m * n;
  const ar = arena(w, la + lb + 16 + 2 * lx + 1 + 2 * pack + len);
  if (ar === null) return null;
  const { f64, base } = ar;
  const pA = base, pB = pA + la, pG = pB + lb, pt = pG + 16, px = pt + lx, pout = px + lx, pa = pout + 1, pb = pa + pack, pw0 = pb + pack;
  f64.set(A.subarray(0, la), pA);
  f64.set(B.subarray(0, lb), pB);
  f64.set(gate.subarray(0, 16), pG);
  const g = w as unknown as GramExports;
  if (g.twoSiteTheta(dl, c, dr, pA * 8, pB * 8, pG * 8, pt * 8, px * 8, pa * 8, pb * 8, pout * 8) !== 1) return { status: 'nonfinite' };
  const total = f64[pout]!;
  const split = gramPhases(g, f64, m, n, px, pa, pb, pw0, (wDesc) => choose(wDesc, total), absorb);
  if (split !== null) return { status: 'ok', split, total };
  return { status: 'fallback', theta: f64.slice(px, px + lx) as F64, total };
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
  const r = Math.min(m, n);
  const pack = Math.max(packed(r, n), packed(nb, n));
  const ar = arena(w, 2 * m * n + n * nb + r + r * m + r * n + m * r + r * nb + 2 * pack);
  if (ar === null) return null;
  const { f64, base } = ar;
  const pA = base, pB = pA + m * n, pw = pB + n * nb, ptau = pw + m * n, pqt = ptau + r, prr = pqt + r * m, pq = prr + r * n, pout = pq + m * r, pa = pout + r * nb, pb = pa + pack;
  f64.set(A.subarray(0, m * n), pA);
  f64.set(B.subarray(0, n * nb), pB);
  (w as unknown as ShiftExports).shiftRightW(m, n, nb, pA * 8, pB * 8, pw * 8, ptau * 8, pqt * 8, prr * 8, pq * 8, pout * 8, pa * 8, pb * 8);
  return { Q: f64.slice(pq, pq + m * r) as F64, RB: f64.slice(pout, pout + r * nb) as F64, r };
}

/**
 * Real centre move to the left in one WebAssembly call: A (m×n) = L·Q, returns Q (r×n) and
 * B·L (mb×r) for B (mb×m), r = min(m, n); bit-identical to `lqReal` + `gemmReal`. Null when
 * the TypeScript backend is selected or the arena is too small.
 */
export function wasmShiftLeft(m: number, n: number, mb: number, A: Float64Array, B: Float64Array): { Q: F64; BL: F64; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const r = Math.min(m, n);
  const pack = Math.max(packed(mb, m), packed(r, m));
  const ar = arena(w, 2 * m * n + mb * m + r + r * n + m * r + mb * r + 2 * pack);
  if (ar === null) return null;
  const { f64, base } = ar;
  const pA = base, pB = pA + m * n, pw = pB + mb * m, ptau = pw + m * n, pqt = ptau + r, pl = pqt + r * n, pout = pl + m * r, pa = pout + mb * r, pb = pa + pack;
  f64.set(A.subarray(0, m * n), pA);
  f64.set(B.subarray(0, mb * m), pB);
  (w as unknown as ShiftExports).shiftLeftW(m, n, mb, pA * 8, pB * 8, pw * 8, ptau * 8, pqt * 8, pl * 8, pout * 8, pa * 8, pb * 8);
  return { Q: f64.slice(pqt, pqt + r * n) as F64, BL: f64.slice(pout, pout + mb * r) as F64, r };
}

interface GramCExports {
  twoSiteThetaC(dl: number, c: number, dr: number, ar: number, ai: number, br: number, bi: number, gr: number, gi: number, hasGi: number, tr: number, ti: number, xr: number, xi: number, pa: number, pb: number, out: number): number;
  gramEigvalsC(m: number, n: number, xr: number, xi: number, gr: number, gi: number, d: number, er: number, ei: number, beta: number, e: number, phr: number, phi: number, w: number, t1: number, t2: number, pa: number, pb: number): number;
  gramVectorsC(m: number, n: number, k: number, xr: number, xi: number, gr: number, gi: number, d: number, e: number, beta: number, phr: number, phi: number, w: number, zasc: number, yr: number, yi: number, zr: number, zi: number, s: number, ur: number, ui: number, pa: number, pb: number, sw: number, absorb: number): number;
}

/** Result of the fused complex Gram split: U (m×k), S (k), Vh (k×n) on split planes. */
export interface GramSplitC { Ure: F64; Uim: F64; S: F64; Vhre: F64; Vhim: F64; k: number }

/** Outcome of {@link wasmTwoSiteGramComplex} (as {@link TwoSiteGram}). */
export type TwoSiteGramC =
  | { status: 'ok'; split: GramSplitC; total: number }
  | { status: 'nonfinite' }
  | { status: 'fallback'; re: F64; im: F64; total: number };

/**
 * The complex twin of {@link wasmTwoSiteGramReal}: sites A ((dl·2)×c) and B (c×(2·dr)) on
 * split planes (both complex), gate (gre, gim; gim null for a real gate). Bit-identical to
 * `applyTwoSiteInPlace` + `truncatedSplit` (gram method) in TypeScript.
 */
export function wasmTwoSiteGramComplex(dl: number, c: number, dr: number, Are: Float64Array, Aim: Float64Array, Bre: Float64Array, Bim: Float64Array, gre: Float64Array, gim: Float64Array | null, absorb: number, choose: (wDesc: Float64Array, total: number) => number): TwoSiteGramC | null {
  const w = wasm();
  if (w === null) return null;
  const m = dl * 2, n = 2 * dr;
  const p = Math.min(m, n), q = Math.max(m, n);
  const pack = Math.max(packed(m, 2 * c), packed(n, 2 * c), packed(p, 2 * q), packed(q, 2 * p));
  const la = m * c, lb = c * n, lx = m * n;
  const work = 2 * p * p + 10 * p + 3 * p * p + 2 * p * q + p + 2 * m * p + 6 * p;
  const ar = arena(w, 2 * la + 2 * lb + 32 + 4 * lx + 1 + 2 * pack + work);
  if (ar === null) return null;
  const { f64, base } = ar;
  let o = base;
  const take = (len: number) => { const at = o; o += len; return at; };
  const pAr = take(la), pAi = take(la), pBr = take(lb), pBi = take(lb), pGr = take(16), pGi = take(16);
  const ptr = take(lx), pti = take(lx), pxr = take(lx), pxi = take(lx), pout = take(1), pa = take(pack), pb = take(pack);
  const pgr = take(p * p), pgi = take(p * p), pd = take(p), per = take(p), pei = take(p), pbeta = take(p), pe = take(p);
  const pphr = take(p), pphi = take(p), pw = take(p), pt1 = take(p), pt2 = take(p);
  const pz0 = take(p * p), pyr = take(p * p), pyi = take(p * p), pzr = take(p * q), pzi = take(p * q), ps = take(p);
  const pur = take(m * p), pui = take(m * p), psw = take(6 * p);
  f64.set(Are.subarray(0, la), pAr);
  f64.set(Aim.subarray(0, la), pAi);
  f64.set(Bre.subarray(0, lb), pBr);
  f64.set(Bim.subarray(0, lb), pBi);
  f64.set(gre.subarray(0, 16), pGr);
  if (gim !== null) f64.set(gim.subarray(0, 16), pGi);
  const g = w as unknown as GramCExports;
  if (g.twoSiteThetaC(dl, c, dr, pAr * 8, pAi * 8, pBr * 8, pBi * 8, pGr * 8, pGi * 8, gim === null ? 0 : 1, ptr * 8, pti * 8, pxr * 8, pxi * 8, pa * 8, pb * 8, pout * 8) !== 1) return { status: 'nonfinite' };
  const total = f64[pout]!;
  const fallback = (): TwoSiteGramC => ({ status: 'fallback', re: f64.slice(pxr, pxr + lx) as F64, im: f64.slice(pxi, pxi + lx) as F64, total });
  if (g.gramEigvalsC(m, n, pxr * 8, pxi * 8, pgr * 8, pgi * 8, pd * 8, per * 8, pei * 8, pbeta * 8, pe * 8, pphr * 8, pphi * 8, pw * 8, pt1 * 8, pt2 * 8, pa * 8, pb * 8) !== 1) return fallback();
  const k = sortAndChoose(f64, pw, p, (wDesc) => choose(wDesc, total));
  if (k === 0) return fallback();
  if (g.gramVectorsC(m, n, k, pxr * 8, pxi * 8, pgr * 8, pgi * 8, pd * 8, pe * 8, pbeta * 8, pphr * 8, pphi * 8, pw * 8, pz0 * 8, pyr * 8, pyi * 8, pzr * 8, pzi * 8, ps * 8, pur * 8, pui * 8, pa * 8, pb * 8, psw * 8, absorb) !== 1) return fallback();
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  const wide = m <= n;
  return {
    status: 'ok',
    total,
    split: { Ure: out(pur, m * k), Uim: out(pui, m * k), S: out(ps, k), Vhre: out(wide ? pzr : pyr, k * n), Vhim: out(wide ? pzi : pyi, k * n), k },
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
  const pack = Math.max(packed(r, 2 * n), packed(nb, 2 * n));
  const ar = arena(w, 2 * m * n + 2 * n * nb + 2 * m * n + 2 * r + 2 * r * m + 2 * r * n + 2 * m * r + 2 * r * nb + 2 * pack);
  if (ar === null) return null;
  const { f64, base } = ar;
  let o = base;
  const take = (len: number) => { const at = o; o += len; return at; };
  const pAr = take(m * n), pAi = take(m * n), pBr = take(n * nb), pBi = take(n * nb), pw = take(2 * m * n), ptau = take(2 * r), pqt = take(2 * r * m), prr = take(2 * r * n);
  const pqr = take(m * r), pqi = take(m * r), por = take(r * nb), poi = take(r * nb), pa = take(pack), pb = take(pack);
  f64.set(Are.subarray(0, m * n), pAr);
  f64.set(Aim.subarray(0, m * n), pAi);
  f64.set(Bre.subarray(0, n * nb), pBr);
  f64.set(Bim.subarray(0, n * nb), pBi);
  (w as unknown as ShiftCExports).shiftRightWC(m, n, nb, pAr * 8, pAi * 8, pBr * 8, pBi * 8, pw * 8, ptau * 8, pqt * 8, prr * 8, pqr * 8, pqi * 8, por * 8, poi * 8, pa * 8, pb * 8);
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  return { Qre: out(pqr, m * r), Qim: out(pqi, m * r), re: out(por, r * nb), im: out(poi, r * nb), r };
}

/** Complex twin of {@link wasmShiftLeft} (both sites complex, split planes). */
export function wasmShiftLeftC(m: number, n: number, mb: number, Are: Float64Array, Aim: Float64Array, Bre: Float64Array, Bim: Float64Array): { Qre: F64; Qim: F64; re: F64; im: F64; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const r = Math.min(m, n);
  const pack = Math.max(packed(mb, 2 * m), packed(r, 2 * m));
  const ar = arena(w, 2 * m * n + 2 * mb * m + 2 * m * n + 2 * r + 2 * m * r + 2 * r * n + 2 * mb * r + 2 * pack);
  if (ar === null) return null;
  const { f64, base } = ar;
  let o = base;
  const take = (len: number) => { const at = o; o += len; return at; };
  const pAr = take(m * n), pAi = take(m * n), pBr = take(mb * m), pBi = take(mb * m), pw = take(2 * m * n), ptau = take(2 * r), pl = take(2 * m * r);
  const pqr = take(r * n), pqi = take(r * n), por = take(mb * r), poi = take(mb * r), pa = take(pack), pb = take(pack);
  f64.set(Are.subarray(0, m * n), pAr);
  f64.set(Aim.subarray(0, m * n), pAi);
  f64.set(Bre.subarray(0, mb * m), pBr);
  f64.set(Bim.subarray(0, mb * m), pBi);
  (w as unknown as ShiftCExports).shiftLeftWC(m, n, mb, pAr * 8, pAi * 8, pBr * 8, pBi * 8, pw * 8, ptau * 8, pl * 8, pqr * 8, pqi * 8, por * 8, poi * 8, pa * 8, pb * 8);
  const out = (a: number, len: number) => f64.slice(a, a + len) as F64;
  return { Qre: out(pqr, r * n), Qim: out(pqi, r * n), re: out(por, mb * r), im: out(poi, mb * r), r };
}
