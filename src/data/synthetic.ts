/**
 * Synthetic classification tasks with known difficulty, for fast tests and demos.
 *
 * `gaussianBlobs`: C isotropic unit-variance Gaussian blobs in d dimensions, with centres on a
 * scaled simplex-like set (class c's centre is `separation/2` along axis c mod d, signed by
 * ⌊c/d⌋), squashed to [0, 1] per feature by x ↦ 1/(1 + e^{−x}) so that RY(π·x) angles lie in
 * [0, π]. Larger `separation` is easier: two centres are separation/√2 apart, so for C = 2
 * the Bayes accuracy is Φ(separation/(2√2)) (0.98 at separation 6).
 */
import { gaussian, makeRng } from '../../mps/rng.js';
import type { Dataset, SplitData } from './dataset.js';

/** Options of {@link gaussianBlobs}. */
export interface BlobsOptions {
  /** Number of classes C (≥ 2, ≤ 2d). */
  classes: number;
  /** Feature dimension d (≥ 1). */
  features: number;
  /** Samples per split. */
  nTrain: number;
  nVal: number;
  nTest: number;
  /** Distance between neighbouring centres, in standard deviations. */
  separation: number;
  /** Seed of the draw. */
  seed: string | number;
}

/** Defaults: 2 classes, 4 features, 160/80/80 samples, separation 3, seed 1. */
export const DEFAULT_BLOBS: Readonly<BlobsOptions> = Object.freeze({ classes: 2, features: 4, nTrain: 160, nVal: 80, nTest: 80, separation: 3, seed: 1 });

/**
 * A seeded Gaussian-blobs dataset (balanced classes, samples interleaved by class).
 * @throws Error naming the option when a size is not a positive integer or `separation` is
 *   not a finite number > 0.
 */
export function gaussianBlobs(options: Partial<BlobsOptions> = {}): Dataset {
  const o = { ...DEFAULT_BLOBS, ...options };
  if (!Number.isInteger(o.classes) || o.classes < 2 || o.classes > 2 * o.features) throw new Error(`classes must be an integer in [2, ${2 * o.features}], got ${o.classes}`);
  if (!Number.isInteger(o.features) || o.features < 1) throw new Error(`features must be an integer ≥ 1, got ${o.features}`);
  for (const k of ['nTrain', 'nVal', 'nTest'] as const) if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`${k} must be an integer ≥ 1, got ${o[k]}`);
  if (typeof o.separation !== 'number' || !Number.isFinite(o.separation) || o.separation <= 0) throw new Error(`separation must be a finite number > 0, got ${o.separation}`);
  const rng = makeRng(`blobs:${o.seed}`);
  const centre = (c: number): Float64Array => {
    const v = new Float64Array(o.features);
    v[c % o.features] = (Math.floor(c / o.features) === 0 ? 1 : -1) * o.separation / 2;
    return v;
  };
  const make = (n: number): SplitData => {
    const x: Float64Array[] = [];
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % o.classes;
      const mu = centre(c);
      x.push(Float64Array.from(mu, (m) => 1 / (1 + Math.exp(-(m + gaussian(rng))))));
      y[i] = c;
    }
    return { x, y };
  };
  return {
    name: `blobs-c${o.classes}-d${o.features}`,
    features: o.features,
    classes: o.classes,
    train: make(o.nTrain),
    val: make(o.nVal),
    test: make(o.nTest),
    provenance: { source: 'synthetic:gaussian-blobs', seed: o.seed, details: { ...o } },
  };
}
