/**
 * The model specification (JSON-serialisable) and its validation, and the construction of the
 * model's parameterised circuit from it.
 */
import { parseNoiseModel, stateDependentRate, type NoiseModel, type TruncationOptions } from '../../mps/index.js';
import { CircuitBuilder, hardwareEfficient, lightCone, qcnn, ryBrickwork } from '../circuit/ansatz.js';
import { applyEncoding, reuploading, type EncodingSpec } from '../circuit/encoding.js';
import type { ParamCircuit } from '../circuit/ir.js';
import { GRADIENT_CHOICES, type GradientChoice } from './hardware.js';

/** The ansatz of a model. */
export interface AnsatzSpec {
  /** `hardware-efficient` (RY·RZ + brickwork), `ry` (RY + brickwork, real), or `qcnn`. */
  type: 'hardware-efficient' | 'ry' | 'qcnn';
  /** Layers L (brickwork ansätze; ignored by `qcnn`, whose depth is log2 n). */
  layers: number;
  /** Two-qubit entangler (default `cz`). */
  entangler?: 'cz' | 'cx';
  /** Re-upload the encoding before every r-th layer (brickwork ansätze with a feature encoding only, refused otherwise; default: encode once). */
  reuploadEvery?: number;
  /** QCNN: qubits left after pooling (default = number of readouts needed); refused for other ansätze. */
  readoutQubits?: number;
}

/** How readouts are taken. */
export type ReadoutSpec =
  | { type: 'qubits'; qubits?: number[] }
  | { type: 'parity'; groups: number[][] }
  | { type: 'linear'; qubits: number[] };

/** A complete QNN classifier specification. */
export interface ModelSpec {
  /** Number of qubits n. */
  qubits: number;
  /** Number of input features (ignored for the `mps` encoding). */
  features: number;
  /** Number of classes C ≥ 2. */
  classes: number;
  /** Data encoding. */
  encoding: EncodingSpec;
  /** Variational ansatz. */
  ansatz: AnsatzSpec;
  /** Readout and head. */
  readout: ReadoutSpec;
  /** Simulator. */
  backend: 'mps' | 'statevector';
  /**
   * MPS truncation (defaults: no bond cap, cutoff 1e-10). "No bond cap" is spelled by leaving
   * `maxBond` out; `0`, `null` and `Infinity` are refused. Not allowed with the `statevector`
   * backend, which never truncates.
   */
  truncation?: Partial<TruncationOptions>;
  /** Scale of the random initial circuit angles (default 1: uniform in [−π, π]). */
  initScale?: number;
  /**
   * Readouts estimated from this many shots per input and evaluation (integer in [1, 10^6];
   * `mps` backend only); absent: exact readouts. See `hardware.ts`.
   */
  shots?: number;
  /** Gate and readout noise, the `noise` block of `simulate --noise` (`mps` backend only). */
  noise?: NoiseModel;
  /** Quantum trajectories per evaluation under `noise` (integer in [1, 10^5]; default 16). */
  trajectories?: number;
  /**
   * Seed of the shots and trajectories (default 0); training combines it with the run seed
   * (`<run seed>:readout:<samplingSeed>`). Only with `shots` or `noise`.
   */
  samplingSeed?: string | number;
  /**
   * The training gradient under shots or noise (exact readouts always train by the adjoint; a
   * forced method needs the `mps` backend): `auto` (default) runs `trajectory-adjoint` under
   * Pauli-only noise without shots and `parameter-shift` under shots or amplitude damping.
   * `trajectory-adjoint` is refused with shots or amplitude damping. See `hardware.ts` and
   * `trajectory-adjoint.ts`.
   */
  gradient?: GradientChoice;
}

/** Largest `shots` per input a model accepts. */
export const MAX_MODEL_SHOTS = 1_000_000;
/** Largest `trajectories` per evaluation a model accepts. */
export const MAX_MODEL_TRAJECTORIES = 100_000;

/** A model-spec problem: the field path, its value and what is allowed. */
export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
  constructor(readonly path: string, readonly value: unknown, readonly allowed: string) {
    // JSON would print NaN and ±Infinity as null: show numbers as they are
    super(`${path} = ${typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value)}: must be ${allowed}`);
  }
}

function fail(path: string, value: unknown, allowed: string): never {
  throw new ModelSpecError(path, value, allowed);
}
const isInt = (v: unknown, lo: number): v is number => Number.isInteger(v) && (v as number) >= lo;

/**
 * Validates a model spec (unknown keys included) and returns it.
 * @throws ModelSpecError naming the field path, the value and what is allowed; NoiseModelError
 *   (from `parseNoiseModel`) for a bad `noise` block, naming its field.
 */
