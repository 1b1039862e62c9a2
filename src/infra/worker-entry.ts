/**
 * Entry point of every {@link WorkerPool} worker thread (runs as compiled JS:
 * dist/src/infra/worker-entry.js). It imports the task module named in `workerData`, then
 * handles the pool's messages strictly in order: `init` broadcasts and `map` chunks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTaskModule, type FromWorker, type ToWorker } from './task-module.js';

const port = parentPort;
if (port === null) throw new Error('worker-entry.js must run as a worker thread');
const { taskModule } = workerData as { taskModule: string };
const modP = loadTaskModule(taskModule);
modP.catch(() => undefined); // reported on the first message
let queue: Promise<void> = Promise.resolve();

async function handle(msg: ToWorker): Promise<void> {
  try {
    const mod = await modP;
    if (msg.kind === 'init') {
      await mod.init?.(msg.payload);
      port!.postMessage({ kind: 'ok', id: msg.id } satisfies FromWorker);
    } else {
      const results: unknown[] = [];
      for (const t of msg.tasks) results.push(await mod.run(t));
      // Copied, not transferred: transferring detaches the worker's buffers, and the first
      // detach in a thread makes every later typed-array access in it slower (V8's
      // array-buffer-detaching protector; measured 25% on the eigensolver, see README).
      port!.postMessage({ kind: 'ok', id: msg.id, results } satisfies FromWorker);
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port!.postMessage({ kind: 'error', id: msg.id, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) } satisfies FromWorker);
  }
}

port.on('message', (msg: ToWorker) => {
  queue = queue.then(() => handle(msg));
});
