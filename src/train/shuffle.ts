/**
 * Seeded shuffles for minibatch training. Each epoch's order is a pure function of
 * `(seed, epoch)`, so a resumed run reproduces it without storing any RNG state.
 */
import { makeRng, type Rng } from '../../mps/rng.js';

/**
 * A seeded source of permutations (Fisher–Yates over the Alea generator of `mps/rng`).
 * Successive calls continue the same stream.
 */
export class ShuffleRng {
  private readonly rng: Rng;

  constructor(seed: string | number) {
    this.rng = makeRng(seed);
  }

  /** Shuffles `arr` in place (Durstenfeld's Fisher–Yates) and returns it. Mutates `arr`. */
  shuffleInPlace<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng() * (i + 1));
      const t = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = t;
    }
    return arr;
  }

  /** A uniformly random permutation of `0 … n−1`. */
  permutation(n: number): number[] {
    return this.shuffleInPlace(Array.from({ length: n }, (_, i) => i));
  }
}

/**
 * A permutation of `0 … n−1` determined by `seed` alone.
 * @example seededPermutation(5, 1) // the same 5-element order on every call
 */
export function seededPermutation(n: number, seed: string | number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be an integer ≥ 0, got ${n}`);
  return new ShuffleRng(seed).permutation(n);
}

/** The seed string used for epoch `epoch` (0-based) of a run seeded with `seed`. */
export function epochSeed(seed: string | number, epoch: number): string {
  return `${seed}:epoch:${epoch}`;
}

/** The sample order of epoch `epoch` (0-based): `seededPermutation(n, epochSeed(seed, epoch))`. */
export function epochPermutation(n: number, seed: string | number, epoch: number): number[] {
  return seededPermutation(n, epochSeed(seed, epoch));
}

/**
 * Splits `order` into consecutive minibatches of `batchSize` (the last one may be smaller;
 * nothing is dropped).
 */
export function minibatches(order: readonly number[], batchSize: number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}
