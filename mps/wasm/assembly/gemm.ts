// The packed-panel gemm (twins of kernelPacked, packRows, packCols, gemmReal and the complex
// case of gemmComplex in mps/kernels/matmul.ts).

import { ld, st } from './lanes';

/**
 * C (m×n, row-major, f64) = or += Ap·Bp over packed inner dimension K2, for p in [p0, p1):
 * the packed-panel micro-kernel of mps/kernels/matmul.ts (4×4 register block, here as
 * eight f64x2 accumulators). `first` = 1 overwrites C, 0 accumulates.
 */
export function kernelPacked(m: i32, n: i32, K2: i32, ap: usize, bp: usize, c: usize, p0: i32, p1: i32, first: i32): void {
  kernelBlocks(m, n, K2, ap, bp, c, p0, p1, first, false);
}

/**
 * The micro-kernel loop of {@link kernelPacked}; with `upper` only the 4×4 blocks on or above
 * the block diagonal (jb ≥ ib) are computed (for a symmetric product, see gram.ts).
 */
export function kernelBlocks(m: i32, n: i32, K2: i32, ap: usize, bp: usize, c: usize, p0: i32, p1: i32, first: i32, upper: bool): void {
  const mb = (m + 3) >> 2;
  const nb = (n + 3) >> 2;
  const len = p1 - p0;
  for (let ib = 0; ib < mb; ib++) {
    const i0 = ib << 2;
    const rows = min(4, m - i0);
    const aBase = ap + ((<usize>(ib * K2 + p0)) << 5);
    for (let jb = upper ? ib : 0; jb < nb; jb++) {
      const j0 = jb << 2;
      let pa = aBase;
      let pb = bp + ((<usize>(jb * K2 + p0)) << 5);
      let c0l = f64x2.splat(0), c0h = f64x2.splat(0);
      let c1l = f64x2.splat(0), c1h = f64x2.splat(0);
      let c2l = f64x2.splat(0), c2h = f64x2.splat(0);
      let c3l = f64x2.splat(0), c3h = f64x2.splat(0);
      for (let p = 0; p < len; p++) {
        const bl = v128.load(pb);
        const bh = v128.load(pb, 16);
        const a0 = f64x2.splat(load<f64>(pa));
        const a1 = f64x2.splat(load<f64>(pa, 8));
        const a2 = f64x2.splat(load<f64>(pa, 16));
        const a3 = f64x2.splat(load<f64>(pa, 24));
        c0l = f64x2.add(c0l, f64x2.mul(a0, bl)); c0h = f64x2.add(c0h, f64x2.mul(a0, bh));
        c1l = f64x2.add(c1l, f64x2.mul(a1, bl)); c1h = f64x2.add(c1h, f64x2.mul(a1, bh));
        c2l = f64x2.add(c2l, f64x2.mul(a2, bl)); c2h = f64x2.add(c2h, f64x2.mul(a2, bh));
        c3l = f64x2.add(c3l, f64x2.mul(a3, bl)); c3h = f64x2.add(c3h, f64x2.mul(a3, bh));
        pa += 32;
        pb += 32;
      }
      const cols = min(4, n - j0);
      if (rows == 4 && cols == 4) {
        let o = c + ((<usize>(i0 * n + j0)) << 3);
        const stride = (<usize>n) << 3;
        if (first) {
          v128.store(o, c0l); v128.store(o, c0h, 16); o += stride;
          v128.store(o, c1l); v128.store(o, c1h, 16); o += stride;
          v128.store(o, c2l); v128.store(o, c2h, 16); o += stride;
          v128.store(o, c3l); v128.store(o, c3h, 16);
        } else {
          v128.store(o, f64x2.add(v128.load(o), c0l)); v128.store(o, f64x2.add(v128.load(o, 16), c0h), 16); o += stride;
          v128.store(o, f64x2.add(v128.load(o), c1l)); v128.store(o, f64x2.add(v128.load(o, 16), c1h), 16); o += stride;
          v128.store(o, f64x2.add(v128.load(o), c2l)); v128.store(o, f64x2.add(v128.load(o, 16), c2h), 16); o += stride;
          v128.store(o, f64x2.add(v128.load(o), c3l)); v128.store(o, f64x2.add(v128.load(o, 16), c3h), 16);
        }
      } else {
        storeEdge(c, n, i0, j0, cols, first, c0l, c0h, 0);
        if (rows > 1) storeEdge(c, n, i0, j0, cols, first, c1l, c1h, 1);
        if (rows > 2) storeEdge(c, n, i0, j0, cols, first, c2l, c2h, 2);
        if (rows > 3) storeEdge(c, n, i0, j0, cols, first, c3l, c3h, 3);
      }
    }
  }
}

function storeEdge(c: usize, n: i32, i0: i32, j0: i32, cols: i32, first: i32, lo: v128, hi: v128, r: i32): void {
  const o = c + ((<usize>((i0 + r) * n + j0)) << 3);
  const x0 = f64x2.extract_lane(lo, 0), x1 = f64x2.extract_lane(lo, 1);
  const x2 = f64x2.extract_lane(hi, 0), x3 = f64x2.extract_lane(hi, 1);
  if (first) {
    store<f64>(o, x0);
    if (cols > 1) store<f64>(o, x1, 8);
    if (cols > 2) store<f64>(o, x2, 16);
    if (cols > 3) store<f64>(o, x3, 24);
  } else {
    store<f64>(o, load<f64>(o) + x0);
    if (cols > 1) store<f64>(o, load<f64>(o, 8) + x1, 8);
    if (cols > 2) store<f64>(o, load<f64>(o, 16) + x2, 16);
    if (cols > 3) store<f64>(o, load<f64>(o, 24) + x3, 24);
  }
}

