/**
 * Gate noise: the channels, their Kraus operators, and the `noise` block that says which
 * channels follow which gate.
 *
 * Parametrisations (the names and parameters of Qiskit Aer and PennyLane):
 * - **depolarizing** on k = 1 or 2 qubits, Qiskit Aer's `depolarizing_error(P, k)`:
 *   ρ → (1 − P)·ρ + P·tr(ρ)·I/2^k, with 0 ≤ P ≤ 4^k/(4^k − 1). In Pauli form it is
 *   ρ → (1 − P·(4^k − 1)/4^k)·ρ + (P/4^k)·Σ_{σ ≠ I} σρσ over the 4^k − 1 non-identity Pauli
 *   strings σ. PennyLane's one-qubit `DepolarizingChannel(p)` is the Pauli form
 *   (1 − p)ρ + (p/3)(XρX + YρY + ZρZ), so p = 3P/4 (P = 4p/3).
 * - **amplitude damping** (γ ∈ [0, 1]), Qiskit's `amplitude_damping_error(γ)` and PennyLane's
 *   `AmplitudeDamping(γ)`: K0 = [[1, 0], [0, √(1−γ)]], K1 = [[0, √γ], [0, 0]].
 * - **phase damping** (dephasing, λ ∈ [0, 1]), Qiskit's `phase_damping_error(λ)` and
 *   PennyLane's `PhaseDamping(λ)`: K0 = [[1, 0], [0, √(1−λ)]], K1 = [[0, 0], [0, √λ]]; the
 *   off-diagonal elements of ρ shrink by √(1−λ). The same channel is the phase flip
 *   ρ → (1 − p_z)ρ + p_z·ZρZ with p_z = (1 − √(1−λ))/2, which the trajectories use.
 * - **readout** bit flip (p ∈ [0, 1]): every measured bit is flipped with probability p
 *   (Qiskit's symmetric `ReadoutError([[1−p, p], [p, 1−p]])`), so ⟨Z⟩ read out is (1−2p)·⟨Z⟩.
 *
 * After a gate, its channels act in this order: depolarizing (on all the gate's qubits
 * together), then amplitude damping and then phase damping on each of its qubits (q0 first).
 * Pauli strings on two qubits index their basis like two-qubit gates: 2·b(q0) + b(q1).
 */
import type { CMatrix } from './complex.js';
import { GATES, type GateOp } from './gates.js';

/** The rates of the channels that follow one kind of gate; an absent rate is 0. */
export interface ChannelRates {
  /** Qiskit Aer's depolarizing parameter P on the gate's k qubits, in [0, 4^k/(4^k − 1)]. */
  depolarizing?: number;
  /** Amplitude damping γ on each of the gate's qubits, in [0, 1]. */
  amplitudeDamping?: number;
  /** Phase damping λ on each of the gate's qubits, in [0, 1]. */
  phaseDamping?: number;
}

/**
 * The `noise` block: channel rates after every one-qubit gate, after every two-qubit gate,
 * per gate name (replacing, not adding to, the rates of the gate's kind), and the readout
 * bit-flip probability.
 */
export interface NoiseModel {
  /** Rates after every one-qubit gate. */
  oneQubit?: ChannelRates;
  /** Rates after every two-qubit gate. */
  twoQubit?: ChannelRates;
  /** Rates for named gates (canonical names of the gate table, or `unitary`). */
  gates?: Record<string, ChannelRates>;
  /** Probability of flipping each measured bit, in [0, 1]. */
  readout?: number;
}

/** One channel instance on definite qubits. */
export type Channel =
  | { kind: 'depolarizing'; qubits: number[]; p: number }
  | { kind: 'amplitudeDamping'; qubits: [number]; p: number }
  | { kind: 'phaseDamping'; qubits: [number]; p: number };

const RATE_KEYS = ['depolarizing', 'amplitudeDamping', 'phaseDamping'] as const;
const MODEL_KEYS = ['oneQubit', 'twoQubit', 'gates', 'readout'] as const;

/** Largest depolarizing parameter on k qubits, 4^k/(4^k − 1) (the uniform Pauli channel). */
export function maxDepolarizing(k: number): number {
  return 4 ** k / (4 ** k - 1);
}

function rateRange(key: (typeof RATE_KEYS)[number], arity: 1 | 2 | null): [number, string] {
  if (key !== 'depolarizing') return [1, '[0, 1]'];
  if (arity === 2) return [maxDepolarizing(2), '[0, 16/15]'];
  return [maxDepolarizing(1), '[0, 4/3]']; // one qubit, or `unitary` of either arity (checked per gate)
}

/**
 * A problem of a `noise` block: `path` is the field (for instance `noise.twoQubit.depolarizing`),
 * `value` the value found there, and the message one line naming both and what is allowed.
 */
