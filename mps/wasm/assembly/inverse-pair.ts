// Inverse iteration for two eigenvalues at once, one per SIMD lane: `lagtf`, `lagts` and the
// iteration of `stein` (./tridiagonal.ts) with every array interleaved (element i of lane l at
// 2i + l). Each lane performs exactly the scalar code's operations in the same order — branches
// become selects between both outcomes, computed the same way — so every vector is bitwise the
// one the scalar path (and the TypeScript twin, mps/kernels/tridiagonal.ts) computes. The two
// solves are independent dependency chains, which a single vector's solve (a chain of divisions
// and multiply-adds) leaves the core idle between.

import { at, ld, st } from './lanes';

export const EPS: f64 = 2.220446049250313e-16;
export const SFMIN: f64 = 2.2250738585072014e-308;
export const BIGNUM: f64 = 1 / SFMIN;
export const MAXITS: i32 = 5;
export const EXTRA: i32 = 1;

@inline function lv(p: usize, i: i32): v128 { return v128.load(p + ((<usize>i) << 4)); }
@inline function sv(p: usize, i: i32, v: v128): void { v128.store(p + ((<usize>i) << 4), v); }

/**
 * `lagtf` for the shifts (l0, l1) of lanes 0 and 1 of the interleaved a, b, c, d2; piv[k] is
 * a lane mask, all ones where rows k and k+1 were interchanged (the scalar code's piv[k] = 1).
 */
function lagtf2(n: i32, d: usize, e: usize, l0: f64, l1: f64, a: usize, b: usize, c: usize, d2: usize, piv: usize): void {
  const lam = f64x2(l0, l1);
  const zero = f64x2.splat(0);
  for (let i = 0; i < n; i++) sv(a, i, f64x2.sub(f64x2.splat(ld(d, i)), lam));
  for (let i = 0; i < n - 1; i++) {
    sv(b, i, f64x2.splat(ld(e, i)));
    sv(c, i, f64x2.splat(ld(e, i)));
  }
  let scale1 = f64x2.add(f64x2.abs(lv(a, 0)), n > 1 ? f64x2.abs(lv(b, 0)) : zero);
  for (let k = 0; k < n - 1; k++) {
    const ck = lv(c, k), ak = lv(a, k), ak1 = lv(a, k + 1), bk = lv(b, k);
    let scale2 = f64x2.add(f64x2.abs(ck), f64x2.abs(ak1));
    if (k < n - 2) scale2 = f64x2.add(scale2, f64x2.abs(lv(b, k + 1)));
    const piv1 = v128.bitselect(zero, f64x2.div(f64x2.abs(ak), scale1), f64x2.eq(ak, zero));
    // c[k] is still e[k] here, the same in both lanes
    if (f64x2.extract_lane(ck, 0) == 0) {
      sv(piv, k, zero);
      scale1 = scale2;
      if (k < n - 2) sv(d2, k, zero);
      continue;
    }
    // lanes with keep = all ones take the branch without interchange
    const keep = f64x2.le(f64x2.div(f64x2.abs(ck), scale2), piv1);
    sv(piv, k, v128.not(keep));
    // without interchange
    const cN = f64x2.div(ck, ak);
    const a1N = f64x2.sub(ak1, f64x2.mul(cN, bk));
    // with interchange
    const mult = f64x2.div(ak, ck);
    const a1P = f64x2.sub(bk, f64x2.mul(mult, ak1));
    sv(a, k, v128.bitselect(ak, ck, keep));
    sv(a, k + 1, v128.bitselect(a1N, a1P, keep));
    if (k < n - 2) {
      const bk1 = lv(b, k + 1);
      sv(d2, k, v128.bitselect(zero, bk1, keep));
      sv(b, k + 1, v128.bitselect(bk1, f64x2.mul(f64x2.neg(mult), bk1), keep));
    }
    sv(b, k, v128.bitselect(bk, ak1, keep));
    sv(c, k, v128.bitselect(cN, mult, keep));
    scale1 = v128.bitselect(scale2, scale1, keep);
  }
}

/**
 * temp / a for one entry of `lagts`'s back-substitution, with LAPACK dlagts's guard: a zero or
 * tiny pivot is perturbed by ±tol (doubling) or both are scaled by BIGNUM (the scalar `lagts`
 * calls it for every entry; `lagts2` for a pair where either lane needs the guard).
 */
