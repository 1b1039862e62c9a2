/**
 * Loader of the WebAssembly SIMD kernels (mps/wasm/kernels.wasm, built from
 * mps/wasm/assembly/ (entry kernels.ts) by `npm run build:wasm`, which `npm ci` runs through `prepare`).
 *
 * The TypeScript kernels remain the reference and the fallback: when the module is missing,
 * fails to compile (no SIMD in the engine), or `QDISTILL_WASM=0` is set, every kernel runs in
 * TypeScript; a value other than unset, empty, 1 or 0 is refused when this module loads. The
 * WebAssembly kernels perform the same floating-point operations in the same order, so both
 * backends give bit-identical results (the tests check this).
 *
 * Memory: the JS side creates the module's linear memory and owns it above `heapBase()` as
 * one scratch arena, grown on demand. The memory is *shared* (a SharedArrayBuffer) on purpose:
 * growing an ordinary memory detaches its old ArrayBuffer, and the first detach in a process
 * invalidates V8's "array buffer detaching" protector, after which every typed-array access in
 * the whole program carries an extra check (measured: eighReal 128×128 goes from 8.6 to
 * 11.0 ms). A shared memory grows without detaching.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ArenaLayout } from './wasm-layout.js';
import { wasmSetting } from '../env-switch.js';

/** The part of a WebAssembly.Memory the loader uses (the ES2022 lib has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Exports of the kernel module (pointers are byte offsets into `memory`). */
export interface WasmKernels {
  memory: WasmMemory;
  heapBase(): number;
  /** C (m×n) = or += Ap·Bp over packed k in [p0, p1) (see mps/kernels/matmul.ts). */
  kernelPacked(m: number, n: number, K2: number, ap: number, bp: number, c: number, p0: number, p1: number, first: number): void;
}

/** @throws Error when `QDISTILL_WASM` has a value other than unset, empty, 1 or 0 (mps/env-switch.ts). */
function load(): WasmKernels | null {
  const setting = wasmSetting(process.env.QDISTILL_WASM);
  if (setting.error !== null) throw new Error(setting.error);
  if (!setting.on || WA === undefined) return null;
  try {
    const path = fileURLToPath(new URL('../wasm/kernels.wasm', import.meta.url));
    if (!existsSync(path)) return null;
    const mod = new WA.Module(readFileSync(path));
    const memory = new WA.Memory({ initial: 16, maximum: 65536, shared: true });
    const inst = new WA.Instance(mod, { env: { memory, abort: () => { throw new Error('wasm kernel abort'); } } });
    return { ...(inst.exports as unknown as Omit<WasmKernels, 'memory'>), memory };
  } catch {
    return null;
  }
}

const loaded = load();
let active: WasmKernels | null = loaded;

/** Which backend the dense kernels use now: `'wasm'` (SIMD module) or `'ts'` (TypeScript). */
export function kernelBackend(): 'wasm' | 'ts' {
  return active ? 'wasm' : 'ts';
}

/** True when the WebAssembly module loaded (whatever backend is selected). */
export function wasmAvailable(): boolean {
  return loaded !== null;
}

/**
 * Selects the kernel backend (for tests and benchmarks). `'wasm'` throws when the module is
 * not available. Returns the previous backend.
 */
export function setKernelBackend(b: 'wasm' | 'ts'): 'wasm' | 'ts' {
  const prev = kernelBackend();
  if (b === 'wasm' && !loaded) throw new Error("setKernelBackend: backend = 'wasm' but mps/wasm/kernels.wasm is not available (run npm run build:wasm); allowed: 'ts'");
  if (b !== 'wasm' && b !== 'ts') throw new Error(`setKernelBackend: backend = ${JSON.stringify(b)}; allowed: 'wasm', 'ts'`);
  active = b === 'wasm' ? loaded : null;
  return prev;
}

/** The active module, or null when the TypeScript kernels are selected. */
export function wasm(): WasmKernels | null {
  return active;
}

let view: Float64Array | null = null;
let viewLen = -1;
/** The module the cached view and heap base belong to, and its heap base in bytes (constant per module). */
let viewModule: WasmKernels | null = null;
let heapBaseBytes = 0;

/**
 * Ensures the arena holds `doubles` float64 values and returns a Float64Array view over the
 * module's whole memory together with the arena's first index (in doubles; byte pointer =
 * 8·index). The view may be too short after the next call that grows memory. Null when the
 * memory cannot grow that far; the caller then falls back to TypeScript.
 *
 * Only this function grows the memory (each thread has its own module and memory), so when
 * the cached view already covers the request it is returned without asking the module.
 */
export function arena(w: WasmKernels, doubles: number): { f64: Float64Array; base: number } | null {
  if (w !== viewModule) { viewModule = w; heapBaseBytes = w.heapBase(); view = null; viewLen = -1; }
  const baseBytes = heapBaseBytes;
  const need = baseBytes + doubles * 8;
  if (view !== null && need <= viewLen) return { f64: view, base: baseBytes / 8 };
  const have = w.memory.buffer.byteLength;
  if (need > have) {
    // beyond the 4 GiB maximum (or out of memory): the caller runs the TypeScript kernel
    try { w.memory.grow(Math.ceil((need - have) / 65536)); } catch { return null; }
  }
  // a grown shared memory keeps its old views valid but short: rebuild when the length changed
  const buf = w.memory.buffer;
  if (buf.byteLength !== viewLen || view === null) { viewLen = buf.byteLength; view = new Float64Array(buf); }
  return { f64: view, base: baseBytes / 8 };
}

