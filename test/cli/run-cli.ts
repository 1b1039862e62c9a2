/** Spawns the built CLI (dist/, made by `npm test`'s pretest build) and captures its output. */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, vi } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Path of the compiled CLI entry point. */
export const CLI = join(root, 'dist/src/cli/main.js');

/** Runs `qdistill ...args`; returns exit status, stdout and stderr. */
export function runCli(args: string[], opts: { cwd?: string; timeout?: number; env?: Record<string, string> } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd ?? root, timeout: opts.timeout ?? 60_000, ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Captures what the in-process CLI writes: before each test `stdout`/`stderr` of the returned
 * object are reset and `process.stdout.write`/`process.stderr.write` are redirected into them;
 * after each test the spies are restored. Call once at the top of a test file.
 */
export function captureOutput(): { stdout: string; stderr: string } {
  const cap = { stdout: '', stderr: '' };
  beforeEach(() => {
    cap.stdout = ''; cap.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { cap.stdout += String(s); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => { cap.stderr += String(s); return true; });
  });
  afterEach(() => { vi.restoreAllMocks(); });
  return cap;
}
