/**
 * The ansatz library: a small {@link CircuitBuilder} and builders that append trainable
 * layers to it, plus {@link lightCone} (docs/design.md §5 asks each model to report its coverage).
 *
 * Every builder allocates its trainable parameters with `b.newParam()`, in gate order, so a
 * circuit built from encodings and ansätze uses parameter indices 0..P−1, each at least once.
 * Qubit 0 is the leftmost MPS site (docs/design.md §3). Two-qubit gates on non-neighbouring sites
 * (QCNN after pooling) are allowed; the MPS backend routes them with swaps.
 *
 * @example
 * ```ts
 * const b = new CircuitBuilder(4, 4);
 * angleEncoding(b, { features: 'all' });
 * hardwareEfficient(b, { layers: 2, entangler: 'cz' });
 * const c = b.build(); // c.nParams === 16, c.gates.length === 4 + 2·(8 + 3)
 * ```
 */
import { GATES, canonicalGateName } from '../../mps/gates.js';
import { validateParamCircuit, type Angle, type ParamCircuit, type ParamGate } from './ir.js';

/** The two-qubit entangler of a brickwork: CZ (symmetric) or CNOT (first qubit controls). */
export type Entangler = 'cz' | 'cx';

/**
 * Appends gates to a parameterised circuit and allocates trainable parameter indices.
 * `add` validates each gate at once, so an error points at the offending call.
 */
export class CircuitBuilder {
  /** Number of qubits. */
  readonly n: number;
  /** Number of input features the gates may read (x_0 … x_{nInputs−1}). */
  readonly nInputs: number;
  private readonly gates: ParamGate[] = [];
  private next = 0;

  /** @throws Error when `n` is not an integer ≥ 1 or `nInputs` not an integer ≥ 0. */
  constructor(n: number, nInputs = 0) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`CircuitBuilder: n must be an integer ≥ 1, got ${n}`);
    if (!Number.isInteger(nInputs) || nInputs < 0) throw new Error(`CircuitBuilder: nInputs must be an integer ≥ 0, got ${nInputs}`);
    this.n = n;
    this.nInputs = nInputs;
  }

  /** Number of trainable parameters allocated so far. */
  get nParams(): number {
    return this.next;
  }

  /** Number of gates appended so far. */
  get length(): number {
    return this.gates.length;
  }

  /** Allocates the next trainable parameter and returns its index. */
  newParam(): number {
    return this.next++;
  }

  /** Allocates a parameter and returns the angle `{ param }` (times `scale` when given). */
  newAngle(scale?: number): Angle {
    const k = this.newParam();
    return scale === undefined ? { param: k } : { param: k, scale };
  }

  /**
   * Appends a gate. `gate` may be any spelling `canonicalGateName` accepts; `angles` holds
   * one angle per gate parameter (none for fixed gates). Returns `this` for chaining.
   * @throws Error naming the gate, the field, the value and what is allowed.
   */
  add(gate: string, qubits: readonly number[], angles: readonly Angle[] = []): this {
    const name = canonicalGateName(gate);
    const spec = name === undefined ? undefined : GATES[name];
    const where = `CircuitBuilder.add(gate ${this.gates.length} '${gate}')`;
    if (name === undefined || !spec) throw new Error(`${where}: unknown gate; allowed: ${Object.keys(GATES).join(', ')}`);
    if (qubits.length !== spec.arity) throw new Error(`${where}: acts on ${spec.arity} qubit(s), got [${qubits.join(', ')}]`);
    for (const q of qubits) {
      if (!Number.isInteger(q) || q < 0 || q >= this.n) throw new Error(`${where}: qubit ${q} out of range [0, ${this.n - 1}]`);
    }
    if (qubits.length === 2 && qubits[0] === qubits[1]) throw new Error(`${where}: qubits must be distinct, got ${qubits[0]} twice`);
    if (angles.length !== spec.nParams) throw new Error(`${where}: takes ${spec.nParams} angle(s), got ${angles.length}`);
    const copied = angles.map((a, j): Angle => {
      if ('param' in a) {
        if (!Number.isInteger(a.param) || a.param < 0 || a.param >= this.next) {
          throw new Error(`${where}: angles[${j}].param = ${a.param} is not an allocated parameter [0, ${this.next - 1}]; use newParam()`);
        }
        if (a.scale !== undefined && !Number.isFinite(a.scale)) throw new Error(`${where}: angles[${j}].scale must be finite, got ${a.scale}`);
        return a.scale === undefined ? { param: a.param } : { param: a.param, scale: a.scale };
      }
      if ('input' in a) {
        if (!Number.isInteger(a.input) || a.input < 0 || a.input >= this.nInputs) {
          throw new Error(`${where}: angles[${j}].input = ${a.input} out of range [0, ${this.nInputs - 1}] (builder nInputs = ${this.nInputs})`);
        }
        if (!Number.isFinite(a.scale)) throw new Error(`${where}: angles[${j}].scale must be finite, got ${a.scale}`);
        return { input: a.input, scale: a.scale };
      }
      if (!Number.isFinite(a.value)) throw new Error(`${where}: angles[${j}].value must be finite, got ${a.value}`);
      return { value: a.value };
    });
    const g: ParamGate = { gate: name, qubits: qubits.slice() };
    if (copied.length > 0) g.angles = copied;
    this.gates.push(g);
    return this;
  }

  /** The circuit built so far (a deep copy; the builder can keep appending). */
  build(): ParamCircuit {
    const c: ParamCircuit = {
      n: this.n,
      nParams: this.next,
      nInputs: this.nInputs,
      gates: this.gates.map((g) => (g.angles ? { gate: g.gate, qubits: g.qubits.slice(), angles: g.angles.map((a) => ({ ...a })) } : { gate: g.gate, qubits: g.qubits.slice() })),
    };
    validateParamCircuit(c);
    return c;
  }
}

