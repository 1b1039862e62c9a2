/**
 * The study's timing across invocations (`invocations.ts`): a `--resume` that reuses every task
 * keeps `startedAt`, `wallSeconds` and `cpuSeconds` and records no invocation; a study killed
 * part-way (yesterday, after an hour) and resumed today counts both invocations' wall and CPU
 * seconds, not the night between, starts at the first one, and table.md and report.html say so;
 * a fresh run starts the time anew; `run --task` invocations are recorded and merged; the
 * rule itself (overlaps once, markers of unrecorded tasks, other studies' invocations left out).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run.js';
import { mergeCommand } from '../../src/cli/study.js';
import { resolveConfig, type ExperimentConfig } from '../../src/experiment/config.js';
import { InvocationClock, invocationsDir, readInvocations, studyTiming, type InvocationRecord } from '../../src/experiment/invocations.js';
import { planStudy, runRecordPath, taskDonePath } from '../../src/experiment/plan.js';
import { writeReport } from '../../src/experiment/report.js';
import { runExperiment, type ExperimentResults } from '../../src/experiment/runner.js';
import { readTaskMarker, runTask, type TaskMarker } from '../../src/experiment/tasks.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-study-timing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = (qubits: number) => ({ qubits, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'qubits', qubits: [0, 1] } });
const RAW = {
  name: 'timed', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 16, nVal: 8, nTest: 8, separation: 4 },
  training: { epochs: 1, batchSize: 8, lr: 0.1 },
  teacher: { model: model(4) },
  students: [{ name: 's2', input: { kind: 'subset', indices: [0, 1] }, model: model(2) }],
  methods: ['label', 'kd'],
};
const cfg: ExperimentConfig = resolveConfig(RAW, { file: 'timed.json' });
const plan = planStudy(cfg, false);
const base = { quick: false, workers: 1, progress: 'none' as const };
const run = (outDir: string, resume: boolean, force = false) => runExperiment(cfg, { ...base, outDir, resume, force });
const invocationFiles = (out: string) => (existsSync(invocationsDir(out)) ? readdirSync(invocationsDir(out)).filter((f) => f.endsWith('.json')) : []);
const DAY = 86_400_000;

describe('the timing of a study run in several invocations', () => {
  it('a --resume that reuses every task keeps startedAt, wallSeconds and cpuSeconds, and records no invocation', { timeout: 60_000 }, async () => {
    const out = join(dir, 'reprint');
    const first = (await run(out, false)).results;
    expect(first.invocations).toHaveLength(1);
    expect(first.invocations![0]).toMatchObject({ startedAt: first.startedAt, wallSeconds: first.wallSeconds, cpuSeconds: first.cpuSeconds, tasks: plan.tasks.length, ended: true });
    expect(first.wallSeconds).toBeGreaterThan(0);
    const again = (await run(out, true)).results;
    expect({ startedAt: again.startedAt, wallSeconds: again.wallSeconds, cpuSeconds: again.cpuSeconds, invocations: again.invocations })
      .toEqual({ startedAt: first.startedAt, wallSeconds: first.wallSeconds, cpuSeconds: first.cpuSeconds, invocations: first.invocations });
    expect(invocationFiles(out)).toHaveLength(1);
  });

  it('a study killed yesterday after an hour and resumed today counts both invocations, not the night between; table.md and report.html show the total', { timeout: 60_000 }, async () => {
    const out = join(dir, 'killed');
    // the first invocation runs two tasks and is killed (its clock never gets its last save)
    const killed = new InvocationClock(out, plan);
    for (const t of plan.tasks.slice(0, 2)) await runTask(plan, t, { ...base, cfg, outDir: out, resume: false, gitCommit: 'test', invocation: killed });
    const file = join(invocationsDir(out), `${killed.id}.json`);
    const rec = JSON.parse(readFileSync(file, 'utf8')) as InvocationRecord;
    expect(rec).toMatchObject({ ended: false, tasks: plan.tasks.slice(0, 2).map((t) => t.id) });
    // ... a day ago, after an hour of work
    const yesterday = new Date(Date.parse(rec.startedAt) - DAY).toISOString();
    writeFileSync(file, JSON.stringify({ ...rec, startedAt: yesterday, wallSeconds: 3600, cpuSeconds: 7000 }));
    for (const t of plan.tasks.slice(0, 2)) {
      const m = readTaskMarker(out, t.id)!;
      expect(m.invocation).toBe(killed.id);
      writeFileSync(taskDonePath(out, t.id), JSON.stringify({ ...m, startedAt: new Date(Date.parse(m.startedAt) - DAY).toISOString() }));
    }
    const res = (await run(out, true)).results;
    expect(res.invocations).toHaveLength(2);
    const [a, b] = res.invocations!;
    expect(a).toEqual({ startedAt: yesterday, wallSeconds: 3600, cpuSeconds: 7000, tasks: 2, ended: false });
    expect(b).toMatchObject({ tasks: plan.tasks.length - 2, ended: true });
    expect(res.startedAt).toBe(yesterday);
    expect(res.wallSeconds).toBe(3600 + b!.wallSeconds);
    expect(res.cpuSeconds).toBeCloseTo(7000 + b!.cpuSeconds, 9);
    await writeReport(res, out);
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toContain(`wall time ${res.wallSeconds.toFixed(1)} s.`);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(new RegExp(`wall time</th>\\s*<td>${res.wallSeconds.toFixed(1)} s`));
    expect(html).toMatch(new RegExp(`CPU time</th>\\s*<td>${res.cpuSeconds.toFixed(1)} s`));
    // finished: the end of today's invocation, not yesterday's start + the summed wall time
    const finished = new Date(Date.parse(b!.startedAt) + b!.wallSeconds * 1000).toISOString();
    expect(html).toMatch(new RegExp(`finished</th>\\s*<td>${finished}`));
    expect((JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ExperimentResults).wallSeconds).toBe(res.wallSeconds);

    // a fresh run (no --resume) of the same folder starts the study's time anew
    const fresh = (await run(out, false, true)).results;
    expect(fresh.invocations).toHaveLength(1);
    expect(fresh.wallSeconds).toBeLessThan(3600);
    expect(Date.parse(fresh.startedAt)).toBeGreaterThan(Date.parse(yesterday) + DAY / 2);
  });

  it('qdistill run --task records each invocation that runs a task (not one that reuses it); merge sums them', { timeout: 60_000 }, async () => {
    const out = join(dir, 'cli');
    const file = join(dir, 'timed.json');
    writeFileSync(file, JSON.stringify(RAW));
    for (const t of plan.tasks) await runCommand([file, '--task', t.id, '--out', out, '--no-progress']);
    expect(invocationFiles(out)).toHaveLength(plan.tasks.length);
    await runCommand([file, '--task', plan.tasks[0]!.id, '--out', out, '--resume', '--no-progress']);
    expect(invocationFiles(out)).toHaveLength(plan.tasks.length);
    await mergeCommand([out]);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ExperimentResults;
    expect(res.invocations!.map((i) => i.tasks)).toEqual(plan.tasks.map(() => 1));
    expect(res.cpuSeconds).toBeCloseTo(res.invocations!.reduce((s, i) => s + i.cpuSeconds, 0), 9);
    expect(res.startedAt).toBe(res.invocations![0]!.startedAt);
  });
});

describe('studyTiming: the rule', () => {
  const ids = new Set(['a', 'b', 'c']);
  const T0 = Date.parse('2026-03-01T10:00:00.000Z');
  const at = (s: number) => new Date(T0 + s * 1000).toISOString();
  const inv = (id: string, start: number, wall: number, cpu: number, tasks: string[], extra: Partial<InvocationRecord> = {}): InvocationRecord =>
    ({ format: 'qdistill.invocation', version: 1, id, configHash: 'h', quick: false, startedAt: at(start), wallSeconds: wall, cpuSeconds: cpu, tasks, ended: true, ...extra });
  const marker = (id: string, start: number, wall: number, cpu: number, invocation?: string) =>
    ({ id, startedAt: at(start), wallSeconds: wall, cpuSeconds: cpu, ...(invocation ? { invocation } : {}) }) as TaskMarker;

  it('invocations in sequence add up, a gap between them does not count, overlapping ones count once', () => {
    expect(studyTiming([inv('x', 0, 10, 15, ['a']), inv('y', 100, 5, 4, ['b'])], [], ids)).toMatchObject({ startedAt: at(0), wallSeconds: 15, cpuSeconds: 19 });
    expect(studyTiming([inv('x', 0, 10, 15, ['a']), inv('y', 4, 10, 4, ['b']), inv('z', 5, 2, 1, ['c'])], [], ids)).toMatchObject({ wallSeconds: 14, cpuSeconds: 20 });
  });

  it('a --seeds subset counts an invocation that also ran other seeds\' tasks by the markers of its own tasks only', () => {
    // invocation x ran a and b of this plan and z of another seed, for 100 s and 150 CPU s
    const t = studyTiming([inv('x', 0, 100, 150, ['a', 'z', 'b'])], [marker('a', 1, 20, 30, 'x'), marker('b', 60, 10, 12, 'x')], ids);
    expect(t).toMatchObject({ startedAt: at(1), wallSeconds: 30, cpuSeconds: 42, invocations: [] });
    // the same invocation, with every task in the plan, counts whole
    expect(studyTiming([inv('x', 0, 100, 150, ['a', 'b'])], [marker('a', 1, 20, 30, 'x'), marker('b', 60, 10, 12, 'x')], ids)).toMatchObject({ wallSeconds: 100, cpuSeconds: 150 });
  });

  it('a task marker counts by itself when no recorded invocation ran it (older versions), never twice', () => {
    const t = studyTiming([inv('x', 100, 10, 10, ['b'])], [marker('a', 0, 3, 2), marker('b', 101, 8, 8, 'x'), marker('c', 50, 1, 1, 'gone')], ids);
    expect(t).toMatchObject({ startedAt: at(0), wallSeconds: 14, cpuSeconds: 13 });
    expect(t.invocations).toEqual([{ startedAt: at(100), wallSeconds: 10, cpuSeconds: 10, tasks: 1, ended: true }]);
  });

  it('readInvocations keeps the invocations of this study that started one of its tasks, passing over damaged files', () => {
    const out = join(dir, 'rule');
    mkdirSync(invocationsDir(out), { recursive: true });
    const p = { configHash: 'h', quick: false, tasks: [...ids].map((id) => ({ id })) } as unknown as Parameters<typeof readInvocations>[1];
    const write = (r: InvocationRecord | string) => writeFileSync(join(invocationsDir(out), `${typeof r === 'string' ? 'bad' : r.id}.json`), typeof r === 'string' ? r : JSON.stringify(r));
    write(inv('ours', 0, 1, 1, ['a', 'z']));
    write(inv('other-config', 0, 1, 1, ['a'], { configHash: 'g' }));
    write(inv('quick', 0, 1, 1, ['a'], { quick: true }));
    write(inv('other-seeds', 0, 1, 1, ['z']));
    write('{"format":"qdistill.invoc');
    // records with a start that is not an ISO date, non-finite times or non-string tasks are not read
    write(inv('start-0', 0, 1, 1, ['a'], { startedAt: 0 as unknown as string }));
    write(inv('start-word', 0, 1, 1, ['a'], { startedAt: 'Monday' }));
    write(inv('cpu-huge', 0, 1, 1e400, ['a']));
    write(inv('tasks-numbers', 0, 1, 1, [1 as unknown as string, 'a']));
    expect(readInvocations(out, p).map((r) => r.id)).toEqual(['ours']);
    // an invocations path that is not a folder holds no record
    const file = join(dir, 'rule-file');
    mkdirSync(file, { recursive: true });
    writeFileSync(invocationsDir(file), 'x');
    expect(readInvocations(file, p)).toEqual([]);
  });

  it('a results folder whose invocations path is a file still runs, resumes and reprints, timing its tasks by their markers', { timeout: 60_000 }, async () => {
    const out = join(dir, 'blocked');
    mkdirSync(out, { recursive: true });
    const first = (await run(out, false)).results; // a fresh run clears whatever stood there
    expect(first.invocations).toHaveLength(1);
    rmSync(invocationsDir(out), { recursive: true, force: true });
    writeFileSync(invocationsDir(out), 'not a folder');
    const reprint = (await run(out, true)).results;
    expect(reprint.cpuSeconds).toBeGreaterThan(0);
    expect(reprint.invocations).toEqual([]);
    // a task left to run: its invocation cannot be recorded; the run goes on, with a warning
    const last = plan.tasks.at(-1)!.id;
    rmSync(taskDonePath(out, last));
    rmSync(runRecordPath(out, last));
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => { writes.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      const resumed = (await run(out, true)).results;
      expect(resumed.runs.length).toBe(first.runs.length);
    } finally {
      process.stderr.write = orig;
    }
    expect(writes.join('')).toMatch(/warning: cannot record this invocation's time in .*invocations/);
  });
});
