/**
 * `qdistill run --quick` killed with SIGKILL part-way (during a run and right after a run's
 * record is saved) and rerun with `--resume` ends with the same runs in results.json as an
 * uninterrupted invocation: the same keys, finals and histories (wall-clock seconds aside).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../cli/run-cli.js';
import { startNode, waitFor, type Ended } from './spawn.js';

const CONFIG = 'experiments/e3-self-distillation.json';
const tmp = mkdtempSync(join(tmpdir(), 'qdistill-run-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (out: string, resume: boolean) => startNode([CLI, 'run', CONFIG, '--quick', '--out', out, '--workers', '2', ...(resume ? ['--resume'] : [])]);
const savedRuns = (out: string): number => (existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json')).length : 0);

interface Run { key: string; final: unknown; history: { seconds?: number }[]; epochsToTarget: unknown }
function runsOf(out: string): unknown[] {
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: Run[] };
  return res.runs.map((r) => ({ key: r.key, final: r.final, epochsToTarget: r.epochsToTarget, history: r.history.map(({ seconds: _s, ...rest }) => rest) }));
}
function expectOk(r: Ended): void {
  expect(r.stderr).not.toMatch(/qdistill:/);
  expect(r.code).toBe(0);
}

describe('qdistill run: kill -9 and --resume', () => {
  it('e3 --quick killed twice and resumed gives the same results.json runs as an uninterrupted run', async () => {
    const straight = join(tmp, 'straight');
    expectOk(await run(straight, false).ended);
    const expected = runsOf(straight);
    expect(expected.length).toBe(6);

    const out = join(tmp, 'killed');
    const kills: string[] = [];
    // 1: in the middle of the second training run (its checkpoints exist, its record does not)
    const a = run(out, false);
    expect(await waitFor(a, () => savedRuns(out) >= 1 && existsSync(join(out, 'checkpoints', 'seed-1', 'self', 'snapshot', 'checkpoint.json')))).toBe(true);
    a.proc.kill('SIGKILL');
    expect((await a.ended).killed).toBe(true);
    kills.push(`after ${savedRuns(out)} saved run(s), mid-run`);
    // 2: as soon as the born-again generation 0 record is saved (generation 1 starts from it)
    const b = run(out, true);
    expect(await waitFor(b, () => existsSync(join(out, 'runs', 'seed-1__self__born-again-g0.json')), 60_000, 2)).toBe(true);
    b.proc.kill('SIGKILL');
    expect((await b.ended).killed).toBe(true);
    kills.push(`after ${savedRuns(out)} saved run(s), right after born-again-g0`);
    // 3: in the last run, born-again generation 1, once its first checkpoint is written (a
    // progress marker, not a wall-clock delay, so the kill lands mid-run on any machine)
    const c = run(out, true);
    expect(await waitFor(c, () => existsSync(join(out, 'checkpoints', 'seed-1', 'self', 'born-again-g1', 'checkpoint.json')), 60_000, 2)).toBe(true);
    c.proc.kill('SIGKILL');
    expect((await c.ended).killed).toBe(true);
    kills.push(`after ${savedRuns(out)} saved run(s), in born-again-g1 after its first checkpoint`);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    expectOk(await run(out, true).ended);
    expect(runsOf(out)).toEqual(expected);
    console.log(`qdistill run kill points: ${kills.join('; ')}`);
  });
});
