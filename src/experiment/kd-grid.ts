/**
 * The KD validation grid: `kd.T` and `kd.alpha` may be lists, and then every (T, α) point is
 * trained as its own run per seed and student (task `seed-S/student/<name>/<method>/T-<T>-alpha-<α>`),
 * and the arm's result (`seed-S/student/<name>/<method>`, the id a scalar T and α give the run
 * itself) is the point with the best validation accuracy — ties broken by the lower validation
 * loss, then by grid order. Test metrics never enter the choice.
 */
import type { KdConfig, StudentMethod } from './config.js';

/** The values of a KD setting that may be a list (the validation grid): a scalar is a list of one. */
function kdValues(v: number | number[]): number[] {
  return Array.isArray(v) ? v : [v];
}

/** Whether `kd.T` or `kd.alpha` is a list: the kd and kd-transfer runs then train a validation grid. */
export function kdIsGrid(kd: Pick<KdConfig, 'T' | 'alpha'>): boolean {
  return Array.isArray(kd.T) || Array.isArray(kd.alpha);
}

/** One point of the KD grid: temperature T > 0 and the soft term's weight α ∈ [0, 1]. */
export interface KdPoint { T: number; alpha: number }

/** The KD grid in its order: every T (outer) with every α (inner); one point when both are scalars. */
export function kdGrid(kd: Pick<KdConfig, 'T' | 'alpha'>): KdPoint[] {
  return kdValues(kd.T).flatMap((T) => kdValues(kd.alpha).map((alpha) => ({ T, alpha })));
}

/**
 * The one (T, α) of a run that trains no grid point: self-distillation, the teacher-bond and
 * hardware sweeps, and every student without a grid. Each setting's first value; config
 * validation refuses a list where a run takes a single value (`kd.T` and `kd.alpha` with
 * selfDistillation, teacherBond or hardwareSweep).
 */
export function kdSinglePoint(kd: Pick<KdConfig, 'T' | 'alpha'>): KdPoint {
  return { T: kdValues(kd.T)[0]!, alpha: kdValues(kd.alpha)[0]! };
}

/** The methods that train one run per KD grid point (pseudo uses no T or α). */
export const KD_GRID_METHODS: readonly StudentMethod[] = ['kd', 'kd-transfer'];

/** The id of grid point `p` of the arm whose id is `armId`: `<armId>/T-<T>-alpha-<α>`. */
export function kdPointId(armId: string, p: KdPoint): string {
  return `${armId}/T-${p.T}-alpha-${p.alpha}`;
}

/** What the choice reads of a trained grid point: its final validation accuracy and loss. */
export interface KdPointScore extends KdPoint { val_accuracy: number | null; val_loss: number | null }

/**
 * The index of the chosen point: the highest validation accuracy, ties broken by the lower
 * validation loss, then by the first in grid order (a missing value ranks last).
 * @throws Error when `points` is empty.
 */
export function chooseKdPoint(points: readonly KdPointScore[]): number {
  if (points.length === 0) throw new Error('chooseKdPoint: no grid points');
  const acc = (p: KdPointScore) => p.val_accuracy ?? -Infinity;
  const loss = (p: KdPointScore) => p.val_loss ?? Infinity;
  let best = 0;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!, b = points[best]!;
    if (acc(p) > acc(b) || (acc(p) === acc(b) && loss(p) < loss(b))) best = i;
  }
  return best;
}

/** How often one grid point (T, α) was chosen for one student and method (`chosen` of its seeds), and for which seeds. */
export interface KdChoiceCount { student: string; method: string; T: number; alpha: number; chosen: number; seeds: (string | number)[] }

/**
 * How often each grid point was chosen, per student and method (rows in the order students
 * first appear, then grid order), from the arms' records (`kdChoice`); empty without a grid.
 */
export function kdChoiceCounts(kd: Pick<KdConfig, 'T' | 'alpha'>, runs: readonly { name: string; method: string; seed: string | number; kdChoice?: KdPoint }[]): KdChoiceCount[] {
  if (!kdIsGrid(kd)) return [];
  const arms: { name: string; method: string }[] = [];
  for (const r of runs) if (r.kdChoice && !arms.some((a) => a.name === r.name && a.method === r.method)) arms.push({ name: r.name, method: r.method });
  return arms.flatMap(({ name, method }) => kdGrid(kd).map((p) => {
    const seeds = runs.filter((r) => r.name === name && r.method === method && r.kdChoice?.T === p.T && r.kdChoice.alpha === p.alpha).map((r) => r.seed);
    return { student: name, method, T: p.T, alpha: p.alpha, chosen: seeds.length, seeds };
  }));
}
