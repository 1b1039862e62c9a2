/**
 * Learning-rate schedules as pure functions of (epoch, step within the epoch, steps per
 * epoch). `epoch` is the 0-based index of the epoch being trained; the position in training
 * is t = epoch + step / stepsPerEpoch epochs, so the rate changes every step.
 *
 * - constant: lr.
 * - cosine: optional linear warm-up over `warmupEpochs`, then half a cosine from `lr` to
 *   `lrMin` over the remaining `epochs − warmupEpochs` (Loshchilov & Hutter, ICLR 2017,
 *   without restarts); held at `lrMin` afterwards.
 * - cyclic: the same cosine within each cycle of `cycleEpochs`, restarting at `lr` at every
 *   cycle start (SGDR with T_mult = 1; Huang et al., ICLR 2017 "Snapshot Ensembles", eq. 2).
 *   The epoch that ends a cycle ({@link Schedule.isCycleEnd}) is where snapshot
 *   distillation freezes a teacher.
 *
 * Step-based variants (for a run with a fixed budget of optimizer steps): a cosine spec with
 * `steps` instead of `epochs`, and a cyclic spec with `cycleSteps` instead of `cycleEpochs`,
 * are functions of the global step k = epoch · stepsPerEpoch + step (0-based) alone: the
 * cosine goes from `lr` to `lrMin` over k / steps, each cycle over (k mod cycleSteps) /
 * cycleSteps. Two runs with different training-set sizes (different stepsPerEpoch) therefore
 * get the same rate at the same optimizer step.
 */

/** Options of the constant schedule. */
export interface ConstantScheduleSpec {
  type: 'constant';
  /** The learning rate (> 0). */
  lr: number;
}

/** Options of the cosine schedule. */
export interface CosineScheduleSpec {
  type: 'cosine';
  /** Peak learning rate, reached at the end of warm-up (> 0). */
  lr: number;
  /** Final learning rate (default {@link DEFAULT_LR_MIN}). */
  lrMin?: number;
  /** Length of the whole schedule in epochs, warm-up included (> warmupEpochs); exactly one of `epochs` and `steps`. */
  epochs?: number;
  /** Length of the whole schedule in optimizer steps (integer ≥ 1): the step-based variant; exactly one of `epochs` and `steps`. */
  steps?: number;
  /** Linear warm-up length in epochs (default 0; epoch-based schedules only). */
  warmupEpochs?: number;
}

/** Options of the cyclic (warm-restart) schedule. */
export interface CyclicScheduleSpec {
  type: 'cyclic';
  /** Learning rate at the start of every cycle (> 0). */
  lr: number;
  /** Learning rate approached at the end of every cycle (default {@link DEFAULT_LR_MIN}). */
  lrMin?: number;
  /** Cycle length in epochs (integer ≥ 1); exactly one of `cycleEpochs` and `cycleSteps`. */
  cycleEpochs?: number;
  /** Cycle length in optimizer steps (integer ≥ 1): the step-based variant; exactly one of `cycleEpochs` and `cycleSteps`. */
  cycleSteps?: number;
}

/** A serialisable schedule description. */
export type ScheduleSpec = ConstantScheduleSpec | CosineScheduleSpec | CyclicScheduleSpec;

/** Default floor of the cosine and cyclic schedules. */
export const DEFAULT_LR_MIN = 0;
/** Default warm-up of the cosine schedule, in epochs. */
export const DEFAULT_WARMUP_EPOCHS = 0;

/** A learning-rate schedule, built by {@link makeSchedule}. */
export interface Schedule {
  readonly spec: ScheduleSpec;
  /** Learning rate for step `step` (0-based) of epoch `epoch` (0-based), with `stepsPerEpoch` steps per epoch. */
  lr(epoch: number, step: number, stepsPerEpoch: number): number;
  /**
   * The 0-based cycle that epoch `epoch` belongs to (always 0 for non-cyclic schedules); for
   * step-based cycles, the cycle of the epoch's first step (`stepsPerEpoch` is then required).
   */
  cycleIndex(epoch: number, stepsPerEpoch?: number): number;
  /**
   * Whether epoch `epoch` (0-based) is the last epoch of its cycle (non-cyclic: the last epoch
   * of a cosine schedule; never for constant). Step-based: whether a cycle's (or the cosine's)
   * last step falls inside the epoch (`stepsPerEpoch` is then required).
   */
  isCycleEnd(epoch: number, stepsPerEpoch?: number): boolean;
}

