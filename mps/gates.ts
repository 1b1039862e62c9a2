/**
 * The gate library: names, arities, parameter counts and unitary matrices.
 *
 * Conventions (they match OpenQASM 2 `qelib1.inc`, Qiskit and quimb):
 * - RX(θ) = [[c, −i s], [−i s, c]], RY(θ) = [[c, −s], [s, c]], RZ(θ) = diag(e^{−iθ/2}, e^{iθ/2}),
 *   with c = cos(θ/2), s = sin(θ/2).
 * - P(λ) = diag(1, e^{iλ}); U3(θ, φ, λ) = [[c, −e^{iλ} s], [e^{iφ} s, e^{i(φ+λ)} c]].
 * - Two-qubit matrices act on the ordered pair (q0, q1) with basis index 2·b(q0) + b(q1)
 *   (q0 is the more significant bit). CX/CY/CZ/CP/CRY use q0 as the control.
 * - CRY(θ) = |0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ RY(θ) = diag(I, RY(θ)), real (qelib1's `cry`, Qiskit's
 *   CRYGate).
 * - UCRY(θ0, θ1) = |0⟩⟨0| ⊗ RY(θ0) + |1⟩⟨1| ⊗ RY(θ1) = diag(RY(θ0), RY(θ1)), real: the
 *   multiplexed (uniformly controlled) RY with control q0, angle θ_b applied when the control
 *   is |b⟩ (MATLAB's `ucryGate(control, target, [θ0 θ1])`). It equals X_c·CRY(θ0)·X_c·CRY(θ1)
 *   with X_c the X on the control (two controlled rotations as one two-qubit gate).
 * - RXX(θ) = exp(−iθ/2 X⊗X), and likewise RYY, RZZ.
 */
import type { CMatrix } from './complex.js';

/** Specification of a named gate. */
export interface GateSpec {
  /** Number of qubits it acts on (1 or 2). */
  arity: 1 | 2;
  /** Number of real angle parameters. */
  nParams: number;
  /** True when the matrix is real for every parameter value (the real fast path applies). */
  real: boolean;
  /** Builds the unitary for the given parameters. */
  matrix: (p: readonly number[]) => CMatrix;
}

function m2(re: number[], im: number[] | null): CMatrix {
  return { dim: 2, re: Float64Array.from(re), im: im ? Float64Array.from(im) : null };
}
function m4(re: number[], im: number[] | null): CMatrix {
  return { dim: 4, re: Float64Array.from(re), im: im ? Float64Array.from(im) : null };
}
function diag4(re: number[], im: number[] | null): CMatrix {
  const R = new Array<number>(16).fill(0);
  const I = im ? new Array<number>(16).fill(0) : null;
  for (let i = 0; i < 4; i++) {
    R[5 * i] = re[i]!;
    if (I && im) I[5 * i] = im[i]!;
  }
  return m4(R, I);
}
/** cos(θ/2)·I − i sin(θ/2)·P⊗P for a Pauli pair given by its real and imaginary 4×4 planes. */
function pauliPairRotation(theta: number, ppRe: number[], ppIm: number[]): CMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const re = new Array<number>(16);
  const im = new Array<number>(16);
  for (let k = 0; k < 16; k++) {
    const id = k % 5 === 0 ? 1 : 0;
    // (−i s)(a + i b) = s b − i s a
    re[k] = c * id + s * ppIm[k]!;
    im[k] = -s * ppRe[k]!;
  }
  return m4(re, im);
}
const XX_RE = [0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0];
const YY_RE = [0, 0, 0, -1, 0, 0, 1, 0, 0, 1, 0, 0, -1, 0, 0, 0];
const ZZ_RE = [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1];
const ZERO16 = new Array<number>(16).fill(0);
const R2 = Math.SQRT1_2;

