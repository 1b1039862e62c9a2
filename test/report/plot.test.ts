// Rendering tests of the chart functions (referee.test.ts reads back what a referee checks).
import { forestOptions } from '../helpers/forest-options.js';
import { describe, expect, it } from 'vitest';
import { coincidenceCaption, coincidentSeries, SERIES_COLORS, SERIES_DASHES, SERIES_SHAPES, type BarChartOptions, type ForestPlotOptions, type HeatmapOptions, type LineChartOptions, type ScatterChartOptions } from '../../src/report/figure-types.js';
import { validateLineChart } from '../../src/report/validate.js';
import { barChart, forestPlot, heatmap, lineChart, scatterChart } from '../../src/report/plot.js';
import { renderVegaLite } from '../../src/report/render.js';
import { barChartSpec, fitEndpoints, FOREST_ROW_HEIGHT, forestPlotSpec, formatGridValue, heatmapSpec, lineChartSpec, logBarBaseline, scatterChartSpec } from '../../src/report/specs.js';

const pts = (f: (x: number) => number, xs: number[]) => xs.map((x) => ({ x, y: f(x) }));

const line = (scale: 'linear' | 'log'): LineChartOptions => ({
  title: `Loss ${scale}`,
  subtitle: 'mean ± std over 3 seeds',
  x: { label: 'epoch', scale },
  y: { label: 'loss', unit: 'nats', scale },
  legendTitle: 'model',
  uncertainty: { kind: 'std', n: 3 },
  series: [
    { name: 'teacher-chi16', points: [1, 2, 4, 8].map((x) => ({ x, y: 1 / x, lo: 0.8 / x, hi: 1.2 / x })) },
    { name: 'student-chi2', points: pts((x) => 2 / x, [1, 2, 4, 8]) },
  ],
});
const scatter = (scale: 'linear' | 'log'): ScatterChartOptions => ({
  title: `Gap ${scale}`,
  x: { label: 'bond dimension', scale },
  y: { label: 'gap', scale },
  legendTitle: 'task',
  series: [
    { name: 'mnist-gap', points: pts((x) => 0.3 * x ** -1.1, [2, 4, 8, 16]), fit: { slope: -1.1, intercept: Math.log10(0.3) } },
    { name: 'blobs-gap', points: pts((x) => 0.1 * x ** -0.5, [2, 4, 8]) },
  ],
});
const bar = (scale: 'linear' | 'log'): BarChartOptions => ({
  title: `Accuracy ${scale}`,
  y: { label: 'accuracy', unit: '%', scale },
  xLabel: 'task',
  categories: ['blobs', 'mnist'],
  legendTitle: 'model',
  uncertainty: { kind: 'std', n: 5 },
  groups: [
    { name: 'teacher-bars', values: [95, 99], errors: [1, 0.5] },
    { name: 'student-bars', values: [93, 98] },
  ],
});
const heat = (colorScale: 'linear' | 'log'): HeatmapOptions => ({
  title: `Phase ${colorScale}`,
  x: { label: 'field h', unit: 'J', values: [0.1, 0.2, 0.30000000000000004] },
  y: { label: 'coupling g', values: [0, 1] },
  cells: [
    [0.1, 0.5, 0.9],
    [0.2, 0.6, 1],
  ],
  colorLabel: 'P-ordered',
  colorScale,
});

const forest = (): ForestPlotOptions => forestOptions(['KD-forest', 'pseudo-forest']);

const isSvg = (s: string) => /^(<\?xml|<svg)/.test(s);

