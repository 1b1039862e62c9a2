/**
 * The symmetric tridiagonal eigenproblem on flat `Float64Array`s: implicit QL (EISPACK
 * `tql2`/`tql1`), rational QL for eigenvalues only (EISPACK `tqlrat`) and inverse iteration
 * for selected eigenvectors (LAPACK `dstein` with `dlagtf`/`dlagts`). Used by the Hermitian
 * eigensolvers of mps/kernels/eigh.ts; with the WebAssembly backend `tqlrat` and the inverse
 * iteration run in their bit-identical twins (mps/wasm/assembly/tridiagonal.ts).
 */
import { dot2 } from './lanes.js';
import { WASM_MIN_N, wasmStein } from './wasm-ops.js';

/**
 * Implicit QL on a real symmetric tridiagonal (diagonal d, sub-diagonal e with e[i]
 * coupling i, i+1; both overwritten). Rotations are applied to the rows of Zt (n×n),
 * so on return row j of Zt is the eigenvector for d[j] (unsorted). EISPACK `tql2`; with
 * `Zt === null` only the eigenvalues are computed (EISPACK `tql1`, O(n²)).
 */
export function tql2(n: number, d: Float64Array, e: Float64Array, Zt: Float64Array | null): void {
  const eps = Number.EPSILON;
  let f = 0;
  let tst1 = 0;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.sqrt(p * p + 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1;
        const el1 = e[l + 1];
        let s = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.sqrt(p * p + e[i] * e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // rotate eigenvector rows i, i+1
          if (Zt !== null) {
            const oi = i * n;
            const oj = oi + n;
            for (let k = 0; k < n; k++) {
              const zh = Zt[oj + k];
              const zi = Zt[oi + k];
              Zt[oj + k] = s * zi + c * zh;
              Zt[oi + k] = c * zi - s * zh;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1 && iter < 200);
    }
    d[l] += f;
    e[l] = 0;
  }
}

// ---------------------------------------------------------------------------------------
// Inverse iteration for the eigenvectors of chosen eigenvalues (LAPACK `dstein`).

const EPS = Number.EPSILON;
const SFMIN = 2.2250738585072014e-308;
const BIGNUM = 1 / SFMIN;
/** Iteration limit per eigenvalue of {@link tqlrat} (EISPACK's 30). */
const TQLRAT_MAXIT = 30;
/** The scaling range of {@link tqlrat}: 2^±64, stepped by 2^∓128 (exact). */
const TQ_BIG = 2 ** 64, TQ_SMALL = 2 ** -64, TQ_DOWN = 2 ** -128, TQ_UP = 2 ** 128;
/** The largest upward scale: one more step of TQ_UP would overflow (2^1024); from it any norm ≥ 2^−1074 lands at ≥ 2^−178, whose squares do not underflow. */
const TQ_SC_MAX = 2 ** 896;

/**
 * Eigenvalues of a real symmetric tridiagonal by the rational (root-free) QL method
 * (EISPACK `tqlrat`, Reinsch 1973), in place: on return `d` holds the eigenvalues (unsorted).
 * Input: diagonal d and sub-diagonal e (e[i] couples i and i+1; e is not modified). No square
 * root per rotation and a shorter dependency chain than `tql1`, about twice as fast for
 * n ≈ 64 (brickwork n = 128, L = 16, χ = 32: 0.49 → 0.46 s); accuracy O(ε‖T‖) like `tql1`.
 * `e2` (n doubles) is scratch. Returns false when an eigenvalue took more than 30 iterations
 * (the caller then runs {@link tql2}); the WebAssembly twin does the same operations.
 */
export function tqlrat(n: number, d: Float64Array, e: Float64Array, e2: Float64Array): boolean {
  // the method squares the off-diagonal: scale into [2^−64, 2^64] by exact powers of two (as
  // LAPACK dsterf scales into a safe range); a norm below 2^−960 stops at the scale 2^896
  let anorm = 0;
  for (let i = 0; i < n; i++) anorm = Math.max(anorm, Math.abs(d[i]), i < n - 1 ? Math.abs(e[i]) : 0);
  let sc = 1;
  if (anorm > 0 && anorm < Infinity) {
    while (anorm * sc > TQ_BIG) sc *= TQ_DOWN;
    while (anorm * sc < TQ_SMALL && sc < TQ_SC_MAX) sc *= TQ_UP;
  }
  for (let i = 0; i < n; i++) d[i] *= sc;
  for (let i = 0; i < n - 1; i++) e2[i] = (e[i] * sc) * (e[i] * sc);
  e2[n - 1] = 0;
  let f = 0, b = 0, c = 0;
  for (let l = 0; l < n; l++) {
    let j = 0;
    let h = Math.abs(d[l]) + Math.sqrt(e2[l]);
    if (b <= h) {
      b = EPS * h;
      c = b * b;
    }
    // look for a small squared sub-diagonal element (e2[n − 1] = 0 ends the search)
    let m = l;
    while (e2[m] > c) m++;
    if (m > l) {
      for (;;) {
        if (j === TQLRAT_MAXIT) return false;
        j++;
        // form the shift
        const l1 = l + 1;
        let s = Math.sqrt(e2[l]);
        let g = d[l];
        let p = (d[l1] - g) / (2 * s);
        let r = Math.sqrt(p * p + 1);
        d[l] = s / (p + (p >= 0 ? r : -r));
        h = g - d[l];
        for (let i = l1; i < n; i++) d[i] -= h;
        f += h;
        // rational QL transformation
        g = d[m];
        if (g === 0) g = b;
        h = g;
        s = 0;
        for (let i = m - 1; i >= l; i--) {
          p = g * h;
          r = p + e2[i];
          e2[i + 1] = s * r;
          s = e2[i] / r;
          d[i + 1] = h + s * (h + d[i]);
          g = d[i] - e2[i] / g;
          if (g === 0) g = b;
          h = (g * p) / r;
        }
        e2[l] = s * g;
        d[l] = h;
        // guard against underflow in the convergence test
        if (h === 0) break;
        if (Math.abs(e2[l]) <= Math.abs(c / h)) break;
        e2[l] = h * e2[l];
        if (e2[l] === 0) break;
      }
    }
    d[l] += f;
  }
  if (sc !== 1) for (let i = 0; i < n; i++) d[i] /= sc;
  return true;
}

/** Inverse-iteration limits of LAPACK `dstein`. */
const MAXITS = 5;
const EXTRA = 1; // LAPACK uses 2; 1 measured as accurate (residuals ~1e-16) and ~10% cheaper
/** Eigenvalues closer than ORTOL·‖T‖₁ form a cluster whose vectors are re-orthogonalised. */
const ORTOL = 1e-3;

/**
 * LU factorisation with partial pivoting of T − λI for the symmetric tridiagonal T
 * (diagonal `d`, off-diagonal `e`, e[i] couples i and i+1), LAPACK `dlagtf`: on return `a`
 * holds the diagonal of U, `b` and `d2` its two super-diagonals, `c` the multipliers of L,
 * and `piv[k]` = 1 where rows k and k+1 were interchanged.
 */
function lagtf(n: number, d: Float64Array, e: Float64Array, lambda: number, a: Float64Array, b: Float64Array, c: Float64Array, d2: Float64Array, piv: Uint8Array): void {
  for (let i = 0; i < n; i++) a[i] = d[i] - lambda;
  for (let i = 0; i < n - 1; i++) {
    b[i] = e[i];
    c[i] = e[i];
  }
  let scale1 = Math.abs(a[0]) + (n > 1 ? Math.abs(b[0]) : 0);
  for (let k = 0; k < n - 1; k++) {
    let scale2 = Math.abs(c[k]) + Math.abs(a[k + 1]);
    if (k < n - 2) scale2 += Math.abs(b[k + 1]);
    const piv1 = a[k] === 0 ? 0 : Math.abs(a[k]) / scale1;
    if (c[k] === 0) {
      piv[k] = 0;
      scale1 = scale2;
      if (k < n - 2) d2[k] = 0;
    } else if (Math.abs(c[k]) / scale2 <= piv1) {
      piv[k] = 0;
      scale1 = scale2;
      c[k] = c[k] / a[k];
      a[k + 1] -= c[k] * b[k];
      if (k < n - 2) d2[k] = 0;
    } else {
      piv[k] = 1;
      const mult = a[k] / c[k];
      a[k] = c[k];
      const temp = a[k + 1];
      a[k + 1] = b[k] - mult * temp;
      if (k < n - 2) {
        d2[k] = b[k + 1];
        b[k + 1] = -mult * d2[k];
      }
      b[k] = temp;
      c[k] = mult;
    }
  }
}

/**
 * Solves (T − λI)·x = y in place with the factors of {@link lagtf}, perturbing tiny pivots
 * by multiples of `tol` (LAPACK `dlagts`, job = −1).
 */
function lagts(n: number, a: Float64Array, b: Float64Array, c: Float64Array, d2: Float64Array, piv: Uint8Array, y: Float64Array, tol: number): void {
  for (let k = 1; k < n; k++) {
    if (piv[k - 1] === 0) y[k] -= c[k - 1] * y[k - 1];
    else {
      const t = y[k - 1];
      y[k - 1] = y[k];
      y[k] = t - c[k - 1] * y[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let temp = y[k];
    if (k <= n - 3) temp = temp - b[k] * y[k + 1] - d2[k] * y[k + 2];
    else if (k === n - 2) temp -= b[k] * y[k + 1];
    let ak = a[k];
    let pert = ak < 0 ? -tol : tol;
    for (;;) {
      const absak = Math.abs(ak);
      if (absak < 1) {
        if (absak < SFMIN) {
          if (absak === 0 || Math.abs(temp) * SFMIN > absak) {
            ak += pert;
            pert *= 2;
            continue;
          }
          temp *= BIGNUM;
          ak *= BIGNUM;
        } else if (Math.abs(temp) > absak * BIGNUM) {
          ak += pert;
          pert *= 2;
          continue;
        }
      }
      break;
    }
    y[k] = temp / ak;
  }
}

/**
 * Eigenvectors of the real symmetric tridiagonal T (diagonal `d`, off-diagonal `e`, e[i]
 * coupling i and i+1; neither is modified) for the eigenvalues `w[0..k)`, which must be
 * ascending and accurate to O(ε‖T‖) (e.g. from `tql1`). Inverse iteration with
 * re-orthogonalisation against the earlier vectors of the same cluster (eigenvalues closer
 * than `ortolRel`·‖T‖₁; LAPACK `dstein`'s 1e-3 by default), deterministic start vectors.
 * Writes unit vectors as the rows of Z (k×n, row-major). Vectors of eigenvalues further apart
 * than the cluster tolerance are orthogonal to O(ε/ortolRel) only; a caller that passes a
 * small `ortolRel` re-orthonormalises afterwards (as `eighTop` does). Returns false if some
 * vector failed to converge (its row is then unusable).
 */
export function tridiagEigvecs(n: number, d: Float64Array, e: Float64Array, w: Float64Array, k: number, Z: Float64Array, ortolRel = ORTOL): boolean {
  if (k === 0) return true;
  if (n === 1) {
    Z[0] = 1;
    return true;
  }
  if (n >= WASM_MIN_N) {
    const r = wasmStein(n, d, e, w, k, Z, ortolRel);
    if (r !== null) return r;
  }
  let onenrm = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0);
    if (t > onenrm) onenrm = t;
  }
  const ortol = ortolRel * onenrm;
  const dtpcrt = Math.sqrt(0.1 / n);
  const a = new Float64Array(n), b = new Float64Array(n), c = new Float64Array(n), d2 = new Float64Array(n);
  const piv = new Uint8Array(n);
  const y = new Float64Array(n);
  let seed = 0x2545f491;
  let gpind = 0;
  let xjm = 0;
  for (let j = 0; j < k; j++) {
    let xj = w[j];
    if (j > 0) {
      const pertol = 10 * Math.abs(EPS * xj);
      if (xj - xjm < pertol) xj = xjm + pertol;
      if (Math.abs(xj - xjm) > ortol) gpind = j;
    }
    // deterministic start vector, uniform in (−1, 1) (xorshift32)
    for (let i = 0; i < n; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      y[i] = (seed >>> 0) / 2147483648 - 1;
    }
    lagtf(n, d, e, xj, a, b, c, d2, piv);
    let tol = 0;
    for (let i = 0; i < n; i++) {
      tol = Math.max(tol, Math.abs(a[i]));
      if (i < n - 1) tol = Math.max(tol, Math.abs(b[i]));
      if (i < n - 2) tol = Math.max(tol, Math.abs(d2[i]));
    }
    // LAPACK dlagts: the product may underflow to 0, and a zero tolerance would leave the
    // perturbation of a zero pivot at 0 (an endless loop): test after multiplying
    tol *= EPS;
    if (tol === 0) tol = EPS;
    const oj = j * n;
    let its = 0;
    let nrmchk = 0;
    let converged = false;
    while (its < MAXITS) {
      its++;
      let asum = 0;
      for (let i = 0; i < n; i++) asum += Math.abs(y[i]);
      const scl = (n * onenrm * Math.max(EPS, Math.abs(a[n - 1]))) / asum;
      for (let i = 0; i < n; i++) y[i] *= scl;
      lagts(n, a, b, c, d2, piv, y, tol);
      if (gpind < j) {
        // modified Gram–Schmidt against the cluster (two-lane dots, as the WebAssembly twin)
        for (let g = gpind; g < j; g++) {
          const og = g * n;
          const dot = dot2(y, 0, Z, og, n, 0);
          for (let i = 0; i < n; i++) y[i] -= dot * Z[og + i];
        }
      }
      let nrm = 0;
      for (let i = 0; i < n; i++) nrm = Math.max(nrm, Math.abs(y[i]));
      if (!(nrm >= dtpcrt)) continue;
      nrmchk++;
      if (nrmchk < EXTRA + 1) continue;
      converged = true;
      break;
    }
    if (!converged) return false;
    let s2 = 0;
    let jmax = 0;
    for (let i = 0; i < n; i++) {
      s2 += y[i] * y[i];
      if (Math.abs(y[i]) > Math.abs(y[jmax])) jmax = i;
    }
    if (!(s2 <= 1e290 && s2 >= 1e-290)) {
      // the squares over- or underflowed (a vector graded beyond 1e145, e.g. a Gram matrix of
      // a θ with entries across 1e-108..1): divide by the largest entry first (as dnrm2 scales)
      const big = Math.abs(y[jmax]);
      s2 = 0;
      for (let i = 0; i < n; i++) {
        y[i] /= big;
        s2 += y[i] * y[i];
      }
    }
    let f = 1 / Math.sqrt(s2);
    if (y[jmax] < 0) f = -f;
    for (let i = 0; i < n; i++) Z[oj + i] = f * y[i];
    xjm = xj;
  }
  return true;
}

