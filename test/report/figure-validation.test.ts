/**
 * Bad input to the chart functions, as a class: every failure is one line naming the chart, the
 * field and the value ("forestPlot: series[0].points[1].lo must be ≤ value (0.1), got 0.3"), never
 * a TypeError from deep inside, never a silently broken SVG (NaN in an axis) and never a size that
 * exhausts memory while rendering. A table over the field kinds of every chart, and the cross
 * product of a forest plot's fields with kinds of bad value, one field corrupted at a time.
 */
import { forestOptions } from '../helpers/forest-options.js';
import { describe, expect, it } from 'vitest';
import { MAX_FIGURE_PX, type ForestPlotOptions } from '../../src/report/figure-types.js';
import { barChart, forestPlot, heatmap, lineChart, scatterChart } from '../../src/report/plot.js';

const forest = (): ForestPlotOptions => forestOptions(['KD', 'pseudo']);

/** A valid record of each chart kind, and its chart function (bad records are passed as `unknown`). */
const charts: Record<string, { call: (o: unknown) => Promise<string>; valid: () => Record<string, unknown> }> = {
  lineChart: { call: (o) => lineChart(o as never), valid: () => ({ title: 'T', x: { label: 'x' }, y: { label: 'y' }, legendTitle: 'l', series: [{ name: 'a', points: [{ x: 1, y: 1 }] }] }) },
  scatterChart: { call: (o) => scatterChart(o as never), valid: () => ({ title: 'T', x: { label: 'x' }, y: { label: 'y' }, legendTitle: 'l', series: [{ name: 'a', points: [{ x: 1, y: 1 }] }] }) },
  barChart: { call: (o) => barChart(o as never), valid: () => ({ title: 'T', y: { label: 'y' }, legendTitle: 'g', categories: ['a', 'b'], groups: [{ name: 'g', values: [1, 2] }] }) },
  heatmap: { call: (o) => heatmap(o as never), valid: () => ({ title: 'T', x: { label: 'x', values: [1, 2] }, y: { label: 'y', values: [1] }, cells: [[1, 2]], colorLabel: 'c' }) },
  forestPlot: { call: (o) => forestPlot(o as never), valid: () => forest() as unknown as Record<string, unknown> },
};

/** Throws the one-line Error of `chart` matching `message` (not a TypeError, no stack-like second line). */
async function expectFieldError(call: () => Promise<string>, chart: string, message: RegExp): Promise<void> {
  const e = await call().then(() => null, (x: unknown) => x);
  expect(e, `${chart} rendered where it should throw ${message}`).toBeInstanceOf(Error);
  const err = e as Error;
  expect(err.constructor).toBe(Error);
  expect(err.message.startsWith(`${chart}: `)).toBe(true);
  expect(err.message).not.toContain('\n');
  expect(err.message).toMatch(message);
}

describe('every chart: the options object and its size', () => {
  const cases = Object.keys(charts).flatMap((chart): [string, string, unknown, RegExp][] => [
    [chart, 'options null', null, /options must be an object, got null/],
    [chart, 'options an array', [], /options must be an object, got an array of length 0/],
    [chart, 'options a string', 'x', /options must be an object, got "x"/],
    [chart, 'width 1e9 (exhausts memory)', { ...charts[chart]!.valid(), width: 1e9 }, new RegExp(`width must be an integer in \\[10, ${MAX_FIGURE_PX}\\] \\(px\\), got 1000000000`)],
    [chart, `height ${MAX_FIGURE_PX + 1}`, { ...charts[chart]!.valid(), height: MAX_FIGURE_PX + 1 }, new RegExp(`height must be an integer in \\[10, ${MAX_FIGURE_PX}\\] \\(px\\), got ${MAX_FIGURE_PX + 1}`)],
    [chart, 'width NaN', { ...charts[chart]!.valid(), width: NaN }, /width must be an integer in \[10, \d+\] \(px\), got NaN/],
    [chart, 'width 0', { ...charts[chart]!.valid(), width: 0 }, /width must be an integer in \[10, \d+\] \(px\), got 0/],
    [chart, 'width 12.5', { ...charts[chart]!.valid(), width: 12.5 }, /width must be an integer in \[10, \d+\] \(px\), got 12.5/],
    [chart, 'height a string', { ...charts[chart]!.valid(), height: '400' }, /height must be an integer in \[10, \d+\] \(px\), got "400"/],
  ]);
  it.each(cases)('%s: %s', async (chart, _name, options, message) => {
    await expectFieldError(() => charts[chart]!.call(options), chart, message);
  });

  it(`the largest size, ${MAX_FIGURE_PX} px, is accepted`, async () => {
    expect(await lineChart({ ...charts.lineChart!.valid(), width: MAX_FIGURE_PX, height: 10 } as never)).toMatch(/^<svg/);
  });
});

