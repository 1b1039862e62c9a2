/**
 * Boundary checks of the figure layer (STYLE.md §6): each chart's input is checked once, before
 * any spec is built, and every failure names the field and carries the value, e.g.
 * `lineChart: series[1].points[3].y must be a finite number, got NaN`.
 * The spec builders in `specs.ts` trust what passes.
 */
import type {
  AxisOptions,
  AxisScale,
  BarChartOptions,
  FigureBase,
  ForestPlotOptions,
  GridAxis,
  HeatmapOptions,
  LineChartOptions,
  ReferenceLine,
  VerticalReferenceLine,
  ScatterChartOptions,
  Series,
  Uncertainty,
} from './figure-types.js';
import { MAX_FIGURE_PX, UNCERTAINTY_TEXT } from './figure-types.js';

function fail(chart: string, field: string, what: string, value: unknown): never {
  throw new Error(`${chart}: ${field} ${what}, got ${show(value)}`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'number' || value === undefined || value === null) return String(value);
  return typeof value;
}

function checkString(chart: string, field: string, v: unknown): void {
  if (typeof v !== 'string' || v.trim() === '') fail(chart, field, 'must be a non-empty string', v);
}

function checkOptionalString(chart: string, field: string, v: unknown): void {
  if (v !== undefined) checkString(chart, field, v);
}

function checkArray(chart: string, field: string, v: unknown, minLength: number): asserts v is unknown[] {
  if (!Array.isArray(v)) fail(chart, field, 'must be an array', v);
  if (v.length < minLength) fail(chart, field, `must have at least ${minLength} element${minLength === 1 ? '' : 's'}`, v);
}

function checkFinite(chart: string, field: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(chart, field, 'must be a finite number', v);
}

/** A value on a log axis must be > 0; `axis` names the axis for the message. */
function checkOnScale(chart: string, field: string, v: number, scale: AxisScale, axis: string): void {
  if (scale === 'log' && !(v > 0)) fail(chart, field, `must be > 0 on the log ${axis} axis`, v);
}

function checkUnique(chart: string, field: string, names: readonly string[]): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) fail(chart, `${field}[${i}]`, 'must be unique', n);
    seen.add(n);
  });
}

function checkScale(chart: string, field: string, v: unknown): void {
  if (v !== undefined && v !== 'linear' && v !== 'log') fail(chart, field, "must be 'linear' or 'log'", v);
}

/** Is `v` a plain object (not null, not an array)? */
function isRecord(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The options object itself, its title, subtitle and size (bounded: a huge size exhausts memory while rendering). */
function checkBase(chart: string, o: FigureBase): void {
  if (!isRecord(o)) fail(chart, 'options', 'must be an object', o);
  checkString(chart, 'title', o.title);
  checkOptionalString(chart, 'subtitle', o.subtitle);
  for (const key of ['width', 'height'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 10 && v <= MAX_FIGURE_PX)) fail(chart, key, `must be an integer in [10, ${MAX_FIGURE_PX}] (px)`, v);
  }
}

function checkAxis(chart: string, field: string, a: AxisOptions | undefined): void {
  if (typeof a !== 'object' || a === null) fail(chart, field, 'must be an object { label, unit?, scale? }', a);
  checkString(chart, `${field}.label`, a.label);
  checkOptionalString(chart, `${field}.unit`, a.unit);
  checkScale(chart, `${field}.scale`, a.scale);
  if (a.integer !== undefined && typeof a.integer !== 'boolean') fail(chart, `${field}.integer`, 'must be true or false', a.integer);
}

/**
 * `uncertainty` must be given when the chart draws bands or error bars (`drawn`), and be a
 * known kind with a positive integer sample size (or an ordered [fewest, most] pair).
 */
function checkUncertainty(chart: string, u: Uncertainty | undefined, drawn: string | undefined): void {
  if (u === undefined) {
    if (drawn !== undefined) fail(chart, 'uncertainty', `must say what the ${drawn} show ({ kind: 'std' | 'sem' | 'ci95' | 'range', n })`, u);
    return;
  }
  if (typeof u !== 'object' || u === null) fail(chart, 'uncertainty', 'must be an object { kind, n, of? }', u);
  if (!Object.hasOwn(UNCERTAINTY_TEXT, u.kind)) fail(chart, 'uncertainty.kind', "must be 'std', 'sem', 'ci95' or 'range'", u.kind);
  const count = (field: string, v: unknown) => {
    if (!(Number.isInteger(v) && (v as number) >= 1)) fail(chart, field, 'must be an integer ≥ 1', v);
  };
  if (Array.isArray(u.n)) {
    if (u.n.length !== 2) fail(chart, 'uncertainty.n', 'must be an integer or a pair [fewest, most]', u.n);
    count('uncertainty.n[0]', u.n[0]);
    count('uncertainty.n[1]', u.n[1]);
    if (u.n[0] > u.n[1]) fail(chart, 'uncertainty.n[0]', `must be ≤ n[1] (${u.n[1]})`, u.n[0]);
  } else count('uncertainty.n', u.n);
  checkOptionalString(chart, 'uncertainty.of', u.of);
}