function checkLayers(where: string, layers: number): void {
  if (!Number.isInteger(layers) || layers < 0) throw new Error(`${where}: layers must be an integer ≥ 0, got ${layers}`);
}

function checkEntangler(where: string, e: string): void {
  if (e !== 'cz' && e !== 'cx') throw new Error(`${where}: entangler must be 'cz' or 'cx', got ${JSON.stringify(e)}`);
}

/** The active qubits (default 0..n−1), checked to be distinct and in range. */
function activeQubits(where: string, b: CircuitBuilder, qubits: readonly number[] | undefined): number[] {
  const qs = qubits ? qubits.slice() : Array.from({ length: b.n }, (_, q) => q);
  const seen = new Set<number>();
  for (const q of qs) {
    if (!Number.isInteger(q) || q < 0 || q >= b.n) throw new Error(`${where}: qubit ${q} out of range [0, ${b.n - 1}]`);
    if (seen.has(q)) throw new Error(`${where}: qubits must be distinct, got ${q} twice`);
    seen.add(q);
  }
  return qs;
}

/**
 * One brickwork entangling layer on the ordered list `qs`: the gate on (qs[0], qs[1]),
 * (qs[2], qs[3]), …, then on (qs[1], qs[2]), (qs[3], qs[4]), … (docs/design.md §7 order).
 */
export function entanglingBrickwork(b: CircuitBuilder, qs: readonly number[], entangler: Entangler): void {
  checkEntangler('entanglingBrickwork', entangler);
  for (const start of [0, 1]) {
    for (let i = start; i + 1 < qs.length; i += 2) b.add(entangler, [qs[i]!, qs[i + 1]!]);
  }
}

/** Options of {@link hardwareEfficient}. */
export interface HardwareEfficientOptions {
  /** Number of layers L (integer ≥ 0). */
  layers: number;
  /** Two-qubit entangler of the brickwork. */
  entangler: Entangler;
  /** Qubits it acts on, in brickwork order (default: all, 0..n−1). */
  qubits?: number[];
}

