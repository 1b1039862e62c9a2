/**
 * Difference figures of a study's comparison tables: per table that asks for one, a forest plot of
 * the paired difference Δ (arm a − arm b, mean over seeds) of every row with its 95% Student-t
 * confidence interval, and a dashed line at Δ = 0. A referee reads the size of
 * each effect and its uncertainty at a glance; the table beside it gives the corrected tests.
 */
import { forestPlot, type Uncertainty } from '../report/index.js';
import type { ComparisonTable, DifferenceFigure } from './report-stats.js';

/**
 * One figure per table in `tables` that carries a {@link DifferenceFigure}: a forest plot with one
 * row per category (in order of first appearance, top to bottom), one colour per series (e.g. KD,
 * kd-transfer, pseudo), the mean Δ as a point and its 95% CI as a line where the row has one
 * (n ≥ 2), a dashed line at Δ = 0, the caption naming n. `title` prefixes each figure's title (the
 * study's name). Tables without a figure, or whose figure has no rows, give none.
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
    const svg = await forestPlot({
      title: `${title}: ${t.heading.replace(/ \(.*$/, '')}`,
      ...(uncertainty ? { uncertainty } : { subtitle: Math.max(...f.points.map((p) => p.n)) <= 1 ? 'one seed (n = 1): no error bars' : 'no row has an interval: no error bars' }),
      rows,
      yLabel: f.x,
      x: { label: f.y },
      legendTitle: series.length > 1 ? 'method' : 'difference',
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
    out.push({ name: f.name, svg, caption: `${t.heading}: the mean paired difference per row (point) with its 95% confidence interval (line; Student t over the seeds); the table gives the tests, Holm-corrected across its rows.` });
  }
  return out;
}
