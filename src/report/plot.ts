/**
 * Figures for experiment results, as standalone SVG strings: validate the record once (field-
 * naming errors), build a Vega-Lite spec (`specs.ts`), render it headlessly (`render.ts`).
 * Each figure has a title, axis titles with units, a legend, and a linear/log choice per
 * quantitative axis. Plotting reads results; it never re-runs a simulation (STYLE.md §12).
 */
import type { BarChartOptions, ForestPlotOptions, HeatmapOptions, LineChartOptions, ScatterChartOptions } from './figure-types.js';
import { renderVegaLite } from './render.js';
import { barChartSpec, forestPlotSpec, heatmapSpec, lineChartSpec, scatterChartSpec } from './specs.js';
import { validateBarChart, validateForestPlot, validateHeatmap, validateLineChart, validateScatterChart } from './validate.js';

/**
 * Lines with point markers, one per series, with a shaded band where points carry `lo`/`hi`
 * (e.g. mean ∓ std over seeds for a convergence curve).
 * @example
 * const svg = await lineChart({
 *   title: 'Training loss',
 *   x: { label: 'epoch' },
 *   y: { label: 'loss', unit: 'nats', scale: 'log' },
 *   series: [{ name: 'χ = 4', points: [{ x: 0, y: 1, lo: 0.9, hi: 1.1 }, { x: 1, y: 0.5, lo: 0.45, hi: 0.55 }] }],
 * });
 * svg.startsWith('<svg') // true
 */
export async function lineChart(options: LineChartOptions): Promise<string> {
  validateLineChart(options);
  return (await renderVegaLite(lineChartSpec(options))).svg;
}

/**
 * Points, one colour per series, with an optional dashed fitted line per series that is
 * straight in the chart's axes (a power law on log–log axes; see `LineFit`).
 * @example
 * await scatterChart({
 *   title: 'Distillation gap vs width', x: { label: 'χ', scale: 'log' }, y: { label: 'gap', scale: 'log' },
 *   series: [{ name: 'MNIST', points: [{ x: 2, y: 0.1 }, { x: 8, y: 0.02 }], fit: { slope: -1.16, intercept: -0.65 } }],
 * });
 */
export async function scatterChart(options: ScatterChartOptions): Promise<string> {
  validateScatterChart(options);
  return (await renderVegaLite(scatterChartSpec(options))).svg;
}

/**
 * Grouped bars: one cluster per category, one bar per group within it, with error bars
 * (value ± error) where a group gives `errors` (e.g. mean ± std over seeds).
 * @example
 * await barChart({
 *   title: 'Test accuracy', y: { label: 'accuracy' }, categories: ['blobs', 'MNIST 0/1'],
 *   groups: [{ name: 'teacher', values: [0.95, 0.99], errors: [0.01, 0.004] }, { name: 'student', values: [0.93, 0.98] }],
 * });
 */
export async function barChart(options: BarChartOptions): Promise<string> {
  validateBarChart(options);
  return (await renderVegaLite(barChartSpec(options))).svg;
}

/**
 * A forest plot: per row (top to bottom) and series a point estimate with its interval as a
 * horizontal line, e.g. the paired difference of two training methods per student with its 95%
 * confidence interval, and vertical reference lines (e.g. "no difference" at 0). The height
 * follows the number of rows unless given.
 * @example
 * await forestPlot({
 *   title: 'KD − label-only', x: { label: 'Δ test accuracy' }, legendTitle: 'method', rows: ['s16', 's8'],
 *   series: [{ name: 'KD', points: [{ value: 0.02, lo: -0.01, hi: 0.05 }, null] }],
 *   uncertainty: { kind: 'ci95', n: 10 }, xReferences: [{ x: 0, label: 'no difference' }],
 * });
 * @throws Error naming the field, for an invalid record (as the other charts).
 */
export async function forestPlot(options: ForestPlotOptions): Promise<string> {
  validateForestPlot(options);
  return (await renderVegaLite(forestPlotSpec(options))).svg;
}

/**
 * A value per cell of a parameter grid, coloured with a viridis scale (linear or log) and a
 * colour legend; `cells[iy][ix]` sits at (x.values[ix], y.values[iy]), with x increasing to
 * the right and y upwards in the given order (e.g. a predicted phase diagram).
 * @example
 * await heatmap({
 *   title: 'Predicted phase', x: { label: 'h', values: [0.5, 1, 1.5] }, y: { label: 'J', values: [0, 1] },
 *   cells: [[0, 0.2, 0.9], [0.1, 0.6, 1]], colorLabel: 'P(ordered)',
 * });
 */
export async function heatmap(options: HeatmapOptions): Promise<string> {
  validateHeatmap(options);
  return (await renderVegaLite(heatmapSpec(options))).svg;
}
