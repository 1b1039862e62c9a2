/** Worker-pool task: one DMRG ground state (see phases.ts). */
import { dmrg } from '../../mps/dmrg/dmrg.js';
import { modelHamiltonian } from '../../mps/dmrg/models.js';
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
}

/** Runs DMRG from a seeded random start. */
export function run(t: GroundStateTask): GroundStateResult {
  const H = modelHamiltonian(t.model, t.n, t.params);
  const r = dmrg(H, { seed: t.seed, maxBond: t.dmrg.maxBond, cutoff: t.dmrg.cutoff, maxSweeps: t.dmrg.maxSweeps, energyTol: 1e-9 });
  return { state: mpsToJson(r.state), energy: r.energy, variance: r.variance, sweeps: r.history.length };
}
