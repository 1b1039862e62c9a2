/**
 * The files of a results folder: a finished full study is never overwritten without --force
 * (table over every kind of folder and invocation), damaged run records, checkpoints and
 * caches are named with what to do (fuzz over truncation points), the time pieces of a run
 * across resumes, the --workers warning and the estimate's range format.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRange, workersWarning } from '../../src/cli/run.js';
import { assertMayWrite, defaultOutDir, readRunRecord, ResultsFolderError, RunClock, withRemedy, type WriteIntent } from '../../src/experiment/run-files.js';
import { readJsonChecked, writeJsonChecked } from '../../src/infra/atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-results-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const folder = (results: string | null): string => {
  const d = join(dir, `f${n++}`);
  mkdirSync(d, { recursive: true });
  if (results !== null) writeFileSync(join(d, 'results.json'), results);
  return d;
};
const full = JSON.stringify({ name: 'study', quick: false, configHash: 'h1', runs: [] });
const quick = JSON.stringify({ name: 'study', quick: true, configHash: 'h1', runs: [] });
const legacyFull = JSON.stringify({ name: 'study', quick: false, runs: [] }); // before configHash was recorded

describe('quick runs have their own folder', () => {
  it('results/<name> for full runs, results/<name>/quick for quick ones', () => {
    expect(defaultOutDir('e1-qubits', false)).toBe(join('results', 'e1-qubits'));
    expect(defaultOutDir('e1-qubits', true)).toBe(join('results', 'e1-qubits', 'quick'));
  });
});

describe('assertMayWrite: a finished full study is overwritten only with --force', () => {
  const base: WriteIntent = { name: 'study', configHash: 'h1', quick: false, resume: false, force: false };
  // [folder content, invocation, allowed]
  const table: [string, string | null, Partial<WriteIntent>, boolean][] = [
    ['empty folder, new run', null, {}, true],
    ['empty folder, quick run', null, { quick: true }, true],
    ['quick results, new full run', quick, {}, true],
    ['quick results, quick run', quick, { quick: true }, true],
    ['full results, new run', full, {}, false],
    ['full results, quick run', full, { quick: true }, false],
    ['full results, quick --resume', full, { quick: true, resume: true }, false],
    ['full results, --resume same config', full, { resume: true }, true],
    ['full results, --resume other config', full, { resume: true, configHash: 'h2' }, false],
    ['full results, --resume other study', full, { resume: true, name: 'other' }, false],
    ['full results, --force', full, { force: true }, true],
    ['full results, quick --force', full, { quick: true, force: true }, true],
    ['full results without a hash, --resume same name', legacyFull, { resume: true }, true],
    ['full results without a hash, new run', legacyFull, {}, false],
  ];
  it.each(table)('%s', (_what, results, over, allowed) => {
    const d = folder(results);
    const call = () => assertMayWrite(d, { ...base, ...over });
    if (allowed) expect(call).not.toThrow();
    else {
      expect(call).toThrow(ResultsFolderError);
      expect(call).toThrow(new RegExp(`^${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds a finished full run of 'study'.*pass --force to overwrite it, or --out DIR`));
    }
  });

  it('a damaged results.json is named, with what to do, unless --force', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: full.length - 1 }), (cut) => {
      const d = folder(full.slice(0, cut));
      const call = () => assertMayWrite(d, base);
      expect(call).toThrow(new RegExp(`^results file .*results\\.json is damaged \\(.+\\): delete it, restore it, or pass --force`));
      expect(() => assertMayWrite(d, { ...base, force: true })).not.toThrow();
    }), { numRuns: 40, seed: 17 });
  });
});

describe('assertMayWrite: --resume and --task never mix two studies in one folder', () => {
  const base: WriteIntent = { name: 'study', configHash: 'h1', quick: false, resume: false, force: false };
  /** A folder without results.json whose tasks/ holds one marker of (name, hash, quick, seeds). */
  const withMarker = (name: string, configHash: string, quick: boolean, seeds: number[]): string => {
    const d = folder(null);
    mkdirSync(join(d, 'tasks'));
    writeFileSync(join(d, 'tasks', 'seed-1__teacher.json'), JSON.stringify({ format: 'qdistill.task', version: 1, id: 'seed-1/teacher', configHash, quick, config: { name, seeds } }));
    return d;
  };
  // [marker in the folder, invocation, allowed]
  const table: [string, [string, string, boolean, number[]], Partial<WriteIntent>, boolean][] = [
    ['same study, --resume', ['study', 'h1', false, [1]], { resume: true }, true],
    ['same study, other seed list, --resume', ['study', 'h1', false, [1, 2]], { resume: true }, true],
    ['same study, --task', ['study', 'h1', false, [1]], { task: true }, true],
    ['same study, --task --resume', ['study', 'h1', false, [3, 4]], { task: true, resume: true }, true],
    ['other config, --resume', ['study', 'h2', false, [1]], { resume: true }, false],
    ['other config, --task', ['study', 'h2', false, [1]], { task: true }, false],
    ['other study, --task --resume', ['other', 'h3', false, [1]], { task: true, resume: true }, false],
    ['quick tasks, full --resume', ['study', 'h1', true, [1]], { resume: true }, false],
    ['full tasks, quick --task', ['study', 'h1', false, [1]], { quick: true, task: true }, false],
    ['other config, new run (reruns every task)', ['study', 'h2', false, [1]], {}, true],
    ['other config, --resume --force', ['study', 'h2', false, [1]], { resume: true, force: true }, true],
    ['other config, --task --force', ['study', 'h2', false, [1]], { task: true, force: true }, true],
  ];
  it('a marker that is not JSON belongs to no config: passed over here (the task that reads it names it)', () => {
    const d = withMarker('study', 'h2', false, [1]);
    writeFileSync(join(d, 'tasks', 'seed-1__teacher.json'), 'seed-1/teacher done\n');
    expect(() => assertMayWrite(d, { ...base, resume: true, task: true })).not.toThrow();
  });

  it.each(table)('%s', (_what, [name, hash, q, seeds], over, allowed) => {
    const d = withMarker(name, hash, q, seeds);
    const call = () => assertMayWrite(d, { ...base, ...over });
    if (allowed) { expect(call).not.toThrow(); return; }
    const intent = { ...base, ...over };
    const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(call).toThrow(ResultsFolderError);
    expect(call).toThrow(new RegExp(`^${esc(d)} holds tasks of another config \\(${esc(join(d, 'tasks', 'seed-1__teacher.json'))}: '${name}'${q ? ' --quick' : ''}, config hash ${hash}; this one: 'study'${intent.quick ? ' --quick' : ''}, config hash h1\\); a ${intent.task ? '--task' : '--resume'} would mix the two: use another --out DIR, or pass --force to run here anyway$`));
  });
});

