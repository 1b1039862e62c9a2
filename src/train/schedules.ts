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
  /** Length of the whole schedule in epochs, warm-up included (> warmupEpochs). */
  epochs: number;
  /** Linear warm-up length in epochs (default 0). */
  warmupEpochs?: number;
}

/** Options of the cyclic (warm-restart) schedule. */
export interface CyclicScheduleSpec {
  type: 'cyclic';
  /** Learning rate at the start of every cycle (> 0). */
  lr: number;
  /** Learning rate approached at the end of every cycle (default {@link DEFAULT_LR_MIN}). */
  lrMin?: number;
  /** Cycle length in epochs (integer ≥ 1). */
  cycleEpochs: number;
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
  /** The 0-based cycle that epoch `epoch` belongs to (always 0 for non-cyclic schedules). */
  cycleIndex(epoch: number): number;
  /** Whether epoch `epoch` (0-based) is the last epoch of its cycle (non-cyclic: the last epoch of a cosine schedule; never for constant). */
  isCycleEnd(epoch: number): boolean;
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
  const warm = spec.warmupEpochs ?? DEFAULT_WARMUP_EPOCHS;
  const t = epoch + step / stepsPerEpoch;
  if (t < warm) return spec.lr * (epoch * stepsPerEpoch + step + 1) / (warm * stepsPerEpoch);
  return cosineAnneal(spec.lr, lrMin, (t - warm) / (spec.epochs - warm));
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
  const within = (epoch % spec.cycleEpochs) + step / stepsPerEpoch;
  return cosineAnneal(spec.lr, spec.lrMin ?? DEFAULT_LR_MIN, within / spec.cycleEpochs);
}

const ALLOWED_KEYS: Record<ScheduleSpec['type'], readonly string[]> = {
  constant: ['type', 'lr'],
  cosine: ['type', 'lr', 'lrMin', 'epochs', 'warmupEpochs'],
  cyclic: ['type', 'lr', 'lrMin', 'cycleEpochs'],
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
    const warm = spec.warmupEpochs ?? DEFAULT_WARMUP_EPOCHS;
    if (!(Number.isFinite(warm) && warm >= 0)) throw new Error(`schedule warmupEpochs must be a number ≥ 0, got ${warm}`);
    if (!(Number.isFinite(spec.epochs) && spec.epochs > warm)) throw new Error(`cosine schedule epochs must be > warmupEpochs = ${warm}, got ${spec.epochs}`);
  } else if (!(Number.isInteger(spec.cycleEpochs) && spec.cycleEpochs >= 1)) {
    throw new Error(`schedule cycleEpochs must be an integer ≥ 1, got ${spec.cycleEpochs}`);
  }
}

/** Validates `spec` once and returns its schedule. */
export function makeSchedule(spec: ScheduleSpec): Schedule {
  validateScheduleSpec(spec);
  switch (spec.type) {
    case 'constant':
      return { spec, lr: () => constantLr(spec), cycleIndex: () => 0, isCycleEnd: () => false };
    case 'cosine':
      return {
        spec,
        lr: (e, s, n) => cosineLr(spec, e, s, n),
        cycleIndex: () => 0,
        isCycleEnd: (e) => e + 1 === Math.ceil(spec.epochs),
      };
    case 'cyclic':
      return {
        spec,
        lr: (e, s, n) => cyclicLr(spec, e, s, n),
        cycleIndex: (e) => cycleIndexOf(e, spec.cycleEpochs),
        isCycleEnd: (e) => isCycleEndOf(e, spec.cycleEpochs),
      };
  }
}
