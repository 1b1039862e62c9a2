/**
 * Tables and figures of an experiment, made from `results.json` alone (never re-running
 * anything): `table.md` with mean ± std over seeds and the KD-minus-label differences, and
 * SVG figures (accuracy bars, convergence curves with bands, the teacher-bond sweep).
 */
import { join } from 'node:path';
import { barChart, formatMeanStd, heatmap, lineChart, markdownTable, meanStd, writeFigure } from '../report/index.js';
import { writeFileAtomic } from '../infra/atomic.js';
import type { ExperimentResults, RunRecord } from './runner.js';

interface Group { role: string; name: string; method: string; chiT: number | null; runs: RunRecord[] }

function groups(runs: RunRecord[]): Group[] {
  const m = new Map<string, Group>();
  for (const r of runs) {
    const k = `${r.role}|${r.name}|${r.method}|${r.chiT}`;
    if (!m.has(k)) m.set(k, { role: r.role, name: r.name, method: r.method, chiT: r.chiT, runs: [] });
    m.get(k)!.runs.push(r);
  }
  return [...m.values()];
}
const vals = (rs: RunRecord[], f: (r: RunRecord) => number | null | undefined): number[] => rs.map(f).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
const ms = (v: number[], d = 3) => (v.length ? formatMeanStd(v, d) : '–');
/** mean ± std of possibly empty values (n = 0 gives NaN, filtered out by callers). */
const stat = (v: number[]) => (v.length ? meanStd(v) : { mean: NaN, std: NaN, n: 0 });

/** The markdown report. */
export function resultsTable(res: ExperimentResults): string {
  const gs = groups(res.runs);
  const out: string[] = [`# ${res.name}${res.quick ? ' (quick)' : ''}`, ''];
  if (res.config.description) out.push(res.config.description, '');
  out.push(`Seeds: ${res.config.seeds.join(', ')}. qdistill ${res.qdistillVersion}, commit ${res.gitCommit}, ${res.node}, ${res.workers} worker(s), wall time ${res.wallSeconds.toFixed(1)} s.`, '');
  const commits = [...new Set(res.runs.map((r) => r.gitCommit).filter((c): c is string => !!c))];
  if (commits.length > 1) out.push(`Runs reused by --resume come from ${commits.length} commits: ${commits.join(', ')} (each run records its own).`, '');
  out.push('## Final accuracy (mean ± std over seeds)', '');
  out.push(markdownTable(
    ['role', 'model', 'method', 'χ_T', 'qubits', 'layers', 'params', 'test accuracy', 'val accuracy', 'teacher F (train, mean)', 'seconds'],
    gs.map((g) => {
      const r0 = g.runs[0]!;
      return [g.role, g.name, g.method, g.chiT ?? '–', r0.model.qubits, r0.model.layers, r0.model.params,
        ms(vals(g.runs, (r) => r.final.test_accuracy)), ms(vals(g.runs, (r) => r.final.val_accuracy)),
        ms(vals(g.runs, (r) => r.teacher?.train_fidelity_mean), 6), ms(vals(g.runs, (r) => r.seconds), 1)];
    }),
  ));
  // KD against label-only, paired by seed
  const students = [...new Set(res.runs.filter((r) => r.role === 'student').map((r) => r.name))];
  const pairs = students.map((name) => {
    const label = res.runs.filter((r) => r.role === 'student' && r.name === name && r.method === 'label');
    const kd = res.runs.filter((r) => r.role === 'student' && r.name === name && r.method === 'kd');
    const d = kd.flatMap((k) => {
      const l = label.find((x) => String(x.seed) === String(k.seed));
      return l && k.final.test_accuracy !== null && l.final.test_accuracy !== null ? [k.final.test_accuracy - l.final.test_accuracy] : [];
    });
    return { name, d };
  }).filter((p) => p.d.length > 0);
  if (pairs.length) {
    out.push('', '## KD against label-only training (test accuracy, KD − label, paired by seed)', '');
    out.push(markdownTable(['student', 'Δ accuracy', 'seeds where KD is better', 'verdict'], pairs.map(({ name, d }) => {
      const s = meanStd(d);
      const better = d.filter((x) => x > 0).length;
      const verdict = s.n >= 2 && s.mean - s.std > 0 ? 'KD better' : s.n >= 2 && s.mean + s.std < 0 ? 'KD worse' : 'no clear difference';
      return [name, formatMeanStd(d, 3), `${better}/${d.length}`, verdict];
    })));
  }
  const self = gs.filter((g) => g.role === 'self');
  if (self.length) {
    const target = res.config.selfDistillation?.targetAccuracy;
    out.push('', `## Self-distillation: epochs to validation accuracy ≥ ${target}`, '');
    out.push(markdownTable(['method', 'epochs to target', 'runs reaching it', 'final test accuracy'], self.map((g) => {
      const e = vals(g.runs, (r) => r.epochsToTarget);
      return [g.method, ms(e, 1), `${e.length}/${g.runs.length}`, ms(vals(g.runs, (r) => r.final.test_accuracy))];
    })));
  }
  const bond = gs.filter((g) => g.role === 'bond').sort((a, b) => (a.chiT ?? 0) - (b.chiT ?? 0));
  if (bond.length) {
    out.push('', '## Teacher bond dimension χ_T against the KD student', '');
    out.push(markdownTable(['χ_T', 'teacher F (train, mean)', 'teacher F (train, min)', 'teacher test accuracy', 'KD student test accuracy'], bond.map((g) => [
      g.chiT ?? '–', ms(vals(g.runs, (r) => r.teacher?.train_fidelity_mean), 6), ms(vals(g.runs, (r) => r.teacher?.train_fidelity_min), 6),
      ms(vals(g.runs, (r) => r.teacher?.test_accuracy)), ms(vals(g.runs, (r) => r.final.test_accuracy)),
    ])));
  }
  out.push('', '## Datasets', '', '```json', JSON.stringify(res.datasets, null, 1), '```', '');
  return out.join('\n');
}

