/** Figures (SVG via vega-lite, rendered headlessly) and tables for experiment reports. */
export * from './figure-types.js';
export { barChart, forestPlot, heatmap, lineChart, scatterChart } from './plot.js';
export { barChartSpec, forestPlotSpec, forestTicks, FOREST_ROW_HEIGHT, heatmapSpec, lineChartSpec, scatterChartSpec, axisTitle, fitEndpoints, formatGridValue, discreteColors, referenceLayers, verticalReferenceLayers, VEGA_LITE_SCHEMA } from './specs.js';
export { renderVegaLite, type RenderResult } from './render.js';
export { formatFixed, formatMeanStd, formatSigned, markdownTable, meanStd, type ColumnAlign, type MarkdownTableOptions, type MeanStd, type TableCell } from './table.js';
export { writeFigure, pngPathOf, FIGURE_EXTENSION, type WriteFigureOptions } from './write.js';
export { svgToPng, setPngDpi, pngInfo, crc32 } from './png.js';
export { htmlReport, escapeHtml, svgSize, REPORT_CSP, type HtmlFigure, type HtmlReportOptions, type HtmlTable } from './html.js';
export { MAX_LEVELS } from './validate.js';
