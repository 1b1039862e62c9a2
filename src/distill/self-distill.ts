/**
 * Who teaches whom in self-distillation across snapshots (docs/design.md §5): pure schedule logic
 * on 0-based epoch indices, with no training in it. The training loop asks, for each epoch,
 * which earlier parameters (or generation) act as the KD teacher.
 *
 * - Snapshot distillation (Yang, Xie, Qiao & Yuille, CVPR 2019, "Snapshot Distillation:
 *   Teacher-Student Optimization in One Generation"): training is split into cycles of a
 *   cyclic learning-rate schedule; the parameters at the end of cycle c − 1 teach every epoch
 *   of cycle c. See {@link snapshotTeacherEpoch}.
 * - PS-KD (Kim, Ji, Yoon & Hwang, ICCV 2021, "Self-Knowledge Distillation with Progressive
 *   Refinement of Targets"): the model of epoch t − 1 teaches epoch t with weight α_t. See
 *   {@link psKdSchedule}.
 * - Born-again networks (Furlanello, Lipton, Tschannen, Itti & Anandkumar, ICML 2018):
 *   generation g is trained from scratch with generation g − 1 as its KD teacher. See
 *   {@link bornAgainPlan}.
 */
import { psKdAlpha, DEFAULT_PSKD_ALPHA_T } from './losses.js';
import { cycleIndexOf, isCycleEndOf } from '../train/schedules.js';

function checkEpoch(epoch: number, what = 'epoch'): void {
  if (!(Number.isInteger(epoch) && epoch >= 0)) throw new Error(`${what} must be an integer ≥ 0, got ${epoch}`);
}

function checkPositiveInt(n: number, what: string): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`${what} must be an integer ≥ 1, got ${n}`);
}

/**
 * Snapshot distillation: the epoch whose end-of-epoch parameters teach epoch `epoch` — the
 * last epoch of the previous cycle, c·K − 1 for cycle c = ⌊epoch / K⌋ — or null in the first
 * cycle (no teacher yet: plain cross-entropy). K = `cycleEpochs`, as in the cyclic schedule
 * of `train/schedules.ts`, whose `isCycleEnd` marks the epochs to snapshot.
 * @example snapshotTeacherEpoch(7, 3) // 5 (cycle 2 is taught by the end of cycle 1)
 */
export function snapshotTeacherEpoch(epoch: number, cycleEpochs: number): number | null {
  checkEpoch(epoch);
  checkPositiveInt(cycleEpochs, 'snapshot cycleEpochs');
  const c = cycleIndexOf(epoch, cycleEpochs);
  return c === 0 ? null : c * cycleEpochs - 1;
}

/**
 * Snapshot distillation: whether the parameters at the end of `epoch` must be frozen as the
 * next cycle's teacher (the epoch ends a cycle).
 * @example [0, 1, 2, 3].map((e) => isSnapshotEpoch(e, 2)) // [false, true, false, true]
 */
export function isSnapshotEpoch(epoch: number, cycleEpochs: number): boolean {
  checkEpoch(epoch);
  checkPositiveInt(cycleEpochs, 'snapshot cycleEpochs');
  return isCycleEndOf(epoch, cycleEpochs);
}

/** One epoch of PS-KD: which model teaches, and how much. */
export interface PsKdStep {
  /** The epoch whose end-of-epoch model gives p_{t−1}(x): epoch − 1, or null at epoch 0. */
  teacherEpoch: number | null;
  /** α_t = α_T · t / T_total (0 at epoch 0). */
  alpha: number;
}

/**
 * PS-KD at 0-based epoch t of `totalEpochs`: the teacher is the model at the end of epoch
 * t − 1 (null at t = 0) and the target is ỹ = (1 − α_t)·onehot(y) + α_t·p_{t−1}(x) with
 * α_t = {@link psKdAlpha}(t, totalEpochs, alphaT) (build it with `psKdTarget`).
 * @example psKdSchedule(3, 10) // { teacherEpoch: 2, alpha: 0.24 (to rounding) }
 */
export function psKdSchedule(epoch: number, totalEpochs: number, alphaT = DEFAULT_PSKD_ALPHA_T): PsKdStep {
  const alpha = psKdAlpha(epoch, totalEpochs, alphaT);
  return { teacherEpoch: epoch === 0 ? null : epoch - 1, alpha };
}

/** One generation of a born-again plan. */
export interface BornAgainGeneration {
  /** 0-based generation index g. */
  generation: number;
  /** The generation whose final model is this one's KD teacher: g − 1, or null for g = 0 (trained on labels only). */
  teacherGeneration: number | null;
  /** First global epoch of this generation (g · epochsPerGeneration). */
  firstEpoch: number;
  /** One past the last global epoch of this generation. */
  endEpoch: number;
  /** Always true: every generation starts from freshly initialised parameters (and a fresh optimiser and schedule). */
  fromScratch: true;
}

/**
 * Born-again networks: `generations` generations of `epochsPerGeneration` epochs each,
 * numbered in one global epoch counter; generation g is trained from scratch with
 * generation g − 1's final model as its KD teacher, generation 0 with labels only.
 * (Furlanello et al. also evaluate the ensemble of all generations; that is the caller's
 * choice.)
 * @example bornAgainPlan(2, 5)[1] // { generation: 1, teacherGeneration: 0, firstEpoch: 5, endEpoch: 10, fromScratch: true }
 */
export function bornAgainPlan(generations: number, epochsPerGeneration: number): BornAgainGeneration[] {
  checkPositiveInt(generations, 'born-again generations');
  checkPositiveInt(epochsPerGeneration, 'born-again epochsPerGeneration');
  return Array.from({ length: generations }, (_, g) => ({
    generation: g,
    teacherGeneration: g === 0 ? null : g - 1,
    firstEpoch: g * epochsPerGeneration,
    endEpoch: (g + 1) * epochsPerGeneration,
    fromScratch: true as const,
  }));
}

/**
 * The generation of `plan` that global epoch `epoch` belongs to, and the epoch within it.
 * @throws Error when `epoch` lies past the plan.
 * @example bornAgainPhase(bornAgainPlan(3, 4), 9) // { generation: 2, teacherGeneration: 1, epochInGeneration: 1 }
 */
export function bornAgainPhase(plan: readonly BornAgainGeneration[], epoch: number): { generation: number; teacherGeneration: number | null; epochInGeneration: number } {
  checkEpoch(epoch);
  const g = plan.find((p) => epoch >= p.firstEpoch && epoch < p.endEpoch);
  if (!g) throw new Error(`epoch must be in [0, ${plan.at(-1)?.endEpoch ?? 0}) for this born-again plan, got ${epoch}`);
  return { generation: g.generation, teacherGeneration: g.teacherGeneration, epochInGeneration: epoch - g.firstEpoch };
}