/** Half-cosine from `hi` (at p = 0) to `lo` (at p = 1); p is clamped to [0, 1]. */
export function cosineAnneal(hi: number, lo: number, p: number): number {
  const q = Math.min(1, Math.max(0, p));
  return lo + 0.5 * (hi - lo) * (1 + Math.cos(Math.PI * q));
}

/** The constant schedule's rate. */
export function constantLr(spec: ConstantScheduleSpec): number {
  return spec.lr;
}

/**
 * The cosine schedule's rate. Warm-up is linear in steps, lr · (k + 1) / (warmupEpochs ·
 * stepsPerEpoch) for global step k, so its first step is already non-zero.
 * @example cosineLr({ type: 'cosine', lr: 1, epochs: 10 }, 5, 0, 1) // 0.5
 */
export function cosineLr(spec: CosineScheduleSpec, epoch: number, step: number, stepsPerEpoch: number): number {
  const lrMin = spec.lrMin ?? DEFAULT_LR_MIN;
  if (spec.steps !== undefined) return cosineAnneal(spec.lr, lrMin, (epoch * stepsPerEpoch + step) / spec.steps);
  const warm = spec.warmupEpochs ?? DEFAULT_WARMUP_EPOCHS;
  const t = epoch + step / stepsPerEpoch;
  if (t < warm) return spec.lr * (epoch * stepsPerEpoch + step + 1) / (warm * stepsPerEpoch);
  return cosineAnneal(spec.lr, lrMin, (t - warm) / (spec.epochs! - warm));
}

/** The cycle (0-based) containing epoch `epoch` (0-based): ⌊epoch / cycleEpochs⌋. */
export function cycleIndexOf(epoch: number, cycleEpochs: number): number {
  return Math.floor(epoch / cycleEpochs);
}

/** Whether epoch `epoch` (0-based) is the last of its cycle: (epoch + 1) mod cycleEpochs = 0. */
export function isCycleEndOf(epoch: number, cycleEpochs: number): boolean {
  return (epoch + 1) % cycleEpochs === 0;
}

/**
 * The cyclic schedule's rate: cosine from lr to lrMin over each cycle, restarting at lr.
 * @example cyclicLr({ type: 'cyclic', lr: 1, cycleEpochs: 4 }, 6, 0, 1) // 0.5 (middle of cycle 1)
 */
export function cyclicLr(spec: CyclicScheduleSpec, epoch: number, step: number, stepsPerEpoch: number): number {
  if (spec.cycleSteps !== undefined) {
    const within = (epoch * stepsPerEpoch + step) % spec.cycleSteps;
    return cosineAnneal(spec.lr, spec.lrMin ?? DEFAULT_LR_MIN, within / spec.cycleSteps);
  }
  const within = (epoch % spec.cycleEpochs!) + step / stepsPerEpoch;
  return cosineAnneal(spec.lr, spec.lrMin ?? DEFAULT_LR_MIN, within / spec.cycleEpochs!);
}

/** The steps per epoch a step-based schedule was asked about, checked. */
function spe(stepsPerEpoch: number | undefined): number {
  if (!(Number.isInteger(stepsPerEpoch) && stepsPerEpoch! >= 1)) throw new Error(`a step-based schedule needs stepsPerEpoch (an integer ≥ 1) to place epochs, got ${stepsPerEpoch}`);
  return stepsPerEpoch!;
}

const ALLOWED_KEYS: Record<ScheduleSpec['type'], readonly string[]> = {
  constant: ['type', 'lr'],
  cosine: ['type', 'lr', 'lrMin', 'epochs', 'steps', 'warmupEpochs'],
  cyclic: ['type', 'lr', 'lrMin', 'cycleEpochs', 'cycleSteps'],
};

