/**
 * A tiny task module for testing {@link WorkerPool}: `init({ scale })` sets a factor,
 * `run({ i, n })` returns `{ i, values }` with values[k] = scale · sin(i + k) as a
 * Float64Array of length n (transferred), and `run({ fail: 'msg' })` throws Error('msg').
 * With `delayMs`, the result comes after that many milliseconds, and `thread` names the
 * thread that ran the task (scheduling tests). With `gate` (a SharedArrayBuffer of at least one
 * Int32, shared by every task of a map), each task adds 1 to `gate[0]` when it finishes, and a
 * task with `waitFor` first waits, without blocking its thread, until `gate[0]` reaches that
 * count (at most 30 s, then throws): a deterministic "slow" task for scheduling tests.
 */
import { threadId } from 'node:worker_threads';

let scale = 1;

/** Sets the scale factor (broadcast by `WorkerPool.init`). */
export function init(payload: unknown): void {
  const s = (payload as { scale?: unknown } | null)?.scale;
  if (typeof s !== 'number') throw new Error(`pool-selftest-task init expects { scale: number }, got ${JSON.stringify(payload)}`);
  scale = s;
}

/** Computes one deterministic result, or throws when asked to. */
export async function run(task: unknown): Promise<{ i: number; values: Float64Array; thread: number }> {
  const t = task as { i: number; n: number; fail?: string; delayMs?: number; gate?: SharedArrayBuffer; waitFor?: number };
  if (t.fail !== undefined) throw new Error(t.fail);
  if (t.delayMs !== undefined) await new Promise((r) => setTimeout(r, t.delayMs));
  const gate = t.gate !== undefined ? new Int32Array(t.gate) : null;
  if (gate && t.waitFor !== undefined) {
    const until = Date.now() + 30_000;
    while (Atomics.load(gate, 0) < t.waitFor) {
      if (Date.now() > until) throw new Error(`pool-selftest-task ${t.i}: gate stayed at ${Atomics.load(gate, 0)} < ${t.waitFor} for 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const values = new Float64Array(t.n);
  for (let k = 0; k < t.n; k++) values[k] = scale * Math.sin(t.i + k);
  if (gate) Atomics.add(gate, 0, 1);
  return { i: t.i, values, thread: threadId };
}
