/**
 * Whether a task of a study has finished: `qdistill run --task ID --out DIR` leaves a done
 * marker in DIR when the task completes, and nothing else counts as finished (a task killed by
 * Slurm, by its time limit or by `scancel` leaves none). The submission reads the markers to
 * resubmit only the unfinished tasks.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The path of the done marker of task `id` in the results folder `outDir`:
 * `<outDir>/tasks/<id, URI-encoded>.done` (the encoding keeps the `/` of ids out of the path).
 * The one place the cluster code learns where a finished task leaves its marker.
 */
export function taskDonePath(outDir: string, id: string): string {
  return join(outDir, 'tasks', `${encodeURIComponent(id)}.done`);
}

/** Whether task `id` has finished in `outDir`: its done marker exists. */
export function isTaskDone(outDir: string, id: string): boolean {
  return existsSync(taskDonePath(outDir, id));
}
