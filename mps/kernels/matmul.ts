/**
 * Dense matrix multiplication on flat row-major `Float64Array`s.
 *
 * Layout: an m×n matrix stores element (i, j) at `i * n + j`. Complex matrices use the
 * split-plane layout of `mps/complex.ts` (`re`, `im`, with `im === null` meaning exactly
 * real).
 *
 * Method: both operands are packed into 4-wide panels (which also absorbs the transpose /
 * conjugate-transpose), then a 4×4 register-blocked micro-kernel accumulates 16 entries of
 * C per pass over a k-panel (the GotoBLAS/BLIS scheme, without the assembly). A complex
 * product is computed as two real products over a doubled inner dimension (the "4M"
 * method): Re C = [Re A, −Im A]·[Re B; Im B], Im C = [Re A, Im A]·[Im B; Re B].
 * Packing buffers are module-level scratch, grown on demand and reused.
 */

/** Operation on a real operand: `'N'` as stored, `'T'` transposed. */
export type RealOp = 'N' | 'T';
/** Operation on a complex operand: `'N'` as stored, `'T'` transposed, `'C'` conjugate-transposed. */
export type ComplexOp = 'N' | 'T' | 'C';

import { placeArena, wasm } from './wasm.js';
import { ARENA_LAYOUTS, packed } from './wasm-layout.js';

/** Inner-dimension block: keeps a B block (KC × n) resident in L2 across row panels. */
const KC = 192;
/** Products with fewer flops/2 than this stay in TypeScript (the call overhead dominates). */
const WASM_MIN_WORK = 2048;

let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

function ensureA(len: number): Float64Array {
  if (scratchA.length < len) scratchA = new Float64Array(Math.max(len, scratchA.length * 2));
  return scratchA;
}
function ensureB(len: number): Float64Array {
  if (scratchB.length < len) scratchB = new Float64Array(Math.max(len, scratchB.length * 2));
  return scratchB;
}

/**
 * Packs `sign·op(X)` (an m×k view; X stored m×k if `trans` is false, k×m otherwise) into
 * row panels of 4: `dst[(ib*K2 + koff + p)*4 + r] = sign·op(X)[4*ib + r, p]`; rows beyond
 * m are zero-filled. K2 is the total packed inner dimension, koff the offset of this slab.
 */
function packRows(trans: boolean, m: number, k: number, X: Float64Array, sign: number, dst: Float64Array, koff: number, K2: number): void {
  const nb = (m + 3) >> 2;
  for (let ib = 0; ib < nb; ib++) {
    const i0 = ib << 2;
    const rows = Math.min(4, m - i0);
    let d = (ib * K2 + koff) << 2;
    if (!trans) {
      // X: m×k, element (i, p) at i*k + p
      for (let p = 0; p < k; p++, d += 4) {
        for (let r = 0; r < 4; r++) dst[d + r] = r < rows ? sign * X[(i0 + r) * k + p] : 0;
      }
    } else {
      // X: k×m, element (i, p) of op(X) at p*m + i
      for (let p = 0; p < k; p++, d += 4) {
        const base = p * m + i0;
        for (let r = 0; r < 4; r++) dst[d + r] = r < rows ? sign * X[base + r] : 0;
      }
    }
  }
}

/**
 * Packs `sign·op(X)` (a k×n view; X stored k×n if `trans` is false, n×k otherwise) into
 * column panels of 4: `dst[(jb*K2 + koff + p)*4 + c] = sign·op(X)[p, 4*jb + c]`.
 */
function packCols(trans: boolean, k: number, n: number, X: Float64Array, sign: number, dst: Float64Array, koff: number, K2: number): void {
  const nb = (n + 3) >> 2;
  for (let jb = 0; jb < nb; jb++) {
    const j0 = jb << 2;
    const cols = Math.min(4, n - j0);
    let d = (jb * K2 + koff) << 2;
    if (!trans) {
      for (let p = 0; p < k; p++, d += 4) {
        const base = p * n + j0;
        for (let c = 0; c < 4; c++) dst[d + c] = c < cols ? sign * X[base + c] : 0;
      }
    } else {
      for (let p = 0; p < k; p++, d += 4) {
        for (let c = 0; c < 4; c++) dst[d + c] = c < cols ? sign * X[(j0 + c) * k + p] : 0;
      }
    }
  }
}

