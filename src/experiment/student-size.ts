/**
 * The student-size report, from `results.json` alone: for every
 * training method, the smallest grid student of the `studentSweep` whose mean test accuracy
 * over seeds reaches a fraction (default 95%) of the teacher's mean test accuracy, the
 * optimizer steps and the simulated cost it needs to get there, and the paired KD − label
 * difference per student size.
 *
 * Definitions:
 * - Size order: parameter count, then nominal flops per forward pass (the engine's cost
 *   model, `cost.ts`; unknown last), then qubits, then layers. "Smallest" is the first in it.
 * - Target: fraction × the teacher's mean test accuracy. A student reaches it in mean when its
 *   mean test accuracy is ≥ the target; with confidence when the 95% Student-t interval of the
 *   paired margin (student − fraction × teacher, by seed) lies at or above 0 (a margin equal in
 *   every seed is its own interval).
 * - Steps to target: the first validation point (`val_steps` with `training.validateEvery`,
 *   else the epoch ends) whose validation accuracy is ≥ fraction × the teacher's mean final
 *   validation accuracy; a run that never gets there is right-censored at its last validation
 *   point, and the median comes from the Kaplan–Meier estimator with its Brookmeyer–Crowley
 *   interval.
 * - Cost: nominal flops of training = samples processed × flops of one forward pass and
 *   gradient. The student's cost to target counts the student only; the total cost adds, for
 *   methods that learn from the teacher, the teacher's whole training and its soft labels on
 *   the student's training set (one forward pass per sample), seed by seed. Label-only training
 *   needs no teacher, so its total is its own cost. Evaluation passes are not counted.
 */
import { formatSigned, lineChart, meanStd, type TableCell } from '../report/index.js';
import { kaplanMeier, pairedComparison, type PairedComparison } from '../stats/index.js';
import { trainingFlops } from './cost.js';
import { comparisonTable, pairBySeed, type ComparisonTable } from './report-stats.js';
import { formatKmMedian, KM_MEDIAN_NOTE } from './report-convergence.js';
import type { ExperimentResults, RunRecord } from './runner.js';
import { sweepStudentNames } from './student-sweep.js';
import { DEFAULT_SIZE_TARGET_FRACTION, TEACHER_METHODS, type StudentMethod } from './config.js';

/** Right-censored times of a set of runs, with their Kaplan–Meier median. */
export interface TimeToTarget {
  /** Per run: its seed, the time (steps or flops) at the target or at censoring, and whether it reached the target. */
  runs: { seed: string; time: number; event: boolean }[];
  /** Runs that reached the target. */
  reached: number;
  /** Kaplan–Meier median time; null when the curve stays above 0.5 (fewer than half reach the target). */
  median: number | null;
  /** Brookmeyer–Crowley 95% interval of the median; null for a limit never reached (open interval). */
  medianCi: [number | null, number | null];
}

/** One grid student trained with one method. */
export interface SizeCandidate {
  name: string;
  qubits: number;
  layers: number;
  params: number;
  /** Mean nominal flops of one forward pass over its runs; null when not recorded. */
  forwardFlops: number | null;
  /** Seeds with a final test accuracy. */
  n: number;
  meanTest: number;
  /** Paired by seed: test accuracy − fraction × the teacher's test accuracy (mean, 95% t interval, …). */
  margin: PairedComparison;
  /** The margin's 95% interval: the t interval, or [Δ, Δ] when the margin is the same in every seed (n ≥ 2); null for n < 2. */
  marginCi: [number, number] | null;
  /** Mean test accuracy ≥ the target. */
  reachesMean: boolean;
  /** {@link SizeCandidate.marginCi} lies at or above 0 (false when there is none: n < 2). */
  reachesCi: boolean;
  /** Optimizer steps to the validation target; null when the runs record no validation points. */
  steps: TimeToTarget | null;
  /** The student's own training flops to the target (censored where it never got there). */
  studentCost: TimeToTarget | null;
  /** Total flops: the student's, plus the teacher's training and soft labels for methods that learn from it. */
  totalCost: TimeToTarget | null;
}

