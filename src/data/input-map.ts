/**
 * Explicit teacher → student input maps (docs/design.md §5): a wide teacher's d_T features are
 * mapped to a narrower student's d_S features by a documented, fitted, serialisable map.
 *
 * - `avgPool`: square row-major images of side s = √d_T → side `to` by exact area averaging
 *   (e.g. 8×8 → 4×4 = 16 features, → 2×2 = 4). Nothing is fitted beyond the shape.
 * - `pca`: the top `components` principal directions of the TRAINING split (mean and
 *   eigenvectors of the sample covariance, by {@link eighReal}), each projection then rescaled
 *   to [0, 1] by the training split's min/max, clipping outside (so angle encodings RY(π·x)
 *   stay in [0, π]). Component signs are fixed so that each direction's largest-magnitude
 *   entry is positive.
 * - `subset`: a fixed list of feature indices.
 *
 * Fit on the training split only ({@link fitInputMap} sees nothing else), save with the
 * student via {@link InputMap.toJSON}, and rebuild with {@link inputMapFromJson}: the rebuilt
 * map gives bit-identical outputs.
 */
import { eighReal } from '../../mps/kernels/eigh.js';
import type { Dataset, SplitData } from './dataset.js';
import { makeDownsampler } from './preprocess.js';

/** What to fit: the map kind and its size parameter. */
export type InputMapSpec =
  /** Average-pool square images to side `to` (input side = √features). */
  | { kind: 'avgPool'; to: number }
  /** Principal components, rescaled to [0, 1] on the training split. */
  | { kind: 'pca'; components: number }
  /** Keep the features at `indices`, in that order. */
  | { kind: 'subset'; indices: number[] };

/** The `format` tag of serialised maps. */
export const INPUT_MAP_FORMAT = 'qdistill.input-map';
/** The current serialisation version. */
export const INPUT_MAP_VERSION = 1;

interface JsonHead {
  format: typeof INPUT_MAP_FORMAT;
  version: typeof INPUT_MAP_VERSION;
  /** Input feature count d_T. */
  inFeatures: number;
  /** Output feature count d_S. */
  outFeatures: number;
}

/** A fitted map as plain JSON (everything needed to apply it). */
export type InputMapJson =
  | (JsonHead & { kind: 'avgPool'; from: number; to: number })
  | (JsonHead & {
      kind: 'pca';
      /** Training-split feature means (length inFeatures). */
      mean: number[];
      /** Principal directions, one row per component, in descending variance. */
      basis: number[][];
      /** Sample variance (divisor n − 1) along each direction. */
      variance: number[];
      /** Training-split min and max of each projection (the [0, 1] rescaling). */
      lo: number[];
      hi: number[];
    })
  | (JsonHead & { kind: 'subset'; indices: number[] });

/** A fitted input map. */
export interface InputMap {
  readonly kind: InputMapSpec['kind'];
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Map one feature vector (length inFeatures) to a new one (length outFeatures). */
  apply(x: Float64Array): Float64Array;
  /** The fitted parameters as JSON (see {@link inputMapFromJson}). */
  toJSON(): InputMapJson;
}

const SPEC_KEYS: Record<InputMapSpec['kind'], string[]> = { avgPool: ['kind', 'to'], pca: ['kind', 'components'], subset: ['kind', 'indices'] };

function rejectUnknownKeys(obj: object, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new Error(`${what}: unknown key '${k}' (allowed: ${allowed.join(', ')})`);
}

function checkSubsetIndices(indices: unknown, d: number): number[] {
  if (!Array.isArray(indices) || indices.length === 0) throw new Error(`subset indices must be a non-empty array, got ${JSON.stringify(indices)}`);
  const seen = new Set<number>();
  indices.forEach((v: unknown, k) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= d) throw new Error(`subset indices[${k}] = ${String(v)}: must be an integer in [0, ${d})`);
    if (seen.has(v)) throw new Error(`subset indices[${k}] = ${v}: duplicate`);
    seen.add(v);
  });
  return [...(indices as number[])];
}

