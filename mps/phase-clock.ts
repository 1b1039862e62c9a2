/**
 * A per-thread clock of the adjoint gradient's two phases, for throughput benchmarks: the
 * forward simulation (ψ run through the circuit, snapshots kept) and the backward pass (λ
 * formed and swept back, the slices read). {@link adjointGradientMps} adds to it on every call
 * (two `performance.now()` readings per call, negligible next to one simulation); a caller
 * reads and resets it with {@link takeAdjointPhaseTimes}.
 */

/** Milliseconds of wall time spent in each phase since the last take. */
export interface AdjointPhaseTimes {
  /** The forward simulation inside the adjoint gradient. */
  forwardMs: number;
  /** Everything after it: the observable, λ's backward sweep and the slice reads. */
  backwardMs: number;
}

const clock: AdjointPhaseTimes = { forwardMs: 0, backwardMs: 0 };

/** Adds one call's phase times (milliseconds) to this thread's clock. */
export function addAdjointPhaseTimes(forwardMs: number, backwardMs: number): void {
  clock.forwardMs += forwardMs;
  clock.backwardMs += backwardMs;
}

/** This thread's accumulated phase times since the last call; resets them to zero. */
export function takeAdjointPhaseTimes(): AdjointPhaseTimes {
  const out = { ...clock };
  clock.forwardMs = 0;
  clock.backwardMs = 0;
  return out;
}
