/**
 * The JSON circuit format: parsing with full validation, writing, and OpenQASM export.
 *
 * ```json
 * { "format": "qdistill-circuit", "version": 1, "n": 2,
 *   "params": [0.1, 0.2], "inputs": 1,
 *   "gates": [ { "gate": "ry", "qubits": [0], "angles": [{ "input": 0, "scale": 3.14159 }] },
 *              { "gate": "ry", "qubits": [0], "angles": [{ "param": 0 }] },
 *              { "gate": "cx", "qubits": [0, 1] },
 *              { "gate": "rz", "qubits": [1], "angles": [{ "param": 1, "scale": -0.5 }] } ] }
 * ```
 * - `params` holds the initial values of the trainable parameters; its length is `nParams`.
 * - `inputs` is the number of input features the gates may read (absent = 0).
 * - `gate` accepts the aliases of `GATE_ALIASES` (`cnot`, `u1`, …) and any letter case; the
 *   parsed circuit holds canonical names.
 * - An angle is exactly one of `{ param, scale? }`, `{ input, scale? }` (scale defaults to 1)
 *   or `{ value }`. Fixed gates may omit `angles` or give `[]`.
 * - Qubit 0 is the leftmost MPS site and the most significant bit (docs/design.md §3).
 *
 * Unknown keys are rejected everywhere. Every error names the JSON path, the value and what
 * is allowed (docs/design.md §8), e.g. `gates[3].qubits[1]: qubit 9 out of range [0, 3]`.
 */
import { GATES, GATE_ALIASES, canonicalGateName } from '../../mps/gates.js';
import { bindCircuit, validateParamCircuit, type Angle, type ParamCircuit, type ParamGate } from './ir.js';
import { toQasm } from './qasm.js';

/** The value of the top-level `format` key. */
export const CIRCUIT_JSON_FORMAT = 'qdistill-circuit';
/** The only supported `version`. */
export const CIRCUIT_JSON_VERSION = 1;

/** One angle as written in JSON. */
export type AngleJson = { param: number; scale?: number } | { input: number; scale?: number } | { value: number };

/** One gate as written in JSON. */
export interface GateJson {
  /** Gate name (canonical or an alias). */
  gate: string;
  /** Qubits, q0 first. */
  qubits: number[];
  /** One angle per gate parameter; absent for fixed gates. */
  angles?: AngleJson[];
}

/** The JSON document of a parameterised circuit. */
export interface CircuitJson {
  /** Always {@link CIRCUIT_JSON_FORMAT}. */
  format: typeof CIRCUIT_JSON_FORMAT;
  /** Always {@link CIRCUIT_JSON_VERSION}. */
  version: typeof CIRCUIT_JSON_VERSION;
  /** Number of qubits (≥ 1). */
  n: number;
  /** Initial values of the trainable parameters (radians before `scale`). */
  params: number[];
  /** Number of input features; absent when 0. */
  inputs?: number;
  /** Gates in application order. */
  gates: GateJson[];
}

/** A validation error in a circuit JSON document; `path` is the JSON path (`''` = root). */
export class CircuitJsonError extends Error {
  /** JSON path of the offending value, e.g. `gates[3].qubits[1]`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = 'CircuitJsonError';
    this.path = path;
  }
}

const TOP_KEYS = ['format', 'version', 'n', 'params', 'inputs', 'gates'] as const;
const GATE_KEYS = ['gate', 'qubits', 'angles'] as const;
const ANGLE_KEYS = ['param', 'input', 'value', 'scale'] as const;

/** A short printable form of any JSON-ish value (strings quoted, NaN/Infinity spelled out). */
function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, message: string): never {
  throw new CircuitJsonError(path, message);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      fail(path, `unknown key '${k}' at ${path === '' ? 'top level' : path}; allowed: ${allowed.join(', ')}`);
    }
  }
}

function finiteNumber(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `${path} must be a finite number, got ${show(v)}`);
  return v;
}

function integerAtLeast(v: unknown, lo: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo) fail(path, `${path} must be an integer ≥ ${lo}, got ${show(v)}`);
  return v;
}

/** An index in [0, count − 1]; `what` names it in the message (`qubit`, `parameter`, `input`). */
function indexIn(v: unknown, count: number, what: string, path: string, hint: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, `${path}: ${what} index must be an integer, got ${show(v)}`);
  if (v < 0 || v >= count) {
    const range = count > 0 ? `[0, ${count - 1}]` : '(none declared)';
    fail(path, `${path}: ${what} ${v} out of range ${range}${hint}`);
  }
  return v;
}

