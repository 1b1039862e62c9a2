/**
 * The native controlled rotations `cry` and `ucry` and the QCNN pooling written with them.
 *
 * References, none built from the engine's gate table: 4×4 real matrices written out here
 * (RY, CX, X, projectors) for the gates; the header `qelib1.inc` through the QASM importer with
 * its fast paths off; the QCNN as it was built before the native gates (each pooling
 * RY(φ/2)·CX·RY(−φ/2)·CX, X, the same for φ2, X, on the kept qubit), written out by hand in
 * {@link oldQcnn}; central finite differences of the exact state vector or density matrix.
 *
 * Tolerances: two exact evaluations of the same function agree to rounding (seen ≤ 2e-15 on
 * states, ≤ 6e-15 on gradients), so 1e-12; a central difference at h = 1e-5 errs by about
 * h²/6·|f'''| + ε/h ≤ 1e-10 here, so 1e-9.
 */
import { describe, expect, it } from 'vitest';
import { adjointGradientMps, expectPauliSum, gateMatrix, makeRng, Mps, runCircuit, type Circuit, type GateOp, type NoiseModel, type PauliSum } from '../../mps/index.js';
import { parsePauliSum } from '../../mps/pauli-parse.js';
import { DensityMatrix } from '../../src/backends/density-matrix.js';
import { simulateStateVector, StateVectorBackend } from '../../src/backends/statevector.js';
import { adjointGradientStateVector } from '../../src/backends/statevector-adjoint.js';
import { CircuitBuilder, qcnn, type QcnnOptions } from '../../src/circuit/ansatz.js';
import { bindCircuit, type ParamCircuit } from '../../src/circuit/ir.js';
import { parseQasm } from '../../src/circuit/qasm.js';
import { parameterShiftGradient } from '../../src/grad/param-shift.js';
import { parameterShiftJacobian } from '../../src/qnn/hardware.js';
import { QnnModel } from '../../src/qnn/model.js';
import type { ModelSpec } from '../../src/qnn/spec.js';

const TOL = { exact: 1e-12, fd: 1e-9 };

// ---- dense real 4×4 references (basis 2·b(q0) + b(q1), q0 the control) ----
type R = number[][];
const mm = (a: R, b: R): R => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const kron = (a: R, b: R): R => Array.from({ length: a.length * b.length }, (_, i) => Array.from({ length: a.length * b.length }, (_, j) => a[Math.floor(i / b.length)]![Math.floor(j / b.length)]! * b[i % b.length]![j % b.length]!));
const add = (a: R, b: R): R => a.map((r, i) => r.map((v, j) => v + b[i]![j]!));
const RY = (t: number): R => [[Math.cos(t / 2), -Math.sin(t / 2)], [Math.sin(t / 2), Math.cos(t / 2)]];
const I2: R = [[1, 0], [0, 1]];
const X: R = [[0, 1], [1, 0]];
const P0: R = [[1, 0], [0, 0]];
const P1: R = [[0, 0], [0, 1]];
const CX: R = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]];
/** qelib1's cry: ry(θ/2) b; cx a,b; ry(−θ/2) b; cx a,b (rightmost factor first). */
const cryDecomposed = (t: number): R => mm(CX, mm(kron(I2, RY(-t / 2)), mm(CX, kron(I2, RY(t / 2)))));
const Xc = kron(X, I2);
const maxAbs = (a: R, m: { re: Float64Array; im: Float64Array | null }): number =>
  Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.max(Math.abs(v - m.re[i * 4 + j]!), m.im ? Math.abs(m.im[i * 4 + j]!) : 0))));

const ANGLES = [0, 0.3, -1.1, Math.PI / 2, Math.PI, 2.5, -3 * Math.PI / 2, 2 * Math.PI - 0.01, 7.3];

