/**
 * The files of a results folder that the runner reads back: the guard that keeps a finished
 * full study from being overwritten, run records under `runs/` read with errors that name the
 * file and say what to do, and the wall-clock pieces of a run interrupted and resumed.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Refusal to overwrite a finished full study, or a results folder whose files cannot be read.
 * The CLI reports it as a usage error (exit code 2).
 */
export class ResultsFolderError extends Error {
  override name = 'ResultsFolderError';
}

/** The default results folder: `results/<name>`, and `results/<name>/quick` for `--quick`. */
export function defaultOutDir(name: string, quick: boolean): string {
  return quick ? join('results', name, 'quick') : join('results', name);
}

/**
 * Reads a JSON file the runner wrote, naming the file and what to do when it is damaged.
 * @param what what the file is ("run record", "results file").
 * @param remedy what the user can do, e.g. "delete it to rerun that run, or restore it".
 * @throws ResultsFolderError `run record results/x/runs/k.json is damaged (Unterminated string
 *   in JSON at position 3218): delete it to rerun that run, or restore it`.
 */
export function readJsonNamed(file: string, what: string, remedy: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new ResultsFolderError(`${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ${remedy}`);
  }
  try { return JSON.parse(text) as unknown; } catch (e) {
    throw new ResultsFolderError(`${what} ${file} is damaged (${text.length === 0 ? 'empty file' : (e as Error).message}): ${remedy}`);
  }
}

/** A saved run record as `runs/<key>.json` holds it: the config hash it was made under and the record. */
export interface SavedRun<R> { configHash: string; record: R }

/**
 * Reads `runs/<key>.json` and checks its shape (an object with a string `configHash` and an
 * object `record` whose `key` is `key`).
 * @throws ResultsFolderError naming the file when it is unreadable, not JSON or of another shape,
 *   and saying to delete it (the run is then rerun by `--resume`) or restore it.
 */
export function readRunRecord<R>(file: string, key: string): SavedRun<R> {
  const remedy = 'delete it to rerun that run with --resume, or restore it';
  const doc = readJsonNamed(file, 'run record', remedy) as { configHash?: unknown; record?: { key?: unknown } } | null;
  const bad = (why: string) => new ResultsFolderError(`run record ${file} is damaged (${why}): ${remedy}`);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw bad('not a JSON object');
  if (typeof doc.configHash !== 'string') throw bad('no configHash');
  if (doc.record === null || typeof doc.record !== 'object') throw bad('no record');
  if (doc.record.key !== key) throw bad(`record key ${JSON.stringify(doc.record.key)}, expected ${JSON.stringify(key)}`);
  renameBondReached(doc.record);
  return doc as SavedRun<R>;
}

/**
 * Records written before the bond reached had one name kept it as `max_bond` (the teacher
 * summary) and `<split>_max_bond` (the `extra` of history entries); renames them in place to
 * `bond_reached`, so `--resume` and `merge` read old results folders with today's names.
 */
function renameBondReached(record: Record<string, unknown>): void {
  const t = record['teacher'] as Record<string, unknown> | null | undefined;
  if (t && 'max_bond' in t && !('bond_reached' in t)) { t['bond_reached'] = t['max_bond']; delete t['max_bond']; }
  const h = record['history'];
  if (Array.isArray(h)) {
    for (const e of h as Record<string, unknown>[]) {
      const x = e['extra'] as Record<string, unknown> | undefined;
      if (x && typeof x === 'object') for (const k of Object.keys(x)) if (k.endsWith('_max_bond')) { x[k.replace(/_max_bond$/, '_bond_reached')] = x[k]; delete x[k]; }
    }
  }
}

/** What {@link assertMayWrite} needs to know about the invocation. */
export interface WriteIntent {
  /** The study's name and its run-config hash (see `runConfigHash`). */
  name: string;
  configHash: string;
  /** This invocation is a `--quick` one. */
  quick: boolean;
  /** `--resume`. */
  resume: boolean;
  /** `--force`: overwrite whatever is there. */
  force: boolean;
  /** `--task`: one task of the study's plan is run into the folder. */
  task?: boolean;
}

/**
 * Refuses to overwrite a finished full study. A folder holds a finished full study when
 * `<outDir>/results.json` exists with `"quick": false`. Writing there is allowed only with
 * `force`, or when the invocation continues that same study: `resume` on, not quick, and the
 * same name and run-config hash (seed lists may differ: `--resume --seeds` grows a study).
 * Quick results and unfinished folders (no results.json) are never protected.
 * @throws ResultsFolderError naming the folder and saying to pass --force or --out; also when
 *   results.json exists but is damaged (it might be a full study).
 */
export function assertMayWrite(outDir: string, intent: WriteIntent): void {
  if (intent.force) return;
  assertFinishedKept(outDir, intent);
  if (intent.resume || intent.task) assertSameStudy(outDir, intent);
}

/** The finished-full-study part of {@link assertMayWrite}. */
function assertFinishedKept(outDir: string, intent: WriteIntent): void {
  const file = join(outDir, 'results.json');
  if (!existsSync(file)) return;
  const doc = readJsonNamed(file, 'results file', 'delete it, restore it, or pass --force to overwrite the folder') as { name?: unknown; quick?: unknown; configHash?: unknown } | null;
  if (doc === null || typeof doc !== 'object' || doc.quick !== false) return;
  // results from before the hash was recorded carry none: the name decides
  const same = doc.name === intent.name && (typeof doc.configHash !== 'string' || doc.configHash === intent.configHash);
  if (intent.resume && !intent.quick && same) return;
  const why = intent.quick ? 'a --quick run' : intent.resume ? 'a --resume of a different config' : 'a new run';
  // a new full run of the same study: --resume continues it, or reprints it when it is complete
  const resume = same && !intent.quick && !intent.resume ? ' (or --resume to continue it, or to print it again)' : '';
  throw new ResultsFolderError(`${outDir} holds a finished full run of '${String(doc.name)}' (results.json, quick: false); ${why} would overwrite it: pass --force to overwrite it, or --out DIR to write elsewhere${resume}`);
}

