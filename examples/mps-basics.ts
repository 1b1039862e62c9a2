// examples/mps-basics.ts — run with: npx tsx examples/mps-basics.ts
import { Mps, runCircuitInPlace, localExpectationsNd, sampleBitstrings } from 'qdistill/mps';
import { brickworkCircuit } from 'qdistill';

const circuit = brickworkCircuit(64, 8, 1234);              // 64 qubits, 8 layers, seeded angles
const psi = Mps.zeros(64);
const report = runCircuitInPlace(psi, circuit, { maxBond: 32, cutoff: 1e-10 });
console.log(report.fidelityEstimate, report.bondReached);  // ≈ 0.9999978, 32
const z = localExpectationsNd(psi, 'Z');                     // ⟨Z_q⟩ as an ndarray [64], one O(nχ³) sweep
console.log(z.get(0));
const shots = sampleBitstrings(psi, 10, 'seed-1');           // perfect sampling, qubit 0 first
console.log(shots[0]);