export class NoiseModelError extends Error {
  override name = 'NoiseModelError';
  constructor(readonly path: string, readonly value: unknown, message: string, readonly allowed: string) {
    super(message);
  }
}

const show = (v: unknown): string => (typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v));

function checkRate(v: unknown, path: string, max: number, range: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
    throw new NoiseModelError(path, v, `${path} = ${show(v)}: must be a number in ${range}`, `a number in ${range}`);
  }
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseRates(v: unknown, path: string, arity: 1 | 2 | null): ChannelRates {
  if (!isObject(v)) throw new NoiseModelError(path, v, `${path} = ${JSON.stringify(v)}: must be an object with keys ${RATE_KEYS.join(', ')}`, `an object with keys ${RATE_KEYS.join(', ')}`);
  const out: ChannelRates = {};
  for (const [k, x] of Object.entries(v)) {
    if (!(RATE_KEYS as readonly string[]).includes(k)) throw new NoiseModelError(`${path}.${k}`, x, `${path}.${k}: unknown key; allowed: ${RATE_KEYS.join(', ')}`, `one of the keys ${RATE_KEYS.join(', ')}`);
    const key = k as (typeof RATE_KEYS)[number];
    const [max, range] = rateRange(key, arity);
    out[key] = checkRate(x, `${path}.${k}`, max, range);
  }
  return out;
}

/**
 * Validates a `noise` block (parsed JSON) and returns it typed.
 * @param where the path printed in errors (for instance `noise` or a file name)
 * @throws NoiseModelError in one line naming the field, the value and the allowed range, for
 *   instance `noise.twoQubit.depolarizing = 2: must be a number in [0, 16/15]`.
 */
export function parseNoiseModel(value: unknown, where = 'noise'): NoiseModel {
  if (!isObject(value)) throw new NoiseModelError(where, value, `${where} must be an object with keys ${MODEL_KEYS.join(', ')}, got ${JSON.stringify(value)}`, `an object with keys ${MODEL_KEYS.join(', ')}`);
  const out: NoiseModel = {};
  for (const [k, v] of Object.entries(value)) {
    const path = `${where}.${k}`;
    if (k === 'oneQubit') out.oneQubit = parseRates(v, path, 1);
    else if (k === 'twoQubit') out.twoQubit = parseRates(v, path, 2);
    else if (k === 'readout') out.readout = checkRate(v, path, 1, '[0, 1]');
    else if (k === 'gates') {
      if (!isObject(v)) throw new NoiseModelError(path, v, `${path} = ${JSON.stringify(v)}: must be an object keyed by gate name`, 'an object keyed by gate name');
      const gates: Record<string, ChannelRates> = {};
      for (const [name, r] of Object.entries(v)) {
        const spec = GATES[name];
        if (!spec && name !== 'unitary') throw new NoiseModelError(`${path}.${name}`, name, `${path}.${name}: unknown gate '${name}'; allowed: ${Object.keys(GATES).join(', ')}, unitary`, `a gate name (${Object.keys(GATES).join(', ')}, unitary)`);
        // `unitary` may act on 1 or 2 qubits: the one-qubit (wider) range here, the exact one per gate in channelsAfterGate
        gates[name] = parseRates(r, `${path}.${name}`, spec ? spec.arity : null);
      }
      out.gates = gates;
    } else throw new NoiseModelError(path, v, `${path}: unknown key; allowed: ${MODEL_KEYS.join(', ')}`, `one of the keys ${MODEL_KEYS.join(', ')}`);
  }
  return out;
}

/**
 * Qiskit Aer's `depolarizing_error(P, k)` after every k-qubit gate, and nothing else: the
 * model of the CLI shorthand `--depolarizing P`.
 * @throws Error when P is outside [0, 16/15] (the two-qubit range; one-qubit gates then get
 *   min(P, 4/3), which is P since 16/15 < 4/3).
 */
export function depolarizingModel(p: number): NoiseModel {
  return parseNoiseModel({ oneQubit: { depolarizing: p }, twoQubit: { depolarizing: p } }, 'depolarizing');
}

function arityOf(op: GateOp): number {
  return op.qubits.length;
}

/** The rates that follow `op`: its name's entry if the model has one, else its kind's. */
export function ratesFor(model: NoiseModel, op: GateOp): ChannelRates {
  const named = model.gates?.[op.name];
  if (named) return named;
  return (arityOf(op) === 1 ? model.oneQubit : model.twoQubit) ?? {};
}

/**
 * The channels that follow gate `op`, in application order (see the module comment);
 * channels with rate 0 are omitted.
 * @throws Error when a per-gate depolarizing rate exceeds the range of the gate's arity.
 */