/** Checks horizontal (`references`, at y) or vertical (`xReferences`, at x) reference lines. */
function checkRefLines(chart: string, field: 'references' | 'xReferences', refs: readonly (ReferenceLine | VerticalReferenceLine)[] | undefined, scale: AxisScale): void {
  if (refs === undefined) return;
  const pos = field === 'references' ? 'y' : 'x';
  checkArray(chart, field, refs, 0);
  refs.forEach((r, i) => {
    const f = `${field}[${i}]`;
    if (typeof r !== 'object' || r === null) fail(chart, f, `must be an object { ${pos}, label }`, r);
    const v = (r as unknown as Record<string, number>)[pos]!;
    checkFinite(chart, `${f}.${pos}`, v);
    checkOnScale(chart, `${f}.${pos}`, v, scale, pos);
    checkString(chart, `${f}.label`, r.label);
  });
}

/** Checks the series list shared by line and scatter charts; `bands` says whether lo/hi are read. */
function checkSeries(chart: string, series: readonly Series[], x: AxisOptions, y: AxisOptions, bands: boolean): void {
  checkArray(chart, 'series', series, 1);
  const xs = x.scale ?? 'linear';
  const ys = y.scale ?? 'linear';
  series.forEach((s, i) => {
    const f = `series[${i}]`;
    if (typeof s !== 'object' || s === null) fail(chart, f, 'must be an object { name, points }', s);
    checkString(chart, `${f}.name`, s.name);
    checkArray(chart, `${f}.points`, s.points, 1);
    s.points.forEach((p, j) => {
      const pf = `${f}.points[${j}]`;
      if (typeof p !== 'object' || p === null) fail(chart, pf, 'must be an object { x, y, lo?, hi? }', p);
      checkFinite(chart, `${pf}.x`, p.x);
      checkFinite(chart, `${pf}.y`, p.y);
      checkOnScale(chart, `${pf}.x`, p.x, xs, 'x');
      checkOnScale(chart, `${pf}.y`, p.y, ys, 'y');
      if (!bands) return;
      if ((p.lo === undefined) !== (p.hi === undefined)) {
        fail(chart, `${pf}.${p.lo === undefined ? 'lo' : 'hi'}`, `must be given together with ${p.lo === undefined ? 'hi' : 'lo'}`, undefined);
      }
      if (p.lo === undefined || p.hi === undefined) return;
      checkFinite(chart, `${pf}.lo`, p.lo);
      checkFinite(chart, `${pf}.hi`, p.hi);
      if (p.lo > p.hi) fail(chart, `${pf}.lo`, `must be ≤ hi (${p.hi})`, p.lo);
      checkOnScale(chart, `${pf}.lo`, p.lo, ys, 'y');
    });
  });
  checkUnique(chart, 'series.name', series.map((s) => s.name));
}

/** Throws an Error naming the offending field if `o` is not a valid {@link LineChartOptions}. */
export function validateLineChart(o: LineChartOptions): void {
  const chart = 'lineChart';
  checkBase(chart, o);
  checkAxis(chart, 'x', o.x);
  checkAxis(chart, 'y', o.y);
  checkString(chart, 'legendTitle', o.legendTitle);
  checkSeries(chart, o.series, o.x, o.y, true);
  checkUncertainty(chart, o.uncertainty, o.series.some((s) => s.points.some((p) => p.lo !== undefined)) ? 'bands' : undefined);
  checkRefLines(chart, 'references', o.references, o.y.scale ?? 'linear');
  checkRefLines(chart, 'xReferences', o.xReferences, o.x.scale ?? 'linear');
  if (o.distinctStrokes !== undefined && typeof o.distinctStrokes !== 'boolean') fail(chart, 'distinctStrokes', 'must be true or false', o.distinctStrokes);
}

/** Throws an Error naming the offending field if `o` is not a valid {@link ScatterChartOptions}. */
export function validateScatterChart(o: ScatterChartOptions): void {
  const chart = 'scatterChart';
  checkBase(chart, o);
  checkAxis(chart, 'x', o.x);
  checkAxis(chart, 'y', o.y);
  checkString(chart, 'legendTitle', o.legendTitle);
  checkSeries(chart, o.series, o.x, o.y, false);
  o.series.forEach((s, i) => {
    if (s.fit === undefined) return;
    if (!isRecord(s.fit)) fail(chart, `series[${i}].fit`, 'must be an object { slope, intercept }', s.fit);
    checkFinite(chart, `series[${i}].fit.slope`, s.fit.slope);
    checkFinite(chart, `series[${i}].fit.intercept`, s.fit.intercept);
  });
}

