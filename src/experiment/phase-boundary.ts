/**
 * The phase-boundary part of a many-body study (E5): where each model puts the transition.
 *
 * Every run on phase data records its prediction at every grid point (`RunRecord.phaseMap`:
 * the probability of phase 1 where recorded, else the predicted class). Along each line of fixed
 * J the estimated transition point is where that prediction crosses 1/2 (linear interpolation,
 * {@link transitionEstimate}); its error is measured against the transition of the labels,
 * h/J = 1, and, for the TFIM, against the finite-size pseudo-critical point of a chain of the
 * model's own length ({@link tfimPseudoCriticalPoint}). The figure shows the predicted phase
 * probability against h/J per model and method, with both references marked.
 */
import { formatMeanStd, lineChart, markdownTable, meanStd, type ReferenceLine, type VerticalReferenceLine } from '../report/index.js';
import { tfimPseudoCriticalPoint, transitionEstimate } from '../data/transition.js';
import type { ExperimentResults, RunRecord } from './runner.js';

/** The field parameter of a phase model and its coupling (the transition lies at field/J = 1). */
function fieldName(model: string): 'h' | 'h1' {
  return model === 'tfim' ? 'h' : 'h1';
}

/** One run's transition estimate along one line of fixed J. */
export interface BoundaryEstimate {
  key: string;
  seed: string | number;
  role: RunRecord['role'];
  name: string;
  method: string;
  /** Sites of the chain the model reads. */
  sites: number;
  J: number;
  /** Estimated transition in h/J (null: the prediction never crosses 1/2 on this line). */
  ratio: number | null;
  /** Crossings of 1/2 along the line (1 for a clean step). */
  crossings: number;
  /** ratio − 1: against the labels' transition. */
  error: number | null;
  /** The finite-size pseudo-critical point h*(sites)/J (TFIM only; null otherwise). */
  reference: number | null;
  /** ratio − reference. */
  errorFiniteSize: number | null;
  /** The curve itself: h/J (increasing) and the prediction at each. */
  x: number[];
  p: number[];
}

const pseudoCache = new Map<number, number>();
function pseudoCritical(sites: number): number {
  let v = pseudoCache.get(sites);
  if (v === undefined) pseudoCache.set(sites, (v = tfimPseudoCriticalPoint(sites, 1)));
  return v;
}

/**
 * The transition estimate of every run with a phase map, per line of fixed J (lines with fewer
 * than two field values are skipped). The reference h*(n)/J does not depend on J (the TFIM's
 * spectrum scales with J), so it is computed once per chain length.
 *
 * @param res - Results of a study on phase data (`config.data.type === 'phases'`); other results give [].
 * @returns One estimate per (run, J), in the order of the runs.
 */
export function boundaryEstimates(res: ExperimentResults): BoundaryEstimate[] {
  const data = res.config.data;
  if (data.type !== 'phases') return [];
  const f = fieldName(data.model);
  const out: BoundaryEstimate[] = [];
  for (const r of res.runs) {
    const pm = r.phaseMap;
    if (!pm) continue;
    const prob = (pm as { probability?: number[] }).probability ?? pm.predicted;
    const lines = new Map<number, { x: number; p: number }[]>();
    pm.params.forEach((q, i) => {
      const J = q['J'] ?? 1;
      const l = lines.get(J) ?? [];
      l.push({ x: Math.abs(q[f]! / J), p: prob[i]! });
      lines.set(J, l);
    });
    for (const [J, pts] of [...lines].sort((a, b) => a[0] - b[0])) {
      pts.sort((a, b) => a.x - b.x);
      const x = pts.map((v) => v.x);
      if (x.length < 2 || x.some((v, i) => i > 0 && v <= x[i - 1]!)) continue;
      const p = pts.map((v) => v.p);
      const est = transitionEstimate(x, p);
      const sites = r.model.qubits;
      const reference = data.model === 'tfim' && sites >= 4 ? pseudoCritical(sites) : null;
      out.push({
        key: r.key, seed: r.seed, role: r.role, name: r.name, method: r.method, sites, J,
        ratio: est.point, crossings: est.crossings,
        error: est.point === null ? null : est.point - 1,
        reference, errorFiniteSize: est.point === null || reference === null ? null : est.point - reference,
        x, p,
      });
    }
  }
  return out;
}

/** The groups of the table and figure: one per (role, name, method), in order of first appearance. */
function groups(es: BoundaryEstimate[]): { label: string; es: BoundaryEstimate[] }[] {
  const m = new Map<string, BoundaryEstimate[]>();
  for (const e of es) {
    const k = e.role === 'teacher' ? `teacher (n = ${e.sites})` : `${e.name} (n = ${e.sites}), ${e.method === 'kd' ? 'KD' : e.method === 'label' ? 'label-only' : e.method}`;
    const l = m.get(k) ?? [];
    l.push(e);
    m.set(k, l);
  }
  return [...m].map(([label, es]) => ({ label, es }));
}

const fmt = (v: number[], d = 3) => (v.length ? formatMeanStd(v, d) : '–');

