/**
 * What a referee checks in a figure, read back from the SVG (and PNG) actually written:
 * integer epoch/step ticks, a legend title naming what the legend shows, error bars and bands
 * that say what they are and over how many samples, a chance line where it belongs, a discrete
 * colour scale for discrete maps, and a PNG at print resolution beside every SVG.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BarChartOptions, HeatmapOptions, LineChartOptions } from '../../src/report/figure-types.js';
import { uncertaintyCaption } from '../../src/report/figure-types.js';
import { pngInfo, svgToPng } from '../../src/report/png.js';
import { barChart, heatmap, lineChart, scatterChart } from '../../src/report/plot.js';
import { discreteColors, VIRIDIS_11 } from '../../src/report/specs.js';
import { pngPathOf, writeFigure } from '../../src/report/write.js';
import { legend, markGroups, tickLabels, titleLines, xTickPositions, yTickPositions } from '../helpers/svg.js';

/** An integer label, or an unlabelled tick (log axes leave minor ticks blank). */
const isInteger = (label: string) => label === '' || /^-?\d+$/.test(label.replace(/,/g, ''));

/** A learning curve over `epochs` epochs, 1-based. */
const curve = (epochs: number, integer: boolean): LineChartOptions => ({
  title: 'loss',
  x: { label: 'epoch', integer },
  y: { label: 'loss' },
  legendTitle: 'model',
  series: [{ name: 'a', points: Array.from({ length: epochs }, (_, e) => ({ x: e + 1, y: 1 / (e + 1) })) }],
});

describe('integer axes (epochs, steps, bond dimensions) have integer tick labels only', () => {
  // the class: every run length from 1 to 200 epochs; 3 epochs gives 1.5, 2.5 ticks without the flag
  it.each([1, 2, 3, 4, 5, 7, 12, 30, 101, 200])('%i epochs', async (epochs) => {
    const labels = tickLabels(await lineChart(curve(epochs, true)), 'X');
    expect(labels.filter((l) => l !== '').length).toBeGreaterThan(0);
    expect(labels.filter((l) => !isInteger(l))).toEqual([]);
  });

  it('without the flag the same axis gets fractional ticks (so the check above can fail)', async () => {
    expect(tickLabels(await lineChart(curve(3, false)), 'X').some((l) => !isInteger(l))).toBe(true);
  });

  it('holds on a log axis of bond dimensions 1 … 64', async () => {
    const svg = await lineChart({ ...curve(1, true), x: { label: 'χ_T', scale: 'log', integer: true }, series: [{ name: 'a', points: [1, 2, 8, 64].map((x) => ({ x, y: 1 / x })) }] });
    expect(tickLabels(svg, 'X').filter((l) => !isInteger(l))).toEqual([]);
  });
});

describe('legend titles name what the legend shows', () => {
  it.each([
    ['line', () => lineChart(curve(4, true))],
    ['scatter', () => scatterChart({ title: 't', x: { label: 'n' }, y: { label: 's' }, legendTitle: 'kernel', series: [{ name: 'a', points: [{ x: 1, y: 1 }] }] })],
    ['bar', () => barChart({ title: 't', y: { label: 'acc' }, categories: ['x'], legendTitle: 'training method', groups: [{ name: 'kd', values: [0.5] }] })],
  ])('%s chart: the given title, never a placeholder', async (_k, make) => {
    const { titles } = legend(await make());
    expect(titles).toHaveLength(1);
    expect(['model', 'kernel', 'training method']).toContain(titles[0]);
    expect(titles).not.toContain('series');
  });

  it.each(['', '  ', undefined])('a missing or empty legend title (%j) is an error naming the field', async (legendTitle) => {
    await expect(lineChart({ ...curve(2, true), legendTitle: legendTitle as string })).rejects.toThrow(/lineChart: legendTitle must be a non-empty string/);
    await expect(barChart({ title: 't', y: { label: 'a' }, categories: ['x'], groups: [{ name: 'g', values: [1] }], legendTitle: legendTitle as string })).rejects.toThrow(/barChart: legendTitle must be a non-empty string/);
  });
});

