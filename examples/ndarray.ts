// examples/ndarray.ts — run with: npx tsx examples/ndarray.ts
import {
  Mps, runCircuit, siteView, siteViews, stateVectorNd, reducedDensityMatrix, correlationMatrix,
} from 'qdistill/mps';
import { brickworkCircuit, StateVectorBackend, simulateStateVector } from 'qdistill';

const circuit = brickworkCircuit(8, 4, 7);
const { state: psi } = runCircuit(Mps.zeros(8), circuit, { maxBond: 8 });
const A = siteView(psi, 3);                 // zero-copy views, shape [χL, 2, χR]
console.log(A.re.shape, A.re.get(0, 1, 0));
const rho = reducedDensityMatrix(psi, [2, 5]);   // { re, im } ndarrays [4, 4], index 2·b2 + b5
const zz = correlationMatrix(psi, 'Z', 'Z');     // ndarray [8, 8], zz.get(i, j) = ⟨Z_i Z_j⟩
console.log(rho.re.get(0, 0), zz.get(2, 5));
const copy = Mps.fromSites(siteViews(psi));      // ndarray site tensors in (copied, re-canonicalised)

const sv = simulateStateVector(circuit);
const amps = sv.amplitudesView();                // zero-copy views [2, …, 2] of the live state
const perm = [7, 6, 5, 4, 3, 2, 1, 0];           // qubit order reversed, strides honoured:
const mirrored = StateVectorBackend.fromAmplitudes(amps.re.transpose(...perm), amps.im && amps.im.transpose(...perm));
const back = stateVectorNd(Mps.fromStateVector(amps.re, amps.im)); // dense → MPS → ndarray [2, …, 2]
console.log(back.re.get(0, 0, 0, 0, 0, 0, 0, 0), amps.re.get(0, 0, 0, 0, 0, 0, 0, 0), copy.norm());
console.log(mirrored.n);
