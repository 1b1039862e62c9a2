/**
 * Input records of the figure layer (`plot.ts`): one typed options object per chart kind, with
 * the shared pieces (axes, sizes) and their named defaults. Plain data, so a figure script can
 * build them straight from `results.json` (STYLE.md §12) without re-running anything.
 */

/** How an axis maps data to position: evenly in the value, or evenly in log10 of the value. */
export type AxisScale = 'linear' | 'log';

/** A quantitative axis (x or y of a line/scatter chart, y of a bar chart). */
export interface AxisOptions {
  /** Axis title, e.g. "bond dimension χ" or "test accuracy". */
  label: string;
  /** Unit shown in brackets after the label, e.g. "s" → "wall time (s)"; omit for dimensionless. */
  unit?: string;
  /** Linear or log10 axis; default {@link DEFAULT_AXIS_SCALE}. Log axes need every value > 0. */
  scale?: AxisScale;
  /**
   * Ticks only at integers, labelled without decimals (epochs, steps, bond dimensions, counts);
   * default false. Values may still be any finite number.
   */
  integer?: boolean;
}

/** What an error bar or band shows, in the field's usual terms. */
export type UncertaintyKind = 'std' | 'sem' | 'ci95' | 'range';

/**
 * What the lo–hi bands of a line chart or the error bars of a bar chart mean: the statistic and
 * the sample size behind it, drawn as a caption line under the title (see {@link uncertaintyCaption}).
 * Every chart that draws bands or error bars must say this.
 */
export interface Uncertainty {
  /** `std`: mean ± 1 sample standard deviation; `sem`: mean ± 1 standard error; `ci95`: 95% confidence interval; `range`: min to max. */
  kind: UncertaintyKind;
  /** Sample size per point: one count, or [fewest, most] when it varies between points. */
  n: number | readonly [number, number];
  /** What the samples are, plural; default "seeds". */
  of?: string;
}

/** A horizontal reference line across the plot, labelled at its right end, e.g. chance level. */
export interface ReferenceLine {
  /** Position on the y axis, in data units (> 0 on a log axis). */
  y: number;
  /** Label drawn on the line, e.g. "chance (1/4)". */
  label: string;
}

/** A vertical reference line at one x, labelled at its top, e.g. the exact transition point. */
export interface VerticalReferenceLine {
  /** Position on the x axis, in data units (> 0 on a log axis). */
  x: number;
  /** Label drawn beside the top of the line, e.g. "exact transition h/J = 1". */
  label: string;
}

/** The fields every figure shares. */
export interface FigureBase {
  /** Figure title, drawn above the plot. */
  title: string;
  /** Optional second title line (e.g. the config hash or "mean ± std over 5 seeds"). */
  subtitle?: string;
  /** Plot-area width in px, an integer in [10, {@link MAX_FIGURE_PX}]; default {@link DEFAULT_FIGURE_SIZE}.width. */
  width?: number;
  /** Plot-area height in px, an integer in [10, {@link MAX_FIGURE_PX}]; default {@link DEFAULT_FIGURE_SIZE}.height. */
  height?: number;
}

/** One point of a curve; `lo`/`hi` (both or neither) give a shaded band, e.g. mean ∓ std. */
export interface SeriesPoint {
  x: number;
  y: number;
  /** Lower edge of the band at this x (≤ y is not required, only lo ≤ hi). */
  lo?: number;
  /** Upper edge of the band at this x. */
  hi?: number;
}

/** A named curve; the name is its legend entry and must be unique within a chart. */
export interface Series {
  name: string;
  points: SeriesPoint[];
}

/** Options of {@link lineChart}: curves with point markers and optional bands. */
export interface LineChartOptions extends FigureBase {
  x: AxisOptions;
  y: AxisOptions;
  series: Series[];
  /** Legend title naming what the series are, e.g. "model / method"; required. */
  legendTitle: string;
  /** What the bands mean; required when any point has lo/hi. */
  uncertainty?: Uncertainty;
  /** Horizontal reference lines, e.g. chance level on an accuracy plot. */
  references?: ReferenceLine[];
  /** Vertical reference lines, e.g. a known transition point on a phase-probability plot. */
  xReferences?: VerticalReferenceLine[];
  /**
   * Give each series its own dash pattern and marker shape (open markers) besides its colour,
   * in one legend, so that curves lying on top of each other (identical step curves) stay
   * distinguishable, as in print; default false (solid lines, filled circles). Dashes, shapes and
   * colours are taken in order and start over past the end of their lists (8, 8 and 10 entries),
   * so series stay distinct in at least one of them up to 40. The subtitle then also names the
   * curves that coincide ({@link coincidenceCaption}).
   */
  distinctStrokes?: boolean;
}

