/**
 * Data encodings: gates that load the input features x_0 … x_{F−1} into a circuit, appended to
 * a {@link CircuitBuilder}. Angles are `{ input: i, scale: s }`, i.e. s·x_i radians, bound per
 * sample by `bindCircuit`. Qubit 0 is the leftmost MPS site (docs/design.md §3).
 *
 * **Input-MPS encoding** (`{ type: 'mps' }`) needs no gates: the model starts from a given
 * MPS (for instance a many-body ground state, docs/design.md §5 "quantum data") instead of
 * |0…0⟩, and the circuit holds only the ansatz. {@link applyEncoding} appends nothing for it.
 */
import type { CircuitBuilder } from './ansatz.js';

/** Options of {@link angleEncoding}. */
export interface AngleEncodingOptions {
  /**
   * Feature indices to encode; `features[j]` goes on qubit `qubitOffset + j`. `'all'`
   * (default) means 0 … nInputs−1, i.e. feature i on qubit `qubitOffset + i`.
   */
  features?: number[] | 'all';
  /** Rotation gate: `'ry'` (default; real) or `'rx'`. */
  rotation?: 'ry' | 'rx';
  /** Angle per unit feature, in radians (default π: x ∈ [0, 1] spans |0⟩ … |1⟩). */
  scale?: number;
  /** First qubit used (default 0). */
  qubitOffset?: number;
}

/** Default scale of the angle encodings: RY(π·x). */
export const DEFAULT_ENCODING_SCALE = Math.PI;

function checkScale(where: string, scale: number): void {
  if (!Number.isFinite(scale)) throw new Error(`${where}: scale must be a finite number, got ${scale}`);
}

/**
 * Angle encoding (docs/design.md §5): RY(scale·x_i) on qubit i (or RX). On |0⟩ it gives
 * ⟨Z_i⟩ = cos(scale·x_i). RY keeps the state real.
 * @throws Error when there are more features than qubits from `qubitOffset` on, or a feature
 *   index is out of the builder's input range.
 * @example
 * ```ts
 * const b = new CircuitBuilder(3, 3);
 * angleEncoding(b, { features: 'all' }); // RY(π·x_0) q0, RY(π·x_1) q1, RY(π·x_2) q2
 * ```
 */
export function angleEncoding(b: CircuitBuilder, opts: AngleEncodingOptions = {}): void {
  const where = 'angleEncoding';
  const rotation = opts.rotation ?? 'ry';
  const scale = opts.scale ?? DEFAULT_ENCODING_SCALE;
  const offset = opts.qubitOffset ?? 0;
  if (rotation !== 'ry' && rotation !== 'rx') throw new Error(`${where}: rotation must be 'ry' or 'rx', got ${JSON.stringify(rotation)}`);
  checkScale(where, scale);
  if (!Number.isInteger(offset) || offset < 0 || offset >= b.n) throw new Error(`${where}: qubitOffset must be an integer in [0, ${b.n - 1}], got ${offset}`);
  const features = opts.features === undefined || opts.features === 'all' ? Array.from({ length: b.nInputs }, (_, i) => i) : opts.features;
  if (features.length === 0) throw new Error(`${where}: no features to encode (builder nInputs = ${b.nInputs})`);
  if (features.length > b.n - offset) {
    throw new Error(`${where}: ${features.length} features need ${features.length} qubits from qubit ${offset}, but only ${b.n - offset} are available (n = ${b.n}); use denseAngleEncoding or more qubits`);
  }
  features.forEach((f, j) => {
    if (!Number.isInteger(f) || f < 0 || f >= b.nInputs) throw new Error(`${where}: features[${j}] = ${f} out of range [0, ${b.nInputs - 1}] (builder nInputs = ${b.nInputs})`);
    b.add(rotation, [offset + j], [{ input: f, scale }]);
  });
}

/** Options of {@link denseAngleEncoding}. */
export interface DenseAngleEncodingOptions {
  /** Angle per unit feature, in radians (default π). */
  scale?: number;
  /** Number of features encoded, x_0 … x_{F−1} (default: the builder's nInputs). */
  features?: number;
}

/**
 * Dense angle encoding (LaRose & Coyle, "Robust data encodings for quantum classifiers",
 * PRA 102, 032420 (2020)): two features per qubit, RY(s·x_{2i}) then RZ(s·x_{2i+1}) on qubit i.
 * On |0⟩ it gives ⟨Z_i⟩ = cos(s·x_{2i}), ⟨X_i⟩ = sin(s·x_{2i})·cos(s·x_{2i+1}). With an odd
 * feature count the last qubit gets RY only. RZ is complex (leaves the real fast path).
 * @throws Error when ⌈F/2⌉ > n or F > nInputs.
 */
