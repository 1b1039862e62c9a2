/**
 * Tables and figures of an experiment, made from `results.json` alone (never re-running
 * anything): `table.md` with mean ± std over seeds and the paired comparisons (KD against
 * label-only, each with its tests, Holm correction, verdict and gap check: `report-stats.ts`),
 * self-distillation as time-to-event (`report-convergence.ts`), the smallest student reaching
 * the target of the student-size sweep (`student-size.ts`), figures as SVG and 300-dpi PNG
 * (accuracy bars, accuracy against student size, convergence curves with bands, time to
 * target, the teacher-bond sweep, phase diagrams), `statistics.json` with the numbers of every comparison, and `report.html` with all
 * of it on one page (`report-page.ts`).
 */
import { join } from 'node:path';
import { barChart, formatMeanStd, heatmap, lineChart, markdownTable, MAX_LEVELS, meanStd, pngPathOf, writeFigure, type ReferenceLine, type TableCell, type Uncertainty } from '../report/index.js';
import { writeFileAtomic } from '../infra/atomic.js';
import { hardwareComparisons, hardwareFigures, hardwareTable } from './hardware-report.js';
import { convergenceFigure, convergenceJson, convergenceStatistics, convergenceTable, KM_MEDIAN_NOTE } from './report-convergence.js';
import { comparisonTable, MIN_GAP, type ComparisonStatistics, type ComparisonTable, type GapSpec } from './report-stats.js';
import { studyReportHtml } from './report-page.js';
import { differenceFigures } from './difference-figures.js';
import { negTransitionError, phaseBoundaryFigures, phaseBoundaryReportTable } from './phase-boundary.js';
import type { ExperimentResults, RunRecord } from './runner.js';
import { TEACHER_METHODS, TRANSFER_METHODS, type StudentMethod } from './config.js';
import { kdChoiceCounts } from './kd-grid.js';
import { studentSizeFigure, studentSizeJson, studentSizeStatistics, studentSizeTables } from './student-size.js';
import { sweepStudentNames } from './student-sweep.js';

interface Group { role: string; name: string; method: string; chiT: number | null; point: string | null; runs: RunRecord[] }

function groups(runs: RunRecord[]): Group[] {
  const m = new Map<string, Group>();
  for (const r of runs) {
    const point = r.role === 'hardware' ? r.hardware?.point ?? null : null;
    const k = `${r.role}|${r.name}|${r.method}|${r.chiT}|${point}`;
    if (!m.has(k)) m.set(k, { role: r.role, name: r.name, method: r.method, chiT: r.chiT, point, runs: [] });
    m.get(k)!.runs.push(r);
  }
  return [...m.values()];
}
const vals = (rs: RunRecord[], f: (r: RunRecord) => number | null | undefined): number[] => rs.map(f).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
const ms = (v: number[], d = 3) => (v.length ? formatMeanStd(v, d) : '–');
/** mean ± std of possibly empty values (n = 0 gives NaN, filtered out by callers). */
const stat = (v: number[]) => (v.length ? meanStd(v) : { mean: NaN, std: NaN, n: 0 });

/** One table of the report: a heading and its rows, rendered to Markdown (`table.md`) and HTML (`report.html`). */
export interface ReportTable {
  heading: string;
  headers: string[];
  rows: TableCell[][];
  /** A line under the table in `table.md` (what its columns mean). */
  note?: string;
}

/** The title of a study's report and figures: its name, with "(quick)" for a quick run. */
export function reportTitle(res: ExperimentResults): string {
  return `${res.name}${res.quick ? ' (quick)' : ''}`;
}

/**
 * The paragraphs that open a report (table.md and report.html): the config's description and,
 * for a `--quick` run whose quick block does not give its own description, a line saying that
 * the description is the full study's and which fields the quick block overrides.
 */