/** Guard cells after each region ({@link setArenaGuard}); 0 in normal use. */
let guard = 0;
/** Index ranges [from, to) of the guard cells of the last {@link placeArena}. */
let guardRuns: number[] = [];
/** The module the last guarded placement was made in. */
let guardModule: WasmKernels | null = null;
/** Layouts (by their first kernel) that broke a guard cell since {@link setArenaGuard}. */
const guardBroken = new Set<string>();
/** Layouts (by their first kernel) placed since {@link setArenaGuard}. */
const guardPlaced = new Set<string>();
/** The kernel of the last guarded placement. */
let guardLast = '';
/** The value guard cells are filled with (a kernel writing past its region changes it). */
const GUARD_FILL = -7.25e301;

/**
 * Test hook: leaves `cells` float64 guard cells, filled with a sentinel, after every region
 * that {@link placeArena} places (0, the default, places regions back to back), and clears the
 * record read by {@link arenaGuardReport}. Returns the previous setting.
 */
export function setArenaGuard(cells: number): number {
  if (!Number.isInteger(cells) || cells < 0) throw new Error(`setArenaGuard: cells = ${cells}; allowed: an integer ≥ 0`);
  checkGuards();
  const prev = guard;
  guard = cells;
  guardRuns = [];
  guardBroken.clear();
  guardPlaced.clear();
  return prev;
}

/** Records the last guarded placement as broken when a guard cell lost its sentinel. */
function checkGuards(): void {
  if (guardModule === null || guardRuns.length === 0) return;
  const f64 = new Float64Array(guardModule.memory.buffer);
  for (let i = 0; i < guardRuns.length; i += 2) {
    for (let j = guardRuns[i]!; j < guardRuns[i + 1]!; j++) if (f64[j] !== GUARD_FILL) { guardBroken.add(guardLast); return; }
  }
}

/**
 * Test hook: the layouts (named by their first kernel) placed with guard cells since
 * {@link setArenaGuard}, and those whose kernels wrote into a guard cell (past the end of one
 * of their regions).
 */
export function arenaGuardReport(): { placed: string[]; broken: string[] } {
  checkGuards();
  guardRuns = [];
  return { placed: [...guardPlaced].sort(), broken: [...guardBroken].sort() };
}

/**
 * Places the regions of `layout` (mps/kernels/wasm-layout.ts) for `dims` in the arena, in
 * order, and returns the memory view with the index (in doubles; byte pointer = 8·index) of
 * each region by name. Null when the memory cannot grow that far (the caller then falls back
 * to TypeScript).
 */
export function placeArena<N extends string, D>(w: WasmKernels, layout: ArenaLayout<N, D>, dims: D): { f64: Float64Array; at: Record<N, number> } | null {
  if (guard === 0) {
    // the offsets depend only on the dimensions: reuse the last placement of this layout
    // (hot small gemms call this with the same dimensions many times in a row)
    const last = lastPlacement.get(layout) as Placement<N> | undefined;
    if (last !== undefined && sameDims(last, dims as object)) {
      const ar = arena(w, last.total);
      return ar === null ? null : { f64: ar.f64, at: last.at };
    }
  }
  const regions = layout.regions(dims);
  let total = 0;
  for (let i = 0; i < regions.length; i++) total += regions[i]![1] + guard;
  if (guard > 0) checkGuards();
  const ar = arena(w, total);
  if (ar === null) return null;
  const at = {} as Record<N, number>;
  let o = ar.base;
  if (guard > 0) { guardRuns = []; guardModule = w; guardLast = layout.kernels[0]!; guardPlaced.add(guardLast); }
  for (let i = 0; i < regions.length; i++) {
    const [name, len] = regions[i]!;
    at[name] = o;
    o += len;
    if (guard > 0) {
      ar.f64.fill(GUARD_FILL, o, o + guard);
      guardRuns.push(o, o + guard);
      o += guard;
    }
  }
  if (guard === 0) {
    const keys = Object.keys(dims as object);
    lastPlacement.set(layout, { keys, values: keys.map((k) => (dims as Record<string, number>)[k]!), total, at });
  }
  return { f64: ar.f64, at };
}

/** The last placement of a layout: its dimensions (keys and values), arena length and region indices (never mutated). */
interface Placement<N extends string> { keys: readonly string[]; values: readonly number[]; total: number; at: Readonly<Record<N, number>> }
const lastPlacement = new WeakMap<object, Placement<string>>();

/** True when `dims` has the stored placement's values under its keys. */
function sameDims(last: Placement<string>, dims: object): boolean {
  const d = dims as Record<string, number>;
  const { keys, values } = last;
  for (let i = 0; i < keys.length; i++) if (values[i] !== d[keys[i]!]) return false;
  return true;
}