export function channelsAfterGate(model: NoiseModel, op: GateOp): Channel[] {
  const r = ratesFor(model, op);
  const out: Channel[] = [];
  const dep = r.depolarizing ?? 0;
  if (dep > 0) {
    const max = maxDepolarizing(op.qubits.length);
    if (dep > max) throw new Error(`depolarizing rate ${dep} after gate '${op.name}' on ${op.qubits.length} qubit(s) exceeds ${max}`);
    out.push({ kind: 'depolarizing', qubits: op.qubits.slice(), p: dep });
  }
  for (const q of op.qubits) {
    if ((r.amplitudeDamping ?? 0) > 0) out.push({ kind: 'amplitudeDamping', qubits: [q], p: r.amplitudeDamping! });
    if ((r.phaseDamping ?? 0) > 0) out.push({ kind: 'phaseDamping', qubits: [q], p: r.phaseDamping! });
  }
  return out;
}

/** True when the model has no gate channel with a non-zero rate and no readout error. */
export function isNoiseless(model: NoiseModel | null | undefined): boolean {
  if (!model) return true;
  const zero = (r: ChannelRates | undefined) => !r || RATE_KEYS.every((k) => !(r[k] ?? 0));
  return zero(model.oneQubit) && zero(model.twoQubit) && Object.values(model.gates ?? {}).every(zero) && !(model.readout ?? 0);
}

/** The 2×2 Pauli matrices I, X, Y, Z (index 0…3). */
export const PAULIS: readonly CMatrix[] = [
  { dim: 2, re: Float64Array.of(1, 0, 0, 1), im: null },
  { dim: 2, re: Float64Array.of(0, 1, 1, 0), im: null },
  { dim: 2, re: Float64Array.of(0, 0, 0, 0), im: Float64Array.of(0, -1, 1, 0) },
  { dim: 2, re: Float64Array.of(1, 0, 0, -1), im: null },
];

/** a ⊗ b for 2×2 matrices: a 4×4 matrix in basis 2·(a's index) + (b's index), scaled by c. */
export function kron2(a: CMatrix, b: CMatrix, c = 1): CMatrix {
  const re = new Float64Array(16);
  const im = new Float64Array(16);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) {
    const ar = a.re[i * 2 + j]!, ai = a.im ? a.im[i * 2 + j]! : 0;
    const br = b.re[k * 2 + l]!, bi = b.im ? b.im[k * 2 + l]! : 0;
    re[(2 * i + k) * 4 + 2 * j + l] = c * (ar * br - ai * bi);
    im[(2 * i + k) * 4 + 2 * j + l] = c * (ar * bi + ai * br);
  }
  return { dim: 4, re, im: im.some((x) => x !== 0) ? im : null };
}

function scaled(m: CMatrix, c: number): CMatrix {
  return { dim: m.dim, re: m.re.map((x) => c * x), im: m.im ? m.im.map((x) => c * x) : null };
}

/**
 * The Kraus operators {K_i} of a channel (Σ K_i†K_i = I), 2×2 for one qubit and 4×4 (basis
 * 2·b(q0) + b(q1)) for the two-qubit depolarizing channel, in the parametrisations of the
 * module comment. Depolarizing: √(1 − P(4^k−1)/4^k)·I and √(P/4^k)·σ for each non-identity
 * Pauli string σ (two qubits: σ = P_a ⊗ P_b, index 4a + b).
 */
export function krausOperators(ch: Channel): CMatrix[] {
  const p = ch.p;
  if (ch.kind === 'amplitudeDamping') {
    return [
      { dim: 2, re: Float64Array.of(1, 0, 0, Math.sqrt(1 - p)), im: null },
      { dim: 2, re: Float64Array.of(0, Math.sqrt(p), 0, 0), im: null },
    ];
  }
  if (ch.kind === 'phaseDamping') {
    return [
      { dim: 2, re: Float64Array.of(1, 0, 0, Math.sqrt(1 - p)), im: null },
      { dim: 2, re: Float64Array.of(0, 0, 0, Math.sqrt(p)), im: null },
    ];
  }
  const k = ch.qubits.length;
  const d = 4 ** k;
  const out: CMatrix[] = [];
  const c0 = Math.sqrt(Math.max(0, 1 - (p * (d - 1)) / d));
  const c = Math.sqrt(p / d);
  if (k === 1) {
    out.push(scaled(PAULIS[0]!, c0));
    for (let a = 1; a < 4; a++) out.push(scaled(PAULIS[a]!, c));
  } else {
    out.push(kron2(PAULIS[0]!, PAULIS[0]!, c0));
    for (let s = 1; s < 16; s++) out.push(kron2(PAULIS[s >> 2]!, PAULIS[s & 3]!, c));
  }
  return out;
}
