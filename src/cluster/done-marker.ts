/**
 * Whether a task of a study has finished: `qdistill run --task ID --out DIR` leaves a done
 * marker in DIR when the task completes, and nothing else counts as finished (a task killed by
 * Slurm, by its time limit or by `scancel` leaves none). The submission reads the markers to
 * resubmit only the unfinished tasks. The marker's path is the planner's `taskDonePath`
 * (`<outDir>/tasks/<id with / as __>.json`), re-exported here.
 */
import { existsSync } from 'node:fs';
import { taskDonePath } from '../experiment/plan.js';

export { taskDonePath };

/** Whether task `id` has finished in `outDir`: its done marker exists. */
export function isTaskDone(outDir: string, id: string): boolean {
  return existsSync(taskDonePath(outDir, id));
}