export function reportIntro(res: ExperimentResults): string[] {
  const out = res.config.description ? [res.config.description] : [];
  const quick = res.config.quick;
  if (res.quick && !(quick && 'description' in quick)) {
    const keys = quick ? Object.keys(quick) : [];
    out.push(`This is the --quick variant: the description above is the full study's; the config's quick block overrides ${keys.length ? keys.map((k) => `\`${k}\``).join(', ') : 'nothing'}, and every table and figure below is from the quick settings.`);
  }
  return out;
}

/** Whether a run learned from the teacher's labels: a method that does (KD, kd-transfer, pseudo) or a teacher-bond run. */
/** The teacher-bond sweep's student in words: "KD student", "kd-transfer student", "pseudo student". */
function bondStudentLabel(res: ExperimentResults): string {
  const m = res.config.teacherBond?.method ?? 'kd';
  return `${m === 'kd' ? 'KD' : m} student`;
}

function learnsFromTeacher(r: Pick<RunRecord, 'role' | 'method'>): boolean {
  return r.role === 'bond' || TEACHER_METHODS.includes(r.method as StudentMethod);
}

/**
 * The χ_T cell of a run: the bond dimension at which the teacher produced the soft or hard labels
 * the run learned from, for every run that learns from the teacher (KD, kd-transfer, pseudo, the
 * teacher-bond sweep); 'no cap' for an untruncated teacher; '–' for a run that learns from no
 * teacher (label-only, self-distillation) and for the teacher itself. A run's own `chiT` is used
 * where recorded (KD and bond runs); kd-transfer and pseudo runs record null, and their labels
 * came from the teacher at its own bond cap (`teacher.model.maxBond`), as every non-bond KD run's do.
 */
export function teacherChiCell(r: Pick<RunRecord, 'role' | 'method' | 'chiT'>, config: ExperimentResults['config']): TableCell {
  if (!learnsFromTeacher(r)) return '–';
  // KD and bond runs record χ_T (null: no cap); the transfer methods record null whatever the cap
  const chi = r.chiT ?? (r.role !== 'bond' && TRANSFER_METHODS.includes(r.method as StudentMethod) ? config.teacher?.model.maxBond ?? null : null);
  return chi ?? 'no cap';
}

/** The final-accuracy table's note: what χ_T and χ (training) mean. */
export const FINAL_ACCURACY_NOTE = "χ_T is the bond dimension at which the teacher produced the soft or hard labels the row learned from (KD, kd-transfer, pseudo-labels, the teacher-bond sweep; 'no cap': untruncated); '–' for rows that learn from no teacher (label-only, self-distillation) and for the teacher itself. χ (training) is the row's own bond cap while it trained ('no cap': none). Teacher F is the fidelity estimate of the teacher's states behind those labels.";

/** The report's tables, in order: final accuracies, KD against label-only, self-distillation, teacher bond. */
export function reportTables(res: ExperimentResults): ReportTable[] {
  const gs = groups(res.runs);
  const out: ReportTable[] = [];
  out.push({
    heading: 'Final accuracy (mean ± std over seeds)',
    headers: ['role', 'model', 'method', 'χ_T', 'χ (training)', 'qubits', 'layers', 'params', 'test accuracy', 'val accuracy', 'teacher F (train, mean)', 'seconds'],
    rows: gs.filter((g) => g.role !== 'hardware').map((g) => {
      const r0 = g.runs[0]!;
      return [g.role, g.name, g.method, teacherChiCell(r0, res.config), r0.model.maxBond ?? 'no cap', r0.model.qubits, r0.model.layers, r0.model.params,
        ms(vals(g.runs, (r) => r.final.test_accuracy)), ms(vals(g.runs, (r) => r.final.val_accuracy)),
        ms(vals(g.runs, (r) => r.teacher?.train_fidelity_mean), 6), ms(vals(g.runs, (r) => r.seconds), 1)];
    }),
    note: FINAL_ACCURACY_NOTE,
  });
  const choices = kdChoiceCounts(res.config.kd, res.runs);
  if (choices.length) {
    out.push({
      heading: 'KD validation grid: the (T, α) chosen per seed',
      headers: ['student', 'method', 'T', 'α', 'chosen', 'seeds'],
      rows: choices.map((c) => [c.student, c.method, c.T, c.alpha, `${c.chosen}/${new Set(res.runs.filter((r) => r.name === c.student && r.method === c.method).map((r) => String(r.seed))).size}`, c.seeds.join(', ') || '–']),
      note: 'Every (T, α) is trained per seed; the arm keeps the point with the best final validation accuracy (ties: lower validation loss, then the first in grid order). Test accuracy plays no part in the choice.',
    });
  }
  for (const t of comparisonTables(res)) out.push({ heading: t.heading, headers: t.headers, rows: t.rows, note: t.note });
  const size = studentSizeStatistics(res);
  if (size) out.push(...studentSizeTables(size));
  // self-distillation: time-to-event only (the final accuracies are in the first table); a mean
  // of epochs to a fixed target over the runs that reached it would drop the others
  if (gs.some((g) => g.role === 'self')) {
    const conv = convergenceStatistics(res);
    if (conv) out.push({ ...convergenceTable(conv), note: `Runs that never reach the target are censored at their last validation (Kaplan–Meier); the median's interval is Brookmeyer–Crowley on log-log bands. ${KM_MEDIAN_NOTE} Log-rank against plain, Holm-corrected across the methods; born-again generation g is charged its teachers' (generations 0 … g − 1) time.` });
  }
  const boundary = phaseBoundaryReportTable(res);
  if (boundary) out.push(boundary);
  const bond = gs.filter((g) => g.role === 'bond').sort((a, b) => (a.chiT ?? 0) - (b.chiT ?? 0));
  if (bond.length) {
    const who = bondStudentLabel(res);
    out.push({
      heading: `Teacher bond dimension χ_T against the ${who}`,
      headers: ['χ_T', 'teacher F (train, mean)', 'teacher F (train, min)', 'teacher test accuracy', `${who} test accuracy`],
      rows: bond.map((g) => [
        g.chiT ?? 'no cap', ms(vals(g.runs, (r) => r.teacher?.train_fidelity_mean), 6), ms(vals(g.runs, (r) => r.teacher?.train_fidelity_min), 6),
        ms(vals(g.runs, (r) => r.teacher?.test_accuracy)), ms(vals(g.runs, (r) => r.final.test_accuracy)),
      ]),
    });
  }
  return out;
}

/**
 * The paired comparison tables of a study, each with its own Holm family: KD against
 * label-only per student (test accuracy), KD from each teacher bond χ_T against the label-only
 * student (E4) and against the sweep's most faithful teacher (its largest χ_T present in the
 * runs, "no cap" after every number; each seed paired with that χ_T's run of the same seed;
 * absent with a single χ_T), KD against label-only at each hardware point (E7), and per grid
 * student of the student-size sweep (`student-size.ts`; those students are left out of the first
 * table). Every row against label-only carries the gap check (teacher − label-only student on
 * validation accuracy; for the transition point of a phase study, on the transition's error);
 * the rows against the most faithful teacher do not (both arms learn from the same teacher).
 */
export function comparisonTables(res: ExperimentResults): ComparisonTable[] {
  const out: ComparisonTable[] = [];
  const teacher = res.runs.filter((r) => r.role === 'teacher');
  const arm = (role: string, name: string, method: string) => res.runs.filter((r) => r.role === role && r.name === name && r.method === method);
  // grid students of the student-size sweep have their own table (their own Holm family)
  const grid = new Set(sweepStudentNames(res.config));
  const students = [...new Set(res.runs.filter((r) => r.role === 'student' && !grid.has(r.name)).map((r) => r.name))];
  // every method that learns from the teacher, against label-only (in a KD-only table the rows keep the plain student name)
  const taught = TEACHER_METHODS.filter((m) => res.runs.some((r) => r.role === 'student' && r.method === m));
  // with kd-transfer or the pseudo-label control among them the table is not KD's alone
  const onlyKd = taught.every((m) => m === 'kd');
  const rowsOf = (metric: (r: RunRecord) => number | null | undefined) => taught.flatMap((m) => students.map((name) => ({ label: onlyKd ? name : `${name}, ${m}`, category: name, series: m === 'kd' ? 'KD' : m, a: arm('student', name, m), b: arm('student', name, 'label'), metric, gap: { teacher, student: arm('student', name, 'label') } })));
  const kd = comparisonTable(onlyKd ? 'KD against label-only training (test accuracy, KD − label, paired by seed)' : 'Methods that learn from the teacher against label-only training (test accuracy, method − label, paired by seed)', 'student', onlyKd ? 'KD' : 'the method', rowsOf((r: RunRecord) => r.final.test_accuracy), undefined,
    { name: 'differences-kd', title: 'distillation − label-only, per student', x: 'student', y: 'Δ test accuracy (method − label-only)' });
  if (kd) out.push(kd);
  if (res.config.data.type === 'phases') {
    const negError = negTransitionError(res);
    // the gap that matters here is the teacher's advantage at the transition, not on the labelled points
    const transitionGap: GapSpec = {
      metric: negError, header: 'teacher − label-only (−|ĥ/J − 1|)', min: MIN_GAP,
      note: `The gap check is how much closer to h/J = 1 the teacher puts the transition than the label-only student, |error of label-only| − |error of the teacher| (mean over seeds): "room to distil" at ${MIN_GAP} or more, "no room to distil" below.`,
    };
    const tr = comparisonTable('Transition point: distillation against label-only training (−|ĥ/J − 1|, so Δ = |error of label-only| − |error of the method|, paired by seed)', 'student', 'the method', rowsOf(negError), transitionGap,
      { name: 'differences-transition', title: 'transition point: distillation against label-only', x: 'student', y: 'Δ = |error of label-only| − |error of the method| (h/J)' });
    if (tr) out.push(tr);
  }
  const bondStudent = res.config.teacherBond?.student;
  if (bondStudent) {
    const bond = res.runs.filter((r) => r.role === 'bond' && r.name === bondStudent);
    const chis = [...new Set(bond.map((r) => r.chiT))].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
    const label = arm('student', bondStudent, 'label');
    // the bond sweep's method (teacherBond.method): KD by default, or kd-transfer / pseudo
    const bm = res.config.teacherBond?.method ?? 'kd';
    const how = bm === 'kd' ? 'KD' : bm;
    const t = comparisonTable(`${how} from a teacher at bond dimension χ_T against label-only training, student ${bondStudent} (test accuracy, ${how} − label, paired by seed)`, 'χ_T', how,
      chis.map((chi) => ({ label: String(chi ?? 'no cap'), series: how, a: bond.filter((r) => r.chiT === chi), b: label, metric: (r: RunRecord) => r.final.test_accuracy, gap: { teacher, student: label } })), undefined,
      { name: 'differences-teacher-bond', title: `teacher bond χ_T: ${how} − label-only, student ${bondStudent}`, x: 'teacher bond dimension χ_T', y: `Δ test accuracy (${how} − label-only)` });
    if (t) out.push(t);
    // how much a less faithful teacher costs: each χ_T against the most faithful one (the
    // largest χ_T, or no cap), paired by seed — same student initialisation and data, only the
    // soft labels differ
    const top = chis[chis.length - 1];
    const ref = bond.filter((r) => r.chiT === top);
    const topName = top === null || top === undefined ? 'no cap' : String(top);
    const f = chis.length > 1 ? comparisonTable(`${how} from a teacher at bond dimension χ_T against the most faithful teacher of the sweep (χ_T = ${topName}), student ${bondStudent} (test accuracy, student at χ_T − student at χ_T = ${topName}, paired by seed)`, 'χ_T', 'the χ_T student',
      chis.slice(0, -1).map((chi) => ({ label: String(chi ?? 'no cap'), series: how, a: bond.filter((r) => r.chiT === chi), b: ref, metric: (r: RunRecord) => r.final.test_accuracy })), undefined,
      { name: 'differences-teacher-fidelity', title: `teacher bond χ_T against χ_T = ${topName}: ${how} student ${bondStudent}`, x: 'teacher bond dimension χ_T', y: `Δ test accuracy (at χ_T − at χ_T = ${topName})` }) : null;
    if (f) out.push(f);
  }
  out.push(...hardwareComparisons(res));
  const size = studentSizeStatistics(res)?.comparison;
  if (size) out.push(size);
  return out;
}

/** The numbers behind the report's tables, written as `statistics.json`. */
export interface ReportStatistics {
  /** Every comparison table: its heading and the statistics of its rows. */
  comparisons: { heading: string; rows: ComparisonStatistics[] }[];
  /** Self-distillation as time-to-event (absent without self-distillation runs). */
  convergence?: unknown;
  /** The student-size sweep: per method the smallest student reaching the target, every candidate, steps and cost to target (absent without a sweep). */
  studentSize?: unknown;
}

/** {@link ReportStatistics} of a study. */
export function reportStatistics(res: ExperimentResults): ReportStatistics {
  const conv = convergenceStatistics(res);
  const size = studentSizeStatistics(res);
  return {
    comparisons: comparisonTables(res).map((t) => ({ heading: t.heading, rows: t.statistics })),
    ...(conv ? { convergence: convergenceJson(conv) } : {}),
    ...(size ? { studentSize: studentSizeJson(size) } : {}),
  };
}

/** The provenance line of the report: seeds, version, commit, Node, workers, wall time. */
export function provenanceLine(res: ExperimentResults): string {
  return `Seeds: ${res.config.seeds.join(', ')}. qdistill ${res.qdistillVersion}, commit ${res.gitCommit}, ${res.node}, ${res.workers} worker(s), wall time ${res.wallSeconds.toFixed(1)} s.`;
}

/** The markdown report. */
export function resultsTable(res: ExperimentResults): string {
  const out: string[] = [`# ${reportTitle(res)}`, ''];
  for (const p of reportIntro(res)) out.push(p, '');
  out.push(provenanceLine(res), '');
  const commits = [...new Set(res.runs.map((r) => r.gitCommit).filter((c): c is string => !!c))];
  if (commits.length > 1) out.push(`Runs reused by --resume come from ${commits.length} commits: ${commits.join(', ')} (each run records its own).`, '');
  reportTables(res).forEach((t, i) => {
    if (i > 0) out.push('');
    out.push(`## ${t.heading}`, '', markdownTable(t.headers, t.rows));
    if (t.note) out.push('', t.note);
  });
  out.push(...hardwareTable(res));
  out.push('', '## Datasets', '', '```json', JSON.stringify(res.datasets, null, 1), '```', '');
  return out.join('\n');
}

