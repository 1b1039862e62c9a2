import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addSplits, PHASES, splitStepTime, type PhaseSplit, type ThreadTaskTime } from '../../src/train/timing.js';

const sum = (s: PhaseSplit) => PHASES.reduce((a, k) => a + s[k]!, 0);

describe('splitStepTime', () => {
  it('splits a hand-worked two-thread step', () => {
    // thread 1: two tasks, 30 + 20 ms busy (fwd 10+5, bwd 15+10); thread 2: one task, 40 ms (fwd 12, bwd 20)
    const tasks: ThreadTaskTime[] = [
      { thread: 1, runMs: 30, forwardMs: 10, backwardMs: 15 },
      { thread: 1, runMs: 20, forwardMs: 5, backwardMs: 10 },
      { thread: 2, runMs: 40, forwardMs: 12, backwardMs: 20 },
    ];
    const s = splitStepTime({ totalMs: 70, poolMs: 60, optimizerMs: 4, tasks });
    // busy mean 45, slowest 50; forward mean (15+12)/2, backward mean (25+20)/2
    expect(s).toEqual({ forward: 13.5, backward: 22.5, workerOther: 9, imbalance: 5, transfer: 10, optimizer: 4, rest: 6 });
    expect(sum(s)).toBe(70);
  });

  it('sums to the step time for any consistent measurements (within 2e-15 relative)', () => {
    const task = fc.record({ thread: fc.integer({ min: 0, max: 3 }), run: fc.double({ min: 0, max: 1000, noNaN: true }), f: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(fc.property(fc.array(task, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (ts, extraPool, opt, rest) => {
      // forward + backward ≤ run for every task, as the worker measures them nested
      const tasks = ts.map((t) => ({ thread: t.thread, runMs: t.run, forwardMs: (t.run * t.f) / 2, backwardMs: (t.run * t.b) / 2 }));
      const perThread = new Map<number, number>();
      for (const t of tasks) perThread.set(t.thread, (perThread.get(t.thread) ?? 0) + t.runMs);
      const poolMs = Math.max(...perThread.values()) + extraPool;
      const totalMs = poolMs + opt + rest;
      const s = splitStepTime({ totalMs, poolMs, optimizerMs: opt, tasks });
      // achieved over 5000 draws: 2.0e-16 relative on the sum, −1.2e-16 on the phases, 1.1e-16
      // (one rounding) relative to the pool call on the transfer; tolerances about 10× that
      const scale = Math.max(1, totalMs);
      expect(Math.abs(sum(s) - totalMs)).toBeLessThanOrEqual(2e-15 * scale);
      for (const k of PHASES) expect(s[k]).toBeGreaterThanOrEqual(-2e-15 * scale);
      expect(Math.abs(s.transfer - extraPool)).toBeLessThanOrEqual(1e-15 * Math.max(1, poolMs));
    }), { numRuns: 300, seed: 21 });
  });

  it('in-process (one thread): no imbalance, transfer is the pool call minus the task', () => {
    const s = splitStepTime({ totalMs: 12, poolMs: 10, optimizerMs: 1, tasks: [{ thread: 0, runMs: 9.5, forwardMs: 3, backwardMs: 6 }] });
    expect(s.imbalance).toBe(0);
    expect(s.transfer).toBeCloseTo(0.5, 12);
    expect(s.workerOther).toBeCloseTo(0.5, 12);
    expect(s.rest).toBeCloseTo(1, 12);
  });

  it('rejects inconsistent input with a message naming the field', () => {
    expect(() => splitStepTime({ totalMs: 5, poolMs: 10, optimizerMs: 0, tasks: [{ thread: 0, runMs: 1, forwardMs: 0, backwardMs: 0 }] })).toThrow(/exceed the step/);
    expect(() => splitStepTime({ totalMs: 5, poolMs: 1, optimizerMs: 0, tasks: [] })).toThrow(/no task times/);
    expect(() => splitStepTime({ totalMs: Number.NaN, poolMs: 1, optimizerMs: 0, tasks: [{ thread: 0, runMs: 1, forwardMs: 0, backwardMs: 0 }] })).toThrow(/totalMs/);
  });

  it('addSplits adds field by field', () => {
    const a = splitStepTime({ totalMs: 12, poolMs: 10, optimizerMs: 1, tasks: [{ thread: 0, runMs: 9.5, forwardMs: 3, backwardMs: 6 }] });
    const b = addSplits(a, a);
    for (const k of PHASES) expect(b[k]).toBe(2 * a[k]);
  });
});
