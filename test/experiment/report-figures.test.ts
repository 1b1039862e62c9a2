/**
 * The figures of a study report, read back from their SVG: every row of the final-accuracy table
 * is a bar with the table's mean, every method in the legend, chance level on every accuracy
 * plot, integer epoch ticks, "(quick)" in quick runs' titles, captions that say what the error
 * bars are, and discrete colours for phase maps. Inputs are hand-made results (known numbers).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { reportFigures, reportTables, resultsTable } from '../../src/experiment/report.js';
import type { ExperimentResults, RunRecord } from '../../src/experiment/runner.js';
import { discreteColors } from '../../src/report/specs.js';
import { legend, markGroups, tickLabels, titleLines } from '../helpers/svg.js';
import { SYNTHETIC_RUNS, syntheticResults } from '../helpers/synthetic-results.js';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const figure = async (res: ExperimentResults, name: string) => (await reportFigures(res)).find((f) => f.name === name)!.svg;
/** Bars of a bar chart as { model, method, value } from their accessible labels. */
const bars = (svg: string) =>
  [...markGroups(svg, 'rect')[0]!.matchAll(/aria-label="model: ([^;]*); test accuracy: ([^;]*);[^"]*group: ([^"]*)"/g)].map((m) => ({ model: m[1]!, value: Number(m[2]), method: m[3]! }));

describe('the accuracy figure shows every row of the final-accuracy table', () => {
  it.each([1, 2, 3])('%i seed(s): one bar per row at the row\'s mean, every method in the legend', async (seeds) => {
    const res = syntheticResults({ seeds });
    const svg = await figure(res, 'accuracy');
    const table = reportTables(res)[0]!;
    expect(bars(svg)).toHaveLength(table.rows.length);
    for (const r of SYNTHETIC_RUNS) {
      const model = r.role === 'bond' ? `${r.name} (χ_T = ${r.chiT})` : r.name;
      const bar = bars(svg).find((b) => b.model === model && b.method === r.method);
      expect(bar, `${model} / ${r.method}`).toBeDefined();
      // vega writes the value rounded for its label; the table's mean to 3 decimals
      expect(bar!.value).toBeCloseTo(mean(r.acc.slice(0, seeds)), 3);
    }
    expect(new Set(legend(svg).labels)).toEqual(new Set(table.rows.map((row) => row[2])));
    expect(legend(svg).titles).toEqual(['training method']);
    expect(legend(svg).labels).toEqual(expect.arrayContaining(['plain', 'pskd', 'label', 'kd']));
  });

  it('a method with no data for a model draws no bar there (the teacher has no KD bar)', async () => {
    const svg = await figure(syntheticResults(), 'accuracy');
    expect(bars(svg).filter((b) => b.model === 'teacher').map((b) => b.method)).toEqual(['label']);
    expect(bars(svg).every((b) => b.value > 0.5)).toBe(true);
  });
});

describe('error bars and bands say what they are', () => {
  it('3 seeds: ± 1 std over n = 3 seeds, drawn', async () => {
    const figs = await reportFigures(syntheticResults({ seeds: 3 }));
    expect(titleLines(figs.find((f) => f.name === 'accuracy')!.svg).subtitle).toEqual(['error bars: mean ± 1 std over n = 3 seeds']);
    for (const name of ['convergence', 'learning-curves', 'teacher-bond']) expect(titleLines(figs.find((f) => f.name === name)!.svg).subtitle).toEqual(['bands: mean ± 1 std over n = 3 seeds']);
  });

  it('1 seed: no bars or bands, and the subtitle says why', async () => {
    const figs = await reportFigures(syntheticResults({ seeds: 1 }));
    for (const f of figs) expect(titleLines(f.svg).subtitle, f.name).toEqual(['one seed (n = 1): no error bars']);
    const accuracy = figs.find((f) => f.name === 'accuracy')!.svg;
    expect(markGroups(accuracy, 'rule').filter((g) => !g.includes('stroke-dasharray'))).toEqual([]);
    expect(markGroups(figs.find((f) => f.name === 'convergence')!.svg, 'area')).toEqual([]);
  });
});

describe('every accuracy plot has the chance level; epochs are integers; legends are named', () => {
  it.each([3, 7, 12])('%i epochs', async (epochs) => {
    const figs = await reportFigures(syntheticResults({ epochs }));
    expect(figs.map((f) => f.name)).toEqual(['accuracy', 'convergence', 'time-to-target', 'learning-curves', 'teacher-bond', 'differences-kd']);
    // time-to-target plots a fraction of runs and the difference figures a difference of
    // accuracies, not an accuracy: no chance level there (the latter has its line at Δ = 0)
    for (const f of figs.filter((g) => g.name !== 'time-to-target' && !g.name.startsWith('differences-'))) {
      expect(f.svg, f.name).toContain('>chance (1/4)</text>');
      expect(markGroups(f.svg, 'rule').filter((g) => g.includes('stroke-dasharray')), f.name).toHaveLength(1);
      expect(legend(f.svg).titles.length, f.name).toBeGreaterThan(0);
      expect(legend(f.svg).titles, f.name).not.toContain('series');
    }
    for (const name of ['convergence', 'learning-curves', 'teacher-bond']) {
      const labels = tickLabels(figs.find((f) => f.name === name)!.svg, 'X').filter((l) => l !== '');
      expect(labels.filter((l) => !/^\d+$/.test(l)), name).toEqual([]);
    }
  });

  it('chance is 1/K for K classes: MNIST digits 0–9 give 1/10', async () => {
    const res = syntheticResults();
    res.config.data = { ...(res.config.data as { type: 'mnist'; classes: number[] }), classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } as typeof res.config.data;
    expect(await figure(res, 'accuracy')).toContain('>chance (1/10)</text>');
  });
});

describe('quick runs say so in every title', () => {
  it.each([true, false])('quick: %s', async (quick) => {
    const res = syntheticResults({ quick });
    for (const f of await reportFigures(res)) expect(titleLines(f.svg).title[0]!.startsWith(quick ? 'small-study (quick): ' : 'small-study: '), f.name).toBe(true);
    expect(resultsTable(res).split('\n')[0]).toBe(quick ? '# small-study (quick)' : '# small-study');
  });

  it('a quick report says that the description is the full study\'s and names what the quick block overrides', () => {
    const quick = resultsTable(syntheticResults({ quick: true }));
    expect(quick).toContain('This is the --quick variant: the description above is the full study\'s; the config\'s quick block overrides `data`, `training`,');
    expect(resultsTable(syntheticResults({ quick: false }))).not.toContain('--quick variant');
    // a quick block with its own description needs no such line
    const own = syntheticResults({ quick: true });
    own.config.quick = { ...own.config.quick, description: 'the quick demo' };
    own.config.description = 'the quick demo';
    expect(resultsTable(own)).not.toContain('--quick variant');
    expect(resultsTable(own)).toContain('the quick demo');
  });
});

describe('phase maps use a discrete colour scale', () => {
  /** E5's quick grid with hand-made predictions: seed s gets the point (J, h) wrong when s < wrong(J, h). */
  const phaseResults = (seeds: number) => {
    const file = 'experiments/e5-many-body.json';
    const config = resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { quick: true, file });
    config.seeds = Array.from({ length: seeds }, (_, s) => s + 1);
    const grid = config.data.type === 'phases' ? config.data.grid : {};
    const params = grid['J']!.flatMap((J) => grid['h']!.map((h) => ({ J, h })));
    const label = params.map((p) => (Math.abs(p.h) < Math.abs(p.J) ? 0 : 1));
    const base = syntheticResults({ seeds, runs: [{ role: 'teacher', name: 'teacher', method: 'label', chiT: null, acc: [0.9, 0.9, 0.9] }] });
    const runs: RunRecord[] = base.runs.map((r, s) => ({ ...r, phaseMap: { params, label, predicted: label.map((l, i) => (i === 1 && s === 0 ? 1 - l : l)) } }));
    return { ...base, config, runs };
  };
  const fills = (svg: string) => new Set([...markGroups(svg, 'rect')[0]!.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1]!.toLowerCase()));

  it('the exact map: two colours, legend 0: ferromagnet, 1: paramagnet, no gradient', async () => {
    const figs = await reportFigures(phaseResults(1));
    const exact = figs.find((f) => f.name === 'phase-diagram-exact')!.svg;
    expect(legend(exact).labels).toEqual(['0: ferromagnet', '1: paramagnet']);
    expect(fills(exact)).toEqual(new Set(discreteColors(2)));
    expect(exact).not.toMatch(/linearGradient/);
    const predicted = figs.find((f) => f.name === 'phase-diagram-teacher-label')!.svg;
    expect(legend(predicted).labels).toEqual(['0: ferromagnet', '1: paramagnet']);
    expect(predicted).not.toMatch(/linearGradient/);
  });

  it('3 seeds: the fraction of seeds k/3 has 4 levels, one seed wrong at one point shows as 1/3 or 2/3', async () => {
    const predicted = (await reportFigures(phaseResults(3))).find((f) => f.name === 'phase-diagram-teacher-label')!.svg;
    expect(legend(predicted).labels).toEqual(['0/3 seeds', '1/3 seeds', '2/3 seeds', '3/3 seeds']);
    const used = fills(predicted);
    expect(used.size).toBe(3);
    expect([...used].every((c) => discreteColors(4).includes(c))).toBe(true);
  });
});