export function denseAngleEncoding(b: CircuitBuilder, opts: DenseAngleEncodingOptions = {}): void {
  const where = 'denseAngleEncoding';
  const scale = opts.scale ?? DEFAULT_ENCODING_SCALE;
  const nf = opts.features ?? b.nInputs;
  checkScale(where, scale);
  if (!Number.isInteger(nf) || nf < 1 || nf > b.nInputs) throw new Error(`${where}: features must be an integer in [1, ${b.nInputs}] (builder nInputs), got ${nf}`);
  const qubits = Math.ceil(nf / 2);
  if (qubits > b.n) throw new Error(`${where}: ${nf} features need ${qubits} qubits, but n = ${b.n}`);
  for (let i = 0; i < qubits; i++) {
    b.add('ry', [i], [{ input: 2 * i, scale }]);
    if (2 * i + 1 < nf) b.add('rz', [i], [{ input: 2 * i + 1, scale }]);
  }
}

/** Options of {@link reuploading}. */
export interface ReuploadingOptions {
  /** Number of ansatz layers (integer ≥ 1). */
  layers: number;
  /** Re-encode before every `every`-th layer: before layers 0, r, 2r, … (integer ≥ 1). */
  every: number;
  /** Appends one copy of the encoding. */
  encode: (b: CircuitBuilder) => void;
  /** Appends ansatz layer `l` (0-based). */
  layer: (b: CircuitBuilder, l: number) => void;
}

/**
 * Data re-uploading (Pérez-Salinas et al., "Data re-uploading for a universal quantum
 * classifier", Quantum 4, 226 (2020)): appends encode, layer 0, …, layer r−1, encode,
 * layer r, … — the encoding before layer l whenever l mod r = 0, ⌈L/r⌉ times in all.
 * `every: L` (or more) encodes once, at the start.
 * @example
 * ```ts
 * reuploading(b, { layers: 4, every: 2, encode: (b) => angleEncoding(b),
 *                  layer: (b) => ryBrickwork(b, { layers: 1, entangler: 'cz' }) });
 * ```
 */
export function reuploading(b: CircuitBuilder, opts: ReuploadingOptions): void {
  const where = 'reuploading';
  if (!Number.isInteger(opts.layers) || opts.layers < 1) throw new Error(`${where}: layers must be an integer ≥ 1, got ${opts.layers}`);
  if (!Number.isInteger(opts.every) || opts.every < 1) throw new Error(`${where}: every must be an integer ≥ 1, got ${opts.every}`);
  for (let l = 0; l < opts.layers; l++) {
    if (l % opts.every === 0) opts.encode(b);
    opts.layer(b, l);
  }
}

/** How a model loads its input (docs/design.md §5). */
export type EncodingSpec =
  /** {@link angleEncoding} of features 0…F−1 on qubits 0…F−1. */
  | { type: 'angle'; rotation: 'ry' | 'rx'; scale: number }
  /** {@link denseAngleEncoding} of features 0…F−1 on qubits 0…⌈F/2⌉−1. */
  | { type: 'dense'; scale: number }
  /** The input is an MPS the model starts from; no gates. */
  | { type: 'mps' };

/**
 * Appends the encoding `spec` for `nFeatures` features (x_0 … x_{nFeatures−1}); appends
 * nothing for `{ type: 'mps' }`, whose input is the initial MPS itself.
 * @throws Error for an unknown type, or when the features do not fit the builder.
 */
export function applyEncoding(b: CircuitBuilder, spec: EncodingSpec, nFeatures: number): void {
  switch (spec.type) {
    case 'angle':
      if (!Number.isInteger(nFeatures) || nFeatures < 1) throw new Error(`applyEncoding: nFeatures must be an integer ≥ 1, got ${nFeatures}`);
      angleEncoding(b, { features: Array.from({ length: nFeatures }, (_, i) => i), rotation: spec.rotation, scale: spec.scale });
      return;
    case 'dense':
      denseAngleEncoding(b, { scale: spec.scale, features: nFeatures });
      return;
    case 'mps':
      return;
    default: {
      const t: unknown = Reflect.get(spec, 'type');
      throw new Error(`applyEncoding: unknown encoding type ${JSON.stringify(t)}; allowed: angle, dense, mps`);
    }
  }
}