/** Checks a schedule spec, naming the field, the value and what is allowed. */
export function validateScheduleSpec(spec: ScheduleSpec): void {
  const type: unknown = spec.type;
  if (type !== 'constant' && type !== 'cosine' && type !== 'cyclic') {
    throw new Error(`schedule type must be 'constant', 'cosine' or 'cyclic', got ${JSON.stringify(type)}`);
  }
  for (const k of Object.keys(spec)) {
    if (!ALLOWED_KEYS[spec.type].includes(k)) throw new Error(`unknown ${spec.type} schedule option '${k}' (allowed: ${ALLOWED_KEYS[spec.type].join(', ')})`);
  }
  if (!(Number.isFinite(spec.lr) && spec.lr > 0)) throw new Error(`schedule lr must be a finite number > 0, got ${spec.lr}`);
  if (spec.type === 'constant') return;
  const lrMin = spec.lrMin ?? DEFAULT_LR_MIN;
  if (!(Number.isFinite(lrMin) && lrMin >= 0 && lrMin <= spec.lr)) throw new Error(`schedule lrMin must be in [0, lr = ${spec.lr}], got ${lrMin}`);
  if (spec.type === 'cosine') {
    if (spec.steps !== undefined) {
      if (spec.epochs !== undefined) throw new Error(`cosine schedule takes epochs or steps, not both (got epochs = ${spec.epochs}, steps = ${spec.steps})`);
      if (spec.warmupEpochs !== undefined) throw new Error(`cosine schedule warmupEpochs is for epoch-based schedules, not with steps = ${spec.steps}`);
      if (!(Number.isInteger(spec.steps) && spec.steps >= 1)) throw new Error(`cosine schedule steps must be an integer ≥ 1, got ${spec.steps}`);
      return;
    }
    const warm = spec.warmupEpochs ?? DEFAULT_WARMUP_EPOCHS;
    if (!(Number.isFinite(warm) && warm >= 0)) throw new Error(`schedule warmupEpochs must be a number ≥ 0, got ${warm}`);
    if (!(Number.isFinite(spec.epochs) && spec.epochs! > warm)) throw new Error(`cosine schedule epochs must be > warmupEpochs = ${warm}, got ${spec.epochs}`);
  } else if (spec.cycleSteps !== undefined) {
    if (spec.cycleEpochs !== undefined) throw new Error(`cyclic schedule takes cycleEpochs or cycleSteps, not both (got cycleEpochs = ${spec.cycleEpochs}, cycleSteps = ${spec.cycleSteps})`);
    if (!(Number.isInteger(spec.cycleSteps) && spec.cycleSteps >= 1)) throw new Error(`schedule cycleSteps must be an integer ≥ 1, got ${spec.cycleSteps}`);
  } else if (!(Number.isInteger(spec.cycleEpochs) && spec.cycleEpochs! >= 1)) {
    throw new Error(`schedule cycleEpochs must be an integer ≥ 1, got ${spec.cycleEpochs}`);
  }
}

/** Validates `spec` once and returns its schedule. */
export function makeSchedule(spec: ScheduleSpec): Schedule {
  validateScheduleSpec(spec);
  switch (spec.type) {
    case 'constant':
      return { spec, lr: () => constantLr(spec), cycleIndex: () => 0, isCycleEnd: () => false };
    case 'cosine': {
      const steps = spec.steps;
      return {
        spec,
        lr: (e, s, n) => cosineLr(spec, e, s, n),
        cycleIndex: () => 0,
        isCycleEnd: steps === undefined ? (e) => e + 1 === Math.ceil(spec.epochs!) : (e, n) => e === Math.floor((steps - 1) / spe(n)),
      };
    }
    case 'cyclic': {
      const cs = spec.cycleSteps;
      if (cs !== undefined) {
        return {
          spec,
          lr: (e, s, n) => cyclicLr(spec, e, s, n),
          // the epoch holds steps e·n … e·n + n − 1; a cycle ends at every step k with (k + 1) mod cs = 0
          cycleIndex: (e, n) => Math.floor((e * spe(n)) / cs),
          isCycleEnd: (e, n) => Math.floor(((e + 1) * spe(n)) / cs) > Math.floor((e * spe(n)) / cs),
        };
      }
      return {
        spec,
        lr: (e, s, n) => cyclicLr(spec, e, s, n),
        cycleIndex: (e) => cycleIndexOf(e, spec.cycleEpochs!),
        isCycleEnd: (e) => isCycleEndOf(e, spec.cycleEpochs!),
      };
    }
  }
}