function parseAngle(a: unknown, path: string, nParams: number, nInputs: number): Angle {
  if (!isRecord(a)) fail(path, `${path} must be an object {param, scale?}, {input, scale?} or {value}, got ${show(a)}`);
  checkKeys(a, ANGLE_KEYS, path);
  const kinds = (['param', 'input', 'value'] as const).filter((k) => k in a);
  if (kinds.length !== 1) {
    fail(path, `${path} must have exactly one of 'param', 'input', 'value', got ${show(a)}`);
  }
  const kind = kinds[0]!;
  let scale: number | undefined;
  if ('scale' in a) {
    if (kind === 'value') fail(`${path}.scale`, `${path}.scale is not allowed with 'value' (write the scaled constant), got ${show(a)}`);
    scale = finiteNumber(a.scale, `${path}.scale`);
  }
  if (kind === 'param') {
    const k = indexIn(a.param, nParams, 'parameter', `${path}.param`, ` (top-level params has ${nParams} entries)`);
    return scale === undefined ? { param: k } : { param: k, scale };
  }
  if (kind === 'input') {
    const i = indexIn(a.input, nInputs, 'input', `${path}.input`, ` (top-level inputs = ${nInputs}${nInputs === 0 ? '; declare "inputs"' : ''})`);
    return { input: i, scale: scale ?? 1 };
  }
  return { value: finiteNumber(a.value, `${path}.value`) };
}

function parseGate(g: unknown, path: string, n: number, nParams: number, nInputs: number): ParamGate {
  if (!isRecord(g)) fail(path, `${path} must be an object {gate, qubits, angles?}, got ${show(g)}`);
  checkKeys(g, GATE_KEYS, path);
  if (!('gate' in g)) fail(path, `missing key 'gate' at ${path}`);
  if (!('qubits' in g)) fail(path, `missing key 'qubits' at ${path}`);
  if (typeof g.gate !== 'string') fail(`${path}.gate`, `${path}.gate must be a string, got ${show(g.gate)}`);
  const name = canonicalGateName(g.gate);
  const spec = name === undefined ? undefined : GATES[name];
  if (name === undefined || spec === undefined) {
    fail(`${path}.gate`, `${path}.gate: unknown gate ${show(g.gate)}; allowed: ${Object.keys(GATES).join(', ')} (aliases: ${Object.keys(GATE_ALIASES).join(', ')})`);
  }
  const qp = `${path}.qubits`;
  if (!Array.isArray(g.qubits)) fail(qp, `${qp} must be an array of qubit indices, got ${show(g.qubits)}`);
  if (g.qubits.length !== spec.arity) fail(qp, `${qp}: gate '${name}' acts on ${spec.arity} qubit(s), got ${g.qubits.length} (${show(g.qubits)})`);
  const qubits = g.qubits.map((q: unknown, j) => indexIn(q, n, 'qubit', `${qp}[${j}]`, ''));
  if (qubits.length === 2 && qubits[0] === qubits[1]) fail(qp, `${qp}: qubits must be distinct, got ${show(qubits)}`);
  const ap = `${path}.angles`;
  let rawAngles: unknown[] = [];
  if ('angles' in g) {
    if (!Array.isArray(g.angles)) fail(ap, `${ap} must be an array, got ${show(g.angles)}`);
    rawAngles = g.angles;
  }
  if (rawAngles.length !== spec.nParams) {
    fail(ap, `${ap}: gate '${name}' takes ${spec.nParams} angle(s), got ${rawAngles.length}`);
  }
  const out: ParamGate = { gate: name, qubits };
  if (spec.nParams > 0) out.angles = rawAngles.map((a, j) => parseAngle(a, `${ap}[${j}]`, nParams, nInputs));
  return out;
}

/**
 * Parses and validates a circuit JSON document (text, or an already parsed value).
 *
 * Checks every field: the format tag and version, `n` ≥ 1, finite `params`, `inputs` ≥ 0,
 * known gate names (aliases accepted), qubit counts, qubit indices in [0, n − 1] and distinct,
 * one angle per gate parameter, parameter and input indices in range, finite scales and values,
 * and no unknown keys at any level.
 * @throws CircuitJsonError whose message names the JSON path, the value and what is allowed.
 * @example
 * ```ts
 * const { circuit, params } = parseCircuitJson(
 *   '{"format":"qdistill-circuit","version":1,"n":2,"params":[0.5],' +
 *   '"gates":[{"gate":"RY","qubits":[0],"angles":[{"param":0}]},{"gate":"cnot","qubits":[0,1]}]}');
 * circuit.gates[1].gate; // 'cx'
 * params[0];             // 0.5
 * ```
 */
