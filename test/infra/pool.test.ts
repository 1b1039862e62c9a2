/**
 * WorkerPool tests. Worker threads cannot run TypeScript, so these tests use the compiled
 * files in dist/ (run `npm run build` first; `npm test` does it via pretest). The pool maps
 * the source path of the task module to its dist/ twin itself (compiledModuleUrl).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool, compiledModuleUrl } from '../../src/infra/pool.js';

const TASK = new URL('../../src/infra/pool-selftest-task.ts', import.meta.url);
const DIST_TASK = new URL('../../dist/src/infra/pool-selftest-task.js', import.meta.url);
const built = existsSync(fileURLToPath(DIST_TASK)) && existsSync(fileURLToPath(new URL('../../dist/src/infra/worker-entry.js', import.meta.url)));

type Result = { i: number; values: Float64Array };
const tasks = Array.from({ length: 11 }, (_, i) => ({ i, n: 5 }));

let pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});
function pool(module: URL, size: number): WorkerPool {
  const p = new WorkerPool(module, size);
  pools.push(p);
  return p;
}

describe('WorkerPool (needs npm run build)', () => {
  it('runs against the compiled files (a missing build fails, it does not skip)', () => {
    expect(built, 'dist/ is missing: run `npm run build` (npm test does it first)').toBe(true);
  });
  it('maps a source path to its compiled twin', () => {
    expect(compiledModuleUrl(TASK).href).toBe(DIST_TASK.href);
    expect(compiledModuleUrl(DIST_TASK).href).toBe(DIST_TASK.href);
  });

  it('1 (in-process) and 2 or 3 workers give identical results in task order', async () => {
    const results: Result[][] = [];
    for (const [module, size] of [[TASK, 1], [DIST_TASK, 0], [DIST_TASK, 2], [TASK, 3]] as const) {
      const p = pool(module, size);
      await p.init({ scale: 2.5 });
      results.push(await p.map<{ i: number; n: number }, Result>(tasks));
    }
    expect(results[0]!.map((r) => r.i)).toEqual(tasks.map((t) => t.i));
    for (const r of results) {
      expect(r.map((x) => x.i)).toEqual(tasks.map((t) => t.i));
      r.forEach((x, k) => {
        expect(x.values).toBeInstanceOf(Float64Array);
        expect(Array.from(x.values)).toEqual(Array.from(results[0]![k]!.values));
      });
    }
    expect(results[0]![3]!.values[1]).toBe(2.5 * Math.sin(4));
  });

  it('hands tasks out as workers become free: one slow task does not hold back the rest', async () => {
    // static halves would give worker 0 tasks 0–3 (task 0 slow); dynamically worker 0 runs
    // only task 0 while worker 1 runs the other six, and results still come in task order.
    // Task 0 is slow by a gate, not a clock: it finishes only after the other six have, so the
    // test does not depend on the machine's load (a pool that queued tasks behind task 0 fails
    // with the task's 30 s timeout instead of passing or hanging)
    const p = pool(DIST_TASK, 2);
    await p.init({ scale: 1 });
    const gate = new SharedArrayBuffer(4);
    const ts = [{ i: 0, n: 2, gate, waitFor: 6 }, ...Array.from({ length: 6 }, (_, k) => ({ i: k + 1, n: 2, gate }))];
    const r = await p.map<{ i: number; n: number }, Result & { thread: number }>(ts);
    expect(r.map((x) => x.i)).toEqual(ts.map((t) => t.i));
    expect(new Set(r.slice(1).map((x) => x.thread)).size).toBe(1);
    expect(r[1]!.thread).not.toBe(r[0]!.thread);
    r.forEach((x) => expect(Array.from(x.values)).toEqual([Math.sin(x.i), Math.sin(x.i + 1)]));
    expect(new Int32Array(gate)[0]).toBe(7);
  }, 60_000);

  it('handles fewer tasks than workers, and empty maps', async () => {
    const p = pool(DIST_TASK, 4);
    await p.init({ scale: 1 });
    expect((await p.map<{ i: number; n: number }, Result>(tasks.slice(0, 2))).map((r) => r.i)).toEqual([0, 1]);
    expect(await p.map([])).toEqual([]);
  });

  it("rejects with the worker's message", async () => {
    const p = pool(DIST_TASK, 2);
    await expect(p.map([{ i: 0, n: 1 }, { fail: 'boom at task 1' }])).rejects.toThrow(/worker 1: boom at task 1/);
    await expect(p.init({ nope: true })).rejects.toThrow(/init expects \{ scale: number \}/);
    const local = pool(TASK, 1);
    await expect(local.map([{ fail: 'local boom' }])).rejects.toThrow('local boom');
  });

  it('rejects a module without run', async () => {
    const p = pool(new URL('../../dist/src/train/shuffle.js', import.meta.url), 2);
    await expect(p.map([1])).rejects.toThrow(/must export a function run\(task\)/);
  });
});

