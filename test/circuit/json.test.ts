import { describe, expect, it } from 'vitest';
import { CircuitJsonError, circuitToJson, exportQasm, parseCircuitJson } from '../../src/circuit/json.js';
import { CircuitBuilder, hardwareEfficient, qcnn } from '../../src/circuit/ansatz.js';
import { angleEncoding } from '../../src/circuit/encoding.js';
import { bindCircuit } from '../../src/circuit/ir.js';
import { parseQasm } from '../../src/circuit/qasm.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { makeRng } from '../../mps/rng.js';

const TOL = { exact: 1e-12 } as const;

/** The example of the ir.ts / json.ts TSDoc. */
const EXAMPLE = {
  format: 'qdistill-circuit', version: 1, n: 2,
  params: [0.1, 0.2], inputs: 1,
  gates: [
    { gate: 'ry', qubits: [0], angles: [{ input: 0, scale: 3.14159 }] },
    { gate: 'ry', qubits: [0], angles: [{ param: 0 }] },
    { gate: 'cx', qubits: [0, 1] },
    { gate: 'rz', qubits: [1], angles: [{ param: 1, scale: -0.5 }] },
  ],
};

type Doc = Record<string, unknown> & { gates: Record<string, unknown>[] };
function example(): Doc {
  const d: Doc = structuredClone(EXAMPLE);
  return d;
}

function seededModel(): { b: CircuitBuilder; params: Float64Array; inputs: Float64Array } {
  const b = new CircuitBuilder(6, 6);
  angleEncoding(b, { features: 'all' });
  hardwareEfficient(b, { layers: 2, entangler: 'cx' });
  qcnn(b, { readoutQubits: 2 });
  b.add('u3', [2], [{ value: 0.3 }, b.newAngle(2), { input: 5, scale: -1.5 }]).add('cp', [0, 5], [{ value: -0.25 }]);
  const rng = makeRng('json-model');
  const params = Float64Array.from({ length: b.nParams }, () => rng() * 2 * Math.PI - Math.PI);
  const inputs = Float64Array.from({ length: 6 }, () => rng());
  return { b, params, inputs };
}

