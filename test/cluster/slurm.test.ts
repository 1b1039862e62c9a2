/**
 * `qdistill submit` against a real one-node Slurm cluster (slurmctld + slurmd + munged started
 * by test/cluster/slurm-local.ts on this machine; nothing mocked). A hand-written three-level
 * plan is submitted through the built CLI with `--qdistill-command` pointing at
 * test/cluster/fake-qdistill.mjs, whose `run --task` logs and leaves a done marker: the batch
 * scripts, task lists, job arrays, afterok chain, scancel and --only-failed resubmission are the
 * real ones. Checked: every task runs exactly once to completion, each level only after the whole
 * previous level, the merge last, every argument arrives intact through paths with spaces,
 * a quote, `$`, backticks and `%`; a task cancelled mid-run cancels the rest of the chain and
 * `--only-failed` then finishes exactly the tasks left. The time and memory checks of submit
 * are compared with sbatch's own parser. The end-to-end studies (real `qdistill run --task` and
 * `merge`, results.json compared with a local run, timing fields aside) turn on when the CLI
 * has the `plan` command: demo --quick always; e1 and e3 --quick and a task killed by scancel
 * and resubmitted with QDISTILL_SLURM_STUDIES=1.
 *
 * Without the Slurm packages (`apt-get install slurm-wlm munge`), or when the daemons cannot
 * start (not root, ...), the tests are skipped with the reason printed; under CI
 * (`QDISTILL_CI=1`, where .ci/run installs the packages) missing programs fail instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { taskDonePath } from '../../src/cluster/done-marker.js';
import type { StudyPlan } from '../../src/cluster/plan-json.js';
import { shQuote } from '../../src/cluster/scripts.js';
import { parseSlurmTime, checkSlurmMemory } from '../../src/cluster/slurm-values.js';
import { CLI } from '../cli/run-cli.js';
import { startLocalSlurm, type LocalSlurm } from './slurm-local.js';

const here = dirname(fileURLToPath(import.meta.url));
const FAKE = join(here, 'fake-qdistill.mjs');

/** Three levels: teachers, soft labels of two of them, students after their soft labels and teacher. */
const PLAN: StudyPlan = {
  name: 'toy', quick: true, configHash: '0123abcd', levels: 3,
  tasks: [
    { id: 'seed-1/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 2 },
    { id: 'seed-2/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 2 },
    { id: 'seed-3/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 2 },
    { id: 'seed-1/soft-labels', kind: 'soft-labels', level: 1, deps: ['seed-1/teacher'], estimateSeconds: 1 },
    { id: 'seed-2/soft-labels', kind: 'soft-labels', level: 1, deps: ['seed-2/teacher'], estimateSeconds: 1 },
    { id: 'seed-1/student/s4-pool/kd', kind: 'student', level: 2, deps: ['seed-1/soft-labels', 'seed-1/teacher'], estimateSeconds: 1 },
    { id: 'seed-2/student/s4-pool/kd', kind: 'student', level: 2, deps: ['seed-2/soft-labels', 'seed-2/teacher'], estimateSeconds: 1 },
  ],
};

let slurm: LocalSlurm | null = null;
let why = '';
const work = mkdtempSync(join(tmpdir(), 'qdistill-submit-'));

beforeAll(async () => {
  const t0 = Date.now();
  const s = await startLocalSlurm(30_000);
  if ('reason' in s) {
    why = s.reason;
    if (process.env['QDISTILL_CI'] && /not found/.test(why)) throw new Error(`Slurm test: ${why}; CI must run it (.ci/run installs slurm-wlm and munge)`);
    console.warn(`Slurm tests skipped: ${why}`);
  } else {
    slurm = s;
    console.log(`one-node Slurm up in ${Date.now() - t0} ms:\n${s.run('sinfo', []).stdout.trimEnd()}`);
  }
}, 60_000);

afterAll(async () => {
  await slurm?.stop();
  rmSync(work, { recursive: true, force: true });
}, 30_000);

function needSlurm(ctx: TestContext): LocalSlurm {
  if (!slurm) {
    console.warn(`skipped: ${why.split('\n')[0]}`);
    ctx.skip();
  }
  return slurm!;
}

interface Event { event: string; t: number; task?: string; argv?: string[]; job?: string; array?: string | null; missing?: string[] }
const events = (out: string): Event[] => (existsSync(join(out, 'ran.jsonl')) ? readFileSync(join(out, 'ran.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Event) : []);

/** A study folder with the plan and a config file, under a path with spaces, a quote, `$`, backticks and `%`. */
function study(tag: string): { out: string; config: string; planFile: string } {
  const base = join(work, `${tag} it's $HOME \`id\` 100%`);
  mkdirSync(base, { recursive: true });
  const config = join(base, 'my config.json');
  writeFileSync(config, '{"name":"toy"}\n');
  const planFile = join(base, 'plan.json');
  writeFileSync(planFile, JSON.stringify(PLAN));
  return { out: join(base, 'results dir'), config, planFile };
}

/** `qdistill submit` (built CLI) against the test cluster. */
function submit(s: LocalSlurm, st: { out: string; config: string; planFile: string }, extra: string[] = []) {
  // an option takes one value: `extra` replaces the default partition rather than repeating the flag
  const args = ['submit', st.config, '--quick', '--out', st.out, '--plan', st.planFile, ...(extra.includes('--partition') ? [] : ['--partition', s.partition]), '--max-parallel', '2', '--mem', '100M', '--cpus-per-task', '1',
    '--qdistill-command', `${shQuote(process.execPath)} ${shQuote(FAKE)}`, ...extra];
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...s.env, FAKE_PLAN: st.planFile }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, jobs: [...r.stdout.matchAll(/^(level-\d+|merge): job (\d+)/gm)].map((m) => ({ name: m[1]!, id: m[2]! })) };
}

/** Polls squeue until none of `ids` is queued or running (at most `ms`); returns the squeue snapshots seen. */
async function waitGone(s: LocalSlurm, ids: string[], ms = 60_000): Promise<string[]> {
  const seen: string[] = [];
  const until = Date.now() + ms;
  for (;;) {
    const q = s.run('squeue', ['--noheader', '--array', '--format=%i %j %T %r']);
    const mine = q.stdout.split('\n').filter((l) => ids.some((id) => l.startsWith(`${id}_`) || l.startsWith(`${id} `)));
    if (mine.length === 0) return seen;
    if (seen.at(-1) !== mine.join('\n')) seen.push(mine.join('\n'));
    if (Date.now() > until) throw new Error(`jobs ${ids.join(', ')} still queued after ${ms} ms:\n${mine.join('\n')}\n${s.logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function waitFor(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Each level's tasks start only after every task of the levels below finished (within one submission's events). */
function expectLevelOrder(ev: Event[], ids: Set<string>): void {
  const level = new Map(PLAN.tasks.map((t) => [t.id, t.level]));
  for (let k = 1; k < PLAN.levels; k++) {
    const starts = ev.filter((e) => e.event === 'start' && ids.has(e.task!) && level.get(e.task!) === k).map((e) => e.t);
    const dones = ev.filter((e) => e.event === 'done' && ids.has(e.task!) && level.get(e.task!)! < k).map((e) => e.t);
    if (starts.length && dones.length) expect(Math.min(...starts), `level ${k} starts after the levels below`).toBeGreaterThan(Math.max(...dones));
  }
}

describe('qdistill submit on a one-node Slurm cluster', () => {
  it('runs every task once, level after level, then the merge; arguments survive the quoting', async (ctx) => {
    const s = needSlurm(ctx);
    const st = study('chain');
    const t0 = Date.now();
    const r = submit(s, st);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.jobs.map((j) => j.name)).toEqual(['level-0', 'level-1', 'level-2', 'merge']);
    const snapshots = await waitGone(s, r.jobs.map((j) => j.id));
    console.log(`chain of ${r.jobs.length} jobs (${PLAN.tasks.length} tasks) done in ${((Date.now() - t0) / 1000).toFixed(1)} s; squeue while it ran:\n${snapshots.join('\n--\n')}`);
    const ev = events(st.out);
    expect(ev.filter((e) => e.event === 'fail')).toEqual([]);
    for (const t of PLAN.tasks) {
      expect(ev.filter((e) => e.event === 'start' && e.task === t.id).map((e) => e.argv), t.id).toEqual([[st.config, '--quick', '--task', t.id, '--out', st.out, '--resume', '--workers', '1']]);
      expect(ev.filter((e) => e.event === 'done' && e.task === t.id)).toHaveLength(1);
      expect(existsSync(taskDonePath(st.out, t.id))).toBe(true);
    }
    expectLevelOrder(ev, new Set(PLAN.tasks.map((t) => t.id)));
    const merge = ev.filter((e) => e.event === 'merge');
    expect(merge.map((e) => e.argv)).toEqual([[st.out]]);
    expect(merge[0]!.t).toBeGreaterThan(Math.max(...ev.filter((e) => e.event === 'done').map((e) => e.t)));
    expect(JSON.parse(readFileSync(join(st.out, 'merged.json'), 'utf8')).tasks).toHaveLength(PLAN.tasks.length);
    // Slurm's own record of every array task (job-completion log): completed, in the array job submit printed
    const recs = s.jobRecords();
    for (const [k, j] of r.jobs.entries()) {
      const mine = recs.filter((x) => (j.name === 'merge' ? x['JobId'] === j.id : x['ArrayJobId'] === j.id));
      expect(mine.map((x) => x['JobState']), j.name).toEqual(Array(j.name === 'merge' ? 1 : PLAN.tasks.filter((t) => t.level === k).length).fill('COMPLETED'));
    }
    console.log(`job-completion records:\n${recs.map((x) => `JobId=${x['JobId']} ArrayJobId=${x['ArrayJobId'] ?? '-'} ArrayTaskId=${x['ArrayTaskId'] ?? '-'} Name=${x['Name']} JobState=${x['JobState']} ExitCode=${x['ExitCode']} Start=${x['StartTime']} End=${x['EndTime']}`).join('\n')}`);
    // one log per array task where the #SBATCH --output line said
    const l0 = r.jobs[0]!.id;
    for (let i = 0; i < 3; i++) expect(readFileSync(join(st.out, 'slurm', 'submit-1', 'logs', `level-0-${l0}_${i}.out`), 'utf8')).toContain(`qdistill task ${PLAN.tasks[i]!.id} (array job ${l0}_${i})`);
  }, 120_000);

  it('a task cancelled mid-run cancels the rest of the chain; --only-failed finishes exactly the tasks left', async (ctx) => {
    const s = needSlurm(ctx);
    const st = study('cancel');
    const victim = 'seed-2/teacher';
    const hold = join(st.out, 'hold', encodeURIComponent(victim));
    mkdirSync(dirname(hold), { recursive: true });
    writeFileSync(hold, '');
    const first = submit(s, st);
    expect(first.status, first.stderr).toBe(0);
    await waitFor(`${victim} to start`, () => events(st.out).some((e) => e.event === 'hold' && e.task === victim));
    // while the first submission is in the queue, a second is refused
    const again = submit(s, st, ['--only-failed']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^qdistill: \d+ job\(s\) of an earlier submission into .* are still queued or running \(.*\); wait for them or scancel them before submitting again\n$/);
    const arrayTask = events(st.out).find((e) => e.event === 'hold')!.array!;
    const before = s.run('squeue', ['--array', '--format=%i %j %T %r']).stdout;
    expect(s.run('scancel', [arrayTask]).status).toBe(0);
    await waitGone(s, first.jobs.map((j) => j.id));
    const recs = s.jobRecords();
    console.log(`squeue before scancel ${arrayTask}:\n${before.trimEnd()}\njob-completion records after it:\n${recs.filter((x) => first.jobs.some((j) => x['JobId'] === j.id || x['ArrayJobId'] === j.id)).map((x) => `JobId=${x['JobId']} ArrayJobId=${x['ArrayJobId'] ?? '-'} ArrayTaskId=${x['ArrayTaskId'] ?? '-'} Name=${x['Name']} JobState=${x['JobState']} ExitCode=${x['ExitCode']}`).join('\n')}`);
    expect(recs.find((x) => `${x['ArrayJobId']}_${x['ArrayTaskId']}` === arrayTask)?.['JobState']).toBe('CANCELLED');
    const doneAfterCancel = PLAN.tasks.filter((t) => existsSync(taskDonePath(st.out, t.id))).map((t) => t.id);
    expect(doneAfterCancel).toEqual(['seed-1/teacher', 'seed-3/teacher']);
    expect(events(st.out).filter((e) => e.event === 'start' && PLAN.tasks.find((t) => t.id === e.task)!.level > 0)).toEqual([]);
    expect(existsSync(join(st.out, 'merged.json'))).toBe(false);

    rmSync(hold);
    const mark = events(st.out).length;
    const second = submit(s, st, ['--only-failed']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain(`2 of ${PLAN.tasks.length} task(s) are done and left out`);
    expect(readFileSync(join(st.out, 'slurm', 'submit-2', 'level-0.tasks'), 'utf8')).toBe(`${victim}\n`);
    await waitGone(s, second.jobs.map((j) => j.id));
    const ev = events(st.out);
    expect(ev.filter((e) => e.event === 'fail')).toEqual([]);
    for (const t of PLAN.tasks) expect(ev.filter((e) => e.event === 'done' && e.task === t.id), t.id).toHaveLength(1);
    expect(ev.filter((e) => e.event === 'start' && e.task === victim)).toHaveLength(2);
    expect(ev.slice(mark).filter((e) => e.event === 'start').map((e) => e.task).sort()).toEqual(PLAN.tasks.map((t) => t.id).filter((id) => !doneAfterCancel.includes(id)).sort());
    expectLevelOrder(ev.slice(mark), new Set(PLAN.tasks.map((t) => t.id)));
    expect(ev.filter((e) => e.event === 'merge')).toHaveLength(1);
    expect(existsSync(join(st.out, 'merged.json'))).toBe(true);
  }, 120_000);

  it('an sbatch refusal (an unknown partition) is one line with exit 1, and nothing is left queued', (ctx) => {
    const s = needSlurm(ctx);
    const st = study('refused');
    const r = submit(s, st, ['--partition', 'nosuchpartition']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^qdistill: sbatch --parsable '.*\/slurm\/submit-1\/level-0\.sh' exited with 1: .*invalid partition.*\n$/i);
    expect(s.run('squeue', ['--noheader', '--name=qd-toy-L0,qd-toy-L1,qd-toy-L2,qd-toy-merge']).stdout).toBe('');
  });

  it('--time and --mem accept what sbatch accepts, and refuse at least what it refuses', (ctx) => {
    const s = needSlurm(ctx);
    const times = ['90', '5:30', '1:00:00', '1-12', '1-12:30', '1-12:30:15', '25:00:00', '1-2-3', 'ab', '1:2:3:4', '1h', ''];
    const mems = ['1G', '100', '100M', '1g', '500K', '1.5G', 'x', '4GB', '-1'];
    const test = (flag: string, v: string) => s.run('sbatch', ['--test-only', `--${flag}=${v}`, '--wrap', 'true']).status === 0;
    for (const t of times) if (typeof parseSlurmTime(t) === 'number') expect(test('time', t), `--time ${t}`).toBe(true);
    for (const t of times) if (!test('time', t)) expect(typeof parseSlurmTime(t), `--time ${t}`).toBe('string');
    for (const m of mems) if (checkSlurmMemory(m) === null) expect(test('mem', m), `--mem ${m}`).toBe(true);
    for (const m of mems) if (!test('mem', m)) expect(checkSlurmMemory(m), `--mem ${m}`).not.toBeNull();
  }, 60_000);
});

/** Whether the built CLI has `qdistill plan` (the study planner with `run --task` and `merge`). */
function hasPlanCommand(): boolean {
  return spawnSync(process.execPath, [CLI, 'plan', '--help'], { encoding: 'utf8' }).status === 0;
}

/**
 * Keys of results.json that differ between two runs of the same study: wall and CPU times
 * (per study, run and epoch, and the pieces of resumed runs), the study's invocations, dates, the machine, and the
 * worker threads (which do not change the numbers: gradients are summed in sample order).
 */
const TIMING_KEYS = /^(wallSeconds|cpuSeconds|invocations|seconds|secondsPieces|wallPieces|startedAt|finishedAt|writtenAt|machine|workers)$/;

/** results.json without its {@link TIMING_KEYS}, at any depth. */
function withoutTiming(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutTiming);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING_KEYS.test(k)).map(([k, x]) => [k, withoutTiming(x)]));
}

/**
 * The studies run end to end: demo --quick always (when the CLI has `plan`), e1 and e3 --quick
 * and the scancel-and-resubmit variant with QDISTILL_SLURM_STUDIES=1 (minutes each on 2 cores).
 */
const STUDIES = ['demo', ...(process.env['QDISTILL_SLURM_STUDIES'] ? ['e1-qubits', 'e3-self-distillation'] : [])];

describe.each(STUDIES)('a real study through Slurm: %s --quick', (name) => {
  const config = join(process.cwd(), 'experiments', `${name}.json`);
  let localDir: string | null = null;
  let localSeconds = 0;
  /** The local run of the same study (once per study). */
  const local = (): string => {
    if (localDir) return localDir;
    const dir = join(work, `${name} local`);
    const t0 = Date.now();
    const l = spawnSync(process.execPath, [CLI, 'run', config, '--quick', '--out', dir, '--no-progress'], { encoding: 'utf8', timeout: 900_000 });
    expect(l.status, l.stderr).toBe(0);
    localSeconds = (Date.now() - t0) / 1000;
    return (localDir = dir);
  };
  const read = (d: string) => withoutTiming(JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')));
  const submitStudy = (s: LocalSlurm, out: string, extra: string[] = []) => {
    const r = spawnSync(process.execPath, [CLI, 'submit', config, '--quick', '--out', out, '--partition', s.partition, ...extra], { encoding: 'utf8', env: s.env, timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    return [...r.stdout.matchAll(/^(?:level-\d+|merge): job (\d+)/gm)].map((m) => m[1]!);
  };
  const needPlanner = (ctx: TestContext): LocalSlurm => {
    const s = needSlurm(ctx);
    if (!hasPlanCommand()) {
      console.warn("skipped: this build has no 'qdistill plan' (the planner, run --task and merge come with it)");
      ctx.skip();
    }
    return s;
  };

  it('plan, submit and the merge job reproduce the local run', async (ctx) => {
    const s = needPlanner(ctx);
    const out = join(work, `${name} via slurm`);
    const t0 = Date.now();
    const snapshots = await waitGone(s, submitStudy(s, out), 900_000);
    const slurmSeconds = (Date.now() - t0) / 1000;
    const mine = read(out);
    const theirs = read(local());
    console.log(`${name} --quick: ${slurmSeconds.toFixed(1)} s through Slurm, ${localSeconds.toFixed(1)} s locally; squeue while it ran:\n${snapshots.join('\n--\n')}`);
    expect(mine).toEqual(theirs);
  }, 1_800_000);

  it.runIf(!!process.env['QDISTILL_SLURM_STUDIES'])('a task killed mid-run by scancel and resubmitted with --only-failed gives the same results', async (ctx) => {
    const s = needPlanner(ctx);
    const out = join(work, `${name} killed`);
    const ids = submitStudy(s, out);
    // a running level-0 training task (a teacher first; a data task ends too soon to be killed), cancelled 1.5 s into its run
    const level0 = readFileSync(join(out, 'slurm', 'submit-1', 'level-0.tasks'), 'utf8').split('\n');
    const rank = (id: string) => (id.endsWith('/teacher') ? 0 : id.endsWith('/data') ? 2 : 1);
    let victim = '';
    const until = Date.now() + 120_000;
    while (!victim && Date.now() < until) {
      const q = s.run('squeue', ['--noheader', '--array', '--states=RUNNING', '--format=%i %j']).stdout;
      const running = q.split('\n').map((l) => l.trim().split(' ')).filter((f) => f[0]!.startsWith(`${ids[0]}_`) && f[1]!.endsWith('-L0')).map((f) => f[0]!)
        .filter((j) => rank(level0[Number(j.split('_')[1])] ?? '/data') < 2)
        .sort((a, b) => rank(level0[Number(a.split('_')[1])]!) - rank(level0[Number(b.split('_')[1])]!));
      victim = running[0] ?? '';
      if (!victim) await new Promise((r) => setTimeout(r, 100));
    }
    expect(victim, 'a running level-0 task').not.toBe('');
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.run('scancel', [victim]).status).toBe(0);
    await waitGone(s, ids, 900_000);
    const taskId = readFileSync(join(out, 'slurm', 'submit-1', 'level-0.tasks'), 'utf8').split('\n')[Number(victim.split('_')[1])]!;
    expect(existsSync(taskDonePath(out, taskId)), `${taskId} was cancelled before it finished`).toBe(false);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    await waitGone(s, submitStudy(s, out, ['--only-failed']), 900_000);
    expect(read(out)).toEqual(read(local()));
  }, 1_800_000);
});
