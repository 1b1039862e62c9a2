// examples/circuit-file.ts — run with: npx tsx examples/circuit-file.ts
import { readFileSync } from 'node:fs';
import { Mps, amplitude, bondEntropies, expectPauliSum, runCircuitInPlace } from 'qdistill/mps';
import { parsePauliSum, parseQasm } from 'qdistill';

// a 6-qubit GHZ state with ry(π/3) on the last qubit, one of the circuits shipped in experiments/circuits/
const file = new URL('../experiments/circuits/ghz-ry6.qasm', import.meta.url);
const { circuit } = parseQasm(readFileSync(file, 'utf8'));
const psi = Mps.zeros(circuit.n);
runCircuitInPlace(psi, circuit, { maxBond: 16 });
console.log(expectPauliSum(psi, parsePauliSum('Z0*Z5 + 0.5*X3', circuit.n)));  // ≈ 0.5 (= cos π/3)
console.log(amplitude(psi, '000000').re);                                      // ≈ 0.612372 (= cos(π/6)/√2)
console.log(Array.from(bondEntropies(psi)).map((s) => s.toFixed(6)).join(' ')); // ln 2 = 0.693147 nats at every bond
