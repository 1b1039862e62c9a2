/**
 * The timing of a study across invocations. Every `qdistill run` (and `run --task`) that starts
 * a task in a results folder leaves `invocations/<id>.json`: when it started, its wall and CPU
 * seconds so far and the tasks it started. The file is rewritten (temp file, then rename) when
 * a task starts, after each finished task and at the end, so an invocation killed mid-way still
 * counts up to its last finished task; one that starts no task (a `--resume` that reuses every
 * task) leaves none. Each invocation writes only its own file, so tasks run in parallel on a
 * cluster never race. {@link studyTiming} turns the files (and the task markers of tasks run
 * before invocations were recorded) into the study's `startedAt`, `wallSeconds` and `cpuSeconds`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { StudyPlan } from './plan.js';
import type { TaskMarker } from './tasks.js';

/** The file of one invocation (`invocations/<id>.json`). */
export interface InvocationRecord {
  format: 'qdistill.invocation';
  version: 1;
  /** Unique per invocation: its start time, process id and a random suffix (the file's name). */
  id: string;
  /** The run-config hash and quick flag of the study it ran. */
  configHash: string;
  quick: boolean;
  /** When it started (ISO 8601). */
  startedAt: string;
  /** Wall-clock seconds from its start to its last save. */
  wallSeconds: number;
  /** CPU seconds of its process over the same time (worker threads included). */
  cpuSeconds: number;
  /** The ids of the tasks it started (tasks it reused are not included), in order. */
  tasks: string[];
  /** True once it ended (normally, by an error or by Ctrl-C); false while running and when killed. */
  ended: boolean;
}

/** One invocation as results.json lists it (`invocations`). */
export interface StudyInvocation {
  /** When it started (ISO 8601). */
  startedAt: string;
  /** Wall-clock seconds it worked (to its end, or to its last finished task when killed). */
  wallSeconds: number;
  /** CPU seconds of its process over that time, worker threads included. */
  cpuSeconds: number;
  /** How many tasks of this study it started. */
  tasks: number;
  /** False when it was killed (its times then run to its last finished task). */
  ended: boolean;
}

/** The study-level timing fields of results.json. */
export interface StudyTiming {
  /** When the earliest invocation (or task) started (ISO 8601). */
  startedAt: string;
  /** Seconds during which at least one invocation worked: overlapping ones count once, gaps not at all. */
  wallSeconds: number;
  /** CPU seconds of every invocation, summed. */
  cpuSeconds: number;
  /** The invocations, earliest first. */
  invocations: StudyInvocation[];
}

/** The folder of invocation files in results folder `outDir`. */
export function invocationsDir(outDir: string): string {
  return join(outDir, 'invocations');
}

/**
 * Removes the invocation files of `outDir` (a fresh, non-resumed run starts its study's time
 * anew). A missing folder is fine.
 */
export function clearInvocations(outDir: string): void {
  rmSync(invocationsDir(outDir), { recursive: true, force: true });
}

/**
 * The clock of this invocation in one results folder. Nothing is written until the first
 * task starts ({@link taskStarted}); from then on every {@link save} rewrites the file.
 */
export class InvocationClock {
  /** The invocation's id (task markers it writes carry it). */
  readonly id: string;
  private readonly file: string;
  private readonly t0 = performance.now();
  private readonly cpu0 = process.cpuUsage();
  private readonly startedAt = new Date();
  private readonly tasks: string[] = [];