describe('cry and ucry against their decompositions (dense, exact)', () => {
  it.each(ANGLES)('cry(%s) = CX·(I⊗RY(−θ/2))·CX·(I⊗RY(θ/2)) = |0⟩⟨0|⊗I + |1⟩⟨1|⊗RY(θ)', (t) => {
    const m = gateMatrix({ name: 'cry', qubits: [0, 1], params: [t] });
    expect(m.im).toBeNull();
    expect(maxAbs(cryDecomposed(t), m)).toBeLessThanOrEqual(1e-14);
    expect(maxAbs(add(kron(P0, I2), kron(P1, RY(t))), m)).toBeLessThanOrEqual(1e-15);
  });
  it.each(ANGLES.map((t, i) => [t, ANGLES[(i + 4) % ANGLES.length]!]))('ucry(%s, %s) = X_c·cry(θ0)·X_c·cry(θ1) in either order (the pooling block)', (t0, t1) => {
    const m = gateMatrix({ name: 'ucry', qubits: [0, 1], params: [t0, t1] });
    expect(m.im).toBeNull();
    const low = mm(Xc, mm(cryDecomposed(t0), Xc)); // |0⟩⟨0|⊗RY(θ0) + |1⟩⟨1|⊗I
    expect(maxAbs(mm(low, cryDecomposed(t1)), m)).toBeLessThanOrEqual(1e-14);
    expect(maxAbs(mm(cryDecomposed(t1), low), m)).toBeLessThanOrEqual(1e-14);
  });
});

/** The 2^n × 2^n unitary of a circuit, column by column from basis states. */
function unitaryOf(c: Circuit): { re: number[][]; im: number[][] } {
  const d = 2 ** c.n, re: number[][] = [], im: number[][] = [];
  for (let col = 0; col < d; col++) {
    const sv = StateVectorBackend.fromBits(col.toString(2).padStart(c.n, '0'));
    sv.run(c);
    const a = sv.toArrays();
    re.push(Array.from(a.re)); im.push(Array.from(a.im));
  }
  return { re, im };
}

describe('cry from OpenQASM: the native gate equals the header macro exactly (no global phase)', () => {
  it.each([[[0, 1]], [[1, 0]], [[2, 0]], [[0, 2]], [[1, 2]]])('cry on q%j in a 3-qubit register', (qs) => {
    for (const t of [0.3, -2.2, Math.PI, 5.1]) {
      const text = `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncry(${t}) q[${qs[0]}],q[${qs[1]}];\n`;
      const native = parseQasm(text).circuit;
      expect(native.ops).toEqual([{ name: 'cry', qubits: qs, params: [t] }]);
      const macro = parseQasm(text, { nativeGates: false }).circuit;
      expect(new Set(macro.ops.map((o) => o.name))).toEqual(new Set(['u3', 'cx'])); // ry → u3(θ,0,0) → U
      const a = unitaryOf(native), b = unitaryOf(macro);
      let d = 0;
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) d = Math.max(d, Math.abs(a.re[i]![j]! - b.re[i]![j]!), Math.abs(a.im[i]![j]! - b.im[i]![j]!));
      expect(d, `cry(${t}) q${qs}`).toBeLessThanOrEqual(1e-14);
    }
  });
});

/**
 * The QCNN as built before the native gates, by hand: convolution blocks R⊗R, entangler, R⊗R;
 * each pooling CRY(φ1) from the dropped onto the kept qubit as RY(φ1/2)·CX·RY(−φ1/2)·CX, X on
 * the dropped qubit, the same with φ2, X; φ1, φ2 allocated in that order.
 */
function oldQcnn(b: CircuitBuilder, opts: QcnnOptions): number[] {
  const readout = opts.readoutQubits ?? 1, ent = opts.entangler ?? 'cz';
  let active = Array.from({ length: b.n }, (_, q) => q);
  const rot = (q: number) => {
    b.add('ry', [q], [b.newAngle()]);
    if (opts.rotations === 'ryrz') b.add('rz', [q], [b.newAngle()]);
  };
  const conv = (qs: number[]) => {
    for (const s of [0, 1]) for (let i = s; i + 1 < qs.length; i += 2) { rot(qs[i]!); rot(qs[i + 1]!); b.add(ent, [qs[i]!, qs[i + 1]!]); rot(qs[i]!); rot(qs[i + 1]!); }
  };
  const cry = (c: number, t: number, k: number) => {
    b.add('ry', [t], [{ param: k, scale: 0.5 }]); b.add('cx', [c, t]); b.add('ry', [t], [{ param: k, scale: -0.5 }]); b.add('cx', [c, t]);
  };
  while (active.length > readout) {
    conv(active);
    const pools = Math.min(Math.floor(active.length / 2), active.length - readout);
    const kept: number[] = [];
    for (let i = 0; i < active.length; i++) {
      if (i % 2 === 0 && i / 2 < pools) {
        const keep = active[i]!, drop = active[i + 1]!;
        cry(drop, keep, b.newParam()); b.add('x', [drop]); cry(drop, keep, b.newParam()); b.add('x', [drop]);
        kept.push(keep); i++;
      } else kept.push(active[i]!);
    }
    active = kept;
  }
  if (active.length >= 2) conv(active);
  return active;
}