/**
 * Hardware-efficient ansatz (Kandala et al., "Hardware-efficient variational quantum
 * eigensolver for small molecules and quantum magnets", Nature 549, 242 (2017)): each of the L
 * layers applies RY(θ) then RZ(θ') (time order, fresh parameters) on every qubit, then a
 * brickwork of CZ or CNOT on (q0,q1),(q2,q3),… then (q1,q2),(q3,q4),….
 * Appends L·(2m + m − 1) gates and 2·L·m parameters for m active qubits. RZ is complex, so this
 * ansatz leaves the real fast path; see {@link ryBrickwork} for a real one.
 */
export function hardwareEfficient(b: CircuitBuilder, opts: HardwareEfficientOptions): void {
  const where = 'hardwareEfficient';
  checkLayers(where, opts.layers);
  checkEntangler(where, opts.entangler);
  const qs = activeQubits(where, b, opts.qubits);
  for (let l = 0; l < opts.layers; l++) {
    for (const q of qs) {
      b.add('ry', [q], [b.newAngle()]);
      b.add('rz', [q], [b.newAngle()]);
    }
    entanglingBrickwork(b, qs, opts.entangler);
  }
}

/** Options of {@link ryBrickwork}. */
export interface RyBrickworkOptions {
  /** Number of layers L (integer ≥ 0). */
  layers: number;
  /** Two-qubit entangler of the brickwork. */
  entangler: Entangler;
  /** Qubits it acts on, in brickwork order (default: all, 0..n−1). */
  qubits?: number[];
}

/**
 * Real brickwork ansatz: each of the L layers applies RY(θ) on every qubit, then CZ or CNOT on
 * (q0,q1),(q2,q3),… then (q1,q2),(q3,q4),…. This is the trainable form of the "Brickwork RY-CZ"
 * reference family (docs/design.md §7), and the real-amplitude layered ansatz of Grant et al.,
 * npj Quantum Inf. 4, 65 (2018) and Cerezo et al., Nat. Commun. 12, 1791 (2021). Every gate
 * is real, so on real inputs the simulation stays on the real fast path (docs/design.md §3).
 * Appends L·(m + m − 1) gates and L·m parameters for m active qubits.
 */
export function ryBrickwork(b: CircuitBuilder, opts: RyBrickworkOptions): void {
  const where = 'ryBrickwork';
  checkLayers(where, opts.layers);
  checkEntangler(where, opts.entangler);
  const qs = activeQubits(where, b, opts.qubits);
  for (let l = 0; l < opts.layers; l++) {
    for (const q of qs) b.add('ry', [q], [b.newAngle()]);
    entanglingBrickwork(b, qs, opts.entangler);
  }
}

/** Options of {@link qcnn}. */
export interface QcnnOptions {
  /** Qubits left for readout when pooling stops (integer ≥ 1, default 1). */
  readoutQubits?: number;
  /** Entangler inside the convolution blocks (default `'cz'`). */
  entangler?: Entangler;
  /**
   * Single-qubit rotations of a convolution block: `'ry'` (default; the QCNN stays real) or
   * `'ryrz'` (RY then RZ, fresh parameters each).
   */
  rotations?: 'ry' | 'ryrz';
  /** Qubits it acts on, in chain order (default: all, 0..n−1). */
  qubits?: number[];
}

