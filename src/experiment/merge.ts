/**
 * The merge: assembles `results.json` of a study from the outputs its tasks left in a results
 * folder — the run records in plan order, each seed's data provenance, and the norm-drift
 * alarm over every task, and the study's timing over every invocation that worked on it
 * (`invocations.ts`). A local `qdistill run` ends with the same function, so a study
 * assembled from tasks run anywhere equals a local run (timing fields aside).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NumericsSummary } from '../distill/objective.js';
import { writeFileAtomic } from '../infra/atomic.js';
import { QDISTILL_VERSION } from '../version.js';
import type { ExperimentConfig } from './config.js';
import { kdChoiceCounts, kdIsGrid } from './kd-grid.js';
import { readInvocations, studyTiming } from './invocations.js';
import { planStudy, RUN_KINDS, runRecordPath, taskDonePath } from './plan.js';
import { gitCommit } from './provenance.js';
import { readJsonNamed, readRunRecord, ResultsFolderError } from './run-files.js';
import type { ExperimentResults, RunRecord } from './runner.js';
import { readTaskMarker, type TaskMarker } from './tasks.js';
import type { DataOutput } from './steps/data.js';

/** Options of {@link mergeStudy}. */
export interface MergeOptions {
  /** Worker threads to record (default: the largest any task ran with). */
  workers?: number;
  /** The commit to record (default: this working tree's). */
  gitCommit?: string;
  /** How to run a task, for the error message (`{id}` is replaced). */
  taskHint?: string;
  /**
   * How to merge only the seeds whose tasks have all finished, for the error message when some
   * have (`{seeds}` is replaced by them, comma-separated).
   */
  subsetHint?: string;
}

/** A JSON null where a drift was ±Infinity or NaN (JSON has neither) reads as Infinity. */
const drift = (n: NumericsSummary | undefined): number => (n === undefined ? 0 : n.normDriftMax ?? Infinity);

/**
 * Builds and writes `<outDir>/results.json` for `cfg` (resolved, quick overrides applied) from
 * the task outputs in `outDir`, and returns the results. The timing fields (`startedAt`,
 * `wallSeconds`, `cpuSeconds`, `invocations`) cover every invocation recorded in `outDir` that
 * ran tasks of this plan, and the markers of tasks run before invocations were recorded
 * (see `studyTiming`).
 * @throws ResultsFolderError listing the tasks that have not finished in `outDir` (or finished
 *   under another config), and naming any damaged record or marker.
 */
export async function mergeStudy(cfg: ExperimentConfig, quick: boolean, outDir: string, o: MergeOptions = {}): Promise<ExperimentResults> {
  const plan = planStudy(cfg, quick);
  const markers = new Map<string, TaskMarker>();
  const missing: string[] = [];
  for (const t of plan.tasks) {
    const m = readTaskMarker(outDir, t.id);
    if (m === null || m.configHash !== plan.configHash) missing.push(t.id);
    else markers.set(t.id, m);
  }
  if (missing.length > 0) {
    const how = (o.taskHint ?? 'qdistill run CONFIG --task {id} --out DIR').replaceAll('{id}', missing[0]!);
    const done = cfg.seeds.filter((seed) => plan.tasks.every((t) => String(t.seed) !== String(seed) || !missing.includes(t.id)));
    const subset = o.subsetHint !== undefined && done.length > 0 ? `, or merge only the seeds whose tasks have all finished: '${o.subsetHint.replaceAll('{seeds}', done.join(','))}'` : '';
    throw new ResultsFolderError(`cannot merge ${outDir}: ${missing.length} of ${plan.tasks.length} task(s) have not finished there under this config (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): run each, e.g. '${how}' (qdistill plan lists the tasks)${subset}`);
  }
  const runs: RunRecord[] = [];
  const datasets: Record<string, unknown> = {};
  for (const t of plan.tasks) {
    if (t.kind === 'data') datasets[String(t.seed)] = (markers.get(t.id)!.output as DataOutput).provenance;
    // a KD grid point's run enters results.json through its arm's choice (kind select)
    if (!RUN_KINDS.includes(t.kind) || (t.step.kind === 'student' && t.step.kd !== undefined)) continue;
    const saved = readRunRecord<RunRecord>(runRecordPath(outDir, t.id), t.id);
    if (saved.configHash !== plan.configHash) throw new ResultsFolderError(`run record ${runRecordPath(outDir, t.id)} was made under another config (hash ${saved.configHash}, now ${plan.configHash}) though its task marker matches: delete both and run ${t.id} again`);
    runs.push(saved.record);
  }
  const all = [...markers.values()];
  const numerics = {
    normDriftMax: Math.max(0, ...all.map((m) => drift(m.numerics)), ...runs.map((r) => drift(r.numerics))),
    normDriftExceeded: all.some((m) => m.numerics.normDriftExceeded) || runs.some((r) => r.numerics?.normDriftExceeded === true),
    alarmedRuns: runs.filter((r) => r.numerics?.normDriftExceeded === true).map((r) => r.key),
  };
  const timing = studyTiming(readInvocations(outDir, plan), all, new Set(plan.tasks.map((t) => t.id)));
  const results: ExperimentResults = {
    name: cfg.name, quick, config: cfg, configHash: plan.configHash, qdistillVersion: QDISTILL_VERSION, gitCommit: o.gitCommit ?? gitCommit(), node: process.version,
    startedAt: timing.startedAt, wallSeconds: timing.wallSeconds, cpuSeconds: timing.cpuSeconds, invocations: timing.invocations,
    workers: o.workers ?? Math.max(1, ...all.map((m) => m.workers)), datasets, runs,
    ...(kdIsGrid(cfg.kd) ? { kdGrid: kdChoiceCounts(cfg.kd, runs) } : {}), numerics,
  };
  await writeFileAtomic(join(outDir, 'results.json'), JSON.stringify(results, null, 1));
  return results;
}

