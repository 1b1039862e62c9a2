/**
 * The environment variable `QDISTILL_WASM`, read once when the kernels load (./wasm.ts): unset,
 * empty or `1` selects the WebAssembly SIMD kernels where the module compiles; `0` the
 * TypeScript kernels (bit-identical results). This module has no side effects, so the CLI can
 * check the value before it loads the kernels.
 */

/**
 * Reads a value of `QDISTILL_WASM`.
 * @returns whether WebAssembly is allowed, and an error line naming the variable, the value and
 *   what is allowed (null for a valid value).
 */
export function wasmSetting(value: string | undefined): { wasm: boolean; error: string | null } {
  if (value === undefined || value === '' || value === '1') return { wasm: true, error: null };
  if (value === '0') return { wasm: false, error: null };
  return { wasm: false, error: `QDISTILL_WASM = ${JSON.stringify(value)}: allowed 1 (the WebAssembly kernels, the default) or 0 (the TypeScript kernels)` };
}