describe('bands and error bars say what they are and over how many samples', () => {
  const banded = (u?: LineChartOptions['uncertainty']): LineChartOptions => ({
    ...curve(3, true),
    series: [{ name: 'a', points: [1, 2, 3].map((x) => ({ x, y: 1 / x, lo: 0.9 / x, hi: 1.1 / x })) }],
    ...(u ? { uncertainty: u } : {}),
  });
  const bars = (u?: BarChartOptions['uncertainty']): BarChartOptions => ({
    title: 't', y: { label: 'acc' }, categories: ['x', 'y'], legendTitle: 'method',
    groups: [{ name: 'kd', values: [0.5, 0.6], errors: [0.05, 0.02] }], ...(u ? { uncertainty: u } : {}),
  });

  it.each([
    [{ kind: 'std', n: 5 }, 'mean ± 1 std over n = 5 seeds'],
    [{ kind: 'ci95', n: 10, of: 'runs' }, '95% confidence interval over n = 10 runs'],
    [{ kind: 'sem', n: [3, 5] }, 'mean ± 1 standard error over n = 3–5 seeds'],
    [{ kind: 'range', n: [4, 4] }, 'min to max over n = 4 seeds'],
  ] as const)('%j is written under the title', async (u, text) => {
    expect(titleLines(await lineChart(banded(u))).subtitle).toEqual([`bands: ${text}`]);
    expect(titleLines(await barChart(bars(u))).subtitle).toEqual([`error bars: ${text}`]);
    expect(uncertaintyCaption('bands', u)).toBe(`bands: ${text}`);
  });

  it('a subtitle stays, with the caption on the next line', async () => {
    expect(titleLines(await lineChart({ ...banded({ kind: 'std', n: 2 }), subtitle: 'config abc' })).subtitle).toEqual(['config abc', 'bands: mean ± 1 std over n = 2 seeds']);
  });

  it('bands or error bars without `uncertainty` are an error; without bands none is needed', async () => {
    await expect(lineChart(banded())).rejects.toThrow(/lineChart: uncertainty must say what the bands show/);
    await expect(barChart(bars())).rejects.toThrow(/barChart: uncertainty must say what the error bars show/);
    expect(titleLines(await lineChart(curve(2, true))).subtitle).toEqual([]);
  });

  it.each([
    [{ kind: 'sd', n: 3 }, /uncertainty\.kind must be 'std', 'sem', 'ci95' or 'range', got "sd"/],
    [{ kind: 'std', n: 0 }, /uncertainty\.n must be an integer ≥ 1, got 0/],
    [{ kind: 'std', n: 2.5 }, /uncertainty\.n must be an integer ≥ 1, got 2.5/],
    [{ kind: 'std', n: [5, 3] }, /uncertainty\.n\[0\] must be ≤ n\[1\] \(3\), got 5/],
  ])('bad uncertainty %j names the field', async (u, message) => {
    await expect(lineChart(banded(u as LineChartOptions['uncertainty']))).rejects.toThrow(message);
  });
});

describe('reference lines (chance level) are drawn where their value is', () => {
  /** y pixel of a value, interpolated linearly between two tick labels of the Y axis. */
  const yOf = (svg: string, v: number) => {
    const ticks = [...yTickPositions(svg)];
    const [[t0, a], [t1, b]] = [ticks[0]!, ticks.at(-1)!];
    return a + ((v - Number(t0)) / (Number(t1) - Number(t0))) * (b - a);
  };
  const ruleY = (svg: string) => {
    const dashed = markGroups(svg, 'rule').filter((g) => g.includes('stroke-dasharray'));
    expect(dashed).toHaveLength(1);
    const m = dashed[0]!.match(/<line transform="translate\(([-\d.]+),([-\d.]+)\)"/)!;
    return Number(m[2]);
  };

  it.each([0.25, 0.5, 0.1, 1 / 3])('a bar chart with chance %d: the dashed rule sits at that value, labelled', async (chance) => {
    const svg = await barChart({ title: 't', y: { label: 'acc' }, categories: ['a', 'b'], legendTitle: 'method', groups: [{ name: 'kd', values: [0.9, 0.7] }], references: [{ y: chance, label: 'chance' }] });
    expect(Math.abs(ruleY(svg) - yOf(svg, chance))).toBeLessThan(1e-6);
    expect(svg).toContain('>chance</text>');
  });

  it('a line chart: the rule sits at the value and widens the y range to include it', async () => {
    const svg = await lineChart({ ...curve(4, true), series: [{ name: 'a', points: [1, 2, 3, 4].map((x) => ({ x, y: 0.6 + 0.05 * x })) }], references: [{ y: 0.25, label: 'chance (1/4)' }] });
    const ticks = [...yTickPositions(svg).keys()].map(Number);
    expect(Math.min(...ticks)).toBeLessThanOrEqual(0.25);
    expect(Math.abs(ruleY(svg) - yOf(svg, 0.25))).toBeLessThan(1e-6);
    expect(svg).toContain('>chance (1/4)</text>');
  });

  it('a reference at or below 0 on a log axis is an error naming it', async () => {
    await expect(lineChart({ ...curve(2, true), y: { label: 'loss', scale: 'log' }, references: [{ y: 0, label: 'zero' }] })).rejects.toThrow(/references\[0\]\.y must be > 0 on the log y axis, got 0/);
  });
});

