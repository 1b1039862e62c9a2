/**
 * Pure preprocessing routines for image / feature datasets: class subsets, seeded stratified
 * splits, exact area-averaging downsampling, scaling to [0, 1] and per-feature statistics.
 *
 * Nothing here mutates its inputs; everything random takes a seed.
 */
import { makeRng } from '../../mps/rng.js';

/**
 * The indices (ascending) of the samples whose label is one of `classes`.
 *
 * @example classSubset([3, 1, 4, 1, 5], [1, 5]) // Int32Array [1, 3, 4]
 */
export function classSubset(labels: ArrayLike<number>, classes: readonly number[]): Int32Array {
  const keep = new Set(classes);
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (keep.has(labels[i])) out.push(i);
  return Int32Array.from(out);
}

/**
 * A seeded stratified split: for every distinct label (ascending), draw `sizes[0] + sizes[1] + …`
 * of its samples without replacement and give the first `sizes[0]` to part 0, the next
 * `sizes[1]` to part 1, and so on. So part k holds exactly `sizes[k]` samples of every class.
 * Each part is then shuffled (seeded), so classes are interleaved.
 *
 * Returns one `Int32Array` of indices into `labels` per part. The draw of class c depends only
 * on `seed`, c and the positions of c's samples, so adding or removing other classes does not
 * change which samples of c are chosen.
 *
 * @throws when a class has fewer samples than `Σ sizes`, naming the class and the counts.
 */
export function stratifiedSplit(labels: ArrayLike<number>, sizes: readonly number[], seed: string | number): Int32Array[] {
  sizes.forEach((s, k) => {
    if (!Number.isInteger(s) || s < 0) throw new Error(`sizes[${k}] must be an integer ≥ 0, got ${s}`);
  });
  const need = sizes.reduce((a, b) => a + b, 0);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    let list = byClass.get(c);
    if (list === undefined) byClass.set(c, (list = []));
    list.push(i);
  }
  const parts: number[][] = sizes.map(() => []);
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = byClass.get(c)!;
    if (idx.length < need) throw new Error(`class ${c} has ${idx.length} samples, fewer than the ${need} requested (sizes ${sizes.join(' + ')})`);
    const rng = makeRng(`${seed}:class:${c}`);
    // partial Fisher–Yates: the first `need` entries become a uniform draw without replacement
    for (let i = 0; i < need; i++) {
      const j = i + Math.floor(rng() * (idx.length - i));
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    let at = 0;
    sizes.forEach((s, k) => {
      for (let i = 0; i < s; i++) parts[k].push(idx[at++]);
    });
  }
  return parts.map((p, k) => shuffled(p, `${seed}:part:${k}`));
}

