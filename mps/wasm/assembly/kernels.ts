// AssemblyScript source of qdistill's WebAssembly SIMD kernels (built by `npm run build:wasm`
// into mps/wasm/kernels.wasm and loaded by mps/kernels/wasm.ts; the TypeScript kernels stay
// the reference and the fallback). All pointers are byte offsets into this module's memory,
// which the JS side manages above `heapBase()`; each call's regions are laid out by the table
// of mps/kernels/wasm-layout.ts. Every kernel keeps the TypeScript kernel's order of
// floating-point operations (separate multiply and add, same accumulation order),
// so results are bit-identical to the fallback.
//
// Files: lanes.ts (helpers, two-lane dots), gemm.ts, real.ts, tridiagonal.ts, complex.ts,
// gram.ts (the real Gram-matrix split fused into two calls), gramc.ts (its complex twin).

export { kernelPacked } from './gemm';
export { backTransform, householderQR, orthoRows, tridiagSym } from './real';
export { stein, tqlrat } from './tridiagonal';
export { gramEigvals, gramVectors, shiftLeftW, shiftRightW, twoSiteTheta } from './gram';
export { gramEigvalsC, gramVectorsC, shiftLeftWC, shiftRightWC, twoSiteThetaC } from './gramc';
export { backTransformC, householderQRc, orthoRowsC, tridiagHerm } from './complex';

/** First free byte of linear memory (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
