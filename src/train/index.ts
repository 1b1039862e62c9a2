/** Training: optimizers, schedules, the shared loop and its checkpoints (atomic files and the worker pool are in src/infra/). */
export * from './optimizers.js';
export * from './schedules.js';
export * from './shuffle.js';
export * from './loop.js';
export * from './progress.js';
export { makeBlobsObjective, DEFAULT_BLOBS_OPTIONS, type BlobsOptions } from './toy-objective.js';