export function guardedDivide(temp0: f64, ak0: f64, tol: f64): f64 {
  let temp = temp0, ak = ak0;
  let pert = ak < 0 ? -tol : tol;
  let again = true;
  while (again) {
    again = false;
    const absak = Math.abs(ak);
    if (absak < 1) {
      if (absak < SFMIN) {
        if (absak == 0 || Math.abs(temp) * SFMIN > absak) {
          ak += pert;
          pert *= 2;
          again = true;
        } else {
          temp *= BIGNUM;
          ak *= BIGNUM;
        }
      } else if (Math.abs(temp) > absak * BIGNUM) {
        ak += pert;
        pert *= 2;
        again = true;
      }
    }
  }
  return temp / ak;
}

/** `lagts` (solve with the factors of `lagtf2`) on the interleaved y, tolerances (t0, t1). */
function lagts2(n: i32, a: usize, b: usize, c: usize, d2: usize, piv: usize, y: usize, t0: f64, t1: f64): void {
  for (let k = 1; k < n; k++) {
    const m = lv(piv, k - 1);
    const ym = lv(y, k - 1), yk = lv(y, k), ck = lv(c, k - 1);
    sv(y, k - 1, v128.bitselect(yk, ym, m));
    sv(y, k, v128.bitselect(f64x2.sub(ym, f64x2.mul(ck, yk)), f64x2.sub(yk, f64x2.mul(ck, ym)), m));
  }
  const one = f64x2.splat(1), sfmin = f64x2.splat(SFMIN), big = f64x2.splat(BIGNUM);
  for (let k = n - 1; k >= 0; k--) {
    let temp = lv(y, k);
    if (k <= n - 3) temp = f64x2.sub(f64x2.sub(temp, f64x2.mul(lv(b, k), lv(y, k + 1))), f64x2.mul(lv(d2, k), lv(y, k + 2)));
    else if (k == n - 2) temp = f64x2.sub(temp, f64x2.mul(lv(b, k), lv(y, k + 1)));
    const ak = lv(a, k);
    const absak = f64x2.abs(ak);
    // the guard of the scalar code acts only where |a| < 1 and (|a| < SFMIN or |temp| > |a|·BIGNUM)
    const guard = v128.and(f64x2.lt(absak, one), v128.or(f64x2.lt(absak, sfmin), f64x2.gt(f64x2.abs(temp), f64x2.mul(absak, big))));
    if (!v128.any_true(guard)) {
      sv(y, k, f64x2.div(temp, ak));
      continue;
    }
    sv(y, k, f64x2(
      guardedDivide(f64x2.extract_lane(temp, 0), f64x2.extract_lane(ak, 0), t0),
      guardedDivide(f64x2.extract_lane(temp, 1), f64x2.extract_lane(ak, 1), t1),
    ));
  }
}

/** Lane-wise max |x_i| over i < len (0 for len ≤ 0), four accumulators: a maximum is exact in any order. */
@inline function maxAbs(x: usize, len: i32): v128 {
  let m0 = f64x2.splat(0), m1 = m0, m2 = m0, m3 = m0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    m0 = f64x2.max(m0, f64x2.abs(lv(x, i)));
    m1 = f64x2.max(m1, f64x2.abs(lv(x, i + 1)));
    m2 = f64x2.max(m2, f64x2.abs(lv(x, i + 2)));
    m3 = f64x2.max(m3, f64x2.abs(lv(x, i + 3)));
  }
  for (; i < len; i++) m0 = f64x2.max(m0, f64x2.abs(lv(x, i)));
  return f64x2.max(f64x2.max(m0, m1), f64x2.max(m2, m3));
}

/** {@link finishLane} for both lanes in one pass (each lane's sum in the scalar order). */
function finishBoth(n: i32, y: usize, z0: usize, z1: usize): void {
  let s2 = f64x2.splat(0);
  let best = f64x2.splat(-1);
  let jm = i64x2.splat(0);
  for (let i = 0; i < n; i++) {
    const v = lv(y, i);
    s2 = f64x2.add(s2, f64x2.mul(v, v));
    const av = f64x2.abs(v);
    // the first index of the largest |y_i| (the scalar scan's strict >; index 0 starts it)
    const gt = i == 0 ? i64x2.splat(-1) : f64x2.gt(av, best);
    best = v128.bitselect(av, best, gt);
    jm = v128.bitselect(i64x2.splat(<i64>i), jm, gt);
  }
  const a0 = f64x2.extract_lane(s2, 0), a1 = f64x2.extract_lane(s2, 1);
  if (!(a0 <= 1e290 && a0 >= 1e-290) || !(a1 <= 1e290 && a1 >= 1e-290)) {
    finishLane(n, y, 0, z0);
    finishLane(n, y, 1, z1);
    return;
  }
  let f0 = 1 / Math.sqrt(a0), f1 = 1 / Math.sqrt(a1);
  if (ld(y, 2 * <i32>i64x2.extract_lane(jm, 0)) < 0) f0 = -f0;
  if (ld(y, 2 * <i32>i64x2.extract_lane(jm, 1) + 1) < 0) f1 = -f1;
  const f = f64x2(f0, f1);
  for (let i = 0; i < n; i++) {
    const v = f64x2.mul(f, lv(y, i));
    st(z0, i, f64x2.extract_lane(v, 0));
    st(z1, i, f64x2.extract_lane(v, 1));
  }
}

