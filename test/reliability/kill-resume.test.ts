/**
 * docs/design.md §8 durability: a training run killed with SIGKILL at any moment — at a minibatch
 * step or in the middle of a checkpoint write — and resumed ends with parameters and metrics bit-identical
 * to an uninterrupted run; damaged checkpoints are reported by name, never loaded; SIGINT
 * stops cleanly after a checkpoint. Drives test/reliability/kill-resume-train.mjs (built dist/).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import { readCheckpoint, type Checkpoint } from '../../src/train/loop.js';
import { ROOT, startNode, waitFor, type Ended } from './spawn.js';

const SCRIPT = join(ROOT, 'test/reliability/kill-resume-train.mjs');
const EPOCHS = 10;
const tmp = mkdtempSync(join(tmpdir(), 'qdistill-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const train = (dir: string, resume: boolean, env: Record<string, string> = {}) => startNode([SCRIPT, dir, ...(resume ? ['--resume'] : [])], env);
const ckptFile = (dir: string) => join(dir, 'ckpt', 'checkpoint.json');
const finalOf = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'final.json'), 'utf8'));
const epochsDone = async (dir: string): Promise<number> => (existsSync(ckptFile(dir)) ? (await readCheckpoint(ckptFile(dir))).epochsDone : 0);

function expectClean(r: Ended): void {
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code).toBe(0);
}

let reference: unknown;
let referenceDir: string;
beforeAll(async () => {
  referenceDir = join(tmp, 'reference');
  const r = await train(referenceDir, false).ended;
  expectClean(r);
  expect(r.stdout).toBe(`done after epoch ${EPOCHS}\n`);
  reference = finalOf(referenceDir);
});

describe('kill -9 and resume', () => {
  it('killed at seeded random minibatch steps and inside checkpoint writes, it ends bit-identical to an uninterrupted run', async () => {
    const dir = join(tmp, 'killed');
    const rng = makeRng('kill-resume-delays');
    // Every kill lands on a progress marker, not after a wall-clock delay: the child pauses at a
    // chosen point (the start of its k-th minibatch step, or inside a checkpoint write), writes
    // <dir>/paused and waits; the test sees the file and sends SIGKILL. So the plan hits the same
    // points on any machine. 160 samples in batches of 16: 10 steps an epoch, and a kill at step
    // k of a resumed process leaves ⌊(k−1)/10⌋ more epochs checkpointed. Steps 1…20 reach into a
    // second epoch, and the whole plan stays below EPOCHS, so it really interrupts the run.
    const STEPS_PER_EPOCH = 10;
    const step = () => 1 + Math.floor(rng() * 2 * STEPS_PER_EPOCH);
    type Hook = 'QD_PAUSE_AT_BATCH' | 'QD_PAUSE_BEFORE_RENAME' | 'QD_PAUSE_AFTER_RENAME';
    const plan: { hook: Hook; at: number }[] = [
      { hook: 'QD_PAUSE_AT_BATCH', at: step() },
      { hook: 'QD_PAUSE_BEFORE_RENAME', at: 2 },
      { hook: 'QD_PAUSE_AT_BATCH', at: step() },
      { hook: 'QD_PAUSE_AFTER_RENAME', at: 1 },
      { hook: 'QD_PAUSE_AT_BATCH', at: step() },
      { hook: 'QD_PAUSE_AT_BATCH', at: step() },
      { hook: 'QD_PAUSE_BEFORE_RENAME', at: 1 },
    ];
    const log: string[] = [];
    let progressed = 0;
    for (const { hook, at } of plan) {
      const before = await epochsDone(dir);
      const child = train(dir, true, { [hook]: String(at) });
      const paused = await waitFor(child, () => existsSync(join(dir, 'paused')));
      expect(paused, `${hook}=${at} never paused`).toBe(true);
      const marker = readFileSync(join(dir, 'paused'), 'utf8');
      child.proc.kill('SIGKILL');
      const r = await child.ended;
      expect(r.killed).toBe(true);
      rmSync(join(dir, 'paused'));
      const now = await epochsDone(dir);
      if (hook === 'QD_PAUSE_AT_BATCH') {
        expect(marker).toBe(`batch ${at}`);
        expect(now).toBe(before + Math.floor((at - 1) / STEPS_PER_EPOCH));
      } else if (hook === 'QD_PAUSE_BEFORE_RENAME') {
        // killed with the new checkpoint fully in the temp file: the old one is still in place
        expect(existsSync(marker)).toBe(true);
        expect(now).toBe(before + at - 1);
      } else {
        expect(existsSync(marker)).toBe(false);
        expect(now).toBe(before + at);
      }
      log.push(`${hook}=${at}: killed (checkpoint ${before} → ${now})`);
      // whatever the moment of the kill, checkpoint.json is absent or whole
      const after = await epochsDone(dir);
      expect(after).toBeGreaterThanOrEqual(before);
      progressed = after;
    }
    expect(progressed).toBeLessThan(EPOCHS); // the plan really interrupted the run
    const last = await train(dir, true).ended;
    expectClean(last);
    expect(finalOf(dir)).toEqual(reference);
    // leftover temp files of killed writers are harmless: resume ignores them
    expect(readdirSync(join(dir, 'ckpt')).filter((f) => !f.startsWith('checkpoint.json.tmp-'))).toEqual(['checkpoint.json']);
    console.log(`kill plan:\n  ${log.join('\n  ')}`);
  });

  it('SIGINT finishes the epoch, writes the checkpoint and exits 0; resume ends bit-identical', async () => {
    const dir = join(tmp, 'sigint');
    const child = train(dir, false);
    // interrupt once the first checkpoint exists (mid-run, after ≥ 1 epoch)
    expect(await waitFor(child, () => existsSync(ckptFile(dir)))).toBe(true);
    child.proc.kill('SIGINT');
    const r = await child.ended;
    expectClean(r);
    const m = /^interrupted after epoch (\d+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const k = Number(m![1]);
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(EPOCHS);
    expect(await epochsDone(dir)).toBe(k);
    expect(existsSync(join(dir, 'final.json'))).toBe(false);
    expectClean(await train(dir, true).ended);
    expect(finalOf(dir)).toEqual(reference);
  });

  it('a second SIGINT ends the process at once, even in the middle of a step', async () => {
    // The child pauses at the start of step 12 (epoch 2, after epoch 1's checkpoint), so the
    // first SIGINT cannot end it gracefully before the second arrives; the second is sent only
    // once the child has handled the first (two signals sent at once may be merged into one)
    const dir = join(tmp, 'sigint2');
    const child = train(dir, false, { QD_PAUSE_AT_BATCH: '12', QD_MARK_SIGINT: '1' });
    expect(await waitFor(child, () => existsSync(join(dir, 'paused')))).toBe(true);
    child.proc.kill('SIGINT');
    expect(await waitFor(child, () => existsSync(join(dir, 'sigint-seen')))).toBe(true);
    child.proc.kill('SIGINT');
    const r = await child.ended;
    expect(r.signal).toBe('SIGINT');
    expect(await epochsDone(dir)).toBe(1);
    expect(existsSync(join(dir, 'final.json'))).toBe(false);
  });
});

describe('damaged checkpoints are reported by name on resume', () => {
  const damage: [string, (text: string) => string, RegExp][] = [
    ['truncated to half', (t) => t.slice(0, Math.floor(t.length / 2)), /is corrupted \(truncated\)/],
    ['one digit changed', (t) => t.replace(/"epochsDone":(\d+)/, (_, d: string) => `"epochsDone":${Number(d) - 1}`), /is corrupted \(checksum mismatch\)/],
    ['emptied', () => '', /is corrupted \(no checksum header; file is empty\)/],
    ['not JSON', () => 'garbage\n', /is corrupted \(no checksum header\)/],
    ['checksum header only', (t) => t.slice(0, 80), /is corrupted/],
  ];
  it.each(damage)('%s', async (_name, mutate, message) => {
    const dir = mkdtempSync(join(tmp, 'damaged-'));
    cpSync(join(referenceDir, 'ckpt'), join(dir, 'ckpt'), { recursive: true });
    const path = ckptFile(dir);
    const ck: Checkpoint = await readCheckpoint(path);
    expect(ck.epochsDone).toBe(EPOCHS);
    writeFileSync(path, mutate(readFileSync(path, 'utf8')));
    const r = await train(dir, true).ended;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`checkpoint ${path} `);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'final.json'))).toBe(false);
  });
});