/** Writes `table.md` and the figures; returns the paths written. */
export async function writeReport(res: ExperimentResults, outDir: string): Promise<string[]> {
  const written: string[] = [];
  const tablePath = join(outDir, 'table.md');
  await writeFileAtomic(tablePath, resultsTable(res));
  written.push(tablePath);
  const gs = groups(res.runs);
  const sGroups = gs.filter((g) => g.role === 'student' || g.role === 'teacher');
  if (sGroups.length) {
    const categories = [...new Set(sGroups.map((g) => g.name))];
    const methods = [...new Set(sGroups.map((g) => g.method))];
    const svg = await barChart({
      title: `${res.name}: test accuracy`,
      categories,
      xLabel: 'model',
      y: { label: 'test accuracy' },
      groups: methods.map((m) => {
        const per = categories.map((c) => stat(vals(sGroups.find((g) => g.name === c && g.method === m)?.runs ?? [], (r) => r.final.test_accuracy)));
        return { name: m, values: per.map((p) => (p.n ? p.mean : 0)), errors: per.map((p) => (p.n > 1 ? p.std : 0)) };
      }),
    });
    written.push(await writeFigure(outDir, 'accuracy', svg));
  }
  const curves = async (role: string, name: string, metric: 'val_accuracy' | 'test_accuracy', title: string) => {
    const gsR = gs.filter((g) => g.role === role);
    if (!gsR.length) return;
    const series = gsR.map((g) => {
      const E = Math.max(...g.runs.map((r) => r.history.length));
      const points = Array.from({ length: E }, (_, e) => {
        const v = vals(g.runs, (r) => r.history[e]?.[metric]);
        const s = stat(v);
        return { x: e + 1, y: s.mean, lo: s.mean - s.std, hi: s.mean + s.std };
      }).filter((p) => Number.isFinite(p.y));
      return { name: `${g.name}/${g.method}`, points };
    }).filter((s) => s.points.length > 0);
    if (series.length) written.push(await writeFigure(outDir, name, await lineChart({ title, x: { label: 'epoch' }, y: { label: metric.replace('_', ' ') }, series })));
  };
  await curves('self', 'convergence', 'val_accuracy', `${res.name}: validation accuracy (mean ± std over seeds)`);
  await curves('student', 'learning-curves', 'test_accuracy', `${res.name}: student test accuracy per epoch`);
  const bond = gs.filter((g) => g.role === 'bond').sort((a, b) => (a.chiT ?? 0) - (b.chiT ?? 0));
  if (bond.length) {
    const line = (label: string, f: (r: RunRecord) => number | null | undefined) => ({
      name: label,
      points: bond.map((g) => { const s = stat(vals(g.runs, f)); return { x: g.chiT ?? 0, y: s.mean, lo: s.mean - s.std, hi: s.mean + s.std }; }).filter((p) => Number.isFinite(p.y)),
    });
    const svg = await lineChart({
      title: `${res.name}: KD student against the teacher's bond dimension`,
      x: { label: 'teacher bond dimension χ_T', scale: 'log' },
      y: { label: 'accuracy / fidelity estimate' },
      series: [line('KD student test accuracy', (r) => r.final.test_accuracy), line('teacher test accuracy', (r) => r.teacher?.test_accuracy), line('teacher fidelity estimate (mean)', (r) => r.teacher?.train_fidelity_mean)],
    });
    written.push(await writeFigure(outDir, 'teacher-bond', svg));
  }
  written.push(...(await phaseFigures(res, outDir)));
  return written;
}