/** Inner-dimension block of the packed gemm (KC of mps/kernels/matmul.ts). */
export const KC: i32 = 192;

/**
 * Twin of `packRows` (matmul.ts): sign·op(X) (m×k; X stored k×m when `trans`) into row
 * panels of 4 at inner offset koff of a packed inner dimension K2; rows beyond m zero.
 */
export function packRows(trans: bool, m: i32, k: i32, x: usize, sign: f64, dst: usize, koff: i32, K2: i32): void {
  const nb = (m + 3) >> 2;
  for (let ib = 0; ib < nb; ib++) {
    const i0 = ib << 2;
    const rows = min(4, m - i0);
    let d = (ib * K2 + koff) << 2;
    if (!trans) {
      for (let p = 0; p < k; p++, d += 4) {
        for (let r = 0; r < 4; r++) st(dst, d + r, r < rows ? sign * ld(x, (i0 + r) * k + p) : 0);
      }
    } else {
      for (let p = 0; p < k; p++, d += 4) {
        const base = p * m + i0;
        for (let r = 0; r < 4; r++) st(dst, d + r, r < rows ? sign * ld(x, base + r) : 0);
      }
    }
  }
}

/** Twin of `packCols` (matmul.ts): sign·op(X) (k×n; X stored n×k when `trans`) into column panels of 4. */
export function packCols(trans: bool, k: i32, n: i32, x: usize, sign: f64, dst: usize, koff: i32, K2: i32): void {
  const nb = (n + 3) >> 2;
  for (let jb = 0; jb < nb; jb++) {
    const j0 = jb << 2;
    const cols = min(4, n - j0);
    let d = (jb * K2 + koff) << 2;
    if (!trans) {
      for (let p = 0; p < k; p++, d += 4) {
        const base = p * n + j0;
        for (let c = 0; c < 4; c++) st(dst, d + c, c < cols ? sign * ld(x, base + c) : 0);
      }
    } else {
      for (let p = 0; p < k; p++, d += 4) {
        for (let c = 0; c < 4; c++) st(dst, d + c, c < cols ? sign * ld(x, (j0 + c) * k + p) : 0);
      }
    }
  }
}

/** C = Ap·Bp over the packed inner dimension K2, in KC blocks (`run` of matmul.ts); `upper` as {@link kernelBlocks}. */
export function runPacked(m: i32, n: i32, K2: i32, pa: usize, pb: usize, c: usize, upper: bool): void {
  for (let p0 = 0; p0 < K2; p0 += KC) kernelBlocks(m, n, K2, pa, pb, c, p0, min(K2, p0 + KC), p0 == 0 ? 1 : 0, upper);
}

/** Twin of `gemmReal` (matmul.ts): C (m×n) = op(A)·op(B), op(A) m×k, op(B) k×n. */
export function gemmRealW(ta: bool, tb: bool, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, pa: usize, pb: usize): void {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    memory.fill(c, 0, (<usize>(m * n)) << 3);
    return;
  }
  packRows(ta, m, k, a, 1, pa, 0, k);
  packCols(tb, k, n, b, 1, pb, 0, k);
  runPacked(m, n, k, pa, pb, c, false);
}

/**
 * Twin of `gemmComplex` (matmul.ts) with both operands complex: C = op(A)·op(B) on split
 * planes, op ∈ {N, C} given by (trans, conj) pairs, by the 4M method over K2 = 2k. With
 * `upper` only the 4×4 blocks on or above the block diagonal are computed.
 */
export function gemmComplexW(ta: bool, ca: bool, tb: bool, cb: bool, m: i32, n: i32, k: i32, ar: usize, ai: usize, br: usize, bi: usize, cr: usize, ci: usize, pa: usize, pb: usize, upper: bool): void {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    memory.fill(cr, 0, (<usize>(m * n)) << 3);
    memory.fill(ci, 0, (<usize>(m * n)) << 3);
    return;
  }
  const sA: f64 = ca ? -1 : 1;
  const sB: f64 = cb ? -1 : 1;
  const K2 = 2 * k;
  // Re C = [Ar, −Ai]·[Br; Bi]
  packRows(ta, m, k, ar, 1, pa, 0, K2);
  packRows(ta, m, k, ai, -sA, pa, k, K2);
  packCols(tb, k, n, br, 1, pb, 0, K2);
  packCols(tb, k, n, bi, sB, pb, k, K2);
  runPacked(m, n, K2, pa, pb, cr, upper);
  // Im C = [Ar, Ai]·[Bi; Br]
  packRows(ta, m, k, ai, sA, pa, k, K2);
  packCols(tb, k, n, bi, sB, pb, 0, K2);
  packCols(tb, k, n, br, 1, pb, k, K2);
  runPacked(m, n, K2, pa, pb, ci, upper);
}
