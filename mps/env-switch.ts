/**
 * On/off environment variables, read the same way everywhere: unset, empty or `1` is on, `0` is
 * off, anything else is an error naming the variable, the value and both meanings. This module
 * has no side effects, so the CLI can check a variable before it loads the code that reads it.
 */

/**
 * Reads an on/off variable.
 * @param name the variable, for the error line.
 * @param value its value (`process.env[name]`).
 * @param onMeans what 1 (the default) selects; `offMeans` what 0 selects.
 * @returns whether it is on, and the error line for a value other than unset, empty, 1 or 0
 *   (then `on` is false), else null.
 */
export function envSwitch(name: string, value: string | undefined, onMeans: string, offMeans: string): { on: boolean; error: string | null } {
  if (value === undefined || value === '' || value === '1') return { on: true, error: null };
  if (value === '0') return { on: false, error: null };
  return { on: false, error: `${name} = ${JSON.stringify(value)}: allowed 1 (${onMeans}) or 0 (${offMeans})` };
}

/**
 * `QDISTILL_WASM`, read once when the kernels load (mps/kernels/wasm.ts): on selects the
 * WebAssembly SIMD kernels where the module compiles, 0 the TypeScript kernels (bit-identical).
 */
export function wasmSetting(value: string | undefined): { on: boolean; error: string | null } {
  return envSwitch('QDISTILL_WASM', value, 'the WebAssembly kernels, the default', 'the TypeScript kernels');
}