function squareSide(d: number): number {
  const s = Math.round(Math.sqrt(d));
  if (s * s !== d) throw new Error(`avgPool needs square images: ${d} features is not a perfect square`);
  return s;
}

/** Build the map from validated JSON (fit and load share this, so outputs are identical). */
function build(json: InputMapJson): InputMap {
  const d = json.inFeatures;
  const check = (x: Float64Array): void => {
    if (x.length !== d) throw new Error(`${json.kind} input has ${x.length} features, the map expects ${d}`);
  };
  let apply: (x: Float64Array) => Float64Array;
  if (json.kind === 'avgPool') {
    const pool = makeDownsampler(json.from, json.to);
    apply = (x) => {
      check(x);
      return pool(x);
    };
  } else if (json.kind === 'subset') {
    const idx = Int32Array.from(json.indices);
    apply = (x) => {
      check(x);
      return Float64Array.from(idx, (i) => x[i]);
    };
  } else {
    const k = json.basis.length;
    const mean = Float64Array.from(json.mean);
    const basis = new Float64Array(k * d); // row c = direction c
    json.basis.forEach((row, c) => basis.set(row, c * d));
    const lo = Float64Array.from(json.lo);
    const hi = Float64Array.from(json.hi);
    apply = (x) => {
      check(x);
      const out = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let p = 0;
        for (let i = 0; i < d; i++) p += basis[c * d + i] * (x[i] - mean[i]);
        const span = hi[c] - lo[c];
        out[c] = span > 0 ? Math.min(1, Math.max(0, (p - lo[c]) / span)) : 0.5;
      }
      return out;
    };
  }
  const frozen = JSON.stringify(json);
  return {
    kind: json.kind,
    inFeatures: d,
    outFeatures: json.outFeatures,
    apply,
    toJSON: () => JSON.parse(frozen) as InputMapJson,
  };
}

/** Fit PCA on `train` (n × d): mean, top-k covariance eigenvectors, projection min/max. */
function fitPca(train: readonly Float64Array[], d: number, k: number): InputMapJson {
  const n = train.length;
  const mean = new Float64Array(d);
  for (const x of train) for (let i = 0; i < d; i++) mean[i] += x[i];
  for (let i = 0; i < d; i++) mean[i] = mean[i] / n + 0; // + 0 turns −0 into 0 (JSON-stable)
  // C = Σ (x − μ)(x − μ)ᵀ / (n − 1), upper triangle accumulated, then mirrored
  const cov = new Float64Array(d * d);
  const z = new Float64Array(d);
  for (const x of train) {
    for (let i = 0; i < d; i++) z[i] = x[i] - mean[i];
    for (let i = 0; i < d; i++) {
      const zi = z[i];
      if (zi === 0) continue;
      const r = i * d;
      for (let j = i; j < d; j++) cov[r + j] += zi * z[j];
    }
  }
  const div = Math.max(1, n - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j] / div;
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  const { w, V } = eighReal(d, cov); // w ascending, V[i·d + j] = entry i of eigenvector j
  const basis: number[][] = [];
  const variance: number[] = [];
  for (let c = 0; c < k; c++) {
    const j = d - 1 - c;
    let big = 0;
    for (let i = 1; i < d; i++) if (Math.abs(V[i * d + j]) > Math.abs(V[big * d + j])) big = i;
    const sign = V[big * d + j] < 0 ? -1 : 1;
    basis.push(Array.from({ length: d }, (_, i) => sign * V[i * d + j] + 0));
    variance.push(Math.max(0, w[j]));
  }
  // projection range on the training split, with the same arithmetic as apply()
  const lo = new Array<number>(k).fill(Infinity);
  const hi = new Array<number>(k).fill(-Infinity);
  for (const x of train) {
    for (let c = 0; c < k; c++) {
      const b = basis[c];
      let p = 0;
      for (let i = 0; i < d; i++) p += b[i] * (x[i] - mean[i]);
      if (p < lo[c]) lo[c] = p;
      if (p > hi[c]) hi[c] = p;
    }
  }
  return {
    format: INPUT_MAP_FORMAT, version: INPUT_MAP_VERSION, kind: 'pca', inFeatures: d, outFeatures: k,
    mean: Array.from(mean), basis, variance, lo: lo.map((v) => v + 0), hi: hi.map((v) => v + 0),
  };
}

