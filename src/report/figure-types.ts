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
}

/** The fields every figure shares. */
export interface FigureBase {
  /** Figure title, drawn above the plot. */
  title: string;
  /** Optional second title line (e.g. the config hash or "mean ± std over 5 seeds"). */
  subtitle?: string;
  /** Plot-area width in px; default {@link DEFAULT_FIGURE_SIZE}.width. */
  width?: number;
  /** Plot-area height in px; default {@link DEFAULT_FIGURE_SIZE}.height. */
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
  /** Legend title; default {@link DEFAULT_LEGEND_TITLE}. */
  legendTitle?: string;
}

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
  /** Legend title; default {@link DEFAULT_LEGEND_TITLE}. */
  legendTitle?: string;
}

/** One group of bars: one bar per category, e.g. one method across tasks. */
export interface BarGroup {
  /** Legend entry; unique within a chart. */
  name: string;
  /** One value per category, same order as `categories`. */
  values: number[];
  /** Optional half-widths of the error bars (e.g. std over seeds), one per category, each ≥ 0. */
  errors?: number[];
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
  /** Legend title; default {@link DEFAULT_LEGEND_TITLE}. */
  legendTitle?: string;
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
}

/** Default axis scale. */
export const DEFAULT_AXIS_SCALE: AxisScale = 'linear';
/** Default plot-area size in px. */
export const DEFAULT_FIGURE_SIZE: Readonly<{ width: number; height: number }> = Object.freeze({ width: 480, height: 320 });
/** Default legend title of line, scatter and bar charts. */
export const DEFAULT_LEGEND_TITLE = 'series';
/** Opacity of the lo–hi band of a line chart. */
export const BAND_OPACITY = 0.2;
