/**
 * `qdistill demo`: the simulator demo (the main job until the distillation demo lands).
 * Runs a 64-qubit brickwork RY-CZ circuit at several bond dimensions and prints the
 * fidelity estimate, Σ⟨Z⟩ and time for each, showing how χ controls accuracy and cost.
 */
import { localExpectations, Mps, runCircuitInPlace } from '../../mps/index.js';
import { brickworkCircuit } from '../circuit/brickwork.js';

/** Runs the demo and returns the printed table. */
export function demoCommand(): string {
  const n = 64, layers = 8;
  const circuit = brickworkCircuit(n, layers, 1234);
  const lines = [
    `qdistill simulator demo: brickwork RY-CZ, n = ${n}, L = ${layers}, cutoff 1e-10, seed 1234`,
    '',
    '| maxBond | bond reached | fidelity estimate | sum <Z> | seconds |',
    '|---|---|---|---|---|',
  ];
  for (const maxBond of [2, 4, 8, 16, 32, 64]) {
    const psi = Mps.zeros(n);
    const t0 = performance.now();
    const r = runCircuitInPlace(psi, circuit, { maxBond, cutoff: 1e-10 });
    const z = localExpectations(psi, 'Z');
    const sec = (performance.now() - t0) / 1000;
    const sum = z.reduce((a, b) => a + b, 0);
    lines.push(`| ${maxBond} | ${r.maxBondReached} | ${r.fidelityEstimate.toFixed(10)} | ${sum.toFixed(8)} | ${sec.toFixed(3)} |`);
  }
  lines.push('', 'The fidelity estimate F = Π(1 − ε) over all truncations approaches 1 as maxBond grows;', 'once maxBond exceeds the bond the circuit needs at this cutoff, nothing more is discarded.');
  return lines.join('\n');
}
