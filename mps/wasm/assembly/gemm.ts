// The packed-panel gemm micro-kernel (twin of kernelPacked in mps/kernels/matmul.ts).

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