export function validateModelSpec(s: ModelSpec, path = 'model'): ModelSpec {
  if (!s || typeof s !== 'object') fail(path, s, 'an object');
  const allowed = ['qubits', 'features', 'classes', 'encoding', 'ansatz', 'readout', 'backend', 'truncation', 'initScale', 'shots', 'noise', 'trajectories', 'samplingSeed', 'gradient'];
  for (const k of Object.keys(s)) if (!allowed.includes(k)) throw new Error(`${path}: unknown key '${k}'; allowed: ${allowed.join(', ')}`);
  if (!isInt(s.qubits, 1)) fail(`${path}.qubits`, s.qubits, 'an integer ≥ 1');
  if (!isInt(s.classes, 2)) fail(`${path}.classes`, s.classes, 'an integer ≥ 2');
  if (!['mps', 'statevector'].includes(s.backend)) fail(`${path}.backend`, s.backend, "'mps' or 'statevector'");
  if (s.backend === 'statevector' && s.qubits > 24) fail(`${path}.qubits`, s.qubits, "≤ 24 with backend 'statevector' (use 'mps')");
  const e = s.encoding;
  if (!e || !['angle', 'dense', 'mps'].includes(e.type)) fail(`${path}.encoding.type`, e?.type, "'angle', 'dense' or 'mps'");
  if (e.type !== 'mps') {
    if (!isInt(s.features, 1)) fail(`${path}.features`, s.features, 'an integer ≥ 1');
    const cap = e.type === 'dense' ? 2 * s.qubits : s.qubits;
    if (s.features > cap) fail(`${path}.features`, s.features, `≤ ${cap} for the '${e.type}' encoding on ${s.qubits} qubits`);
    if (!Number.isFinite(e.scale)) fail(`${path}.encoding.scale`, e.scale, 'a finite number');
  }
  const a = s.ansatz;
  if (!a || !['hardware-efficient', 'ry', 'qcnn'].includes(a.type)) fail(`${path}.ansatz.type`, a?.type, "'hardware-efficient', 'ry' or 'qcnn'");
  if (a.type !== 'qcnn' && !isInt(a.layers, 0)) fail(`${path}.ansatz.layers`, a.layers, 'an integer ≥ 0');
  if (a.entangler !== undefined && !['cz', 'cx'].includes(a.entangler)) fail(`${path}.ansatz.entangler`, a.entangler, "'cz' or 'cx'");
  if (a.reuploadEvery !== undefined && !isInt(a.reuploadEvery, 1)) fail(`${path}.ansatz.reuploadEvery`, a.reuploadEvery, 'an integer ≥ 1');
  // options that only one kind of ansatz reads are refused elsewhere, never silently ignored
  if (a.reuploadEvery !== undefined && a.type === 'qcnn') fail(`${path}.ansatz.reuploadEvery`, a.reuploadEvery, "absent with ansatz 'qcnn' (re-uploading applies to the brickwork ansätze 'hardware-efficient' and 'ry')");
  if (a.reuploadEvery !== undefined && e.type === 'mps') fail(`${path}.ansatz.reuploadEvery`, a.reuploadEvery, "absent with encoding 'mps' (there is no feature encoding to re-upload)");
  if (a.readoutQubits !== undefined && a.type !== 'qcnn') fail(`${path}.ansatz.readoutQubits`, a.readoutQubits, "absent unless ansatz.type is 'qcnn' (it sets how many qubits QCNN pooling leaves; choose the readout qubits of other ansätze with readout.qubits)");
  const r = s.readout;
  const qOk = (q: unknown) => isInt(q, 0) && (q as number) < s.qubits;
  if (!r || !['qubits', 'parity', 'linear'].includes(r.type)) fail(`${path}.readout.type`, r?.type, "'qubits', 'parity' or 'linear'");
  if (r.type === 'parity') {
    r.groups.forEach((g, i) => g.forEach((q, j) => { if (!qOk(q)) fail(`${path}.readout.groups[${i}][${j}]`, q, `a qubit in [0, ${s.qubits - 1}]`); }));
  } else if (r.qubits) {
    r.qubits.forEach((q, i) => { if (!qOk(q)) fail(`${path}.readout.qubits[${i}]`, q, `a qubit in [0, ${s.qubits - 1}]`); });
  } else if (r.type === 'linear') fail(`${path}.readout.qubits`, undefined, 'a list of qubits');
  if (s.initScale !== undefined && !(Number.isFinite(s.initScale) && s.initScale >= 0)) fail(`${path}.initScale`, s.initScale, 'a number ≥ 0');
  if (s.shots !== undefined && !(isInt(s.shots, 1) && s.shots <= MAX_MODEL_SHOTS)) fail(`${path}.shots`, s.shots, `an integer in [1, ${MAX_MODEL_SHOTS}]`);
  if (s.noise !== undefined) parseNoiseModel(s.noise, `${path}.noise`);
  if (s.trajectories !== undefined) {
    if (s.noise === undefined) fail(`${path}.trajectories`, s.trajectories, 'absent without noise (trajectories unravel the noise block)');
    if (!(isInt(s.trajectories, 1) && s.trajectories <= MAX_MODEL_TRAJECTORIES)) fail(`${path}.trajectories`, s.trajectories, `an integer in [1, ${MAX_MODEL_TRAJECTORIES}]`);
  }
  if (s.samplingSeed !== undefined) {
    if (s.shots === undefined && s.noise === undefined) fail(`${path}.samplingSeed`, s.samplingSeed, 'absent without shots or noise (nothing is sampled)');
    if (!(typeof s.samplingSeed === 'string' || isInt(s.samplingSeed, 0))) fail(`${path}.samplingSeed`, s.samplingSeed, 'a string or an integer ≥ 0');
  }
  if (s.backend === 'statevector') {
    if (s.shots !== undefined) fail(`${path}.shots`, s.shots, "absent with backend 'statevector' (shots are drawn by the MPS sampler; use backend 'mps')");
    if (s.noise !== undefined) fail(`${path}.noise`, s.noise, "absent with backend 'statevector' (noise runs as trajectories on the MPS; use backend 'mps')");
  }
  if (s.gradient !== undefined) {
    const g = `${path}.gradient`;
    if (!GRADIENT_CHOICES.includes(s.gradient)) fail(g, s.gradient, GRADIENT_CHOICES.map((c) => `'${c}'`).join(', ').replace(/, ([^,]*)$/, ' or $1'));
    if (s.gradient !== 'auto' && s.backend === 'statevector') fail(g, s.gradient, "'auto' with backend 'statevector' (exact readouts train by the adjoint; the forced methods run on the MPS)");
    if (s.gradient === 'trajectory-adjoint') {
      if (s.shots !== undefined) fail(g, s.gradient, `'auto' or 'parameter-shift' with shots (${path}.shots = ${s.shots}: sampled readouts have no adjoint)`);
      const bad = stateDependentRate(s.noise);
      if (bad !== null) fail(g, s.gradient, `'auto' or 'parameter-shift' with ${path}.noise.${bad} > 0 (amplitude damping is state-dependent: a trajectory is no fixed circuit to differentiate)`);
    }
  }
  const t = s.truncation;
  if (t !== undefined) {
    if (s.backend === 'statevector') fail(`${path}.truncation`, t, "absent with backend 'statevector' (exact simulation, no truncation)");
    if (t === null || typeof t !== 'object') fail(`${path}.truncation`, t, 'an object');
    for (const k of Object.keys(t)) if (!['maxBond', 'cutoff', 'minBond'].includes(k)) fail(`${path}.truncation.${k}`, (t as Record<string, unknown>)[k], 'absent (allowed keys: maxBond, cutoff, minBond)');
    if ('maxBond' in t && t.maxBond !== undefined && !isInt(t.maxBond, 1)) fail(`${path}.truncation.maxBond`, t.maxBond, 'an integer ≥ 1 (leave maxBond out for no bond cap)');
    if (t.cutoff !== undefined && !(typeof t.cutoff === 'number' && Number.isFinite(t.cutoff) && t.cutoff >= 0 && t.cutoff < 1)) fail(`${path}.truncation.cutoff`, t.cutoff, 'a number in [0, 1)');
    if (t.minBond !== undefined && !isInt(t.minBond, 1)) fail(`${path}.truncation.minBond`, t.minBond, 'an integer ≥ 1');
  }
  return s;
}

