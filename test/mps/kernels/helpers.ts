/** Shared helpers for the kernel tests: seeded random matrices and norms (not a test file). */
import { gaussian, makeRng, type Rng } from '../../../mps/rng.js';
import { gemmComplexNaive } from '../../../mps/kernels/matmul.js';

/** A seeded m×n matrix with standard normal entries. */
export function randn(rng: Rng, len: number): Float64Array {
  const x = new Float64Array(len);
  for (let i = 0; i < len; i++) x[i] = gaussian(rng);
  return x;
}

/** Frobenius norm of a split-plane array (im may be null). */
export function fro(re: Float64Array, im: Float64Array | null = null): number {
  let s = 0;
  for (let i = 0; i < re.length; i++) s += re[i] * re[i];
  if (im) for (let i = 0; i < im.length; i++) s += im[i] * im[i];
  return Math.sqrt(s);
}

/** ‖a − b‖_F on split planes. */
export function diffFro(ar: Float64Array, ai: Float64Array | null, br: Float64Array, bi: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < ar.length; i++) s += (ar[i] - br[i]) ** 2;
  for (let i = 0; i < ar.length; i++) s += ((ai ? ai[i] : 0) - (bi ? bi[i] : 0)) ** 2;
  return Math.sqrt(s);
}

/** op(X)·op(Y) with the naive reference product; returns {re, im}. */
export function mul(opA: 'N' | 'T' | 'C', opB: 'N' | 'T' | 'C', m: number, n: number, k: number, Ar: Float64Array, Ai: Float64Array | null, Br: Float64Array, Bi: Float64Array | null): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(m * n);
  const im = new Float64Array(m * n);
  gemmComplexNaive(opA, opB, m, n, k, Ar, Ai, Br, Bi, re, im);
  return { re, im };
}

/** max |X†X − I| for X of shape rows×cols (columns orthonormal) or, with `rowsOrth`, |XX† − I|. */
export function isoError(rows: number, cols: number, re: Float64Array, im: Float64Array | null, rowsOrth = false): number {
  const g = rowsOrth ? mul('N', 'C', rows, rows, cols, re, im, re, im) : mul('C', 'N', cols, cols, rows, re, im, re, im);
  const d = rowsOrth ? rows : cols;
  let e = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      e = Math.max(e, Math.abs(g.re[i * d + j] - (i === j ? 1 : 0)), Math.abs(g.im[i * d + j]));
    }
  }
  return e;
}

/** U·diag(S)·Vh for U m×r, Vh r×n (split planes). */
export function reconstruct(m: number, n: number, r: number, Ur: Float64Array, Ui: Float64Array | null, S: Float64Array, Vr: Float64Array, Vi: Float64Array | null): { re: Float64Array; im: Float64Array } {
  const USr = new Float64Array(m * r);
  const USi = new Float64Array(m * r);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < r; c++) {
      USr[i * r + c] = Ur[i * r + c] * S[c];
      USi[i * r + c] = (Ui ? Ui[i * r + c] : 0) * S[c];
    }
  }
  return mul('N', 'N', m, n, r, USr, USi, Vr, Vi);
}

/** A random m×r isometry (orthonormal columns), via Gram–Schmidt on a Gaussian matrix. */
export function randomIsometry(rng: Rng, m: number, r: number, complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const re = randn(rng, m * r);
  const im = complex ? randn(rng, m * r) : null;
  for (let c = 0; c < r; c++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < c; b++) {
        let dr = 0, di = 0;
        for (let i = 0; i < m; i++) {
          const xr = re[i * r + b], xi = im ? im[i * r + b] : 0, yr = re[i * r + c], yi = im ? im[i * r + c] : 0;
          dr += xr * yr + xi * yi;
          di += xr * yi - xi * yr;
        }
        for (let i = 0; i < m; i++) {
          const xr = re[i * r + b], xi = im ? im[i * r + b] : 0;
          re[i * r + c] -= dr * xr - di * xi;
          if (im) im[i * r + c] -= dr * xi + di * xr;
        }
      }
    }
    let nr = 0;
    for (let i = 0; i < m; i++) nr += re[i * r + c] ** 2 + (im ? im[i * r + c] ** 2 : 0);
    nr = Math.sqrt(nr);
    for (let i = 0; i < m; i++) {
      re[i * r + c] /= nr;
      if (im) im[i * r + c] /= nr;
    }
  }
  return { re, im };
}

/** Q·diag(w)·Q† for a random unitary Q, exactly Hermitian. */
export function withSpectrum(seed: string, w: number[], complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const n = w.length;
  const Q = randomIsometry(makeRng(seed), n, n, complex);
  const Qw = { re: Q.re.slice(), im: Q.im ? Q.im.slice() : null };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    Qw.re[i * n + j] *= w[j];
    if (Qw.im) Qw.im[i * n + j] *= w[j];
  }
  const A = mul('N', 'C', n, n, n, Qw.re, Qw.im, Q.re, Q.im);
  return hermitianPart(n, A.re, A.im, complex);
}

/** (A + A†)/2 in place (n×n split planes); returns it, with a null imaginary plane when `complex` is false. */
export function hermitianPart(n: number, re: Float64Array, im: Float64Array, complex: boolean): { re: Float64Array; im: Float64Array | null } {
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    const a = 0.5 * (re[i * n + j] + re[j * n + i]);
    const b = 0.5 * (im[i * n + j] - im[j * n + i]);
    re[i * n + j] = a; re[j * n + i] = a;
    im[i * n + j] = i === j ? 0 : b; im[j * n + i] = i === j ? 0 : -b;
  }
  return { re, im: complex ? im : null };
}
