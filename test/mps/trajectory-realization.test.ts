/**
 * Trajectories under Pauli noise realized as circuits (mps/trajectory-realization.ts): over a
 * table of circuits × Pauli noise models × seeds, the realization run in the runner's order
 * gives runTrajectoryInPlace's state bit for bit and leaves the generator where the runner
 * leaves it; the realized circuit run as an ordinary circuit (MPS and the exact state vector)
 * agrees to rounding; the origin map points back at the original gates; the draw frequencies
 * match the channel probabilities; state-dependent noise is refused.
 */
import { describe, expect, it } from 'vitest';
import { runCircuitInPlace } from '../../mps/apply.js';
import type { Circuit, GateOp } from '../../mps/gates.js';
import { Mps } from '../../mps/mps.js';
import type { Channel, NoiseModel } from '../../mps/noise.js';
import { makeRng } from '../../mps/rng.js';
import { pauliChannelDraw, runTrajectoryInPlace, trajectorySeed } from '../../mps/trajectories.js';
import { realizeTrajectory, runRealizationInPlace, stateDependentRate } from '../../mps/trajectory-realization.js';
import { StateVectorBackend } from '../../src/backends/statevector.js';
import { brickworkCircuit, randomCircuit } from '../helpers/random-circuit.js';

const op = (name: string, qubits: number[], params: number[] = []): GateOp => ({ name, qubits, params });

const CIRCUITS: [string, Circuit][] = [
  ['entangled chain n=4', { n: 4, ops: [...[0, 1, 2, 3].map((q) => op('ry', [q], [1 + 0.2 * q])), op('cx', [0, 1]), op('cx', [2, 3]), ...[0, 1, 2, 3].map((q) => op('ry', [q], [0.6 - 0.3 * q])), op('cx', [1, 2]), op('x', [2]), ...[0, 1, 2, 3].map((q) => op('ry', [q], [0.3]))] }],
  ['brickwork RY-CZ n=5 L=2', brickworkCircuit(5, 2, 11)],
  ['complex, distant gates, n=4', { n: 4, ops: [op('h', [0]), op('rx', [1], [1.2]), op('cx', [0, 3]), op('rz', [3], [0.7]), op('cy', [3, 1]), op('u3', [2], [1, 0.5, -0.3]), op('rzz', [0, 2], [0.9]), op('ry', [3], [0.8]), op('swap', [1, 2]), op('sx', [0]), op('h', [1]), op('h', [3])] }],
  ['random n=6 (local pairs)', randomCircuit(6, 30, 'real-6', { local: true })],
  ['random n=5 (distant pairs)', randomCircuit(5, 24, 'real-5')],
];

const MODELS: [string, NoiseModel][] = [
  ['depolarizing 1q', { oneQubit: { depolarizing: 0.3 } }],
  ['depolarizing 2q', { twoQubit: { depolarizing: 0.4 } }],
  ['phase damping', { oneQubit: { phaseDamping: 0.5 }, twoQubit: { phaseDamping: 0.4 } }],
  ['readout flip only', { readout: 0.1 }],
  ['mixed Pauli, per-gate override', { oneQubit: { depolarizing: 0.1, phaseDamping: 0.2 }, twoQubit: { depolarizing: 0.2, phaseDamping: 0.1 }, gates: { cx: { depolarizing: 0.5 }, ry: { phaseDamping: 0.6 } }, readout: 0.05 }],
];

const SEEDS = ['a', 7, 'b'];
const TRUNCATIONS: [string, { maxBond?: number; cutoff?: number }][] = [['exact', { cutoff: 0 }], ['χ = 2', { maxBond: 2 }]];

