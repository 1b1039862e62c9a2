/**
 * The hardware sweep of an experiment (E7): one student trained and evaluated under a list of
 * shot counts (exact gates) and under a list of two-qubit depolarizing rates (exact readouts,
 * quantum trajectories), each with every method of the config (label-only, KD from the
 * noiseless teacher's soft labels), and the record of what a stochastic run measured: the
 * gradient method that ran and the test accuracy over several shot/trajectory seeds.
 */
import type { NoiseModel } from '../../mps/noise.js';
import type { Dataset } from '../data/dataset.js';
import type { GradientMethod } from '../qnn/hardware.js';
import { makeQnnObjective } from '../distill/objective.js';
import type { ModelRun } from './build.js';
import type { ExperimentConfig, ModelConfig } from './config.js';

/** The `hardwareSweep` block of a resolved config. */
export type HardwareSweep = NonNullable<ExperimentConfig['hardwareSweep']>;

/** One point of the sweep: K shots per input, or two-qubit depolarizing rate P. */
export type HardwarePoint = { kind: 'shots'; shots: number; key: string } | { kind: 'depolarizing2q'; p: number; key: string };

/** The sweep's points in config order: shots first, then depolarizing rates. Keys `shots-<K>`, `depol2q-<P>`. */
export function hardwarePoints(sw: HardwareSweep): HardwarePoint[] {
  return [
    ...sw.shots.map((shots): HardwarePoint => ({ kind: 'shots', shots, key: `shots-${shots}` })),
    ...sw.depolarizing2q.map((p): HardwarePoint => ({ kind: 'depolarizing2q', p, key: `depol2q-${p}` })),
  ];
}

/**
 * The student's model config at a sweep point: `shots: K` (its own noise kept), or its noise
 * block with `twoQubit.depolarizing = P` (other rates kept) and the sweep's trajectories.
 */
export function modelAtPoint(m: ModelConfig, pt: HardwarePoint, sw: HardwareSweep): ModelConfig {
  if (pt.kind === 'shots') return { ...m, shots: pt.shots };
  const noise = (m.noise ?? {}) as NoiseModel;
  return { ...m, noise: { ...noise, twoQubit: { ...(noise.twoQubit ?? {}), depolarizing: pt.p } }, trajectories: m.trajectories ?? sw.trajectories };
}

/** What a run under shots or noise (or a sweep point) records in `results.json`. */
export interface HardwareRecord {
  /** The sweep point's key (`shots-64`, `depol2q-0.01`), or null for a student's own options. */
  point: string | null;
  /** Shots per input, or null for exact readouts. */
  shots: number | null;
  /** The noise block, or null when noiseless. */
  noise: Record<string, unknown> | null;
  /** Trajectories per evaluation under noise, or null. */
  trajectories: number | null;
  /** The gradient that trained the run: `adjoint` (exact readouts), `trajectory-adjoint` (Pauli noise) or `parameter-shift`. */
  gradient: GradientMethod;
  /**
   * Test accuracy of the final parameters under `repeats` shot/trajectory seeds (replicate 0 is
   * the seed of the training loop's evaluation, so its value is `final.test_accuracy`); one
   * value when the readouts are exact.
   */
  testAccuracyRepeats: number[];
  /** Mean of `testAccuracyRepeats`. */
  testAccuracyMean: number;
  /** Sample standard deviation of `testAccuracyRepeats` over the shot/trajectory seeds (0 for one value). */
  testAccuracyStd: number;
}

/**
 * The hardware record of a finished run: the test accuracy under `repeats` seeds (one when
 * the model is deterministic), evaluated in a pool of `workers`.
 */
export async function hardwareRecord(run: ModelRun, m: ModelConfig, data: Dataset, point: HardwarePoint | null, repeats: number, workers: number): Promise<HardwareRecord> {
  const model = run.model;
  const R = model.stochastic ? repeats : 1;
  const obj = await makeQnnObjective(model, data, { workers, ...(run.samplingSeed !== undefined ? { seed: run.samplingSeed } : {}) });
  const acc: number[] = [];
  try {
    for (let r = 0; r < R; r++) acc.push((await obj.predict(run.params, 'test', r)).accuracy);
  } finally {
    await obj.close();
  }
  const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
  const std = acc.length > 1 ? Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / (acc.length - 1)) : 0;
  return {
    point: point?.key ?? null, shots: m.shots ?? null, noise: m.noise ?? null, trajectories: m.noise ? m.trajectories ?? null : null,
    gradient: model.gradientMethod, testAccuracyRepeats: acc, testAccuracyMean: mean, testAccuracyStd: std,
  };
}