/**
 * A quantum convolutional neural network in the spirit of Cong, Choi & Lukin, "Quantum
 * convolutional neural networks", Nat. Phys. 15, 1273 (2019).
 *
 * While more than `readoutQubits` qubits are active (m of them, a_0 … a_{m−1}):
 * - **Convolution:** a two-qubit block on (a_0,a_1),(a_2,a_3),… then (a_1,a_2),(a_3,a_4),….
 *   The block is R(θ1)⊗R(θ2), the entangler on the pair, then R(θ3)⊗R(θ4), where R is RY
 *   (or RY·RZ with `rotations: 'ryrz'`): 4 (or 8) parameters per block. Blocks do not share
 *   parameters (no translation invariance), which only adds expressivity.
 * - **Pooling:** pair (a_{2i}, a_{2i+1}); the right qubit is dropped into the left one by two
 *   controlled rotations, RY(φ1) on the kept qubit if the dropped one is |1⟩ and RY(φ2) if it
 *   is |0⟩, with φ1 and φ2 two fresh parameters in that order. The two rotations are one
 *   library gate, the multiplexed rotation `ucry` on (dropped, kept) with angles (φ2, φ1)
 *   (|0⟩⟨0|⊗RY(φ2) + |1⟩⟨1|⊗RY(φ1), mps/gates.ts), so a pooling costs one two-qubit gate,
 *   routed once. It is
 *   exactly the gate sequence CRY(φ1), X on the dropped qubit, CRY(φ2), X on the dropped qubit,
 *   and each CRY(θ) exactly RY(θ/2)·CX·RY(−θ/2)·CX on the kept qubit (the same function of
 *   the same parameters; under gate noise the channels follow one two-qubit gate instead).
 *   Since the dropped qubit is never touched again, this equals Cong et al.'s "measure, then
 *   rotate the neighbour conditioned on the outcome" by the deferred-measurement
 *   principle. Pooling stops early so that exactly `readoutQubits` remain; an odd qubit out
 *   stays active.
 * - When pooling has stopped, a final convolution layer acts on the readout qubits if there
 *   are two or more (the "fully connected" layer).
 *
 * The depth is O(log m), and the light cone of the readout covers every active qubit.
 * @returns the readout qubit indices, in chain order.
 */
export function qcnn(b: CircuitBuilder, opts: QcnnOptions = {}): number[] {
  const where = 'qcnn';
  const readout = opts.readoutQubits ?? 1;
  const entangler = opts.entangler ?? 'cz';
  const rotations = opts.rotations ?? 'ry';
  checkEntangler(where, entangler);
  if (rotations !== 'ry' && rotations !== 'ryrz') throw new Error(`${where}: rotations must be 'ry' or 'ryrz', got ${JSON.stringify(rotations)}`);
  let active = activeQubits(where, b, opts.qubits);
  if (!Number.isInteger(readout) || readout < 1 || readout > active.length) {
    throw new Error(`${where}: readoutQubits must be an integer in [1, ${active.length}], got ${readout}`);
  }
  const rot = (q: number): void => {
    b.add('ry', [q], [b.newAngle()]);
    if (rotations === 'ryrz') b.add('rz', [q], [b.newAngle()]);
  };
  const convolution = (qs: number[]): void => {
    for (const start of [0, 1]) {
      for (let i = start; i + 1 < qs.length; i += 2) {
        const p = qs[i]!, q = qs[i + 1]!;
        rot(p); rot(q);
        b.add(entangler, [p, q]);
        rot(p); rot(q);
      }
    }
  };
  while (active.length > readout) {
    convolution(active);
    const pools = Math.min(Math.floor(active.length / 2), active.length - readout);
    const kept: number[] = [];
    for (let i = 0; i < active.length; i++) {
      if (i % 2 === 0 && i / 2 < pools) {
        const keep = active[i]!, drop = active[i + 1]!;
        const phi1 = b.newAngle(), phi2 = b.newAngle();
        b.add('ucry', [drop, keep], [phi2, phi1]);
        kept.push(keep);
        i++; // skip the dropped qubit
      } else kept.push(active[i]!);
    }
    active = kept;
  }
  if (active.length >= 2) convolution(active);
  return active;
}