/** One method's candidates in size order and what the report selects from them. */
export interface MethodSize {
  method: string;
  /** Whether the total cost counts the teacher (methods that learn from it). */
  teacherCounted: boolean;
  candidates: SizeCandidate[];
  /** The smallest candidate reaching the target in mean; null: none does. */
  smallest: SizeCandidate | null;
  /** The smallest whose margin's 95% interval lies above 0; null: none. */
  smallestConfident: SizeCandidate | null;
  /** The candidate with the highest mean test accuracy (what "none reaches" is measured against). */
  best: SizeCandidate | null;
}

/** The student-size statistics of a study (null without a sweep or without teacher runs). */
export interface StudentSizeStatistics {
  /** The target fraction of the teacher's accuracy (`studentSweep.targetFraction`). */
  fraction: number;
  /** The teacher: mean final test and validation accuracy over its `n` seeds, size, and mean cost (flops, steps; null when not recorded). */
  teacher: { n: number; meanTest: number; meanVal: number; qubits: number; layers: number; params: number; forwardFlops: number | null; steps: number | null; trainingFlops: number | null };
  /** fraction × the teacher's mean test accuracy: the size target. */
  targetTest: number;
  /** fraction × the teacher's mean final validation accuracy: the target of the steps to target. */
  targetVal: number;
  /** One entry per training method of the grid students, in the order they first appear in the runs. */
  methods: MethodSize[];
  /** KD − label per grid student (test accuracy), Holm across the table. */
  comparison: ComparisonTable | null;
}

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const meanOrNull = (v: (number | null | undefined)[]): number | null => { const f = v.filter(num); return f.length === v.length && f.length ? mean(f) : null; };

/**
 * Validation points of a run as (step, accuracy): `val_steps` when recorded, else epoch ends —
 * at the epoch's recorded step count (a step budget cuts the last epoch short), else at
 * epoch × the run's steps per epoch.
 */
function valPoints(r: RunRecord): { step: number; acc: number }[] | null {
  if (r.history.length && r.history.every((h) => Array.isArray(h.val_steps))) return r.history.flatMap((h) => h.val_steps!.map((p) => ({ step: p.step, acc: p.val_accuracy })));
  const P = r.cost?.stepsPerEpoch;
  if (P === undefined) return null;
  return r.history.flatMap((h) => (num(h.val_accuracy) ? [{ step: h.steps ?? h.epoch * P, acc: h.val_accuracy }] : []));
}

function timeToTarget(runs: { seed: string; time: number; event: boolean }[]): TimeToTarget | null {
  if (!runs.length) return null;
  const km = kaplanMeier(runs);
  return { runs, reached: runs.filter((r) => r.event).length, median: km.median, medianCi: km.medianCi };
}

/** Size order: parameters, then flops per forward pass (unknown last), then qubits, then layers. */
function sizeOrder(a: Pick<SizeCandidate, 'params' | 'forwardFlops' | 'qubits' | 'layers'>, b: Pick<SizeCandidate, 'params' | 'forwardFlops' | 'qubits' | 'layers'>): number {
  return a.params - b.params || (a.forwardFlops ?? Infinity) - (b.forwardFlops ?? Infinity) || a.qubits - b.qubits || a.layers - b.layers;
}

