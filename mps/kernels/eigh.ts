/**
 * Hermitian eigendecomposition on flat row-major `Float64Array`s (complex: split planes).
 *
 * Method: Householder reduction to tridiagonal form (real symmetric: real tridiagonal;
 * Hermitian: complex tridiagonal, then a diagonal unitary scaling makes it real), implicit
 * QL with Wilkinson-type shifts on the real tridiagonal (EISPACK `tql2`, as in JAMA), and
 * back-transformation of the eigenvectors. O(n³). The QL rotations act on eigenvector rows
 * stored contiguously. References: Wilkinson & Reinsch, Handbook for Automatic
 * Computation II (1971); JAMA `EigenvalueDecomposition`.
 */

/**
 * Householder tridiagonalisation in place. `a` (n×n, row-major, Hermitian; `ai === null`
 * for real symmetric) is destroyed: on return row k holds the reflector v_k in columns
 * k+1..n−1 (H_k = I − beta[k]·v_k·v_k†). Returns diagonal d, and sub-diagonal e
 * (e[k] couples k and k+1, complex for Hermitian input, e[n−1] = 0).
 */
function tridiagonalize(n: number, a: Float64Array, ai: Float64Array | null): { d: Float64Array; er: Float64Array; ei: Float64Array; beta: Float64Array } {
  const d = new Float64Array(n);
  const er = new Float64Array(n);
  const ei = new Float64Array(n);
  const beta = new Float64Array(n);
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    d[k] = a[rk + k];
    // x = column k below the diagonal = conj(row k right of the diagonal)
    const xr0 = a[rk + k + 1];
    const xi0 = ai === null ? 0 : -ai[rk + k + 1];
    let xn2 = 0;
    for (let j = k + 2; j < n; j++) xn2 += a[rk + j] * a[rk + j];
    if (ai !== null) for (let j = k + 2; j < n; j++) xn2 += ai[rk + j] * ai[rk + j];
    if (xn2 === 0) {
      er[k] = xr0;
      ei[k] = xi0;
      beta[k] = 0;
      continue;
    }
    const abs0 = Math.sqrt(xr0 * xr0 + xi0 * xi0);
    const xnorm = Math.sqrt(abs0 * abs0 + xn2);
    // phase of x0 (1 if x0 = 0); γ = −phase·‖x‖, v = x − γ e1, v0 = phase·(|x0| + ‖x‖)
    const phr = abs0 === 0 ? 1 : xr0 / abs0;
    const phi = abs0 === 0 ? 0 : xi0 / abs0;
    er[k] = -phr * xnorm;
    ei[k] = -phi * xnorm;
    // store v in row k (columns k+1..n−1), conjugated back to column-k values
    a[rk + k + 1] = phr * (abs0 + xnorm);
    if (ai !== null) {
      ai[rk + k + 1] = phi * (abs0 + xnorm);
      for (let j = k + 2; j < n; j++) ai[rk + j] = -ai[rk + j];
    }
    const vn2 = (abs0 + xnorm) * (abs0 + xnorm) + xn2;
    const b = 2 / vn2;
    beta[k] = b;
    const s0 = k + 1;
    // p = b·S·v on the trailing block S = a[s0.., s0..]
    let mu = 0;
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      let sr = 0;
      let si = 0;
      if (ai === null) {
        for (let j = s0; j < n; j++) sr += a[ri + j] * a[rk + j];
      } else {
        for (let j = s0; j < n; j++) {
          const ar = a[ri + j], aim = ai[ri + j], vr = a[rk + j], vi = ai[rk + j];
          sr += ar * vr - aim * vi;
          si += ar * vi + aim * vr;
        }
      }
      pr[i] = b * sr;
      pi[i] = b * si;
      // μ = v†p (real)
      const vr = a[rk + i];
      const vi = ai === null ? 0 : ai[rk + i];
      mu += vr * pr[i] + vi * pi[i];
    }
    const f = 0.5 * b * mu;
    for (let i = s0; i < n; i++) {
      pr[i] -= f * a[rk + i];
      if (ai !== null) pi[i] -= f * ai[rk + i];
    }
    // S ← S − v·w† − w·v†  (w = p)
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vir = a[rk + i];
      const wir = pr[i];
      if (ai === null) {
        for (let j = s0; j < n; j++) a[ri + j] -= vir * pr[j] + wir * a[rk + j];
      } else {
        const vii = ai[rk + i];
        const wii = pi[i];
        for (let j = s0; j < n; j++) {
          const wjr = pr[j], wji = pi[j], vjr = a[rk + j], vji = ai[rk + j];
          // v_i·conj(w_j) + w_i·conj(v_j)
          a[ri + j] -= vir * wjr + vii * wji + wir * vjr + wii * vji;
          ai[ri + j] -= vii * wjr - vir * wji + wii * vjr - wir * vji;
        }
      }
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    er[n - 2] = a[(n - 1) * n + n - 2];
    ei[n - 2] = ai === null ? 0 : ai[(n - 1) * n + n - 2];
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1];
  return { d, er, ei, beta };
}

/**
 * Implicit QL on a real symmetric tridiagonal (diagonal d, sub-diagonal e with e[i]
 * coupling i, i+1; both overwritten). Rotations are applied to the rows of Zt (n×n),
 * so on return row j of Zt is the eigenvector for d[j] (unsorted). EISPACK `tql2`.
 */
