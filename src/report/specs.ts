/**
 * Pure builders from the figure records of `figure-types.ts` to Vega-Lite specs (no rendering,
 * no vega import). They trust their input: `plot.ts` validates first (STYLE.md §6).
 * Kept separate so a figure script can save the spec next to the SVG, or tests can inspect it.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  BAND_OPACITY,
  coincidenceCaption,
  DEFAULT_AXIS_SCALE,
  DEFAULT_FIGURE_SIZE,
  SERIES_COLORS,
  SERIES_DASHES,
  SERIES_SHAPES,
  uncertaintyCaption,
  type AxisOptions,
  type AxisScale,
  type BarChartOptions,
  type ForestPlotOptions,
  type FigureBase,
  type HeatmapOptions,
  type LineChartOptions,
  type LineFit,
  type ReferenceLine,
  type VerticalReferenceLine,
  type ScatterChartOptions,
  type Uncertainty,
} from './figure-types.js';

/** One layer of a layered Vega-Lite spec. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Vega-Lite schema the specs are written against (vega-lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Dash pattern of fitted lines in a scatter chart, in px. */
export const FIT_DASH: readonly number[] = [6, 4];
/** Colour scheme of heatmaps (perceptually uniform, readable in greyscale). */
export const HEATMAP_SCHEME = 'viridis';
/** Viridis sampled at 11 evenly spaced points (0, 0.1, …, 1), the anchors of {@link discreteColors}. */
export const VIRIDIS_11: readonly string[] = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'];

/**
 * k distinct colours from viridis, evenly spread from its dark end to its light end (the two
 * ends for k = 2), for discrete heatmap levels; k ≤ 11.
 * @example discreteColors(2) // ['#440154', '#fde725']
 */
export function discreteColors(k: number): string[] {
  if (!Number.isInteger(k) || k < 1 || k > VIRIDIS_11.length) throw new Error(`discreteColors: k must be an integer in [1, ${VIRIDIS_11.length}], got ${k}`);
  if (k === 1) return [VIRIDIS_11[0]!];
  return Array.from({ length: k }, (_, i) => VIRIDIS_11[Math.round((i * (VIRIDIS_11.length - 1)) / (k - 1))]!);
}

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

/** Colour of reference lines and their labels. */
export const REFERENCE_COLOR = '#555555';
/** Dash pattern of reference lines, in px. */
export const REFERENCE_DASH: readonly number[] = [4, 3];

/** Title block: the title, then the subtitle and the caption (what bands/bars mean) as subtitle lines. */
function header(o: FigureBase, ...caption: (string | undefined)[]) {
  const sub = [o.subtitle, ...caption].filter((l): l is string => l !== undefined);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: sub.length === 0 ? { text: o.title } : { text: o.title, subtitle: sub.length === 1 ? sub[0]! : sub },
    width: o.width ?? DEFAULT_FIGURE_SIZE.width,
    height: o.height ?? DEFAULT_FIGURE_SIZE.height,
    background: 'white',
  } as const;
}

/** Quantitative scale of a line/scatter axis: log, or linear without forcing zero into the domain. */
function quantScale(a: AxisOptions): { type: 'log' } | { type: 'linear'; zero: false } {
  return (a.scale ?? DEFAULT_AXIS_SCALE) === 'log' ? { type: 'log' } : { type: 'linear', zero: false };
}

