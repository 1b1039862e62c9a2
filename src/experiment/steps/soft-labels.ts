/**
 * The soft-label step (`seed-S/soft-labels/chi-<χ>`, `…/no-cap`): the finished teacher's
 * logits, per-sample fidelity estimates and bonds reached on the train and test splits (and the
 * unlabelled transfer split when the data has one), with
 * its states capped at bond χ_T, computed once into the soft-label cache of
 * `distill/soft-labels.ts`. This step owns that cache file; KD runs read it
 * ({@link readSoftLabels}) and never write it.
 */
import { join } from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import { makeQnnObjective } from '../../distill/objective.js';
import { loadOrComputeSoftLabels, type SoftLabelKeyParts, type SoftLabelSplit } from '../../distill/soft-labels.js';
import { hashFloat64, hashJson } from '../../infra/hash.js';
import { QnnModel } from '../../qnn/model.js';
import { modelSpec, samplingSeedOf } from '../build.js';
import type { PlanTask } from '../plan.js';
import type { RunRecord } from '../runner.js';
import { ResultsFolderError } from '../run-files.js';
import { argmaxOf, dataOf, mean, type StepContext } from './common.js';
import { teacherParams } from './teacher.js';

/** What the soft-label step records in its done marker: the cache key its labels are stored under. */
export interface SoftLabelsOutput {
  keyParts: SoftLabelKeyParts;
}

/** The soft-label cache folder of a results folder. */
export function softLabelCache(ctx: StepContext): string {
  return join(ctx.outDir, 'cache');
}

/** Runs the soft-label step of `task` (kind `soft-labels`). */
export async function softLabelsStep(ctx: StepContext, task: PlanTask): Promise<SoftLabelsOutput> {
  if (task.step.kind !== 'soft-labels') throw new Error(`softLabelsStep got a ${task.kind} task (${task.id})`);
  const { seed } = task;
  const tcfg = ctx.cfg.teacher!.model;
  const chi = task.step.maxBond ?? undefined;
  const data = await dataOf(ctx, seed);
  const { model, params } = await teacherParams(ctx, seed, data);
  const spec = modelSpec(tcfg, data.features, data.classes, chi);
  // "no cap" and "never truncates" are spelled by leaving maxBond / cutoff out of the key
  const keyParts: SoftLabelKeyParts = {
    teacherHash: hashJson({ spec: model.spec, params: hashFloat64(params) }), datasetHash: hashJson({ provenance: data.provenance }),
    ...(chi !== undefined ? { maxBond: chi } : {}), ...(tcfg.backend === 'mps' && tcfg.cutoff !== undefined ? { cutoff: tcfg.cutoff } : {}),
  };
  await loadOrComputeSoftLabels(softLabelCache(ctx), keyParts, async () => {
    const tm = new QnnModel(spec);
    const obj = await makeQnnObjective(tm, data, { workers: ctx.workers, ...(tm.stochastic ? { seed: samplingSeedOf(spec, `${seed}/teacher`) } : {}) });
    let splits: Record<string, SoftLabelSplit>;
    try {
      const a = await obj.predict(params, 'train');
      const b = await obj.predict(params, 'test');
      splits = { train: { logits: a.logits, fidelity: a.fidelity, bondReached: a.bondReached }, test: { logits: b.logits, fidelity: b.fidelity, bondReached: b.bondReached } };
    } finally { await obj.close(); }
    if (data.transfer) {
      // the transfer set, evaluated as the test split of a view of the data (same model, same seeds rule)
      const view = await makeQnnObjective(tm, { ...data, test: data.transfer }, { workers: ctx.workers, ...(tm.stochastic ? { seed: samplingSeedOf(spec, `${seed}/teacher/transfer`) } : {}) });
      try {
        const c = await view.predict(params, 'test');
        splits['transfer'] = { logits: c.logits, fidelity: c.fidelity, bondReached: c.bondReached };
      } finally { await view.close(); }
    }
    return { key: keyParts, splits };
  });
  return { keyParts };
}

/**
 * Soft labels as a KD run uses them: the train and test splits, the transfer split when the data
 * has one, and the teacher's test accuracy on them.
 */
export interface KdSoftLabels { train: SoftLabelSplit; test: SoftLabelSplit; transfer?: SoftLabelSplit; testAccuracy: number }

/**
 * Reads the soft labels that soft-label task `taskId` stored under `keyParts` (from its done
 * marker) for data `data`.
 * @throws ResultsFolderError when the cache file is missing (the task is to be run again).
 */
export async function readSoftLabels(ctx: StepContext, taskId: string, keyParts: SoftLabelKeyParts, data: Dataset): Promise<KdSoftLabels> {
  const load = await loadOrComputeSoftLabels(softLabelCache(ctx), keyParts, () => {
    throw new ResultsFolderError(`the soft-label cache of ${taskId} is missing from ${softLabelCache(ctx)} though the task is marked finished: delete its marker and run ${taskId} again`);
  });
  const test = load.labels.splits['test']!;
  let correct = 0;
  test.logits.forEach((z, i) => { if (argmaxOf(z) === data.test.y[i]) correct++; });
  const transfer = load.labels.splits['transfer'];
  if (data.transfer && (!transfer || transfer.logits.length !== data.transfer.y.length)) throw new ResultsFolderError(`the soft labels of ${taskId} have no transfer split of ${data.transfer.y.length} samples: delete its marker and run ${taskId} again`);
  return { train: load.labels.splits['train']!, test, ...(transfer ? { transfer } : {}), testAccuracy: correct / data.test.y.length };
}

/** What a KD run records about its teacher's soft labels (`bond_reached` null for a state-vector teacher, which has no bonds). */
export function teacherSummary(ctx: StepContext, s: KdSoftLabels): NonNullable<RunRecord['teacher']> {
  return {
    test_accuracy: s.testAccuracy,
    train_fidelity_mean: mean(s.train.fidelity), train_fidelity_min: Math.min(...s.train.fidelity),
    bond_reached: ctx.cfg.teacher!.model.backend === 'statevector' ? null : Math.max(...s.train.bondReached),
  };
}
