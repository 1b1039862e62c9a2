import { describe, expect, it } from 'vitest';
import { cosineAnneal, makeSchedule, type ScheduleSpec } from '../../src/train/schedules.js';

const TOL = { exact: 1e-15 };

describe('schedules', () => {
  it('constant is constant', () => {
    const s = makeSchedule({ type: 'constant', lr: 0.05 });
    expect([s.lr(0, 0, 10), s.lr(7, 3, 10)]).toEqual([0.05, 0.05]);
    expect(s.isCycleEnd(0)).toBe(false);
  });

  it.each([
    // [epoch, step, stepsPerEpoch, expected] for lr 1 → lrMin 0.1 over 10 epochs
    [0, 0, 1, 1],
    [5, 0, 1, 0.1 + 0.9 * 0.5],
    [2, 2, 4, 0.1 + 0.45 * (1 + Math.cos(Math.PI * 0.25))],
    [10, 0, 1, 0.1],
    [12, 0, 1, 0.1],
  ])('cosine at epoch %d step %d/%d = %f', (e, s, n, expected) => {
    const sch = makeSchedule({ type: 'cosine', lr: 1, lrMin: 0.1, epochs: 10 });
    expect(Math.abs(sch.lr(e, s, n) - expected)).toBeLessThan(TOL.exact);
  });

  it('cosine warm-up is linear in steps, then anneals over the remaining epochs', () => {
    const sch = makeSchedule({ type: 'cosine', lr: 2, epochs: 6, warmupEpochs: 2 });
    expect(sch.lr(0, 0, 4)).toBeCloseTo(2 * 1 / 8, 15);
    expect(sch.lr(1, 3, 4)).toBeCloseTo(2 * 8 / 8, 15);
    expect(sch.lr(2, 0, 4)).toBeCloseTo(2, 15);
    expect(sch.lr(4, 0, 4)).toBeCloseTo(1, 15); // halfway through 4 annealing epochs
    expect(sch.isCycleEnd(5)).toBe(true);
    expect(sch.isCycleEnd(4)).toBe(false);
  });

  it('cyclic restarts every cycleEpochs with a cosine inside each cycle', () => {
    const sch = makeSchedule({ type: 'cyclic', lr: 0.4, lrMin: 0, cycleEpochs: 4 });
    const lrs = Array.from({ length: 12 }, (_, e) => sch.lr(e, 0, 1));
    const cycle = [0, 1, 2, 3].map((k) => 0.2 * (1 + Math.cos((Math.PI * k) / 4)));
    lrs.forEach((v, e) => expect(Math.abs(v - cycle[e % 4]!)).toBeLessThan(TOL.exact));
    expect(lrs[0]).toBe(0.4);
    expect(lrs[4]).toBe(0.4);
    expect(sch.lr(6, 0, 1)).toBeCloseTo(0.2, 15);
    expect(sch.lr(3, 5, 10)).toBeCloseTo(0.2 * (1 + Math.cos(Math.PI * 3.5 / 4)), 15);
  });

  it('cyclic cycleIndex and isCycleEnd', () => {
    const sch = makeSchedule({ type: 'cyclic', lr: 1, cycleEpochs: 3 });
    expect(Array.from({ length: 9 }, (_, e) => sch.cycleIndex(e))).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(Array.from({ length: 9 }, (_, e) => sch.isCycleEnd(e))).toEqual([false, false, true, false, false, true, false, false, true]);
  });

  it('cosineAnneal clamps its progress', () => {
    expect(cosineAnneal(1, 0, -1)).toBe(1);
    expect(cosineAnneal(1, 0, 2)).toBe(0);
  });

  it.each<[ScheduleSpec, RegExp]>([
    [{ type: 'constant', lr: 0 }, /lr must be a finite number > 0, got 0/],
    [{ type: 'cyclic', lr: 1, cycleEpochs: 0 }, /cycleEpochs must be an integer ≥ 1, got 0/],
    [{ type: 'cosine', lr: 1, epochs: 2, warmupEpochs: 2 }, /epochs must be > warmupEpochs = 2, got 2/],
    [{ type: 'cosine', lr: 1, lrMin: 2, epochs: 3 }, /lrMin must be in \[0, lr = 1\], got 2/],
    [{ type: 'constant', lr: 1, epochs: 3 } as unknown as ScheduleSpec, /unknown constant schedule option 'epochs'/],
  ])('rejects %j', (spec, re) => {
    expect(() => makeSchedule(spec)).toThrow(re);
  });
});
