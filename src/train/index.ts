/** Training infrastructure: optimizers, schedules, the shared loop, checkpoints and the worker pool. */
export * from './optimizers.js';
export * from './schedules.js';
export * from './shuffle.js';
export * from './atomic.js';
export * from './loop.js';
export * from './pool.js';
export * from './progress.js';
export { makeBlobsObjective, DEFAULT_BLOBS_OPTIONS, type BlobsOptions } from './toy-objective.js';
