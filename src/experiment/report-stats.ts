/**
 * The statistics of a study's comparison tables, from `results.json` alone: every row compares
 * two arms paired by seed (KD against label-only per student, KD from each teacher bond χ_T
 * against label-only, KD against label-only at each hardware point) with the paired difference
 * and its 95% CI, the paired t-test and Wilcoxon signed-rank p-values, the t-test p Holm-corrected
 * across the rows of the table, n, the smallest detectable difference (α = 0.05, power 0.8) and
 * a verdict; and the gap check: by default the teacher's validation accuracy minus the label-only
 * student's, paired by seed, with rows at or above {@link MIN_GAP} marked "room to distil" and
 * rows under it "no room to distil" (a table may measure the gap on its own metric: {@link GapSpec}).
 *
 * Constant differences (the same Δ in every seed, zero included) follow one convention in every
 * table: the t-test p is "– (Δ constant)" (no t statistic at SD 0), the CI is [Δ, Δ], the Wilcoxon p
 * carries its method (normal approximation for one non-zero Δ; 1 for all-zero Δ, labelled
 * "all Δ = 0: nothing to rank"), Holm takes the Wilcoxon p, and all-zero Δ is "no detectable
 * difference". No cell prints `undefined` or `NaN`.
 */
import { formatSigned, type TableCell } from '../report/index.js';
import { ALPHA, compareTable, POWER, type TableComparison } from '../stats/index.js';
import type { RunRecord } from './runner.js';

/**
 * A teacher − label-only gap below this leaves KD nothing to add: 0.03 in validation accuracy
 * (the default gap check) and in h/J for the phase studies' transition table (a fraction either way).
 */
export const MIN_GAP = 0.03;

/**
 * What a table's gap check measures: the teacher's `metric` minus the label-only student's, paired
 * by seed (larger = better), with `min` the smallest gap that leaves KD something to add.
 */
export interface GapSpec {
  metric: (r: RunRecord) => number | null | undefined;
  /** The gap column's header, naming the metric. */
  header: string;
  /** The sentence under the table that explains the gap check. */
  note: string;
  min: number;
}

/** The default gap check: validation accuracy, {@link MIN_GAP}. */
export const VAL_ACCURACY_GAP: GapSpec = {
  metric: (r) => r.final.val_accuracy,
  header: 'teacher − label-only (val)',
  note: `The gap check is the teacher's validation accuracy minus the label-only student's (mean over seeds): "room to distil" at ${MIN_GAP} or more, "no room to distil" below.`,
  min: MIN_GAP,
};

/** One row to compare: arm `a` against arm `b` on `metric`, paired by seed. */
export interface ComparisonInput {
  /** The row's name in the table (a student, a χ_T, a hardware point). */
  label: string;
  a: RunRecord[];
  b: RunRecord[];
  metric: (r: RunRecord) => number | null | undefined;
  /** Gap check: the teacher runs and the label-only student runs, compared by seed on the table's {@link GapSpec} metric. */
  gap?: { teacher: RunRecord[]; student: RunRecord[] };
  /** The row's place in the table's difference figure: its x category (default `label`) and legend entry (default {@link DEFAULT_SERIES}). */
  category?: string;
  series?: string;
}

/** What a comparison table's difference figure shows ({@link DifferenceFigure}): its file name and value axis. */
export interface DifferenceFigureOptions {
  /** File name without extension, e.g. `differences-kd` (unique within a study's figures). */
  name: string;
  /** A short title (the study's name goes before it); the table's heading is too long for one line. */
  title: string;
  /** The value axis title, e.g. "Δ test accuracy (method − label-only)". */
  y: string;
  /** The category axis title, e.g. "student". */
  x: string;
}

/** The legend entry of a difference-figure row that names no series. */
export const DEFAULT_SERIES = 'Δ';

/** The points of a comparison table's difference figure: Δ mean and its 95% CI per row. */
export interface DifferenceFigure extends DifferenceFigureOptions {
  points: { category: string; series: string; mean: number; ci95: [number, number] | null; n: number }[];
}

