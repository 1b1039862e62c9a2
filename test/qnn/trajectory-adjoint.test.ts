/**
 * The trajectory-adjoint gradient (src/qnn/trajectory-adjoint.ts) against independent
 * references: its mean over many seeds matches central finite differences of the exact noisy
 * loss (dense density matrix, src/backends/density-matrix.ts) within 3 standard errors for
 * each Pauli channel; readout flips alone give the exact gradient; its variance per sample
 * against the parameter shift's at equal T; and which method `gradient: 'auto'` picks, with
 * the forced choices that are refused.
 */
import { describe, expect, it } from 'vitest';
import { makeRng, type NoiseModel } from '../../mps/index.js';
import { DensityMatrix } from '../../src/backends/density-matrix.js';
import { bindCircuit } from '../../src/circuit/ir.js';
import { QnnModel } from '../../src/qnn/model.js';
import type { ModelSpec } from '../../src/qnn/spec.js';

const base = (qubits = 3): ModelSpec => ({
  qubits, features: qubits, classes: 2,
  encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
  ansatz: { type: 'hardware-efficient', layers: 1, entangler: 'cx' },
  readout: { type: 'linear', qubits: Array.from({ length: qubits }, (_, q) => q) }, backend: 'mps', truncation: { cutoff: 0 }, initScale: 1,
});
const xOf = (n: number) => Float64Array.from({ length: n }, (_, i) => 0.4 - 0.35 * i);

// a loss linear in the logits (and so, with the linear head, in the readouts): the gradient
// estimator is then unbiased term by term
const c = Float64Array.of(0.9, -1.4);
const lossFn = (z: Float64Array) => ({ loss: c[0]! * z[0]! + c[1]! * z[1]!, grad: c });

/** Exact noisy readouts ⟨Z_q⟩·(1 − 2p) from the dense density matrix. */
function exactReadouts(m: QnnModel, params: Float64Array, x: Float64Array): Float64Array {
  const dm = DensityMatrix.zeros(m.spec.qubits).run(bindCircuit(m.circuit, params, x), m.spec.noise ?? null);
  const z = dm.expectationsZ(m.spec.noise?.readout ?? 0);
  return Float64Array.from(m.readouts, (o) => z[o.factors[0]!.q]!);
}

/** ∂L/∂params of the exact noisy loss by central differences (step 1e-5; error ~1e-10). */
function exactGradient(m: QnnModel, params: Float64Array, x: Float64Array): Float64Array {
  const L = (p: Float64Array) => lossFn(m.logits(p, exactReadouts(m, p, x))).loss;
  const h = 1e-5;
  return Float64Array.from(params, (_, j) => {
    const a = params.slice(), b = params.slice();
    a[j]! += h; b[j]! -= h;
    return (L(a) - L(b)) / (2 * h);
  });
}

function meanVar(rows: Float64Array[]): { mean: Float64Array; variance: Float64Array; se: Float64Array } {
  const M = rows.length, d = rows[0]!.length;
  const mean = new Float64Array(d), variance = new Float64Array(d), se = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / M;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (const r of rows) s += (r[j]! - mean[j]!) ** 2;
    variance[j] = s / (M - 1);
    se[j] = Math.sqrt(variance[j]! / M);
  }
  return { mean, variance, se };
}

const ROWS: [string, number, NoiseModel][] = [
  ['depolarizing 1q', 3, { oneQubit: { depolarizing: 0.15 } }],
  ['depolarizing 2q', 4, { twoQubit: { depolarizing: 0.25 } }],
  ['phase damping', 3, { oneQubit: { phaseDamping: 0.3 }, twoQubit: { phaseDamping: 0.3 } }],
  ['readout error with depolarizing', 3, { twoQubit: { depolarizing: 0.2 }, readout: 0.1 }],
  ['mixed Pauli, per-gate override', 5, { oneQubit: { depolarizing: 0.05, phaseDamping: 0.1 }, twoQubit: { depolarizing: 0.1 }, gates: { cx: { depolarizing: 0.3 } } }],
];

describe('trajectory-adjoint gradient: unbiased against the exact density matrix', () => {
  it.each(ROWS)('%s (n = %i): mean over 200 seeds within 3 SE of the finite differences', (_name, n, noise) => {
    const m = new QnnModel({ ...base(n), noise, trajectories: 2 });
    expect(m.gradientMethod).toBe('trajectory-adjoint');
    const x = xOf(n);
    const params = m.initParams(makeRng(`p-${n}`));
    const exact = exactGradient(m, params, x);
    const rows = Array.from({ length: 200 }, (_, i) => m.forwardBackward(params, x, lossFn, `s${i}`).grad);
    const { mean, se } = meanVar(rows);
    let far = 0;
    const noiseless = new QnnModel(base(n)).forwardBackward(params, x, lossFn).grad;
    for (let j = 0; j < exact.length; j++) {
      const tol = Math.max(3 * se[j]!, 1e-8); // head gradients use r̂ (random) or are constants (exact, se 0)
      expect(Math.abs(mean[j]! - exact[j]!), `param ${j}: mean ${mean[j]} exact ${exact[j]} se ${se[j]}`).toBeLessThan(tol);
      if (j < m.nCircuitParams && se[j]! > 0) far = Math.max(far, Math.abs(noiseless[j]! - mean[j]!) / se[j]!);
    }
    // the circuit gradient is random, and the check can tell the noisy gradient from the noiseless one
    expect(se.slice(0, m.nCircuitParams).some((s) => s > 0)).toBe(true);
    expect(far).toBeGreaterThan(6);
    // same seed, same gradient
    expect(m.forwardBackward(params, x, lossFn, 's0').grad).toEqual(rows[0]);
  });

  it('readout flips alone: one realization, the exact gradient (to the differences\' error)', () => {
    const m = new QnnModel({ ...base(3), noise: { readout: 0.15 } });
    expect(m.gradientMethod).toBe('trajectory-adjoint');
    const x = xOf(3);
    const params = m.initParams(makeRng('ro'));
    const g = m.forwardBackward(params, x, lossFn, 'a').grad;
    const exact = exactGradient(m, params, x);
    for (let j = 0; j < g.length; j++) expect(Math.abs(g[j]! - exact[j]!)).toBeLessThan(1e-8);
    expect(m.forwardBackward(params, x, lossFn, 'b').grad).toEqual(g);
  });

  it('a zero loss gradient gives a zero circuit gradient (the cost probe of runCost)', () => {
    const m = new QnnModel({ ...base(3), noise: { twoQubit: { depolarizing: 0.1 } }, trajectories: 2 });
    const r = m.forwardBackward(m.initParams(makeRng(1)), xOf(3), () => ({ loss: 0, grad: new Float64Array(2) }), 'cost');
    expect(Array.from(r.grad).every((v) => v === 0)).toBe(true);
  });
});