/** A seeded entangled input: U3 on every qubit, a CX chain, RY on every qubit. */
function inputOps(n: number, seed: string): GateOp[] {
  const rng = makeRng(seed);
  const ops: GateOp[] = [];
  for (let q = 0; q < n; q++) ops.push({ name: 'u3', qubits: [q], params: [rng() * 3, rng() * 3, rng() * 3] });
  for (let q = 0; q + 1 < n; q++) ops.push({ name: 'cx', qubits: [q, q + 1], params: [] });
  for (let q = 0; q < n; q++) ops.push({ name: 'ry', qubits: [q], params: [rng() * 3] });
  return ops;
}

const build = (n: number, opts: QcnnOptions, old: boolean) => {
  const b = new CircuitBuilder(n);
  const readout = old ? oldQcnn(b, opts) : qcnn(b, opts);
  return { pc: b.build(), readout };
};
/** Parameter gradient from per-gate gradients by the chain rule (angle = scale·θ). */
function paramGrad(pc: ParamCircuit, gateGrads: Float64Array[], offset = 0): Float64Array {
  const g = new Float64Array(pc.nParams);
  pc.gates.forEach((gate, k) => (gate.angles ?? []).forEach((a, j) => { if ('param' in a) g[a.param]! += (a.scale ?? 1) * gateGrads[k + offset]![j]!; }));
  return g;
}
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

// the class: sizes with even and odd counts at some level, every readout count that pools, both
// entanglers and rotation sets
const ROWS: [number, QcnnOptions][] = [
  [4, { readoutQubits: 1 }], [4, { readoutQubits: 2 }], [4, { readoutQubits: 3 }],
  [5, { readoutQubits: 1 }], [5, { readoutQubits: 2 }], [5, { readoutQubits: 4, rotations: 'ryrz' }],
  [8, { readoutQubits: 1 }], [8, { readoutQubits: 2, entangler: 'cx' }], [8, { readoutQubits: 3 }], [8, { readoutQubits: 5, rotations: 'ryrz', entangler: 'cx' }],
  [9, { readoutQubits: 1 }], [9, { readoutQubits: 2 }], [9, { readoutQubits: 3, rotations: 'ryrz' }],
];

describe('the QCNN with native pooling is the old decomposed QCNN (same function of the same parameters)', () => {
  it.each(ROWS)('n=%i %j: same readout qubits and parameter count, same state (≤ 1e-12), same MPS readouts and parameter gradient', (n, opts) => {
    const neu = build(n, opts, false), old = build(n, opts, true);
    expect(neu.readout).toEqual(old.readout);
    expect(neu.pc.nParams).toBe(old.pc.nParams);
    const pools = neu.pc.gates.filter((g) => g.gate === 'ucry').length;
    expect(pools).toBeGreaterThan(0);
    // each pooling: 1 routed gate instead of 4 CX, 4 RY and 2 X
    expect(old.pc.gates.length - neu.pc.gates.length).toBe(9 * pools);
    const rng = makeRng(`qcnn-old-new-${n}-${JSON.stringify(opts)}`);
    const params = Float64Array.from({ length: neu.pc.nParams }, () => (rng() * 2 - 1) * Math.PI);
    const prep = inputOps(n, `in-${n}`);
    const circ = (pc: ParamCircuit): Circuit => ({ n, ops: [...prep, ...bindCircuit(pc, params).ops] });
    const a = simulateStateVector(circ(neu.pc)).toArrays(), b = simulateStateVector(circ(old.pc)).toArrays();
    expect(Math.max(maxDiff(a.re, b.re), maxDiff(a.im, b.im))).toBeLessThanOrEqual(TOL.exact);
    // MPS without truncation: readouts, and the adjoint parameter gradient of Σ_k c_k Z_{r_k} + X_0
    const M: PauliSum = [...neu.readout.map((q, k) => ({ coeff: 1 - 0.4 * k, factors: [{ q, p: 'Z' as const }] })), { coeff: 0.3, factors: [{ q: 0, p: 'X' as const }] }];
    const gn = adjointGradientMps(Mps.zeros(n), circ(neu.pc), M, { cutoff: 0 });
    const go = adjointGradientMps(Mps.zeros(n), circ(old.pc), M, { cutoff: 0 });
    expect(Math.abs(gn.value - go.value)).toBeLessThanOrEqual(TOL.exact);
    expect(maxDiff(paramGrad(neu.pc, gn.gateGradients, prep.length), paramGrad(old.pc, go.gateGradients, prep.length))).toBeLessThanOrEqual(TOL.exact);
  });
});

