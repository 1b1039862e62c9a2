/**
 * What a difference figure says about the rows it draws without an interval (one seed, or Δ the
 * same on every seed), the n of the intervals it does draw when rows differ in n, and its legend:
 * hand-made tables whose every row's n and CI are known.
 */
import { describe, expect, it } from 'vitest';
import { differenceFigures, noIntervalNote } from '../../src/experiment/difference-figures.js';
import type { ComparisonTable, DifferenceFigure } from '../../src/experiment/report-stats.js';

type Point = DifferenceFigure['points'][number];
const table = (points: Point[]): ComparisonTable => ({
  heading: 'KD against label-only training (test accuracy, KD − label, paired by seed)',
  headers: [], rows: [], statistics: [], note: '',
  figure: { name: 'differences-kd', title: 'distillation − label-only, per student', x: 'student', y: 'Δ test accuracy (method − label-only)', points },
});
const pt = (category: string, series: string, n: number, mean: number, ci95: [number, number] | null): Point => ({ category, series, n, mean, ci95 });

describe('noIntervalNote: why rows have no interval', () => {
  it.each([
    ['every row has one', [pt('a', 'KD', 3, 0, [-1, 1])], undefined],
    ['one row of two has one seed', [pt('a', 'KD', 1, 0, null), pt('b', 'KD', 3, 0, [-1, 1])], 'points without an interval: one seed, n = 1 (1 table row)'],
    ['a constant Δ', [pt('a', 'KD', 4, 0.1, null), pt('b', 'KD', 3, 0, [-1, 1]), pt('c', 'KD', 3, 0, [-1, 1])], 'points without an interval: Δ the same on every seed, no spread (1 table row)'],
    ['both reasons', [pt('a', 'KD', 1, 0, null), pt('b', 'KD', 2, 0, null), pt('c', 'KD', 2, 0, null), pt('d', 'KD', 3, 0, [-1, 1])], 'points without an interval: one seed, n = 1 (1 table row); Δ the same on every seed, no spread (2 table rows)'],
    ['every row one seed: the words of the other figures', [pt('a', 'KD', 1, 0, null), pt('b', 'KD', 1, 0, null)], 'one seed (n = 1): no error bars'],
    ['the only row one seed', [pt('a', 'KD', 1, 0, null)], 'one seed (n = 1): no error bars'],
    ['no row with an interval, for both reasons', [pt('a', 'KD', 1, 0, null), pt('b', 'KD', 3, 0, null)], 'no intervals: one seed, n = 1 (1 table row); Δ the same on every seed, no spread (1 table row)'],
    ['every row with a constant Δ', [pt('a', 'KD', 3, 0, null), pt('b', 'KD', 2, 0, null)], 'no intervals: Δ the same on every seed, no spread (every table row)'],
  ] as [string, Point[], string | undefined][])('%s', (_name, points, note) => {
    expect(noIntervalNote(points)).toBe(note);
  });
});

describe('differenceFigures: subtitle, caption and legend follow the rows', () => {
  it('rows of different n: the caption names the range of n over the intervals drawn, the subtitle the rows without one', async () => {
    const [f] = await differenceFigures([table([
      pt('A', 'KD', 5, 0.1, [0.02, 0.18]), pt('B', 'KD', 3, -0.05, [-0.2, 0.1]), pt('C', 'KD', 1, 0.3, null), pt('D', 'KD', 4, 0.04, null),
    ])], 'study');
    for (const text of ['intervals: 95% confidence interval over n = 3–5 seeds', 'points without an interval: one seed, n = 1 (1 table row); Δ the same on every seed, no spread (1 table row)', '>method<', '>KD<']) expect(f!.svg).toContain(text);
    // rules for the two rows with a CI only
    expect(f!.svg.match(/aria-roledescription="rule mark" /g)).toHaveLength(2);
    expect(f!.caption).toContain('with its 95% confidence interval (line; Student t over the seeds); points without an interval: one seed, n = 1 (1 table row); Δ the same on every seed, no spread (1 table row); the table gives the tests');
  });

  it('no row with an interval: no interval caption, the subtitle says why, the caption promises no line', async () => {
    const [f] = await differenceFigures([table([pt('A', 'pseudo', 1, -0.09, null), pt('B', 'pseudo', 1, 0.02, null)])], 'study');
    expect(f!.svg).toContain('one seed (n = 1): no error bars');
    expect(f!.svg).not.toContain('95% confidence interval');
    expect(f!.svg).not.toContain('aria-roledescription="rule mark" ');
    expect(f!.caption).not.toContain('confidence interval (line');
    expect(f!.caption).toContain('the mean paired difference per row (point); one seed (n = 1): no error bars;');
    // one series that is a method: the legend still says what it is
    expect(f!.svg).toContain('>method<');
  });

  it('a table whose rows name no series: legend "difference"', async () => {
    const [f] = await differenceFigures([table([pt('A', 'Δ', 3, 0.1, [0, 0.2])])], 'study');
    expect(f!.svg).toContain('>difference<');
  });
});
