/**
 * Pure builders from the figure records of `figure-types.ts` to Vega-Lite specs (no rendering,
 * no vega import). They trust their input: `plot.ts` validates first (STYLE.md §6).
 * Kept separate so a figure script can save the spec next to the SVG, or tests can inspect it.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  BAND_OPACITY,
  DEFAULT_AXIS_SCALE,
  DEFAULT_FIGURE_SIZE,
  DEFAULT_LEGEND_TITLE,
  type AxisOptions,
  type AxisScale,
  type BarChartOptions,
  type FigureBase,
  type HeatmapOptions,
  type LineChartOptions,
  type LineFit,
  type ScatterChartOptions,
} from './figure-types.js';

/** One layer of a layered Vega-Lite spec. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Vega-Lite schema the specs are written against (vega-lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Dash pattern of fitted lines in a scatter chart, in px. */
export const FIT_DASH: readonly number[] = [6, 4];
/** Colour scheme of heatmaps (perceptually uniform, readable in greyscale). */
export const HEATMAP_SCHEME = 'viridis';

/** "label (unit)", or just the label when there is no unit. */
export function axisTitle(a: { label: string; unit?: string }): string {
  return a.unit === undefined ? a.label : `${a.label} (${a.unit})`;
}

/**
 * A grid value as an axis label: 6 significant digits, shortest form, so float noise from
 * `linspace` does not leak into labels.
 * @example formatGridValue(0.30000000000000004) // "0.3"
 */
export function formatGridValue(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function header(o: FigureBase) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: o.subtitle === undefined ? { text: o.title } : { text: o.title, subtitle: o.subtitle },
    width: o.width ?? DEFAULT_FIGURE_SIZE.width,
    height: o.height ?? DEFAULT_FIGURE_SIZE.height,
    background: 'white',
  } as const;
}

/** Quantitative scale of a line/scatter axis: log, or linear without forcing zero into the domain. */
function quantScale(a: AxisOptions): { type: 'log' } | { type: 'linear'; zero: false } {
  return (a.scale ?? DEFAULT_AXIS_SCALE) === 'log' ? { type: 'log' } : { type: 'linear', zero: false };
}

/**
 * Where bars start on a log axis (which has no zero): the power of ten at or below the
 * smallest value or error-bar end, so every bar has a visible, comparable length.
 * @example logBarBaseline([0.3, 20]) // 0.1
 */
export function logBarBaseline(values: readonly number[]): number {
  return 10 ** Math.floor(Math.log10(Math.min(...values)));
}

function colorBySeries(names: string[], legendTitle: string | undefined) {
  return {
    field: 'series',
    type: 'nominal',
    scale: { domain: names },
    // full-opacity symbols even when the first layer is a translucent band
    legend: { title: legendTitle ?? DEFAULT_LEGEND_TITLE, symbolOpacity: 1, labelLimit: 400 },
  } as const;
}

/** Vega-Lite spec of {@link lineChart}: a band layer (only if some point has lo/hi) under lines with points. */
export function lineChartSpec(o: LineChartOptions): TopLevelSpec {
  const names = o.series.map((s) => s.name);
  const rows = o.series.flatMap((s) =>
    s.points.map((p) => (p.lo === undefined ? { series: s.name, x: p.x, y: p.y } : { series: s.name, x: p.x, y: p.y, lo: p.lo, hi: p.hi })),
  );
  const x = { field: 'x', type: 'quantitative', title: axisTitle(o.x), scale: quantScale(o.x) } as const;
  const y = { field: 'y', type: 'quantitative', title: axisTitle(o.y), scale: quantScale(o.y) } as const;
  const color = colorBySeries(names, o.legendTitle);
  const hasBand = rows.some((r) => 'lo' in r);
  const band: Layer = {
    transform: [{ filter: 'isValid(datum.lo)' }],
    mark: { type: 'area', opacity: BAND_OPACITY },
    encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
  };
  const lines: Layer = { mark: { type: 'line', point: true }, encoding: { x, y, color } };
  return { ...header(o), data: { values: rows }, layer: hasBand ? [band, lines] : [lines] };
}

/**
 * The two ends of a fitted line over [xMin, xMax], straight in the chart's axes
 * (log10 on a log axis): u(y) = intercept + slope · u(x). See {@link LineFit}.
 */
export function fitEndpoints(fit: LineFit, xMin: number, xMax: number, xScale: AxisScale, yScale: AxisScale): [{ x: number; y: number }, { x: number; y: number }] {
  const u = (v: number) => (xScale === 'log' ? Math.log10(v) : v);
  const yOf = (ux: number) => {
    const uy = fit.intercept + fit.slope * ux;
    return yScale === 'log' ? 10 ** uy : uy;
  };
  return [
    { x: xMin, y: yOf(u(xMin)) },
    { x: xMax, y: yOf(u(xMax)) },
  ];
}

