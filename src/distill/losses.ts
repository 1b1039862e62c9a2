/**
 * Distillation losses on one sample's logits (docs/design.md §5). Every loss returns a
 * {@link LossResult}: its value in nats and its gradient with respect to the *student's*
 * logits z_s (the teacher is a constant).
 *
 * - {@link crossEntropyLoss}: −log softmax(z)_y.
 * - {@link hintonKdLoss}: (1−α)·CE(y, softmax(z_s)) + α·w·T²·KL(p_t^T ‖ softmax(z_s/T))
 *   (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural Network",
 *   arXiv:1503.02531), with an optional per-sample weight w (fidelity-weighted KD).
 * - {@link softTargetLoss}: the same with α = 1 (teacher only, no labels).
 * - {@link psKdTarget} / {@link softTargetCrossEntropy} / {@link psKdAlpha}: the PS-KD target
 *   ỹ_t = (1−α_t)·onehot(y) + α_t·p_{t−1}(x) and −Σ ỹ log softmax(z) (Kim, Ji, Yoon, Hwang,
 *   ICCV 2021, "Self-Knowledge Distillation with Progressive Refinement of Targets").
 *
 * All logs go through a max-shifted log-softmax, so logits of any finite size (±50 and far
 * beyond) give finite values and gradients; nothing is clamped.
 */
import { crossEntropy, softmax, type LossResult } from '../qnn/loss.js';

export type { LossResult } from '../qnn/loss.js';

/** Numerically stable log softmax(z / T): (z_i/T − m) − log Σ_j exp(z_j/T − m), m = max z/T. */
export function logSoftmax(z: ArrayLike<number>, T = 1): Float64Array {
  const out = new Float64Array(z.length);
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]! / T);
  let s = 0;
  for (let i = 0; i < z.length; i++) { out[i] = z[i]! / T - m; s += Math.exp(out[i]!); }
  const ls = Math.log(s);
  for (let i = 0; i < z.length; i++) out[i]! -= ls;
  return out;
}

function checkLogits(z: ArrayLike<number>, what: string): void {
  if (z.length < 1) throw new Error(`${what} must have at least 1 class, got length 0`);
  for (let i = 0; i < z.length; i++) {
    if (!Number.isFinite(z[i]!)) throw new Error(`${what}[${i}] must be finite, got ${z[i]}`);
  }
}

function checkLabel(y: number, C: number): void {
  if (!Number.isInteger(y) || y < 0 || y >= C) throw new Error(`label must be an integer in [0, ${C - 1}], got ${y}`);
}

/** Tolerance on |Σ p − 1| for a probability vector passed in by the caller. */
export const PROB_SUM_TOL = 1e-6;

function checkProbs(p: ArrayLike<number>, C: number, what: string): void {
  if (p.length !== C) throw new Error(`${what} must have ${C} entries (one per class), got ${p.length}`);
  let s = 0;
  for (let i = 0; i < C; i++) {
    const v = p[i]!;
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`${what}[${i}] must be a finite number ≥ 0, got ${v}`);
    s += v;
  }
  if (Math.abs(s - 1) > PROB_SUM_TOL) throw new Error(`${what} must sum to 1 (±${PROB_SUM_TOL}), got ${s}`);
}

/**
 * Cross-entropy −log softmax(z)_y with gradient softmax(z) − onehot(y). Same contract and label
 * check as `crossEntropy` in `qnn/loss.ts`, but the value comes from {@link logSoftmax}, so it
 * stays exact when the label's logit trails by more than ~690 (where −log max(p, 1e-300)
 * saturates).
 * @example crossEntropyLoss([0, 0], 1).loss // Math.LN2
 */
export function crossEntropyLoss(z: ArrayLike<number>, y: number): LossResult {
  const { grad } = crossEntropy(z, y);
  return { loss: 0 - logSoftmax(z)[y]!, grad }; // 0 − x: +0, not −0, for a certain label
}

/**
 * What the teacher says about one sample: either its logits z_t (turned into
 * p_t^T = softmax(z_t / T) with the loss's temperature) or its probabilities p_t^T already at
 * temperature T (used as they are, e.g. from a soft-label cache that stored probabilities).
 */
export type TeacherOutput =
  | {
      /** Teacher logits z_t, one per class; softened with the loss's T. */
      readonly logits: ArrayLike<number>;
      readonly probs?: never;
      /** Per-sample trust w ∈ [0, 1] multiplying the KD term (default {@link DEFAULT_KD_WEIGHT}); see {@link fidelityWeight}. */
      readonly weight?: number;
    }
  | {
      /** Teacher probabilities p_t^T at the loss's temperature T (≥ 0, summing to 1); not re-softened. */
      readonly probs: ArrayLike<number>;
      readonly logits?: never;
      /** Per-sample trust w ∈ [0, 1] multiplying the KD term (default {@link DEFAULT_KD_WEIGHT}); see {@link fidelityWeight}. */
      readonly weight?: number;
    };

