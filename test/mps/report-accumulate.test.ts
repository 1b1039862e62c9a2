/** accumulateWorstReport: the worst case of two truncation reports, worked out by hand. */
import { describe, expect, it } from 'vitest';
import { accumulateWorstReport, type TruncationReport } from '../../mps/truncation.js';

const rep = (o: Partial<TruncationReport>): TruncationReport => ({
  fidelityEstimate: 1, discardedWeight: 0, bondReached: 1, truncations: 0, splits: 0, splitMethods: {}, normDrift: 0, normDriftExceeded: false, ...o,
});

describe('accumulateWorstReport', () => {
  it('keeps the smallest fidelity, the largest weight, bond and drift, and sums the counts', () => {
    const a = rep({ fidelityEstimate: 0.99, discardedWeight: 0.01, bondReached: 8, truncations: 3, splits: 10, splitMethods: { gram: 9, jacobi: 1 }, normDrift: 1e-14 });
    const b = rep({ fidelityEstimate: 0.995, discardedWeight: 0.02, bondReached: 4, truncations: 2, splits: 5, splitMethods: { gram: 5 }, normDrift: 3e-14, normDriftExceeded: true });
    const out = accumulateWorstReport(a, b);
    expect(out).toBe(a);
    expect(out).toEqual(rep({ fidelityEstimate: 0.99, discardedWeight: 0.02, bondReached: 8, truncations: 5, splits: 15, splitMethods: { gram: 14, jacobi: 1 }, normDrift: 3e-14, normDriftExceeded: true }));
    expect(b.splitMethods).toEqual({ gram: 5 }); // the second report is not touched
  });
});