/** Every named gate qdistill knows, keyed by lower-case name. */
export const GATES: Readonly<Record<string, GateSpec>> = Object.freeze({
  id: { arity: 1, nParams: 0, real: true, matrix: () => m2([1, 0, 0, 1], null) },
  x: { arity: 1, nParams: 0, real: true, matrix: () => m2([0, 1, 1, 0], null) },
  y: { arity: 1, nParams: 0, real: false, matrix: () => m2([0, 0, 0, 0], [0, -1, 1, 0]) },
  z: { arity: 1, nParams: 0, real: true, matrix: () => m2([1, 0, 0, -1], null) },
  h: { arity: 1, nParams: 0, real: true, matrix: () => m2([R2, R2, R2, -R2], null) },
  s: { arity: 1, nParams: 0, real: false, matrix: () => m2([1, 0, 0, 0], [0, 0, 0, 1]) },
  sdg: { arity: 1, nParams: 0, real: false, matrix: () => m2([1, 0, 0, 0], [0, 0, 0, -1]) },
  t: { arity: 1, nParams: 0, real: false, matrix: () => m2([1, 0, 0, R2], [0, 0, 0, R2]) },
  tdg: { arity: 1, nParams: 0, real: false, matrix: () => m2([1, 0, 0, R2], [0, 0, 0, -R2]) },
  sx: { arity: 1, nParams: 0, real: false, matrix: () => m2([0.5, 0.5, 0.5, 0.5], [0.5, -0.5, -0.5, 0.5]) },
  rx: {
    arity: 1, nParams: 1, real: false,
    matrix: ([t]) => { const c = Math.cos(t! / 2), s = Math.sin(t! / 2); return m2([c, 0, 0, c], [0, -s, -s, 0]); },
  },
  ry: {
    arity: 1, nParams: 1, real: true,
    matrix: ([t]) => { const c = Math.cos(t! / 2), s = Math.sin(t! / 2); return m2([c, -s, s, c], null); },
  },
  rz: {
    arity: 1, nParams: 1, real: false,
    matrix: ([t]) => { const c = Math.cos(t! / 2), s = Math.sin(t! / 2); return m2([c, 0, 0, c], [-s, 0, 0, s]); },
  },
  p: {
    arity: 1, nParams: 1, real: false,
    matrix: ([l]) => m2([1, 0, 0, Math.cos(l!)], [0, 0, 0, Math.sin(l!)]),
  },
  u3: {
    arity: 1, nParams: 3, real: false,
    matrix: ([th, ph, la]) => {
      const c = Math.cos(th! / 2), s = Math.sin(th! / 2);
      return m2(
        [c, -Math.cos(la!) * s, Math.cos(ph!) * s, Math.cos(ph! + la!) * c],
        [0, -Math.sin(la!) * s, Math.sin(ph!) * s, Math.sin(ph! + la!) * c],
      );
    },
  },
  cx: { arity: 2, nParams: 0, real: true, matrix: () => m4([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0], null) },
  cy: {
    arity: 2, nParams: 0, real: false,
    matrix: () => m4([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0]),
  },
  cz: { arity: 2, nParams: 0, real: true, matrix: () => diag4([1, 1, 1, -1], null) },
  cp: { arity: 2, nParams: 1, real: false, matrix: ([l]) => diag4([1, 1, 1, Math.cos(l!)], [0, 0, 0, Math.sin(l!)]) },
  cry: {
    arity: 2, nParams: 1, real: true,
    matrix: ([t]) => { const c = Math.cos(t! / 2), s = Math.sin(t! / 2); return m4([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, c, -s, 0, 0, s, c], null); },
  },
  ucry: {
    arity: 2, nParams: 2, real: true,
    matrix: ([t0, t1]) => {
      const c0 = Math.cos(t0! / 2), s0 = Math.sin(t0! / 2), c1 = Math.cos(t1! / 2), s1 = Math.sin(t1! / 2);
      return m4([c0, -s0, 0, 0, s0, c0, 0, 0, 0, 0, c1, -s1, 0, 0, s1, c1], null);
    },
  },
  swap: { arity: 2, nParams: 0, real: true, matrix: () => m4([1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1], null) },
  rxx: { arity: 2, nParams: 1, real: false, matrix: ([t]) => pauliPairRotation(t!, XX_RE, ZERO16) },
  ryy: { arity: 2, nParams: 1, real: false, matrix: ([t]) => pauliPairRotation(t!, YY_RE, ZERO16) },
  rzz: { arity: 2, nParams: 1, real: false, matrix: ([t]) => pauliPairRotation(t!, ZZ_RE, ZERO16) },
});

/** Aliases accepted on input (OpenQASM spellings), mapped to canonical names. */
export const GATE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  i: 'id', u: 'u3', u1: 'p', phase: 'p', cnot: 'cx', cphase: 'cp', cu1: 'cp',
});

/** Canonical gate name for an input spelling, or `undefined` when unknown. */
export function canonicalGateName(name: string): string | undefined {
  const k = name.toLowerCase();
  if (k in GATES) return k;
  const a = GATE_ALIASES[k];
  return a;
}

/**
 * One gate in a circuit: either a named gate with parameters, or an explicit unitary.
 * `qubits` are site indices (qubit 0 = leftmost site = most significant bit).
 */