/**
 * Chance-level accuracy of the study's task, 1/K for K classes (uniform guessing): MNIST and
 * blobs from their class count, phase data has two phases. The label says which.
 */
export function chanceLevel(res: ExperimentResults): ReferenceLine {
  const d = res.config.data;
  const k = d.type === 'mnist' ? d.classes.length : d.type === 'blobs' ? d.classes : 2;
  return { y: 1 / k, label: `chance (1/${k})` };
}

/** n of a figure's statistic: the seeds behind each point, as one count or [fewest, most]. */
function seedCount(counts: number[]): number | readonly [number, number] {
  const lo = Math.min(...counts), hi = Math.max(...counts);
  return lo === hi ? lo : [lo, hi];
}

/**
 * What a figure says about its spread: ± 1 std over the n seeds behind each point when some
 * point has more than one; with one seed per point there is no spread, and the subtitle says so.
 */
function spreadNote(counts: number[]): { uncertainty: Uncertainty } | { subtitle: string } {
  return Math.max(...counts) > 1 ? { uncertainty: { kind: 'std', n: seedCount(counts) } } : { subtitle: 'one seed (n = 1): no error bars' };
}

/** The series with lo/hi dropped when every point comes from one seed (a zero-width band says nothing). */
function withoutBandsIfOneSeed<S extends { points: { x: number; y: number; lo?: number; hi?: number }[] }>(series: S[], counts: number[]): S[] {
  return Math.max(...counts) > 1 ? series : series.map((s) => ({ ...s, points: s.points.map((p) => ({ x: p.x, y: p.y })) }));
}