/** The statistics of the study's student-size sweep; see the module comment for the definitions. */
export function studentSizeStatistics(res: ExperimentResults): StudentSizeStatistics | null {
  const names = sweepStudentNames(res.config);
  const teacher = res.runs.filter((r) => r.role === 'teacher');
  const tTest = teacher.map((r) => r.final.test_accuracy).filter(num);
  const tVal = teacher.map((r) => r.final.val_accuracy).filter(num);
  if (!names.length || !tTest.length || !tVal.length) return null;
  const fraction = res.config.studentSweep?.targetFraction ?? DEFAULT_SIZE_TARGET_FRACTION;
  const targetTest = fraction * mean(tTest), targetVal = fraction * mean(tVal);
  const t0 = teacher[0]!;
  const teacherFlops = new Map(teacher.map((r) => [String(r.seed), r.cost ? trainingFlops(r.cost) : null]));
  const teacherFwd = new Map(teacher.map((r) => [String(r.seed), r.cost?.forwardFlops ?? null]));
  const runsOf = (name: string, method: string) => res.runs.filter((r) => r.role === 'student' && r.name === name && r.method === method);
  const methods = [...new Set(res.runs.filter((r) => r.role === 'student' && names.includes(r.name)).map((r) => r.method))];
  const out: MethodSize[] = methods.map((method) => {
    const teacherCounted = TEACHER_METHODS.includes(method as StudentMethod);
    const candidates = names.map((name) => runsOf(name, method)).filter((rs) => rs.some((r) => num(r.final.test_accuracy))).map((rs): SizeCandidate => {
      const r0 = rs[0]!;
      const acc = rs.map((r) => r.final.test_accuracy).filter(num);
      const p = pairBySeed(rs, teacher, (r) => r.final.test_accuracy);
      const margin = pairedComparison(p.a, p.b.map((t) => fraction * t));
      const meanTest = mean(acc);
      // constant margins (SD 0, zero included) have no t interval; their interval is [Δ, Δ]
      const marginCi: [number, number] | null = margin.ci95 ?? (margin.n >= 2 && margin.sdDiff === 0 ? [margin.meanDiff, margin.meanDiff] : null);
      // per run: the first validation point at the target, else censored at the last one
      const hits = rs.map((r) => {
        const pts = valPoints(r);
        if (!pts?.length) return null;
        const hit = pts.find((q) => q.acc >= targetVal);
        return { r, seed: String(r.seed), step: hit ? hit.step : pts.at(-1)!.step, event: hit !== undefined };
      });
      const ok = hits.every((h) => h !== null) ? hits as NonNullable<(typeof hits)[number]>[] : null;
      const own = (h: NonNullable<(typeof hits)[number]>) => (h.r.cost ? trainingFlops(h.r.cost, h.step) : null);
      const extra = (h: NonNullable<(typeof hits)[number]>): number | null => {
        if (!teacherCounted) return 0;
        const tf = teacherFlops.get(h.seed), fwd = teacherFwd.get(h.seed);
        return num(tf) && num(fwd) && h.r.cost ? tf + h.r.cost.nTrain * fwd : null;
      };
      const costs = (f: (h: NonNullable<(typeof hits)[number]>) => number | null) => {
        if (!ok) return null;
        const c = ok.map((h) => ({ h, v: f(h) }));
        return c.every((x) => num(x.v)) ? timeToTarget(c.map(({ h, v }) => ({ seed: h.seed, time: v!, event: h.event }))) : null;
      };
      return {
        name: r0.name, qubits: r0.model.qubits, layers: r0.model.layers, params: r0.model.params, forwardFlops: meanOrNull(rs.map((r) => r.cost?.forwardFlops)),
        n: acc.length, meanTest, margin, marginCi, reachesMean: meanTest >= targetTest, reachesCi: marginCi !== null && marginCi[0] >= 0,
        steps: ok ? timeToTarget(ok.map((h) => ({ seed: h.seed, time: h.step, event: h.event }))) : null,
        studentCost: costs(own),
        totalCost: costs((h) => { const a = own(h), b = extra(h); return num(a) && num(b) ? a + b : null; }),
      };
    }).sort(sizeOrder);
    const best = candidates.reduce<SizeCandidate | null>((b, c) => (b === null || c.meanTest > b.meanTest ? c : b), null);
    return { method, teacherCounted, candidates, smallest: candidates.find((c) => c.reachesMean) ?? null, smallestConfident: candidates.find((c) => c.reachesCi) ?? null, best };
  });
  const label = (name: string) => runsOf(name, 'label');
  const taught = TEACHER_METHODS.filter((m) => methods.includes(m));
  const comparison = comparisonTable(`Student size: distillation against label-only training per grid student (test accuracy, method − label, paired by seed; Holm across the ${names.length} sizes${taught.length > 1 ? ' and methods' : ''})`, 'student', 'the method',
    taught.flatMap((m) => names.map((name) => ({ label: taught.every((t) => t === 'kd') ? name : `${name}, ${m}`, category: name, series: m === 'kd' ? 'KD' : m, a: runsOf(name, m), b: label(name), metric: (r: RunRecord) => r.final.test_accuracy, gap: { teacher, student: label(name) } }))), undefined,
    { name: 'differences-student-size', title: 'student size: distillation − label-only, per grid student', x: 'grid student (qubits, layers)', y: 'Δ test accuracy (method − label-only)' });
  const teacherSteps = teacher.map((r) => r.cost?.steps);
  return {
    fraction, targetTest, targetVal, methods: out, comparison,
    teacher: { n: tTest.length, meanTest: mean(tTest), meanVal: mean(tVal), qubits: t0.model.qubits, layers: t0.model.layers, params: t0.model.params, forwardFlops: meanOrNull(teacher.map((r) => r.cost?.forwardFlops)), steps: meanOrNull(teacherSteps), trainingFlops: meanOrNull([...teacherFlops.values()]) },
  };
}