describe('charts render to SVG with title, legend entries and axis titles', () => {
  it.each(['linear', 'log'] as const)('lineChart, %s axes, with bands', async (scale) => {
    const svg = await lineChart(line(scale));
    expect(isSvg(svg)).toBe(true);
    for (const t of [`Loss ${scale}`, 'mean ± std over 3 seeds', 'teacher-chi16', 'student-chi2', 'epoch', 'loss (nats)']) expect(svg).toContain(t);
  });

  it.each(['linear', 'log'] as const)('scatterChart, %s axes, with a fitted line', async (scale) => {
    const svg = await scatterChart(scatter(scale));
    expect(isSvg(svg)).toBe(true);
    for (const t of [`Gap ${scale}`, 'mnist-gap', 'blobs-gap', 'bond dimension', '>fit<']) expect(svg).toContain(t);
  });

  it.each(['linear', 'log'] as const)('barChart, %s axis, with error bars', async (scale) => {
    const svg = await barChart(bar(scale));
    expect(isSvg(svg)).toBe(true);
    for (const t of [`Accuracy ${scale}`, 'teacher-bars', 'student-bars', 'blobs', 'mnist', 'accuracy (%)', 'task']) expect(svg).toContain(t);
  });

  it('forestPlot, with intervals and a reference line', async () => {
    const svg = await forestPlot(forest());
    expect(isSvg(svg)).toBe(true);
    for (const t of ['KD minus label-only', 'KD-forest', 'pseudo-forest', 's16-pool', 's8-pca', 's4-pca', 'Δ test accuracy', 'student', 'no difference', 'intervals: 95% confidence interval over n = 10 seeds']) expect(svg).toContain(t);
  });

  it.each(['linear', 'log'] as const)('heatmap, %s colour scale', async (colorScale) => {
    const svg = await heatmap(heat(colorScale));
    expect(isSvg(svg)).toBe(true);
    for (const t of [`Phase ${colorScale}`, 'field h (J)', 'coupling g', 'P-ordered', '>0.3<']) expect(svg).toContain(t);
    expect(svg).not.toContain('0.30000000000000004');
  });

  it('every spec compiles and renders without a vega-lite or vega warning', async () => {
    const specs = [...(['linear', 'log'] as const).flatMap((s) => [lineChartSpec(line(s)), lineChartSpec({ ...line(s), distinctStrokes: true }), scatterChartSpec(scatter(s)), barChartSpec(bar(s)), heatmapSpec(heat(s))]), forestPlotSpec(forest())];
    for (const spec of specs) expect((await renderVegaLite(spec)).warnings).toEqual([]);
  });

  it('rendering is deterministic', async () => {
    expect(await lineChart(line('log'))).toBe(await lineChart(line('log')));
  });
});

describe('distinct strokes: curves on top of each other stay distinguishable', () => {
  const same = pts((x) => x / 10, [0, 2, 4]);
  const opts = (): LineChartOptions => ({
    title: 'steps', x: { label: 'step' }, y: { label: 'fraction' }, legendTitle: 'method', distinctStrokes: true, uncertainty: { kind: 'ci95', n: 3, of: 'runs' },
    series: [
      { name: 'a', points: pts((x) => x / 20, [0, 2, 4]) }, { name: 'b', points: same }, { name: 'c', points: same.map((p) => ({ ...p, lo: p.y - 0.1, hi: p.y + 0.1 })) }, { name: 'd', points: same },
    ],
  });

  it('groups coincident series in series order and names them in one caption line', () => {
    expect(coincidentSeries(opts().series)).toEqual([['b', 'd']]); // c has a band: not the same curve
    expect(coincidenceCaption(opts().series)).toBe('curves on top of each other: b = d');
    expect(coincidenceCaption(opts().series.slice(0, 2))).toBeUndefined();
  });

  it('one legend with a colour, a dash pattern and an open marker per series; the bands keep their series colour without a legend of their own', async () => {
    const spec = lineChartSpec(opts()) as unknown as { layer: { mark: { type: string; filled?: boolean }; encoding: Record<string, { scale?: { range?: unknown[] } | null; field?: string }> }[]; title: { subtitle: string[] } };
    const [band, line, points] = spec.layer;
    expect(line!.encoding['strokeDash']!.scale!.range).toEqual(SERIES_DASHES.slice(0, 4));
    expect(points!.encoding['shape']!.scale!.range).toEqual(SERIES_SHAPES.slice(0, 4));
    expect(points!.mark.filled).toBe(false);
    expect(line!.encoding['color']!.scale!.range).toEqual(SERIES_COLORS.slice(0, 4));
    expect(band!.encoding['fill']).toEqual({ field: 'band', type: 'nominal', scale: null });
    expect(spec.title.subtitle).toEqual(['bands: 95% confidence interval over n = 3 runs', 'curves on top of each other: b = d']);
    const svg = await lineChart(opts());
    expect(svg.match(/role-legend-title/g)).toHaveLength(1);
    for (const name of ['>a<', '>b<', '>c<', '>d<']) expect(svg).toContain(name);
    // the band of c is filled with c's colour
    expect(svg).toMatch(new RegExp(`class="mark-area role-mark[\\s\\S]*?fill="${SERIES_COLORS[2]}"`));
  });

  it('past the end of the lists the patterns start over; any number of series is accepted', () => {
    const many = { ...opts(), series: Array.from({ length: 11 }, (_, i) => ({ name: `s${i}`, points: pts((x) => x + i, [0, 1]) })) };
    const spec = lineChartSpec(many) as { layer: { encoding: Record<string, { scale?: { range?: unknown[] } }> }[] };
    expect(spec.layer[0]!.encoding['strokeDash']!.scale!.range![8]).toEqual(SERIES_DASHES[0]);
    expect(spec.layer[1]!.encoding['color']!.scale!.range![10]).toEqual(SERIES_COLORS[0]);
    expect(() => validateLineChart(many)).not.toThrow();
    expect(() => validateLineChart({ ...many, distinctStrokes: 'yes' as unknown as boolean })).toThrow('lineChart: distinctStrokes must be true or false, got "yes"');
  });
});