/** A seeded Fisher–Yates shuffle of `values` (a new array). */
function shuffled(values: readonly number[], seed: string): Int32Array {
  const a = Int32Array.from(values);
  const rng = makeRng(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/**
 * Exact 1-D area-averaging weights from `from` cells to `to` cells. Output cell I covers
 * [I·from, (I+1)·from) and source cell i covers [i·to, (i+1)·to) on a common axis of length
 * from·to, so overlaps are integers and weight(I, i) = overlap / from (each row sums to 1, each
 * column to to/from). Returned sparse: `start[I]`, and `w[I]` over source cells start[I]….
 */
export function areaWeights(from: number, to: number): { start: Int32Array; w: Float64Array[] } {
  for (const [k, v] of [['from', from], ['to', to]] as const) if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be an integer ≥ 1, got ${v}`);
  const start = new Int32Array(to);
  const w: Float64Array[] = [];
  for (let I = 0; I < to; I++) {
    const lo = I * from;
    const hi = (I + 1) * from;
    const i0 = Math.floor(lo / to);
    const i1 = Math.ceil(hi / to); // exclusive
    start[I] = i0;
    const row = new Float64Array(i1 - i0);
    for (let i = i0; i < i1; i++) row[i - i0] = (Math.min(hi, (i + 1) * to) - Math.max(lo, i * to)) / from;
    w.push(row);
  }
  return { start, w };
}

/**
 * A reusable downsampler of square row-major images from side `from` to side `to` by exact
 * area averaging (separable: rows, then columns). For integer factors this is the block mean;
 * for non-integer factors (28 → 8: 3.5 × 3.5 areas) boundary pixels are shared in proportion
 * to their overlap. The image mean is preserved (up to rounding). `to > from` upsamples by the
 * same rule (each output pixel takes the value under it).
 */
export function makeDownsampler(from: number, to: number): (image: ArrayLike<number>) => Float64Array {
  for (const [k, v] of [['from', from], ['to', to]] as const) if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be an integer ≥ 1, got ${v}`);
  const { start, w } = areaWeights(from, to);
  return (image) => {
    if (image.length !== from * from) throw new Error(`image length must be ${from}×${from} = ${from * from}, got ${image.length}`);
    // tmp: row r of the source, column J of the output
    const tmp = new Float64Array(from * to);
    for (let r = 0; r < from; r++) {
      for (let J = 0; J < to; J++) {
        const wJ = w[J];
        const s = start[J];
        let acc = 0;
        for (let k = 0; k < wJ.length; k++) acc += wJ[k] * image[r * from + s + k];
        tmp[r * to + J] = acc;
      }
    }
    const out = new Float64Array(to * to);
    for (let I = 0; I < to; I++) {
      const wI = w[I];
      const s = start[I];
      for (let J = 0; J < to; J++) {
        let acc = 0;
        for (let k = 0; k < wI.length; k++) acc += wI[k] * tmp[(s + k) * to + J];
        out[I * to + J] = acc;
      }
    }
    return out;
  };
}

/**
 * Downsample one square row-major image (length from²) to side `to` by exact area averaging.
 * See {@link makeDownsampler}; use that for many images.
 *
 * @example downsample([1, 2, 3, 4], 2, 1) // Float64Array [2.5]
 */
export function downsample(image: ArrayLike<number>, from: number, to: number): Float64Array {
  return makeDownsampler(from, to)(image);
}

/**
 * Map values affinely from [lo, hi] to [0, 1] as (v − lo) / (hi − lo), clipping outside.
 * The default range [0, 255] scales 8-bit pixels (v / 255).
 * @throws Error when lo or hi is not finite, hi ≤ lo, or a value is NaN.
 */
export function scaleToUnit(values: ArrayLike<number>, lo = 0, hi = 255): Float64Array {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`scaleToUnit needs finite lo and hi, got lo = ${lo}, hi = ${hi}`);
  if (!(hi > lo)) throw new Error(`scaleToUnit needs hi > lo, got lo = ${lo}, hi = ${hi}`);
  const d = hi - lo;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new Error(`scaleToUnit: values[${i}] is NaN`);
    out[i] = Math.min(1, Math.max(0, (values[i] - lo) / d));
  }
  return out;
}

/** Per-feature statistics of a sample set. */
export interface FeatureStats {
  /** Sample count. */
  n: number;
  mean: Float64Array;
  /** Population standard deviation (divisor n). */
  std: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/**
 * Per-feature mean, population standard deviation, min and max of `xs` (all the same length, n ≥ 1).
 * @throws Error when `xs` is empty, lengths differ, or a feature is NaN or ±Infinity.
 */
export function featureStats(xs: readonly Float64Array[]): FeatureStats {
  if (xs.length === 0) throw new Error('featureStats needs at least one sample, got 0');
  const d = xs[0].length;
  const mean = new Float64Array(d);
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  xs.forEach((x, s) => {
    if (x.length !== d) throw new Error(`sample ${s} has ${x.length} features, expected ${d}`);
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(x[i])) throw new Error(`sample ${s} feature ${i} must be a finite number, got ${x[i]}`);
      mean[i] += x[i];
      if (x[i] < min[i]) min[i] = x[i];
      if (x[i] > max[i]) max[i] = x[i];
    }
  });
  for (let i = 0; i < d; i++) mean[i] /= xs.length;
  const std = new Float64Array(d);
  for (const x of xs) for (let i = 0; i < d; i++) std[i] += (x[i] - mean[i]) ** 2;
  for (let i = 0; i < d; i++) std[i] = Math.sqrt(std[i] / xs.length);
  return { n: xs.length, mean, std, min, max };
}