/** Flops in engineering notation with three significant digits, e.g. 8.96e3; '–' when unknown. */
export function formatFlops(f: number | null | undefined): string {
  if (!num(f)) return '–';
  if (f === 0) return '0';
  const [m, e] = f.toExponential(2).split('e');
  return `${m}e${Number(e)}`;
}
const signed = (x: number) => formatSigned(x, 3);
const ci = (c: [number, number] | null) => (c ? `[${signed(c[0])}, ${signed(c[1])}]` : 'no CI (n < 2)');
const km = (t: TimeToTarget | null, f: (v: number) => string = String) => (t === null ? '– (not recorded)' : `${formatKmMedian(t.median, t.medianCi, f)}; ${t.reached}/${t.runs.length} reached`);

/** The verdict of one method in words: the smallest student, or "none reaches" with the best one. */
export function sizeVerdict(s: StudentSizeStatistics, m: MethodSize): string {
  const pct = `${Math.round(s.fraction * 100)}% of the teacher's test accuracy (${s.targetTest.toFixed(3)})`;
  if (!m.smallest) return m.best ? `none reaches ${pct}; the best, ${m.best.name}, reaches ${m.best.meanTest.toFixed(3)}` : `none reaches ${pct}`;
  const conf = m.smallestConfident === m.smallest ? 'with its 95% CI above the target' : m.smallestConfident ? `in mean only (CI below the target); the smallest with its CI above it is ${m.smallestConfident.name}` : 'in mean only; no student reaches it with its 95% CI above the target';
  return `${m.smallest.name} reaches ${pct} ${conf}`;
}

/** The report's tables of the sweep: the smallest student per method, then every candidate. */
export function studentSizeTables(s: StudentSizeStatistics): { heading: string; headers: string[]; rows: TableCell[][]; note: string }[] {
  const pct = `${Math.round(s.fraction * 100)}%`;
  const t = s.teacher;
  const teacherLine = `Teacher: ${t.qubits} qubits, ${t.layers} layer${t.layers === 1 ? '' : 's'}, ${t.params} parameters, ${formatFlops(t.forwardFlops)} flops per forward pass, ${t.steps === null ? '–' : t.steps.toFixed(0)} training steps and ${formatFlops(t.trainingFlops)} training flops (mean over ${t.n} seeds); test accuracy ${t.meanTest.toFixed(3)}, target ${pct} of it = ${s.targetTest.toFixed(3)} (validation target for the steps: ${s.targetVal.toFixed(3)}).`;
  const costNote = `Steps and the student's flops count the student only; the total cost counts the teacher's own training (all its steps) and its soft labels on the student's training set for methods that learn from the teacher (not for label-only training, which needs none). Flops are the engine's nominal count (samples × flops of one forward pass and gradient; evaluation passes not counted). Steps to target: first validation point at ≥ the validation target; runs that never reach it are censored at their last validation (Kaplan–Meier median, Brookmeyer–Crowley 95% interval). ${KM_MEDIAN_NOTE}`;
  const summary = {
    heading: `Student size: the smallest student reaching ${pct} of the teacher's test accuracy, per method`,
    headers: ['method', 'verdict', 'student', 'qubits', 'layers', 'params', 'flops / forward pass', 'test accuracy (mean)', `student − ${s.fraction} × teacher (paired, 95% CI)`, 'student steps to target (KM median [95% CI])', "student flops to target (median)", 'teacher cost counted', 'total cost flops, teacher where counted (KM median [95% CI])'],
    rows: s.methods.map((m): TableCell[] => {
      const c = m.smallest;
      if (!c) return [m.method, sizeVerdict(s, m), '–', '–', '–', '–', '–', '–', '–', '–', '–', m.teacherCounted ? 'yes' : 'no (no teacher)', '–'];
      return [m.method, sizeVerdict(s, m), c.name, c.qubits, c.layers, c.params, formatFlops(c.forwardFlops), `${c.meanTest.toFixed(3)} (n = ${c.n})`, `${signed(c.margin.meanDiff)} ${ci(c.marginCi)}`,
        km(c.steps), c.studentCost?.median === null || !c.studentCost ? '–' : formatFlops(c.studentCost.median), m.teacherCounted ? 'yes' : 'no (no teacher)', km(c.totalCost, formatFlops)];
    }),
    note: `${teacherLine} Smallest: fewest parameters, then fewest flops per forward pass, then fewest qubits, then layers, among the students whose mean test accuracy reaches the target. ${costNote}`,
  };
  const all = {
    heading: 'Student size: every grid student, per method (size order)',
    headers: ['method', 'student', 'qubits', 'layers', 'params', 'flops / forward pass', 'test accuracy (mean)', `student − ${s.fraction} × teacher (paired, 95% CI)`, 'reaches target', 'steps to target (KM median [95% CI])', 'total cost flops (median [95% CI])'],
    rows: s.methods.flatMap((m) => m.candidates.map((c): TableCell[] => [m.method, c.name, c.qubits, c.layers, c.params, formatFlops(c.forwardFlops), `${c.meanTest.toFixed(3)} (n = ${c.n})`,
      `${signed(c.margin.meanDiff)} ${ci(c.marginCi)}`, c.reachesCi ? 'yes (CI above)' : c.reachesMean ? 'in mean only' : 'no', km(c.steps), km(c.totalCost, formatFlops)])),
    note: costNote,
  };
  return [summary, all];
}

