import { describe, expect, it } from 'vitest';
import { formatFixed, formatMeanStd, formatSigned, markdownTable, meanStd } from '../../src/report/table.js';

describe('markdownTable', () => {
  it('pads columns and writes alignment markers, exactly', () => {
    const t = markdownTable(['χ', 'acc', 'note'], [[2, '0.91', 'a|b'], [16, '0.97', 'x']], { align: ['right', 'left', 'center'] });
    expect(t).toBe(
      [
        '|   χ | acc  | note |', //
        '| --: | :--- | :--: |',
        '|   2 | 0.91 | a\\|b |',
        '|  16 | 0.97 |  x   |',
      ].join('\n'),
    );
  });

  it('without align uses plain dashes, at least three', () => {
    expect(markdownTable(['a', 'b'], [[1, 2]])).toBe('| a   | b   |\n| --- | --- |\n| 1   | 2   |');
  });

  it('throws naming the row whose length is wrong', () => {
    expect(() => markdownTable(['a', 'b'], [[1, 2], [3]])).toThrow('markdownTable: rows[1] must have headers.length (2) cells, got 1');
    expect(() => markdownTable(['a'], [[1]], { align: ['left', 'right'] })).toThrow('align.length must equal headers.length (1), got 2');
    expect(() => markdownTable([], [])).toThrow('headers must be a non-empty array');
  });
});

describe('meanStd', () => {
  it.each([
    [[1, 2, 3, 4], 2.5, Math.sqrt(5 / 3)],
    [[2, 4, 4, 4, 5, 5, 7, 9], 5, Math.sqrt(32 / 7)],
    [[7], 7, 0],
    [[-1, 1], 0, Math.SQRT2],
  ])('%j → mean %d, sample std %d', (values, mean, std) => {
    expect(meanStd(values)).toEqual({ mean, std, n: values.length });
  });

  it('throws on empty input and non-finite values, naming the index', () => {
    expect(() => meanStd([])).toThrow('meanStd: values must be a non-empty array');
    expect(() => meanStd([1, NaN])).toThrow('meanStd: values[1] must be a finite number, got NaN');
  });
});

describe('formatMeanStd', () => {
  it.each([
    [[0.9, 0.92, 0.91, 0.93, 0.9], 3, '0.912 ± 0.013 (n=5)'],
    [[1, 2, 3, 4], 2, '2.50 ± 1.29 (n=4)'],
    [[-0.0001, 0.0001], 2, '0.00 ± 0.00 (n=2)'],
    [[5], 0, '5 ± 0 (n=1)'],
  ])('%j with %d digits → %s', (values, digits, expected) => {
    expect(formatMeanStd(values, digits)).toBe(expected);
  });

  it('rejects a bad digit count', () => {
    expect(() => formatMeanStd([1], 1.5)).toThrow('digits must be an integer in [0, 20], got 1.5');
  });
});

describe('formatSigned and formatFixed: no negative zero', () => {
  it.each([
    [0.0791, 3, '+0.079'],
    [-0.02, 3, '−0.020'],
    [-0.0004, 3, '+0.000'],
    [-0.0005000001, 3, '−0.001'],
    [-0, 3, '+0.000'],
    [0, 3, '+0.000'],
    [-1e-17, 3, '+0.000'],
    [0.0004, 3, '+0.000'],
    [-0.04, 1, '+0.0'],
    [-2.5, 0, '−3'],
  ])('formatSigned(%d, %d) → %s', (x, d, expected) => {
    expect(formatSigned(x, d)).toBe(expected);
  });

  it.each([
    [-0.0004, 3, '0.000'],
    [-0, 2, '0.00'],
    [-0.0006, 3, '-0.001'],
    [0.1234, 2, '0.12'],
    [-0.4, 0, '0'],
  ])('formatFixed(%d, %d) → %s', (x, d, expected) => {
    expect(formatFixed(x, d)).toBe(expected);
  });

  it('rejects a bad digit count', () => {
    expect(() => formatSigned(1, -1)).toThrow('formatSigned: digits must be an integer in [0, 20], got -1');
    expect(() => formatFixed(1, 21)).toThrow('formatFixed: digits must be an integer in [0, 20], got 21');
  });
});