/** Scales lane `l` of the interleaved y to unit length, sign of its largest entry positive, into z[0..n). */
function finishLane(n: i32, y: usize, l: i32, z: usize): void {
  let s2: f64 = 0;
  let jmax = 0;
  for (let i = 0; i < n; i++) {
    const v = ld(y, 2 * i + l);
    s2 += v * v;
    if (Math.abs(v) > Math.abs(ld(y, 2 * jmax + l))) jmax = i;
  }
  if (!(s2 <= 1e290 && s2 >= 1e-290)) {
    // the squares over- or underflowed: divide by the largest entry first (as dnrm2 scales)
    const bigv = Math.abs(ld(y, 2 * jmax + l));
    s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = ld(y, 2 * i + l) / bigv;
      st(y, 2 * i + l, v);
      s2 += v * v;
    }
  }
  let f = 1 / Math.sqrt(s2);
  if (ld(y, 2 * jmax + l) < 0) f = -f;
  for (let i = 0; i < n; i++) st(z, i, f * ld(y, 2 * i + l));
}

/**
 * Eigenvectors of the shifts (x0, x1) — two consecutive eigenvalues of `stein`, neither in a
 * cluster with an earlier one — from the start vectors already in lanes 0 and 1 of the
 * interleaved y, into z0 and z1 (n each). `work` holds 12n doubles (a, b, c, d2, y, piv: 2n each).
 * Returns 1, or 0 when a lane did not converge in MAXITS iterations.
 */
export function inversePair(n: i32, d: usize, e: usize, x0: f64, x1: f64, onenrm: f64, dtpcrt: f64, z0: usize, z1: usize, work: usize): i32 {
  const a = work, b = at(work, 2 * n), c = at(work, 4 * n), d2 = at(work, 6 * n), y = at(work, 8 * n), piv = at(work, 10 * n);
  lagtf2(n, d, e, x0, x1, a, b, c, d2, piv);
  // a maximum is exact in any order: three accumulators, one per array
  const tolv = f64x2.max(f64x2.max(maxAbs(a, n), maxAbs(b, n - 1)), maxAbs(d2, n - 2));
  let t0 = f64x2.extract_lane(tolv, 0), t1 = f64x2.extract_lane(tolv, 1);
  t0 *= EPS;
  t1 *= EPS;
  if (t0 == 0) t0 = EPS;
  if (t1 == 0) t1 = EPS;
  const nOne = <f64>n * onenrm;
  let its0 = 0, its1 = 0, chk0 = 0, chk1 = 0;
  let done0 = false, done1 = false;
  while (!(done0 && done1)) {
    if ((!done0 && its0 == MAXITS) || (!done1 && its1 == MAXITS)) return 0;
    if (!done0) its0++;
    if (!done1) its1++;
    let asum = f64x2.splat(0);
    for (let i = 0; i < n; i++) asum = f64x2.add(asum, f64x2.abs(lv(y, i)));
    const an = f64x2.abs(lv(a, n - 1));
    const scl = f64x2.div(f64x2.mul(f64x2.splat(nOne), f64x2(Math.max(EPS, f64x2.extract_lane(an, 0)), Math.max(EPS, f64x2.extract_lane(an, 1)))), asum);
    for (let i = 0; i < n; i++) sv(y, i, f64x2.mul(lv(y, i), scl));
    lagts2(n, a, b, c, d2, piv, y, t0, t1);
    const nrm = maxAbs(y, n);
    if (!done0 && !done1 && f64x2.extract_lane(nrm, 0) >= dtpcrt && f64x2.extract_lane(nrm, 1) >= dtpcrt && chk0 == EXTRA && chk1 == EXTRA) {
      finishBoth(n, y, z0, z1);
      return 1;
    }
    if (!done0 && f64x2.extract_lane(nrm, 0) >= dtpcrt && ++chk0 >= EXTRA + 1) {
      finishLane(n, y, 0, z0);
      done0 = true;
    }
    if (!done1 && f64x2.extract_lane(nrm, 1) >= dtpcrt && ++chk1 >= EXTRA + 1) {
      finishLane(n, y, 1, z1);
      done1 = true;
    }
  }
  return 1;
}