/** A category of the accuracy figure: the model's name, with χ_T for teacher-bond runs. */
const categoryOf = (g: Group) => (g.role === 'bond' ? `${g.name} (χ_T = ${g.chiT ?? 'no cap'})` : g.name);

/** One figure of the report: its file name (without extension), SVG and a one-sentence caption. */
export interface ReportFigure {
  name: string;
  svg: string;
  caption: string;
}

/**
 * The report's figures, from `results.json` alone: test accuracy of every row of the final-
 * accuracy table (one bar per model and method, error bars ± 1 std over seeds, chance level),
 * validation and test accuracy per epoch (bands ± 1 std), the teacher-bond sweep, and the
 * phase diagrams of phase data. Titles carry "(quick)" for quick runs.
 */
export async function reportFigures(res: ExperimentResults): Promise<ReportFigure[]> {
  const out: ReportFigure[] = [];
  const title = reportTitle(res);
  const chance = chanceLevel(res);
  const gs = groups(res.runs);
  const accGroups = gs.filter((g) => vals(g.runs, (r) => r.final.test_accuracy).length > 0);
  if (accGroups.length) {
    const categories = [...new Set(accGroups.map(categoryOf))];
    const methods = [...new Set(accGroups.map((g) => g.method))];
    const cell = (c: string, m: string) => stat(vals(accGroups.find((g) => categoryOf(g) === c && g.method === m)?.runs ?? [], (r) => r.final.test_accuracy));
    const ns = accGroups.map((g) => vals(g.runs, (r) => r.final.test_accuracy).length);
    const spread = Math.max(...ns) > 1;
    const svg = await barChart({
      title: `${title}: test accuracy`,
      ...spreadNote(ns),
      categories,
      xLabel: 'model',
      y: { label: 'test accuracy' },
      legendTitle: 'training method',
      references: [chance],
      groups: methods.map((m) => {
        const per = categories.map((c) => cell(c, m));
        return { name: m, values: per.map((p) => (p.n ? p.mean : null)), ...(spread ? { errors: per.map((p) => (p.n ? p.std : null)) } : {}) };
      }),
    });
    out.push({ name: 'accuracy', svg, caption: `Test accuracy of every model and training method (mean over seeds; dashed: chance level ${chance.label.replace('chance ', '')}).` });
  }
  const size = studentSizeStatistics(res);
  if (size && size.methods.some((m) => m.candidates.length)) out.push(await studentSizeFigure(size, title, res, chance));
  // under a step budget (every record carries its steps) the x axis is the optimizer step, so
  // arms whose epochs differ in length (label-only on a few labels, the transfer arms on many) line up
  const curves = async (role: string, name: string, metric: 'val_accuracy' | 'test_accuracy', what: string) => {
    const gsR = gs.filter((g) => g.role === role);
    if (!gsR.length) return;
    const bySteps = gsR.every((g) => g.runs.every((r) => r.history.every((h) => typeof h.steps === 'number')));
    const ns: number[] = [];
    const series = gsR.map((g) => {
      const at = new Map<number, number[]>();
      for (const r of g.runs) {
        r.history.forEach((h, e) => {
          const v = h[metric];
          if (typeof v !== 'number' || !Number.isFinite(v)) return;
          const x = bySteps ? h.steps! : e + 1;
          const vs = at.get(x);
          if (vs) vs.push(v); else at.set(x, [v]);
        });
      }
      const points = [...at.entries()].sort((a, b) => a[0] - b[0]).map(([x, v]) => {
        ns.push(v.length);
        const s = stat(v);
        return { x, y: s.mean, lo: s.mean - s.std, hi: s.mean + s.std };
      });
      return { name: `${g.name} / ${g.method}`, points };
    }).filter((s) => s.points.length > 0);
    if (!series.length) return;
    const svg = await lineChart({
      title: `${title}: ${bySteps ? what.replace('per epoch', 'against optimizer steps') : what}`,
      ...spreadNote(ns),
      x: { label: bySteps ? 'optimizer step' : 'epoch', integer: true },
      y: { label: metric.replace('_', ' ') },
      legendTitle: 'model / method',
      references: [chance],
      series: withoutBandsIfOneSeed(series, ns),
    });
    const said = bySteps ? what.replace('per epoch', 'against optimizer steps') : what;
    out.push({ name, svg, caption: `${said[0]!.toUpperCase()}${said.slice(1)} (mean over seeds; dashed: chance level).` });
  };
  await curves('self', 'convergence', 'val_accuracy', 'validation accuracy per epoch');
  const conv = convergenceStatistics(res);
  if (conv) out.push(await convergenceFigure(conv, title));
  await curves('student', 'learning-curves', 'test_accuracy', 'student test accuracy per epoch');
  const bond = gs.filter((g) => g.role === 'bond').sort((a, b) => (a.chiT ?? 0) - (b.chiT ?? 0));
  if (bond.length) {
    const ns: number[] = [];
    const line = (label: string, f: (r: RunRecord) => number | null | undefined) => ({
      name: label,
      points: bond.map((g) => {
        const v = vals(g.runs, f);
        if (v.length) ns.push(v.length);
        const s = stat(v);
        return { x: g.chiT ?? 0, y: s.mean, lo: s.mean - s.std, hi: s.mean + s.std };
      }).filter((p) => Number.isFinite(p.y)),
    });
    const who = bondStudentLabel(res);
    const series = [line(`${who} test accuracy`, (r) => r.final.test_accuracy), line('teacher test accuracy', (r) => r.teacher?.test_accuracy), line('teacher fidelity estimate (mean)', (r) => r.teacher?.train_fidelity_mean)];
    const svg = await lineChart({
      title: `${title}: ${who} against the teacher's bond dimension`,
      ...spreadNote(ns),
      x: { label: 'teacher bond dimension χ_T', scale: 'log', integer: true },
      y: { label: 'accuracy / fidelity estimate' },
      legendTitle: 'quantity',
      references: [chance],
      series: withoutBandsIfOneSeed(series, ns),
    });
    out.push({ name: 'teacher-bond', svg, caption: `The ${who}'s test accuracy, the teacher's test accuracy and the teacher's mean fidelity estimate against the teacher's bond dimension χ_T.` });
  }
  out.push(...(await hardwareFigures(res, chance)));
  out.push(...(await phaseFigures(res)));
  out.push(...(await phaseBoundaryFigures(res)));
  out.push(...(await differenceFigures(comparisonTables(res), title)));
  return out;
}

