/** Ground-state machinery: MPO tools, the Lanczos local solver, two-site DMRG and model Hamiltonians. */
export * from './mpo-tools.js';
export * from './mpo-scale.js';
export * from './lanczos.js';
export * from './dmrg.js';
export * from './models.js';
export * from './charges.js';
export * from './sectors.js';
