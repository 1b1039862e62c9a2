/**
 * The Slurm option values of `qdistill submit`, over their classes: every time-limit format
 * (a table with hand-computed seconds, then every format generated from random fields and
 * compared with the closed form d·86400 + h·3600 + m·60 + s), out-of-range fields and other
 * malformed limits; memory amounts and partition names; the limit formatting and the default
 * limit from the plan's estimates. (test/cluster/slurm.test.ts checks the accepted and refused
 * values against sbatch's own parser.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPartition, checkSlurmMemory, defaultTimeSeconds, formatSlurmTime, MIN_DEFAULT_TIME_SECONDS, parseSlurmTime, TIME_SAFETY_FACTOR } from '../../src/cluster/slurm-values.js';

describe('parseSlurmTime', () => {
  it.each<[string, number]>([
    ['90', 90 * 60],
    ['5:30', 5 * 60 + 30],
    ['0:30', 30],
    ['1:00:00', 3600],
    ['25:00:00', 25 * 3600],
    ['00:00:01', 1],
    ['1-12', 36 * 3600],
    ['1-0', 86400],
    ['1-12:30', 36 * 3600 + 30 * 60],
    ['1-12:30:15', 36 * 3600 + 30 * 60 + 15],
    ['100000', 100000 * 60],
  ])('%s is %i s', (raw, seconds) => {
    expect(parseSlurmTime(raw)).toBe(seconds);
  });

  it.each<[string, string]>([
    ['', 'not a Slurm time; allowed: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 1:30:00, 2-00)'],
    ['ab', 'not a Slurm time'],
    ['1h', 'not a Slurm time'],
    ['UNLIMITED', 'not a Slurm time'],
    ['1:2:3:4', 'not a Slurm time'],
    ['1-2-3', 'not a Slurm time'],
    ['1-2:3:4:5', 'not a Slurm time'],
    ['-5', 'not a Slurm time'],
    ['1.5', 'not a Slurm time'],
    [' 90', 'not a Slurm time'],
    ['90 ', 'not a Slurm time'],
    ['1:61:00', 'minutes field 61 is over 59'],
    ['1:00:60', 'seconds field 60 is over 59'],
    ['0:99', 'seconds field 99 is over 59'],
    ['1-24', 'hours field 24 is over 23'],
    ['1-12:60', 'minutes field 60 is over 59'],
    ['1-12:30:75', 'seconds field 75 is over 59'],
    ['0', 'a zero time limit means "no limit" to Slurm'],
    ['0:00:00', 'a zero time limit'],
    ['0-0', 'a zero time limit'],
  ])('%j is refused: %s', (raw, why) => {
    const r = parseSlurmTime(raw);
    expect(typeof r).toBe('string');
    expect(r).toContain(why);
  });

  it('every format, with fields generated in their ranges, gives d·86400 + h·3600 + m·60 + s', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(fc.property(fc.nat(30), fc.nat(23), fc.nat(59), fc.nat(59), fc.nat(2000), fc.boolean(), (d, h, m, s, big, pad) => {
      const f = (n: number) => (pad ? two(n) : String(n));
      const rows: [string, number][] = [
        [`${big}`, big * 60],
        [`${big}:${f(s)}`, big * 60 + s],
        [`${big}:${f(m)}:${f(s)}`, big * 3600 + m * 60 + s],
        [`${d}-${f(h)}`, d * 86400 + h * 3600],
        [`${d}-${f(h)}:${f(m)}`, d * 86400 + h * 3600 + m * 60],
        [`${d}-${f(h)}:${f(m)}:${f(s)}`, d * 86400 + h * 3600 + m * 60 + s],
      ];
      for (const [raw, want] of rows) expect(parseSlurmTime(raw), raw).toBe(want === 0 ? parseSlurmTime('0') : want);
    }), { numRuns: 300, seed: 16 });
  });

  it('a field past its range is refused in every format that bounds it', () => {
    fc.assert(fc.property(fc.integer({ min: 60, max: 999 }), fc.integer({ min: 24, max: 99 }), (over60, over24) => {
      for (const raw of [`1:${over60}`, `1:${over60}:00`, `1:00:${over60}`, `1-${over24}`, `1-0:${over60}`, `1-0:0:${over60}`]) expect(typeof parseSlurmTime(raw), raw).toBe('string');
    }), { numRuns: 100, seed: 17 });
  });
});

describe('formatSlurmTime', () => {
  it.each<[number, string]>([
    [1, '00:01:00'],
    [60, '00:01:00'],
    [61, '00:02:00'],
    [600, '00:10:00'],
    [3600, '01:00:00'],
    [86399, '1-00:00:00'],
    [86400, '1-00:00:00'],
    [90061, '1-01:02:00'],
    [10 * 86400 + 5 * 3600, '10-05:00:00'],
  ])('%i s is %s', (s, t) => {
    expect(formatSlurmTime(s)).toBe(t);
  });

  it('reads back as the seconds rounded up to whole minutes', () => {
    fc.assert(fc.property(fc.double({ min: 0.001, max: 1e7, noNaN: true }), (s) => {
      expect(parseSlurmTime(formatSlurmTime(s))).toBe(Math.ceil(s / 60 - 1e-9) * 60 || 60);
    }), { numRuns: 300, seed: 18 });
  });
});

describe('defaultTimeSeconds', () => {
  it.each<[(number | null)[], number | null]>([
    [[], null],
    [[10, null], null],
    [[null], null],
    [[0], MIN_DEFAULT_TIME_SECONDS],
    [[10], MIN_DEFAULT_TIME_SECONDS],
    [[1000, 50], TIME_SAFETY_FACTOR * 1000],
    [[50, 7200.5], TIME_SAFETY_FACTOR * 7200.5],
  ])('%j → %s', (est, want) => {
    expect(defaultTimeSeconds(est)).toBe(want);
  });
});

describe('checkSlurmMemory', () => {
  it.each(['1', '100', '4G', '500M', '1t', '2048k', '16g', '1T'])('%s is a memory amount', (m) => {
    expect(checkSlurmMemory(m)).toBeNull();
  });
  it.each<[string, string]>([
    ['', 'not a Slurm memory amount; allowed: N[K|M|G|T], an integer with an optional unit (megabytes without one), e.g. 4G or 500M'],
    ['1.5G', 'not a Slurm memory amount'],
    ['4GB', 'not a Slurm memory amount'],
    ['4 G', 'not a Slurm memory amount'],
    [' 4G', 'not a Slurm memory amount'],
    ['-1', 'not a Slurm memory amount'],
    ['G', 'not a Slurm memory amount'],
    ['4P', 'not a Slurm memory amount'],
    ['0', 'must be at least 1'],
    ['00G', 'must be at least 1'],
  ])('%j is refused: %s', (m, why) => {
    expect(checkSlurmMemory(m)).toContain(why);
  });
});

describe('checkPartition', () => {
  it.each(['debug', 'gpu-a100', 'short,long', 'p_1.x'])('%s is a partition', (p) => {
    expect(checkPartition(p)).toBeNull();
  });
  it.each(['', 'a b', 'a,', ',a', "a'b", 'a;rm -rf', 'a\nb', 'a,,b'])('%j is refused', (p) => {
    expect(checkPartition(p)).toBe('not a partition name; allowed: letters, digits, _ . - (a comma-separated list for several partitions)');
  });
});
