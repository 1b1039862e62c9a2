/** Seeded random logits for the distillation-loss tests. */
import type { Rng } from '../../mps/rng.js';

/**
 * C logits uniform in [−scale, scale] drawn from `rng`; for scale ≥ 50 the first is pinned at
 * +50 and the last at −50, so that the extreme cases (saturated softmax) are always present.
 */
export function randomLogits(rng: Rng, C: number, scale: number): Float64Array {
  const z = Float64Array.from({ length: C }, () => scale * (2 * rng() - 1));
  if (scale >= 50) { z[0] = 50; z[C - 1] = -50; }
  return z;
}