/**
 * C (m×n, row-major) = Ap·Bp over the packed inner dimension K2 (panels from
 * {@link packRows} / {@link packCols}). C is overwritten.
 */
function kernelPacked(m: number, n: number, K2: number, Ap: Float64Array, Bp: Float64Array, C: Float64Array): void {
  const mb = (m + 3) >> 2;
  const nb = (n + 3) >> 2;
  for (let p0 = 0; p0 < K2; p0 += KC) {
    const p1 = Math.min(K2, p0 + KC);
    const first = p0 === 0;
    for (let ib = 0; ib < mb; ib++) {
      const i0 = ib << 2;
      const aBase = (ib * K2 + p0) << 2;
      const rows = Math.min(4, m - i0);
      for (let jb = 0; jb < nb; jb++) {
        const j0 = jb << 2;
        let ia = aBase;
        let ibp = (jb * K2 + p0) << 2;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = p0; p < p1; p++) {
          const a0 = Ap[ia], a1 = Ap[ia + 1], a2 = Ap[ia + 2], a3 = Ap[ia + 3];
          const b0 = Bp[ibp], b1 = Bp[ibp + 1], b2 = Bp[ibp + 2], b3 = Bp[ibp + 3];
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
          ia += 4;
          ibp += 4;
        }
        const cols = Math.min(4, n - j0);
        if (rows === 4 && cols === 4) {
          let o = i0 * n + j0;
          if (first) {
            C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += n;
            C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += n;
            C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += n;
            C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
          } else {
            C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += n;
            C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += n;
            C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += n;
            C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
          }
        } else {
          storeEdge(C, n, i0, j0, cols, first, c00, c01, c02, c03, 0);
          if (rows > 1) storeEdge(C, n, i0, j0, cols, first, c10, c11, c12, c13, 1);
          if (rows > 2) storeEdge(C, n, i0, j0, cols, first, c20, c21, c22, c23, 2);
          if (rows > 3) storeEdge(C, n, i0, j0, cols, first, c30, c31, c32, c33, 3);
        }
      }
    }
  }
}

/** Stores one row (`r` of the 4×4 block) of a partial edge block. */
function storeEdge(C: Float64Array, n: number, i0: number, j0: number, cols: number, first: boolean, x0: number, x1: number, x2: number, x3: number, r: number): void {
  const o = (i0 + r) * n + j0;
  if (first) {
    C[o] = x0;
    if (cols > 1) C[o + 1] = x1;
    if (cols > 2) C[o + 2] = x2;
    if (cols > 3) C[o + 3] = x3;
  } else {
    C[o] += x0;
    if (cols > 1) C[o + 1] += x1;
    if (cols > 2) C[o + 2] += x2;
    if (cols > 3) C[o + 3] += x3;
  }
}

/**
 * Scratch for one packed product: packing buffers, and (WebAssembly backend) the output
 * buffer, all inside the module's memory. `run` computes C = Ap·Bp into `C`.
 */
interface Packed {
  Ap: Float64Array;
  Bp: Float64Array;
  run(C: Float64Array): void;
}

function packedScratch(m: number, n: number, K2: number): Packed {
  const w = m * n * K2 >= WASM_MIN_WORK ? wasm() : null;
  const ar = w === null ? null : placeArena(w, ARENA_LAYOUTS.gemm, { m, n, K2 });
  if (w === null || ar === null) {
    const Ap = ensureA(packed(m, K2));
    const Bp = ensureB(packed(n, K2));
    return { Ap, Bp, run: (C) => kernelPacked(m, n, K2, Ap, Bp, C) };
  }
  const { f64, at } = ar;
  const Ap = f64.subarray(at.ap, at.ap + packed(m, K2));
  const Bp = f64.subarray(at.bp, at.bp + packed(n, K2));
  const cOff = at.c;
  return {
    Ap, Bp,
    run: (C) => {
      for (let p0 = 0; p0 < K2; p0 += KC) w.kernelPacked(m, n, K2, at.ap * 8, at.bp * 8, cOff * 8, p0, Math.min(K2, p0 + KC), p0 === 0 ? 1 : 0);
      C.set(f64.subarray(cOff, cOff + m * n));
    },
  };
}