/** Throws an Error naming the offending field if `o` is not a valid {@link BarChartOptions}. */
export function validateBarChart(o: BarChartOptions): void {
  const chart = 'barChart';
  checkBase(chart, o);
  checkAxis(chart, 'y', o.y);
  checkOptionalString(chart, 'xLabel', o.xLabel);
  checkString(chart, 'legendTitle', o.legendTitle);
  checkArray(chart, 'categories', o.categories, 1);
  o.categories.forEach((c, i) => checkString(chart, `categories[${i}]`, c));
  checkUnique(chart, 'categories', o.categories);
  checkArray(chart, 'groups', o.groups, 1);
  const n = o.categories.length;
  const ys = o.y.scale ?? 'linear';
  o.groups.forEach((g, i) => {
    const f = `groups[${i}]`;
    if (typeof g !== 'object' || g === null) fail(chart, f, 'must be an object { name, values, errors? }', g);
    checkString(chart, `${f}.name`, g.name);
    checkArray(chart, `${f}.values`, g.values, 0);
    if (g.values.length !== n) fail(chart, `${f}.values.length`, `must equal categories.length (${n})`, g.values.length);
    g.values.forEach((v, j) => {
      if (v === null) return;
      checkFinite(chart, `${f}.values[${j}]`, v);
      checkOnScale(chart, `${f}.values[${j}]`, v, ys, 'y');
    });
    if (g.errors === undefined) return;
    checkArray(chart, `${f}.errors`, g.errors, 0);
    if (g.errors.length !== n) fail(chart, `${f}.errors.length`, `must equal categories.length (${n})`, g.errors.length);
    g.errors.forEach((e, j) => {
      if (e === null) return;
      if (g.values[j] === null) fail(chart, `${f}.errors[${j}]`, `must be null where values[${j}] is null (no bar)`, e);
      checkFinite(chart, `${f}.errors[${j}]`, e);
      if (e < 0) fail(chart, `${f}.errors[${j}]`, 'must be ≥ 0', e);
      const lower = (g.values[j] as number) - e;
      if (ys === 'log' && !(lower > 0)) {
        fail(chart, `${f}.errors[${j}]`, `must leave values[${j}] − error > 0 on the log y axis (values[${j}] = ${g.values[j]})`, e);
      }
    });
  });
  checkUnique(chart, 'groups.name', o.groups.map((g) => g.name));
  if (o.groups.every((g) => g.values.every((v) => v === null))) fail(chart, 'groups[*].values', 'must hold at least one value (not null): there is nothing to draw', 'null everywhere');
  checkUncertainty(chart, o.uncertainty, o.groups.some((g) => g.errors?.some((e, j) => e !== null && g.values[j] !== null)) ? 'error bars' : undefined);
  checkRefLines(chart, 'references', o.references, ys);
}

function checkGridAxis(chart: string, field: string, a: GridAxis | undefined): void {
  if (typeof a !== 'object' || a === null) fail(chart, field, 'must be an object { label, unit?, values }', a);
  checkString(chart, `${field}.label`, a.label);
  checkOptionalString(chart, `${field}.unit`, a.unit);
  checkArray(chart, `${field}.values`, a.values, 1);
  a.values.forEach((v, i) => checkFinite(chart, `${field}.values[${i}]`, v));
  checkUnique(chart, `${field}.values`, a.values.map(String));
}