describe('field by field: each bad value names the field, the value and what is allowed', () => {
  const f = forest;
  const cases: [string, string, () => unknown, RegExp][] = [
    ['forestPlot', 'lo NaN', () => ({ ...f(), series: [{ name: 'a', points: [{ value: 0, lo: NaN, hi: 1 }, null, null] }] }), /series\[0\]\.points\[0\]\.lo must be a finite number, got NaN/],
    ['forestPlot', 'hi Infinity', () => ({ ...f(), series: [{ name: 'a', points: [{ value: 0, lo: -1, hi: Infinity }, null, null] }] }), /series\[0\]\.points\[0\]\.hi must be a finite number, got Infinity/],
    ['forestPlot', 'lo -Infinity', () => ({ ...f(), series: [{ name: 'a', points: [null, { value: 0, lo: -Infinity, hi: 1 }, null] }] }), /series\[0\]\.points\[1\]\.lo must be a finite number, got -Infinity/],
    ['forestPlot', 'lo > hi', () => ({ ...f(), series: [{ name: 'a', points: [{ value: 0.1, lo: 0.3, hi: 0.2 }, null, null] }] }), /series\[0\]\.points\[0\]\.lo must be ≤ value \(0\.1\), got 0\.3/],
    ['forestPlot', 'value above hi', () => ({ ...f(), series: [{ name: 'a', points: [{ value: 0.5, lo: 0, hi: 0.2 }, null, null] }] }), /series\[0\]\.points\[0\]\.hi must be ≥ value \(0\.5\), got 0\.2/],
    ['forestPlot', 'lo without hi', () => ({ ...f(), series: [{ name: 'a', points: [{ value: 0, lo: -1 }, null, null] }] }), /series\[0\]\.points\[0\]\.hi must be given together with lo, got undefined/],
    ['forestPlot', 'empty rows', () => ({ ...f(), rows: [] }), /rows must have at least 1 element, got an array of length 0/],
    ['forestPlot', 'rows not an array', () => ({ ...f(), rows: 's16-pool' }), /rows must be an array, got "s16-pool"/],
    ['forestPlot', 'a row that is a number', () => ({ ...f(), rows: ['a', 2, 'c'] }), /rows\[1\] must be a non-empty string, got 2/],
    ['forestPlot', 'a row that is null', () => ({ ...f(), rows: ['a', 'b', null] }), /rows\[2\] must be a non-empty string, got null/],
    ['forestPlot', 'series names duplicated', () => ({ ...f(), series: [f().series[0], { ...f().series[1], name: 'KD' }] }), /series\.name\[1\] must be unique, got "KD"/],
    ['forestPlot', 'a series that is null', () => ({ ...f(), series: [f().series[0], null] }), /series\[1\] must be an object \{ name, points \}, got null/],
    ['forestPlot', 'a point that is an array', () => ({ ...f(), series: [{ name: 'a', points: [[0.1], null, null] }] }), /series\[0\]\.points\[0\] must be an object \{ value, lo\?, hi\? \} or null, got an array of length 1/],
    ['forestPlot', 'every point null', () => ({ ...f(), uncertainty: undefined, series: [{ name: 'a', points: [null, null, null] }] }), /series\[\*\]\.points must hold at least one estimate \(not null\): there is nothing to draw, got "null in every row"/],
    ['forestPlot', 'log axis, negative value', () => ({ ...f(), x: { label: 'ratio', scale: 'log' }, xReferences: [{ x: 1, label: 'no change' }], uncertainty: undefined, series: [{ name: 'a', points: [{ value: 2 }, { value: -0.5 }, null] }] }), /series\[0\]\.points\[1\]\.value must be > 0 on the log x axis, got -0\.5/],
    ['forestPlot', 'log axis, reference at 0', () => ({ ...f(), x: { label: 'ratio', scale: 'log' }, uncertainty: undefined, series: [{ name: 'a', points: [{ value: 2 }, null, null] }] }), /xReferences\[0\]\.x must be > 0 on the log x axis, got 0/],
    ['forestPlot', 'intervals without uncertainty', () => ({ ...f(), uncertainty: undefined }), /uncertainty must say what the intervals show \(\{ kind: 'std' \| 'sem' \| 'ci95' \| 'range', n \}\), got undefined/],
    ['forestPlot', 'uncertainty n = 0', () => ({ ...f(), uncertainty: { kind: 'ci95', n: 0 } }), /uncertainty\.n must be an integer ≥ 1, got 0/],
    ['forestPlot', 'uncertainty n reversed', () => ({ ...f(), uncertainty: { kind: 'ci95', n: [5, 3] } }), /uncertainty\.n\[0\] must be ≤ n\[1\] \(3\), got 5/],
    ['barChart', 'every value null', () => ({ ...charts.barChart!.valid(), groups: [{ name: 'g', values: [null, null] }] }), /groups\[\*\]\.values must hold at least one value \(not null\): there is nothing to draw/],
    ['scatterChart', 'fit null', () => ({ ...charts.scatterChart!.valid(), series: [{ name: 'a', points: [{ x: 1, y: 1 }], fit: null }] }), /series\[0\]\.fit must be an object \{ slope, intercept \}, got null/],
    ['heatmap', 'colorDomain NaN', () => ({ ...charts.heatmap!.valid(), colorDomain: [NaN, 1] }), /colorDomain\[0\] must be a finite number, got NaN/],
    ['heatmap', 'colorDomain reversed', () => ({ ...charts.heatmap!.valid(), colorDomain: [1, 0] }), /colorDomain\[0\] must be < colorDomain\[1\] \(0\), got 1/],
    ['heatmap', 'colorDomain of three', () => ({ ...charts.heatmap!.valid(), colorDomain: [0, 1, 2] }), /colorDomain must be a pair \[min, max\], got an array of length 3/],
    ['heatmap', 'colorDomain at 0 on a log scale', () => ({ ...charts.heatmap!.valid(), colorScale: 'log', colorDomain: [0, 2] }), /colorDomain\[0\] must be > 0 on the log colour axis, got 0/],
  ];
  it.each(cases)('%s: %s', async (chart, _name, options, message) => {
    await expectFieldError(() => charts[chart]!.call(options()), chart, message);
  });
});

