/**
 * `qdistill run` and the norm-drift alarm: recorded in results.json (per run and for the
 * experiment) and fatal (exit 1, one line, results still written) unless --allow-norm-drift;
 * a normal run records no alarm. The drift is forced through the engine's test hook
 * QDISTILL_TEST_NORM_DRIFT, which reaches the worker threads through the environment.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './run-cli.js';

function cli(args: string[], drift?: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env['QDISTILL_TEST_NORM_DRIFT'];
  if (drift !== undefined) env['QDISTILL_TEST_NORM_DRIFT'] = drift;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONFIG = 'experiments/e3-self-distillation.json';

describe('qdistill run and the norm-drift alarm', () => {
  it('a forced drift is recorded, exits 1 with one line, and --allow-norm-drift accepts it', () => {
    const out = mkdtempSync(join(tmpdir(), 'qdistill-run-drift-'));
    const r = cli(['run', CONFIG, '--quick', '--out', out, '--workers', '1'], '1e-3');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const last = r.stderr.trimEnd().split('\n').pop()!;
    expect(last).toMatch(/^qdistill: e3-self-distillation \(results written to .*; alarm in seed-1\/self\/plain, .*\): norm drift \|‖ψ‖² − F\| = 1\.000e-3 exceeds 1e-8 .*--allow-norm-drift/);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(res.numerics.normDriftExceeded).toBe(true);
    expect(res.numerics.normDriftMax).toBeCloseTo(1e-3, 10);
    expect(res.runs.length).toBe(6); // e3 --quick: plain, cyclic, snapshot, pskd, born-again g0 and g1
    for (const run of res.runs) expect(run.numerics.normDriftExceeded).toBe(true);
    // the recorded alarm stays with the runs: --resume alone still fails, with the flag it passes
    expect(cli(['run', CONFIG, '--quick', '--out', out, '--resume', '--workers', '1']).status).toBe(1);
    const ok = cli(['run', CONFIG, '--quick', '--out', out, '--resume', '--workers', '1', '--allow-norm-drift']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^WARNING: norm drift \|‖ψ‖² − F\| = 1\.000e-3 exceeds 1e-8/);
    expect(ok.stdout).toMatch(/wrote .*results\.json/);
  }, 300_000);

  it('a normal run records no alarm and exits 0', () => {
    const out = mkdtempSync(join(tmpdir(), 'qdistill-run-nodrift-'));
    const r = cli(['run', CONFIG, '--quick', '--out', out, '--workers', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/WARNING/);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(res.numerics.normDriftExceeded).toBe(false);
    expect(res.numerics.normDriftMax).toBeLessThan(1e-12);
    for (const run of res.runs) expect(run.numerics.normDriftExceeded).toBe(false);
  }, 300_000);

  it('the help text documents the flag', () => {
    expect(cli(['run', '--help']).stdout).toMatch(/--allow-norm-drift/);
  });
});