/** A quantitative position channel for `field` on axis `a`: title with unit, scale, integer ticks if asked. */
function quantChannel(field: string, a: AxisOptions) {
  return {
    field,
    type: 'quantitative',
    title: axisTitle(a),
    scale: quantScale(a),
    ...(a.integer ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
  } as const;
}

/** "bands: mean ± 1 std over n = 5 seeds" if `u` is given and the chart draws any. */
function captionOf(what: string, drawn: boolean, u: Uncertainty | undefined): string | undefined {
  return drawn && u !== undefined ? uncertaintyCaption(what, u) : undefined;
}

/**
 * Layers of horizontal reference lines: a dashed grey rule across the plot at each y, with its
 * label right-aligned just above the line at the right edge. Each layer has its own one-row data,
 * so a rule is drawn once whatever the chart's data.
 */
export function referenceLayers(refs: readonly ReferenceLine[] | undefined, width: number): Layer[] {
  return (refs ?? []).flatMap((r): Layer[] => [
    {
      data: { values: [{ ref: r.label }] },
      mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [...REFERENCE_DASH], strokeWidth: 1 },
      encoding: { y: { datum: r.y, type: 'quantitative' } },
    },
    {
      data: { values: [{ ref: r.label }] },
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: REFERENCE_COLOR, fontSize: 10 },
      encoding: { y: { datum: r.y, type: 'quantitative' }, x: { value: width - 4 }, text: { value: r.label } },
    },
  ]);
}

/** Width of one character of a reference-line label, in px, for deciding on which side of its line the label fits (10 px sans-serif, generous). */
export const REFERENCE_LABEL_CHAR_PX = 6;

/**
 * Layers of vertical reference lines: a dashed grey rule from bottom to top at each x, with its
 * label near the top, just right of the line, or just left of it where the label would run past
 * the plot's right edge (into the legend); the side is chosen at render time from the x scale
 * (`scale('x', x)` against the plot `width`, with {@link REFERENCE_LABEL_CHAR_PX} per character),
 * so it holds whatever domain the data give. The k-th label sits 12 px lower than the (k−1)-th,
 * so labels of nearby lines do not overlap. Like {@link referenceLayers}, each layer has its own
 * one-row data.
 */
export function verticalReferenceLayers(refs: readonly VerticalReferenceLine[] | undefined): Layer[] {
  return (refs ?? []).flatMap((r, k): Layer[] => {
    const left = `scale('x', ${r.x}) + ${3 + REFERENCE_LABEL_CHAR_PX * [...r.label].length} > width`;
    return [
      {
        data: { values: [{ ref: r.label }] },
        mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [...REFERENCE_DASH], strokeWidth: 1 },
        encoding: { x: { datum: r.x, type: 'quantitative' } },
      },
      {
        data: { values: [{ ref: r.label }] },
        mark: { type: 'text', align: { expr: `${left} ? 'right' : 'left'` }, baseline: 'top', dx: { expr: `${left} ? -3 : 3` }, dy: 2, color: REFERENCE_COLOR, fontSize: 10 },
        encoding: { x: { datum: r.x, type: 'quantitative' }, y: { value: 12 * k }, text: { value: r.label } },
      },
    ];
  });
}

/**
 * Where bars start on a log axis (which has no zero): the power of ten at or below the
 * smallest value or error-bar end, so every bar has a visible, comparable length.
 * @example logBarBaseline([0.3, 20]) // 0.1
 */
export function logBarBaseline(values: readonly number[]): number {
  return 10 ** Math.floor(Math.log10(Math.min(...values)));
}

function colorBySeries(names: string[], legendTitle: string) {
  return {
    field: 'series',
    type: 'nominal',
    scale: { domain: names },
    // full-opacity symbols even when the first layer is a translucent band
    legend: { title: legendTitle, symbolOpacity: 1, labelLimit: 400 },
  } as const;
}