/** Options of {@link hintonKdLoss} and {@link softTargetLoss}. */
export interface KdOptions {
  /** Softmax temperature T > 0 for both teacher and student in the KD term (Hinton et al. 2015, §2). Default {@link DEFAULT_KD_TEMPERATURE}. */
  T?: number;
  /** Weight α ∈ [0, 1] of the KD term; the hard-label CE gets 1 − α. Default {@link DEFAULT_KD_ALPHA}. */
  alpha?: number;
  /**
   * Multiply the KL by T², so its gradient keeps the same scale as T changes (Hinton et al.
   * 2015, §2: the soft-target gradients scale as 1/T²). Default {@link DEFAULT_KD_SCALE_T2}.
   */
  scaleT2?: boolean;
}

/** Default KD temperature T (docs/design.md §5). */
export const DEFAULT_KD_TEMPERATURE = 2;
/** Default KD weight α (docs/design.md §5). */
export const DEFAULT_KD_ALPHA = 0.5;
/** Default: the KL term is multiplied by T². */
export const DEFAULT_KD_SCALE_T2 = true;
/** Default per-sample weight of the KD term (full trust). */
export const DEFAULT_KD_WEIGHT = 1;
/** All KD defaults together. */
export const DEFAULT_KD_OPTIONS: Readonly<Required<KdOptions>> = Object.freeze({
  T: DEFAULT_KD_TEMPERATURE,
  alpha: DEFAULT_KD_ALPHA,
  scaleT2: DEFAULT_KD_SCALE_T2,
});

/** Validates KD options and fills in the defaults. */
export function resolveKdOptions(options: KdOptions = {}): Required<KdOptions> {
  for (const k of Object.keys(options)) {
    if (k !== 'T' && k !== 'alpha' && k !== 'scaleT2') throw new Error(`unknown KD option '${k}' (allowed: T, alpha, scaleT2)`);
  }
  const T = options.T ?? DEFAULT_KD_TEMPERATURE;
  const alpha = options.alpha ?? DEFAULT_KD_ALPHA;
  const scaleT2 = options.scaleT2 ?? DEFAULT_KD_SCALE_T2;
  if (!(Number.isFinite(T) && T > 0)) throw new Error(`KD temperature T must be a finite number > 0, got ${T}`);
  if (!(Number.isFinite(alpha) && alpha >= 0 && alpha <= 1)) throw new Error(`KD alpha must be in [0, 1], got ${alpha}`);
  if (typeof scaleT2 !== 'boolean') throw new Error(`KD scaleT2 must be a boolean, got ${String(scaleT2)}`);
  return { T, alpha, scaleT2 };
}

/** A soft-target loss with its KL, for logging. */
export interface SoftTargetLossResult extends LossResult {
  /** KL(p_t^T ‖ softmax(z_s/T)) in nats, unscaled by α, w or T². */
  kl: number;
}

/** A Hinton KD loss with its two parts, for logging. */
export interface KdLossResult extends SoftTargetLossResult {
  /** Hard-label cross-entropy −log softmax(z_s)_y at T = 1, unscaled by 1 − α. */
  ce: number;
}

/**
 * KL(p ‖ q), q = softmax(z/T), and its gradient with respect to z: (Σp·q − p)/T.
 * `logP` may be null when p was given as probabilities (then log p_i is taken).
 *
 * The value is summed in the Bregman form Σ_i [p_i log(p_i/q_i) − p_i + q_i] (equal to the KL
 * when Σp = Σq = 1; Σq ≡ 1 so the gradient is the same), whose every term is ≥ 0 and is
 * computed without cancellation: p·(r + expm1(−r)) with r = log p − log q when r > −1, else
 * p·r − p + q; a term with p = 0 is q. So the KL is ≥ 0 in floating point too, even for
 * nearly one-hot distributions where Σ p log(p/q) rounds below zero.
 */
function klToStudent(p: ArrayLike<number>, logP: Float64Array | null, zs: ArrayLike<number>, T: number): { kl: number; grad: Float64Array } {
  const logQ = logSoftmax(zs, T);
  let kl = 0, sumP = 0;
  for (let i = 0; i < zs.length; i++) {
    const pi = p[i]!, qi = Math.exp(logQ[i]!);
    sumP += pi;
    if (pi > 0) {
      const r = (logP ? logP[i]! : Math.log(pi)) - logQ[i]!;
      kl += r > -1 ? pi * (r + Math.expm1(-r)) : pi * r - pi + qi;
    } else {
      kl += qi;
    }
  }
  const grad = new Float64Array(zs.length);
  for (let i = 0; i < zs.length; i++) grad[i] = (sumP * Math.exp(logQ[i]!) - p[i]!) / T;
  return { kl, grad };
}

