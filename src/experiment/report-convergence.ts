/**
 * Self-distillation (E3) as time-to-event, from `results.json` alone: each run's time to the
 * target validation accuracy, with runs that never reach it kept as right-censored at their
 * last validation; per method the Kaplan–Meier median with its 95% interval and the log-rank
 * test against plain training (Holm-corrected across the methods); and the figure of the
 * fraction of runs that reached the target against time.
 *
 * Time is in optimizer steps when every run recorded validation points (`training.validateEvery`),
 * else in epochs. The target is a fraction (`selfDistillation.targetFraction`, default
 * {@link DEFAULT_TARGET_FRACTION}) of plain training's final validation accuracy (mean over its
 * seeds). Born-again generation g ≥ 1 is charged the time of generations 0 … g − 1 of the same
 * seed (its teachers) on top of its own.
 */
import { coincidentSeries, lineChart } from '../report/index.js';
import { ALPHA, holm, kaplanMeier, logRank, verdictOf, type KaplanMeier, type Verdict } from '../stats/index.js';
import type { ExperimentResults, RunRecord } from './runner.js';

/** Target = this fraction of plain training's final validation accuracy, unless the config sets one. */
export const DEFAULT_TARGET_FRACTION = 0.95;

/** One run's time to the target. */
export interface RunTimeToTarget {
  seed: string;
  /** Time at which the target was first reached (event) or of the last validation (censored), teachers' time included. */
  time: number;
  event: boolean;
  /** Time charged for teachers (born-again generations before this one); 0 otherwise. */
  teacherTime: number;
}

/** One method's row. */
export interface MethodConvergence {
  method: string;
  runs: RunTimeToTarget[];
  reached: number;
  median: number | null;
  medianCi: [number | null, number | null];
  /** Log-rank against plain (null for plain itself or without plain runs). */
  logRank: { chiSquare: number; df: number; p: number | null; pHolm: number | null; observed: number; expected: number; verdict: Verdict } | null;
  /** The Kaplan–Meier curve, for the figure. */
  km: KaplanMeier;
}

/** The time-to-target statistics of a study (null when it has no self-distillation runs). */
export interface ConvergenceStatistics {
  unit: 'steps' | 'epochs';
  targetFraction: number;
  /** Plain training's final validation accuracy, mean over seeds (null without plain runs). */
  plainFinalVal: number | null;
  target: number;
  methods: MethodConvergence[];
}

/** Validation points of a run as (time, accuracy): steps when recorded, else epochs. */
function points(r: RunRecord, unit: 'steps' | 'epochs'): { t: number; acc: number }[] {
  if (unit === 'steps') return r.history.flatMap((h) => (h.val_steps ?? []).map((p) => ({ t: p.step, acc: p.val_accuracy })));
  return r.history.flatMap((h) => (h.val_accuracy === null ? [] : [{ t: h.epoch, acc: h.val_accuracy }]));
}

const generationOf = (m: string) => { const g = /^born-again-g(\d+)$/.exec(m); return g ? Number(g[1]) : null; };