describe('readRunRecord: a damaged run record is named with what to do', () => {
  const good = JSON.stringify({ configHash: 'abc', record: { key: 'seed-1/teacher', seconds: 1.5, history: [{ epoch: 1, train_loss: 0.5 }] } });
  it('reads a whole record', () => {
    const f = join(dir, 'good.json');
    writeFileSync(f, good);
    expect(readRunRecord(f, 'seed-1/teacher').record).toMatchObject({ key: 'seed-1/teacher', seconds: 1.5 });
  });
  it('every truncation of a record is refused naming the file (fuzz over the cut)', () => {
    const f = join(dir, 'cut.json');
    fc.assert(fc.property(fc.integer({ min: 0, max: good.length - 1 }), (cut) => {
      writeFileSync(f, good.slice(0, cut));
      expect(() => readRunRecord(f, 'seed-1/teacher')).toThrow(new RegExp(`^run record ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(.+\\): delete it to rerun that run with --resume, or restore it$`));
    }), { numRuns: 60, seed: 3 });
  });
  it.each([
    ['a JSON array', '[1,2]', /not a JSON object/],
    ['no configHash', '{"record":{"key":"k"}}', /no configHash/],
    ['no record', '{"configHash":"a"}', /no record/],
    ['another run', '{"configHash":"a","record":{"key":"other"}}', /record key "other", expected "k"/],
    ['null', 'null', /not a JSON object/],
  ])('%s is refused naming the file', (_w, text, why) => {
    const f = join(dir, 'shape.json');
    writeFileSync(f, text);
    expect(() => readRunRecord(f, 'k')).toThrow(why);
    expect(() => readRunRecord(f, 'k')).toThrow(/shape\.json is damaged .*: delete it/);
  });
});

