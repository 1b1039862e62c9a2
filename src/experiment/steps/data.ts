/**
 * The data step (`seed-S/data`): loads a seed's data set and records its provenance. Under
 * phase data it computes the ground states by DMRG, at the config's site count and every
 * site count a student reads, into the ground-state cache, which this step owns: later
 * steps of the seed only read it.
 */
import type { Provenance } from '../../data/dataset.js';
import type { PlanTask } from '../plan.js';
import { dataOf, type StepContext } from './common.js';

/** What the data step records in its done marker. */
export interface DataOutput {
  /** The data set's provenance (`datasets[seed]` of results.json). */
  provenance: Provenance;
}

/** Runs the data step of `task` (kind `data`). */
export async function dataStep(ctx: StepContext, task: PlanTask): Promise<DataOutput> {
  if (task.step.kind !== 'data') throw new Error(`dataStep got a ${task.kind} task (${task.id})`);
  const data = await dataOf(ctx, task.seed);
  for (const n of task.step.sites) await dataOf(ctx, task.seed, n);
  return { provenance: data.provenance };
}
