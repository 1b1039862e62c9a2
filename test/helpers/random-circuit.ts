/** Seeded random circuits over the whole gate library, for the MPS ⇄ state-vector tests. */
import { GATES, type Circuit, type GateOp } from '../../mps/gates.js';
import { makeRng, type Rng } from '../../mps/rng.js';
import type { CMatrix } from '../../mps/complex.js';

/** A Haar-ish random unitary of dimension d via Gram–Schmidt on a complex Gaussian matrix. */
export function randomUnitary(d: number, rng: Rng): CMatrix {
  const g = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const re = new Float64Array(d * d), im = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) { re[i] = g(); im[i] = g(); }
  // orthonormalise columns
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) {
      let pr = 0, pi = 0; // <col_k, col_j>
      for (let i = 0; i < d; i++) {
        const ar = re[i * d + k]!, ai = im[i * d + k]!, br = re[i * d + j]!, bi = im[i * d + j]!;
        pr += ar * br + ai * bi; pi += ar * bi - ai * br;
      }
      for (let i = 0; i < d; i++) {
        const ar = re[i * d + k]!, ai = im[i * d + k]!;
        re[i * d + j]! -= pr * ar - pi * ai; im[i * d + j]! -= pr * ai + pi * ar;
      }
    }
    let nrm = 0;
    for (let i = 0; i < d; i++) nrm += re[i * d + j]! ** 2 + im[i * d + j]! ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < d; i++) { re[i * d + j]! /= nrm; im[i * d + j]! /= nrm; }
  }
  return { dim: d, re, im };
}

/** A random circuit with `nGates` gates drawn uniformly from the library plus explicit unitaries. */
export function randomCircuit(n: number, nGates: number, seed: string | number, opts: { realOnly?: boolean; local?: boolean } = {}): Circuit {
  const rng = makeRng(seed);
  const names = Object.keys(GATES).filter((k) => !opts.realOnly || GATES[k]!.real).filter((k) => n > 1 || GATES[k]!.arity === 1);
  const ops: GateOp[] = [];
  for (let k = 0; k < nGates; k++) {
    const useUnitary = !opts.realOnly && rng() < 0.08;
    const name = useUnitary ? 'unitary' : names[Math.floor(rng() * names.length)]!;
    const arity = useUnitary ? (n > 1 && rng() < 0.5 ? 2 : 1) : GATES[name]!.arity;
    const q0 = Math.floor(rng() * n);
    let q1 = q0;
    if (arity === 2) {
      if (opts.local) q1 = q0 + 1 < n ? q0 + 1 : q0 - 1;
      else while (q1 === q0) q1 = Math.floor(rng() * n);
    }
    const qubits = arity === 2 ? [q0, q1] : [q0];
    const params = useUnitary ? [] : Array.from({ length: GATES[name]!.nParams }, () => (rng() * 4 - 2) * Math.PI);
    const op: GateOp = { name, qubits, params };
    if (useUnitary) op.matrix = randomUnitary(2 ** arity, rng);
    ops.push(op);
  }
  return { n, ops };
}

export { brickworkCircuit } from '../../src/circuit/brickwork.js';