/** Throws an Error naming the offending field if `o` is not a valid {@link HeatmapOptions}. */
export function validateHeatmap(o: HeatmapOptions): void {
  const chart = 'heatmap';
  checkBase(chart, o);
  checkGridAxis(chart, 'x', o.x);
  checkGridAxis(chart, 'y', o.y);
  checkString(chart, 'colorLabel', o.colorLabel);
  checkScale(chart, 'colorScale', o.colorScale);
  if (o.colorDomain !== undefined) {
    checkArray(chart, 'colorDomain', o.colorDomain, 2);
    if (o.colorDomain.length !== 2) fail(chart, 'colorDomain', 'must be a pair [min, max]', o.colorDomain);
    checkFinite(chart, 'colorDomain[0]', o.colorDomain[0]);
    checkFinite(chart, 'colorDomain[1]', o.colorDomain[1]);
    if (!(o.colorDomain[0] < o.colorDomain[1])) fail(chart, 'colorDomain[0]', `must be < colorDomain[1] (${o.colorDomain[1]})`, o.colorDomain[0]);
    checkOnScale(chart, 'colorDomain[0]', o.colorDomain[0], o.colorScale ?? 'linear', 'colour');
  }
  const nx = o.x.values.length;
  const ny = o.y.values.length;
  checkArray(chart, 'cells', o.cells, 0);
  if (o.cells.length !== ny) fail(chart, 'cells.length', `must equal y.values.length (${ny})`, o.cells.length);
  const cs = o.colorScale ?? 'linear';
  o.cells.forEach((row, iy) => {
    checkArray(chart, `cells[${iy}]`, row, 0);
    if (row.length !== nx) fail(chart, `cells[${iy}].length`, `must equal x.values.length (${nx})`, row.length);
    row.forEach((v, ix) => {
      checkFinite(chart, `cells[${iy}][${ix}]`, v);
      if (o.levels === undefined) checkOnScale(chart, `cells[${iy}][${ix}]`, v, cs, 'colour');
    });
  });
  if (o.levels === undefined) return;
  checkArray(chart, 'levels', o.levels, 1);
  if (o.levels.length > MAX_LEVELS) fail(chart, 'levels', `must have at most ${MAX_LEVELS} elements (a discrete scale of distinguishable colours)`, o.levels);
  o.levels.forEach((l, i) => {
    if (typeof l !== 'object' || l === null) fail(chart, `levels[${i}]`, 'must be an object { value, label }', l);
    checkFinite(chart, `levels[${i}].value`, l.value);
    checkString(chart, `levels[${i}].label`, l.label);
  });
  checkUnique(chart, 'levels.value', o.levels.map((l) => String(l.value)));
  checkUnique(chart, 'levels.label', o.levels.map((l) => l.label));
  const allowed = new Set(o.levels.map((l) => l.value));
  o.cells.forEach((row, iy) => row.forEach((v, ix) => {
    if (!allowed.has(v)) fail(chart, `cells[${iy}][${ix}]`, `must equal one of the levels' values (${[...allowed].join(', ')})`, v);
  }));
}

/** Most colours of a discrete heatmap scale. */
export const MAX_LEVELS = 11;

/** Checks {@link ForestPlotOptions}: unique rows, one point (or null) per row in every series, lo ≤ value ≤ hi, and `uncertainty` when intervals are drawn. */
export function validateForestPlot(o: ForestPlotOptions): void {
  const chart = 'forestPlot';
  checkBase(chart, o);
  checkAxis(chart, 'x', o.x);
  checkOptionalString(chart, 'yLabel', o.yLabel);
  checkString(chart, 'legendTitle', o.legendTitle);
  checkArray(chart, 'rows', o.rows, 1);
  o.rows.forEach((r, i) => checkString(chart, `rows[${i}]`, r));
  checkUnique(chart, 'rows', o.rows);
  checkArray(chart, 'series', o.series, 1);
  const xs = o.x.scale ?? 'linear';
  let intervals = false;
  o.series.forEach((s, i) => {
    const f = `series[${i}]`;
    if (!isRecord(s)) fail(chart, f, 'must be an object { name, points }', s);
    checkString(chart, `${f}.name`, s.name);
    checkArray(chart, `${f}.points`, s.points, 0);
    if (s.points.length !== o.rows.length) fail(chart, `${f}.points.length`, `must equal rows.length (${o.rows.length})`, s.points.length);
    s.points.forEach((p, j) => {
      if (p === null) return;
      const g = `${f}.points[${j}]`;
      if (!isRecord(p)) fail(chart, g, 'must be an object { value, lo?, hi? } or null', p);
      checkFinite(chart, `${g}.value`, p.value);
      checkOnScale(chart, `${g}.value`, p.value, xs, 'x');
      if ((p.lo === undefined) !== (p.hi === undefined)) {
        fail(chart, `${g}.${p.lo === undefined ? 'lo' : 'hi'}`, `must be given together with ${p.lo === undefined ? 'hi' : 'lo'}`, undefined);
      }
      if (p.lo === undefined || p.hi === undefined) return;
      intervals = true;
      checkFinite(chart, `${g}.lo`, p.lo);
      checkFinite(chart, `${g}.hi`, p.hi);
      checkOnScale(chart, `${g}.lo`, p.lo, xs, 'x');
      if (!(p.lo <= p.value)) fail(chart, `${g}.lo`, `must be ≤ value (${p.value})`, p.lo);
      if (!(p.value <= p.hi)) fail(chart, `${g}.hi`, `must be ≥ value (${p.value})`, p.hi);
    });
  });
  checkUnique(chart, 'series.name', o.series.map((s) => s.name));
  if (o.series.every((s) => s.points.every((p) => p === null))) fail(chart, 'series[*].points', 'must hold at least one estimate (not null): there is nothing to draw', 'null in every row');
  checkUncertainty(chart, o.uncertainty, intervals ? 'intervals' : undefined);
  checkRefLines(chart, 'xReferences', o.xReferences, xs);
}