/** Sets `path` (e.g. "series[0].points[1].lo") of `o` to `v`, deleting the key for undefined. */
function setPath(o: Record<string, unknown>, path: string, v: unknown): void {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let at = o as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (v === undefined && !Array.isArray(at)) delete at[last];
  else at[last] = v;
}

describe('forestPlot: every field of a valid record corrupted with every kind of bad value', () => {
  const paths = ['title', 'subtitle', 'width', 'height', 'x', 'x.label', 'x.unit', 'x.scale', 'legendTitle', 'yLabel', 'rows', 'rows[0]', 'rows[2]', 'series', 'series[0]', 'series[1].name',
    'series[0].points', 'series[0].points[0]', 'series[0].points[0].value', 'series[0].points[0].lo', 'series[0].points[0].hi', 'series[1].points[2].value', 'series[1].points[0]',
    'uncertainty', 'uncertainty.kind', 'uncertainty.n', 'uncertainty.of', 'xReferences', 'xReferences[0]', 'xReferences[0].x', 'xReferences[0].label'];
  const values = [NaN, Infinity, -Infinity, null, undefined, '', ' ', 'KD', 'log', -1, 0, 0.03, 12.5, 1e9, [], [1, 2], [null], {}, true];
  // the whole cross product (a few hundred records; most throw before rendering)
  it.each(paths)('%s: throws a one-line Error naming that field (or its parent) with the value, or renders an SVG without NaN', async (path) => {
    let rendered = 0;
    for (const value of values) {
      const o = forest() as unknown as Record<string, unknown>;
      setPath(o, path, value);
      const what = `${path} = ${JSON.stringify(value) ?? 'undefined'}`;
      const e = await forestPlot(o as never).then((svg) => {
        expect(svg, what).toMatch(/^<svg/);
        expect(svg, what).not.toMatch(/NaN|Infinity|undefined/);
        rendered++;
        return null;
      }, (x: unknown) => x as Error);
      if (e === null) continue;
      expect(e.constructor, `${what}: ${e.message}`).toBe(Error);
      expect(e.message, what).toMatch(/^forestPlot: \S.* got /);
      expect(e.message, what).not.toContain('\n');
      // the field named is the one corrupted or a parent of it (its list for a duplicate name),
      // except that a log x scale makes the values at or below 0 the bad ones
      const top = path === 'x.scale' && value === 'log' ? 'series' : path.replace(/[[.].*$/, '');
      expect(e.message.slice('forestPlot: '.length).startsWith(top), `${what}: ${e.message}`).toBe(true);
    }
    expect(rendered).toBeLessThan(values.length);
  });
});