/** Teacher distribution p_t^T (and its log when logits were given), validated against C classes. */
function teacherAtT(teacher: TeacherOutput, C: number, T: number): { p: ArrayLike<number>; logP: Float64Array | null; w: number } {
  const hasLogits = teacher.logits !== undefined, hasProbs = teacher.probs !== undefined;
  if (hasLogits === hasProbs) throw new Error(`teacher output must give exactly one of 'logits' or 'probs', got ${hasLogits ? 'both' : 'neither'}`);
  const w = teacher.weight ?? DEFAULT_KD_WEIGHT;
  if (!(Number.isFinite(w) && w >= 0 && w <= 1)) throw new Error(`teacher weight must be in [0, 1], got ${w}`);
  if (teacher.logits !== undefined) {
    if (teacher.logits.length !== C) throw new Error(`teacher logits must have ${C} entries (one per class), got ${teacher.logits.length}`);
    checkLogits(teacher.logits, 'teacher logits');
    const logP = logSoftmax(teacher.logits, T);
    return { p: logP.map(Math.exp), logP, w };
  }
  checkProbs(teacher.probs, C, 'teacher probs');
  return { p: teacher.probs, logP: null, w };
}

/**
 * The label argument of a transfer-set sample, which has none (see `src/data/regime.ts`):
 * Hinton KD on such a sample keeps only its soft-target term (see {@link hintonKdLoss}). It is
 * `null`, not a number, so that a wrong numeric label (e.g. −1) is still refused.
 */
export const UNLABELLED = null;

/**
 * Hinton knowledge distillation on one sample:
 *
 *   L = (1−α)·CE(y, softmax(z_s)) + α·w·s·KL(p_t^T ‖ softmax(z_s/T)),   s = T² if scaleT2 else 1,
 *
 * with p_t^T = softmax(z_t/T) when the teacher gives logits, or the teacher's probabilities
 * as given (they must already be at temperature T). Gradient with respect to z_s:
 * (1−α)·(softmax(z_s) − onehot(y)) + α·w·s·(softmax(z_s/T) − p_t^T)/T.
 *
 * A sample of the transfer set has no label (y = {@link UNLABELLED}): its hard term is absent
 * (CE taken as 0, `ce` reported as 0) and the loss is the soft term α·w·s·KL alone, with the
 * same weight as on a labelled sample, so α also sets how much the transfer set counts.
 *
 * Reference: Hinton, Vinyals & Dean 2015, arXiv:1503.02531, §2. The per-sample weight
 * w = `teacher.weight` is this project's fidelity-weighted KD (docs/design.md §5): a sample the
 * truncated teacher simulated less faithfully teaches less.
 * @example hintonKdLoss([1, 0], 0, { logits: [1, 0] }, { alpha: 0 }).loss // = crossEntropyLoss([1, 0], 0).loss
 * @throws Error on non-finite logits, a bad label, a teacher of the wrong length, or options out of range.
 */
export function hintonKdLoss(zStudent: ArrayLike<number>, y: number | null, teacher: TeacherOutput, options: KdOptions = {}): KdLossResult {
  const { T, alpha, scaleT2 } = resolveKdOptions(options);
  const C = zStudent.length;
  checkLogits(zStudent, 'student logits');
  if (y !== UNLABELLED) checkLabel(y, C);
  const { p, logP, w } = teacherAtT(teacher, C, T);
  const ce = y === UNLABELLED ? { loss: 0, grad: new Float64Array(C) } : crossEntropyLoss(zStudent, y);
  const { kl, grad: gKl } = klToStudent(p, logP, zStudent, T);
  const a = alpha * w * (scaleT2 ? T * T : 1);
  const grad = new Float64Array(C);
  for (let i = 0; i < C; i++) grad[i] = (1 - alpha) * ce.grad[i]! + a * gKl[i]!;
  return { loss: (1 - alpha) * ce.loss + a * kl, grad, ce: ce.loss, kl };
}

/**
 * Pure soft-target loss (Hinton KD with α = 1, no labels): w·s·KL(p_t^T ‖ softmax(z_s/T)),
 * s = T² if `scaleT2`. Gradient w·s·(softmax(z_s/T) − p_t^T)/T. The `alpha` option is not
 * accepted here.
 */
export function softTargetLoss(zStudent: ArrayLike<number>, teacher: TeacherOutput, options: Omit<KdOptions, 'alpha'> = {}): SoftTargetLossResult {
  if ('alpha' in options) throw new Error(`softTargetLoss has α = 1 fixed; unknown option 'alpha' (allowed: T, scaleT2)`);
  const { T, scaleT2 } = resolveKdOptions({ ...options, alpha: 1 });
  checkLogits(zStudent, 'student logits');
  const { p, logP, w } = teacherAtT(teacher, zStudent.length, T);
  const { kl, grad } = klToStudent(p, logP, zStudent, T);
  const a = w * (scaleT2 ? T * T : 1);
  for (let i = 0; i < grad.length; i++) grad[i]! *= a;
  return { loss: a * kl, grad, kl };
}