describe('vertical reference lines (a known transition point) are drawn where their value is', () => {
  const xOf = (svg: string, v: number) => {
    const ticks = [...xTickPositions(svg)];
    const [[t0, a], [t1, b]] = [ticks[0]!, ticks.at(-1)!];
    return a + ((v - Number(t0)) / (Number(t1) - Number(t0))) * (b - a);
  };
  it.each([1, 0.875, 1.3])('a line chart with a rule at x = %d: the dashed rule sits there, labelled', async (x0) => {
    const svg = await lineChart({ ...curve(2, false), x: { label: 'h/J' }, series: [{ name: 'p', points: [0.5, 1, 1.5].map((x) => ({ x, y: x / 2 })) }], xReferences: [{ x: x0, label: 'exact transition' }] });
    const dashed = markGroups(svg, 'rule').filter((g) => g.includes('stroke-dasharray'));
    expect(dashed).toHaveLength(1);
    const m = dashed[0]!.match(/<line transform="translate\(([-\d.]+),([-\d.]+)\)"/)!;
    expect(Math.abs(Number(m[1]) - xOf(svg, x0))).toBeLessThan(1e-6);
    expect(svg).toContain('>exact transition</text>');
  });
  it.each([
    [[{ x: NaN, label: 'a' }], 'linear', /xReferences\[0\]\.x must be a finite number, got NaN/],
    [[{ x: 0, label: 'a' }], 'log', /xReferences\[0\]\.x must be > 0 on the log x axis, got 0/],
    [[{ x: 1 }], 'linear', /xReferences\[0\]\.label/],
  ])('bad xReferences %j on a %s axis name the field', async (refs, scale, re) => {
    await expect(lineChart({ ...curve(2, false), x: { label: 'h', scale: scale as 'linear' | 'log' }, xReferences: refs as never })).rejects.toThrow(re);
  });
});

describe('bars with no data draw nothing (not a zero bar)', () => {
  it('null values leave their slot empty; every given value is one bar', async () => {
    const svg = await barChart({ title: 't', y: { label: 'acc' }, categories: ['teacher', 'student'], legendTitle: 'method', groups: [{ name: 'label', values: [0.9, 0.7] }, { name: 'kd', values: [null, 0.75] }] });
    const rects = markGroups(svg, 'rect')[0]!.match(/<path /g) ?? [];
    expect(rects).toHaveLength(3);
    expect(legend(svg).labels).toEqual(['label', 'kd']);
  });

  it('an error where the value is null is an error', async () => {
    await expect(barChart({ title: 't', y: { label: 'a' }, categories: ['x'], legendTitle: 'm', uncertainty: { kind: 'std', n: 2 }, groups: [{ name: 'g', values: [null], errors: [0.1] }] })).rejects.toThrow(/groups\[0\]\.errors\[0\] must be null where values\[0\] is null/);
  });
});