describe('learning curves under a step budget', () => {
  /** Points of a line chart as { x, y, series } from their accessible labels. */
  const points = (svg: string, x: string) => [...svg.matchAll(new RegExp(`aria-label="${x}: ([^;]*); test accuracy: ([^;]*); series: ([^"]*)"`, 'g'))].map((m) => ({ x: Number(m[1]), y: Number(m[2]), series: m[3]! }));

  it('plots test accuracy against optimizer steps when every record has its steps, so arms with epochs of different lengths line up', async () => {
    const res = syntheticResults({ seeds: 2, epochs: 4 });
    // label: 4 steps per epoch; kd: 10 (a larger training set); test accuracy known per record
    for (const r of res.runs) {
      const per = r.method === 'kd' ? 10 : 4;
      r.history = r.history.map((h, e) => ({ ...h, steps: per * (e + 1), test_accuracy: r.method === 'kd' ? 0.5 + 0.01 * e + 0.02 * (Number(r.seed) - 1) : 0.4 + 0.01 * e }));
    }
    const svg = await figure(res, 'learning-curves');
    expect(titleLines(svg).title[0]).toMatch(/student test accuracy against optimizer steps$/);
    const pts = points(svg, 'optimizer step');
    const kd = pts.filter((p) => p.series.endsWith('/ kd'));
    expect(kd.length).toBeGreaterThan(0);
    expect([...new Set(kd.map((p) => p.x))].sort((a, b) => a - b)).toEqual([10, 20, 30, 40]);
    // the mean over the two seeds at each step
    for (const p of kd) expect(p.y).toBeCloseTo(0.51 + 0.01 * (p.x / 10 - 1), 6);
    const label = pts.filter((p) => p.series.endsWith('/ label'));
    expect([...new Set(label.map((p) => p.x))].sort((a, b) => a - b)).toEqual([4, 8, 12, 16]);
  });

  it('skips records that were not evaluated (training.evalEvery) and keeps epochs when a record lacks its steps', async () => {
    const res = syntheticResults({ seeds: 1, epochs: 4 });
    for (const r of res.runs) r.history = r.history.map((h, e) => ({ ...h, steps: 5 * (e + 1), test_accuracy: e % 2 === 1 ? 0.6 : null }));
    const pts = points(await figure(res, 'learning-curves'), 'optimizer step');
    expect([...new Set(pts.map((p) => p.x))].sort((a, b) => a - b)).toEqual([10, 20]);
    const first = res.runs.find((r) => r.role === 'student')!;
    delete first.history[0]!.steps;
    const svg = await figure(res, 'learning-curves');
    expect(titleLines(svg).title[0]).toMatch(/student test accuracy per epoch$/);
    expect(points(svg, 'epoch').map((p) => p.x).sort((a, b) => a - b)[0]).toBe(2);
  });
});