/** The time-to-target statistics; see the module comment for the definitions. */
export function convergenceStatistics(res: ExperimentResults): ConvergenceStatistics | null {
  const self = res.runs.filter((r) => r.role === 'self');
  if (!self.length) return null;
  const unit = self.every((r) => r.history.length > 0 && r.history.every((h) => Array.isArray(h.val_steps))) ? 'steps' : 'epochs';
  const sd = res.config.selfDistillation as { targetFraction?: number; targetAccuracy?: number } | undefined;
  const targetFraction = sd?.targetFraction ?? DEFAULT_TARGET_FRACTION;
  const plainVals = self.filter((r) => r.method === 'plain').map((r) => r.final.val_accuracy).filter((v): v is number => typeof v === 'number');
  const plainFinalVal = plainVals.length ? plainVals.reduce((a, b) => a + b, 0) / plainVals.length : null;
  const target = plainFinalVal !== null ? targetFraction * plainFinalVal : sd?.targetAccuracy ?? 0;
  const total = (r: RunRecord) => points(r, unit).at(-1)?.t ?? 0;
  const timeOf = (r: RunRecord): RunTimeToTarget => {
    const g = generationOf(r.method);
    let teacherTime = 0;
    if (g !== null) for (let k = 0; k < g; k++) {
      const t = self.find((x) => x.method === `born-again-g${k}` && String(x.seed) === String(r.seed));
      if (t) teacherTime += total(t);
    }
    const pts = points(r, unit);
    const hit = pts.find((p) => p.acc >= target);
    return { seed: String(r.seed), time: teacherTime + (hit ? hit.t : total(r)), event: hit !== undefined, teacherTime };
  };
  const names = [...new Set(self.map((r) => r.method))];
  const obsOf = (m: string) => self.filter((r) => r.method === m).map(timeOf);
  const plain = names.includes('plain') ? obsOf('plain') : null;
  const rows = names.map((method) => {
    const runs = obsOf(method);
    const km = kaplanMeier(runs);
    const lr = plain && method !== 'plain' ? logRank([runs, plain]) : null;
    return { method, runs, km, lr };
  });
  const adj = holm(rows.map((r) => r.lr?.p ?? null));
  const methods: MethodConvergence[] = rows.map(({ method, runs, km, lr }, i) => ({
    method, runs, reached: runs.filter((r) => r.event).length, median: km.median, medianCi: km.medianCi, km,
    logRank: lr ? { chiSquare: lr.chiSquare, df: lr.df, p: lr.p, pHolm: adj[i]!, observed: lr.observed[0]!, expected: lr.expected[0]!, verdict: verdictOf(lr.observed[0]! - lr.expected[0]!, adj[i]!, ALPHA) } : null,
  }));
  return { unit, targetFraction, plainFinalVal, target, methods };
}

/** The JSON of the statistics (without the Kaplan–Meier curves' internal steps duplicated per method). */
export function convergenceJson(c: ConvergenceStatistics): unknown {
  return { ...c, methods: c.methods.map(({ km, ...m }) => ({ ...m, curve: km.steps.map((s) => ({ time: s.time, atRisk: s.atRisk, events: s.events, censored: s.censored, survival: s.survival, lower: s.lower, upper: s.upper })) })) };
}

/**
 * A Kaplan–Meier median with its Brookmeyer–Crowley 95% interval, as a table cell. The interval's
 * limits are the first times the pointwise band's lower and upper edge reach 0.5; a limit the
 * band never reaches within the follow-up is not estimable and prints '–' (not ∞: the data
 * bound it from below by the last follow-up time only). The upper edge lies above the curve, so
 * a median not reached has no upper limit: `not reached [L, –]` when the lower edge reaches 0.5
 * at L, else `not reached (CI not estimable)`. `f` formats a time (default `String`).
 * @example formatKmMedian(23, [13, null]) // "23 [13, –]"
 * @example formatKmMedian(null, [40, null]) // "not reached [40, –]"
 * @example formatKmMedian(null, [null, null]) // "not reached (CI not estimable)"
 */
export function formatKmMedian(median: number | null, ci: readonly [number | null, number | null], f: (v: number) => string = String): string {
  const lim = (v: number | null) => (v === null ? '–' : f(v));
  if (median === null) return ci[0] === null ? 'not reached (CI not estimable)' : `not reached [${lim(ci[0])}, –]`;
  return `${f(median)} [${lim(ci[0])}, ${lim(ci[1])}]`;
}

/** The sentence a report puts under a Kaplan–Meier median column: what '–' and "not reached" mean. */
export const KM_MEDIAN_NOTE = "A median is \"not reached\" when fewer than half the runs reach the target; a limit of its interval that the band never reaches within the follow-up is not estimable and shows '–'.";

const p2 = (p: number | null) => (p === null ? '–' : p === 0 ? '0' : p < 1e-3 ? p.toExponential(1) : p.toPrecision(2));

