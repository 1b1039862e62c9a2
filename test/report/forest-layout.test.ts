/**
 * Layout of a forest plot read back from the rendered SVG: a reference line's label stays inside
 * the plot (left of its line when the line is near the right edge, where it would run into the
 * legend), points at the ends of the data are not drawn on the axis, the x axis labels its
 * ticks with 0 among them, and a long row-axis title does not pad the figure with blank space.
 */
import { describe, expect, it } from 'vitest';
import type { ForestPlotOptions } from '../../src/report/figure-types.js';
import { forestPlot, lineChart } from '../../src/report/plot.js';
import { AXIS_TITLE_CHAR_PX, FOREST_X_PADDING, forestPlotSpec, forestTicks } from '../../src/report/specs.js';

const WIDTH = 480;
const plot = (values: number[], ref = 0): ForestPlotOptions => ({
  title: 'T', x: { label: 'Δ' }, legendTitle: 'method', rows: values.map((_, i) => `r${i}`), width: WIDTH,
  series: [{ name: 'KD', points: values.map((value) => ({ value })) }],
  xReferences: [{ x: ref, label: 'no difference' }],
});

/** The reference label's anchor and x position (plot coordinates). */
function refLabel(svg: string, label: string): { anchor: string; x: number } {
  const m = new RegExp(`<text text-anchor="(\\w+)" transform="translate\\(([-\\d.e]+),[-\\d.e]+\\)"[^>]*>${label}</text>`).exec(svg);
  expect(m, `no label ${label}`).not.toBeNull();
  return { anchor: m![1]!, x: Number(m![2]) };
}
const pointXs = (svg: string) => [...svg.matchAll(/aria-roledescription="point" transform="translate\(([-\d.e]+),/g)].map((m) => Number(m[1]));

describe('forest plot layout', () => {
  it.each([
    ['all Δ below 0: the line at the right edge, label to its left', [-0.5, -0.5], 'end'],
    ['all Δ above 0: the line at the left edge, label to its right', [0.02, 0.06], 'start'],
    ['Δ on both sides', [-0.2, 0.3], 'start'],
  ] as const)('%s', async (_name, values, anchor) => {
    const svg = await forestPlot(plot([...values]));
    const l = refLabel(svg, 'no difference');
    expect(l.anchor).toBe(anchor);
    // the label's text (about 6 px a character) lies inside [0, WIDTH]
    const extent = 6 * 'no difference'.length;
    expect(anchor === 'end' ? l.x - extent : l.x + extent).toBeGreaterThanOrEqual(0);
    expect(anchor === 'end' ? l.x : l.x + extent).toBeLessThanOrEqual(WIDTH);
  });

  it('points at the ends of the data sit inside the plot, off the axis, and 0 is a labelled tick', async () => {
    const svg = await forestPlot(plot([-0.5, -0.1]));
    const xs = pointXs(svg);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(FOREST_X_PADDING - 0.5);
    expect(Math.max(...xs)).toBeLessThanOrEqual(WIDTH - FOREST_X_PADDING + 0.5);
    expect(svg).toMatch(/>0\.0<\/text>/);
  });

  it('a line chart keeps its vertical reference label inside the plot the same way', async () => {
    const svg = await lineChart({
      title: 'T', x: { label: 'h/J' }, y: { label: 'p' }, legendTitle: 'model', width: WIDTH,
      series: [{ name: 'a', points: [{ x: 0.5, y: 0 }, { x: 1.5, y: 1 }] }],
      xReferences: [{ x: 0.6, label: 'left line' }, { x: 1.5, label: 'exact transition h/J = 1.5' }],
    });
    expect(refLabel(svg, 'left line').anchor).toBe('start');
    const right = refLabel(svg, 'exact transition h/J = 1.5');
    expect(right.anchor).toBe('end');
    expect(right.x).toBeLessThanOrEqual(WIDTH);
  });

  it('a row-axis title longer than the rows are tall: the plot grows to it, so the figure has no blank margin above and below', async () => {
    const height = (svg: string) => Number(/<svg[^>]* height="([\d.]+)"/.exec(svg)![1]);
    const margin = async (yLabel: string) => {
      const o = { ...plot([-0.1, 0.2, 0.05, 0]), yLabel };
      const plotHeight = (forestPlotSpec(o) as { height: number }).height;
      return { plotHeight, margin: height(await forestPlot(o)) - plotHeight };
    };
    const short = await margin('student');
    const long = await margin('grid student (qubits, layers)');
    expect(long.plotHeight).toBe(Math.ceil(AXIS_TITLE_CHAR_PX * 'grid student (qubits, layers)'.length));
    expect(long.margin).toBe(short.margin);
  });
});

describe('forestTicks: evenly spaced multiples of 1, 2 or 5 × 10^k, 0 among them when in range', () => {
  it.each([
    [-0.017, 0.048, 8, [-0.01, 0, 0.01, 0.02, 0.03, 0.04]],
    [-0.0155, 0.0156, 8, [-0.015, -0.01, -0.005, 0, 0.005, 0.01, 0.015]],
    [0.02, 0.06, 8, [0.02, 0.03, 0.04, 0.05, 0.06]],
    [-0.5, 0, 8, [-0.5, -0.4, -0.3, -0.2, -0.1, 0]],
    [-3, 7, 3, [0, 5]],
    [1, 1, 8, [1]],
  ] as [number, number, number, number[]][])('[%f, %f], at most %i ticks', (lo, hi, max, expected) => {
    const t = forestTicks(lo, hi, max);
    expect(t).toEqual(expected);
    expect(t.length).toBeLessThanOrEqual(max);
    if (lo <= 0 && hi >= 0) expect(t).toContain(0);
  });

  it('the rendered axis labels exactly these ticks', async () => {
    const svg = await forestPlot({ ...plot([-0.017, 0.048]), series: [{ name: 'KD', points: [{ value: -0.017 }, { value: 0.048 }] }] });
    for (const label of ['−0.01', '0.00', '0.01', '0.04']) expect(svg.replace(/-/g, '−')).toContain(`>${label}</text>`);
  });
});
