/**
 * Worker-pool speed-up of a training epoch (performance issue target: 2 workers ≤ 0.6× the time
 * of 1). Trains one epoch of a 16-qubit, 3-layer RY QNN (MPS, χ ≤ 16) on 640 seeded blob samples
 * with 1 and 2 workers and checks that the parameters are bit-identical.
 *
 * Run: npm run build && node dist/bench/workers.js [--samples 640] [--qubits 16]
 */
import { parseArgs } from 'node:util';
import { makeRng } from '../mps/index.js';
import { gaussianBlobs } from '../src/data/synthetic.js';
import { QnnModel } from '../src/qnn/model.js';
import { makeQnnObjective } from '../src/qnn/objective.js';
import { train } from '../src/train/loop.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '640' }, qubits: { type: 'string', default: '16' } } });
const n = Number(values.qubits), N = Number(values.samples);
const data = gaussianBlobs({ classes: 2, features: n, nTrain: N, nVal: 8, nTest: 8, separation: 4, seed: 1 });
const model = new QnnModel({ qubits: n, features: n, classes: 2, encoding: { type: 'angle', rotation: 'ry', scale: Math.PI }, ansatz: { type: 'ry', layers: 3, entangler: 'cz' }, readout: { type: 'qubits', qubits: [n / 4, (3 * n) / 4] }, backend: 'mps', truncation: { maxBond: 16 }, initScale: 1 });
const results: { workers: number; seconds: number; params: Float64Array }[] = [];
for (const workers of [1, 2]) {
  const obj = await makeQnnObjective(model, data, { workers });
  await obj.lossAndGrad(model.initParams(makeRng(0)), [0, 1], { epoch: -1, step: 0 }); // warm up the workers
  const t0 = performance.now();
  const r = await train(obj, model.initParams(makeRng('init')), { epochs: 1, batchSize: 40, seed: 1, optimizer: { type: 'adam' }, schedule: { type: 'constant', lr: 0.05 }, evalSplits: [] });
  results.push({ workers, seconds: (performance.now() - t0) / 1000, params: r.params });
  await obj.close();
}
const same = Buffer.from(results[0]!.params.buffer).equals(Buffer.from(results[1]!.params.buffer));
console.log(`one training epoch, ${N} samples, ${n} qubits, ${model.nParams} parameters`);
console.log('| workers | seconds | relative |');
console.log('|---|---|---|');
for (const r of results) console.log(`| ${r.workers} | ${r.seconds.toFixed(2)} | ${(r.seconds / results[0]!.seconds).toFixed(2)} |`);
console.log(`parameters bit-identical across worker counts: ${same}`);
