/**
 * Softmax and cross-entropy on logits, each with its gradient with respect to the logits.
 * (The distillation losses build on these.)
 */

/** Numerically stable softmax of `z / T`. */
export function softmax(z: ArrayLike<number>, T = 1): Float64Array {
  const out = new Float64Array(z.length);
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]! / T);
  let s = 0;
  for (let i = 0; i < z.length; i++) { out[i] = Math.exp(z[i]! / T - m); s += out[i]!; }
  for (let i = 0; i < z.length; i++) out[i]! /= s;
  return out;
}

/** A loss value and its gradient with respect to the logits. */
export interface LossResult {
  /** Loss value (nats). */
  loss: number;
  /** ∂loss/∂z, same length as the logits. */
  grad: Float64Array;
}

/**
 * Cross-entropy −log p_y with p = softmax(z); ∂/∂z = p − onehot(y).
 * @throws Error when y is not a class index.
 */
export function crossEntropy(z: ArrayLike<number>, y: number): LossResult {
  if (!Number.isInteger(y) || y < 0 || y >= z.length) throw new Error(`label must be an integer in [0, ${z.length - 1}], got ${y}`);
  const p = softmax(z);
  const grad = Float64Array.from(p);
  grad[y]! -= 1;
  return { loss: -Math.log(Math.max(p[y]!, 1e-300)), grad };
}

/** Index of the largest logit (first on ties). */
export function argmax(z: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < z.length; i++) if (z[i]! > z[k]!) k = i;
  return k;
}