/** Vega-Lite spec of {@link lineChart}: a band layer (only if some point has lo/hi) under lines with points. */
export function lineChartSpec(o: LineChartOptions): TopLevelSpec {
  const names = o.series.map((s) => s.name);
  const rows = o.series.flatMap((s) =>
    s.points.map((p) => (p.lo === undefined ? { series: s.name, x: p.x, y: p.y } : { series: s.name, x: p.x, y: p.y, lo: p.lo, hi: p.hi, ...(o.distinctStrokes === true ? { band: SERIES_COLORS[names.indexOf(s.name) % SERIES_COLORS.length]! } : {}) })),
  );
  const x = quantChannel('x', o.x);
  const y = quantChannel('y', o.y);
  const color = colorBySeries(names, o.legendTitle);
  const hasBand = rows.some((r) => 'lo' in r);
  const band: Layer = {
    transform: [{ filter: 'isValid(datum.lo)' }],
    mark: { type: 'area', opacity: BAND_OPACITY },
    // with distinct strokes the legend is the lines' (open markers, dash patterns), not filled swatches: the
    // bands are filled with their series' colour read from the data (no scale, hence no legend to merge)
    encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, ...(o.distinctStrokes === true ? { fill: { field: 'band', type: 'nominal', scale: null } } : { color }) },
  };
  // distinct strokes: a line layer with dash by series and an open-marker layer with shape by
  // series; colour, dash and shape share the field and title, so Vega-Lite merges them into one legend
  const lines: Layer[] = o.distinctStrokes === true ? distinctLineLayers(names, o.legendTitle, x, y) : [{ mark: { type: 'line', point: true }, encoding: { x, y, color } }];
  const refs = [...referenceLayers(o.references, o.width ?? DEFAULT_FIGURE_SIZE.width), ...verticalReferenceLayers(o.xReferences)];
  const coincide = o.distinctStrokes === true ? coincidenceCaption(o.series) : undefined;
  return { ...header(o, captionOf('bands', hasBand, o.uncertainty), coincide), data: { values: rows }, layer: [...(hasBand ? [band] : []), ...lines, ...refs] };
}

/** The merged legend of {@link distinctLineLayers}: open symbols (transparent fill) large enough to show a dash pattern. */
function distinctLegend(title: string) {
  return { title, symbolOpacity: 1, labelLimit: 400, symbolSize: 180, symbolStrokeWidth: 1.8, encode: { symbols: { update: { fill: { value: 'transparent' } } } } } as const;
}

/**
 * The line layers of `distinctStrokes`: per series its colour, dash pattern ({@link SERIES_DASHES})
 * and open marker shape ({@link SERIES_SHAPES}), so that curves lying on top of each other show
 * every colour along the shared path and every marker at its corners.
 */
function distinctLineLayers(names: string[], legendTitle: string, x: ReturnType<typeof quantChannel>, y: ReturnType<typeof quantChannel>): Layer[] {
  const legend = distinctLegend(legendTitle);
  const by = <T>(range: T[]) => ({ field: 'series', type: 'nominal', scale: { domain: names, range }, legend } as const);
  const color = { field: 'series', type: 'nominal', scale: { domain: names, range: names.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]!) }, legend } as const;
  return [
    { mark: { type: 'line', strokeWidth: 1.8 }, encoding: { x, y, color, strokeDash: by(names.map((_, i) => [...SERIES_DASHES[i % SERIES_DASHES.length]!])) } },
    { mark: { type: 'point', filled: false, size: 40, strokeWidth: 1.5 }, encoding: { x, y, color, shape: by(names.map((_, i) => SERIES_SHAPES[i % SERIES_SHAPES.length]!)) } },
  ];
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
  const x = quantChannel('x', o.x);
  const y = quantChannel('y', o.y);
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
    o.categories.flatMap((c, j): { category: string; group: string; value: number; lo?: number; hi?: number }[] => {
      const v = g.values[j];
      if (v === null || v === undefined) return [];
      const e = g.errors?.[j];
      return e === undefined || e === null ? [{ category: c, group: g.name, value: v }] : [{ category: c, group: g.name, value: v, lo: v - e, hi: v + e }];
    }),
  );
  const scale = o.y.scale ?? DEFAULT_AXIS_SCALE;
  const x = { field: 'category', type: 'nominal', sort: o.categories, title: o.xLabel ?? null, axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'group', type: 'nominal', sort: groupNames } as const;
  const y = { field: 'value', type: 'quantitative', title: axisTitle(o.y), scale: { type: scale }, ...(o.y.integer ? { axis: { tickMinStep: 1, format: 'd' } } : {}) } as const;
  const color = { field: 'group', type: 'nominal', scale: { domain: groupNames }, legend: { title: o.legendTitle } } as const;
  const lows = [...rows.map((r) => r.lo ?? r.value), ...(o.references ?? []).map((r) => r.y)];
  const bars: Layer =
    scale === 'log'
      ? { mark: { type: 'bar' }, encoding: { x, xOffset, y, y2: { datum: logBarBaseline(lows) }, color } }
      : { mark: { type: 'bar' }, encoding: { x, xOffset, y, color } };
  const errorBars: Layer = {
    transform: [{ filter: 'isValid(datum.lo)' }],
    mark: { type: 'rule', color: 'black', strokeWidth: 1.5 },
    encoding: { x, xOffset, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
  };
  const hasErrors = rows.some((r) => r.lo !== undefined);
  const refs = referenceLayers(o.references, o.width ?? DEFAULT_FIGURE_SIZE.width);
  return { ...header(o, captionOf('error bars', hasErrors, o.uncertainty)), data: { values: rows }, layer: [bars, ...(hasErrors ? [errorBars] : []), ...refs] };
}