/** Dash patterns (px, dash–gap) of {@link LineChartOptions.distinctStrokes}, one per series in order; the first is solid. */
export const SERIES_DASHES: readonly (readonly number[])[] = [[1, 0], [7, 3], [2, 2], [10, 3, 2, 3], [4, 4], [12, 4], [2, 5], [7, 2, 2, 2, 2, 2]];
/** Colours of {@link LineChartOptions.distinctStrokes}, one per series in order: Vega's default `tableau10` scheme, written out so that lines and bands share them. */
export const SERIES_COLORS: readonly string[] = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
/** Marker shapes of {@link LineChartOptions.distinctStrokes}, one per series in order (Vega-Lite shape names). */
export const SERIES_SHAPES: readonly string[] = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left'];

/**
 * A straight-line fit drawn over a scatter series, straight *in the chart's axes*: with
 * u = log10 on a log axis and u = identity on a linear one, u(y) = intercept + slope · u(x).
 * On log–log axes this is the power law y = 10^intercept · x^slope.
 */
export interface LineFit {
  slope: number;
  intercept: number;
}

/** A scatter series: points (band fields ignored) and an optional fitted line. */
export interface ScatterSeries extends Series {
  /** Drawn dashed, in the series' colour, across the series' x range. */
  fit?: LineFit;
}

/** Options of {@link scatterChart}. */
export interface ScatterChartOptions extends FigureBase {
  x: AxisOptions;
  y: AxisOptions;
  series: ScatterSeries[];
  /** Legend title naming what the series are, e.g. "measurement"; required. */
  legendTitle: string;
}

/** One estimate of a forest plot: a value with an optional interval (both ends or neither), lo ≤ value ≤ hi. */
export interface ForestPoint {
  value: number;
  lo?: number;
  hi?: number;
}

/** One series of a forest plot: an estimate per row (e.g. one training method across students). */
export interface ForestSeries {
  /** Legend entry; unique within a chart. */
  name: string;
  /** One entry per row, same order as `rows`; `null`: no estimate there. */
  points: (ForestPoint | null)[];
}

/**
 * Options of {@link forestPlot}: point estimates with their intervals, one line per row and
 * series, the estimate on the x axis (e.g. paired differences with 95% confidence intervals and a
 * reference line at 0).
 */
export interface ForestPlotOptions extends FigureBase {
  /** Row labels, top to bottom; unique. */
  rows: string[];
  series: ForestSeries[];
  /** The estimate's axis. */
  x: AxisOptions;
  /** Title of the row axis; default none. */
  yLabel?: string;
  /** Legend title naming what the series are, e.g. "method"; required. */
  legendTitle: string;
  /** What the intervals mean; required when any point has lo/hi. */
  uncertainty?: Uncertainty;
  /** Vertical reference lines, e.g. "no difference" at 0. */
  xReferences?: VerticalReferenceLine[];
}

/** One group of bars: one bar per category, e.g. one method across tasks. */
export interface BarGroup {
  /** Legend entry; unique within a chart. */
  name: string;
  /** One value per category, same order as `categories`; `null` draws no bar there (no data, not zero). */
  values: (number | null)[];
  /** Optional half-widths of the error bars (e.g. std over seeds), one per category, each ≥ 0 (`null`: none). */
  errors?: (number | null)[];
}

/** Options of {@link barChart}: grouped bars with optional error bars. */
export interface BarChartOptions extends FigureBase {
  /** The x-axis categories, in display order; unique. */
  categories: string[];
  groups: BarGroup[];
  /** The value axis. On a log axis each value − error must stay > 0. */
  y: AxisOptions;
  /** Title of the category axis; default none. */
  xLabel?: string;
  /** Legend title naming what the groups are, e.g. "training method"; required. */
  legendTitle: string;
  /** What the error bars mean; required when any group has errors. */
  uncertainty?: Uncertainty;
  /** Horizontal reference lines, e.g. chance level on an accuracy plot. */
  references?: ReferenceLine[];
}

/** A grid axis of a heatmap: the parameter values at the cell centres, in display order. */
export interface GridAxis {
  label: string;
  unit?: string;
  /** Grid values; shown as evenly spaced categories, so a log-spaced grid looks evenly spaced. */
  values: number[];
}

