/**
 * The brickwork RY-CZ benchmark family of docs/design.md §7: from |0…0⟩, each layer applies
 * RY(θ) on every qubit, CZ on (0,1),(2,3),…, then CZ on (1,2),(3,4),…. Angles are seeded and
 * uniform in [0, 2π). The complex variant applies RX(a)·RZ(b) in place of RY.
 */
import type { Circuit, GateOp } from '../../mps/gates.js';
import { makeRng } from '../../mps/rng.js';

/** Builds the brickwork circuit on `n` qubits with `layers` layers. */
export function brickworkCircuit(n: number, layers: number, seed: string | number, variant: 'ry' | 'rxrz' = 'ry'): Circuit {
  if (!Number.isInteger(n) || n < 2) throw new Error(`brickwork: n must be an integer ≥ 2, got ${n}`);
  if (!Number.isInteger(layers) || layers < 0) throw new Error(`brickwork: layers must be an integer ≥ 0, got ${layers}`);
  const rng = makeRng(seed);
  const ops: GateOp[] = [];
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) {
      if (variant === 'rxrz') {
        ops.push({ name: 'rx', qubits: [q], params: [rng() * 2 * Math.PI] });
        ops.push({ name: 'rz', qubits: [q], params: [rng() * 2 * Math.PI] });
      } else ops.push({ name: 'ry', qubits: [q], params: [rng() * 2 * Math.PI] });
    }
    for (let q = 0; q + 1 < n; q += 2) ops.push({ name: 'cz', qubits: [q, q + 1], params: [] });
    for (let q = 1; q + 1 < n; q += 2) ops.push({ name: 'cz', qubits: [q, q + 1], params: [] });
  }
  return { n, ops };
}

/** Number of two-qubit gates in a brickwork circuit: L·(n − 1). */
export function brickworkTwoQubitGates(n: number, layers: number): number {
  return layers * (n - 1);
}