export interface GateOp {
  /** Canonical gate name (see {@link GATES}), or `'unitary'` for an explicit matrix. */
  name: string;
  /** Qubits acted on, in the order the matrix expects (q0 = more significant). */
  qubits: number[];
  /** Angle parameters in radians (empty for fixed gates). */
  params: number[];
  /** Explicit unitary (required when `name === 'unitary'`). */
  matrix?: CMatrix;
}

/** A circuit: `n` qubits and an ordered list of gates. */
export interface Circuit {
  /** Number of qubits. */
  n: number;
  /** Gates in application order. */
  ops: GateOp[];
}

/**
 * The unitary matrix of a gate op (2×2 or 4×4, row-major, split planes).
 * @throws Error for an unknown gate, a missing explicit matrix, or a non-finite parameter.
 */
export function gateMatrix(op: GateOp): CMatrix {
  if (op.name === 'unitary') {
    if (!op.matrix) throw new Error(`gate 'unitary' on qubits [${op.qubits.join(', ')}] has no matrix`);
    return op.matrix;
  }
  const spec = GATES[op.name];
  if (!spec) throw new Error(`unknown gate '${op.name}'; allowed: ${Object.keys(GATES).join(', ')}, unitary`);
  op.params.forEach((p, j) => { if (!Number.isFinite(p)) throw new Error(`gate '${op.name}': parameter ${j} must be finite, got ${p}`); });
  return spec.matrix(op.params);
}

/**
 * Checks a circuit: known gates, arity, parameter count, finite angles, qubit indices in
 * range and distinct, unitary matrices of the right size and unitary to 1e-10.
 * @throws Error naming the gate index, the field, the value and what is allowed.
 */
export function validateCircuit(c: Circuit): void {
  if (!Number.isInteger(c.n) || c.n < 1) throw new Error(`circuit.n must be an integer ≥ 1, got ${c.n}`);
  c.ops.forEach((op, k) => {
    const where = `gate ${k} (${op.name})`;
    let arity: number;
    if (op.name === 'unitary') {
      const m = op.matrix;
      if (!m) throw new Error(`${where}: missing matrix`);
      arity = m.dim === 2 ? 1 : m.dim === 4 ? 2 : -1;
      if (arity < 0) throw new Error(`${where}: matrix dim must be 2 or 4, got ${m.dim}`);
      if (m.re.length !== m.dim * m.dim || (m.im && m.im.length !== m.dim * m.dim)) {
        throw new Error(`${where}: matrix planes must have ${m.dim * m.dim} entries`);
      }
      const err = unitarityError(m);
      if (!(err <= 1e-10)) throw new Error(`${where}: matrix is not unitary (‖U†U − I‖_max = ${err.toExponential(2)}, allowed ≤ 1e-10)`);
    } else {
      const spec = GATES[op.name];
      if (!spec) throw new Error(`${where}: unknown gate '${op.name}'; allowed: ${Object.keys(GATES).join(', ')}, unitary`);
      arity = spec.arity;
      if (op.params.length !== spec.nParams) {
        throw new Error(`${where}: expects ${spec.nParams} parameter(s), got ${op.params.length}`);
      }
    }
    for (const [j, p] of op.params.entries()) {
      if (!Number.isFinite(p)) throw new Error(`${where}: parameter ${j} must be finite, got ${p}`);
    }
    if (op.qubits.length !== arity) throw new Error(`${where}: acts on ${arity} qubit(s), got ${op.qubits.length}`);
    for (const q of op.qubits) {
      if (!Number.isInteger(q) || q < 0 || q >= c.n) throw new Error(`${where}: qubit index ${q} out of range [0, ${c.n - 1}]`);
    }
    if (arity === 2 && op.qubits[0] === op.qubits[1]) throw new Error(`${where}: qubits must be distinct, got ${op.qubits[0]} twice`);
  });
}

/** max |(U†U − I)_{ij}| for a square split-plane matrix. */
export function unitarityError(m: CMatrix): number {
  const d = m.dim;
  let worst = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let re = 0, im = 0;
      for (let k = 0; k < d; k++) {
        const ar = m.re[k * d + i]!, ai = m.im ? -m.im[k * d + i]! : 0; // conj(U[k,i])
        const br = m.re[k * d + j]!, bi = m.im ? m.im[k * d + j]! : 0;
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      worst = Math.max(worst, Math.abs(re - (i === j ? 1 : 0)), Math.abs(im));
    }
  }
  return worst;
}