/** The JSON of the statistics (`studentSize` of statistics.json). */
export function studentSizeJson(s: StudentSizeStatistics): unknown {
  const { comparison, ...rest } = s;
  return { ...rest, comparison: comparison?.statistics ?? null };
}

/**
 * The figure: mean test accuracy against parameter count, one line per method and qubit count
 * through that width's depths (band: ± 1 std over seeds), with the target line at the
 * fraction of the teacher's mean test accuracy and the chance level.
 */
export async function studentSizeFigure(s: StudentSizeStatistics, title: string, res: ExperimentResults, chance: { y: number; label: string }): Promise<{ name: string; svg: string; caption: string }> {
  const ns = s.methods.flatMap((m) => m.candidates.map((c) => c.n));
  const bands = Math.max(...ns) > 1;
  // one line per method and qubit count, through that width's depths: students of different widths
  // interleave in parameter count, and one line through all of them would zig-zag between widths
  const widths = [...new Set(s.methods.flatMap((m) => m.candidates.map((c) => c.qubits)))].sort((a, b) => a - b);
  const series = s.methods.flatMap((m) => widths.map((q) => ({
    name: `${m.method}, ${q} qubits`,
    points: m.candidates.filter((c) => c.qubits === q).sort((a, b) => a.params - b.params).map((c) => {
      const acc = res.runs.filter((r) => r.role === 'student' && r.name === c.name && r.method === m.method).map((r) => r.final.test_accuracy).filter(num);
      const sd = meanStd(acc).std;
      return bands ? { x: c.params, y: c.meanTest, lo: c.meanTest - sd, hi: c.meanTest + sd } : { x: c.params, y: c.meanTest };
    }),
  }))).filter((x) => x.points.length > 0);
  const lo = Math.min(...ns), hi = Math.max(...ns);
  const svg = await lineChart({
    title: `${title}: test accuracy against student size`,
    ...(bands ? { uncertainty: { kind: 'std' as const, n: lo === hi ? lo : [lo, hi] as const } } : { subtitle: 'one seed (n = 1): no error bands' }),
    x: { label: 'student parameters', integer: true },
    y: { label: 'test accuracy (mean over seeds)' },
    legendTitle: 'method, qubits',
    distinctStrokes: true,
    references: [{ y: s.targetTest, label: `${Math.round(s.fraction * 100)}% of the teacher (${s.targetTest.toFixed(3)})` }, chance],
    series,
  });
  return { name: 'student-size', svg, caption: `Mean test accuracy of every grid student against its parameter count, one line per method and qubit count through its depths (band: ± 1 std over seeds, as in the report's other figures); dashed: ${Math.round(s.fraction * 100)}% of the teacher's mean test accuracy, and chance.` };
}
