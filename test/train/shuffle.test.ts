import { describe, expect, it } from 'vitest';
import { ShuffleRng, epochPermutation, minibatches, seededPermutation } from '../../src/train/shuffle.js';

describe('shuffle', () => {
  it('seededPermutation is a deterministic permutation', () => {
    const p = seededPermutation(50, 7);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(seededPermutation(50, 7)).toEqual(p);
    expect(seededPermutation(50, 8)).not.toEqual(p);
  });

  it('epoch permutations differ between epochs and are reproducible', () => {
    expect(epochPermutation(30, 's', 0)).not.toEqual(epochPermutation(30, 's', 1));
    expect(epochPermutation(30, 's', 3)).toEqual(epochPermutation(30, 's', 3));
  });

  it('ShuffleRng continues one stream', () => {
    const r = new ShuffleRng(1);
    const a = r.permutation(10);
    const b = r.permutation(10);
    expect(a).not.toEqual(b);
    expect(a).toEqual(seededPermutation(10, 1));
  });

  it('minibatches keep every index, last batch smaller', () => {
    expect(minibatches([5, 4, 3, 2, 1], 2)).toEqual([[5, 4], [3, 2], [1]]);
    expect(() => minibatches([1], 0)).toThrow('batchSize must be an integer ≥ 1, got 0');
  });
});
