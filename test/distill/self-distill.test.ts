import { describe, expect, it } from 'vitest';
import { bornAgainPhase, bornAgainPlan, isSnapshotEpoch, psKdSchedule, snapshotTeacherEpoch } from '../../src/distill/self-distill.js';
import { makeSchedule } from '../../src/train/schedules.js';

describe('snapshot distillation (Yang et al. 2019)', () => {
  it.each<[number, (number | null)[]]>([
    [1, [null, 0, 1, 2, 3, 4]],
    [2, [null, null, 1, 1, 3, 3, 5, 5]],
    [3, [null, null, null, 2, 2, 2, 5, 5, 5, 8]],
    [4, [null, null, null, null, 3, 3, 3, 3, 7]],
  ])('cycleEpochs = %d: teacher epoch per epoch', (K, expected) => {
    expect(expected.map((_, e) => snapshotTeacherEpoch(e, K))).toEqual(expected);
  });

  it('the teacher is always the last snapshot epoch before the current cycle, and agrees with the cyclic schedule', () => {
    const K = 3, sch = makeSchedule({ type: 'cyclic', lr: 1, cycleEpochs: K });
    for (let e = 0; e < 20; e++) {
      expect(isSnapshotEpoch(e, K)).toBe(sch.isCycleEnd(e));
      const t = snapshotTeacherEpoch(e, K);
      if (t === null) { expect(sch.cycleIndex(e)).toBe(0); continue; }
      expect(sch.isCycleEnd(t)).toBe(true);
      expect(sch.cycleIndex(t)).toBe(sch.cycleIndex(e) - 1);
    }
  });

  it.each<[() => unknown, RegExp]>([
    [() => snapshotTeacherEpoch(-1, 2), /epoch must be an integer ≥ 0, got -1/],
    [() => snapshotTeacherEpoch(1.5, 2), /epoch must be an integer ≥ 0, got 1.5/],
    [() => snapshotTeacherEpoch(3, 0), /snapshot cycleEpochs must be an integer ≥ 1, got 0/],
    [() => isSnapshotEpoch(3, 2.5), /snapshot cycleEpochs must be an integer ≥ 1, got 2.5/],
  ])('rejects bad input %#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe('PS-KD (Kim et al. 2021)', () => {
  it.each<[number, number, number | null, number]>([
    // [epoch, totalEpochs, teacherEpoch, α_t] with α_T = 0.8
    [0, 10, null, 0],
    [1, 10, 0, 0.08],
    [5, 10, 4, 0.4],
    [9, 10, 8, 0.72],
    [0, 1, null, 0],
    [150, 300, 149, 0.4],
  ])('epoch %d of %d: teacher %s, α %d', (e, total, teacher, alpha) => {
    const s = psKdSchedule(e, total);
    expect(s.teacherEpoch).toBe(teacher);
    expect(s.alpha).toBeCloseTo(alpha, 15);
  });

  it('α grows linearly with slope α_T / T_total', () => {
    const a = Array.from({ length: 8 }, (_, e) => psKdSchedule(e, 8, 0.6).alpha);
    a.slice(1).forEach((v, i) => expect(v - a[i]!).toBeCloseTo(0.6 / 8, 15));
  });

  it('rejects an epoch past the end', () => {
    expect(() => psKdSchedule(10, 10)).toThrow(/epoch must be an integer in \[0, 9\], got 10/);
  });
});

describe('born-again networks (Furlanello et al. 2018)', () => {
  it('plans generations back to back, each from scratch, taught by the previous one', () => {
    expect(bornAgainPlan(3, 4)).toEqual([
      { generation: 0, teacherGeneration: null, firstEpoch: 0, endEpoch: 4, fromScratch: true },
      { generation: 1, teacherGeneration: 0, firstEpoch: 4, endEpoch: 8, fromScratch: true },
      { generation: 2, teacherGeneration: 1, firstEpoch: 8, endEpoch: 12, fromScratch: true },
    ]);
    expect(bornAgainPlan(1, 7)).toEqual([{ generation: 0, teacherGeneration: null, firstEpoch: 0, endEpoch: 7, fromScratch: true }]);
  });

  it.each<[number, number, number | null, number]>([
    // [global epoch, generation, teacher, epoch in generation] for bornAgainPlan(3, 4)
    [0, 0, null, 0],
    [3, 0, null, 3],
    [4, 1, 0, 0],
    [9, 2, 1, 1],
    [11, 2, 1, 3],
  ])('epoch %d is generation %d (teacher %s), epoch %d within it', (e, g, t, w) => {
    expect(bornAgainPhase(bornAgainPlan(3, 4), e)).toEqual({ generation: g, teacherGeneration: t, epochInGeneration: w });
  });

  it.each<[() => unknown, RegExp]>([
    [() => bornAgainPlan(0, 4), /born-again generations must be an integer ≥ 1, got 0/],
    [() => bornAgainPlan(2, 0), /born-again epochsPerGeneration must be an integer ≥ 1, got 0/],
    [() => bornAgainPhase(bornAgainPlan(3, 4), 12), /epoch must be in \[0, 12\) for this born-again plan, got 12/],
  ])('rejects bad input %#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