/** Builds the model circuit; returns it with the QCNN's (or default) readout qubits. */
export function buildCircuit(s: ModelSpec): { circuit: ParamCircuit; readoutQubits: number[] } {
  const nIn = s.encoding.type === 'mps' ? 0 : s.features;
  const b = new CircuitBuilder(s.qubits, nIn);
  const entangler = s.ansatz.entangler ?? 'cz';
  const encode = (bb: CircuitBuilder) => applyEncoding(bb, s.encoding, nIn);
  // default readouts: C qubits spread evenly over the chain
  const C = s.classes;
  let readoutQubits = Array.from({ length: C }, (_, c) => Math.min(s.qubits - 1, Math.floor(((c + 0.5) * s.qubits) / C)));
  if (s.ansatz.type === 'qcnn') {
    encode(b);
    readoutQubits = qcnn(b, { readoutQubits: s.ansatz.readoutQubits ?? C, entangler });
  } else {
    const layer = (bb: CircuitBuilder) => (s.ansatz.type === 'ry' ? ryBrickwork(bb, { layers: 1, entangler }) : hardwareEfficient(bb, { layers: 1, entangler }));
    if (s.ansatz.reuploadEvery && s.encoding.type !== 'mps' && s.ansatz.layers > 0) {
      reuploading(b, { layers: s.ansatz.layers, every: s.ansatz.reuploadEvery, encode, layer: (bb) => layer(bb) });
    } else {
      encode(b);
      for (let l = 0; l < s.ansatz.layers; l++) layer(b);
    }
  }
  return { circuit: b.build(), readoutQubits };
}

/** Fraction of qubits inside the backward light cone of the readouts (docs/design.md §5). */
export function lightConeCoverage(circuit: ParamCircuit, readoutQubits: number[]): { qubits: number; fraction: number } {
  const cone = lightCone(circuit, readoutQubits, { mode: 'structural' });
  return { qubits: cone.length, fraction: cone.length / circuit.n };
}
