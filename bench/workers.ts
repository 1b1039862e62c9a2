/**
 * Worker-pool speed-up of a training epoch (performance issue target: 2 workers ≤ 0.6× the time
 * of 1). Trains one epoch of a 16-qubit, 3-layer RY QNN (MPS, χ ≤ 16) on 640 seeded blob samples
 * with 1 and 2 workers and checks that the parameters are bit-identical.
 *
 * Run: npm run build && node dist/bench/workers.js [--samples 640] [--qubits 16] [--reps 3]
 */
import { parseArgs } from 'node:util';
import { makeRng } from '../mps/index.js';
import { gaussianBlobs } from '../src/data/synthetic.js';
import { QnnModel } from '../src/qnn/model.js';
import { makeQnnObjective } from '../src/distill/objective.js';
import { train } from '../src/train/loop.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '640' }, qubits: { type: 'string', default: '16' }, reps: { type: 'string', default: '3' } } });
const n = Number(values.qubits), N = Number(values.samples), reps = Math.max(1, Number(values.reps));
const data = gaussianBlobs({ classes: 2, features: n, nTrain: N, nVal: 8, nTest: 8, separation: 4, seed: 1 });
const model = new QnnModel({ qubits: n, features: n, classes: 2, encoding: { type: 'angle', rotation: 'ry', scale: Math.PI }, ansatz: { type: 'ry', layers: 3, entangler: 'cz' }, readout: { type: 'qubits', qubits: [n / 4, (3 * n) / 4] }, backend: 'mps', truncation: { maxBond: 16 }, initScale: 1 });
const results: { workers: number; seconds: number; params: Float64Array }[] = [];
for (const workers of [1, 2]) {
  const obj = await makeQnnObjective(model, data, { workers });
  // warm up: two full batches, so every worker thread has its code optimised before timing
  for (let r = 0; r < 2; r++) await obj.lossAndGrad(model.initParams(makeRng(r)), Array.from({ length: 40 }, (_, i) => i), { epoch: -1, step: r });
  // median of `reps` timed epochs, each from the same initial parameters
  const times: number[] = [];
  let params: Float64Array = new Float64Array(0);
  for (let rep = 0; rep < reps; rep++) {
    const t0 = performance.now();
    const r = await train(obj, model.initParams(makeRng('init')), { epochs: 1, batchSize: 40, seed: 1, optimizer: { type: 'adam' }, schedule: { type: 'constant', lr: 0.05 }, evalSplits: [] });
    times.push((performance.now() - t0) / 1000);
    params = r.params;
  }
  times.sort((a, b) => a - b);
  results.push({ workers, seconds: times[times.length >> 1]!, params });
  await obj.close();
}
const same = Buffer.from(results[0]!.params.buffer).equals(Buffer.from(results[1]!.params.buffer));
console.log(`one training epoch (median of ${reps}, after warm-up), ${N} samples, ${n} qubits, ${model.nParams} parameters`);
console.log('| workers | seconds | relative |');
console.log('|---|---|---|');
for (const r of results) console.log(`| ${r.workers} | ${r.seconds.toFixed(2)} | ${(r.seconds / results[0]!.seconds).toFixed(2)} |`);
console.log(`parameters bit-identical across worker counts: ${same}`);
