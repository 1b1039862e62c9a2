/**
 * A pool of worker threads that runs the tasks of a task module in parallel, e.g. the
 * per-sample forward/backward passes of a QNN minibatch.
 *
 * A task module exports `init(payload)` (optional) and `run(task)` (see {@link TaskModule}).
 * Workers are started on the compiled entry `dist/src/infra/worker-entry.js`, and they import
 * the task module as JavaScript. Node cannot run `.ts` sources in a worker, so:
 *
 * - From compiled code (`dist/`), pass `new URL('./my-task.js', import.meta.url)`.
 * - Under vitest (sources are `.ts`), build first (`npm run build`; `npm test` does it) and
 *   pass the compiled module. {@link compiledModuleUrl} maps a source path
 *   (`src/x/task.ts` or the not-existing `src/x/task.js`) to `dist/src/x/task.js`, and the
 *   pool applies that mapping itself to the task module and to its own worker entry.
 *
 * With `size ≤ 1` the module is imported in the calling thread and nothing is spawned; the
 * results are identical (the task module must be deterministic).
 *
 * Tasks and results are copied (structured clone), never transferred: a transfer detaches
 * ArrayBuffers, and the first detach in a thread invalidates V8's array-buffer-detaching
 * protector, which slows every later typed-array access in that thread (measured: the
 * 2-worker training epoch went from 0.71 to 0.67 of the 1-worker time when transfers stopped).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadTaskModule, type FromWorker, type TaskModule, type ToWorker } from './task-module.js';

export type { TaskModule } from './task-module.js';

/** The nearest ancestor directory of `file` that holds a package.json. */
function packageRoot(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The file URL of a module that a worker thread can import. An existing `.js`/`.mjs`/`.cjs`
 * file is returned as is; a `.ts` source, or a `.js` path that does not exist next to its
 * `.ts` source, is mapped to its compiled twin `<package root>/dist/<relative path>.js`.
 * Throws naming both paths when no compiled file exists (run `npm run build`).
 */
export function compiledModuleUrl(module: URL | string): URL {
  const url = typeof module === 'string' ? (module.startsWith('file:') ? new URL(module) : pathToFileURL(module)) : module;
  if (url.protocol !== 'file:') return url;
  const file = fileURLToPath(url);
  if (/\.(m|c)?js$/.test(file) && existsSync(file)) return url;
  const root = packageRoot(file);
  const rel = root === undefined ? undefined : relative(root, file);
  if (root !== undefined && rel !== undefined && !rel.startsWith('..') && !rel.startsWith(`dist${sep}`)) {
    const compiled = join(root, 'dist', rel.replace(/\.(m|c)?ts$/, '.js'));
    if (existsSync(compiled)) return pathToFileURL(compiled);
    throw new Error(`worker module ${file} has no compiled JavaScript at ${compiled}; run \`npm run build\` first`);
  }
  throw new Error(`worker module ${file} does not exist`);
}

/**
 * The URL to import a task module in the calling thread: the file itself if it exists; under
 * a TypeScript-aware loader (this file running as `.ts`, e.g. vitest) the `.ts` source of a
 * missing `.js` path; otherwise {@link compiledModuleUrl}.
 */
function inProcessModuleUrl(module: URL | string): URL {
  const url = typeof module === 'string' ? (module.startsWith('file:') ? new URL(module) : pathToFileURL(module)) : module;
  if (url.protocol !== 'file:') return url;
  const file = fileURLToPath(url);
  if (existsSync(file)) return url;
  const ts = file.replace(/\.(m|c)?js$/, '.ts');
  if (import.meta.url.endsWith('.ts') && ts !== file && existsSync(ts)) return pathToFileURL(ts);
  return compiledModuleUrl(url);
}

/** Where worker threads start: the compiled worker-entry.js next to (or in dist/ for) this file. */
export function workerEntryUrl(): URL {
  return compiledModuleUrl(new URL('./worker-entry.js', import.meta.url));
}

interface Pending {
  resolve: (msg: FromWorker & { kind: 'ok' }) => void;
  reject: (err: Error) => void;
}

/**
 * Worker-thread pool over a task module.
 * @example
 * const pool = new WorkerPool(new URL('./my-task.js', import.meta.url), 4);
 * await pool.init({ data });
 * const grads = await pool.map<Task, Float64Array>(tasks); // in task order
 * await pool.close();
 */
export class WorkerPool {
  /** Number of worker threads (0 when running in-process). */
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly pending: Map<number, Pending>[] = [];
  private local: Promise<TaskModule> | undefined;
  private nextId = 1;
  private failure: Error | undefined;
  private closed = false;

  /**
   * @param taskModule the module each worker imports (URL, file URL string or path)
   * @param size number of worker threads; 0 or 1 runs in the calling thread
   */
  constructor(taskModule: URL | string, size: number) {
    if (!Number.isInteger(size) || size < 0) throw new Error(`WorkerPool size must be an integer ≥ 0, got ${size}`);
    if (size <= 1) {
      this.size = 0;
      this.local = loadTaskModule(inProcessModuleUrl(taskModule).href);
      this.local.catch(() => undefined); // surfaced by init/map
      return;
    }
    this.size = size;
    const href = compiledModuleUrl(taskModule).href;
    const entry = workerEntryUrl();
    for (let w = 0; w < size; w++) {
      const worker = new Worker(entry, { workerData: { taskModule: href } });
      const pending = new Map<number, Pending>();
      worker.on('message', (msg: FromWorker) => {
        const p = pending.get(msg.id);
        if (p === undefined) return;
        pending.delete(msg.id);
        if (msg.kind === 'ok') p.resolve(msg);
        else p.reject(new Error(`worker ${w}: ${msg.message}`));
      });
      const fail = (err: Error): void => {
        this.failure ??= err;
        for (const p of pending.values()) p.reject(err);
        pending.clear();
      };
      worker.on('error', (err) => fail(new Error(`worker ${w} crashed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) fail(new Error(`worker ${w} exited unexpectedly with code ${code}`));
      });
      this.workers.push(worker);
      this.pending.push(pending);
    }
  }

  private send(w: number, msg: ToWorker): Promise<FromWorker & { kind: 'ok' }> {
    if (this.closed) return Promise.reject(new Error('WorkerPool is closed'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending[w]!.set(msg.id, { resolve, reject });
      this.workers[w]!.postMessage(msg);
    });
  }

  /** Calls the task module's `init(payload)` in every worker (payload is copied to each). */
  async init(payload: unknown): Promise<void> {
    if (this.local) {
      const mod = await this.local;
      await mod.init?.(payload);
      return;
    }
    const id = this.nextId++;
    await Promise.all(this.workers.map((_, w) => this.send(w, { kind: 'init', id, payload })));
  }

  /**
   * Runs `run(task)` for every task and returns the results in task order. Tasks are handed
   * out one at a time: each worker takes the next unstarted task when it finishes its last
   * (dynamic scheduling), so a worker slowed by load or by a costlier task does not hold the
   * others back. Which worker ran a task does not change its result (tasks are deterministic
   * and results come back in task order). Rejects with the worker's message if any task throws;
   * no further tasks are started then.
   */
  async map<T, R>(tasks: readonly T[]): Promise<R[]> {
    if (this.local) {
      const mod = await this.local;
      const out: R[] = [];
      for (const t of tasks) out.push((await mod.run(t)) as R);
      return out;
    }
    const n = tasks.length;
    const out: R[] = new Array<R>(n);
    let next = 0;
    let failed = false;
    const drain = async (w: number): Promise<void> => {
      while (!failed && next < n) {
        const i = next++;
        try {
          const msg = await this.send(w, { kind: 'map', id: this.nextId++, tasks: [tasks[i]] });
          out[i] = (msg.results ?? [])[0] as R;
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    };
    await Promise.all(this.workers.map((_, w) => drain(w)));
    return out;
  }

  /** Terminates the workers; pending calls reject. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending) {
      for (const p of pending.values()) p.reject(new Error('WorkerPool closed'));
      pending.clear();
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
