import { describe, expect, it } from 'vitest';
import { makeRng, Mps, runCircuit } from '../../mps/index.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { crossEntropy } from '../../src/qnn/loss.js';
import { QnnModel } from '../../src/qnn/model.js';
import { modelFromJson, modelToJson } from '../../src/qnn/io.js';
import type { ModelSpec } from '../../src/qnn/spec.js';
import { brickworkCircuit } from '../helpers/random-circuit.js';

// fd: central differences at h = 1e-5 (truncation about h²/6·|f'''|, rounding about ε|f|/h, both
// ≈ 1e-11); 1e-9 leaves a 10–100× margin over what is seen.
// exact: two exact methods (adjoint, parameter shift, MPS without truncation, state vector) agree to
// rounding, seen ≤ 4e-14; 1e-12 keeps a 25× margin.
const TOL = { fd: 1e-9, exact: 1e-12 };

function fdGrad(m: QnnModel, params: Float64Array, x: Float64Array | Mps, y: number, h = 1e-5): Float64Array {
  return Float64Array.from(params, (_, i) => {
    const p = params.slice(); p[i]! += h;
    const q = params.slice(); q[i]! -= h;
    return (crossEntropy(m.forward(p, x).logits, y).loss - crossEntropy(m.forward(q, x).logits, y).loss) / (2 * h);
  });
}

const base: Omit<ModelSpec, 'backend'> = {
  qubits: 5, features: 5, classes: 2,
  encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
  ansatz: { type: 'hardware-efficient', layers: 2, entangler: 'cz' },
  readout: { type: 'qubits', qubits: [1, 3] },
};
const variants: [string, Partial<ModelSpec>][] = [
  ['hardware-efficient, qubit readout', {}],
  ['ry ansatz, cx, parity readout, 3 classes', { classes: 3, ansatz: { type: 'ry', layers: 3, entangler: 'cx' }, readout: { type: 'parity', groups: [[0, 1], [2], [3, 4]] } }],
  ['qcnn', { qubits: 8, features: 8, ansatz: { type: 'qcnn', layers: 0 }, readout: { type: 'qubits' } }],
  ['dense encoding, re-uploading, linear head', { features: 8, encoding: { type: 'dense', scale: 2 }, ansatz: { type: 'hardware-efficient', layers: 3, reuploadEvery: 2 }, readout: { type: 'linear', qubits: [0, 2, 4] } }],
];

describe('QNN forward/backward', () => {
  it.each(variants)('%s: adjoint gradient = finite differences on both backends, and the backends agree', (_name, v) => {
    const spec = { ...base, ...v } as Omit<ModelSpec, 'backend'>;
    const sv = new QnnModel({ ...spec, backend: 'statevector' });
    const mps = new QnnModel({ ...spec, backend: 'mps', truncation: { cutoff: 0 } });
    const rng = makeRng('qnn-grad');
    const params = sv.initParams(rng);
    const x = Float64Array.from({ length: spec.features }, () => rng());
    const y = 1;
    const a = sv.forwardBackward(params, x, (z) => crossEntropy(z, y));
    const b = mps.forwardBackward(params, x, (z) => crossEntropy(z, y));
    const fd = fdGrad(sv, params, x, y);
    for (let i = 0; i < params.length; i++) {
      expect(Math.abs(a.grad[i]! - fd[i]!)).toBeLessThan(TOL.fd);
      expect(Math.abs(b.grad[i]! - a.grad[i]!)).toBeLessThan(TOL.exact);
    }
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(TOL.exact);
  });

  it('an input MPS is the initial state (mps encoding)', () => {
    const n = 6;
    const input = runCircuit(Mps.zeros(n), brickworkCircuit(n, 2, 'input-state', 'rxrz')).state;
    const spec: ModelSpec = { qubits: n, features: 0, classes: 2, encoding: { type: 'mps' }, ansatz: { type: 'hardware-efficient', layers: 1 }, readout: { type: 'qubits', qubits: [2, 3] }, backend: 'mps' };
    const m = new QnnModel(spec);
    const sv = new QnnModel({ ...spec, backend: 'statevector' });
    const params = m.initParams(makeRng('mps-in'));
    const a = m.forwardBackward(params, input, (z) => crossEntropy(z, 0));
    const b = sv.forwardBackward(params, input, (z) => crossEntropy(z, 0));
    const fd = fdGrad(m, params, input, 0);
    for (let i = 0; i < params.length; i++) {
      expect(Math.abs(a.grad[i]! - fd[i]!)).toBeLessThan(TOL.fd);
      expect(Math.abs(a.grad[i]! - b.grad[i]!)).toBeLessThan(TOL.exact);
    }
  });

  it('saves and loads exactly, with the version', () => {
    const m = new QnnModel({ ...base, backend: 'mps', truncation: { maxBond: 8 } });
    const p = m.initParams(makeRng(3));
    const j = JSON.parse(JSON.stringify(modelToJson(m, p)));
    expect(j.qdistill).toMatch(/^\d+\.\d+\.\d+/);
    const back = modelFromJson(j);
    expect(Array.from(back.params)).toEqual(Array.from(p));
    const x = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5);
    expect(Array.from(back.model.forward(back.params, x).logits)).toEqual(Array.from(m.forward(p, x).logits));
  });

  it.each([
    [{ qubits: 0 }, /model.qubits = 0: must be an integer ≥ 1/],
    [{ classes: 1 }, /model.classes = 1: must be an integer ≥ 2/],
    [{ backend: 'gpu' }, /model.backend = "gpu": must be 'mps' or 'statevector'/],
    [{ features: 9 }, /model.features = 9: must be ≤ 5/],
    [{ readout: { type: 'qubits', qubits: [1, 7] } }, /model.readout.qubits\[1\] = 7: must be a qubit in \[0, 4\]/],
    [{ ansatz: { type: 'mera', layers: 1 } }, /model.ansatz.type = "mera"/],
    [{ colour: 'red' }, /unknown key 'colour'/],
  ])('rejects bad specs: %o', (patch, re) => {
    expect(() => new QnnModel({ ...base, backend: 'mps', ...patch } as ModelSpec)).toThrow(re);
  });

  it('rejects bad inputs', () => {
    const m = new QnnModel({ ...base, backend: 'mps' });
    const p = m.initParams(makeRng(1));
    expect(() => m.forward(p, Float64Array.of(1, 2))).toThrow(/input has 2 features; the model expects 5/);
    expect(() => m.forward(p, Float64Array.of(1, 2, NaN, 4, 5))).toThrow(/input feature 2 is NaN/);
  });
});

describe('synthetic data', () => {
  it('is reproducible from the seed and balanced', () => {
    const a = gaussianBlobs({ seed: 5 }), b = gaussianBlobs({ seed: 5 });
    expect(Array.from(a.train.x[7] as Float64Array)).toEqual(Array.from(b.train.x[7] as Float64Array));
    expect(a.train.y.filter((v) => v === 0).length).toBe(a.train.y.length / 2);
    expect(a.provenance.seed).toBe(5);
  });
});
