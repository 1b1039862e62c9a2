/**
 * A reference {@link Objective}: logistic regression on two seeded Gaussian blobs in 2-D.
 * Small, exact and deterministic; used by the training-loop tests and as the template a
 * model's objective follows. Parameters: [w0, w1, b]; p(y = 1 | x) = σ(w·x + b).
 */
import { gaussian, makeRng } from '../../mps/rng.js';
import type { Objective, Split } from './loop.js';

/** Options of {@link makeBlobsObjective}. */
export interface BlobsOptions {
  /** Data seed. */
  seed: string | number;
  nTrain: number;
  nVal: number;
  nTest: number;
  /** Distance between the blob centres (unit-variance blobs at ±separation/2 along (1, 1)/√2). */
  separation: number;
}

/** Defaults: 200/100/100 samples, separation 4 (Bayes accuracy ≈ 97.7%). */
export const DEFAULT_BLOBS_OPTIONS: Readonly<BlobsOptions> = Object.freeze({
  seed: 1,
  nTrain: 200,
  nVal: 100,
  nTest: 100,
  separation: 4,
});

interface Data {
  x: Float64Array; // n × 2, row-major
  y: Uint8Array;
}

function blobs(rng: () => number, n: number, sep: number): Data {
  const x = new Float64Array(2 * n);
  const y = new Uint8Array(n);
  const c = sep / 2 / Math.SQRT2;
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const s = label === 1 ? c : -c;
    y[i] = label;
    x[2 * i] = s + gaussian(rng);
    x[2 * i + 1] = s + gaussian(rng);
  }
  return { x, y };
}

/** Mean binary cross-entropy, its gradient and the correct count over `idx` of `d`. */
function lossGrad(params: Float64Array, d: Data, idx: ArrayLike<number>): { loss: number; grad: Float64Array; correct: number } {
  const [w0, w1, b] = [params[0]!, params[1]!, params[2]!];
  const grad = new Float64Array(3);
  let loss = 0;
  let correct = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const x0 = d.x[2 * i]!;
    const x1 = d.x[2 * i + 1]!;
    const z = w0 * x0 + w1 * x1 + b;
    const y = d.y[i]!;
    // log(1 + e^z) − y z, computed stably
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
    const r = 1 / (1 + Math.exp(-z)) - y; // ∂loss/∂z
    grad[0] = grad[0]! + r * x0;
    grad[1] = grad[1]! + r * x1;
    grad[2] = grad[2]! + r;
    if ((z > 0 ? 1 : 0) === y) correct++;
  }
  const m = idx.length;
  for (let j = 0; j < 3; j++) grad[j] = grad[j]! / m;
  return { loss: loss / m, grad, correct };
}

/** The blobs logistic-regression objective (3 parameters). */
export function makeBlobsObjective(options: Partial<BlobsOptions> = {}): Objective {
  const o = { ...DEFAULT_BLOBS_OPTIONS, ...options };
  const rng = makeRng(`blobs:${o.seed}`);
  const data: Record<Split, Data> = {
    train: blobs(rng, o.nTrain, o.separation),
    val: blobs(rng, o.nVal, o.separation),
    test: blobs(rng, o.nTest, o.separation),
  };
  const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  return {
    nParams: 3,
    nTrain: o.nTrain,
    lossAndGrad: async (params, indices) => lossGrad(params, data.train, indices),
    evaluate: async (params, split) => {
      const d = data[split];
      const r = lossGrad(params, d, all(d.y.length));
      return { loss: r.loss, accuracy: r.correct / d.y.length, extra: { grad_norm: Math.hypot(...r.grad) } };
    },
  };
}
