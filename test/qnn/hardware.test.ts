/**
 * Readouts under shots and gate noise, and their parameter-shift gradients, against an exact
 * dense density-matrix reference (src/backends/density-matrix.ts) and the exact adjoint:
 * the estimators' means over many seeds lie within 3 standard errors of the exact values, the
 * standard error of the shot estimate is the documented √((1 − r²)/K), and results do not
 * depend on the number of workers.
 */
import { describe, expect, it } from 'vitest';
import { makeRng, type NoiseModel } from '../../mps/index.js';
import { DensityMatrix } from '../../src/backends/density-matrix.js';
import { bindCircuit } from '../../src/circuit/ir.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { QnnModel } from '../../src/qnn/model.js';
import { makeQnnObjective } from '../../src/distill/objective.js';
import type { ModelSpec, ReadoutSpec } from '../../src/qnn/spec.js';
import { train } from '../../src/train/loop.js';

const base = (readout: ReadoutSpec, classes = 2): ModelSpec => ({
  qubits: 3, features: 3, classes,
  encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
  ansatz: { type: 'hardware-efficient', layers: 1, entangler: 'cx' },
  readout, backend: 'mps', truncation: { cutoff: 0 }, initScale: 1,
});
const x = Float64Array.of(0.3, -0.7, 0.5);
const NOISE: NoiseModel = { oneQubit: { depolarizing: 0.05, amplitudeDamping: 0.05 }, twoQubit: { depolarizing: 0.15, phaseDamping: 0.1 } };

/** Exact readouts of `m` (its noise applied) on input x: ⟨Π_{q∈g} Z_q⟩ from the diagonal of ρ, times (1 − 2p)^|g|. */
function exactReadouts(m: QnnModel, params: Float64Array): Float64Array {
  const dm = DensityMatrix.zeros(m.spec.qubits).run(bindCircuit(m.circuit, params, x), m.spec.noise ?? null);
  const p = m.spec.noise?.readout ?? 0;
  const n = m.spec.qubits;
  return Float64Array.from(m.readouts, (o) => {
    let s = 0;
    for (let r = 0; r < dm.dim; r++) {
      let v = dm.re[r * dm.dim + r]!;
      for (const f of o.factors) if ((r >> (n - 1 - f.q)) & 1) v = -v;
      s += v;
    }
    return s * (1 - 2 * p) ** o.factors.length;
  });
}

function meanSe(rows: Float64Array[]): { mean: Float64Array; se: Float64Array } {
  const M = rows.length, d = rows[0]!.length;
  const mean = new Float64Array(d), se = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / M;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (const r of rows) s += (r[j]! - mean[j]!) ** 2;
    se[j] = Math.sqrt(s / (M - 1) / M);
  }
  return { mean, se };
}

// the class: every readout type, shots alone, readout error, gate noise alone (trajectories), both
type Row = [string, ModelSpec];
const ROWS: Row[] = [
  ['qubit readouts, 32 shots', { ...base({ type: 'qubits', qubits: [0, 2] }), shots: 32 }],
  ['parity readouts, 32 shots', { ...base({ type: 'parity', groups: [[0, 1], [1, 2]] }), shots: 32 }],
  ['linear readout, 16 shots, readout error 0.1', { ...base({ type: 'linear', qubits: [0, 1, 2] }), shots: 16, noise: { readout: 0.1 } }],
  ['gate noise, 2 trajectories, exact readouts', { ...base({ type: 'parity', groups: [[0, 2], [1]] }), noise: NOISE, trajectories: 2 }],
  ['gate noise and readout error, 3 trajectories sharing 8 shots', { ...base({ type: 'qubits', qubits: [1, 2] }), noise: { ...NOISE, readout: 0.05 }, trajectories: 3, shots: 8 }],
];

describe('readouts under shots and noise: unbiased against the exact density matrix', () => {
  it.each(ROWS)('%s', (_name, spec) => {
    const m = new QnnModel(spec);
    expect(m.stochastic).toBe(true);
    expect(m.gradientMethod).toBe('parameter-shift');
    const params = m.initParams(makeRng('params'));
    const exact = exactReadouts(m, params);
    const M = 400;
    const rows = Array.from({ length: M }, (_, i) => m.forward(params, x, `seed-${i}`).readouts);
    const { mean, se } = meanSe(rows);
    for (let k = 0; k < exact.length; k++) {
      expect(se[k]).toBeGreaterThan(0);
      expect(Math.abs(mean[k]! - exact[k]!), `readout ${k}: mean ${mean[k]} exact ${exact[k]} se ${se[k]}`).toBeLessThan(3 * se[k]!);
    }
    // the documented variance of K noiseless shots: (1 − r²)/K
    if (spec.shots && !spec.noise) {
      for (let k = 0; k < exact.length; k++) {
        const predicted = Math.sqrt((1 - exact[k]! ** 2) / spec.shots / M);
        expect(se[k]! / predicted).toBeGreaterThan(0.8);
        expect(se[k]! / predicted).toBeLessThan(1.2);
      }
    }
    // same seed, same readouts; a different seed, different readouts
    expect(m.forward(params, x, 'seed-0').readouts).toEqual(rows[0]);
    expect(rows[1]).not.toEqual(rows[0]);
  });

  it('a stochastic model refuses to run without a seed; a noiseless one ignores it', () => {
    const m = new QnnModel({ ...base({ type: 'qubits' }), shots: 4 });
    expect(() => m.forward(m.initParams(makeRng(1)), x)).toThrow(/pass a seed/);
    const exact = new QnnModel(base({ type: 'qubits' }));
    expect(exact.stochastic).toBe(false);
    expect(exact.gradientMethod).toBe('adjoint');
    const p = exact.initParams(makeRng(1));
    expect(exact.forward(p, x, 'any').readouts).toEqual(exact.forward(p, x).readouts);
  });
});

