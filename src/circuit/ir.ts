/**
 * The parameterised circuit IR.
 *
 * A {@link ParamCircuit} is a list of gates whose angles are each one of:
 * - `{ param: k }`: the trainable parameter `params[k]` (optionally times `scale`);
 * - `{ input: i, scale: s }`: s · x_i, the i-th input feature (data encoding);
 * - `{ value: v }`: a constant.
 * Binding parameter and input values gives a plain {@link Circuit} for the simulators.
 *
 * JSON circuit format (`ParamCircuitJson`, see README "Circuit JSON"):
 * ```json
 * { "format": "qdistill-circuit", "version": 1, "n": 2,
 *   "params": [0.1, 0.2], "inputs": 1,
 *   "gates": [ { "gate": "ry", "qubits": [0], "angles": [{ "input": 0, "scale": 3.14159 }] },
 *              { "gate": "ry", "qubits": [0], "angles": [{ "param": 0 }] },
 *              { "gate": "cx", "qubits": [0, 1] },
 *              { "gate": "rz", "qubits": [1], "angles": [{ "param": 1 }] } ] }
 * ```
 */
import { GATES, type Circuit, type GateOp } from '../../mps/gates.js';

/** One gate angle. */
export type Angle =
  | { param: number; scale?: number }
  | { input: number; scale: number }
  | { value: number };

/** A gate of a parameterised circuit. */
export interface ParamGate {
  /** Canonical gate name from the library (see mps/gates.ts). */
  gate: string;
  /** Qubits, q0 first. */
  qubits: number[];
  /** One angle per gate parameter (empty or absent for fixed gates). */
  angles?: Angle[];
}

/** A circuit with trainable parameters and input features. */
export interface ParamCircuit {
  /** Number of qubits. */
  n: number;
  /** Number of trainable parameters. */
  nParams: number;
  /** Number of input features read by the gates (0 when none). */
  nInputs: number;
  /** Gates in application order. */
  gates: ParamGate[];
}

/** Value of one angle for the given parameters and inputs. */
export function angleValue(a: Angle, params: ArrayLike<number>, inputs: ArrayLike<number> | null): number {
  if ('param' in a) return (a.scale ?? 1) * params[a.param]!;
  if ('input' in a) {
    if (!inputs) throw new Error(`gate angle reads input ${a.input} but no inputs were given`);
    return a.scale * inputs[a.input]!;
  }
  return a.value;
}

/** Binds parameters and inputs, returning a plain circuit. */
export function bindCircuit(c: ParamCircuit, params: ArrayLike<number>, inputs: ArrayLike<number> | null = null): Circuit {
  const ops: GateOp[] = c.gates.map((g) => ({ name: g.gate, qubits: g.qubits.slice(), params: (g.angles ?? []).map((a) => angleValue(a, params, inputs)) }));
  return { n: c.n, ops };
}

/**
 * Checks a parameterised circuit: known gates, one angle per gate parameter, parameter and
 * input indices in range, qubits in range and distinct.
 * @throws Error naming the gate index, the field, the value and what is allowed.
 */
export function validateParamCircuit(c: ParamCircuit): void {
  if (!Number.isInteger(c.n) || c.n < 1) throw new Error(`circuit n must be an integer ≥ 1, got ${c.n}`);
  c.gates.forEach((g, k) => {
    const spec = GATES[g.gate];
    const where = `gates[${k}] (${g.gate})`;
    if (!spec) throw new Error(`${where}: unknown gate '${g.gate}'; allowed: ${Object.keys(GATES).join(', ')}`);
    const angles = g.angles ?? [];
    if (angles.length !== spec.nParams) throw new Error(`${where}: expects ${spec.nParams} angle(s), got ${angles.length}`);
    if (!Array.isArray(g.qubits) || g.qubits.length !== spec.arity) throw new Error(`${where}: acts on ${spec.arity} qubit(s), got ${JSON.stringify(g.qubits)}`);
    for (const q of g.qubits) if (!Number.isInteger(q) || q < 0 || q >= c.n) throw new Error(`${where}: qubit ${q} out of range [0, ${c.n - 1}]`);
    if (spec.arity === 2 && g.qubits[0] === g.qubits[1]) throw new Error(`${where}: qubits must be distinct`);
    angles.forEach((a, j) => {
      if ('param' in a) {
        if (!Number.isInteger(a.param) || a.param < 0 || a.param >= c.nParams) throw new Error(`${where}: angles[${j}].param = ${a.param} out of range [0, ${c.nParams - 1}]`);
      } else if ('input' in a) {
        if (!Number.isInteger(a.input) || a.input < 0 || a.input >= c.nInputs) throw new Error(`${where}: angles[${j}].input = ${a.input} out of range [0, ${c.nInputs - 1}]`);
        if (!Number.isFinite(a.scale)) throw new Error(`${where}: angles[${j}].scale must be finite, got ${a.scale}`);
      } else if (!('value' in a) || !Number.isFinite(a.value)) {
        throw new Error(`${where}: angles[${j}] must be {param}, {input, scale} or a finite {value}, got ${JSON.stringify(a)}`);
      }
    });
  });
}
