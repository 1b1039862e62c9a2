/**
 * The hardware sweep's part of the report (E7), from `results.json` alone: a table of test
 * accuracy at every shot count and two-qubit depolarizing rate per method, the KD-minus-label
 * comparison paired by seed at every point (tests, Holm correction and verdict from
 * `report-stats.ts`), the same for the accuracy each arm loses against its exact-readout
 * student (robustness), and two figures (accuracy against shots, against the rate) with
 * ±1 std bands over seeds.
 */
import { formatMeanStd, lineChart, markdownTable, meanStd, type ReferenceLine } from '../report/index.js';
import type { ExperimentResults, RunRecord } from './runner.js';
import { comparisonTable, type ComparisonTable } from './report-stats.js';

/** A point of the sweep read back from a record: its kind and its x value (K or P). */
function pointOf(r: RunRecord): { kind: 'shots' | 'depol2q'; x: number } | null {
  const m = /^(shots|depol2q)-(.+)$/.exec(r.hardware?.point ?? '');
  return m ? { kind: m[1] as 'shots' | 'depol2q', x: Number(m[2]) } : null;
}

/** The accuracy of a sweep run: its mean over shot/trajectory seeds (the final test accuracy when exact). */
const accuracyOf = (r: RunRecord): number | null => r.hardware?.testAccuracyMean ?? r.final.test_accuracy;

function fmt(v: number[], d = 3): string {
  return v.length ? formatMeanStd(v, d) : '–';
}

interface Cell { kind: 'shots' | 'depol2q'; x: number; method: string; runs: RunRecord[] }

function cells(res: ExperimentResults): Cell[] {
  const out = new Map<string, Cell>();
  for (const r of res.runs) {
    if (r.role !== 'hardware') continue;
    const p = pointOf(r);
    if (!p) continue;
    const k = `${p.kind}|${p.x}|${r.method}`;
    if (!out.has(k)) out.set(k, { ...p, method: r.method, runs: [] });
    out.get(k)!.runs.push(r);
  }
  return [...out.values()].sort((a, b) => (a.kind === b.kind ? a.x - b.x : a.kind === 'shots' ? -1 : 1));
}

const nums = (rs: RunRecord[], f: (r: RunRecord) => number | null | undefined): number[] => rs.map(f).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
const label = (c: { kind: 'shots' | 'depol2q'; x: number }) => (c.kind === 'shots' ? `${c.x} shots` : `depolarizing P₂ = ${c.x}`);

/** Markdown lines of the hardware section (none when the results hold no sweep runs). */
export function hardwareTable(res: ExperimentResults): string[] {
  const cs = cells(res);
  if (!cs.length) return [];
  const student = res.config.hardwareSweep?.student ?? cs[0]!.runs[0]!.name;
  const R = res.config.hardwareSweep?.evalRepeats ?? 1;
  const out = ['', `## Hardware: student ${student} under finite shots and two-qubit depolarizing noise`, ''];
  out.push(`Test accuracy is each run's mean over ${R} shot/trajectory seeds; ± is the std over run seeds. "Shot spread" is the mean over runs of the std over shot/trajectory seeds. Exact: the same student with exact readouts (adjoint gradient).`, '');
  const exact = (method: string) => res.runs.filter((r) => r.role === 'student' && r.name === student && r.method === method);
  const methods = [...new Set(cs.map((c) => c.method))];
  const rows: (string | number)[][] = methods.map((m) => ['exact readouts', m, 'adjoint', fmt(nums(exact(m), (r) => r.final.test_accuracy)), '0', exact(m).length]);
  for (const c of cs) {
    rows.push([label(c), c.method, c.runs[0]!.hardware?.gradient ?? '–', fmt(nums(c.runs, accuracyOf)), fmt(nums(c.runs, (r) => r.hardware?.testAccuracyStd)), c.runs.length]);
  }
  out.push(markdownTable(['setting', 'method', 'gradient', 'test accuracy', 'shot spread', 'runs'], rows));
  return out;
}

/**
 * The hardware comparisons, paired by seed (accuracy: each run's mean over shot/trajectory
 * seeds), each table one Holm family across the points:
 * 1. KD against label-only at every hardware point; the gap check compares the teacher with the
 *    label-only student under exact readouts.
 * 2. Robustness: the accuracy each arm loses at a point against its own exact-readout student of
 *    the same seed, label-only's loss minus KD's, Δ = (KD_point − KD_exact) −
 *    (label_point − label_exact) (> 0: KD loses less, i.e. is more robust). Points that run the
 *    exact path (P = 0, where Δ is 0 by construction) are left out.
 * Empty without paired points.
 */