describe('parameter-shift gradients from estimated readouts are unbiased', () => {
  // a loss linear in the logits, so the loss gradient is linear in the readouts and its
  // estimator is unbiased term by term (with a nonlinear loss ∂L/∂r is taken at r̂)
  const c = Float64Array.of(0.7, -1.3);
  const lossFn = (z: Float64Array) => ({ loss: c[0]! * z[0]! + c[1]! * z[1]!, grad: c });

  it('16 shots: the mean over seeds matches the exact adjoint gradient within 3 SE', () => {
    const spec = base({ type: 'qubits', qubits: [0, 2] });
    const exactModel = new QnnModel(spec);
    const m = new QnnModel({ ...spec, shots: 16 });
    const params = m.initParams(makeRng('g'));
    const exact = exactModel.forwardBackward(params, x, lossFn).grad;
    const { mean, se } = meanSe(Array.from({ length: 800 }, (_, i) => m.forwardBackward(params, x, lossFn, `s${i}`).grad));
    for (let j = 0; j < exact.length; j++) {
      const tol = Math.max(3 * se[j]!, 1e-12); // the bias gradient ∂L/∂b_c = c_c is exact (se 0)
      expect(Math.abs(mean[j]! - exact[j]!), `param ${j}: mean ${mean[j]} exact ${exact[j]} se ${se[j]}`).toBeLessThan(tol);
    }
    // circuit parameters do get a random gradient
    expect(se.slice(0, m.nCircuitParams).every((s) => s > 0)).toBe(true);
  });

  it('gate noise by trajectories: the mean matches the exact noisy gradient (density-matrix finite differences) within 3 SE', () => {
    const m = new QnnModel({ ...base({ type: 'qubits', qubits: [0, 2] }), noise: NOISE, trajectories: 2 });
    const params = m.initParams(makeRng('h'));
    // exact gradient of the noisy expected loss, by central differences on the density matrix
    const L = (p: Float64Array) => lossFn(m.logits(p, exactReadouts(m, p))).loss;
    const h = 1e-5;
    const exact = Float64Array.from(params, (_, j) => {
      const a = params.slice(), b = params.slice();
      a[j]! += h; b[j]! -= h;
      return (L(a) - L(b)) / (2 * h);
    });
    const { mean, se } = meanSe(Array.from({ length: 200 }, (_, i) => m.forwardBackward(params, x, lossFn, `t${i}`).grad));
    for (let j = 0; j < exact.length; j++) {
      const tol = Math.max(3 * se[j]!, 1e-9); // bias gradients are exact; the differences' error is ~1e-12
      expect(Math.abs(mean[j]! - exact[j]!), `param ${j}: mean ${mean[j]} exact ${exact[j]} se ${se[j]}`).toBeLessThan(tol);
    }
    // the check can tell: the noiseless gradient is many standard errors away from the mean
    const noiseless = new QnnModel(base({ type: 'qubits', qubits: [0, 2] })).forwardBackward(params, x, lossFn).grad;
    expect(Math.max(...Array.from(noiseless, (g, j) => (se[j]! > 0 ? Math.abs(g - mean[j]!) / se[j]! : 0)))).toBeGreaterThan(10);
  });
});

describe('reproducible whatever the worker count', () => {
  const data = gaussianBlobs({ classes: 2, features: 3, nTrain: 12, nVal: 4, nTest: 8, separation: 3, seed: 5 });
  const spec: ModelSpec = { ...base({ type: 'qubits', qubits: [0, 2] }), shots: 16, noise: { twoQubit: { depolarizing: 0.05 } }, trajectories: 2 };
  // Pauli noise without shots: the trajectory-adjoint gradient (realizations from <seed>:grad)
  const pauliSpec: ModelSpec = { ...base({ type: 'qubits', qubits: [0, 2] }), noise: { oneQubit: { phaseDamping: 0.1 }, twoQubit: { depolarizing: 0.1 }, readout: 0.02 }, trajectories: 3 };

  async function trainWith(workers: number, s: ModelSpec = spec) {
    const model = new QnnModel(s);
    const obj = await makeQnnObjective(model, data, { workers, seed: 'run-1' });
    try {
      const r = await train(obj, model.initParams(makeRng('init')), { epochs: 2, batchSize: 5, seed: 3, optimizer: { type: 'adam' }, schedule: { type: 'constant', lr: 0.1 } });
      const preds = await obj.predict(r.params, 'test', 2);
      return { r, preds };
    } finally {
      await obj.close();
    }
  }

  it.each([
    ['shots and noise (parameter shift)', spec, 'parameter-shift'],
    ['Pauli noise without shots (trajectory adjoint)', pauliSpec, 'trajectory-adjoint'],
  ] as [string, ModelSpec, string][])('training and evaluation under %s give bit-identical results with 1 and 2 workers', async (_n, s, method) => {
    expect(new QnnModel(s).gradientMethod).toBe(method);
    const a = await trainWith(1, s);
    const b = await trainWith(2, s);
    expect(Buffer.from(b.r.params.buffer).equals(Buffer.from(a.r.params.buffer))).toBe(true);
    expect(b.r.history).toEqual(a.r.history.map((h, i) => ({ ...h, seconds: b.r.history[i]!.seconds })));
    expect(b.preds.logits).toEqual(a.preds.logits);
  }, 60_000);

  it('needs a seed for a stochastic model', async () => {
    await expect(makeQnnObjective(new QnnModel(spec), data, { workers: 1 })).rejects.toThrow(/give opts\.seed/);
  });
});