function tql2(n: number, d: Float64Array, e: Float64Array, Zt: Float64Array): void {
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
          const oi = i * n;
          const oj = oi + n;
          for (let k = 0; k < n; k++) {
            const zh = Zt[oj + k];
            const zi = Zt[oi + k];
            Zt[oj + k] = s * zi + c * zh;
            Zt[oi + k] = c * zi - s * zh;
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

/** Ascending order of d, as an index permutation. */
function ascending(d: Float64Array): number[] {
  const idx = Array.from({ length: d.length }, (_, i) => i);
  idx.sort((x, y) => d[x] - d[y]);
  return idx;
}

/**
 * Applies Q = H_0·H_1⋯H_{n−3} (reflectors stored by {@link tridiagonalize} in a) to the
 * n×n matrix X (row-major, in place): X ← Q·X.
 */
function backTransform(n: number, a: Float64Array, ai: Float64Array | null, beta: Float64Array, Xr: Float64Array, Xi: Float64Array | null): void {
  const yr = new Float64Array(n);
  const yi = new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    const b = beta[k];
    if (b === 0) continue;
    const rk = k * n;
    yr.fill(0);
    yi.fill(0);
    // y = v†X
    for (let i = k + 1; i < n; i++) {
      const vr = a[rk + i];
      const vi = ai === null ? 0 : -ai[rk + i]; // conj(v_i)
      const ri = i * n;
      if (Xi === null) {
        for (let j = 0; j < n; j++) yr[j] += vr * Xr[ri + j];
      } else {
        for (let j = 0; j < n; j++) {
          const xr = Xr[ri + j], xi = Xi[ri + j];
          yr[j] += vr * xr - vi * xi;
          yi[j] += vr * xi + vi * xr;
        }
      }
    }
    // X −= b·v·y
    for (let i = k + 1; i < n; i++) {
      const vr = b * a[rk + i];
      const ri = i * n;
      if (Xi === null) {
        for (let j = 0; j < n; j++) Xr[ri + j] -= vr * yr[j];
      } else {
        const vi = ai === null ? 0 : b * ai[rk + i];
        for (let j = 0; j < n; j++) {
          Xr[ri + j] -= vr * yr[j] - vi * yi[j];
          Xi[ri + j] -= vr * yi[j] + vi * yr[j];
        }
      }
    }
  }
}

/**
 * Real symmetric eigendecomposition: A (n×n, row-major, symmetric) = V·diag(w)·Vᵀ.
 * `w` is ascending; the eigenvectors are the COLUMNS of V (n×n, row-major), orthonormal
 * also within degenerate eigenspaces. Only the full matrix is read (it should be exactly
 * symmetric); A is not modified.
 */
export function eighReal(n: number, A: Float64Array): { w: Float64Array; V: Float64Array } {
  const a = A.slice(0, n * n);
  const { d, er, beta } = tridiagonalize(n, a, null);
  const Zt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Zt[i * n + i] = 1;
  if (n > 0) tql2(n, d, er, Zt);
  const order = ascending(d);
  const w = new Float64Array(n);
  const V = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    w[j] = d[src];
    for (let i = 0; i < n; i++) V[i * n + j] = Zt[src * n + i];
  }
  backTransform(n, a, null, beta, V, null);
  return { w, V };
}

/**
 * Hermitian eigendecomposition on split planes: A (n×n, row-major, Hermitian) =
 * V·diag(w)·V†. `w` (real) is ascending; eigenvectors are the COLUMNS of V = Vre + i·Vim
 * (n×n, row-major). A is not modified.
 */
export function eighComplex(n: number, Are: Float64Array, Aim: Float64Array): { w: Float64Array; Vre: Float64Array; Vim: Float64Array } {
  const a = Are.slice(0, n * n);
  const ai = Aim.slice(0, n * n);
  const { d, er, ei, beta } = tridiagonalize(n, a, ai);
  // T = D·T'·D† with T' real: δ_0 = 1, δ_{k+1} = δ_k·e_k/|e_k|; T' sub-diagonal |e_k|
  const dr = new Float64Array(n);
  const di = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) dr[0] = 1;
  for (let k = 0; k < n - 1; k++) {
    const ab = Math.sqrt(er[k] * er[k] + ei[k] * ei[k]);
    e[k] = ab;
    const ur = ab === 0 ? 1 : er[k] / ab;
    const ui = ab === 0 ? 0 : ei[k] / ab;
    dr[k + 1] = dr[k] * ur - di[k] * ui;
    di[k + 1] = dr[k] * ui + di[k] * ur;
  }
  const Zt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Zt[i * n + i] = 1;
  if (n > 0) tql2(n, d, e, Zt);
  const order = ascending(d);
  const w = new Float64Array(n);
  const Vre = new Float64Array(n * n);
  const Vim = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    w[j] = d[src];
    for (let i = 0; i < n; i++) {
      const z = Zt[src * n + i];
      Vre[i * n + j] = dr[i] * z;
      Vim[i * n + j] = di[i] * z;
    }
  }
  backTransform(n, a, ai, beta, Vre, Vim);
  return { w, Vre, Vim };
}