function sameBits(a: Mps, b: Mps): boolean {
  if (a.center !== b.center || a.n !== b.n) return false;
  return a.sites.every((s, q) => {
    const t = b.sites[q]!;
    if (s.dl !== t.dl || s.dr !== t.dr || (s.im === null) !== (t.im === null)) return false;
    const eq = (x: Float64Array, y: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    return eq(s.re, t.re) && (s.im === null || eq(s.im, t.im!));
  });
}

function amplitudes(psi: Mps): { re: Float64Array; im: Float64Array } {
  const v = psi.toStateVector();
  return { re: v.re, im: v.im ?? new Float64Array(v.re.length) };
}

describe('a realized trajectory is the runner\'s trajectory', () => {
  let inserted = 0;
  for (const [cname, c] of CIRCUITS) {
    it.each(MODELS)(`${cname} × %s`, (_mname, model) => {
      for (const seed of SEEDS) {
        for (let t = 0; t < 2; t++) {
          const rngA = makeRng(trajectorySeed(seed, t)), rngB = makeRng(trajectorySeed(seed, t));
          const real = realizeTrajectory(c, model, rngB);
          inserted += real.errors;
          // the realization consumed the generator exactly as the runner does
          for (const [, trunc] of TRUNCATIONS) {
            const a = Mps.zeros(c.n), b = Mps.zeros(c.n);
            const ra = runTrajectoryInPlace(a, c, model, makeRng(trajectorySeed(seed, t)), trunc);
            const rb = runRealizationInPlace(b, c, real, trunc);
            expect(sameBits(a, b), `seed ${seed} trajectory ${t}`).toBe(true);
            expect({ ...rb, seconds: 0 }).toEqual({ ...ra, seconds: 0 });
          }
          runTrajectoryInPlace(Mps.zeros(c.n), c, model, rngA);
          expect(rngB()).toBe(rngA());
          // the flat realized circuit: the original gates, in order, at origin ≥ 0, each followed by its Paulis
          const kept = real.circuit.ops.filter((_, i) => real.origin[i]! >= 0);
          expect(kept).toEqual(c.ops);
          expect(Array.from(real.origin).filter((k) => k >= 0)).toEqual(c.ops.map((_, k) => k));
          real.circuit.ops.forEach((o, i) => {
            if (real.origin[i]! < 0) {
              expect(o.params).toEqual([]);
              expect(['x', 'z', 'unitary']).toContain(o.name);
              if (o.name === 'unitary') expect(o.matrix!.im).toBeNull();
            }
          });
          expect(real.circuit.ops.length).toBe(c.ops.length + real.errors);
          // as an ordinary circuit (other moments): the exact trajectory state to rounding, on the MPS and the state vector
          const exact = Mps.zeros(c.n);
          runTrajectoryInPlace(exact, c, model, makeRng(trajectorySeed(seed, t)), { cutoff: 0 });
          const flat = Mps.zeros(c.n);
          runCircuitInPlace(flat, real.circuit, { cutoff: 0 });
          const sv = StateVectorBackend.zeros(c.n);
          sv.run(real.circuit);
          const ref = sv.toArrays();
          for (const psi of [flat, exact]) {
            const { re, im } = amplitudes(psi);
            let err = 0;
            for (let i = 0; i < re.length; i++) err = Math.max(err, Math.abs(re[i]! - ref.re[i]!), Math.abs(im[i]! - ref.im[i]!));
            expect(err).toBeLessThan(1e-12);
          }
        }
      }
    });
  }
  it('the table inserts Paulis (it can tell a realization from the bare circuit)', () => {
    expect(inserted).toBeGreaterThan(100);
  });

  it('a model without gate channels realizes the circuit itself and draws nothing', () => {
    const c = CIRCUITS[0]![1];
    const rng = makeRng('x');
    const real = realizeTrajectory(c, { readout: 0.2 }, rng);
    expect(real.errors).toBe(0);
    expect(real.circuit.ops).toEqual(c.ops);
    expect(rng()).toBe(makeRng('x')());
  });
});

describe('the Pauli draws follow the channel probabilities', () => {
  // 200 000 draws per channel: each count within 5 binomial standard deviations of N·p
  const N = 200_000;
  const cases: [string, Channel, number[]][] = [
    ['depolarizing 1q P = 0.6', { kind: 'depolarizing', qubits: [0], p: 0.6 }, [1 - 0.45, 0.15, 0.15, 0.15]],
    ['depolarizing 2q P = 0.8', { kind: 'depolarizing', qubits: [0, 1], p: 0.8 }, [1 - 0.75, ...Array(15).fill(0.05)]],
    ['phase damping λ = 0.64', { kind: 'phaseDamping', qubits: [0], p: 0.64 }, [0.8, 0, 0, 0.2]],
  ];
  it.each(cases)('%s', (_n, ch, probs) => {
    const rng = makeRng('draws');
    const counts = new Array(probs.length).fill(0);
    for (let i = 0; i < N; i++) counts[pauliChannelDraw(ch, rng())]++;
    probs.forEach((p, s) => {
      const sd = Math.sqrt(N * p * (1 - p));
      expect(Math.abs(counts[s] - N * p), `string ${s}: ${counts[s]} vs ${N * p}`).toBeLessThanOrEqual(5 * sd + (p === 0 ? 0 : 1));
    });
  });
});

describe('state-dependent noise is refused', () => {
  it.each([
    [{ oneQubit: { amplitudeDamping: 0.1 } }, 'oneQubit.amplitudeDamping'],
    [{ twoQubit: { depolarizing: 0.1, amplitudeDamping: 0.01 } }, 'twoQubit.amplitudeDamping'],
    [{ gates: { cx: { amplitudeDamping: 0.2 } } }, 'gates.cx.amplitudeDamping'],
  ] as [NoiseModel, string][])('%j', (model, path) => {
    expect(stateDependentRate(model)).toBe(path);
    expect(() => realizeTrajectory(CIRCUITS[0]![1], model, makeRng(1))).toThrow(new RegExp(`noise\\.${path.replace(/\./g, '\\.')} is a state-dependent channel`));
  });
  it('rates of 0 and Pauli channels are accepted', () => {
    for (const [, m] of MODELS) expect(stateDependentRate(m) === null).toBe(true);
    expect(stateDependentRate({ oneQubit: { amplitudeDamping: 0 } }) === null).toBe(true);
    expect(stateDependentRate(undefined) === null).toBe(true);
  });
});
