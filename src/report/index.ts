/** Figures (SVG via vega-lite, rendered headlessly) and tables for experiment reports. */
export * from './figure-types.js';
export { barChart, heatmap, lineChart, scatterChart } from './plot.js';
export { barChartSpec, heatmapSpec, lineChartSpec, scatterChartSpec, axisTitle, fitEndpoints, formatGridValue, VEGA_LITE_SCHEMA } from './specs.js';
export { renderVegaLite, type RenderResult } from './render.js';
export { formatMeanStd, markdownTable, meanStd, type ColumnAlign, type MarkdownTableOptions, type MeanStd, type TableCell } from './table.js';
export { writeFigure, FIGURE_EXTENSION } from './write.js';
