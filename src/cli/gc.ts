/**
 * Single-threaded garbage collection for the `qdistill` process, switched on by the CLI entry
 * point before it loads anything else.
 *
 * Training runs the model in worker threads, as many as the machine has cores. V8 by default
 * collects each isolate's garbage with helper threads of its own (parallel scavenge, concurrent
 * marking and sweeping), which then compete with the workers for the same cores. Collecting on
 * the thread that made the garbage measured 0.90× the time per E1 teacher batch with 2 workers
 * on 2 cores, with identical results (README, design notes, *Training throughput*).
 *
 * Node does not accept V8's `--single-threaded-gc` in `NODE_OPTIONS`, and the flag itself
 * cannot be set in a running process (it implies `--no-parallel-marking`, which V8 refuses after
 * start-up with a fatal trap). The flags below are the rest of what it implies; each can be set
 * at run time, takes effect for every isolate created afterwards (the workers) and for the main
 * isolate's next collection, and measured the same time per batch as `node --single-threaded-gc`
 * (E1 teacher, 2 workers: 196, 190, 194 ms against 196, 185, 194 ms; without: 250, 245, 212 ms).
 *
 * `QDISTILL_SINGLE_THREADED_GC=0` leaves V8's defaults (for a machine with many more cores than
 * workers, where the helper threads find idle cores); unset, empty or `1` sets the flags.
 *
 * The flags are those of Node 20's V8. A later V8 that renamed one would print "unrecognized
 * flag" on every start; test/cli/gc.test.ts checks each against the running Node's
 * `--v8-options`, so such a Node fails the tests first.
 */
import { setFlagsFromString } from 'node:v8';
import { envSwitch } from '../../mps/env-switch.js';

/** The V8 flags set at start-up: what `--single-threaded-gc` implies, less `--no-parallel-marking`. */
export const SINGLE_THREADED_GC_FLAGS: readonly string[] = [
  '--no-parallel-scavenge',
  '--no-concurrent-marking',
  '--no-parallel-compaction',
  '--no-concurrent-sweeping',
  '--no-parallel-pointer-update',
  '--no-concurrent-array-buffer-sweeping',
  '--no-cppheap-concurrent-marking',
];

/** Reads `QDISTILL_SINGLE_THREADED_GC` (unset, empty or `1`: on; `0`: off; else an error line). */
export function singleThreadedGcSetting(value: string | undefined): { on: boolean; error: string | null } {
  return envSwitch('QDISTILL_SINGLE_THREADED_GC', value, "the default: single-threaded garbage collection", "V8's parallel collector");
}

/**
 * Sets {@link SINGLE_THREADED_GC_FLAGS} unless `value` (the variable `QDISTILL_SINGLE_THREADED_GC`)
 * is `0`. Call before any worker thread starts: the flags apply to isolates created afterwards.
 * @returns the setting: `on` when the flags were set; `error` for a value other than unset,
 *   empty, `1` or `0` (nothing set).
 */
export function applySingleThreadedGc(value: string | undefined = process.env.QDISTILL_SINGLE_THREADED_GC): { on: boolean; error: string | null } {
  const setting = singleThreadedGcSetting(value);
  if (setting.on) for (const flag of SINGLE_THREADED_GC_FLAGS) setFlagsFromString(flag);
  return setting;
}