describe('time to target: curves that coincide stay distinguishable', () => {
  /** A self run whose validation accuracy reaches 1 at step `time` (event) or stays 0 up to it (censored). */
  const selfRun = (seed: number, method: string, time: number, event: boolean): RunRecord => {
    const val_steps = Array.from({ length: time }, (_, i) => ({ step: i + 1, val_accuracy: event && i + 1 >= time ? 1 : 0, val_loss: 0 }));
    const base = syntheticResults({ seeds: 1 }).runs.find((r) => r.role === 'self')!;
    return { ...base, key: `seed-${seed}/self/${method}`, seed, method, history: [{ ...base.history[0]!, val_accuracy: val_steps.at(-1)!.val_accuracy, val_steps }], final: { ...base.final, val_accuracy: event ? 1 : 0 } };
  };
  // plain reaches the target at steps 3, 5, 6; PS-KD, cyclic and snapshot all at 2, 4, 4 (identical step curves)
  const res = syntheticResults({ seeds: 3 });
  res.runs = [
    ...[3, 5, 6].map((t, i) => selfRun(i + 1, 'plain', t, true)),
    ...['pskd', 'cyclic', 'snapshot'].flatMap((m) => [2, 4, 4].map((t, i) => selfRun(i + 1, m, t, true))),
  ];

  it('each method has its own dash pattern and open marker shape, and the subtitle and caption name the coincident curves', async () => {
    const f = (await reportFigures(res)).find((x) => x.name === 'time-to-target')!;
    const lines = markGroups(f.svg, 'line');
    expect(lines).toHaveLength(4); // one per method
    const dashes = lines.map((g) => /<path [^>]*?stroke="([^"]+)"[^>]*?>/.exec(g)!).map((m) => [m[1], /stroke-dasharray="([^"]+)"/.exec(m[0])?.[1] ?? 'solid'].join(' '));
    // four colours and four dash patterns: where curves lie on each other, every colour shows in the gaps
    expect(new Set(dashes.map((d) => d.split(' ')[0])).size).toBe(4);
    expect(new Set(dashes.map((d) => d.split(' ')[1])).size).toBe(4);
    const symbols = markGroups(f.svg, 'symbol');
    expect(symbols).toHaveLength(1);
    const shapes = new Set([...symbols[0]!.matchAll(/<path [^>]*?d="([^"]+)"/g)].map((m) => m[1]!.replace(/[-\d.]+/g, '#')));
    expect(shapes.size).toBeGreaterThanOrEqual(4); // a circle, a square, a triangle and a diamond
    expect(symbols[0]).not.toMatch(/fill="#[0-9a-f]{6}"/); // open markers: the ones below show through
    expect(legend(f.svg).titles).toEqual(['method']);
    expect(legend(f.svg).labels).toEqual(['plain', 'pskd', 'cyclic', 'snapshot']);
    expect(titleLines(f.svg).subtitle).toContain('curves on top of each other: pskd = cyclic = snapshot');
    expect(f.caption).toContain('Curves that coincide are drawn on top of each other, each in its own dash pattern and marker: pskd = cyclic = snapshot.');
  });

  it('without coincident curves, neither says so', async () => {
    const apart = { ...res, runs: res.runs.filter((r) => r.method === 'plain' || r.method === 'pskd') };
    const f = (await reportFigures(apart)).find((x) => x.name === 'time-to-target')!;
    expect(titleLines(f.svg).subtitle.join(' ')).not.toContain('on top of each other');
    expect(f.caption).not.toContain('coincide');
  });
});