/** Vega-Lite spec of {@link heatmap}: one rect per cell; x left→right and y bottom→top in the given order. */
export function heatmapSpec(o: HeatmapOptions): TopLevelSpec {
  const xl = o.x.values.map(formatGridValue);
  const yl = o.y.values.map(formatGridValue);
  const levels = o.levels;
  const labelOf = (v: number) => levels?.find((l) => l.value === v)?.label;
  const rows = o.cells.flatMap((row, iy) => row.map((v, ix) => (levels ? { x: xl[ix]!, y: yl[iy]!, value: v, level: labelOf(v)! } : { x: xl[ix]!, y: yl[iy]!, value: v })));
  const color = levels
    ? {
        field: 'level',
        type: 'ordinal',
        title: o.colorLabel,
        // every level keeps its colour whether or not a cell takes it: the domain is the level list
        scale: { domain: levels.map((l) => l.label), range: discreteColors(levels.length) },
      }
    : {
        field: 'value',
        type: 'quantitative',
        title: o.colorLabel,
        scale: { ...quantScale({ label: o.colorLabel, scale: o.colorScale }), scheme: HEATMAP_SCHEME, ...(o.colorDomain ? { domain: o.colorDomain } : {}) },
      };
  return {
    ...header(o),
    data: { values: rows },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: xl, title: axisTitle(o.x), axis: { labelAngle: 0 } },
      y: { field: 'y', type: 'ordinal', sort: [...yl].reverse(), title: axisTitle(o.y) },
      color,
    },
  } as TopLevelSpec;
}

/** Height of one row of a forest plot per series in it, in px (the default height follows the rows). */
export const FOREST_ROW_HEIGHT = 18;
/** Padding of a forest plot's x scale, in px: a point or interval end at the edge of the data is not drawn on the axis. */
export const FOREST_X_PADDING = 10;
/**
 * Width the headless renderer reserves per character of an axis title, in px: it has no font
 * metrics and estimates 0.8 × the font size (11 px). A forest plot is at least as tall as its
 * row-axis title so estimated, or the title overhangs the plot and pads the figure with blank space.
 */
export const AXIS_TITLE_CHAR_PX = 0.8 * 11;
/** Plot-area width per tick of a forest plot's linear x axis at least, in px: few enough ticks that every one is labelled. */
export const FOREST_TICK_PX = 60;

/**
 * Tick values of a forest plot's linear x axis over [lo, hi]: the multiples of a step from
 * 1, 2, 5 × 10^k, the smallest giving at most `maxTicks` of them, so 0 is a tick whenever it is
 * in range and the ticks are evenly spaced. Values are rounded to 12 significant digits (no
 * float noise in the labels).
 * @example forestTicks(-0.017, 0.048, 8) // [-0.01, 0, 0.01, 0.02, 0.03, 0.04]
 */
