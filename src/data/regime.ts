/**
 * Data regimes for distillation studies: how many labelled training samples per class a student
 * sees, and how many further unlabelled samples per class (a transfer set) only the teacher
 * labels. Distillation is expected to help most when labels are scarce and a transfer set is
 * available (Hinton, Vinyals & Dean, "Distilling the knowledge in a neural network", 2015), so
 * the studies vary both.
 *
 * Both subsets are drawn from the training split by one seeded stratified draw
 * ({@link stratifiedSplit}), so they are disjoint, have exactly the requested count of every
 * class, and the draw of class c depends only on the seed and c's samples. Validation and test
 * splits are never touched: every regime is evaluated on the same data.
 */
import type { Dataset, SplitData } from './dataset.js';
import { stratifiedSplit } from './preprocess.js';

/** A data regime (the `data.labelled` and `data.transfer` config fields). */
export interface DataRegime {
  /** Labelled training samples per class; `'all'` (default) keeps the whole training split. */
  labelled?: number | 'all';
  /** Unlabelled transfer samples per class, disjoint from the labelled ones (default 0: none). */
  transfer?: number;
}

/** A value as the error messages show it: numbers as written (NaN, Infinity), others as JSON. */
const show = (v: unknown) => (typeof v === 'number' ? String(v) : JSON.stringify(v));

function take(s: SplitData, idx: Int32Array): SplitData {
  return { x: Array.from(idx, (i) => s.x[i]!), y: Int32Array.from(idx, (i) => s.y[i]!) };
}

/**
 * The dataset of a regime: `train` keeps `labelled` samples of every class, `transfer` holds
 * `transfer` further samples of every class (true labels kept in `y` for reporting only), and
 * `val`/`test` are unchanged. With `labelled: 'all'` and no transfer the dataset is returned
 * unchanged (same object).
 *
 * @param ds - The full dataset.
 * @param regime - Samples per class; see {@link DataRegime}.
 * @param seed - Seed of the draw (the run's data seed).
 * @returns A new dataset; its provenance records the regime under `details.regime`.
 * @throws Error naming `data.labelled` or `data.transfer` when a count is not an integer ≥ 1
 *   (≥ 0 for the transfer set), when a transfer set is asked for with `labelled: 'all'`
 *   (nothing would be left to draw it from), or when a class has fewer training samples than
 *   labelled + transfer.
 */
export function applyDataRegime(ds: Dataset, regime: DataRegime, seed: string | number): Dataset {
  const labelled = regime.labelled ?? 'all';
  const transfer = regime.transfer ?? 0;
  if (labelled !== 'all' && (!Number.isInteger(labelled) || labelled < 1)) throw new Error(`data.labelled: expected an integer ≥ 1 (samples per class) or 'all', got ${show(labelled)}`);
  if (!Number.isInteger(transfer) || transfer < 0) throw new Error(`data.transfer: expected an integer ≥ 0 (unlabelled samples per class), got ${show(transfer)}`);
  if (labelled === 'all' && transfer === 0) return ds;
  if (labelled === 'all') throw new Error(`data.transfer: a transfer set of ${transfer} per class needs data.labelled to be a number (with 'all' every training sample is labelled)`);
  let parts: Int32Array[];
  try {
    parts = stratifiedSplit(ds.train.y, [labelled, transfer], `${seed}:regime`);
  } catch (e) {
    throw new Error(`data.labelled + data.transfer: ${labelled} + ${transfer} per class exceed the training split (${(e as Error).message})`);
  }
  return {
    ...ds,
    train: take(ds.train, parts[0]!),
    ...(transfer > 0 ? { transfer: take(ds.train, parts[1]!) } : {}),
    provenance: { ...ds.provenance, details: { ...ds.provenance.details, regime: { labelled, transfer } } },
  };
}

/**
 * The dataset with its transfer set moved into the training split, true labels and all: the
 * training set of a teacher trained on more labels than its students (`teacher.trainingSet:
 * 'labelled+transfer'`). The training split is the labelled samples followed by the transfer
 * samples (in their stored order); validation and test are unchanged; the result has no
 * transfer split. Phase datasets' `points` are left as they are (they index the original splits).
 *
 * @param ds - A dataset with a non-empty transfer split (from {@link applyDataRegime} or a phase
 *   dataset's transfer window).
 * @returns A new dataset; its provenance records `details.teacherTrainingSet`.
 * @throws Error naming `teacher.trainingSet` when the dataset has no transfer samples.
 */
export function withLabelledTransfer(ds: Dataset): Dataset {
  const tr = ds.transfer;
  if (!tr || tr.y.length === 0) throw new Error("teacher.trainingSet: 'labelled+transfer' needs a transfer set (data.transfer; for phase data, grid points inside data.transfer.window), but the data has none");
  const { transfer: _t, ...rest } = ds;
  return {
    ...rest,
    train: { x: [...ds.train.x, ...tr.x], y: Int32Array.from([...ds.train.y, ...tr.y]) },
    provenance: { ...ds.provenance, details: { ...ds.provenance.details, teacherTrainingSet: 'labelled+transfer' } },
  };
}