/** The numbers of one row, as written to `statistics.json`. */
export interface ComparisonStatistics extends TableComparison {
  label: string;
  /** The seeds paired, in order. */
  seeds: string[];
  /** Seeds where a − b > 0. */
  aBetter: number;
  /** Mean over seeds of teacher − label-only student on the table's gap metric (validation accuracy by default), with its n; null without a teacher. */
  gap: { mean: number; n: number } | null;
  /** gap ≥ the table's minimum ({@link MIN_GAP} by default); null without a gap. */
  roomToDistil: boolean | null;
}

/** A comparison table: what `table.md` shows and what `statistics.json` keeps. */
export interface ComparisonTable {
  heading: string;
  headers: string[];
  rows: TableCell[][];
  statistics: ComparisonStatistics[];
  /** What the columns mean, printed under the table. */
  note: string;
  /** The rows as a figure (Δ with its CI), when the table asked for one. */
  figure?: DifferenceFigure;
}

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Values of `f` for the seeds both arms have (each seed once, in `a`'s order). */
export function pairBySeed(a: RunRecord[], b: RunRecord[], f: (r: RunRecord) => number | null | undefined): { seeds: string[]; a: number[]; b: number[] } {
  const out = { seeds: [] as string[], a: [] as number[], b: [] as number[] };
  for (const x of a) {
    const s = String(x.seed);
    if (out.seeds.includes(s)) continue;
    const y = b.find((r) => String(r.seed) === s);
    const u = f(x), v = y ? f(y) : null;
    if (num(u) && num(v)) { out.seeds.push(s); out.a.push(u); out.b.push(v); }
  }
  return out;
}

/** A p-value for a table: two significant digits, scientific below 1e-3; '–' when none. */
export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '–';
  if (p === 0) return '0';
  return p < 1e-3 ? p.toExponential(1) : p.toPrecision(2);
}
const signed = (x: number) => formatSigned(x, 3);

/** The gap-check cell: whether the teacher leaves room to distil ({@link ComparisonStatistics.roomToDistil}). */
export function gapCheckCell(room: boolean | null): string {
  return room === null ? '–' : room ? 'room to distil' : 'no room to distil';
}

/** The words after a Wilcoxon p-value, naming how it was computed. */
const WILCOXON_LABEL: Record<NonNullable<TableComparison['wilcoxonMethod']>, string> = { exact: 'exact', normal: 'normal', 'all-zero': 'all Δ = 0: nothing to rank' };

/** The statistic cells of a row (Δ mean … Holm p), with constant Δ (zero included) shown by the module's one convention. */
export function comparisonCells(s: TableComparison): { meanDiff: string; ci: string; pT: string; pWilcoxon: string; pHolm: string; mde: string } {
  const constant = s.n >= 2 && s.sdDiff === 0;
  return {
    meanDiff: signed(s.meanDiff),
    ci: s.ci95 ? `[${signed(s.ci95[0])}, ${signed(s.ci95[1])}]` : constant ? `[${signed(s.meanDiff)}, ${signed(s.meanDiff)}] (Δ constant)` : '–',
    pT: constant && s.pT === null ? '– (Δ constant)' : formatP(s.pT),
    pWilcoxon: s.pWilcoxon === null || s.wilcoxonMethod === null ? '–' : `${formatP(s.pWilcoxon)} (${WILCOXON_LABEL[s.wilcoxonMethod]})`,
    pHolm: s.test === 'wilcoxon' ? `${formatP(s.pHolm)} (Wilcoxon)` : formatP(s.pHolm),
    mde: s.mde === null || !Number.isFinite(s.mde) ? '–' : constant ? '0 (Δ constant: no spread to test against)' : s.mde.toFixed(3),
  };
}

/**
 * The statistics of every row and the table's cells: columns as {@link comparisonHeaders}.
 * `what` names arm a in the "better in" column (e.g. "KD"). The two gap-check columns appear
 * only when some input carries a gap (a table of another kind, e.g. E7's robustness, has none);
 * `gapSpec` says what they measure (default: validation accuracy). With `figure`, the table also
 * carries its rows as a difference figure (Δ and its 95% CI per row; `differenceFigures`).
 */
