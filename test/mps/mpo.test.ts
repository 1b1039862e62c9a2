import { describe, expect, it } from 'vitest';
import { applyMpo, expectPauliSum, Mps, overlap, pauliSumMpo, runCircuit } from '../../mps/index.js';
import { parsePauliSum } from '../../mps/pauli-parse.js';
import { randomCircuit } from '../helpers/random-circuit.js';

describe('Pauli-sum MPO', () => {
  it.each([
    ['Z0', 5], ['Z2 + 0.5*Z3', 6], ['Z0*Z1 + Z1*Z2 + Z2*Z3 + 0.7*X0 + 0.7*X1 + 0.7*X2 + 0.7*X3', 4],
    ['0.3*Y1*X4 - 2*Z0*Z5 + X2 + 1.5', 6], ['X0*X2 - 0.5*X1*X3 + Z2', 5],
  ] as const)('⟨ψ|M|ψ⟩ via the MPO equals the sum of Pauli-string expectations: %s', (text, n) => {
    const M = parsePauliSum(text, n);
    const psi = runCircuit(Mps.zeros(n), randomCircuit(n, 40, `mpo-${text}`)).state;
    const lam = applyMpo(pauliSumMpo(n, M), psi);
    const v = overlap(psi, lam);
    expect(Math.abs(v.re / psi.normSquared() - expectPauliSum(psi, M))).toBeLessThan(1e-12);
    expect(Math.abs(v.im)).toBeLessThan(1e-12);
    expect(lam.canonicalFormError()).toBeLessThan(1e-10);
  });
  it('prunes dead channels: bond 1 away from local terms, 3 in the bulk of a TFIM', () => {
    const n = 8;
    const local = pauliSumMpo(n, parsePauliSum('Z3 + 0.5*Z4', n));
    expect(local.sites.map((w) => w.Dr)).toEqual([1, 1, 1, 2, 1, 1, 1, 1]);
    const tfim = parsePauliSum(Array.from({ length: n - 1 }, (_, i) => `Z${i}*Z${i + 1}`).concat(Array.from({ length: n }, (_, i) => `X${i}`)).join(' + '), n);
    expect(Math.max(...pauliSumMpo(n, tfim).sites.map((w) => w.Dr))).toBe(3);
  });
});