describe('parseCircuitJson', () => {
  it('parses the documented example, from text or from a value', () => {
    const fromText = parseCircuitJson(JSON.stringify(EXAMPLE));
    const fromValue = parseCircuitJson(example());
    expect(fromText).toEqual(fromValue);
    expect(fromText.params).toEqual(Float64Array.from([0.1, 0.2]));
    expect(fromText.circuit).toEqual({
      n: 2, nParams: 2, nInputs: 1,
      gates: [
        { gate: 'ry', qubits: [0], angles: [{ input: 0, scale: 3.14159 }] },
        { gate: 'ry', qubits: [0], angles: [{ param: 0 }] },
        { gate: 'cx', qubits: [0, 1] },
        { gate: 'rz', qubits: [1], angles: [{ param: 1, scale: -0.5 }] },
      ],
    });
  });

  it('accepts aliases and any case, empty angles for fixed gates, input scale defaulting to 1', () => {
    const doc = example();
    doc.gates = [
      { gate: 'CNOT', qubits: [1, 0], angles: [] },
      { gate: 'u1', qubits: [1], angles: [{ input: 0 }] },
      { gate: 'Ry', qubits: [0], angles: [{ value: -1 }] },
    ];
    const { circuit } = parseCircuitJson(doc);
    expect(circuit.gates).toEqual([
      { gate: 'cx', qubits: [1, 0] },
      { gate: 'p', qubits: [1], angles: [{ input: 0, scale: 1 }] },
      { gate: 'ry', qubits: [0], angles: [{ value: -1 }] },
    ]);
  });

  it('absent inputs means 0', () => {
    const doc = example();
    delete doc.inputs;
    doc.gates = doc.gates.slice(1);
    expect(parseCircuitJson(doc).circuit.nInputs).toBe(0);
  });

  // Each case mutates a fresh copy of the example; the message must hold the path, the value
  // and what is allowed.
  it.each<[string, (d: Doc) => void, string, string]>([
    ['unknown top-level key', (d) => { d.gatez = []; }, '', "unknown key 'gatez' at top level; allowed: format, version, n, params, inputs, gates"],
    ['missing key', (d) => { Reflect.deleteProperty(d, 'gates'); }, '', "missing key 'gates' at top level; required: format, version, n, params, gates"],
    ['wrong format', (d) => { d.format = 'qiskit'; }, 'format', 'format must be "qdistill-circuit", got "qiskit"'],
    ['wrong version', (d) => { d.version = 2; }, 'version', 'version must be 1, got 2'],
    ['n zero', (d) => { d.n = 0; }, 'n', 'n must be an integer ≥ 1, got 0'],
    ['n fractional', (d) => { d.n = 2.5; }, 'n', 'n must be an integer ≥ 1, got 2.5'],
    ['params not an array', (d) => { d.params = 3; }, 'params', 'params must be an array of finite numbers, got 3'],
    ['param a string', (d) => { d.params = [0.1, 0.2, 'abc']; }, 'params[2]', 'params[2] must be a finite number, got "abc"'],
    ['param NaN (value input)', (d) => { d.params = [NaN, 0.2]; }, 'params[0]', 'params[0] must be a finite number, got NaN'],
    ['param Infinity', (d) => { d.params = [0.1, Infinity]; }, 'params[1]', 'params[1] must be a finite number, got Infinity'],
    ['param null', (d) => { d.params = [0.1, null]; }, 'params[1]', 'params[1] must be a finite number, got null'],
    ['negative inputs', (d) => { d.inputs = -1; }, 'inputs', 'inputs must be an integer ≥ 0, got -1'],
    ['gates not an array', (d) => { Reflect.set(d, 'gates', {}); }, 'gates', 'gates must be an array, got {}'],
    ['gate not an object', (d) => { Reflect.set(d.gates, 1, 'ry'); }, 'gates[1]', 'gates[1] must be an object {gate, qubits, angles?}, got "ry"'],
    ['unknown gate key', (d) => { d.gates[2]!.angle = []; }, 'gates[2]', "unknown key 'angle' at gates[2]; allowed: gate, qubits, angles"],
    ['missing qubits', (d) => { delete d.gates[2]!.qubits; }, 'gates[2]', "missing key 'qubits' at gates[2]"],
    ['bad gate name', (d) => { d.gates[3]!.gate = 'rq'; }, 'gates[3].gate', 'gates[3].gate: unknown gate "rq"; allowed: id, x, y, z, h'],
    ['gate name not a string', (d) => { d.gates[3]!.gate = 7; }, 'gates[3].gate', 'gates[3].gate must be a string, got 7'],
    ['qubits not an array', (d) => { d.gates[2]!.qubits = 0; }, 'gates[2].qubits', 'gates[2].qubits must be an array of qubit indices, got 0'],
    ['wrong qubit count', (d) => { d.gates[2]!.qubits = [0]; }, 'gates[2].qubits', "gates[2].qubits: gate 'cx' acts on 2 qubit(s), got 1 ([0])"],
    ['qubit out of range', (d) => { d.n = 4; d.gates[2]!.qubits = [0, 9]; }, 'gates[2].qubits[1]', 'gates[2].qubits[1]: qubit 9 out of range [0, 3]'],
    ['negative qubit', (d) => { d.gates[0]!.qubits = [-1]; }, 'gates[0].qubits[0]', 'gates[0].qubits[0]: qubit -1 out of range [0, 1]'],
    ['fractional qubit', (d) => { d.gates[0]!.qubits = [0.5]; }, 'gates[0].qubits[0]', 'gates[0].qubits[0]: qubit index must be an integer, got 0.5'],
    ['repeated qubit', (d) => { d.gates[2]!.qubits = [1, 1]; }, 'gates[2].qubits', 'gates[2].qubits: qubits must be distinct, got [1,1]'],
    ['missing angles', (d) => { delete d.gates[1]!.angles; }, 'gates[1].angles', "gates[1].angles: gate 'ry' takes 1 angle(s), got 0"],
    ['too many angles', (d) => { d.gates[2]!.angles = [{ value: 1 }]; }, 'gates[2].angles', "gates[2].angles: gate 'cx' takes 0 angle(s), got 1"],
    ['angles not an array', (d) => { d.gates[1]!.angles = { param: 0 }; }, 'gates[1].angles', 'gates[1].angles must be an array, got {"param":0}'],
    ['angle not an object', (d) => { d.gates[1]!.angles = [0.5]; }, 'gates[1].angles[0]', 'gates[1].angles[0] must be an object {param, scale?}, {input, scale?} or {value}, got 0.5'],
    ['unknown angle key', (d) => { d.gates[1]!.angles = [{ param: 0, scael: 2 }]; }, 'gates[1].angles[0]', "unknown key 'scael' at gates[1].angles[0]; allowed: param, input, value, scale"],
    ['two angle kinds', (d) => { d.gates[1]!.angles = [{ param: 0, value: 1 }]; }, 'gates[1].angles[0]', "gates[1].angles[0] must have exactly one of 'param', 'input', 'value', got {\"param\":0,\"value\":1}"],
    ['no angle kind', (d) => { d.gates[1]!.angles = [{ scale: 1 }]; }, 'gates[1].angles[0]', "must have exactly one of 'param', 'input', 'value', got {\"scale\":1}"],
    ['param out of range', (d) => { d.gates[1]!.angles = [{ param: 2 }]; }, 'gates[1].angles[0].param', 'gates[1].angles[0].param: parameter 2 out of range [0, 1] (top-level params has 2 entries)'],
    ['param with no params', (d) => { d.params = []; d.gates = d.gates.slice(1, 2); }, 'gates[0].angles[0].param', 'gates[0].angles[0].param: parameter 0 out of range (none declared) (top-level params has 0 entries)'],
    ['input out of range', (d) => { d.gates[0]!.angles = [{ input: 1, scale: 1 }]; }, 'gates[0].angles[0].input', 'gates[0].angles[0].input: input 1 out of range [0, 0] (top-level inputs = 1)'],
    ['input without inputs', (d) => { delete d.inputs; }, 'gates[0].angles[0].input', 'gates[0].angles[0].input: input 0 out of range (none declared) (top-level inputs = 0; declare "inputs")'],
    ['non-finite scale', (d) => { d.gates[3]!.angles = [{ param: 1, scale: 'x' }]; }, 'gates[3].angles[0].scale', 'gates[3].angles[0].scale must be a finite number, got "x"'],
    ['scale with value', (d) => { d.gates[3]!.angles = [{ value: 1, scale: 2 }]; }, 'gates[3].angles[0].scale', "gates[3].angles[0].scale is not allowed with 'value'"],
    ['non-finite value', (d) => { d.gates[3]!.angles = [{ value: NaN }]; }, 'gates[3].angles[0].value', 'gates[3].angles[0].value must be a finite number, got NaN'],
  ])('rejects %s', (_, mutate, path, message) => {
    const doc = example();
    mutate(doc);
    let err: unknown;
    try {
      parseCircuitJson(doc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CircuitJsonError);
    if (!(err instanceof CircuitJsonError)) return;
    expect(err.path).toBe(path);
    expect(err.message).toContain(message);
  });

  it('rejects invalid JSON text and non-object roots', () => {
    expect(() => parseCircuitJson('{"format": ')).toThrow(/circuit JSON is not valid JSON: /);
    expect(() => parseCircuitJson('[1, 2]')).toThrow('circuit JSON must be an object, got [1,2]');
    expect(() => parseCircuitJson(null)).toThrow('circuit JSON must be an object, got null');
    expect(() => parseCircuitJson(42)).toThrow('circuit JSON must be an object, got 42');
  });
});

describe('circuitToJson', () => {
  it('round-trips a seeded model through JSON text exactly', () => {
    const { b, params } = seededModel();
    const circuit = b.build();
    const doc = circuitToJson(circuit, params);
    expect(Object.keys(doc)).toEqual(['format', 'version', 'n', 'params', 'inputs', 'gates']);
    const back = parseCircuitJson(JSON.stringify(doc));
    expect(back.circuit).toEqual(circuit);
    expect(back.params).toEqual(params);
    // and again: a fixed point
    expect(circuitToJson(back.circuit, back.params)).toEqual(doc);
  });

  it('round-trips the documented example and omits inputs when there are none', () => {
    const { circuit, params } = parseCircuitJson(example());
    expect(circuitToJson(circuit, params)).toEqual(EXAMPLE);
    const b = new CircuitBuilder(2);
    b.add('h', [0]).add('cz', [0, 1]);
    const doc = circuitToJson(b.build(), []);
    expect(doc).toEqual({ format: 'qdistill-circuit', version: 1, n: 2, params: [], gates: [{ gate: 'h', qubits: [0] }, { gate: 'cz', qubits: [0, 1] }] });
    expect(parseCircuitJson(doc).circuit).toEqual(b.build());
  });

  it('rejects wrong or non-finite parameter values', () => {
    const { circuit } = parseCircuitJson(example());
    expect(() => circuitToJson(circuit, [0.1])).toThrow('circuitToJson: params has 1 entries, circuit has nParams = 2');
    expect(() => circuitToJson(circuit, [0.1, NaN])).toThrow('circuitToJson: params[1] must be a finite number, got NaN');
  });
});

describe('exportQasm', () => {
  it('binds values; parseQasm reads back the same gates (ucry as its definition) and the same state', () => {
    const { b, params, inputs } = seededModel();
    const circuit = b.build();
    const text = exportQasm(circuit, params, inputs);
    const { circuit: back } = parseQasm(text);
    const bound = bindCircuit(circuit, params, inputs);
    expect(back.n).toBe(6);
    // the QCNN pooling's ucry(θ0, θ1) on (c, t) is written as a file gate of x c; cry(θ0); x c; cry(θ1)
    const want = bound.ops.flatMap((o) => (o.name !== 'ucry' ? [o] : [
      { name: 'x', qubits: [o.qubits[0]!], params: [] }, { name: 'cry', qubits: o.qubits, params: [o.params[0]!] },
      { name: 'x', qubits: [o.qubits[0]!], params: [] }, { name: 'cry', qubits: o.qubits, params: [o.params[1]!] },
    ]));
    expect(bound.ops.filter((o) => o.name === 'ucry').length).toBe(3 + 1); // 6 → 3 → 2 active qubits
    expect(back.ops).toEqual(want);
    const z1 = simulateStateVector(back).expectations('Z'), z2 = simulateStateVector(bound).expectations('Z');
    for (let q = 0; q < 6; q++) expect(Math.abs(z1[q]! - z2[q]!)).toBeLessThan(TOL.exact);
  });

  it('needs inputs when the circuit reads them', () => {
    const { circuit, params } = parseCircuitJson(example());
    expect(() => exportQasm(circuit, params)).toThrow('exportQasm: the circuit reads 1 input feature(s); pass inputs');
    expect(() => exportQasm(circuit, params, [0.5, 0.5])).toThrow('exportQasm: inputs has 2 entries, circuit has nInputs = 1');
    expect(() => exportQasm(circuit, [1])).toThrow('exportQasm: params has 1 entries, circuit has nParams = 2');
    expect(parseQasm(exportQasm(circuit, params, [0.5])).circuit.ops.length).toBe(4);
  });
});
