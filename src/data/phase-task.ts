/** Worker-pool task: one DMRG ground state in its symmetry sector (see phases.ts). */
import { formatSector, modelGroundState, type SymmetryExpectation } from '../../mps/dmrg/sectors.js';
import { mpsToJson, type MpsJson } from '../../mps/index.js';
import type { PhaseDmrgSettings, PhaseModel } from './phases.js';

/** One ground-state computation. */
export interface GroundStateTask {
  model: PhaseModel;
  n: number;
  params: Record<string, number>;
  dmrg: PhaseDmrgSettings;
  seed: string;
}

/** Its result. */
export interface GroundStateResult {
  state: MpsJson;
  energy: number;
  variance: number;
  sweeps: number;
  /** The symmetry sector of the state (e.g. `even`; cluster-ising `even,odd`). */
  sector: string | null;
  /** Its symmetry expectations (parity ±1 to rounding). */
  symmetry: SymmetryExpectation;
}

/**
 * Runs DMRG from a seeded random start in the sector of the true ground state (the
 * symmetric ground state, not a symmetry-broken one, in ordered phases of open chains).
 */
export function run(t: GroundStateTask): GroundStateResult {
  const r = modelGroundState(t.model, t.n, t.params, { seed: t.seed, maxBond: t.dmrg.maxBond, cutoff: t.dmrg.cutoff, maxSweeps: t.dmrg.maxSweeps, energyTol: 1e-9 });
  return {
    state: mpsToJson(r.state), energy: r.energy, variance: r.variance, sweeps: r.history.length,
    sector: r.sector === null ? null : formatSector(r.sector), symmetry: r.symmetry,
  };
}