describe('gradients of a QCNN through ucry', () => {
  it.each([[4, 1], [5, 2], [6, 1]])('n=%i readout %i: adjoint (MPS, state vector), both parameter-shift rules and central differences agree', (n, r) => {
    const { pc, readout } = build(n, { readoutQubits: r }, false);
    const rng = makeRng(`qcnn-grad-${n}-${r}`);
    const params = Float64Array.from({ length: pc.nParams }, () => (rng() * 2 - 1) * Math.PI);
    const prep = inputOps(n, `g-${n}`);
    // a cry on distant reversed qubits too, so both native rotations are differentiated
    const c: Circuit = { n, ops: [...prep, { name: 'cry', qubits: [n - 1, 0], params: [0.77] }, ...bindCircuit(pc, params).ops] };
    const M = parsePauliSum(`Z${readout[0]} + 0.5*X${n - 1}*Z${readout[0]}`, n);
    const f = (cc: Circuit) => simulateStateVector(cc).expectPauliSum(M);
    const h = 1e-5;
    const fd = c.ops.map((op, k) => Float64Array.from(op.params, (_, j) => {
      const at = (d: number): Circuit => ({ n, ops: c.ops.map((o, i) => (i === k ? { ...o, params: o.params.map((p, jj) => (jj === j ? p + d : p)) } : o)) });
      return (f(at(h)) - f(at(-h))) / (2 * h);
    }));
    const sv = adjointGradientStateVector(c, M);
    const mps = adjointGradientMps(Mps.zeros(n), c, M, { cutoff: 0 });
    const ps = parameterShiftGradient(c, f);
    const psMps = parameterShiftGradient(c, (cc) => expectPauliSum(runCircuit(Mps.zeros(n), cc, { cutoff: 0 }).state, M));
    const flat = (g: Float64Array[]) => g.flatMap((x) => Array.from(x));
    expect(maxDiff(flat(sv.gateGradients), flat(fd))).toBeLessThanOrEqual(TOL.fd);
    for (const g of [mps.gateGradients, ps, psMps]) expect(maxDiff(flat(g), flat(sv.gateGradients))).toBeLessThanOrEqual(TOL.exact);
    // the rotations' derivatives are not trivially zero
    const k = c.ops.findIndex((o) => o.name === 'ucry');
    expect(Math.abs(sv.gateGradients[k]![0]!) + Math.abs(sv.gateGradients[k]![1]!)).toBeGreaterThan(1e-3);
  });
});

