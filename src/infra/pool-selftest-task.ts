/**
 * A tiny task module for testing {@link WorkerPool}: `init({ scale })` sets a factor,
 * `run({ i, n })` returns `{ i, values }` with values[k] = scale · sin(i + k) as a
 * Float64Array of length n (transferred), and `run({ fail: 'msg' })` throws Error('msg').
 */
let scale = 1;

/** Sets the scale factor (broadcast by `WorkerPool.init`). */
export function init(payload: unknown): void {
  const s = (payload as { scale?: unknown } | null)?.scale;
  if (typeof s !== 'number') throw new Error(`pool-selftest-task init expects { scale: number }, got ${JSON.stringify(payload)}`);
  scale = s;
}

/** Computes one deterministic result, or throws when asked to. */
export async function run(task: unknown): Promise<{ i: number; values: Float64Array }> {
  const t = task as { i: number; n: number; fail?: string };
  if (t.fail !== undefined) throw new Error(t.fail);
  const values = new Float64Array(t.n);
  for (let k = 0; k < t.n; k++) values[k] = scale * Math.sin(t.i + k);
  return { i: t.i, values };
}
