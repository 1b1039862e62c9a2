/**
 * TypeScript wrappers of the WebAssembly decomposition kernels: each copies its operands into
 * the module's arena (laid out by the table of wasm-layout.ts), runs the kernel and copies the results out (O(n²) copies around O(n³)
 * work). Each returns null / false when the TypeScript backend is selected, and the caller
 * then runs its TypeScript twin, which performs the same operations in the same order.
 */
import { placeArena, wasm, type WasmKernels } from './wasm.js';
import { ARENA_LAYOUTS as L } from './wasm-layout.js';

/** Smallest order for which tridiagonalisation and back-transformation run in WebAssembly. */
export const WASM_MIN_N = 16;
/** Smallest k·q for which row orthonormalisation runs in WebAssembly. */
export const WASM_MIN_ORTHO = 64;
/**
 * Smallest q·p for which the Householder QR (and the fused centre moves) run in WebAssembly.
 * Both backends give bit-identical results, so this is a speed setting only: it was 256; at 16
 * (from 4×4 up) the E1 teacher's training batches, whose bonds stay at 6–12, take 0.88× the
 * time (bench/train.ts against the build with 256, loss and parameters bit-identical).
 */
export const WASM_MIN_QR = 16;

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
  const ar = placeArena(w, L.tridiagSym, { n });
  if (ar === null) return null;
  const { f64, at } = ar;
  const nn = n * n;
  f64.set(a.subarray(0, nn), at.a);
  ops(w).tridiagSym(n, at.a * 8, at.d * 8, at.er * 8, at.beta * 8, at.p * 8);
  a.set(f64.subarray(at.a, at.a + nn));
  return { d: f64.slice(at.d, at.d + n), er: f64.slice(at.er, at.er + n), ei: new Float64Array(n), beta: f64.slice(at.beta, at.beta + n) };
}

/** Householder QR of the column-contiguous q×p matrix W (in place) and Qt (r×q); see qr.ts. */
export function wasmHouseholderQR(q: number, p: number, W: Float64Array): { Qt: Float64Array; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const ar = placeArena(w, L.householderQR, { q, p });
  if (ar === null) return null;
  const { f64, at } = ar;
  const r = Math.min(q, p);
  const lw = p * q;
  f64.set(W.subarray(0, lw), at.w);
  ops(w).householderQR(q, p, at.w * 8, at.tau * 8, at.qt * 8);
  W.set(f64.subarray(at.w, at.w + lw));
  return { Qt: f64.slice(at.qt, at.qt + r * q), r };
}

/** x ← Q·x for the k real rows of X (k×n) with the reflectors of {@link wasmTridiagSym}. */
export function wasmBackTransform(n: number, a: Float64Array, beta: Float64Array, k: number, X: Float64Array): boolean {
  const w = wasm();
  if (w === null) return false;
  const ar = placeArena(w, L.backTransform, { n, k });
  if (ar === null) return false;
  const { f64, at } = ar;
  f64.set(a.subarray(0, n * n), at.a);
  f64.set(beta.subarray(0, n), at.beta);
  f64.set(X.subarray(0, k * n), at.x);
  ops(w).backTransform(n, at.a * 8, at.beta * 8, k, at.x * 8);
  X.set(f64.subarray(at.x, at.x + k * n));
  return true;
}

/** Real modified Gram–Schmidt of rows from..k−1 of `re` (k×q), in place; see orth.ts. */
export function wasmOrthoRows(k: number, q: number, re: Float64Array, from: number, dropTol: number): boolean {
  const w = wasm();
  if (w === null) return false;
  const ar = placeArena(w, L.orthoRows, { k, q });
  if (ar === null) return false;
  const { f64, at } = ar;
  const len = k * q;
  f64.set(re.subarray(0, len), at.re);
  ops(w).orthoRows(k, q, at.re * 8, from, dropTol);
  re.set(f64.subarray(at.re, at.re + len));
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
  const ar = placeArena(w, L.tqlrat, { n });
  if (ar === null) return null;
  const { f64, at } = ar;
  f64.set(d.subarray(0, n), at.d);
  f64.set(e.subarray(0, n), at.e);
  const ok = ops(w).tqlrat(n, at.d * 8, at.e * 8, at.e2 * 8) === 1;
  d.set(f64.subarray(at.d, at.d + n));
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
  const ar = placeArena(w, L.stein, { n, k });
  if (ar === null) return null;
  const { f64, at } = ar;
  f64.set(d.subarray(0, n), at.d);
  f64.set(e.subarray(0, n), at.e);
  f64.set(wv.subarray(0, k), at.w);
  const ok = ops(w).stein(n, at.d * 8, at.e * 8, at.w * 8, k, at.z * 8, at.work * 8, ortolRel) === 1;
  Z.set(f64.subarray(at.z, at.z + k * n));
  return ok;
}

