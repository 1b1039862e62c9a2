/** Helpers of the training-loop tests: exact comparison of parameters and histories, a call log, a scratch folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EpochRecord, Objective, StepContext } from '../../src/train/loop.js';

/** The initial parameters of the blobs toy objective used across the loop tests. */
export const P0 = new Float64Array([0.3, -0.2, 0.1]);

/** The bytes of `a` in hex: equal strings mean bit-identical arrays. */
export function bits(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

/** A history without its wall-clock field, for exact comparison. */
export function timeless<T extends Pick<EpochRecord, 'seconds'>>(h: readonly T[]): Omit<T, 'seconds'>[] {
  return h.map(({ seconds: _s, ...rest }) => rest);
}

/** One `lossAndGrad` call: the loop's context (epoch, batch), the batch's indices and its loss. */
export interface LoggedCall extends StepContext {
  indices: number[];
  loss: number;
}

/** Wraps an objective, logging every `lossAndGrad` call in `calls`. */
export function counting(o: Objective): { obj: Objective; calls: LoggedCall[] } {
  const calls: LoggedCall[] = [];
  return {
    calls,
    obj: {
      ...o,
      lossAndGrad: async (p, idx, ctx) => {
        const r = await o.lossAndGrad(p, idx, ctx);
        calls.push({ ...ctx, indices: [...idx], loss: r.loss });
        return r;
      },
    },
  };
}

/**
 * A fresh folder under the system's temporary folder for every test of the calling file (made
 * before each test, removed after it); the returned function gives the current test's folder.
 */
export function tempDirPerTest(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/**
 * One parameter, gradient 1 everywhere: plain SGD at constant rate lr puts it at p0 − lr·s after
 * s steps. Every split evaluates to accuracy = −param and loss = param, so a value read after s
 * steps is known in closed form (lr = 1/8 and p0 = 0 keep every value a binary fraction).
 */
export function lineObjective(nTrain: number): Objective {
  return {
    nParams: 1,
    nTrain,
    lossAndGrad: async (p) => ({ loss: p[0]!, grad: Float64Array.of(1), correct: 0 }),
    evaluate: async (p) => ({ loss: p[0]!, accuracy: -p[0]! }),
  };
}