  /**
   * Starts the clock (call it when the invocation starts: its set-up counts).
   * @param outDir the results folder.
   * @param plan the study being run (its run-config hash and quick flag are recorded).
   */
  constructor(private readonly outDir: string, private readonly plan: Pick<StudyPlan, 'configHash' | 'quick'>) {
    this.id = `${this.startedAt.toISOString().replace(/[:.]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.file = join(invocationsDir(outDir), `${this.id}.json`);
  }

  /** Records that task `id` starts, and saves. */
  taskStarted(id: string): void {
    this.tasks.push(id);
    this.save();
  }

  /** Set once a save failed: the study's timing then counts this invocation's tasks by their markers. */
  private failed = false;

  /**
   * Rewrites the invocation's file with its times so far (temp file, then rename); a no-op
   * while no task has started. The record is informational: when the folder cannot be written
   * (e.g. `invocations` is a file), one warning goes to stderr and the run goes on, its tasks
   * timed by their markers.
   * @param ended the invocation is ending (its last save).
   */
  save(ended = false): void {
    if (this.tasks.length === 0 || this.failed) return;
    try {
      this.write(ended);
    } catch (e) {
      this.failed = true;
      process.stderr.write(`warning: cannot record this invocation's time in ${invocationsDir(this.outDir)} (${(e as Error).message}); the study's timing counts its tasks by their own records\n`);
    }
  }

  private write(ended: boolean): void {
    const d = process.cpuUsage(this.cpu0);
    const rec: InvocationRecord = {
      format: 'qdistill.invocation', version: 1, id: this.id, configHash: this.plan.configHash, quick: this.plan.quick,
      startedAt: this.startedAt.toISOString(), wallSeconds: (performance.now() - this.t0) / 1000, cpuSeconds: (d.user + d.system) / 1e6, tasks: [...this.tasks], ended,
    };
    mkdirSync(invocationsDir(this.outDir), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(rec));
    renameSync(tmp, this.file);
  }
}

/** `doc` as an invocation record, or null when it is not one. */
function asInvocation(doc: unknown): InvocationRecord | null {
  const r = doc as Partial<InvocationRecord> | null;
  // the start as this module writes it (ISO 8601 in UTC), so a bare number or a word is not read as a date
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
  if (r === null || typeof r !== 'object' || r.format !== 'qdistill.invocation' || typeof r.id !== 'string' || typeof r.configHash !== 'string'
    || typeof r.startedAt !== 'string' || !iso.test(r.startedAt) || !Number.isFinite(Date.parse(r.startedAt))
    || !Array.isArray(r.tasks) || !r.tasks.every((t) => typeof t === 'string')
    || typeof r.wallSeconds !== 'number' || !(r.wallSeconds >= 0 && Number.isFinite(r.wallSeconds))
    || typeof r.cpuSeconds !== 'number' || !(r.cpuSeconds >= 0 && Number.isFinite(r.cpuSeconds))) return null;
  return r as InvocationRecord;
}

/**
 * The invocations recorded in `outDir` that worked on `plan`'s study: same run-config hash and
 * quick flag, and at least one task of the plan started. A damaged file is passed over (the
 * time record is informational and never blocks a merge; the tasks it ran then count by their
 * markers, see {@link studyTiming}).
 */
export function readInvocations(outDir: string, plan: Pick<StudyPlan, 'configHash' | 'quick' | 'tasks'>): InvocationRecord[] {
  const dir = invocationsDir(outDir);
  if (!existsSync(dir)) return [];
  const ids = new Set(plan.tasks.map((t) => t.id));
  const out: InvocationRecord[] = [];
  let files: string[];
  try { files = readdirSync(dir); } catch { return []; } // not a folder, or unreadable: nothing recorded
  for (const f of files.filter((x) => x.endsWith('.json'))) {
    let rec: InvocationRecord | null;
    try { rec = asInvocation(JSON.parse(readFileSync(join(dir, f), 'utf8'))); } catch { rec = null; }
    if (rec && rec.configHash === plan.configHash && rec.quick === plan.quick && rec.tasks.some((t) => ids.has(t))) out.push(rec);
  }
  return out;
}

/**
 * Seconds covered by the union of the pieces (start `t` in epoch milliseconds, `wall` seconds):
 * pieces that do not overlap add their seconds exactly; an overlap counts once.
 */
function unionSeconds(pieces: { t: number; wall: number }[]): number {
  let total = 0, end = -Infinity;
  for (const { t, wall } of [...pieces].sort((x, y) => x.t - y.t)) {
    const stop = t + wall * 1000;
    if (t >= end) total += wall;
    else if (stop > end) total += (stop - end) / 1000;
    end = Math.max(end, stop);
  }
  return total;
}

/**
 * The study's timing from its invocations and the markers of its tasks. A marker that names
 * none of `invocations` (a task run before invocations were recorded, or whose invocation file
 * is gone) counts as an invocation of its own: its start, wall and CPU seconds. `startedAt` is
 * the earliest start; `wallSeconds` the time during which at least one of them worked (a run
 * killed on Monday and resumed on Tuesday counts both pieces, not the night between; tasks run
 * in parallel count once); `cpuSeconds` their sum. With neither, the start is `now` and the
 * seconds 0. An invocation that ran tasks outside `ids` as well (a `--seeds` subset of a study
 * grown seed by seed) is not counted whole: the plan's tasks it ran count by their markers.
 * @param all from {@link readInvocations}.
 * @param markers the study's task markers.
 * @param ids the plan's task ids (each invocation's `tasks` count is taken among them).
 * @param now the start recorded when there is nothing to time.
 */
export function studyTiming(all: InvocationRecord[], markers: TaskMarker[], ids: ReadonlySet<string>, now = new Date()): StudyTiming {
  // an invocation that also ran tasks outside this plan (other seeds of a study grown with
  // --seeds) would lend the plan its whole time: its tasks here count by their markers instead
  const invocations = all.filter((i) => i.tasks.every((t) => ids.has(t)));
  const known = new Set(invocations.map((i) => i.id));
  const loose = markers.filter((m) => m.invocation === undefined || !known.has(m.invocation));
  const pieces = [
    ...invocations.map((i) => ({ t: Date.parse(i.startedAt), wall: i.wallSeconds, cpu: i.cpuSeconds })),
    ...loose.map((m) => ({ t: Date.parse(m.startedAt), wall: m.wallSeconds, cpu: m.cpuSeconds })),
  ].filter((p) => Number.isFinite(p.t));
  const sorted = [...invocations].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  return {
    startedAt: pieces.length === 0 ? now.toISOString() : new Date(Math.min(...pieces.map((p) => p.t))).toISOString(),
    wallSeconds: unionSeconds(pieces),
    cpuSeconds: pieces.reduce((a, p) => a + p.cpu, 0),
    invocations: sorted.map((i) => ({ startedAt: i.startedAt, wallSeconds: i.wallSeconds, cpuSeconds: i.cpuSeconds, tasks: i.tasks.filter((t) => ids.has(t)).length, ended: i.ended === true })),
  };
}
