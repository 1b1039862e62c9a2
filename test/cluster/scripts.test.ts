/**
 * The batch scripts of a submission, checked by running them: each level's script is executed
 * by bash with the variables Slurm sets for an array task and a qdistill command that prints its
 * arguments one a line, so every path and task id must arrive byte for byte (random paths and
 * ids from fast-check over the class: spaces, quotes, `$`, backticks, `%`, unicode). The
 * `#SBATCH` lines are read the way sbatch reads them (double quotes, `%%` for a literal `%`).
 * Then the submission itself: levels, time limits from the estimates, --only-failed selection,
 * the numbering of submission folders, the dry-run text, and the rollback when an sbatch of the
 * chain fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudyPlan } from '../../src/cluster/plan-json.js';
import { jobName, sbatchPathProblem, shQuote, shWord } from '../../src/cluster/scripts.js';
import { formatDryRun, prepareSubmission, submitToSlurm, SlurmCommandError, writeSubmission, type SubmitSettings } from '../../src/cluster/submit.js';

const work = mkdtempSync(join(tmpdir(), 'qdistill-scripts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PLAN: StudyPlan = {
  name: 'toy study', quick: true, configHash: 'h', levels: 2,
  tasks: [
    { id: 'seed-1/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 400 },
    { id: 'seed-2/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 120 },
    { id: 'seed-1/student/s16-pool/kd', kind: 'student', level: 1, deps: ['seed-1/teacher'], estimateSeconds: null },
  ],
};

/** A qdistill command that prints each argument on a line of its own, after a marker line. */
const PRINT_ARGS = `printf '%s\\n' ARGS`;

function settings(outDir: string, extra: Partial<SubmitSettings> = {}): SubmitSettings {
  return { configPath: join(outDir, '..', 'config file.json'), outDir, qdistill: PRINT_ARGS, onlyFailed: false, ...extra };
}

/** Runs a script as Slurm would run array index `index`; returns exit status, stdout and stderr. */
function runAs(script: string, index: number) {
  const r = spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: process.env['PATH'], SLURM_ARRAY_TASK_ID: String(index), SLURM_ARRAY_JOB_ID: '77', SLURM_JOB_ID: '78' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `#SBATCH` options of a script as sbatch reads them: `--name=value`, one double-quoted value unquoted. */
function sbatchOptions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^#SBATCH --([a-z-]+)=(?:"([^"]*)"|(\S+))$/gm)) out[m[1]!] = m[2] ?? m[3]!;
  return out;
}

/** A file-name pattern with Slurm's substitutions for %A, %a, %j and %%. */
function slurmPattern(p: string, v: { A: string; a: string; j: string }): string {
  return p.replace(/%([%Aaj])/g, (_, c: string) => (c === '%' ? '%' : v[c as 'A' | 'a' | 'j']));
}

describe('level scripts run by bash', () => {
  it('array index i runs task i of the level with the config, --quick, the task and the out dir intact', () => {
    const out = join(work, "out dir's $HOME `id` 100%x", 'results');
    const sub = prepareSubmission(PLAN, settings(out));
    writeSubmission(sub);
    const l0 = sub.arrays[0]!;
    expect(statSync(l0.path).mode & 0o111).not.toBe(0);
    for (const [i, t] of l0.tasks.entries()) {
      const r = runAs(l0.path, i);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^qdistill task ${t.id.replace(/[/.]/g, '\\$&')} \\(array job 77_${i}\\) on \\S+ at \\d{4}-\\d\\d-\\d\\dT`));
      expect(lines.slice(1)).toEqual(['ARGS', 'run', join(out, '..', 'config file.json'), '--quick', '--task', t.id, '--out', out, '--resume', '--workers', '1', '']);
    }
    const merge = runAs(sub.merge.path, 0);
    expect(merge.stdout).toBe(`ARGS\nmerge\n${out}\n`);
  });

  it('an index past the task list fails with a message naming it', () => {
    const sub = prepareSubmission(PLAN, settings(join(work, 'past')));
    writeSubmission(sub);
    const r = runAs(sub.arrays[1]!.path, 1);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`qdistill submit: no task at array index 1 in ${sub.arrays[1]!.tasksPath}\n`);
    expect(r.stdout).toBe('');
  });

  it('random paths and task ids reach qdistill byte for byte', () => {
    const char = fc.constantFrom(...'ab Z09 \'$`%!*?;&|<>(){}[]#~=é∂\t'.split(''));
    const word = fc.array(char, { minLength: 1, maxLength: 12 }).map((a) => a.join('')).filter((s) => s.trim() === s && s !== '.' && s !== '..');
    let n = 0;
    fc.assert(fc.property(word, word, fc.array(word, { minLength: 1, maxLength: 3 }), (dir, cfg, ids) => {
      const uniq = [...new Set(ids)];
      const base = join(work, `fuzz-${n++}`, dir);
      const out = join(base, 'out');
      mkdirSync(base, { recursive: true });
      const plan: StudyPlan = { name: dir, quick: false, configHash: 'h', levels: 1, tasks: uniq.map((id) => ({ id, kind: 'k', level: 0, deps: [], estimateSeconds: 1 })) };
      const sub = prepareSubmission(plan, { configPath: join(base, cfg), outDir: out, qdistill: PRINT_ARGS, onlyFailed: false });
      expect(sbatchPathProblem(sub.dir)).toBeNull();
      writeSubmission(sub);
      uniq.forEach((id, i) => {
        const r = runAs(sub.arrays[0]!.path, i);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout.split('\n').slice(1)).toEqual(['ARGS', 'run', join(base, cfg), '--task', id, '--out', out, '--resume', '--workers', '1', '']);
      });
      const opts = sbatchOptions(sub.arrays[0]!.text);
      expect(slurmPattern(opts['output']!, { A: '5', a: '0', j: '6' })).toBe(join(sub.dir, 'logs', 'level-0-5_0.out'));
      expect(opts['job-name']).toMatch(/^qd-[A-Za-z0-9_.-]+-L0$/);
    }), { numRuns: 25, seed: 16 });
  });
});