/**
 * Writes `table.md`, `statistics.json` ({@link reportStatistics}; also added to `results.json`
 * in `outDir` as its `statistics` section, every other field unchanged), every figure as SVG and PNG
 * (300 dpi), and `report.html` (the whole report on one self-contained page); returns the paths written.
 */
export async function writeReport(res: ExperimentResults, outDir: string): Promise<string[]> {
  const written: string[] = [];
  const tablePath = join(outDir, 'table.md');
  await writeFileAtomic(tablePath, resultsTable(res));
  written.push(tablePath);
  // the numbers of the tables: their own file, and a `statistics` section of results.json
  const statistics = reportStatistics(res);
  const statsPath = join(outDir, 'statistics.json');
  await writeFileAtomic(statsPath, JSON.stringify(statistics, null, 1));
  written.push(statsPath);
  await writeFileAtomic(join(outDir, 'results.json'), JSON.stringify({ ...res, statistics }, null, 1));
  const figures = await reportFigures(res);
  for (const f of figures) {
    const svgPath = await writeFigure(outDir, f.name, f.svg);
    written.push(svgPath, pngPathOf(svgPath));
  }
  const htmlPath = join(outDir, 'report.html');
  await writeFileAtomic(htmlPath, studyReportHtml(res, figures));
  written.push(htmlPath);
  return written;
}

