/**
 * The contract of a {@link WorkerPool} task module and the helpers both sides of the pool use:
 * loading and checking the module.
 */

/** What a task module exports. `init` is optional; `run` is required. */
export interface TaskModule {
  /** Receives the payload broadcast by `WorkerPool.init` (e.g. the dataset and model spec). */
  init?(payload: unknown): void | Promise<void>;
  /** Runs one task and returns its result (structured-cloneable; copied to the caller). */
  run(task: unknown): unknown | Promise<unknown>;
}

/** Imports `href` and checks that it exports `run` (and, if present, `init`) as functions. */
export async function loadTaskModule(href: string): Promise<TaskModule> {
  const mod = (await import(href)) as Record<string, unknown>;
  const run = mod['run'];
  const init = mod['init'];
  if (typeof run !== 'function') throw new Error(`task module ${href} must export a function run(task), found ${typeof run}`);
  if (init !== undefined && typeof init !== 'function') throw new Error(`task module ${href} exports init, but it is a ${typeof init}, not a function`);
  return {
    run: (task) => (run as (t: unknown) => unknown)(task),
    ...(init === undefined ? {} : { init: (p: unknown) => (init as (p: unknown) => void | Promise<void>)(p) }),
  };
}

/** Messages from the pool to a worker. */
export type ToWorker =
  | { kind: 'init'; id: number; payload: unknown }
  | { kind: 'map'; id: number; tasks: unknown[] };

/** Messages from a worker to the pool. */
export type FromWorker =
  | { kind: 'ok'; id: number; results?: unknown[] }
  | { kind: 'error'; id: number; message: string; stack?: string };
