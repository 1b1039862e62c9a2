/**
 * How the estimator times a call: cheap calls run 2 warm-up calls and at least
 * MIN_TIMED_BATCHES timed batches (the fastest counts); a call that outlasts the timing budget
 * SLOW_CALL_BUDGETS times over runs twice and the faster counts (a 64-site teacher's gradient
 * takes seconds, and ten of them made an estimate cost a minute).
 */
import { describe, expect, it } from 'vitest';
import { MIN_TIMED_BATCHES, SLOW_CALL_BUDGETS, timeIt } from '../../src/experiment/estimate.js';

const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
/** A call that burns `ms` of CPU time, counting its calls. */
function burner(ms: number): { fn: () => void; calls: () => number } {
  let n = 0;
  return { fn: () => { n++; const t = cpu(); while (cpu() - t < ms / 1000) { /* spin */ } }, calls: () => n };
}

describe('estimate: timing a call', () => {
  it('a call over SLOW_CALL_BUDGETS budgets runs twice; its time is that call\'s', () => {
    const b = burner(30);
    const t = timeIt(b.fn, 30 / SLOW_CALL_BUDGETS / 2);
    expect(b.calls()).toBe(2);
    expect(t).toBeGreaterThanOrEqual(0.03);
    expect(t).toBeLessThan(0.03 * 1.5 + 0.005);
  });

  it('a cheap call runs the warm-up and at least MIN_TIMED_BATCHES batches', () => {
    const b = burner(0.2);
    const t = timeIt(b.fn, 4);
    expect(b.calls()).toBeGreaterThanOrEqual(2 + MIN_TIMED_BATCHES);
    expect(t).toBeGreaterThanOrEqual(0.0002);
  });

  it('just under the threshold still runs in batches', () => {
    const b = burner(5);
    timeIt(b.fn, 5 / SLOW_CALL_BUDGETS * 1.5);
    expect(b.calls()).toBeGreaterThan(2);
  });
});
