// examples/hardware.ts — run with: npx tsx examples/hardware.ts
import { QnnModel, makeRng, type ModelSpec } from 'qdistill';

const spec: ModelSpec = { qubits: 3, features: 3, classes: 2, encoding: { type: 'angle', rotation: 'ry', scale: Math.PI }, ansatz: { type: 'ry', layers: 2 }, readout: { type: 'qubits', qubits: [0, 2] }, backend: 'mps' };
const exact = new QnnModel(spec);
const hw = new QnnModel({ ...spec, shots: 256, noise: { twoQubit: { depolarizing: 0.01 } }, trajectories: 8 });
const params = exact.initParams(makeRng(1));
const x = [0.1, 0.5, -0.3];
const r = hw.forward(params, x, 'sample-0').readouts;                  // 256 shots over 8 trajectories
const g = hw.forwardBackward(params, x, (z) => ({ loss: z[0], grad: Float64Array.of(1, 0) }), 'sample-0').grad;
console.log(exact.gradientMethod, hw.gradientMethod, exact.forward(params, x).readouts[0].toFixed(3), r[0].toFixed(3), g.length);
