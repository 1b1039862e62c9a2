/**
 * Dense linear-algebra kernels of the MPS engine: pure functions on flat row-major
 * `Float64Array`s with explicit dimensions (complex data on split planes, see
 * `mps/complex.ts`). Callers validate; kernels trust their inputs.
 */
export { gemmReal, gemmComplex, gemmComplexNaive } from './matmul.js';
export type { RealOp, ComplexOp } from './matmul.js';
export { svdReal, svdComplex, svdGramReal, svdGramComplex, svdGramTruncReal, svdGramTruncComplex, gramSingularValues } from './svd.js';
export type { SvdReal, SvdComplex } from './svd.js';
export { eighReal, eighComplex, eighTopReal, eighTopComplex, tridiagEigvecs } from './eigh.js';
export type { EigCountChooser } from './eigh.js';
export { qrReal, qrComplex, lqReal, lqComplex } from './qr.js';
export { orthonormalizeRows, completeRows } from './orth.js';
export type { RankDecision, RankRule, TwoSiteRankRule } from './rank-rule.js';
export { kernels, kernelSet, kernelBackend, setKernelBackend, wasmAvailable } from './registry.js';
export type { KernelSet, CentreMove, TwoSiteUpdate, Planes } from './registry.js';
