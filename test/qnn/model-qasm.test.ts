/**
 * `QnnModel.toQasm`: a model's circuit, bound at its parameters and features, written as
 * OpenQASM 2 and read back by the parser gives the same state as the bound circuit run directly
 * (|⟨a|b⟩| = 1 to 1e-12; the file's `ucry` comes back as x/cry, an independent gate path), for
 * every ansatz family, both entanglers and the QCNN's pooling; the head's parameters are not
 * written; wrong inputs are one-line errors.
 */
import { describe, expect, it } from 'vitest';
import { bindCircuit } from '../../src/circuit/ir.js';
import { parseQasm } from '../../src/circuit/qasm.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { QnnModel } from '../../src/qnn/model.js';
import type { ModelSpec } from '../../src/qnn/spec.js';
import { makeRng } from '../../mps/rng.js';

function overlap(a: { re: Float64Array; im: Float64Array }, b: { re: Float64Array; im: Float64Array }): number {
  let re = 0, im = 0;
  for (let i = 0; i < a.re.length; i++) {
    re += a.re[i]! * b.re[i]! + a.im[i]! * b.im[i]!;
    im += a.re[i]! * b.im[i]! - a.im[i]! * b.re[i]!;
  }
  return Math.hypot(re, im);
}

const base = { features: 6, classes: 2, encoding: { type: 'angle', rotation: 'ry', scale: Math.PI }, backend: 'statevector' } as const;

describe('QnnModel.toQasm round-trips through the QASM parser', () => {
  it.each<[string, ModelSpec, boolean]>([
    ['QCNN, cz', { ...base, qubits: 6, ansatz: { type: 'qcnn', layers: 1, entangler: 'cz' }, readout: { type: 'qubits' } }, true],
    ['QCNN, cx, rx encoding', { ...base, qubits: 6, encoding: { type: 'angle', rotation: 'rx', scale: 2 }, ansatz: { type: 'qcnn', layers: 1, entangler: 'cx' }, readout: { type: 'qubits' } }, true],
    ['ry brickwork, linear head', { ...base, qubits: 6, ansatz: { type: 'ry', layers: 2 }, readout: { type: 'linear', qubits: [0, 2, 4] } }, false],
    ['hardware-efficient, re-uploading, parity readout', { ...base, qubits: 6, ansatz: { type: 'hardware-efficient', layers: 2, reuploadEvery: 1 }, readout: { type: 'parity', groups: [[0, 1], [2, 3]] } }, false],
    ['dense encoding', { ...base, qubits: 3, encoding: { type: 'dense', scale: 1 }, ansatz: { type: 'hardware-efficient', layers: 1 }, readout: { type: 'qubits', qubits: [0, 1] } }, false],
  ])('%s', (_, spec, usesUcry) => {
    const model = new QnnModel(spec);
    const params = model.initParams(makeRng('qasm-params'));
    // head entries that a careless export would write as angles
    for (let i = model.nCircuitParams; i < model.nParams; i++) params[i] = 100 + i;
    const x = Array.from({ length: spec.features }, (_, i) => 0.1 + 0.13 * i);
    const text = model.toQasm(params, x);
    expect(text.includes('gate ucry(theta0,theta1) a,b {')).toBe(usesUcry);
    expect(text.split('\n').some((l) => l.startsWith('ucry('))).toBe(usesUcry);
    const read = simulateStateVector(parseQasm(text).circuit).toArrays();
    const direct = simulateStateVector(bindCircuit(model.circuit, params.subarray(0, model.nCircuitParams), x)).toArrays();
    expect(Math.abs(overlap(read, direct) - 1)).toBeLessThan(1e-12);
  });

  it('an mps-encoded model writes its ansatz alone, from |0…0⟩, and refuses features', () => {
    const model = new QnnModel({ qubits: 4, features: 0, classes: 2, encoding: { type: 'mps' }, ansatz: { type: 'qcnn', layers: 1 }, readout: { type: 'qubits' }, backend: 'mps' });
    const params = model.initParams(makeRng(5));
    expect(parseQasm(model.toQasm(params)).circuit.n).toBe(4);
    expect(() => model.toQasm(params, [0.1])).toThrow("QnnModel.toQasm: x given, but the model reads no features (encoding 'mps'); call it without x");
  });

  it.each<[string, (m: QnnModel, p: Float64Array) => unknown, string]>([
    ['the circuit part only', (m, p) => m.toQasm(p.subarray(0, m.nCircuitParams), [0, 0, 0]), 'QnnModel.toQasm: params has 6 entries; the model has 9 (6 circuit + 3 head)'],
    ['no features', (m, p) => m.toQasm(p), 'exportQasm: the circuit reads 3 input feature(s); pass inputs'],
    ['a NaN feature', (m, p) => m.toQasm(p, [0, Number.NaN, 0]), 'exportQasm: inputs[1] must be a finite number, got NaN'],
    ['a NaN parameter', (m, p) => { p[0] = Number.NaN; return m.toQasm(p, [0, 0, 0]); }, 'params[0]'],
  ])('refused: %s', (_, call, message) => {
    const model = new QnnModel({ qubits: 3, features: 3, classes: 2, encoding: { type: 'angle', rotation: 'ry', scale: Math.PI }, ansatz: { type: 'ry', layers: 2 }, readout: { type: 'qubits', qubits: [0, 1] }, backend: 'mps' });
    expect(() => call(model, model.initParams(makeRng(1)))).toThrow(message);
  });
});