export function parseCircuitJson(text: string | unknown): { circuit: ParamCircuit; params: Float64Array } {
  let doc: unknown = text;
  if (typeof text === 'string') {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      fail('', `circuit JSON is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!isRecord(doc)) fail('', `circuit JSON must be an object, got ${show(doc)}`);
  checkKeys(doc, TOP_KEYS, '');
  for (const k of ['format', 'version', 'n', 'params', 'gates'] as const) {
    if (!(k in doc)) fail('', `missing key '${k}' at top level; required: format, version, n, params, gates`);
  }
  if (doc.format !== CIRCUIT_JSON_FORMAT) fail('format', `format must be "${CIRCUIT_JSON_FORMAT}", got ${show(doc.format)}`);
  if (doc.version !== CIRCUIT_JSON_VERSION) fail('version', `version must be ${CIRCUIT_JSON_VERSION}, got ${show(doc.version)}`);
  const n = integerAtLeast(doc.n, 1, 'n');
  if (!Array.isArray(doc.params)) fail('params', `params must be an array of finite numbers, got ${show(doc.params)}`);
  const params = Float64Array.from(doc.params.map((v: unknown, k) => finiteNumber(v, `params[${k}]`)));
  const nInputs = 'inputs' in doc ? integerAtLeast(doc.inputs, 0, 'inputs') : 0;
  if (!Array.isArray(doc.gates)) fail('gates', `gates must be an array, got ${show(doc.gates)}`);
  const gates = doc.gates.map((g: unknown, k) => parseGate(g, `gates[${k}]`, n, params.length, nInputs));
  return { circuit: { n, nParams: params.length, nInputs, gates }, params };
}

function checkParams(where: string, circuit: ParamCircuit, params: ArrayLike<number>): void {
  if (params.length !== circuit.nParams) throw new Error(`${where}: params has ${params.length} entries, circuit has nParams = ${circuit.nParams}`);
  for (let k = 0; k < params.length; k++) {
    if (!Number.isFinite(params[k])) throw new Error(`${where}: params[${k}] must be a finite number, got ${params[k]}`);
  }
}

function angleToJson(a: Angle): AngleJson {
  if ('param' in a) return a.scale === undefined ? { param: a.param } : { param: a.param, scale: a.scale };
  if ('input' in a) return { input: a.input, scale: a.scale };
  return { value: a.value };
}

/**
 * Writes a parameterised circuit and its parameter values as a JSON document, the inverse
 * of {@link parseCircuitJson}: `parseCircuitJson(JSON.stringify(circuitToJson(c, p)))` gives
 * back `c` (with canonical gate names) and `p`.
 * @throws Error when the circuit is invalid or `params` has the wrong length or a non-finite entry.
 */
export function circuitToJson(circuit: ParamCircuit, params: ArrayLike<number>): CircuitJson {
  validateParamCircuit(circuit);
  checkParams('circuitToJson', circuit, params);
  const gates: GateJson[] = circuit.gates.map((g) => {
    const out: GateJson = { gate: g.gate, qubits: g.qubits.slice() };
    if (g.angles && g.angles.length > 0) out.angles = g.angles.map(angleToJson);
    return out;
  });
  // Key order as documented: format, version, n, params, inputs, gates.
  const head = { format: CIRCUIT_JSON_FORMAT, version: CIRCUIT_JSON_VERSION, n: circuit.n, params: Array.from(params) } as const;
  return circuit.nInputs > 0 ? { ...head, inputs: circuit.nInputs, gates } : { ...head, gates };
}

/**
 * Binds the parameter values (and input features, when the circuit reads any) and writes the
 * result as OpenQASM 2.0 via `toQasm` (qdistill qubit k = `q[k]`; see ./qasm.ts for the
 * bit-order note).
 * @throws Error when the circuit is invalid, `params` has the wrong length, or the circuit
 *   reads inputs and none (or too few) are given.
 */
export function exportQasm(circuit: ParamCircuit, params: ArrayLike<number>, inputs?: ArrayLike<number>): string {
  validateParamCircuit(circuit);
  checkParams('exportQasm', circuit, params);
  if (circuit.nInputs > 0) {
    if (inputs === undefined) throw new Error(`exportQasm: the circuit reads ${circuit.nInputs} input feature(s); pass inputs`);
    if (inputs.length !== circuit.nInputs) throw new Error(`exportQasm: inputs has ${inputs.length} entries, circuit has nInputs = ${circuit.nInputs}`);
    for (let i = 0; i < inputs.length; i++) {
      if (!Number.isFinite(inputs[i])) throw new Error(`exportQasm: inputs[${i}] must be a finite number, got ${inputs[i]}`);
    }
  }
  return toQasm(bindCircuit(circuit, params, inputs ?? null));
}