/** A task marker of another study than the one about to write, as {@link foreignTaskMarker} finds it. */
export interface ForeignMarker {
  /** The marker file. */
  file: string;
  /** What the marker's study is, for a message: `'name' [--quick], config hash H`. */
  theirs: string;
  /** The same for the study about to write. */
  ours: string;
  /** Both in one phrase for a refusal: `<file>: <theirs>; this one: <ours>`. */
  summary: string;
}

/**
 * The first task marker (`tasks/*.json`, in file-name order) in `outDir` that belongs to another
 * study than `intent`: another name or run-config hash, or the other of quick and full (seed
 * lists may differ); null when there is none. Markers that are not JSON objects with a
 * `configHash` are passed over (the task or merge that reads them reports them as damaged).
 */
export function foreignTaskMarker(outDir: string, intent: Pick<WriteIntent, 'name' | 'configHash' | 'quick'>): ForeignMarker | null {
  const dir = join(outDir, 'tasks');
  if (!existsSync(dir)) return null;
  const what = (name: unknown, hash: unknown, quick: unknown) => `'${String(name)}'${quick === true ? ' --quick' : ''}, config hash ${String(hash)}`;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const file = join(dir, f);
    let m: { configHash?: unknown; quick?: unknown; config?: { name?: unknown } } | null;
    // a marker that is not JSON belongs to no config: the task that reads it names it as damaged
    try { m = readJsonNamed(file, 'task marker', '') as typeof m; } catch { continue; }
    if (m === null || typeof m !== 'object' || typeof m.configHash !== 'string') continue;
    if (m.configHash === intent.configHash && m.quick === intent.quick) continue;
    const theirs = what(m.config?.name, m.configHash, m.quick), ours = what(intent.name, intent.configHash, intent.quick);
    return { file, theirs, ours, summary: `${file}: ${theirs}; this one: ${ours}` };
  }
  return null;
}

/**
 * Refuses to continue (`--resume`) or add a task (`--task`) to a results folder whose task
 * markers are of another study ({@link foreignTaskMarker}). Such a folder would otherwise mix
 * two studies (which `merge` refuses) or fail later on a checkpoint of other training options.
 * @throws ResultsFolderError naming a foreign marker, its config and this one's, and saying to
 *   use another --out or pass --force.
 */
function assertSameStudy(outDir: string, intent: WriteIntent): void {
  const m = foreignTaskMarker(outDir, intent);
  if (m) throw new ResultsFolderError(`${outDir} holds tasks of another config (${m.summary}); ${intent.task ? 'a --task' : 'a --resume'} would mix the two: use another --out DIR, or pass --force to run here anyway`);
}

/**
 * Wall-clock pieces of one training run across interruptions: `time.json` in the run's
 * checkpoint folder holds `{ pieces: number[] }`, seconds of each invocation that trained it.
 * The current piece is rewritten after every epoch (atomically), so a run killed with SIGKILL
 * keeps the time it spent up to its last finished epoch (work after it is lost, and so is its
 * time). A fresh (non-resumed) run starts a new list.
 */
export class RunClock {
  private readonly file: string;
  private readonly pieces: number[];
  private readonly t0 = performance.now();

  /**
   * @param dir the run's checkpoint folder.
   * @param resume continue the pieces saved there (a missing or damaged file starts afresh:
   *   the time record is informational and never blocks a resume).
   */
  constructor(dir: string, resume: boolean) {
    this.file = join(dir, 'time.json');
    let prior: number[] = [];
    if (resume && existsSync(this.file)) {
      try {
        const doc = JSON.parse(readFileSync(this.file, 'utf8')) as { pieces?: unknown };
        if (Array.isArray(doc.pieces) && doc.pieces.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)) prior = doc.pieces as number[];
      } catch { /* damaged: start afresh */ }
    }
    this.pieces = [...prior, 0];
  }

  /** Seconds of this invocation so far. */
  elapsed(): number { return (performance.now() - this.t0) / 1000; }

  /** Records this invocation's time so far (atomic write; the folder must exist). */
  save(): void {
    this.pieces[this.pieces.length - 1] = this.elapsed();
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ pieces: this.pieces }));
    renameSync(tmp, this.file);
  }

  /** The pieces (seconds per invocation, the current one last) and their total. */
  total(): { seconds: number; secondsPieces: number[] } {
    this.pieces[this.pieces.length - 1] = this.elapsed();
    return { seconds: this.pieces.reduce((a, b) => a + b, 0), secondsPieces: [...this.pieces] };
  }
}

const REMEDIES: [RegExp, string][] = [
  [/^checkpoint \S+ (is corrupted|cannot be read|has unsupported version)/, 'delete that checkpoint folder to restart the run from its first epoch, or restore the file'],
  [/^soft-label cache \S+ (is corrupted|cannot be read)/, 'delete it and the soft labels are recomputed from the teacher'],
  [/^ground-state cache \S+ (is corrupted|cannot be read)/, 'delete it and the ground state is recomputed by DMRG'],
];

/**
 * Adds what to do to the errors of damaged checkpoints and caches (which already name the
 * file); any other error is returned unchanged.
 */
export function withRemedy(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof ResultsFolderError) return err;
  for (const [re, remedy] of REMEDIES) if (re.test(err.message)) return new ResultsFolderError(`${err.message}: ${remedy}`);
  return err;
}