export function forestTicks(lo: number, hi: number, maxTicks: number): number[] {
  if (!(hi > lo)) return [lo];
  const span = hi - lo;
  let step = 10 ** Math.floor(Math.log10(span / Math.max(1, maxTicks)));
  for (let guard = 0; guard < 64; guard++) {
    for (const m of [1, 2, 5]) {
      const st = m * step;
      const first = Math.ceil(lo / st - 1e-9), last = Math.floor(hi / st + 1e-9);
      if (last - first + 1 <= maxTicks) return Array.from({ length: last - first + 1 }, (_, k) => Number(((first + k) * st).toPrecision(12)));
    }
    step *= 10;
  }
  return [lo, hi];
}

/**
 * Vega-Lite spec of {@link forestPlot}: per row and series a horizontal interval (rule) and a
 * filled point at the estimate, rows top to bottom in the given order, series side by side within
 * a row, vertical reference lines across the plot. The default height follows the rows
 * ({@link FOREST_ROW_HEIGHT}) and is at least 120 px and the row-axis title's length
 * ({@link AXIS_TITLE_CHAR_PX}).
 */
export function forestPlotSpec(o: ForestPlotOptions): TopLevelSpec {
  const names = o.series.map((s) => s.name);
  const rows = o.series.flatMap((s) =>
    o.rows.flatMap((row, j): { row: string; series: string; value: number; lo?: number; hi?: number }[] => {
      const p = s.points[j];
      if (p === null || p === undefined) return [];
      return p.lo === undefined || p.hi === undefined ? [{ row, series: s.name, value: p.value }] : [{ row, series: s.name, value: p.value, lo: p.lo, hi: p.hi }];
    }),
  );
  const height = o.height ?? Math.max(120, FOREST_ROW_HEIGHT * o.rows.length * Math.max(1, names.length) + 24, Math.ceil(AXIS_TITLE_CHAR_PX * (o.yLabel?.length ?? 0)));
  const y = { field: 'row', type: 'nominal', sort: o.rows, title: o.yLabel ?? null, axis: { labelLimit: 400 } } as const;
  const yOffset = { field: 'series', type: 'nominal', sort: names } as const;
  const q = quantChannel('value', o.x);
  const linear = (o.x.scale ?? DEFAULT_AXIS_SCALE) === 'linear';
  const maxTicks = Math.max(2, Math.floor((o.width ?? DEFAULT_FIGURE_SIZE.width) / FOREST_TICK_PX));
  const ends = [...rows.flatMap((r) => [r.value, r.lo ?? r.value, r.hi ?? r.value]), ...(o.xReferences ?? []).map((r) => r.x)];
  const ticks = forestTicks(Math.min(...ends), Math.max(...ends), maxTicks);
  // as many decimals as the step needs, the same for every label
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : Math.abs(ticks[0]!) || 1;
  const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
  const x = { ...q, scale: { ...q.scale, padding: FOREST_X_PADDING, nice: false }, ...(linear && !o.x.integer ? { axis: { values: ticks, format: `.${decimals}f` } } : {}) } as const;
  const color = colorBySeries(names, o.legendTitle);
  const hasIntervals = rows.some((r) => r.lo !== undefined);
  const intervals: Layer = {
    transform: [{ filter: 'isValid(datum.lo)' }],
    mark: { type: 'rule', strokeWidth: 2 },
    encoding: { y, yOffset, x: { ...x, field: 'lo' }, x2: { field: 'hi' }, color },
  };
  const points: Layer = { mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { y, yOffset, x, color } };
  return {
    ...header({ ...o, height }, captionOf('intervals', hasIntervals, o.uncertainty)),
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [...(hasIntervals ? [intervals] : []), points, ...verticalReferenceLayers(o.xReferences)],
  };
}