/** Complex twin of {@link wasmHouseholderQR} on split planes (Wre, Wim in place). */
export function wasmHouseholderQRc(q: number, p: number, Wre: Float64Array, Wim: Float64Array): { Qtre: Float64Array; Qtim: Float64Array; r: number } | null {
  const w = wasm();
  if (w === null) return null;
  const ar = placeArena(w, L.householderQRc, { q, p });
  if (ar === null) return null;
  const { f64, at } = ar;
  const r = Math.min(q, p);
  const lw = p * q;
  f64.set(Wre.subarray(0, lw), at.wre);
  f64.set(Wim.subarray(0, lw), at.wim);
  ops(w).householderQRc(q, p, at.wre * 8, at.wim * 8, at.tre * 8, at.tim * 8, at.qtre * 8, at.qtim * 8);
  Wre.set(f64.subarray(at.wre, at.wre + lw));
  Wim.set(f64.subarray(at.wim, at.wim + lw));
  return { Qtre: f64.slice(at.qtre, at.qtre + r * q), Qtim: f64.slice(at.qtim, at.qtim + r * q), r };
}

/** Hermitian Householder tridiagonalisation of (a, ai) (n×n, full storage), in place; see eigh.ts. */
export function wasmTridiagHerm(n: number, a: Float64Array, ai: Float64Array): { d: Float64Array; er: Float64Array; ei: Float64Array; beta: Float64Array } | null {
  const w = wasm();
  if (w === null) return null;
  const ar = placeArena(w, L.tridiagHerm, { n });
  if (ar === null) return null;
  const { f64, at } = ar;
  const nn = n * n;
  f64.set(a.subarray(0, nn), at.a);
  f64.set(ai.subarray(0, nn), at.ai);
  ops(w).tridiagHerm(n, at.a * 8, at.ai * 8, at.d * 8, at.er * 8, at.ei * 8, at.beta * 8, at.pr * 8, at.pi * 8);
  a.set(f64.subarray(at.a, at.a + nn));
  ai.set(f64.subarray(at.ai, at.ai + nn));
  return { d: f64.slice(at.d, at.d + n), er: f64.slice(at.er, at.er + n), ei: f64.slice(at.ei, at.ei + n), beta: f64.slice(at.beta, at.beta + n) };
}

/** x ← Q·x for the k complex rows (Xr, Xi) with the Hermitian reflectors in (a, ai). */
export function wasmBackTransformC(n: number, a: Float64Array, ai: Float64Array, beta: Float64Array, k: number, Xr: Float64Array, Xi: Float64Array): boolean {
  const w = wasm();
  if (w === null) return false;
  const ar = placeArena(w, L.backTransformC, { n, k });
  if (ar === null) return false;
  const { f64, at } = ar;
  const nn = n * n;
  f64.set(a.subarray(0, nn), at.a);
  f64.set(ai.subarray(0, nn), at.ai);
  f64.set(beta.subarray(0, n), at.beta);
  f64.set(Xr.subarray(0, k * n), at.xr);
  f64.set(Xi.subarray(0, k * n), at.xi);
  ops(w).backTransformC(n, at.a * 8, at.ai * 8, at.beta * 8, k, at.xr * 8, at.xi * 8);
  Xr.set(f64.subarray(at.xr, at.xr + k * n));
  Xi.set(f64.subarray(at.xi, at.xi + k * n));
  return true;
}

/** Complex modified Gram–Schmidt of rows from..k−1 of (re, im) (k×q), in place; see orth.ts. */
export function wasmOrthoRowsC(k: number, q: number, re: Float64Array, im: Float64Array, from: number, dropTol: number): boolean {
  const w = wasm();
  if (w === null) return false;
  const ar = placeArena(w, L.orthoRowsC, { k, q });
  if (ar === null) return false;
  const { f64, at } = ar;
  const len = k * q;
  f64.set(re.subarray(0, len), at.re);
  f64.set(im.subarray(0, len), at.im);
  ops(w).orthoRowsC(k, q, at.re * 8, at.im * 8, from, dropTol);
  re.set(f64.subarray(at.re, at.re + len));
  im.set(f64.subarray(at.im, at.im + len));
  return true;
}
