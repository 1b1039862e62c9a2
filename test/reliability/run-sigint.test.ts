/** Ctrl-C during `qdistill run` stops after a checkpoint, exits 130, and --resume finishes the study. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, CLI } from '../cli/run-cli.js';
import { spawn } from 'node:child_process';

describe('qdistill run and SIGINT', () => {
  it('stops cleanly on Ctrl-C and resumes to completion', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qdistill-sigint-'));
    const child = spawn(process.execPath, [CLI, 'run', 'experiments/e3-self-distillation.json', '--quick', '--out', out, '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    // wait until the first run has finished, so the second one is under way when Ctrl-C arrives
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (/self\/plain: test accuracy/.test(stderr)) { clearInterval(t); resolve(); } }, 50); });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/qdistill: interrupted (after the checkpoint of epoch \d+ in .*|before seed-1\/\S+ \(every finished run is saved\)); rerun with --resume to continue/);
    const again = runCli(['run', 'experiments/e3-self-distillation.json', '--quick', '--out', out, '--resume', '--workers', '1'], { timeout: 300_000 });
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/self\/plain: done earlier \(resume\)/);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(res.runs.length).toBe(6); // e3 --quick: plain, cyclic, snapshot, pskd, born-again g0 and g1
  });

  it('qdistill demo (npm start) stops the same way on Ctrl-C', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qdistill-sigint-demo-'));
    const child = spawn(process.execPath, [CLI, 'demo', '--quick', '--out', out, '--no-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (/seed-1\/teacher: test accuracy/.test(stderr)) { clearInterval(t); resolve(); } }, 50); });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/qdistill: interrupted (after the checkpoint of epoch \d+ in .*|before seed-1\/\S+ \(every finished run is saved\)); rerun with --resume to continue/);
  });
});