describe('spec details', () => {
  it('a line chart without lo/hi has no band layer; with them it has one', () => {
    const noBand = { ...line('linear'), series: [line('linear').series[1]!] };
    expect((lineChartSpec(noBand) as { layer: unknown[] }).layer).toHaveLength(1);
    expect((lineChartSpec(line('linear')) as { layer: unknown[] }).layer).toHaveLength(2);
  });

  it('a log–log fit is the power law 10^b · x^a', () => {
    const [a, b] = fitEndpoints({ slope: -1.1, intercept: Math.log10(0.3) }, 2, 16, 'log', 'log');
    expect(a.y).toBeCloseTo(0.3 * 2 ** -1.1, 12);
    expect(b.y).toBeCloseTo(0.3 * 16 ** -1.1, 12);
    const [c] = fitEndpoints({ slope: 2, intercept: 1 }, 3, 5, 'linear', 'linear');
    expect(c).toEqual({ x: 3, y: 7 });
  });

  it('log bars start at the power of ten below the smallest bar or whisker end', () => {
    expect(logBarBaseline([0.3, 20])).toBeCloseTo(0.1, 15);
    expect(logBarBaseline([1, 20])).toBe(1);
  });

  it('a forest plot: rows top to bottom in the given order, one interval per point with lo/hi, the height following the rows', () => {
    const spec = forestPlotSpec(forest()) as { height: number; data: { values: { row: string; series: string; value: number; lo?: number; hi?: number }[] }; layer: { mark: { type: string }; encoding?: { y?: { sort?: string[] } } }[] };
    expect(spec.layer[0]!.mark.type).toBe('rule');
    expect(spec.layer[0]!.encoding!.y!.sort).toEqual(['s16-pool', 's8-pca', 's4-pca']);
    expect(spec.data.values).toHaveLength(5); // the null point is left out
    expect(spec.data.values.filter((v) => v.lo !== undefined)).toHaveLength(4);
    expect(spec.data.values.find((v) => v.row === 's16-pool' && v.series === 'KD-forest')).toEqual({ row: 's16-pool', series: 'KD-forest', value: 0.02, lo: -0.01, hi: 0.05 });
    expect(spec.height).toBe(FOREST_ROW_HEIGHT * 3 * 2 + 24);
    const noIntervals = forestPlotSpec({ ...forest(), uncertainty: undefined, series: [{ name: 'a', points: [{ value: 1 }, { value: 2 }, { value: 3 }] }] }) as { layer: { mark: { type: string } }[] };
    expect(noIntervals.layer[0]!.mark.type).toBe('point');
  });

  it('grid labels drop float noise', () => {
    expect(formatGridValue(0.30000000000000004)).toBe('0.3');
    expect(formatGridValue(1e-7)).toBe('1e-7');
  });
});