/** Vega-Lite spec of {@link scatterChart}: filled points, plus a dashed layer of fitted lines if any. */
export function scatterChartSpec(o: ScatterChartOptions): TopLevelSpec {
  const names = o.series.map((s) => s.name);
  const rows = o.series.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const xs = o.x.scale ?? DEFAULT_AXIS_SCALE;
  const ys = o.y.scale ?? DEFAULT_AXIS_SCALE;
  const fitRows = o.series.flatMap((s) => {
    if (s.fit === undefined) return [];
    const xv = s.points.map((p) => p.x);
    return fitEndpoints(s.fit, Math.min(...xv), Math.max(...xv), xs, ys).map((e) => ({ series: s.name, kind: 'fit', ...e }));
  });
  const x = { field: 'x', type: 'quantitative', title: axisTitle(o.x), scale: quantScale(o.x) } as const;
  const y = { field: 'y', type: 'quantitative', title: axisTitle(o.y), scale: quantScale(o.y) } as const;
  const color = colorBySeries(names, o.legendTitle);
  const points: Layer = { data: { values: rows }, mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y, color } };
  const fits: Layer = {
    data: { values: fitRows },
    mark: { type: 'line' },
    encoding: {
      x,
      y,
      color,
      strokeDash: { field: 'kind', type: 'nominal', scale: { domain: ['fit'], range: [[...FIT_DASH]] }, legend: { title: null } },
    },
  };
  return { ...header(o), layer: fitRows.length > 0 ? [points, fits] : [points] };
}

/**
 * Vega-Lite spec of {@link barChart}: bars grouped by category (xOffset), with error-bar rules
 * if given; on a log axis bars start at {@link logBarBaseline} instead of 0.
 */
export function barChartSpec(o: BarChartOptions): TopLevelSpec {
  const groupNames = o.groups.map((g) => g.name);
  const rows = o.groups.flatMap((g) =>
    o.categories.map((c, j) => {
      const v = g.values[j]!;
      const e = g.errors?.[j];
      return e === undefined ? { category: c, group: g.name, value: v } : { category: c, group: g.name, value: v, lo: v - e, hi: v + e };
    }),
  );
  const scale = o.y.scale ?? DEFAULT_AXIS_SCALE;
  const x = { field: 'category', type: 'nominal', sort: o.categories, title: o.xLabel ?? null, axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'group', type: 'nominal', sort: groupNames } as const;
  const y = { field: 'value', type: 'quantitative', title: axisTitle(o.y), scale: { type: scale } } as const;
  const color = { field: 'group', type: 'nominal', scale: { domain: groupNames }, legend: { title: o.legendTitle ?? DEFAULT_LEGEND_TITLE } } as const;
  const lows = rows.map((r) => r.lo ?? r.value);
  const bars: Layer =
    scale === 'log'
      ? { mark: { type: 'bar' }, encoding: { x, xOffset, y, y2: { datum: logBarBaseline(lows) }, color } }
      : { mark: { type: 'bar' }, encoding: { x, xOffset, y, color } };
  const errorBars: Layer = {
    transform: [{ filter: 'isValid(datum.lo)' }],
    mark: { type: 'rule', color: 'black', strokeWidth: 1.5 },
    encoding: { x, xOffset, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
  };
  const hasErrors = rows.some((r) => 'lo' in r);
  return { ...header(o), data: { values: rows }, layer: hasErrors ? [bars, errorBars] : [bars] };
}

/** Vega-Lite spec of {@link heatmap}: one rect per cell; x left→right and y bottom→top in the given order. */
export function heatmapSpec(o: HeatmapOptions): TopLevelSpec {
  const xl = o.x.values.map(formatGridValue);
  const yl = o.y.values.map(formatGridValue);
  const rows = o.cells.flatMap((row, iy) => row.map((v, ix) => ({ x: xl[ix]!, y: yl[iy]!, value: v })));
  return {
    ...header(o),
    data: { values: rows },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: xl, title: axisTitle(o.x), axis: { labelAngle: 0 } },
      y: { field: 'y', type: 'ordinal', sort: [...yl].reverse(), title: axisTitle(o.y) },
      color: {
        field: 'value',
        type: 'quantitative',
        title: o.colorLabel,
        scale: { ...quantScale({ label: o.colorLabel, scale: o.colorScale }), scheme: HEATMAP_SCHEME, ...(o.colorDomain ? { domain: o.colorDomain } : {}) },
      },
    },
  };
}
