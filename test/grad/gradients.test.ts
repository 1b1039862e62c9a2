import { describe, expect, it } from 'vitest';
import { adjointGradientMps, expectPauliSum, Mps, runCircuit, type Circuit, type PauliSum } from '../../mps/index.js';
import { parsePauliSum } from '../../mps/pauli-parse.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { parameterShiftGradient } from '../../src/grad/param-shift.js';
import { adjointGradientStateVector } from '../../src/backends/statevector-adjoint.js';
import { brickworkCircuit, randomCircuit } from '../helpers/random-circuit.js';

// fd: central differences at h = 1e-5 err by ≈ h²/6·‖M‖ (truncation) + ε‖M‖/h (rounding) ≈ 4e-11·‖M‖;
// the largest seen is 8.5e-11, so 1e-9 fails a gradient that is wrong in the tenth digit.
// exact: two exact methods (adjoint, parameter shift, MPS without truncation, state vector) agree to
// rounding, seen ≤ 4e-14; 1e-12 keeps a 25× margin.
const TOL = { fd: 1e-9, exact: 1e-12 };
const svValue = (obs: PauliSum) => (c: Circuit) => simulateStateVector(c).expectPauliSum(obs);

function centralDifferences(c: Circuit, f: (c: Circuit) => number, h = 1e-5): Float64Array[] {
  return c.ops.map((op, k) => Float64Array.from(op.params, (_, j) => {
    const at = (d: number): Circuit => ({ n: c.n, ops: c.ops.map((o, i) => (i === k ? { ...o, params: o.params.map((p, jj) => (jj === j ? p + d : p)) } : o)) });
    return (f(at(h)) - f(at(-h))) / (2 * h);
  }));
}

function maxDiff(a: Float64Array[], b: Float64Array[]): number {
  let m = 0;
  a.forEach((x, k) => x.forEach((v, j) => { m = Math.max(m, Math.abs(v - b[k]![j]!)); }));
  return m;
}

const OBS = ['Z0', 'Z0 + 0.5*Z1*Z2 - 0.25*X3', '0.3*Y1*X2 + 2*Z3 - X0*Z2'];

describe('gradients on seeded random circuits (no truncation)', () => {
  const cases = Array.from({ length: 24 }, (_, k) => ({ k, n: 4 + (k % 5), obs: OBS[k % OBS.length]! }));
  it.each(cases)('circuit $k (n=$n, M = $obs): adjoint (SV, MPS) and parameter shift match finite differences and each other', ({ k, n, obs }) => {
    const c = randomCircuit(n, 30, `grad-${k}`);
    const M = parsePauliSum(obs, n);
    const fd = centralDifferences(c, svValue(M));
    const sv = adjointGradientStateVector(c, M);
    const mps = adjointGradientMps(Mps.zeros(n), c, M, { cutoff: 0 });
    const psSv = parameterShiftGradient(c, svValue(M));
    const psMps = parameterShiftGradient(c, (cc) => expectPauliSum(runCircuit(Mps.zeros(n), cc, { cutoff: 0 }).state, M));
    expect(Math.abs(sv.value - svValue(M)(c))).toBeLessThan(1e-12);
    expect(Math.abs(mps.value - sv.value)).toBeLessThan(1e-10);
    for (const g of [sv.gateGradients, mps.gateGradients, psSv, psMps]) expect(maxDiff(g, fd)).toBeLessThan(TOL.fd);
    expect(maxDiff(sv.gateGradients, psSv)).toBeLessThan(TOL.exact);
    expect(maxDiff(mps.gateGradients, psMps)).toBeLessThan(TOL.exact);
    expect(maxDiff(mps.gateGradients, sv.gateGradients)).toBeLessThan(TOL.exact);
  });
});

describe('MPS adjoint under truncation', () => {
  // The adjoint treats the truncation projectors as constants; parameter shift differentiates
  // the truncated simulation itself. Observed on this seed (n = 10, RX·RZ-CZ brickwork, L = 5,
  // maxBond 4, fidelity estimate 0.988): max |Δ| = 0.0192 over 100 parameters whose gradients
  // are O(1). We assert ≤ 0.05, and that the gap vanishes (observed 1.3e-14) without truncation.
  it.each([{ maxBond: 4, gap: 0.05 }, { maxBond: 64, gap: 1e-9 }])('maxBond $maxBond: |adjoint − parameter shift| ≤ $gap', ({ maxBond, gap }) => {
    const n = 10;
    const c = brickworkCircuit(n, 5, 'grad-trunc', 'rxrz');
    const M = parsePauliSum('Z4 + 0.5*Z5*Z6', n);
    const opts = { maxBond, cutoff: 0 };
    const adj = adjointGradientMps(Mps.zeros(n), c, M, opts);
    const ps = parameterShiftGradient(c, (cc) => expectPauliSum(runCircuit(Mps.zeros(n), cc, opts).state, M));
    const d = maxDiff(adj.gateGradients, ps);
    if (maxBond === 4) expect(adj.report.truncations).toBeGreaterThan(0);
    expect(d).toBeLessThan(gap);
  });
});
