/**
 * The interface between a truncating decomposition and the rule that picks its rank. A
 * two-phase kernel (all singular values first, then only the kept vectors) calls the rule
 * once with the full spectrum and returns, next to its factors, the rule's decision and the
 * spectrum it was given; the caller builds its truncation record from those, so nothing about
 * the decision has to travel back by any other way.
 */

/** What a rank rule decides: `kept`, the number of leading singular triplets to compute. */
export interface RankDecision {
  /** Number of leading triplets to keep; kernels clamp it to [0, p] (0: give up, fall back). */
  readonly kept: number;
}

/**
 * A rank rule: a plain function of the p singular values (DESCENDING, from the Gram
 * eigenvalues) returning its decision.
 */
export type RankRule<D extends RankDecision> = (S: Float64Array) => D;

/**
 * The rank rule of a fused two-site update, which also learns ‖θ'‖_F² (computed by the
 * kernel while it builds θ').
 */
export type TwoSiteRankRule<D extends RankDecision> = (S: Float64Array, total: number) => D;

/** Singular values √max(λ, 0) from the Gram eigenvalues λ (descending). */
export function gramSingularValues(wDesc: Float64Array): Float64Array<ArrayBuffer> {
  const S = new Float64Array(wDesc.length);
  for (let c = 0; c < wDesc.length; c++) S[c] = Math.sqrt(Math.max(wDesc[c]!, 0));
  return S;
}

/** The kept count of a decision, as a kernel uses it: ⌊kept⌋ clamped to [0, p]. */
export function keptCount(d: RankDecision, p: number): number {
  return Math.max(0, Math.min(p, Math.floor(d.kept)));
}
