#!/usr/bin/env node
/**
 * A tiny, seeded QNN training run for the kill-and-resume tests
 * (test/reliability/kill-resume.test.ts). Needs the compiled library (`npm run build`).
 *
 *   node scripts/kill-resume-train.mjs <dir> [--resume]
 *
 * Trains a 4-qubit QNN on seeded Gaussian blobs with checkpoints in <dir>/ckpt (SIGINT handled:
 * the current epoch finishes and is checkpointed). When training completes it writes
 * <dir>/final.json: the final and best parameters as hex of their Float64 bytes, and the
 * history without the wall-clock `seconds`. Prints one status line on stdout; on an error it
 * prints `error: <message>` on stderr and exits 1.
 *
 * Test hooks (environment variables), to land a kill inside a checkpoint write:
 *   QD_PAUSE_BEFORE_RENAME=k  pause in the k-th checkpoint write of this process after the temp
 *                             file is written and fsynced, before it is renamed over
 *                             checkpoint.json
 *   QD_PAUSE_AFTER_RENAME=k   pause in the k-th checkpoint write right after the rename, before
 *                             the directory fsync
 *   QD_PAUSE_AT_BATCH=k       pause at the start of the k-th minibatch step of this process
 *                             (before its loss and gradient are computed), so a kill lands at a
 *                             known point of training rather than after a wall-clock delay
 * A paused process creates <dir>/paused (holding the temp file's path, or `batch k`) and waits
 * to be killed.
 *   QD_MARK_SIGINT=1          on the first SIGINT also create <dir>/sigint-seen (a one-shot
 *                             listener beside the training loop's), so a test knows the first
 *                             signal was handled before it sends a second
 */
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';
import { gaussianBlobs, makeQnnObjective, makeRng, QnnModel, train } from '../../dist/src/index.js';

const [dir, ...flags] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: node scripts/kill-resume-train.mjs <dir> [--resume]\n');
  process.exit(2);
}
const resume = flags.includes('--resume');
const ckptDir = join(dir, 'ckpt');

// The hooks patch fs/promises.rename, which src/infra/atomic.ts imports as a live ESM binding.
const before = Number(process.env.QD_PAUSE_BEFORE_RENAME ?? 0);
const after = Number(process.env.QD_PAUSE_AFTER_RENAME ?? 0);
const atBatch = Number(process.env.QD_PAUSE_AT_BATCH ?? 0);
if (process.env.QD_MARK_SIGINT === '1') process.once('SIGINT', () => writeFileSync(join(dir, 'sigint-seen'), '1'));
const pause = (what) => {
  writeFileSync(join(dir, 'paused'), what);
  return new Promise(() => setInterval(() => undefined, 1 << 30)); // until killed
};
if (before > 0 || after > 0) {
  const fsp = createRequire(import.meta.url)('node:fs/promises');
  const realRename = fsp.rename;
  let writes = 0;
  fsp.rename = async (from, to) => {
    if (basename(String(to)) !== 'checkpoint.json') return realRename(from, to);
    writes++;
    if (writes === before) await pause(String(from));
    await realRename(from, to);
    if (writes === after) await pause(String(from));
  };
  syncBuiltinESMExports();
}

const hex = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

try {
  const data = gaussianBlobs({ classes: 2, features: 4, nTrain: 160, nVal: 32, nTest: 32, separation: 3, seed: 5 });
  const model = new QnnModel({
    qubits: 6, features: 4, classes: 2,
    encoding: { type: 'angle', rotation: 'ry', scale: Math.PI },
    ansatz: { type: 'hardware-efficient', layers: 2, entangler: 'cz' },
    readout: { type: 'qubits', qubits: [0, 1] },
    backend: 'mps', truncation: { maxBond: 4 }, initScale: 0.1,
  });
  const objective = await makeQnnObjective(model, data, { workers: 2 });
  if (atBatch > 0) {
    const lossAndGrad = objective.lossAndGrad.bind(objective);
    let steps = 0;
    objective.lossAndGrad = async (...args) => {
      if (++steps === atBatch) await pause(`batch ${steps}`);
      return lossAndGrad(...args);
    };
  }
  let result;
  try {
    result = await train(objective, model.initParams(makeRng('kill-resume-init')), {
      epochs: 10, batchSize: 16, seed: 'kill-resume',
      optimizer: { type: 'adam' }, schedule: { type: 'cosine', lr: 0.1, lrMin: 0.01, epochs: 10 },
      evalSplits: ['train', 'val', 'test'], snapshotEvery: 3,
      checkpointDir: ckptDir, resume, handleSigint: true,
    });
  } finally {
    await objective.close();
  }
  if (result.interrupted) {
    process.stdout.write(`interrupted after epoch ${result.epochs}\n`);
  } else {
    const history = result.history.map(({ seconds: _seconds, ...rest }) => rest);
    await writeFile(join(dir, 'final.json'), JSON.stringify({
      params: hex(result.params), bestParams: hex(result.bestParams), bestEpoch: result.bestEpoch,
      snapshots: result.snapshots.map((s) => ({ name: s.name, params: hex(s.params) })), history,
    }));
    process.stdout.write(`done after epoch ${result.epochs}\n`);
  }
} catch (err) {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