/**
 * Phase diagrams: for phase data, the fraction of seeds predicting phase 1 at every grid point,
 * per model — a line against the swept parameter (1-D grids, with the exact phase as a dashed
 * reference) or one heatmap per model and method plus one of the exact phase (2-D grids).
 */
async function phaseFigures(res: ExperimentResults, outDir: string): Promise<string[]> {
  const withMap = res.runs.filter((r) => r.phaseMap);
  if (!withMap.length || res.config.data.type !== 'phases') return [];
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
  const out: string[] = [];
  if (axes.length === 1) {
    const a = axes[0]!;
    const series = gs.map((g) => ({ name: `${g.name}/${g.method}`, points: [...frac(g).values()].map((e) => ({ x: e.p[a]!, y: e.sum / e.n })).sort((u, v) => u.x - v.x) }));
    const truth = [...frac(gs[0]!).values()].map((e) => ({ x: e.p[a]!, y: e.label })).sort((u, v) => u.x - v.x);
    series.push({ name: 'exact phase', points: truth });
    out.push(await writeFigure(outDir, 'phase-diagram', await lineChart({ title: `${res.name}: predicted phase (fraction of seeds) against ${a}`, x: { label: a }, y: { label: 'P(phase 1)' }, series })));
  } else if (axes.length === 2) {
    const [ax, ay] = axes as [string, string];
    // the exact phase from the known boundary, for comparison with the predicted maps
    const exact = frac(gs[0]!);
    const exactCells = grid[ay]!.map((y) => grid[ax]!.map((x) => exact.get(key({ [ax]: x, [ay]: y }))?.label ?? NaN));
    if (exactCells.every((row) => row.every((v) => Number.isFinite(v)))) {
      out.push(await writeFigure(outDir, 'phase-diagram-exact', await heatmap({
        title: `${res.name}: exact phase (0 = ordered, 1 = disordered)`, x: { label: ax, values: grid[ax]! }, y: { label: ay, values: grid[ay]! }, cells: exactCells, colorLabel: 'phase', colorDomain: [0, 1],
      })));
    }
    for (const g of gs) {
      const m = frac(g);
      const xs = grid[ax]!, ys = grid[ay]!;
      const cells = ys.map((y) => xs.map((x) => { const e = m.get(key({ [ax]: x, [ay]: y })); return e ? e.sum / e.n : NaN; }));
      if (cells.some((row) => row.some((v) => !Number.isFinite(v)))) continue;
      out.push(await writeFigure(outDir, `phase-diagram-${g.name}-${g.method}`.replace(/[^A-Za-z0-9._-]/g, '_'), await heatmap({
        title: `${res.name}: ${g.name}/${g.method}, predicted phase`, x: { label: ax, values: xs }, y: { label: ay, values: ys }, cells, colorLabel: 'P(phase 1)', colorDomain: [0, 1],
      })));
    }
  }
  return out;
}
