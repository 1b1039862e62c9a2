/**
 * The split of a training step's wall time into phases, for the throughput benchmark
 * (`bench/train.ts`). The main thread times the whole step, the pool call and the optimizer;
 * each task reports the time its thread spent in `run`, in forward simulations and in adjoint
 * backward passes (`TaskTiming` of the QNN worker task). Per thread the task times are summed;
 * threads run in parallel, so the pool call's wall time is split as
 *
 *   forward + backward + other work = the mean busy time of the threads,
 *   imbalance = the slowest thread's busy time − the mean (the others wait for it),
 *   transfer  = the pool call − the slowest thread's busy time (posting tasks, structured
 *               cloning of parameters and results, waking the threads, in-process: the loop),
 *
 * and the step's remaining time is the optimizer's or the rest (building tasks, reducing
 * gradients, shuffling). The phases sum to the step's wall time exactly (up to rounding).
 */

/** The per-task report this module reads (the QNN worker task's `TaskTiming`). */
export interface ThreadTaskTime {
  /** The thread that ran the task. */
  thread: number;
  /** Wall milliseconds of the whole task. */
  runMs: number;
  /** Of which forward simulations. */
  forwardMs: number;
  /** Of which adjoint backward passes. */
  backwardMs: number;
}

/** One step's measurements (milliseconds). */
export interface StepTimes {
  /** The whole step (objective call and optimizer update). */
  totalMs: number;
  /** The pool call inside the objective (all tasks, sending to receiving). */
  poolMs: number;
  /** The optimizer update. */
  optimizerMs: number;
  /** Every task of the pool call. */
  tasks: readonly ThreadTaskTime[];
}

/** Milliseconds per phase; the fields sum to the step's `totalMs`. */
export interface PhaseSplit {
  /** Forward simulations (mean over the threads of their summed task times). */
  forward: number;
  /** Adjoint backward passes (mean over the threads). */
  backward: number;
  /** Work in the threads outside the simulations: binding the circuit, losses, copying results. */
  workerOther: number;
  /** Waiting for the slowest thread. */
  imbalance: number;
  /** Pool messaging and serialisation (see the module comment). */
  transfer: number;
  /** The optimizer update on the main thread. */
  optimizer: number;
  /** Main-thread work outside the pool call and the optimizer. */
  rest: number;
}

/** The phase names in print order. */
export const PHASES: readonly (keyof PhaseSplit)[] = ['forward', 'backward', 'workerOther', 'imbalance', 'transfer', 'optimizer', 'rest'];

/**
 * Splits one step's wall time into phases (module comment).
 * @throws Error when a time is negative or not finite, when there are no tasks, or when the
 *   pool call is longer than the step.
 */
export function splitStepTime(t: StepTimes): PhaseSplit {
  const check = (name: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`splitStepTime: ${name} must be a finite number ≥ 0, got ${v}`);
  };
  check('totalMs', t.totalMs); check('poolMs', t.poolMs); check('optimizerMs', t.optimizerMs);
  if (t.tasks.length === 0) throw new Error('splitStepTime: no task times');
  if (t.poolMs + t.optimizerMs > t.totalMs) throw new Error(`splitStepTime: the pool call (${t.poolMs} ms) and the optimizer (${t.optimizerMs} ms) exceed the step (${t.totalMs} ms)`);
  const threads = new Map<number, { run: number; fwd: number; bwd: number }>();
  for (const k of t.tasks) {
    check('runMs', k.runMs); check('forwardMs', k.forwardMs); check('backwardMs', k.backwardMs);
    const th = threads.get(k.thread) ?? { run: 0, fwd: 0, bwd: 0 };
    th.run += k.runMs; th.fwd += k.forwardMs; th.bwd += k.backwardMs;
    threads.set(k.thread, th);
  }
  const all = [...threads.values()];
  const mean = (f: (x: { run: number; fwd: number; bwd: number }) => number) => all.reduce((s, x) => s + f(x), 0) / all.length;
  const busy = mean((x) => x.run);
  const slowest = Math.max(...all.map((x) => x.run));
  const forward = mean((x) => x.fwd), backward = mean((x) => x.bwd);
  return {
    forward, backward, workerOther: busy - forward - backward, imbalance: slowest - busy, transfer: t.poolMs - slowest,
    optimizer: t.optimizerMs, rest: t.totalMs - t.poolMs - t.optimizerMs,
  };
}

/** Field-wise sum of phase splits (the phases of several steps). */
export function addSplits(a: PhaseSplit, b: PhaseSplit): PhaseSplit {
  const out = { ...a };
  for (const k of PHASES) out[k] += b[k];
  return out;
}
