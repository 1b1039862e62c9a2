/** Spawns the built CLI (dist/, made by `npm test`'s pretest build) and captures its output. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Path of the compiled CLI entry point. */
export const CLI = join(root, 'dist/src/cli/main.js');

/** Runs `qdistill ...args`; returns exit status, stdout and stderr. */
export function runCli(args: string[], opts: { cwd?: string; timeout?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd ?? root, timeout: opts.timeout ?? 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