describe('variance per sample against the parameter shift at equal T', () => {
  // depolarizing 2q P = 0.1 and 1q P = 0.02 on the 4-qubit hardware-efficient model (one
  // layer), T = 4, 120 seeds each: the summed variance of the circuit-parameter gradient
  // (measured: trajectory adjoint about a quarter of the parameter shift's; with two layers
  // and 200 seeds 0.231 against 0.949)
  it('trajectory adjoint ≤ parameter shift', () => {
    const noise: NoiseModel = { oneQubit: { depolarizing: 0.02 }, twoQubit: { depolarizing: 0.1 } };
    const spec: ModelSpec = { ...base(4), noise, trajectories: 4 };
    const ta = new QnnModel(spec), ps = new QnnModel({ ...spec, gradient: 'parameter-shift' });
    expect([ta.gradientMethod, ps.gradientMethod]).toEqual(['trajectory-adjoint', 'parameter-shift']);
    const x = xOf(4);
    const params = ta.initParams(makeRng('var'));
    const P = ta.nCircuitParams;
    const total = (m: QnnModel) => {
      const { mean, variance } = meanVar(Array.from({ length: 120 }, (_, i) => m.forwardBackward(params, x, lossFn, `v${i}`).grad));
      return { mean: mean.slice(0, P), v: variance.slice(0, P).reduce((a, b) => a + b, 0) };
    };
    const a = total(ta), b = total(ps);
    console.log(`variance per sample (sum over ${P} circuit parameters, T = 4): trajectory-adjoint ${a.v.toExponential(3)}, parameter-shift ${b.v.toExponential(3)}, ratio ${(a.v / b.v).toFixed(3)}`);
    expect(a.v).toBeGreaterThan(0);
    expect(a.v).toBeLessThanOrEqual(b.v);
  });
});

describe("which gradient runs: 'auto' and forced choices", () => {
  const dep: NoiseModel = { twoQubit: { depolarizing: 0.05 } };
  it.each([
    ['exact readouts', {}, 'adjoint'],
    ['depolarizing', { noise: dep }, 'trajectory-adjoint'],
    ['phase damping and readout', { noise: { oneQubit: { phaseDamping: 0.1 }, readout: 0.02 } }, 'trajectory-adjoint'],
    ['noise block with zero rates', { noise: { twoQubit: { depolarizing: 0 } } }, 'adjoint'],
    ['shots', { shots: 16 }, 'parameter-shift'],
    ['shots and depolarizing', { shots: 16, noise: dep }, 'parameter-shift'],
    ['amplitude damping', { noise: { oneQubit: { amplitudeDamping: 0.05 } } }, 'parameter-shift'],
    ['amplitude damping under a per-gate rate', { noise: { twoQubit: { depolarizing: 0.05 }, gates: { cx: { amplitudeDamping: 0.05 } } } }, 'parameter-shift'],
    ['forced parameter shift under depolarizing', { noise: dep, gradient: 'parameter-shift' }, 'parameter-shift'],
    ['forced parameter shift, exact readouts', { gradient: 'parameter-shift' }, 'adjoint'],
    ['forced trajectory adjoint, zero rates', { noise: { twoQubit: { depolarizing: 0 } }, gradient: 'trajectory-adjoint' }, 'adjoint'],
  ] as [string, Partial<ModelSpec>, string][])('%s → %s', (_n, extra, method) => {
    expect(new QnnModel({ ...base(3), ...extra }).gradientMethod).toBe(method);
  });

  it.each([
    [{ shots: 64, gradient: 'trajectory-adjoint' }, /^model\.gradient = "trajectory-adjoint": must be 'auto' or 'parameter-shift' with shots \(model\.shots = 64/],
    [{ noise: { oneQubit: { amplitudeDamping: 0.1 } }, gradient: 'trajectory-adjoint' }, /^model\.gradient = "trajectory-adjoint": must be 'auto' or 'parameter-shift' with model\.noise\.oneQubit\.amplitudeDamping > 0 \(amplitude damping is state-dependent/],
    [{ gradient: 'adjoint' }, /^model\.gradient = "adjoint": must be 'auto', 'parameter-shift' or 'trajectory-adjoint'$/],
    [{ backend: 'statevector', truncation: undefined, gradient: 'parameter-shift' }, /^model\.gradient = "parameter-shift": must be 'auto' with backend 'statevector'/],
  ] as [Partial<ModelSpec>, RegExp][])('refused: %j', (extra, msg) => {
    const spec = { ...base(3), ...extra } as ModelSpec;
    if (spec.truncation === undefined) delete spec.truncation;
    expect(() => new QnnModel(spec)).toThrow(msg);
  });
});