/** The study a results folder holds, as {@link studyOfFolder} reads it from the task markers. */
export interface FolderStudy {
  /** The resolved config of the most recently started task, its seed list replaced by `seeds`. */
  cfg: ExperimentConfig;
  quick: boolean;
  /** The seeds merged: the given ones, or every seed of the markers' seed lists (see {@link studyOfFolder}). */
  seeds: (number | string)[];
  /** Every seed the markers' seed lists name, in the order the study grew. */
  seedsPresent: (number | string)[];
}

/**
 * The study whose tasks a results folder holds, from its task markers (`tasks/*.json`). Each
 * marker records the resolved config its task ran under, and a study grows seed by seed
 * (`--seeds 1,2 --resume`, then `--seeds 3,4 --resume`), so the markers of one study may carry
 * different seed lists. The rule: markers belong to one study when they agree on the run-config
 * hash (the config without seeds and description) and the quick flag; the study's seeds are
 * the union of the markers' seed lists, taken list by list in the order their tasks started
 * (earliest first), each seed where it first appears — for the example, 1, 2, 3, 4. `seeds`
 * (`merge --seeds`) selects seeds of that union instead, in the order given. The config
 * (description included) is that of the most recently started task.
 * @throws ResultsFolderError when the folder has no task markers, when a marker is damaged,
 *   when markers of more than one study are present (naming one of each), or when a seed of
 *   `seeds` is not among the seeds present (listing them).
 */
export function studyOfFolder(outDir: string, seeds?: (number | string)[]): FolderStudy {
  const dir = join(outDir, 'tasks');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) throw new ResultsFolderError(`${outDir} holds no finished tasks (no ${dir}/*.json): run the study's tasks into it first (qdistill run CONFIG --task ID --out ${outDir})`);
  const markers: { file: string; m: TaskMarker; t: number }[] = [];
  const studies = new Map<string, string>();
  for (const f of files) {
    const file = join(dir, f);
    const m = readJsonNamed(file, 'task marker', 'delete it and run that task again') as Partial<TaskMarker> | null;
    if (m === null || typeof m !== 'object' || m.format !== 'qdistill.task' || typeof m.config !== 'object' || m.config === null
      || !Array.isArray(m.config.seeds) || typeof m.quick !== 'boolean' || typeof m.configHash !== 'string') {
      throw new ResultsFolderError(`task marker ${file} is damaged (not a task marker): delete it and run that task again`);
    }
    const t = Date.parse(String(m.startedAt));
    markers.push({ file, m: m as TaskMarker, t: Number.isFinite(t) ? t : 0 });
    const what = `${file}: '${String(m.config.name)}'${m.quick ? ' --quick' : ''}, config hash ${m.configHash}`;
    if (!studies.has(`${m.configHash}|${m.quick}`)) studies.set(`${m.configHash}|${m.quick}`, what);
  }
  if (studies.size > 1) {
    const [a, b] = [...studies.values()];
    throw new ResultsFolderError(`${outDir} holds tasks of ${studies.size} different configs (${a} and ${b}): merge a folder that holds one study (its tasks may come from different seed lists)`);
  }
  markers.sort((x, y) => x.t - y.t || (x.file < y.file ? -1 : 1));
  const present = new Map<string, number | string>();
  for (const { m } of markers) for (const s of m.config.seeds) if (!present.has(String(s))) present.set(String(s), s);
  const seedsPresent = [...present.values()];
  let chosen = seedsPresent;
  if (seeds !== undefined) {
    const absent = seeds.filter((s) => !present.has(String(s)));
    if (absent.length > 0) throw new ResultsFolderError(`--seeds: no task of seed ${absent.map(String).join(', ')} in ${outDir}; the seeds there are ${seedsPresent.map(String).join(',')}`);
    chosen = seeds.map((s) => present.get(String(s))!);
  }
  const last = markers[markers.length - 1]!.m;
  return { cfg: { ...last.config, seeds: chosen }, quick: last.quick, seeds: chosen, seedsPresent };
}

/** Whether task `id` has finished in `outDir` under run-config hash `configHash` (its marker exists and matches). */
export function taskFinished(outDir: string, id: string, configHash: string): boolean {
  return existsSync(taskDonePath(outDir, id)) && readTaskMarker(outDir, id)?.configHash === configHash;
}
