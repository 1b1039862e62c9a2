/**
 * TypeScript wrappers of the WebAssembly decomposition kernels: each copies its operands into
 * the module's arena, runs the kernel and copies the results out (O(n²) copies around O(n³)
 * work). Each returns null / false when the TypeScript backend is selected, and the caller
 * then runs its TypeScript twin, which performs the same operations in the same order.
 */
import { arena, wasm, type WasmKernels } from './wasm.js';

/** Smallest order for which tridiagonalisation and back-transformation run in WebAssembly. */
export const WASM_MIN_N = 16;
/** Smallest k·q for which row orthonormalisation runs in WebAssembly. */
export const WASM_MIN_ORTHO = 64;
/** Smallest q·p for which the Householder QR runs in WebAssembly. */
export const WASM_MIN_QR = 256;

interface DecompExports {
  tridiagSym(n: number, a: number, d: number, er: number, beta: number, p: number): void;
  householderQR(q: number, p: number, w: number, tau: number, qt: number): void;
  backTransform(n: number, a: number, beta: number, k: number, x: number): void;
  orthoRows(k: number, q: number, re: number, from: number, dropTol: number): void;
  tqlrat(n: number, d: number, e: number, e2: number): number;
  householderQRc(q: number, p: number, wre: number, wim: number, tre: number, tim: number, qtre: number, qtim: number): void;
  tridiagHerm(n: number, a: number, ai: number, d: number, er: number, ei: number, beta: number, pr: number, pi: number): void;
  backTransformC(n: number, a: number, ai: number, beta: number, k: number, xr: number, xi: number): void;
  orthoRowsC(k: number, q: number, re: number, im: number, from: number, dropTol: number): void;
  stein(n: number, d: number, e: number, w: number, k: number, z: number, work: number, ortolRel: number): number;
}
const ops = (w: WasmKernels) => w as unknown as DecompExports;

/** Householder tridiagonalisation of the upper triangle of `a` (n×n), in place; see eigh.ts. */
export function wasmTridiagSym(n: number, a: Float64Array): { d: Float64Array; er: Float64Array; ei: Float64Array; beta: Float64Array } | null {
  const w = wasm();
  if (w === null) return null;
  const nn = n * n;
  const ar = arena(w, nn + 4 * n);
  if (ar === null) return null;
  const { f64, base } = ar;
  f64.set(a.subarray(0, nn), base);
  const pd = base + nn, pe = pd + n, pb = pe + n, pp = pb + n;
  ops(w).tridiagSym(n, base * 8, pd * 8, pe * 8, pb * 8, pp * 8);
  a.set(f64.subarray(base, base + nn));
  return { d: f64.slice(pd, pd + n), er: f64.slice(pe, pe + n), ei: new Float64Array(n), beta: f64.slice(pb, pb + n) };
}

/** Householder QR of the column-contiguous q×p matrix W (in place) and Qt (r×q); see qr.ts. */
export function wasmHouseholderQR(q: number, p: number, W: Float64Array): { Qt: Float64Array; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const r = Math.min(q, p);
  const lw = p * q;
  const ar = arena(w, lw + r + r * q);
  if (ar === null) return null;
  const { f64, base } = ar;
  f64.set(W.subarray(0, lw), base);
  const pt = base + lw, pq = pt + r;
  ops(w).householderQR(q, p, base * 8, pt * 8, pq * 8);
  W.set(f64.subarray(base, base + lw));
  return { Qt: f64.slice(pq, pq + r * q), r };
}

/** x ← Q·x for the k real rows of X (k×n) with the reflectors of {@link wasmTridiagSym}. */
export function wasmBackTransform(n: number, a: Float64Array, beta: Float64Array, k: number, X: Float64Array): boolean {
  const w = wasm();
  if (w === null) return false;
  const nn = n * n;
  const ar = arena(w, nn + n + k * n);
  if (ar === null) return false;
  const { f64, base } = ar;
  f64.set(a.subarray(0, nn), base);
  f64.set(beta.subarray(0, n), base + nn);
  const px = base + nn + n;
  f64.set(X.subarray(0, k * n), px);
  ops(w).backTransform(n, base * 8, (base + nn) * 8, k, px * 8);
  X.set(f64.subarray(px, px + k * n));
  return true;
}

/** Real modified Gram–Schmidt of rows from..k−1 of `re` (k×q), in place; see orth.ts. */
export function wasmOrthoRows(k: number, q: number, re: Float64Array, from: number, dropTol: number): boolean {
  const w = wasm();
  if (w === null) return false;
  const len = k * q;
  const ar = arena(w, len);
  if (ar === null) return false;
  const { f64, base } = ar;
  f64.set(re.subarray(0, len), base);
  ops(w).orthoRows(k, q, base * 8, from, dropTol);
  re.set(f64.subarray(base, base + len));
  return true;
}

/**
 * Eigenvalues of the tridiagonal (d, e) into `d` (unsorted) by rational QL (`tqlrat` of
 * tridiagonal.ts); `e` is not modified. Returns null when the TypeScript backend is selected,
 * else the convergence flag.
 */
export function wasmTqlrat(n: number, d: Float64Array, e: Float64Array): boolean | null {
  const w = wasm();
  if (w === null) return null;
  const ar = arena(w, 3 * n);
  if (ar === null) return null;
  const { f64, base } = ar;
  f64.set(d.subarray(0, n), base);
  f64.set(e.subarray(0, n), base + n);
  const ok = ops(w).tqlrat(n, base * 8, (base + n) * 8, (base + 2 * n) * 8) === 1;
  d.set(f64.subarray(base, base + n));
  return ok;
}