export function comparisonTable(heading: string, first: string, what: string, inputs: ComparisonInput[], gapSpec: GapSpec = VAL_ACCURACY_GAP, figure?: DifferenceFigureOptions): ComparisonTable | null {
  const paired = inputs.map((i) => ({ input: i, p: pairBySeed(i.a, i.b, i.metric) })).filter((x) => x.p.seeds.length > 0);
  if (!paired.length) return null;
  const cs = compareTable(paired.map((x) => ({ a: x.p.a, b: x.p.b })));
  const statistics: ComparisonStatistics[] = paired.map(({ input, p }, k) => {
    let gap: ComparisonStatistics['gap'] = null;
    if (input.gap) {
      const g = pairBySeed(input.gap.teacher, input.gap.student, gapSpec.metric);
      if (g.seeds.length) gap = { mean: g.a.reduce((s, t, i) => s + t - g.b[i]!, 0) / g.seeds.length, n: g.seeds.length };
    }
    return { label: input.label, seeds: p.seeds, aBetter: p.a.filter((x, i) => x - p.b[i]! > 0).length, ...cs[k]!, gap, roomToDistil: gap ? gap.mean >= gapSpec.min : null };
  });
  const withGap = paired.some((x) => x.input.gap);
  const rows: TableCell[][] = statistics.map((s) => {
    const c = comparisonCells(s);
    return [
      s.label, s.n, c.meanDiff, c.ci, c.pT, c.pWilcoxon, c.pHolm, c.mde, s.n < 2 ? `${s.verdict} (n < 2: no test)` : s.verdict, `${s.aBetter}/${s.n}`,
      ...(withGap ? [s.gap ? `${signed(s.gap.mean)} (n = ${s.gap.n})` : '–', gapCheckCell(s.roomToDistil)] : []),
    ];
  });
  const headers = comparisonHeaders(first, what, withGap ? gapSpec.header : null);
  const note = withGap ? `${COMPARISON_NOTE_NO_GAP} ${gapSpec.note}` : COMPARISON_NOTE_NO_GAP;
  if (!figure) return { heading, headers, rows, statistics, note };
  const points = statistics.map((s, k) => ({ category: paired[k]!.input.category ?? s.label, series: paired[k]!.input.series ?? DEFAULT_SERIES, mean: s.meanDiff, ci95: s.ci95, n: s.n }));
  return { heading, headers, rows, statistics, note, figure: { ...figure, points } };
}

/** Column headers of a comparison table; the two gap-check columns only with a `gapHeader` (default: the validation-accuracy gap's). */
export function comparisonHeaders(first: string, what: string, gapHeader: string | null = VAL_ACCURACY_GAP.header): string[] {
  return [first, 'n (seeds)', 'Δ mean', '95% CI of Δ (t)', 't-test p', 'Wilcoxon p', 'Holm p',
    `smallest detectable Δ (α = ${ALPHA}, power ${POWER})`, 'verdict (Holm p < 0.05)', `seeds where ${what} is better`,
    ...(gapHeader !== null ? [gapHeader, 'gap check'] : [])];
}
/** The note under a comparison table without gap-check columns (e.g. E7's robustness table): what the columns mean. */
export const COMPARISON_NOTE_NO_GAP = `Δ is arm a − arm b per seed (paired); the CI is Student's t; "Wilcoxon p" is the signed-rank test with zero differences dropped (exact without ties or zero differences, else the normal approximation with continuity correction; 1 when every difference is zero, nothing being left to rank); Holm corrects the t-test p-values across the rows of the table. Where every difference is the same, zero included, the t-test has no value (SD 0: "– (Δ constant)"), the CI is [Δ, Δ] and Holm takes the Wilcoxon p; the verdict is better / worse when the corrected p < ${ALPHA}. The smallest detectable Δ is (t₀.₉₇₅,ₙ₋₁ + t₀.₈,ₙ₋₁)·s/√n for the observed SD s of Δ.`;
