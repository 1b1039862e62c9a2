/**
 * The training set and loss of the methods that use the teacher on an unlabelled transfer set
 * (`data.transfer`, see `src/data/regime.ts` and the phase data's transfer window):
 *
 * - `kd-transfer`: Hinton KD on the labelled training set plus the transfer set. Transfer samples
 *   carry no label into the loss (the `unlabelled` mask of the KD loss: their soft term alone,
 *   with the usual weight α); labelled samples get the usual hard + soft loss.
 * - `pseudo`: cross-entropy on the labelled set plus the transfer set labelled with the
 *   teacher's hard prediction (argmax of its logits): the classical pseudo-label control, which
 *   uses the same inputs as `kd-transfer` but none of the teacher's soft information.
 *
 * In both, the transfer samples enter the training split after the labelled ones, with the
 * teacher's hard prediction as their `y` (so a run's training accuracy counts agreement with the
 * teacher there); their true labels never reach training.
 */
import type { Dataset } from '../../data/dataset.js';
import type { ObjectiveLoss } from '../../distill/objective.js';
import type { KdOptions } from '../../distill/losses.js';
import type { StudentMethod } from '../config.js';
import { argmaxOf } from './common.js';
import type { KdSoftLabels } from './soft-labels.js';

/** A transfer method's training data and loss (`loss` null: plain cross-entropy). */
export interface TransferArm { data: Dataset; loss: ObjectiveLoss | null }

/**
 * The training data and loss of `method` ∈ {`kd-transfer`, `pseudo`} for a student whose data
 * (already input-mapped) is `data`, from the teacher's soft labels `sl` (train and transfer
 * splits, sample-aligned with `data`).
 *
 * @throws Error when the data has no transfer split or its size differs from the soft labels'.
 */
export function transferArm(method: StudentMethod, data: Dataset, sl: KdSoftLabels, kd: KdOptions, fidelityWeighted: boolean): TransferArm {
  if (method !== 'kd-transfer' && method !== 'pseudo') throw new Error(`transferArm: method '${method}' does not use a transfer set`);
  const tr = data.transfer;
  if (!tr) throw new Error(`method '${method}' needs a transfer set (data.transfer)`);
  if (!sl.transfer || sl.transfer.logits.length !== tr.y.length) throw new Error(`method '${method}': ${tr.y.length} transfer samples but ${sl.transfer?.logits.length ?? 0} teacher outputs`);
  if (sl.train.logits.length !== data.train.y.length) throw new Error(`method '${method}': ${data.train.y.length} training samples but ${sl.train.logits.length} teacher outputs`);
  const hard = Int32Array.from(sl.transfer.logits, (z) => argmaxOf(z));
  const nL = data.train.y.length;
  const train = { x: [...data.train.x, ...tr.x], y: Int32Array.from([...data.train.y, ...hard]) };
  const out: Dataset = { ...data, train };
  if (method === 'pseudo') return { data: out, loss: null };
  const unlabelled = new Uint8Array(nL + tr.y.length);
  unlabelled.fill(1, nL);
  const fid = Float64Array.from([...sl.train.fidelity, ...sl.transfer.fidelity]);
  return {
    data: out,
    loss: { kind: 'kd', options: kd, teacherLogits: [...sl.train.logits, ...sl.transfer.logits], unlabelled, ...(fidelityWeighted ? { weights: fid } : {}) },
  };
}