/**
 * Inverse iteration for the k ascending eigenvalues w of the tridiagonal (d, e): unit
 * eigenvectors into the rows of Z (k×n). Returns the convergence flag, or null when the
 * TypeScript backend is selected.
 */
export function wasmStein(n: number, d: Float64Array, e: Float64Array, wv: Float64Array, k: number, Z: Float64Array, ortolRel: number): boolean | null {
  const w = wasm();
  if (w === null) return null;
  const ar = arena(w, 3 * n + k + k * n + 6 * n);
  if (ar === null) return null;
  const { f64, base } = ar;
  const pd = base, pe = pd + n, pw = pe + n, pz = pw + Math.max(k, n), pwork = pz + k * n;
  f64.set(d.subarray(0, n), pd);
  f64.set(e.subarray(0, n), pe);
  f64.set(wv.subarray(0, k), pw);
  const ok = ops(w).stein(n, pd * 8, pe * 8, pw * 8, k, pz * 8, pwork * 8, ortolRel) === 1;
  Z.set(f64.subarray(pz, pz + k * n));
  return ok;
}

/** Complex twin of {@link wasmHouseholderQR} on split planes (Wre, Wim in place). */
export function wasmHouseholderQRc(q: number, p: number, Wre: Float64Array, Wim: Float64Array): { Qtre: Float64Array; Qtim: Float64Array; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const r = Math.min(q, p);
  const lw = p * q;
  const ar = arena(w, 2 * lw + 2 * r + 2 * r * q);
  if (ar === null) return null;
  const { f64, base } = ar;
  const pwr = base, pwi = pwr + lw, ptr = pwi + lw, pti = ptr + r, pqr = pti + r, pqi = pqr + r * q;
  f64.set(Wre.subarray(0, lw), pwr);
  f64.set(Wim.subarray(0, lw), pwi);
  ops(w).householderQRc(q, p, pwr * 8, pwi * 8, ptr * 8, pti * 8, pqr * 8, pqi * 8);
  Wre.set(f64.subarray(pwr, pwr + lw));
  Wim.set(f64.subarray(pwi, pwi + lw));
  return { Qtre: f64.slice(pqr, pqr + r * q), Qtim: f64.slice(pqi, pqi + r * q), r };
}

/** Hermitian Householder tridiagonalisation of (a, ai) (n×n, full storage), in place; see eigh.ts. */
export function wasmTridiagHerm(n: number, a: Float64Array, ai: Float64Array): { d: Float64Array; er: Float64Array; ei: Float64Array; beta: Float64Array } | null {
  const w = wasm();
  if (w === null) return null;
  const nn = n * n;
  const ar = arena(w, 2 * nn + 6 * n);
  if (ar === null) return null;
  const { f64, base } = ar;
  const pa = base, pai = pa + nn, pd = pai + nn, pe = pd + n, pei = pe + n, pb = pei + n, ppr = pb + n, ppi = ppr + n;
  f64.set(a.subarray(0, nn), pa);
  f64.set(ai.subarray(0, nn), pai);
  ops(w).tridiagHerm(n, pa * 8, pai * 8, pd * 8, pe * 8, pei * 8, pb * 8, ppr * 8, ppi * 8);
  a.set(f64.subarray(pa, pa + nn));
  ai.set(f64.subarray(pai, pai + nn));
  return { d: f64.slice(pd, pd + n), er: f64.slice(pe, pe + n), ei: f64.slice(pei, pei + n), beta: f64.slice(pb, pb + n) };
}

/** x ← Q·x for the k complex rows (Xr, Xi) with the Hermitian reflectors in (a, ai). */
export function wasmBackTransformC(n: number, a: Float64Array, ai: Float64Array, beta: Float64Array, k: number, Xr: Float64Array, Xi: Float64Array): boolean {
  const w = wasm();
  if (w === null) return false;
  const nn = n * n;
  const ar = arena(w, 2 * nn + n + 2 * k * n);
  if (ar === null) return false;
  const { f64, base } = ar;
  const pa = base, pai = pa + nn, pb = pai + nn, pxr = pb + n, pxi = pxr + k * n;
  f64.set(a.subarray(0, nn), pa);
  f64.set(ai.subarray(0, nn), pai);
  f64.set(beta.subarray(0, n), pb);
  f64.set(Xr.subarray(0, k * n), pxr);
  f64.set(Xi.subarray(0, k * n), pxi);
  ops(w).backTransformC(n, pa * 8, pai * 8, pb * 8, k, pxr * 8, pxi * 8);
  Xr.set(f64.subarray(pxr, pxr + k * n));
  Xi.set(f64.subarray(pxi, pxi + k * n));
  return true;
}

/** Complex modified Gram–Schmidt of rows from..k−1 of (re, im) (k×q), in place; see orth.ts. */
export function wasmOrthoRowsC(k: number, q: number, re: Float64Array, im: Float64Array, from: number, dropTol: number): boolean {
  const w = wasm();
  if (w === null) return false;
  const len = k * q;
  const ar = arena(w, 2 * len);
  if (ar === null) return false;
  const { f64, base } = ar;
  f64.set(re.subarray(0, len), base);
  f64.set(im.subarray(0, len), base + len);
  ops(w).orthoRowsC(k, q, base * 8, (base + len) * 8, from, dropTol);
  re.set(f64.subarray(base, base + len));
  im.set(f64.subarray(base + len, base + 2 * len));
  return true;
}