/**
 * Phase diagrams: for phase data, the fraction of seeds predicting phase 1 at every grid point,
 * per model — a line against the swept parameter (1-D grids, with the exact phase as a dashed
 * reference) or one heatmap per model and method plus one of the exact phase (2-D grids).
 */
async function phaseFigures(res: ExperimentResults): Promise<ReportFigure[]> {
  const withMap = res.runs.filter((r) => r.phaseMap);
  if (!withMap.length || res.config.data.type !== 'phases') return [];
  const title = reportTitle(res);
  const names = PHASE_NAMES[res.config.data.model];
  const grid = res.config.data.grid;
  const axes = Object.entries(grid).filter(([, v]) => v.length > 1).map(([k]) => k);
  const key = (p: Record<string, number>) => axes.map((a) => p[a]).join(',');
  const gs = groups(withMap);
  const frac = (g: Group) => {
    const m = new Map<string, { sum: number; n: number; label: number; p: Record<string, number> }>();
    for (const r of g.runs) r.phaseMap!.params.forEach((p, i) => {
      const k = key(p);
      const e = m.get(k) ?? { sum: 0, n: 0, label: r.phaseMap!.label[i]!, p };
      e.sum += r.phaseMap!.predicted[i]!; e.n += 1; m.set(k, e);
    });
    return m;
  };
  const out: ReportFigure[] = [];
  if (axes.length === 1) {
    const a = axes[0]!;
    const series = gs.map((g) => ({ name: `${g.name} / ${g.method}`, points: [...frac(g).values()].map((e) => ({ x: e.p[a]!, y: e.sum / e.n })).sort((u, v) => u.x - v.x) }));
    const truth = [...frac(gs[0]!).values()].map((e) => ({ x: e.p[a]!, y: e.label })).sort((u, v) => u.x - v.x);
    series.push({ name: 'exact phase', points: truth });
    out.push({ name: 'phase-diagram', caption: `Fraction of seeds predicting phase 1 (${names[1]}) at each ${a}, per model and method, with the exact phase.`, svg: await lineChart({ title: `${title}: predicted phase (fraction of seeds) against ${a}`, subtitle: `phase 0 = ${names[0]}, 1 = ${names[1]}`, x: { label: a }, y: { label: `P(phase 1 = ${names[1]})` }, legendTitle: 'model / method', series }) });
  } else if (axes.length === 2) {
    const [ax, ay] = axes as [string, string];
    const xs = grid[ax]!, ys = grid[ay]!;
    // the exact phase from the known boundary, for comparison with the predicted maps
    const exact = frac(gs[0]!);
    const exactCells = ys.map((y) => xs.map((x) => exact.get(key({ [ax]: x, [ay]: y }))?.label ?? NaN));
    if (exactCells.every((row) => row.every((v) => Number.isFinite(v)))) {
      out.push({ name: 'phase-diagram-exact', caption: `Exact phase over the (${ax}, ${ay}) grid: 0 = ${names[0]}, 1 = ${names[1]}.`, svg: await heatmap({
        title: `${title}: exact phase`, x: { label: ax, values: xs }, y: { label: ay, values: ys }, cells: exactCells, colorLabel: 'phase',
        levels: [{ value: 0, label: `0: ${names[0]}` }, { value: 1, label: `1: ${names[1]}` }],
      }) });
    }
    for (const g of gs) {
      const m = frac(g);
      const cells = ys.map((y) => xs.map((x) => { const e = m.get(key({ [ax]: x, [ay]: y })); return e ? e.sum / e.n : NaN; }));
      if (cells.some((row) => row.some((v) => !Number.isFinite(v)))) continue;
      // n seeds give the fractions k/n: a discrete scale of n + 1 colours while they stay distinguishable
      const n = Math.max(...[...m.values()].map((e) => e.n));
      const discrete = [...m.values()].every((e) => e.n === n) && n + 1 <= MAX_LEVELS;
      const levels = discrete
        ? Array.from({ length: n + 1 }, (_, k) => ({ value: k / n, label: n === 1 ? `${k}: ${names[k]!}` : `${k}/${n} seeds` }))
        : undefined;
      const snapped = discrete ? cells.map((row) => row.map((v) => Math.round(v * n) / n)) : cells;
      out.push({ name: `phase-diagram-${g.name}-${g.method}`.replace(/[^A-Za-z0-9._-]/g, '_'), caption: `Phase predicted by ${g.name} / ${g.method} over the (${ax}, ${ay}) grid (${n === 1 ? 'one seed' : `fraction of ${n} seeds predicting ${names[1]}`}).`, svg: await heatmap({
        title: `${title}: ${g.name} / ${g.method}, predicted phase`, x: { label: ax, values: xs }, y: { label: ay, values: ys }, cells: snapped,
        colorLabel: n === 1 ? 'predicted phase' : `seeds predicting 1: ${names[1]}`, colorDomain: [0, 1], ...(levels ? { levels } : {}),
      }) });
    }
  }
  return out;
}

/** Names of phase 0 and phase 1 of each phase-data model, as labelled by `src/data/phases.ts`. */
const PHASE_NAMES: Record<'tfim' | 'cluster-ising', [string, string]> = {
  tfim: ['ferromagnet', 'paramagnet'],
  'cluster-ising': ['cluster (SPT)', 'paramagnet'],
};
