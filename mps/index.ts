/**
 * qdistill's tensor-network engine: matrix product states, gates, truncation, measurement
 * and sampling. This entry point never imports from `src/`.
 */
export * from './complex.js';
export * from './truncation.js';
export * from './gates.js';
export * from './pauli.js';
export * from './rng.js';
export * from './mps.js';
export * from './split.js';
export * from './apply.js';
export * from './measure.js';
export * from './sample.js';
export * from './shots.js';
export * from './noise.js';
export * from './trajectories.js';
export * from './trajectory-realization.js';
export * from './serialize.js';
export * from './flops.js';
export * from './mpo.js';
export * from './gate-derivatives.js';
export * from './adjoint.js';
export * from './phase-clock.js';
export * from './dmrg/index.js';
export * from './ndarray.js';
export * from './ndarray-views.js';
export * from './rdm.js';
export * from './entanglement.js';