describe('parameterShiftJacobian through ucry and cry', () => {
  const NOISE: NoiseModel = { oneQubit: { depolarizing: 0.04, amplitudeDamping: 0.03 }, twoQubit: { depolarizing: 0.1, phaseDamping: 0.05 } };
  const n = 4;
  // the QCNN (readouts 0 and 2, qubits 1 and 3 dropped), then a trainable RY on dropped qubit 1
  // and a trainable cry from it onto readout 2: the readouts now see the coherence of qubit 1,
  // so the pooling's angle enters with both frequencies ½ and 1 (with the dropped qubit left
  // alone, the ½ terms vanish and a two-term rule would happen to be exact)
  const b = new CircuitBuilder(n);
  const readout = qcnn(b, { readoutQubits: 2 });
  b.add('ry', [1], [b.newAngle()]).add('cry', [1, 2], [b.newAngle(-0.5)]);
  const pc = b.build();
  const rng = makeRng('qcnn-psj');
  const params = Float64Array.from({ length: pc.nParams }, () => (rng() * 2 - 1) * Math.PI);
  const zOf = (dm: DensityMatrix) => { const z = dm.expectationsZ(); return Float64Array.from(readout, (q) => z[q]!); };

  it.each([['noiseless', null], ['under gate noise (exact density matrix)', NOISE]] as const)('%s: the four-term rule gives the exact Jacobian (central differences)', (_name, noise) => {
    const dmOf = (c: Circuit) => zOf(DensityMatrix.zeros(n).run(c, noise));
    const jac = parameterShiftJacobian(pc, bindCircuit(pc, params), readout.length, (c) => dmOf(c), 'seed');
    const h = 1e-5;
    const want = new Float64Array(readout.length * pc.nParams);
    for (let i = 0; i < pc.nParams; i++) {
      const a = params.slice(), m = params.slice();
      a[i]! += h; m[i]! -= h;
      const ra = dmOf(bindCircuit(pc, a)), rm = dmOf(bindCircuit(pc, m));
      for (let k = 0; k < readout.length; k++) want[k * pc.nParams + i] = (ra[k]! - rm[k]!) / (2 * h);
    }
    expect(maxDiff(jac, want)).toBeLessThanOrEqual(TOL.fd);
    // the check can tell: a two-term rule on the four-term gates' angles is wrong by far more
    const bound = bindCircuit(pc, params);
    let worst = 0;
    pc.gates.forEach((g, k) => {
      if (g.gate !== 'ucry' && g.gate !== 'cry') return;
      g.angles!.forEach((a, j) => {
        const at = (d: number): Circuit => ({ n, ops: bound.ops.map((o, i) => (i === k ? { ...o, params: o.params.map((v, jj) => (jj === j ? v + d : v)) } : o)) });
        const r = Float64Array.from(dmOf(at(Math.PI / 2)), (v, q) => (v - dmOf(at(-Math.PI / 2))[q]!) / 2);
        const p = (a as { param: number; scale?: number });
        for (let q = 0; q < readout.length; q++) worst = Math.max(worst, Math.abs((p.scale ?? 1) * r[q]! - want[q * pc.nParams + p.param]!));
      });
    });
    expect(worst).toBeGreaterThan(1e-3);
  });

  it('a QCNN model under 16 shots and readout error: the mean parameter-shift gradient over seeds is the exact gradient within 3 SE', () => {
    // (gate noise is the exact density-matrix row above; here the model's own estimator path)
    const spec: ModelSpec = {
      qubits: n, features: n, classes: 2, encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
      ansatz: { type: 'qcnn', layers: 0 }, readout: { type: 'qubits' }, backend: 'mps', truncation: { cutoff: 0 }, initScale: 1,
      shots: 16, noise: { readout: 0.05 },
    };
    const m = new QnnModel(spec);
    expect(m.circuit.gates.some((g) => g.gate === 'ucry')).toBe(true);
    const x = Float64Array.of(0.3, -0.7, 0.5, 0.1);
    const p = m.initParams(makeRng('qcnn-shots'));
    const c = Float64Array.of(0.7, -1.3);
    const lossFn = (z: Float64Array) => ({ loss: c[0]! * z[0]! + c[1]! * z[1]!, grad: c });
    // exact: central differences of the linear loss on the density matrix, readouts (1 − 2p)·⟨Z⟩
    const L = (q: Float64Array) => {
      const z = DensityMatrix.zeros(n).run(bindCircuit(m.circuit, q, x), null).expectationsZ(0.05);
      return lossFn(m.logits(q, Float64Array.from(m.readouts, (o) => z[o.factors[0]!.q]!))).loss;
    };
    const h = 1e-5;
    const exact = Float64Array.from(p, (_, j) => { const a = p.slice(), b = p.slice(); a[j]! += h; b[j]! -= h; return (L(a) - L(b)) / (2 * h); });
    const rows = Array.from({ length: 80 }, (_, i) => m.forwardBackward(p, x, lossFn, `s${i}`).grad);
    for (let j = 0; j < exact.length; j++) {
      const mean = rows.reduce((s, r) => s + r[j]!, 0) / rows.length;
      const se = Math.sqrt(rows.reduce((s, r) => s + (r[j]! - mean) ** 2, 0) / (rows.length - 1) / rows.length);
      expect(Math.abs(mean - exact[j]!), `param ${j}: mean ${mean} exact ${exact[j]} se ${se}`).toBeLessThan(Math.max(3 * se, 1e-9));
    }
  });
});