describe('discrete heatmaps (binary phase maps) use a discrete colour scale', () => {
  const phaseMap = (cells: number[][], levels: HeatmapOptions['levels']): HeatmapOptions => ({
    title: 'phase', x: { label: 'h', values: cells[0]!.map((_, i) => i / 2) }, y: { label: 'J', values: cells.map((_, i) => i + 1) }, cells, colorLabel: 'phase', levels,
  });
  const fills = (svg: string) => new Set([...markGroups(svg, 'rect')[0]!.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1]!.toLowerCase()));
  const binary = [{ value: 0, label: 'ferromagnet' }, { value: 1, label: 'paramagnet' }];

  it('a binary map: two colours, a symbol legend with both phases, no gradient', async () => {
    const svg = await heatmap(phaseMap([[0, 0, 1], [0, 1, 1]], binary));
    expect(fills(svg)).toEqual(new Set(discreteColors(2)));
    expect(legend(svg).labels).toEqual(['ferromagnet', 'paramagnet']);
    expect(svg).not.toMatch(/linearGradient/);
  });

  it('a map of one phase only keeps both phases in the legend and its colour', async () => {
    const svg = await heatmap(phaseMap([[1, 1], [1, 1]], binary));
    expect(fills(svg)).toEqual(new Set([discreteColors(2)[1]]));
    expect(legend(svg).labels).toEqual(['ferromagnet', 'paramagnet']);
  });

  it('the continuous scale (no levels) draws a gradient legend, for contrast', async () => {
    const { levels: _, ...cont } = phaseMap([[0, 0.5, 1]], binary);
    expect(await heatmap(cont)).toMatch(/linearGradient/);
  });

  it('k levels, k = 1 … 11: k distinct viridis colours in order, ends included', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 11 }), (k) => {
      const c = discreteColors(k);
      expect(new Set(c).size).toBe(k);
      expect(c[0]).toBe(VIRIDIS_11[0]);
      expect(c[k - 1]).toBe(VIRIDIS_11[10]);
      const idx = c.map((x) => VIRIDIS_11.indexOf(x));
      expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    }));
    expect(discreteColors(1)).toEqual([VIRIDIS_11[0]]);
    expect(() => discreteColors(12)).toThrow(/k must be an integer in \[1, 11\], got 12/);
  });

  it.each([
    ['a cell outside the levels', phaseMap([[0, 0.5]], binary), /heatmap: cells\[0\]\[1\] must equal one of the levels' values \(0, 1\), got 0.5/],
    ['duplicate level values', phaseMap([[0]], [{ value: 0, label: 'a' }, { value: 0, label: 'b' }]), /levels\.value\[1\] must be unique/],
    ['duplicate labels', phaseMap([[0]], [{ value: 0, label: 'a' }, { value: 1, label: 'a' }]), /levels\.label\[1\] must be unique/],
    ['too many levels', phaseMap([[0]], Array.from({ length: 12 }, (_, i) => ({ value: i, label: `l${i}` }))), /levels must have at most 11 elements/],
  ])('%s is an error naming the field', async (_n, o, message) => {
    await expect(heatmap(o)).rejects.toThrow(message);
  });
});

describe('a PNG at print resolution beside every SVG', () => {
  /** Pixels whose red channel is dark (text and lines on the white background). */
  const darkPixels = async (svg: string) => {
    const { Resvg } = await import('@resvg/resvg-js');
    const img = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true } }).render();
    let n = 0;
    for (let i = 0; i < img.pixels.length; i += 4) if (img.pixels[i]! < 128) n++;
    return n;
  };

  it.each([
    [480, 320, 300],
    [100, 40, 300],
    [333, 77, 300],
    [96, 48, 150],
  ])('%i × %i px SVG at %i dpi → size · dpi/96 pixels (rounded), pHYs says the dpi', async (w, h, dpi) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect x="2" y="2" width="${w - 4}" height="${h - 4}" fill="none" stroke="black"/></svg>`;
    const info = pngInfo(await svgToPng(svg, dpi));
    expect(info.width).toBe(Math.round((w * dpi) / 96));
    expect(info.height).toBe(Math.round((h * dpi) / 96));
    expect(info.dpi).toBeCloseTo(dpi, 1);
  });

  it('writeFigure writes both, the PNG the size of the SVG at 300 dpi, with its text drawn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qdistill-png-'));
    const svg = await lineChart(curve(5, true));
    const path = await writeFigure(dir, 'loss', svg);
    const png = readFileSync(pngPathOf(path));
    const [w, h] = [Number(svg.match(/<svg[^>]*\swidth="([\d.]+)"/)![1]), Number(svg.match(/<svg[^>]*\sheight="([\d.]+)"/)![1])];
    expect(pngInfo(png)).toEqual({ width: Math.round((w * 300) / 96), height: Math.round((h * 300) / 96), dpi: expect.closeTo(300, 1) });
    // fonts are present: a text-only SVG renders dark pixels (no fonts → none)
    expect(await darkPixels('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="20" font-family="sans-serif" font-size="14">epoch 12</text></svg>')).toBeGreaterThan(50);
  });

  it('png: false writes the SVG alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qdistill-png-'));
    const path = await writeFigure(dir, 'x', await lineChart(curve(2, true)), { png: false });
    expect(() => readFileSync(pngPathOf(path))).toThrow(/ENOENT/);
  });
});