describe('withRemedy: damaged checkpoints and caches say what to do', () => {
  it.each([
    ['checkpoint', /delete that checkpoint folder to restart the run from its first epoch/],
    ['soft-label cache', /delete it and the soft labels are recomputed/],
    ['ground-state cache', /delete it and the ground state is recomputed by DMRG/],
  ])('%s truncated at any point', async (label, remedy) => {
    const f = join(dir, `${label.replace(/ /g, '-')}.json`);
    await writeJsonChecked(f, { version: 1, params: [0.1, 0.2, 0.3], history: [{ epoch: 1 }] });
    const text = readFileSync(f, 'utf8');
    for (const cut of [0, 10, Math.floor(text.length / 2), text.length - 3]) {
      writeFileSync(f, text.slice(0, cut));
      const err = await readJsonChecked(f, { label }).then(() => null, (e: unknown) => withRemedy(e));
      expect(err).toBeInstanceOf(ResultsFolderError);
      expect((err as Error).message).toMatch(new RegExp(`^${label} ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupted`));
      expect((err as Error).message).toMatch(remedy);
      expect(withRemedy(err)).toBe(err); // applied once, however many layers rethrow it
    }
  });
  it('leaves other errors alone', () => {
    const e = new Error('something else');
    expect(withRemedy(e)).toBe(e);
  });
});

describe('RunClock: the time of a run across resumes', () => {
  it('keeps one piece per invocation; a fresh run starts a new list', () => {
    const d = join(dir, 'clock');
    mkdirSync(d, { recursive: true });
    const a = new RunClock(d, false);
    a.save();
    const first = JSON.parse(readFileSync(join(d, 'time.json'), 'utf8')).pieces as number[];
    expect(first.length).toBe(1);
    const b = new RunClock(d, true);
    const t = b.total();
    expect(t.secondsPieces.length).toBe(2);
    expect(t.secondsPieces[0]).toBe(first[0]);
    expect(t.seconds).toBeCloseTo(t.secondsPieces[0]! + t.secondsPieces[1]!, 12);
    b.save();
    expect(new RunClock(d, true).total().secondsPieces.length).toBe(3);
    expect(new RunClock(d, false).total().secondsPieces.length).toBe(1);
    writeFileSync(join(d, 'time.json'), '{"pieces":[1,');
    expect(new RunClock(d, true).total().secondsPieces.length).toBe(1); // damaged: starts afresh
  });
});

describe('--workers above the cores', () => {
  it.each([[1, 2, false], [2, 2, false], [3, 2, true], [16, 4, true]])('--workers %i on %i cores warns: %s', (w, cores, warns) => {
    const m = workersWarning(w, cores);
    if (!warns) expect(m).toBeNull();
    else expect(m).toBe(`warning: --workers ${w} is more than the ${cores} core(s) available; the worker threads will share cores and the run will be slower than with --workers ${cores}`);
  });
});

describe('the estimate range', () => {
  it.each([[5, 5.2, '≈ 5.0 s'], [5, 20, '5.0 s – 20 s'], [100, 7200, '1.7 min – 2.0 h']])('%f to %f s reads %s', (lo, hi, s) => {
    expect(formatRange(lo, hi)).toBe(s);
  });
});