/**
 * Fit an input map on the TRAINING split's feature vectors (all the same length d_T).
 *
 * @example
 * const map = fitInputMap({ kind: 'avgPool', to: 4 }, ds.train.x as Float64Array[]); // 8×8 → 4×4
 * map.outFeatures // 16
 * @throws on a bad spec, naming the field and value (`pca components must be an integer in [1, 16] (≤ features), got 20`).
 */
export function fitInputMap(spec: InputMapSpec, train: readonly Float64Array[]): InputMap {
  if (spec === null || typeof spec !== 'object') throw new Error(`input map spec must be an object, got ${String(spec)}`);
  const kind: unknown = spec.kind;
  if (kind !== 'avgPool' && kind !== 'pca' && kind !== 'subset') throw new Error(`input map kind must be one of avgPool, pca, subset, got ${String(kind)}`);
  rejectUnknownKeys(spec, SPEC_KEYS[kind], `input map spec (${kind})`);
  if (train.length === 0) throw new Error('fitInputMap needs at least one training sample, got 0');
  const d = train[0].length;
  train.forEach((x, s) => {
    if (!(x instanceof Float64Array)) throw new Error(`train[${s}] must be a Float64Array feature vector`);
    if (x.length !== d) throw new Error(`train[${s}] has ${x.length} features, expected ${d}`);
    for (let j = 0; j < d; j++) if (!Number.isFinite(x[j]!)) throw new Error(`train[${s}][${j}] must be a finite number, got ${x[j]}`);
  });
  const head = { format: INPUT_MAP_FORMAT, version: INPUT_MAP_VERSION, inFeatures: d } as const;
  if (spec.kind === 'avgPool') {
    const from = squareSide(d);
    if (!Number.isInteger(spec.to) || spec.to < 1 || spec.to > from) throw new Error(`avgPool to must be an integer in [1, ${from}] (the input side), got ${spec.to}`);
    return build({ ...head, kind: 'avgPool', outFeatures: spec.to * spec.to, from, to: spec.to });
  }
  if (spec.kind === 'subset') {
    const indices = checkSubsetIndices(spec.indices, d);
    return build({ ...head, kind: 'subset', outFeatures: indices.length, indices });
  }
  const k = spec.components;
  if (!Number.isInteger(k) || k < 1 || k > d) throw new Error(`pca components must be an integer in [1, ${d}] (≤ features), got ${k}`);
  return build(fitPca(train, d, k));
}

function numArray(v: unknown, len: number, field: string): number[] {
  if (!Array.isArray(v) || v.length !== len) throw new Error(`${field} must be an array of ${len} numbers, got ${Array.isArray(v) ? `length ${v.length}` : typeof v}`);
  v.forEach((e: unknown, i) => {
    if (typeof e !== 'number' || !Number.isFinite(e)) throw new Error(`${field}[${i}] = ${String(e)}: must be a finite number`);
  });
  return v as number[];
}

function posInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${field} must be an integer ≥ 1, got ${String(v)}`);
  return v;
}

/** Rebuild a map from {@link InputMap.toJSON} output (validated; unknown keys rejected). */
export function inputMapFromJson(json: unknown): InputMap {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`input map JSON must be an object, got ${JSON.stringify(json)}`);
  const o = json as Record<string, unknown>;
  if (o.format !== INPUT_MAP_FORMAT) throw new Error(`input map format must be '${INPUT_MAP_FORMAT}', got ${JSON.stringify(o.format)}`);
  if (o.version !== INPUT_MAP_VERSION) throw new Error(`input map version must be ${INPUT_MAP_VERSION}, got ${JSON.stringify(o.version)}`);
  const head = ['format', 'version', 'kind', 'inFeatures', 'outFeatures'];
  const d = posInt(o.inFeatures, 'inFeatures');
  const out = posInt(o.outFeatures, 'outFeatures');
  const base = { format: INPUT_MAP_FORMAT, version: INPUT_MAP_VERSION, inFeatures: d, outFeatures: out } as const;
  if (o.kind === 'avgPool') {
    rejectUnknownKeys(o, [...head, 'from', 'to'], 'input map JSON (avgPool)');
    const from = posInt(o.from, 'from');
    const to = posInt(o.to, 'to');
    if (from * from !== d) throw new Error(`avgPool from = ${from} does not match inFeatures = ${d}`);
    if (to > from || to * to !== out) throw new Error(`avgPool to = ${to} does not fit from = ${from}, outFeatures = ${out}`);
    return build({ ...base, kind: 'avgPool', from, to });
  }
  if (o.kind === 'subset') {
    rejectUnknownKeys(o, [...head, 'indices'], 'input map JSON (subset)');
    const indices = checkSubsetIndices(o.indices, d);
    if (indices.length !== out) throw new Error(`subset has ${indices.length} indices, outFeatures = ${out}`);
    return build({ ...base, kind: 'subset', indices });
  }
  if (o.kind === 'pca') {
    rejectUnknownKeys(o, [...head, 'mean', 'basis', 'variance', 'lo', 'hi'], 'input map JSON (pca)');
    if (out > d) throw new Error(`pca outFeatures = ${out} exceeds inFeatures = ${d}`);
    if (!Array.isArray(o.basis) || o.basis.length !== out) throw new Error(`pca basis must have ${out} rows, got ${Array.isArray(o.basis) ? o.basis.length : typeof o.basis}`);
    const basis = (o.basis as unknown[]).map((row, c) => numArray(row, d, `basis[${c}]`));
    return build({ ...base, kind: 'pca', mean: numArray(o.mean, d, 'mean'), basis, variance: numArray(o.variance, out, 'variance'), lo: numArray(o.lo, out, 'lo'), hi: numArray(o.hi, out, 'hi') });
  }
  throw new Error(`input map kind must be one of avgPool, pca, subset, got ${JSON.stringify(o.kind)}`);
}

/**
 * Apply `map` to every split of `ds` (feature-vector datasets only). The result's `features`
 * is `map.outFeatures`, and `provenance.details.inputMaps` lists the maps applied so far
 * (each as its JSON), oldest first.
 */
export function mapDataset(ds: Dataset, map: InputMap): Dataset {
  if (ds.features !== map.inFeatures) throw new Error(`dataset ${ds.name} has ${ds.features} features, the ${map.kind} map expects ${map.inFeatures}`);
  const mapSplit = (split: SplitData, name: string): SplitData => ({
    x: split.x.map((x, i) => {
      if (!(x instanceof Float64Array)) throw new Error(`mapDataset needs feature vectors: ${name}.x[${i}] is not a Float64Array`);
      return map.apply(x);
    }),
    y: split.y.slice(),
  });
  const prev = ds.provenance.details.inputMaps;
  const maps = Array.isArray(prev) ? [...(prev as unknown[])] : [];
  return {
    name: `${ds.name}>${map.kind}${map.outFeatures}`,
    features: map.outFeatures,
    classes: ds.classes,
    train: mapSplit(ds.train, 'train'),
    val: mapSplit(ds.val, 'val'),
    test: mapSplit(ds.test, 'test'),
    ...(ds.transfer ? { transfer: mapSplit(ds.transfer, 'transfer') } : {}),
    provenance: { ...ds.provenance, details: { ...ds.provenance.details, inputMaps: [...maps, map.toJSON()] } },
  };
}

/**
 * Fit `spec` on `ds.train` only and map the whole dataset: the usual teacher → student step.
 * Val and test never influence the fitted map.
 */
export function fitAndMapDataset(spec: InputMapSpec, ds: Dataset): { map: InputMap; dataset: Dataset } {
  const train = ds.train.x.map((x, i) => {
    if (!(x instanceof Float64Array)) throw new Error(`fitAndMapDataset needs feature vectors: train.x[${i}] is not a Float64Array`);
    return x;
  });
  const map = fitInputMap(spec, train);
  return { map, dataset: mapDataset(ds, map) };
}
