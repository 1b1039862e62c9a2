// examples/noise.ts — run with: npx tsx examples/noise.ts
import { DensityMatrix, Mps, brickworkCircuit, estimateZFromShots, parseNoiseModel, runCircuitInPlace, simulateTrajectories } from 'qdistill';

const circuit = brickworkCircuit(6, 3, 7);
const noise = parseNoiseModel({ oneQubit: { depolarizing: 0.01 }, twoQubit: { depolarizing: 0.05, amplitudeDamping: 0.02 }, readout: 0.02 });
const r = simulateTrajectories(circuit, noise, { trajectories: 300, seed: 1 });     // r.z, r.standardError
const exact = DensityMatrix.zeros(6).run(circuit, noise).expectationsZ(noise.readout);
for (let q = 0; q < 6; q++) {
  if (Math.abs(r.z[q] - exact[q]) > 3 * r.standardError[q] + 1e-12) throw new Error(`qubit ${q}: ${r.z[q]} vs ${exact[q]}`);
}
const psi = Mps.zeros(6);
runCircuitInPlace(psi, circuit);
const shots = estimateZFromShots(psi, 1000, 'shots', 0.02);                       // shots.z, shots.standardError
console.log(Array.from(r.z, (z, q) => `${z.toFixed(3)}±${r.standardError[q].toFixed(3)}`).join(' '), shots.z[0]);