describe('#SBATCH lines', () => {
  it('carry the array, log path, partition, time, CPUs and memory as sbatch reads them', () => {
    const out = join(work, 'opts 100%');
    const sub = prepareSubmission(PLAN, settings(out, { partition: 'short,long', cpusPerTask: 2, mem: '4G', maxParallel: 5 }));
    const [l0, l1] = sub.arrays;
    expect(sbatchOptions(l0!.text)).toEqual({
      'job-name': 'qd-toy_study-L0', array: '0-1%5', output: `${join(sub.dir, 'logs').replace(/%/g, '%%')}/level-0-%A_%a.out`,
      partition: 'short,long', time: '00:20:00', 'cpus-per-task': '2', mem: '4G',
    });
    // a level with a task without estimate asks for no limit
    expect(sbatchOptions(l1!.text)).toEqual({ 'job-name': 'qd-toy_study-L1', array: '0-0%5', output: `${join(sub.dir, 'logs').replace(/%/g, '%%')}/level-1-%A_%a.out`, partition: 'short,long', 'cpus-per-task': '2', mem: '4G' });
    expect(slurmPattern(sbatchOptions(l0!.text)['output']!, { A: '12', a: '3', j: '15' })).toBe(join(sub.dir, 'logs', 'level-0-12_3.out'));
    expect(sbatchOptions(sub.merge.text)).toEqual({ 'job-name': 'qd-toy_study-merge', output: `${join(sub.dir, 'logs').replace(/%/g, '%%')}/merge-%j.out`, partition: 'short,long', mem: '4G' });
  });

  it('--time replaces the limits from the estimates, for the merge job too', () => {
    const sub = prepareSubmission(PLAN, settings(join(work, 'time'), { time: '2-00' }));
    expect([...sub.arrays, sub.merge].map((s) => sbatchOptions(s.text)['time'])).toEqual(['2-00', '2-00', '2-00']);
    expect(sub.notes).toEqual([]);
  });

  it.each<[string, string | null]>([
    ['/scratch/u/e1', null],
    ["/scratch/u/it's 100% $HOME", null],
    ['/scratch/"x"', 'contains a double quote ("), which a #SBATCH line cannot hold (sbatch reads those lines without escapes); use a folder without it'],
    ['/scratch/a\\b', 'contains a backslash (\\), which a #SBATCH line cannot hold (sbatch reads those lines without escapes); use a folder without it'],
    ['/scratch/a\nb', 'contains a line break or NUL, which a #SBATCH line cannot hold (sbatch reads those lines without escapes); use a folder without it'],
  ])('sbatchPathProblem(%j)', (p, want) => {
    expect(sbatchPathProblem(p)).toBe(want);
  });

  it('job names keep letters, digits and _ . - of the study name', () => {
    expect(jobName("e1 qubits/it's", 'L0')).toBe('qd-e1_qubits_it_s-L0');
    expect(jobName('x'.repeat(100), 'merge')).toBe(`qd-${'x'.repeat(40)}-merge`);
  });

  it('shQuote and shWord give one shell word for any string; shWord leaves plain words bare', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, unit: fc.constantFrom("'", '"', '\\', '$', '`', ' ', 'a', '\n', 'é', '%', '!', '-', '=', '*', '~') }), (s) => {
      const r = spawnSync('bash', ['-c', `printf '%s|' ${shQuote(s)} ${shWord(s)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(`${s}|${s}|`);
    }), { numRuns: 40, seed: 16 });
    expect(['--parsable', '--dependency=afterok:12', '/a/b.sh', 'a b', "it's", '~', '*'].map(shWord)).toEqual(['--parsable', '--dependency=afterok:12', '/a/b.sh', "'a b'", "'it'\\''s'", "'~'", "'*'"]);
  });
});

describe('prepareSubmission', () => {
  it('one array per level, default limits max(10 min, 3 × the largest estimate), notes saying so', () => {
    const sub = prepareSubmission(PLAN, settings(join(work, 'levels')));
    expect(sub.arrays.map((a) => [a.level, a.tasks.map((t) => t.id), a.time])).toEqual([
      [0, ['seed-1/teacher', 'seed-2/teacher'], '00:20:00'],
      [1, ['seed-1/student/s16-pool/kd'], undefined],
    ]);
    expect(sub.arrays[0]!.tasksText).toBe('seed-1/teacher\nseed-2/teacher\n');
    expect(sub.notes).toEqual([
      'level 0: 2 task(s), time limit 00:20:00 (largest estimate 400.0 s × 3, at least 10 min)',
      "level 1: 1 task(s), time limit none (a task has no estimate; the partition's default applies)",
    ]);
    expect(sub.arrays[0]!.text).toContain('# Time limit: 00:20:00 = max(10 min, 3 × the largest estimate of the level, 400.0 s), rounded up to minutes.');
  });

  // a real plan of MNIST or blob data has a data task without an estimate beside the teachers
  // at level 0; it does not take the level's limit away, but any other unestimated task does
  it.each<[string, (number | null)[], string | undefined]>([
    ['a data task without an estimate', [null], '00:20:00'],
    ['a data task with one (phase data: DMRG)', [2000], '01:40:00'],
    ['two data tasks without estimates', [null, null], '00:20:00'],
  ])('level 0 with %s', (_, dataEst, time) => {
    const plan: StudyPlan = { ...PLAN, tasks: [...dataEst.map((e, i) => ({ id: `seed-${i + 1}/data`, kind: 'data', level: 0, deps: [], estimateSeconds: e })), ...PLAN.tasks] };
    const sub = prepareSubmission(plan, settings(join(work, 'data-level')));
    expect(sub.arrays[0]!.time).toBe(time);
    expect(sub.arrays[1]!.time).toBeUndefined();
  });
  it('a level of data tasks alone, without estimates, gets the partition\'s default', () => {
    const plan: StudyPlan = { ...PLAN, tasks: [{ id: 'seed-1/data', kind: 'data', level: 0, deps: [], estimateSeconds: null }] , levels: 1 };
    expect(prepareSubmission(plan, settings(join(work, 'data-only'))).arrays[0]!.time).toBeUndefined();
  });

  it('--only-failed keeps the tasks without a done marker and drops levels left empty', () => {
    const done = new Set(['seed-1/teacher', 'seed-2/teacher']);
    const sub = prepareSubmission(PLAN, settings(join(work, 'failed'), { onlyFailed: true, isDone: (_, id) => done.has(id) }));
    expect(sub.arrays.map((a) => [a.level, a.tasks.map((t) => t.id)])).toEqual([[1, ['seed-1/student/s16-pool/kd']]]);
    expect(sub.done.map((t) => t.id)).toEqual(['seed-1/teacher', 'seed-2/teacher']);
    expect(sub.notes.at(-1)).toBe('2 of 3 task(s) are done and left out');
    done.add('seed-1/student/s16-pool/kd');
    const none = prepareSubmission(PLAN, settings(join(work, 'failed'), { onlyFailed: true, isDone: (_, id) => done.has(id) }));
    expect(none.arrays).toEqual([]);
    expect(none.notes).toEqual(['all 3 task(s) are done; only the merge job is submitted']);
    // without --only-failed every task is submitted whatever is done
    expect(prepareSubmission(PLAN, settings(join(work, 'failed'), { isDone: () => true })).arrays.flatMap((a) => a.tasks)).toHaveLength(3);
  });

  it('each submission gets the next folder submit-<k>', () => {
    const out = join(work, 'numbering');
    const a = prepareSubmission(PLAN, settings(out));
    expect(a.dir).toBe(join(out, 'slurm', 'submit-1'));
    writeSubmission(a);
    mkdirSync(join(out, 'slurm', 'submit-9'));
    mkdirSync(join(out, 'slurm', 'other'));
    expect(prepareSubmission(PLAN, settings(out)).dir).toBe(join(out, 'slurm', 'submit-10'));
  });
});

describe('dry run and submission', () => {
  it('the dry run shows every file and the chained sbatch lines, and writes nothing', () => {
    const out = join(work, "dry it's");
    const sub = prepareSubmission(PLAN, settings(out));
    const text = formatDryRun(sub);
    for (const a of sub.arrays) {
      expect(text).toContain(`# ---- ${a.path}\n${a.text.trimEnd()}\n`);
      expect(text).toContain(`# ---- ${a.tasksPath}\n${a.tasksText.trimEnd()}\n`);
    }
    expect(text).toContain(`# ---- ${sub.merge.path}\n${sub.merge.text.trimEnd()}\n`);
    expect(text.split('# ---- sbatch lines\n')[1]).toBe([
      `level0=$(sbatch --parsable ${shQuote(sub.arrays[0]!.path)})`,
      `level1=$(sbatch --parsable --dependency=afterok:\${level0%%;*} --kill-on-invalid-dep=yes ${shQuote(sub.arrays[1]!.path)})`,
      `merge=$(sbatch --parsable --dependency=afterok:\${level1%%;*} --kill-on-invalid-dep=yes ${shQuote(sub.merge.path)})`,
    ].join('\n'));
    expect(() => statSync(out)).toThrow();
  });

  it('submits the chain in order and records the job ids; an sbatch failure cancels the jobs already queued', () => {
    const out = join(work, 'submit');
    const calls: string[][] = [];
    let next = 100;
    const ok = (cmd: string, args: string[]) => { calls.push([cmd, ...args]); return `${next++};cluster\n`; };
    const jobs = submitToSlurm(prepareSubmission(PLAN, settings(out)), ok);
    const dir = join(out, 'slurm', 'submit-1');
    expect(calls).toEqual([
      ['sbatch', '--parsable', join(dir, 'level-0.sh')],
      ['sbatch', '--parsable', '--dependency=afterok:100', '--kill-on-invalid-dep=yes', join(dir, 'level-1.sh')],
      ['sbatch', '--parsable', '--dependency=afterok:101', '--kill-on-invalid-dep=yes', join(dir, 'merge.sh')],
    ]);
    expect(jobs.map((j) => [j.name, j.jobId, j.tasks])).toEqual([['level-0', '100', ['seed-1/teacher', 'seed-2/teacher']], ['level-1', '101', ['seed-1/student/s16-pool/kd']], ['merge', '102', undefined]]);
    expect(JSON.parse(readFileSync(join(dir, 'jobs.json'), 'utf8')).jobs).toEqual(jobs);

    calls.length = 0;
    const failSecond = (cmd: string, args: string[]) => {
      calls.push([cmd, ...args]);
      if (cmd === 'sbatch' && calls.filter((c) => c[0] === 'sbatch').length === 2) throw new SlurmCommandError('sbatch … exited with 1: sbatch: error: Batch job submission failed: Invalid partition name specified');
      return cmd === 'sbatch' ? '200\n' : '';
    };
    expect(() => submitToSlurm(prepareSubmission(PLAN, settings(out)), failSecond)).toThrow('sbatch … exited with 1: sbatch: error: Batch job submission failed: Invalid partition name specified (cancelled the 1 job(s) this submission had queued: 200)');
    expect(calls.at(-1)).toEqual(['scancel', '200']);

    // the first sbatch fails (not on PATH, a bad partition): nothing queued, no folder left, the next submission keeps its number
    const fresh = join(work, 'submit-first-fails');
    const notFound = () => { throw new SlurmCommandError('sbatch --parsable …: sbatch not found (is this a Slurm login node? the Slurm client commands must be on PATH)'); };
    expect(() => submitToSlurm(prepareSubmission(PLAN, settings(fresh)), notFound)).toThrow(/sbatch not found .*; nothing was submitted$/);
    expect(existsSync(join(fresh, 'slurm', 'submit-1'))).toBe(false);
    expect(prepareSubmission(PLAN, settings(fresh)).dir).toBe(join(fresh, 'slurm', 'submit-1'));
  });
});