/**
 * Real matrix product C = op(A)·op(B).
 *
 * Shapes: op(A) is m×k, op(B) is k×n, C is m×n, all row-major. A is stored m×k when
 * `opA === 'N'` and k×m when `opA === 'T'`; likewise B is stored k×n or n×k. C is
 * overwritten (it must not alias A or B). Cost 2mnk flops.
 *
 * @example gemmReal('N', 'T', m, m, k, A, A, G) // Gram matrix G = A·Aᵀ
 */
export function gemmReal(opA: RealOp, opB: RealOp, m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    C.fill(0, 0, m * n);
    return;
  }
  const { Ap, Bp, run } = packedScratch(m, n, k);
  packRows(opA === 'T', m, k, A, 1, Ap, 0, k);
  packCols(opB === 'T', k, n, B, 1, Bp, 0, k);
  run(C);
}

/**
 * Complex matrix product C = op(A)·op(B) on split planes.
 *
 * Shapes as in {@link gemmReal}; `'C'` is the conjugate transpose. `Aim` or `Bim` may be
 * `null` for a real operand (the product then costs 2 or 4 real products instead of the
 * full 8mnk flops). `Cre` and `Cim` are overwritten (no aliasing with the inputs); `Cim`
 * is filled with zeros when both operands are real.
 */
export function gemmComplex(
  opA: ComplexOp, opB: ComplexOp, m: number, n: number, k: number,
  Are: Float64Array, Aim: Float64Array | null, Bre: Float64Array, Bim: Float64Array | null,
  Cre: Float64Array, Cim: Float64Array,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    Cre.fill(0, 0, m * n);
    Cim.fill(0, 0, m * n);
    return;
  }
  const tA = opA !== 'N';
  const tB = opB !== 'N';
  const sA = opA === 'C' ? -1 : 1; // sign of the imaginary plane of op(A)
  const sB = opB === 'C' ? -1 : 1;
  if (Aim === null && Bim === null) {
    gemmReal(tA ? 'T' : 'N', tB ? 'T' : 'N', m, n, k, Are, Bre, Cre);
    Cim.fill(0, 0, m * n);
    return;
  }
  if (Aim === null || Bim === null) {
    // One real operand: Re C = Ar·Br, Im C = Ar·Bi or Ai·Br.
    const { Ap, Bp, run } = packedScratch(m, n, k);
    packRows(tA, m, k, Are, 1, Ap, 0, k);
    packCols(tB, k, n, Bre, 1, Bp, 0, k);
    run(Cre);
    if (Aim === null) packCols(tB, k, n, Bim as Float64Array, sB, Bp, 0, k);
    else packRows(tA, m, k, Aim, sA, Ap, 0, k);
    run(Cim);
    return;
  }
  const K2 = 2 * k;
  const { Ap, Bp, run } = packedScratch(m, n, K2);
  // Re C = [Ar, −Ai]·[Br; Bi]
  packRows(tA, m, k, Are, 1, Ap, 0, K2);
  packRows(tA, m, k, Aim, -sA, Ap, k, K2);
  packCols(tB, k, n, Bre, 1, Bp, 0, K2);
  packCols(tB, k, n, Bim, sB, Bp, k, K2);
  run(Cre);
  // Im C = [Ar, Ai]·[Bi; Br]
  packRows(tA, m, k, Aim, sA, Ap, k, K2);
  packCols(tB, k, n, Bim, sB, Bp, 0, K2);
  packCols(tB, k, n, Bre, 1, Bp, k, K2);
  run(Cim);
}

/**
 * Naive triple-loop reference for {@link gemmComplex} (same signature and layout), used by
 * tests. Also accepts real operands (`null` imaginary planes).
 */
export function gemmComplexNaive(
  opA: ComplexOp, opB: ComplexOp, m: number, n: number, k: number,
  Are: Float64Array, Aim: Float64Array | null, Bre: Float64Array, Bim: Float64Array | null,
  Cre: Float64Array, Cim: Float64Array,
): void {
  const sA = opA === 'C' ? -1 : 1;
  const sB = opB === 'C' ? -1 : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let re = 0;
      let im = 0;
      for (let p = 0; p < k; p++) {
        const ia = opA === 'N' ? i * k + p : p * m + i;
        const ib = opB === 'N' ? p * n + j : j * k + p;
        const ar = Are[ia], ai = Aim === null ? 0 : sA * Aim[ia];
        const br = Bre[ib], bi = Bim === null ? 0 : sB * Bim[ib];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      Cre[i * n + j] = re;
      Cim[i * n + j] = im;
    }
  }
}