describe('bad input throws an Error naming the field', () => {
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['empty series', () => lineChart({ ...line('linear'), series: [] }), /lineChart: series must have at least 1 element/],
    ['empty points', () => lineChart({ ...line('linear'), series: [{ name: 'a', points: [] }] }), /series\[0\]\.points must have at least 1/],
    ['NaN y', () => lineChart({ ...line('linear'), series: [{ name: 'a', points: [{ x: 1, y: NaN }] }] }), /series\[0\]\.points\[0\]\.y must be a finite number, got NaN/],
    ['lo without hi', () => lineChart({ ...line('linear'), series: [{ name: 'a', points: [{ x: 1, y: 1, lo: 0 }] }] }), /series\[0\]\.points\[0\]\.hi must be given together with lo/],
    ['lo > hi', () => lineChart({ ...line('linear'), series: [{ name: 'a', points: [{ x: 1, y: 1, lo: 2, hi: 1 }] }] }), /points\[0\]\.lo must be ≤ hi \(1\), got 2/],
    ['zero on a log axis', () => lineChart({ ...line('log'), series: [{ name: 'a', points: [{ x: 0, y: 1 }] }] }), /points\[0\]\.x must be > 0 on the log x axis, got 0/],
    ['duplicate series names', () => lineChart({ ...line('linear'), series: [{ name: 'a', points: [{ x: 1, y: 1 }] }, { name: 'a', points: [{ x: 1, y: 1 }] }] }), /series\.name\[1\] must be unique, got "a"/],
    ['empty title', () => lineChart({ ...line('linear'), title: '' }), /lineChart: title must be a non-empty string/],
    ['bad scale', () => lineChart({ ...line('linear'), x: { label: 'x', scale: 'sqrt' as 'log' } }), /x\.scale must be 'linear' or 'log', got "sqrt"/],
    ['NaN fit', () => scatterChart({ ...scatter('log'), series: [{ name: 'a', points: [{ x: 1, y: 1 }], fit: { slope: NaN, intercept: 0 } }] }), /scatterChart: series\[0\]\.fit\.slope must be a finite number, got NaN/],
    ['empty scatter', () => scatterChart({ ...scatter('linear'), series: [] }), /scatterChart: series must have at least 1/],
    ['bar values length', () => barChart({ ...bar('linear'), groups: [{ name: 'g', values: [1] }] }), /barChart: groups\[0\]\.values\.length must equal categories\.length \(2\), got 1/],
    ['bar errors length', () => barChart({ ...bar('linear'), groups: [{ name: 'g', values: [1, 2], errors: [1] }] }), /groups\[0\]\.errors\.length must equal categories\.length \(2\), got 1/],
    ['NaN bar', () => barChart({ ...bar('linear'), groups: [{ name: 'g', values: [1, NaN] }] }), /groups\[0\]\.values\[1\] must be a finite number, got NaN/],
    ['negative error', () => barChart({ ...bar('linear'), groups: [{ name: 'g', values: [1, 2], errors: [-1, 0] }] }), /groups\[0\]\.errors\[0\] must be ≥ 0, got -1/],
    ['whisker below 0 on log', () => barChart({ ...bar('log'), groups: [{ name: 'g', values: [1, 2], errors: [1, 0] }] }), /groups\[0\]\.errors\[0\] must leave values\[0\] − error > 0 on the log y axis/],
    ['no groups', () => barChart({ ...bar('linear'), groups: [] }), /barChart: groups must have at least 1/],
    ['heatmap rows', () => heatmap({ ...heat('linear'), cells: [[1, 2, 3]] }), /heatmap: cells\.length must equal y\.values\.length \(2\), got 1/],
    ['heatmap row length', () => heatmap({ ...heat('linear'), cells: [[1, 2, 3], [1, 2]] }), /heatmap: cells\[1\]\.length must equal x\.values\.length \(3\), got 2/],
    ['heatmap NaN', () => heatmap({ ...heat('linear'), cells: [[1, 2, 3], [1, NaN, 3]] }), /heatmap: cells\[1\]\[1\] must be a finite number, got NaN/],
    ['heatmap log colour', () => heatmap({ ...heat('log'), cells: [[1, 2, 3], [1, 0, 3]] }), /cells\[1\]\[1\] must be > 0 on the log colour axis, got 0/],
    ['forest points length', () => forestPlot({ ...forest(), series: [{ name: 'a', points: [{ value: 1 }] }] }), /forestPlot: series\[0\]\.points\.length must equal rows\.length \(3\), got 1/],
    ['forest lo above value', () => forestPlot({ ...forest(), series: [{ name: 'a', points: [{ value: 0, lo: 0.1, hi: 0.2 }, null, null] }] }), /forestPlot: series\[0\]\.points\[0\]\.lo must be ≤ value \(0\), got 0\.1/],
    ['forest lo without hi', () => forestPlot({ ...forest(), series: [{ name: 'a', points: [{ value: 0, lo: -1 }, null, null] }] }), /series\[0\]\.points\[0\]\.hi must be given together with lo/],
    ['forest NaN', () => forestPlot({ ...forest(), series: [{ name: 'a', points: [{ value: NaN }, null, null] }] }), /series\[0\]\.points\[0\]\.value must be a finite number, got NaN/],
    ['forest intervals without uncertainty', () => forestPlot({ ...forest(), uncertainty: undefined }), /forestPlot: uncertainty must say what the intervals show/],
    ['forest duplicate rows', () => forestPlot({ ...forest(), rows: ['a', 'a', 'b'] }), /forestPlot: rows\[1\] must be unique, got "a"/],
    ['forest no series', () => forestPlot({ ...forest(), series: [] }), /forestPlot: series must have at least 1/],
    ['heatmap empty axis', () => heatmap({ ...heat('linear'), x: { label: 'h', values: [] } }), /heatmap: x\.values must have at least 1/],
  ];
  it.each(cases)('%s', async (_name, call, message) => {
    await expect(call()).rejects.toThrow(message);
  });
});

describe('heatmap colour domain', () => {
  it('is the data range by default and fixed when colorDomain is given (a constant map keeps its meaning)', () => {
    const flat = { ...heat('linear'), cells: [[0, 0, 0], [0, 0, 0]] };
    const scaleOf = (o: HeatmapOptions) => (heatmapSpec(o) as unknown as { encoding: { color: { scale: { domain?: number[] } } } }).encoding.color.scale;
    expect(scaleOf(flat).domain).toBeUndefined();
    expect(scaleOf({ ...flat, colorDomain: [0, 1] }).domain).toEqual([0, 1]);
  });
});
