/** Shot-based readout: estimates within 3 SE of exact ⟨Z⟩, per-shot seeds, readout flips, SE formula. */
import { describe, expect, it } from 'vitest';
import { runCircuitInPlace } from '../../mps/apply.js';
import { localExpectations } from '../../mps/measure.js';
import { Mps } from '../../mps/mps.js';
import { estimateZFromShots, sampleShotsWithReadout, zFromSamples } from '../../mps/shots.js';
import { brickworkCircuit, randomCircuit } from '../helpers/random-circuit.js';

function state(kind: 'real' | 'complex'): Mps {
  const c = kind === 'real' ? brickworkCircuit(6, 3, 7) : randomCircuit(5, 30, 'shots-c', { local: true });
  const psi = Mps.zeros(c.n);
  runCircuitInPlace(psi, c);
  return psi;
}

describe('shot estimates of ⟨Z_q⟩', () => {
  it.each([['real', 0], ['real', 0.1], ['complex', 0], ['complex', 0.25]] as const)('%s state, readout flip %f: within 3 SE of (1 − 2p)·⟨Z⟩', (kind, p) => {
    const psi = state(kind);
    const exact = localExpectations(psi, 'Z');
    const K = 3000;
    const est = estimateZFromShots(psi, K, `s-${kind}-${p}`, p);
    expect(est.shots).toBe(K);
    for (let q = 0; q < psi.n; q++) {
      const target = (1 - 2 * p) * exact[q]!;
      // + 1e-12: a qubit with ⟨Z⟩ = ±1 up to rounding gives identical shots and SE 0
      expect(Math.abs(est.z[q]! - target)).toBeLessThanOrEqual(3 * est.standardError[q]! + 1e-12);
      // SE of the mean of K values ±1: √((1 − z²)/(K − 1))
      expect(est.standardError[q]).toBeCloseTo(Math.sqrt((1 - est.z[q]! ** 2) / (K - 1)), 14);
    }
  });
  it('each shot has its own seed: shots 3…7 alone equal shots 3…7 of a batch; same seed, same shots', () => {
    const psi = state('complex');
    const all = sampleShotsWithReadout(psi, 10, 'x', 0.2);
    expect(sampleShotsWithReadout(psi, 5, 'x', 0.2, 3)).toEqual(all.slice(3, 8));
    expect(sampleShotsWithReadout(psi, 10, 'x', 0.2)).toEqual(all);
    expect(sampleShotsWithReadout(psi, 10, 'y', 0.2)).not.toEqual(all);
  });
  it('readout flip p = 1 inverts every bit of the noiseless shot', () => {
    const psi = state('real');
    const a = sampleShotsWithReadout(psi, 20, 'f', 0);
    const b = sampleShotsWithReadout(psi, 20, 'f', 1);
    expect(b).toEqual(a.map((s) => Array.from(s, (c) => (c === '0' ? '1' : '0')).join('')));
  });
  it('zFromSamples by hand: groups of 2 give the SE of the group means', () => {
    // qubit 0: shots +1 +1 | −1 +1 | −1 −1 → group means 1, 0, −1 → mean 0, SE = √(Σ(m − 0)²/(G−1)/G) = √(2/2/3)
    const e = zFromSamples(['00', '01', '10', '01', '11', '10'], 2, 2);
    expect(e.z[0]).toBe(0);
    expect(e.standardError[0]).toBeCloseTo(Math.sqrt(1 / 3), 15);
    // qubit 1: +1 −1 | +1 −1 | −1 +1 → group means 0, 0, 0
    expect(e.z[1]).toBe(0);
    expect(e.standardError[1]).toBe(0);
    expect(() => zFromSamples(['0', '1', '1'], 1, 2)).toThrow(/groupSize must be an integer ≥ 1 dividing the 3 samples, got 2/);
    expect(() => zFromSamples(['0x'], 2)).toThrow(/bit 1 must be '0' or '1'/);
  });
  it('rejects bad arguments naming them', () => {
    const psi = state('real');
    expect(() => estimateZFromShots(psi, 0, 1)).toThrow(/shots must be an integer ≥ 1, got 0/);
    expect(() => estimateZFromShots(psi, 5, 1, 1.5)).toThrow(/readoutError must be a number in \[0, 1\], got 1.5/);
  });
});