/** Options of {@link heatmap}: a value per (x, y) grid cell, e.g. a predicted phase diagram. */
export interface HeatmapOptions extends FigureBase {
  x: GridAxis;
  y: GridAxis;
  /** `cells[iy][ix]` is the value at (x.values[ix], y.values[iy]); y.values.length rows. */
  cells: number[][];
  /** Colour-legend title, with its unit if any, e.g. "⟨Z⟩" or "test loss (nats)". */
  colorLabel: string;
  /** Linear or log10 colour scale; default {@link DEFAULT_AXIS_SCALE}. */
  colorScale?: AxisScale;
  /** Fixed colour range [min, max] (e.g. [0, 1] for probabilities); default: the data's range. */
  colorDomain?: [number, number];
  /**
   * A discrete colour scale instead of the continuous one: every cell must equal one level's
   * value, and the legend lists the labels (e.g. 0 → "ferromagnet", 1 → "paramagnet" for a
   * binary phase map). Overrides `colorScale` and `colorDomain`.
   */
  levels?: HeatmapLevel[];
}

/** One colour of a discrete heatmap: the cell value it stands for and its legend label. */
export interface HeatmapLevel {
  value: number;
  label: string;
}

/** Default axis scale. */
export const DEFAULT_AXIS_SCALE: AxisScale = 'linear';
/** Default plot-area size in px. */
export const DEFAULT_FIGURE_SIZE: Readonly<{ width: number; height: number }> = Object.freeze({ width: 480, height: 320 });
/**
 * Largest plot-area width or height in px that a figure accepts (about a metre at 96 px per inch;
 * its PNG at {@link PRINT_DPI} is already 12 800 px wide): larger sizes exhaust memory while rendering.
 */
export const MAX_FIGURE_PX = 4096;
/** Print resolution of the PNG written beside every SVG figure, in dots per inch. */
export const PRINT_DPI = 300;
/** CSS pixels per inch: SVG user units are CSS px, so a figure's PNG is scaled by dpi / 96. */
export const CSS_PX_PER_INCH = 96;
/** Opacity of the lo–hi band of a line chart. */
export const BAND_OPACITY = 0.2;

/** The statistic of each {@link UncertaintyKind}, as written in a caption. */
export const UNCERTAINTY_TEXT: Readonly<Record<UncertaintyKind, string>> = Object.freeze({
  std: 'mean ± 1 std',
  sem: 'mean ± 1 standard error',
  ci95: '95% confidence interval',
  range: 'min to max',
});

/**
 * The caption line saying what bands or error bars show.
 * @example uncertaintyCaption('bands', { kind: 'std', n: 5 }) // "bands: mean ± 1 std over n = 5 seeds"
 * @example uncertaintyCaption('error bars', { kind: 'ci95', n: [3, 5], of: 'runs' }) // "error bars: 95% confidence interval over n = 3–5 runs"
 */
export function uncertaintyCaption(what: string, u: Uncertainty): string {
  const n = typeof u.n === 'number' || u.n[0] === u.n[1] ? String(typeof u.n === 'number' ? u.n : u.n[0]) : `${u.n[0]}–${u.n[1]}`;
  return `${what}: ${UNCERTAINTY_TEXT[u.kind]} over n = ${n} ${u.of ?? 'seeds'}`;
}

/**
 * Groups of series whose curves coincide: the same points (x, y and band edges) in the same
 * order. Each group lists its names in series order and has at least two; series that coincide
 * with no other are left out.
 * @example coincidentSeries([{ name: 'a', points: [{ x: 0, y: 1 }] }, { name: 'b', points: [{ x: 0, y: 2 }] }, { name: 'c', points: [{ x: 0, y: 1 }] }]) // [['a', 'c']]
 */
export function coincidentSeries(series: readonly Series[]): string[][] {
  const byKey = new Map<string, string[]>();
  for (const s of series) {
    const key = JSON.stringify(s.points.map((p) => [p.x, p.y, p.lo ?? null, p.hi ?? null]));
    const g = byKey.get(key);
    if (g) g.push(s.name); else byKey.set(key, [s.name]);
  }
  return [...byKey.values()].filter((g) => g.length > 1);
}

/**
 * The caption line naming coincident curves ({@link coincidentSeries}), or undefined when none
 * coincide: "curves on top of each other: a = c; b = d = e".
 */
export function coincidenceCaption(series: readonly Series[]): string | undefined {
  const groups = coincidentSeries(series);
  return groups.length ? `curves on top of each other: ${groups.map((g) => g.join(' = ')).join('; ')}` : undefined;
}
