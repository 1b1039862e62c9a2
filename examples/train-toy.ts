// examples/train-toy.ts — run with: npx tsx examples/train-toy.ts
import { QnnModel, gaussianBlobs, makeQnnObjective, train, makeRng } from 'qdistill';

const data = gaussianBlobs({ classes: 2, features: 4, separation: 6, seed: 11 });
const model = new QnnModel({
  qubits: 4, features: 4, classes: 2,
  encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
  ansatz: { type: 'hardware-efficient', layers: 1, entangler: 'cz' },
  readout: { type: 'qubits', qubits: [0, 1] },
  backend: 'mps', truncation: { maxBond: 16 }, initScale: 0.1,
});
const objective = await makeQnnObjective(model, data, { workers: 2 });
const result = await train(objective, model.initParams(makeRng('init')), {
  epochs: 5, batchSize: 16, seed: 7,
  optimizer: { type: 'adam' }, schedule: { type: 'cosine', lr: 0.1, lrMin: 0.01, epochs: 5 },
  checkpointDir: 'results/toy', metricsFile: 'results/toy/metrics.jsonl',
});
await objective.close();
console.log(result.history.at(-1)?.test_accuracy);