/** The report table of {@link convergenceStatistics}: heading, headers and rows. */
export function convergenceTable(c: ConvergenceStatistics): { heading: string; headers: string[]; rows: (string | number)[][] } {
  const target = c.plainFinalVal !== null
    ? `${c.target.toFixed(3)} = ${c.targetFraction} × the final validation accuracy of plain training ${c.plainFinalVal.toFixed(3)}`
    : `${c.target} (no plain runs: targetAccuracy of the config)`;
  return {
    heading: `Self-distillation as time-to-event: ${c.unit} to validation accuracy ≥ ${target}`,
    headers: ['method', 'runs', 'reached target', `KM median ${c.unit} (95% CI, log-log)`, 'teachers\' time included', 'log-rank vs plain χ² (df)', 'p', 'Holm p', 'verdict (faster = better)'],
    rows: c.methods.map((m) => [
      m.method, m.runs.length, `${m.reached}/${m.runs.length}`, formatKmMedian(m.median, m.medianCi),
      m.runs.some((r) => r.teacherTime > 0) ? `yes (mean ${(m.runs.reduce((s, r) => s + r.teacherTime, 0) / m.runs.length).toFixed(0)} ${c.unit})` : 'no',
      m.logRank ? `${m.logRank.chiSquare.toFixed(2)} (${m.logRank.df})` : '–', m.logRank ? p2(m.logRank.p) : '–', m.logRank ? p2(m.logRank.pHolm) : '–', m.logRank ? m.logRank.verdict : '–',
    ]),
  };
}

/**
 * The figure: fraction of runs that reached the target against time, per method (1 − the
 * Kaplan–Meier curve, drawn as steps), with the 95% pointwise band when a method has more than one run.
 * Methods often reach the target at the same validation points, so their step curves coincide:
 * every method has its own dash pattern and open marker besides its colour (`distinctStrokes`),
 * and the subtitle and the caption name the curves that lie on top of each other.
 */
export async function convergenceFigure(c: ConvergenceStatistics, title: string): Promise<{ name: string; svg: string; caption: string }> {
  const ns = c.methods.map((m) => m.runs.length);
  const bands = Math.max(...ns) > 1;
  const series = c.methods.map((m) => {
    const pts: { x: number; y: number; lo?: number; hi?: number }[] = [bands ? { x: 0, y: 0, lo: 0, hi: 0 } : { x: 0, y: 0 }];
    let prev = pts[0]!;
    for (const s of m.km.steps) {
      if (s.events === 0) continue;
      const next = bands ? { x: s.time, y: 1 - s.survival, lo: 1 - s.upper, hi: 1 - s.lower } : { x: s.time, y: 1 - s.survival };
      pts.push({ ...prev, x: s.time }, next);
      prev = next;
    }
    const end = Math.max(...c.methods.flatMap((u) => u.runs.map((r) => r.time)));
    if (end > prev.x) pts.push({ ...prev, x: end });
    return { name: m.method, points: pts };
  });
  const lo = Math.min(...ns), hi = Math.max(...ns);
  const svg = await lineChart({
    title: `${title}: runs that reached the target against ${c.unit}`,
    ...(bands ? { uncertainty: { kind: 'ci95' as const, n: lo === hi ? lo : [lo, hi] as const, of: 'runs' } } : { subtitle: 'one seed (n = 1): no error bars' }),
    x: { label: `${c.unit === 'steps' ? 'optimizer steps' : 'epochs'} (born-again: teachers' included)`, integer: true },
    y: { label: `fraction of runs with validation accuracy ≥ ${c.target.toFixed(3)}` },
    legendTitle: 'method',
    distinctStrokes: true,
    series,
  });
  const same = coincidentSeries(series);
  const coincide = same.length ? ` Curves that coincide are drawn on top of each other, each in its own dash pattern and marker: ${same.map((g) => g.join(' = ')).join('; ')}.` : '';
  return { name: 'time-to-target', svg, caption: `Fraction of runs that reached the target validation accuracy (${c.target.toFixed(3)}) against ${c.unit}, per method: 1 − the Kaplan–Meier curve, runs that never reached it censored at their last validation; band: 95% pointwise interval (log-log).${coincide}` };
}
