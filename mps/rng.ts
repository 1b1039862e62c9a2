/**
 * Seeded random numbers. Every random routine in qdistill takes an {@link Rng} or a seed;
 * nothing uses `Math.random`.
 */
import seedrandom from 'seedrandom';

/** A uniform [0, 1) generator. */
export type Rng = () => number;

/** A deterministic generator for `seed` (Alea algorithm from seedrandom: fast, 2^116 period). */
export function makeRng(seed: string | number): Rng {
  const g = seedrandom.alea(String(seed));
  return () => g.double();
}

/** A standard normal deviate (Box–Muller) drawn from `rng`. */
export function gaussian(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
