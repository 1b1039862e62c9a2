/**
 * A run killed with SIGKILL part-way and finished by `--resume` records the time of both
 * invocations: `secondsPieces` has one entry per invocation that trained it, `seconds` is
 * their sum, and each piece covers at least the epochs (by their own recorded seconds) that
 * invocation contributed to the final history.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonChecked } from '../../src/infra/atomic.js';
import { CLI } from '../cli/run-cli.js';
import { startNode, waitFor } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'qdistill-time-pieces-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const EPOCHS = 40;
const cfgFile = join(tmp, 'slow.json');
writeFileSync(cfgFile, JSON.stringify({
  name: 'time-pieces', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 48, nVal: 8, nTest: 8, separation: 3 },
  training: { epochs: EPOCHS, batchSize: 8, lr: 0.05 },
  teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 2 } } },
  students: [], methods: ['label'],
}));

interface Rec { key: string; seconds: number; secondsPieces: number[]; history: { epoch: number; seconds: number }[] }

describe('qdistill run: the time of a resumed run', () => {
  it('killed after a few epochs and resumed, the teacher records both pieces and their sum', async () => {
    const out = join(tmp, 'out');
    const run = (resume: boolean) => startNode([CLI, 'run', cfgFile, '--out', out, '--workers', '1', ...(resume ? ['--resume'] : [])]);
    const metrics = join(out, 'checkpoints', 'seed-1', 'teacher', 'metrics.jsonl');
    const a = run(false);
    // progress marker: three epochs logged
    expect(await waitFor(a, () => existsSync(metrics) && readFileSync(metrics, 'utf8').split('\n').filter(Boolean).length >= 3)).toBe(true);
    a.proc.kill('SIGKILL');
    expect((await a.ended).killed).toBe(true);
    const ck = (await readJsonChecked(join(out, 'checkpoints', 'seed-1', 'teacher', 'checkpoint.json'))) as { epochsDone: number };
    const k = ck.epochsDone;
    expect(k).toBeGreaterThanOrEqual(2);
    expect(k).toBeLessThan(EPOCHS);

    const b = await run(true).ended;
    expect(b.stderr).not.toMatch(/qdistill:/);
    expect(b.code).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: Rec[] };
    const t = res.runs.find((r) => r.key === 'seed-1/teacher')!;
    expect(t.history.length).toBe(EPOCHS);
    expect(t.secondsPieces.length).toBe(2);
    expect(t.seconds).toBeCloseTo(t.secondsPieces[0]! + t.secondsPieces[1]!, 9);
    const epochSeconds = (from: number, to: number) => t.history.slice(from, to).reduce((s, h) => s + h.seconds, 0);
    // the first invocation trained epochs 1..k (kept from its checkpoint), the second the rest
    expect(t.secondsPieces[0]!).toBeGreaterThanOrEqual(epochSeconds(0, k));
    expect(t.secondsPieces[1]!).toBeGreaterThanOrEqual(epochSeconds(k, EPOCHS));
    console.log(`time pieces after a kill at epoch ${k}/${EPOCHS}: ${t.secondsPieces.map((s) => s.toFixed(2)).join(' + ')} = ${t.seconds.toFixed(2)} s`);
  }, 120_000);
});
