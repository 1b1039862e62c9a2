/**
 * The KD grid's choice (`seed-S/student/<name>/<method>`, kind `select`): reads the run records
 * of the arm's grid points (`…/<method>/T-<T>-alpha-<α>`), chooses the one with the best final
 * validation accuracy (ties: the lower validation loss, then the first in grid order; test
 * metrics are never read), and records it as the arm's run: a copy of the chosen point's record
 * under the arm's key, with `kdChoice` listing every point's validation score.
 */
import { chooseKdPoint } from '../kd-grid.js';
import { runRecordPath, type PlanTask } from '../plan.js';
import { readRunRecord } from '../run-files.js';
import type { RunRecord } from '../runner.js';
import type { StepContext } from './common.js';

/**
 * The arm's record of a KD grid from its points' records (in grid order). `numerics` is the
 * worst over every point (the arm ran them all); `seconds` stays the chosen run's and
 * `kdChoice.gridSeconds` sums all of them.
 * @throws Error when a point's record carries no grid point (`kd`).
 */
export function chooseArm(key: string, points: readonly RunRecord[]): RunRecord {
  const scores = points.map((r) => {
    if (!r.kd) throw new Error(`run ${r.key} is not a KD grid point (no kd field)`);
    const last = r.history[r.history.length - 1];
    return { key: r.key, T: r.kd.T, alpha: r.kd.alpha, val_accuracy: r.final.val_accuracy, val_loss: last?.val_loss ?? null };
  });
  const i = chooseKdPoint(scores);
  const { kd: _kd, ...chosen } = points[i]!;
  const drift = points.map((r) => r.numerics).filter((n) => n !== undefined);
  const numerics = drift.length ? { normDriftMax: Math.max(...drift.map((n) => n.normDriftMax ?? Infinity)), normDriftExceeded: drift.some((n) => n.normDriftExceeded) } : chosen.numerics;
  return {
    ...chosen, key, ...(numerics ? { numerics } : {}),
    kdChoice: { T: scores[i]!.T, alpha: scores[i]!.alpha, points: scores, gridSeconds: points.reduce((a, r) => a + r.seconds, 0) },
  };
}

/** Runs the select step of `task`: the arm's record from its grid points' records in the results folder. */
export function selectStep(ctx: StepContext, task: PlanTask): RunRecord {
  if (task.step.kind !== 'select') throw new Error(`selectStep got a ${task.kind} task (${task.id})`);
  const points = task.step.points.map((id) => readRunRecord<RunRecord>(runRecordPath(ctx.outDir, id), id).record);
  return chooseArm(task.id, points);
}
