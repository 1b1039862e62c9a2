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
  tql1(n: number, d: number, e: number): void;
  stein(n: number, d: number, e: number, w: number, k: number, z: number, work: number): number;
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

/** Eigenvalues of the tridiagonal (d, e) into `d` (unsorted); `e` is not modified. */
export function wasmTql1(n: number, d: Float64Array, e: Float64Array): boolean {
  const w = wasm();
  if (w === null) return false;
  const ar = arena(w, 2 * n);
  if (ar === null) return false;
  const { f64, base } = ar;
  f64.set(d.subarray(0, n), base);
  f64.set(e.subarray(0, n), base + n);
  ops(w).tql1(n, base * 8, (base + n) * 8);
  d.set(f64.subarray(base, base + n));
  return true;
}

/**
 * Inverse iteration for the k ascending eigenvalues w of the tridiagonal (d, e): unit
 * eigenvectors into the rows of Z (k×n). Returns the convergence flag, or null when the
 * TypeScript backend is selected.
 */
export function wasmStein(n: number, d: Float64Array, e: Float64Array, wv: Float64Array, k: number, Z: Float64Array): boolean | null {
  const w = wasm();
  if (w === null) return null;
  const ar = arena(w, 3 * n + k + k * n + 6 * n);
  if (ar === null) return null;
  const { f64, base } = ar;
  const pd = base, pe = pd + n, pw = pe + n, pz = pw + Math.max(k, n), pwork = pz + k * n;
  f64.set(d.subarray(0, n), pd);
  f64.set(e.subarray(0, n), pe);
  f64.set(wv.subarray(0, k), pw);
  const ok = ops(w).stein(n, pd * 8, pe * 8, pw * 8, k, pz * 8, pwork * 8) === 1;
  Z.set(f64.subarray(pz, pz + k * n));
  return ok;
}