export function hardwareComparisons(res: ExperimentResults): ComparisonTable[] {
  const cs = cells(res);
  if (!cs.length) return [];
  const student = res.config.hardwareSweep?.student ?? cs[0]!.runs[0]!.name;
  const byPoint = new Map<string, { c: { kind: 'shots' | 'depol2q'; x: number }; label?: RunRecord[]; kd?: RunRecord[] }>();
  for (const c of cs) {
    const k = `${c.kind}|${c.x}`;
    const e = byPoint.get(k) ?? { c };
    if (c.method === 'label') e.label = c.runs;
    if (c.method === 'kd') e.kd = c.runs;
    byPoint.set(k, e);
  }
  const points = [...byPoint.values()].filter((e) => e.label && e.kd);
  const teacher = res.runs.filter((r) => r.role === 'teacher');
  const exactOf = (method: string) => res.runs.filter((r) => r.role === 'student' && r.name === student && r.method === method);
  const exactAcc = new Map(['label', 'kd'].flatMap((m) => exactOf(m).map((r) => [`${m}|${String(r.seed)}`, r.final.test_accuracy] as const)));
  const loss = (r: RunRecord): number | null => {
    const a = accuracyOf(r), e = exactAcc.get(`${r.method}|${String(r.seed)}`);
    return typeof a === 'number' && typeof e === 'number' ? a - e : null;
  };
  const out: ComparisonTable[] = [];
  const kd = comparisonTable(`Hardware: KD against label-only under shots and noise, student ${student} (test accuracy, KD − label, paired by seed)`, 'setting', 'KD',
    points.map((e) => ({ label: label(e.c), series: 'KD', a: e.kd!, b: e.label!, metric: accuracyOf, gap: { teacher, student: exactOf('label') } })), undefined,
    { name: 'differences-hardware-kd', title: `hardware, student ${student}: KD − label-only`, x: 'setting', y: 'Δ test accuracy (KD − label-only)' });
  if (kd) out.push(kd);
  const robust = comparisonTable(`Hardware: robustness, student ${student} (accuracy lost against the same seed's exact-readout student, Δ = label-only's loss − KD's loss; Δ > 0: KD loses less, is more robust)`, 'setting', 'KD',
    points.filter((e) => !(e.c.kind === 'depol2q' && e.c.x === 0)).map((e) => ({ label: label(e.c), series: 'KD', a: e.kd!, b: e.label!, metric: loss })), undefined,
    { name: 'differences-hardware-robustness', title: `hardware, student ${student}: robustness of KD against label-only`, x: 'setting', y: "Δ = label-only's accuracy lost − KD's" });
  if (robust) out.push(robust);
  return out;
}

/**
 * The figures `hardware-shots` and `hardware-noise` (those with data) as file name, SVG and
 * caption, for the report to write; `chance` is the chance-level line drawn on both.
 */
export async function hardwareFigures(res: ExperimentResults, chance: ReferenceLine): Promise<{ name: string; svg: string; caption: string }[]> {
  const cs = cells(res);
  if (!cs.length) return [];
  const student = res.config.hardwareSweep?.student ?? cs[0]!.runs[0]!.name;
  const R = res.config.hardwareSweep?.evalRepeats ?? 1;
  const seeds = new Set(cs.flatMap((c) => c.runs.map((r) => String(r.seed)))).size;
  const written: { name: string; svg: string; caption: string }[] = [];
  for (const kind of ['shots', 'depol2q'] as const) {
    const mine = cs.filter((c) => c.kind === kind);
    if (!mine.length) continue;
    const methods = [...new Set(mine.map((c) => c.method))];
    const xs = mine.map((c) => c.x);
    // seeds behind each drawn point: the caption gives their range (a point may miss a seed's run)
    const counts: number[] = [];
    const series = methods.map((m) => ({
      name: m === 'kd' ? 'KD (noiseless teacher)' : m === 'label' ? 'label-only' : m,
      points: mine.filter((c) => c.method === m).map((c) => {
        const v = nums(c.runs, accuracyOf);
        const s = v.length ? meanStd(v) : { mean: NaN, std: NaN, n: 0 };
        if (v.length) counts.push(v.length);
        return seeds > 1 ? { x: c.x, y: s.mean, lo: s.mean - s.std, hi: s.mean + s.std } : { x: c.x, y: s.mean };
      }).filter((p) => Number.isFinite(p.y)),
    })).filter((s) => s.points.length > 0);
    // the exact-readout student as a flat reference across the swept range
    for (const m of methods) {
      const v = nums(res.runs.filter((r) => r.role === 'student' && r.name === student && r.method === m), (r) => r.final.test_accuracy);
      if (v.length) {
        const y = meanStd(v).mean;
        series.push({ name: `${m === 'kd' ? 'KD' : m === 'label' ? 'label-only' : m}, exact readouts`, points: [{ x: Math.min(...xs), y }, { x: Math.max(...xs), y }] });
      }
    }
    if (!series.length) continue;
    const n = [Math.min(...counts), Math.max(...counts)] as const;
    const svg = await lineChart({
      title: `${res.name}${res.quick ? ' (quick)' : ''}: student test accuracy against ${kind === 'shots' ? 'shots per input' : 'two-qubit depolarizing rate'}`,
      legendTitle: 'training method',
      ...(seeds > 1 ? { uncertainty: { kind: 'std' as const, n } } : {}),
      subtitle: seeds > 1
        ? `mean over n = ${n[0] === n[1] ? n[0] : `${n[0]}–${n[1]}`} seeds; each run averaged over ${R} shot/trajectory seeds`
        : `one seed (n = 1): no error bands; each run averaged over ${R} shot/trajectory seeds`,
      references: [chance],
      x: kind === 'shots' ? { label: 'shots per input K', scale: 'log' } : { label: 'two-qubit depolarizing rate P (Qiskit Aer depolarizing_error)' },
      y: { label: 'test accuracy' },
      series,
    });
    written.push({
      name: kind === 'shots' ? 'hardware-shots' : 'hardware-noise',
      svg,
      caption: kind === 'shots'
        ? `Student test accuracy against the number of shots per input K, per training method; flat lines: the same students with exact readouts.`
        : `Student test accuracy against the two-qubit depolarizing rate P, per training method; flat lines: the same students without noise.`,
    });
  }
  return written;
}
