/**
 * Shot-based readout: ⟨Z_q⟩ estimated from K perfect samples of an {@link Mps} (the sampler
 * of `sample.ts`, O(nχ²) per shot), as hardware would report it, with an optional readout
 * bit flip (each measured bit flipped with probability p, so the estimate's expectation is
 * (1 − 2p)·⟨Z_q⟩).
 *
 * Shot k draws from its own generator seeded `<seed>:shot:<k>` (the bitstring first, then
 * one number per qubit for the readout flips when p > 0), so every shot is reproducible
 * whatever other shots are drawn, in whatever order or worker.
 */
import type { Mps } from './mps.js';
import { makeRng } from './rng.js';
import { sampleBitstrings } from './sample.js';

/** Seed string of shot `index` under the seed `seed`. */
export function shotSeed(seed: string | number, index: number): string {
  return `${seed}:shot:${index}`;
}

/**
 * Draws shots `first` … `first + shots − 1` (qubit 0 first in each string) with per-shot
 * seeds and the readout bit flip `readoutError` applied. Moves the centre of `psi` to 0.
 * @throws Error for shots not an integer ≥ 0 or readoutError outside [0, 1].
 */
export function sampleShotsWithReadout(psi: Mps, shots: number, seed: string | number, readoutError = 0, first = 0): string[] {
  if (!Number.isInteger(shots) || shots < 0) throw new Error(`shots must be an integer ≥ 0, got ${shots}`);
  if (!(readoutError >= 0 && readoutError <= 1)) throw new Error(`readoutError must be a number in [0, 1], got ${readoutError}`);
  const out: string[] = [];
  for (let k = 0; k < shots; k++) {
    const rng = makeRng(shotSeed(seed, first + k));
    const s = sampleBitstrings(psi, 1, rng)[0]!;
    if (readoutError > 0) {
      const b = Array.from(s);
      for (let q = 0; q < b.length; q++) if (rng() < readoutError) b[q] = b[q] === '0' ? '1' : '0';
      out.push(b.join(''));
    } else out.push(s);
  }
  return out;
}

/** A shot estimate of ⟨Z_q⟩ on every qubit. */
export interface ShotEstimate {
  /** Mean over the shots of z_q = 1 − 2·bit_q, per qubit. */
  z: Float64Array;
  /**
   * Standard error of each `z[q]`: the sample standard deviation of the groups' means / √G
   * (groups of one shot unless `groupSize` was given), so √((1 − z²)/(K − 1)) for single
   * shots; 0 when there is only one group.
   */
  standardError: Float64Array;
  /** Number of shots. */
  shots: number;
}

/**
 * ⟨Z_q⟩ and its standard error from bitstrings (qubit 0 first). With `groupSize` g > 1 the
 * shots are taken in consecutive groups of g (for instance g shots of one noisy trajectory,
 * which are not independent) and the standard error is that of the group means.
 * @throws Error for no samples, strings of the wrong length or characters, or a shot count
 *   not divisible by `groupSize`.
 */
export function zFromSamples(samples: readonly string[], n: number, groupSize = 1): ShotEstimate {
  const K = samples.length;
  if (K === 0) throw new Error('zFromSamples: no samples');
  if (!Number.isInteger(groupSize) || groupSize < 1 || K % groupSize !== 0) throw new Error(`groupSize must be an integer ≥ 1 dividing the ${K} samples, got ${groupSize}`);
  const G = K / groupSize;
  const groupMeans = new Float64Array(G * n);
  samples.forEach((s, k) => {
    if (s.length !== n) throw new Error(`sample ${k} has ${s.length} bits, expected ${n}`);
    for (let q = 0; q < n; q++) {
      const c = s.charCodeAt(q);
      if (c !== 48 && c !== 49) throw new Error(`sample ${k}: bit ${q} must be '0' or '1', got '${s[q]}'`);
      groupMeans[Math.floor(k / groupSize) * n + q]! += (c === 48 ? 1 : -1) / groupSize;
    }
  });
  const z = new Float64Array(n);
  const standardError = new Float64Array(n);
  for (let g = 0; g < G; g++) for (let q = 0; q < n; q++) z[q]! += groupMeans[g * n + q]!;
  for (let q = 0; q < n; q++) z[q]! /= G;
  if (G > 1) {
    for (let q = 0; q < n; q++) {
      let ss = 0;
      for (let g = 0; g < G; g++) ss += (groupMeans[g * n + q]! - z[q]!) ** 2;
      standardError[q] = Math.sqrt(ss / (G - 1) / G);
    }
  }
  return { z, standardError, shots: K };
}

/**
 * Estimates ⟨Z_q⟩ on every qubit from `shots` perfect samples of `psi` (per-shot seeds, readout
 * flip `readoutError`), with the standard error √((1 − z²)/(K − 1)) of the mean of K ±1 values.
 * Moves the centre of `psi` to 0; the state is otherwise unchanged.
 * @throws Error for shots not an integer ≥ 1 or readoutError outside [0, 1].
 */
export function estimateZFromShots(psi: Mps, shots: number, seed: string | number, readoutError = 0): ShotEstimate {
  if (!Number.isInteger(shots) || shots < 1) throw new Error(`shots must be an integer ≥ 1, got ${shots}`);
  return zFromSamples(sampleShotsWithReadout(psi, shots, seed, readoutError), psi.n);
}