/**
 * Per-sample KD weight from a fidelity estimate F (e.g. the product of (1 − discarded weight)
 * over a truncated run): clamp(F, 0, 1)^power. power = 0 switches weighting off.
 * @example fidelityWeight(0.81, 0.5) // 0.9
 */
export function fidelityWeight(fidelity: number, power = 1): number {
  if (!Number.isFinite(fidelity)) throw new Error(`fidelity must be finite, got ${fidelity}`);
  if (!(Number.isFinite(power) && power >= 0)) throw new Error(`fidelity weight power must be a finite number ≥ 0, got ${power}`);
  return Math.min(1, Math.max(0, fidelity)) ** power;
}

/** α_T of PS-KD: the weight of the model's own past predictions at the last epoch (Kim et al. 2021, §4: 0.8). */
export const DEFAULT_PSKD_ALPHA_T = 0.8;

/**
 * PS-KD mixing weight α_t = α_T · t / T_total for 0-based epoch t (Kim et al., ICCV 2021,
 * eq. 5), so α_0 = 0 (no past predictions yet) and it grows linearly towards α_T. (The
 * authors' code uses (t + 1)/T_total with the epoch-0 "past predictions" set to the one-hot
 * labels, which makes epoch 0 the same and later epochs α_T/T_total larger.)
 * @example psKdAlpha(50, 100) // 0.4
 */
export function psKdAlpha(epoch: number, totalEpochs: number, alphaT = DEFAULT_PSKD_ALPHA_T): number {
  if (!(Number.isInteger(totalEpochs) && totalEpochs >= 1)) throw new Error(`PS-KD totalEpochs must be an integer ≥ 1, got ${totalEpochs}`);
  if (!(Number.isInteger(epoch) && epoch >= 0 && epoch < totalEpochs)) throw new Error(`PS-KD epoch must be an integer in [0, ${totalEpochs - 1}], got ${epoch}`);
  if (!(Number.isFinite(alphaT) && alphaT >= 0 && alphaT <= 1)) throw new Error(`PS-KD alphaT must be in [0, 1], got ${alphaT}`);
  return (alphaT * epoch) / totalEpochs;
}

/**
 * PS-KD target ỹ = (1 − α_t)·onehot(y) + α_t·p_prev, where p_prev = softmax of the previous
 * epoch's model on this sample (Kim et al. 2021, eq. 4). `prevProbs = null` (epoch 0) gives
 * onehot(y). Sums to 1.
 * @example psKdTarget(0, [0.5, 0.5], 0.4) // Float64Array [0.8, 0.2]
 */
export function psKdTarget(y: number, prevProbs: ArrayLike<number> | null, alphaT: number, numClasses = prevProbs?.length): Float64Array {
  if (numClasses === undefined || !(Number.isInteger(numClasses) && numClasses >= 1)) throw new Error(`PS-KD numClasses must be an integer ≥ 1 (give it when prevProbs is null), got ${numClasses}`);
  checkLabel(y, numClasses);
  if (!(Number.isFinite(alphaT) && alphaT >= 0 && alphaT <= 1)) throw new Error(`PS-KD alpha_t must be in [0, 1], got ${alphaT}`);
  const out = new Float64Array(numClasses);
  if (prevProbs !== null) {
    checkProbs(prevProbs, numClasses, 'PS-KD previous probs');
    for (let i = 0; i < numClasses; i++) out[i] = alphaT * prevProbs[i]!;
  }
  out[y]! += prevProbs === null ? 1 : 1 - alphaT;
  return out;
}

/**
 * Cross-entropy against a soft target: −Σ_i ỹ_i log softmax(z)_i, gradient softmax(z) − ỹ
 * (Σ ỹ = 1). With ỹ = onehot(y) this is {@link crossEntropyLoss}.
 * @throws Error when the target is not a probability vector of the logits' length.
 */
export function softTargetCrossEntropy(z: ArrayLike<number>, target: ArrayLike<number>): LossResult {
  checkLogits(z, 'logits');
  checkProbs(target, z.length, 'soft target');
  const logQ = logSoftmax(z);
  let loss = 0, sum = 0;
  for (let i = 0; i < z.length; i++) {
    sum += target[i]!;
    if (target[i]! > 0) loss -= target[i]! * logQ[i]!;
  }
  const grad = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) grad[i] = sum * Math.exp(logQ[i]!) - target[i]!;
  return { loss, grad };
}

/** Re-export of the temperature softmax, for callers that build teacher probabilities p_t^T. */
export { softmax };