/** The phase-boundary table of a study: heading, headers, rows and a note (null without phase maps). */
export function phaseBoundaryReportTable(res: ExperimentResults): { heading: string; headers: string[]; rows: (string | number)[][]; note: string } | null {
  const es = boundaryEstimates(res);
  if (!es.length) return null;
  const rows = groups(es).map(({ label, es: g }) => {
    const ok = g.filter((e) => e.ratio !== null);
    return [
      label,
      fmt(ok.map((e) => e.ratio!)),
      fmt(ok.map((e) => Math.abs(e.error!))),
      g[0]!.reference === null ? '–' : g[0]!.reference.toFixed(3),
      g[0]!.reference === null ? '–' : fmt(ok.map((e) => Math.abs(e.errorFiniteSize!))),
      `${g.length - ok.length}/${g.length}`,
      (g.reduce((a, e) => a + e.crossings, 0) / g.length).toFixed(2),
    ];
  });
  return {
    heading: 'Phase boundary: where each model puts the transition',
    headers: ['model', 'transition h/J', '|error| vs 1', 'finite-size h*/J', '|error| vs h*', 'never crosses', 'crossings'],
    rows,
    note: "Estimated transition: where the predicted probability of the disordered phase crosses 1/2 along a line of fixed J, interpolated linearly; ± is the std over seeds and lines. Errors are absolute, in h/J. Finite-size reference: the specific-heat maximum of the exact ground-state energy of an open TFIM chain of the model's own length.",
  };
}

/**
 * Markdown lines of the phase-boundary section ({@link phaseBoundaryReportTable}): per model and
 * method, the estimated transition h/J (mean ± std over seeds and lines of J), its absolute
 * error against h/J = 1 and against the finite-size reference, the runs whose prediction never
 * crosses 1/2, and the mean number of crossings. None when the results hold no phase maps.
 */
export function phaseBoundaryTable(res: ExperimentResults): string[] {
  const t = phaseBoundaryReportTable(res);
  if (!t) return [];
  return ['', `## ${t.heading}`, '', t.note, '', markdownTable(t.headers, t.rows)];
}

/**
 * Per run key: minus the mean absolute transition error |ĥ/J − 1| over the run's lines of J
 * (higher is better, so it reads like an accuracy in paired comparisons); null when the
 * prediction never crosses 1/2 on some line (no estimate).
 */
export function negTransitionError(res: ExperimentResults): (r: RunRecord) => number | null {
  const by = new Map<string, BoundaryEstimate[]>();
  for (const e of boundaryEstimates(res)) { const l = by.get(e.key) ?? []; l.push(e); by.set(e.key, l); }
  return (r) => {
    const es = by.get(r.key);
    if (!es?.length || es.some((e) => e.error === null)) return null;
    return -es.reduce((a, e) => a + Math.abs(e.error!), 0) / es.length;
  };
}

/**
 * The phase-boundary figures: the predicted probability of the disordered phase against h/J (mean
 * over seeds and lines of J at each h/J, ±1 std band when there are several), one figure per
 * student (`phase-boundary-<student name>`: the teacher's curve and that student's curve per
 * method), or one figure `phase-boundary` with the teacher alone when the results hold no student.
 * The labels' transition h/J = 1 and each drawn chain length's finite-size pseudo-critical point
 * h*(n) are vertical lines. Empty when the results hold no phase maps.
 */
export async function phaseBoundaryFigures(res: ExperimentResults): Promise<{ name: string; svg: string; caption: string }[]> {
  const es = boundaryEstimates(res);
  if (!es.length) return [];
  const teacher = es.filter((e) => e.role === 'teacher');
  const students = [...new Set(es.filter((e) => e.role !== 'teacher').map((e) => e.name))];
  const panels = students.length
    ? students.map((name) => ({ name: `phase-boundary-${name}`, student: name, es: [...teacher, ...es.filter((e) => e.role !== 'teacher' && e.name === name)] }))
    : [{ name: 'phase-boundary', student: null, es: teacher }];
  const out: { name: string; svg: string; caption: string }[] = [];
  for (const panel of panels) {
    // runs behind each point: the band caption gives their range (points may differ, e.g. a line of J without some h/J)
    const counts: number[] = [];
    const series = groups(panel.es).map(({ label, es: g }) => {
      const at = new Map<number, number[]>();
      for (const e of g) e.x.forEach((x, i) => { const k = Math.round(x * 1e9) / 1e9; const l = at.get(k) ?? []; l.push(e.p[i]!); at.set(k, l); });
      return {
        name: label,
        points: [...at].sort((a, b) => a[0] - b[0]).map(([x, v]) => {
          counts.push(v.length);
          const s = meanStd(v);
          return v.length > 1 ? { x, y: s.mean, lo: s.mean - s.std, hi: s.mean + s.std } : { x, y: s.mean };
        }),
      };
    });
    const refs: VerticalReferenceLine[] = [{ x: 1, label: 'h/J = 1' }];
    for (const n of [...new Set(panel.es.filter((e) => e.reference !== null).map((e) => e.sites))].sort((a, b) => a - b)) refs.push({ x: pseudoCritical(n), label: `h*(${n})` });
    const half: ReferenceLine = { y: 0.5, label: 'p = 1/2' };
    const banded = series.some((s) => s.points.some((p) => 'lo' in p));
    const svg = await lineChart({
      title: `${res.name}${res.quick ? ' (quick)' : ''}: predicted phase against h/J${panel.student !== null ? `, student ${panel.student}` : ''}`,
      subtitle: banded ? 'mean over seeds and lines of fixed J' : 'one run per point: no bands',
      legendTitle: 'model, method',
      ...(banded ? { uncertainty: { kind: 'std' as const, n: [Math.min(...counts), Math.max(...counts)] as const, of: 'runs' } } : {}),
      x: { label: 'h/J' },
      y: { label: 'predicted probability of the disordered phase' },
      series,
      references: [half],
      xReferences: refs,
    });
    out.push({
      name: panel.name,
      svg,
      caption: `Predicted probability of the disordered (paramagnetic) phase against h/J, ${panel.student !== null ? `the teacher and student ${panel.student} per method` : 'the teacher'}. Dashed vertical lines: the labels' transition h/J = 1 and, per chain length n, the finite-size pseudo-critical point h*(n) of the open TFIM chain.`,
    });
  }
  return out;
}