/** True when the gate's matrix is diagonal for every parameter (it commutes with Z). */
function isDiagonalGate(name: string): boolean {
  const spec = GATES[name];
  if (!spec) return false;
  const m = spec.matrix([0.7, 1.3, 0.4].slice(0, spec.nParams));
  for (let i = 0; i < m.dim; i++) {
    for (let j = 0; j < m.dim; j++) {
      if (i !== j && (m.re[i * m.dim + j] !== 0 || (m.im !== null && m.im[i * m.dim + j] !== 0))) return false;
    }
  }
  return true;
}

/** Options of {@link lightCone}. */
export interface LightConeOptions {
  /**
   * `'heisenberg'` (default): skip gates that commute with the evolved observable (see
   * {@link lightCone}). `'structural'`: every two-qubit gate touching the cone joins its
   * qubits, whatever the gate (the plain causal cone of the gate graph).
   */
  mode?: 'heisenberg' | 'structural';
}

/**
 * The backward causal cone of ⟨Z_q⟩, q ∈ `readout`: the qubits whose initial state can
 * influence those expectations, sorted ascending. Walks the gates backwards (Heisenberg
 * picture), tracking the support of the evolved observable and, per qubit, whether its part
 * still commutes with Z (is diagonal in the computational basis):
 * - a diagonal gate (CZ, CP, RZZ, RZ, P, Z, S, T, …) whose support qubits are all still
 *   diagonal commutes with the observable and is skipped;
 * - any other two-qubit gate touching the support adds both of its qubits (a diagonal gate
 *   keeps its qubits' flags and marks a new qubit diagonal, since D·(O⊗I)·D† commutes with
 *   Z on it; a non-diagonal gate clears both flags);
 * - a non-diagonal one-qubit gate clears its qubit's flag.
 * The result is a superset of the true dependence (it ignores cancellations between angles).
 *
 * In a CNOT brickwork of depth L (two entangling sublayers per layer) a middle qubit's cone
 * has 4L qubits, the "about 4L" of docs/design.md §5; `mode: 'structural'` gives the same for
 * CZ. Because CZ commutes with Z, the Heisenberg cone of an RY-CZ brickwork is only 2L − 1
 * qubits: each layer's trailing CZs and half of its leading ones drop out.
 * @throws Error when a readout qubit is out of range.
 */
export function lightCone(circuit: ParamCircuit, readout: readonly number[], opts: LightConeOptions = {}): number[] {
  const mode = opts.mode ?? 'heisenberg';
  if (mode !== 'heisenberg' && mode !== 'structural') throw new Error(`lightCone: mode must be 'heisenberg' or 'structural', got ${JSON.stringify(mode)}`);
  for (const q of readout) {
    if (!Number.isInteger(q) || q < 0 || q >= circuit.n) throw new Error(`lightCone: readout qubit ${q} out of range [0, ${circuit.n - 1}]`);
  }
  const inCone = new Uint8Array(circuit.n);
  const diagonal = new Uint8Array(circuit.n);
  for (const q of readout) { inCone[q] = 1; diagonal[q] = 1; }
  const diagCache = new Map<string, boolean>();
  const isDiag = (name: string): boolean => {
    let d = diagCache.get(name);
    if (d === undefined) { d = isDiagonalGate(name); diagCache.set(name, d); }
    return d;
  };
  for (let k = circuit.gates.length - 1; k >= 0; k--) {
    const g = circuit.gates[k]!;
    const touched = g.qubits.filter((q) => inCone[q] === 1);
    if (touched.length === 0) continue;
    const diag = mode === 'heisenberg' && isDiag(g.gate);
    if (diag && touched.every((q) => diagonal[q] === 1)) continue;
    for (const q of g.qubits) {
      if (diag) {
        if (inCone[q] === 0) diagonal[q] = 1; // D·(O ⊗ I)·D† is diagonal on the new qubit
      } else diagonal[q] = 0;
      inCone[q] = 1;
    }
  }
  const out: number[] = [];
  for (let q = 0; q < circuit.n; q++) if (inCone[q] === 1) out.push(q);
  return out;
}
