/**
 * Difference figures of a study's comparison tables: per table that asks for one, a forest plot of
 * the paired difference Δ (arm a − arm b, mean over seeds) of every row with its 95% Student-t
 * confidence interval, and a dashed line at Δ = 0. A referee reads the size of
 * each effect and its uncertainty at a glance; the table beside it gives the corrected tests.
 */
import { forestPlot, type Uncertainty } from '../report/index.js';
import { DEFAULT_SERIES, type ComparisonTable, type DifferenceFigure } from './report-stats.js';

/** The subtitle of a figure whose every point rests on one seed. */
export const ONE_SEED_NOTE = 'one seed (n = 1): no error bars';

/**
 * Why some rows of a difference figure have no interval, as a subtitle line, or undefined when
 * every row has one: a row with one seed (n = 1) has no CI, and neither has a row whose Δ is the
 * same on every seed, zero included (no spread: the t interval collapses to a point; the table's
 * CI column shows '–' for the first and "[Δ, Δ] (Δ constant)" for the second). With every row on one
 * seed it is {@link ONE_SEED_NOTE}, as on the report's other figures.
 * @example noIntervalNote([{ n: 1, ci95: null }, { n: 3, ci95: [0, 1] }]) // "points without an interval: one seed, n = 1 (1 table row)"
 */
export function noIntervalNote(points: readonly { n: number; ci95: [number, number] | null }[]): string | undefined {
  const none = points.filter((p) => p.ci95 === null);
  if (!none.length) return undefined;
  const count = (k: number) => (k === points.length && k > 1 ? 'every table row' : `${k} table row${k === 1 ? '' : 's'}`);
  const one = none.filter((p) => p.n < 2).length;
  // every row on one seed: the words every other figure of a one-seed report uses
  if (one === points.length) return ONE_SEED_NOTE;
  const flat = none.length - one;
  const why = [one ? `one seed, n = 1 (${count(one)})` : null, flat ? `Δ the same on every seed, no spread (${count(flat)})` : null].filter((x) => x !== null);
  return `${none.length === points.length ? 'no intervals' : 'points without an interval'}: ${why.join('; ')}`;
}

/**
 * One figure per table in `tables` that carries a {@link DifferenceFigure}: a forest plot with one
 * row per category (in order of first appearance, top to bottom), one colour per series (e.g. KD,
 * kd-transfer, pseudo; legend "method"), the mean Δ as a point and its 95% CI as a line where the
 * row has one (n ≥ 2 and some spread), a dashed line at Δ = 0; the subtitle gives n of the
 * intervals and why the other rows have none ({@link noIntervalNote}), and so does the caption.
 * `title` prefixes each figure's title (the study's name). Tables without a figure, or whose
 * figure has no rows, give none.
 */
export async function differenceFigures(tables: readonly ComparisonTable[], title: string): Promise<{ name: string; svg: string; caption: string }[]> {
  const out: { name: string; svg: string; caption: string }[] = [];
  for (const t of tables) {
    const f: DifferenceFigure | undefined = t.figure;
    if (!f || !f.points.length) continue;
    const rows = [...new Set(f.points.map((p) => p.category))];
    const series = [...new Set(f.points.map((p) => p.series))];
    const at = (c: string, s: string) => f.points.find((p) => p.category === c && p.series === s) ?? null;
    const ns = f.points.filter((p) => p.ci95 !== null).map((p) => p.n);
    const uncertainty: Uncertainty | undefined = ns.length ? { kind: 'ci95', n: [Math.min(...ns), Math.max(...ns)] } : undefined;
    const missing = noIntervalNote(f.points);
    const svg = await forestPlot({
      title: `${title}: ${f.title}`,
      ...(uncertainty ? { uncertainty } : {}),
      ...(missing ? { subtitle: missing } : {}),
      rows,
      yLabel: f.x,
      x: { label: f.y },
      // the series are the methods compared with label-only; a table without series has the one "Δ"
      legendTitle: series.length === 1 && series[0] === DEFAULT_SERIES ? 'difference' : 'method',
      xReferences: [{ x: 0, label: 'no difference' }],
      series: series.map((s) => ({
        name: s,
        points: rows.map((c) => {
          const p = at(c, s);
          if (!p) return null;
          // the CI is about the mean; guard the last bit so that lo ≤ mean ≤ hi holds exactly
          return p.ci95 ? { value: p.mean, lo: Math.min(p.ci95[0], p.mean), hi: Math.max(p.ci95[1], p.mean) } : { value: p.mean };
        }),
      })),
    });
    const drawn = ns.length ? 'the mean paired difference per row (point) with its 95% confidence interval (line; Student t over the seeds)' : 'the mean paired difference per row (point)';
    out.push({ name: f.name, svg, caption: `${t.heading}: ${drawn}${missing ? `; ${missing}` : ''}; the table gives the tests, Holm-corrected across its rows.` });
  }
  return out;
}
