/**
 * Child processes for the reliability tests: start a node script, kill it when a condition
 * holds (a progress marker such as a file it writes), and collect its exit status and output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** How a child process ended. */
export interface Ended {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when our kill (not the child itself) ended it. */
  killed: boolean;
}

/** A started child process. */
export interface Child {
  proc: ChildProcess;
  /** Resolves when the process has exited and its streams are closed. */
  ended: Promise<Ended>;
}

/** Starts `node <args>` in the repository root with extra environment variables. */
export function startNode(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  let killedByUs = false;
  const origKill = proc.kill.bind(proc);
  proc.kill = (sig?: NodeJS.Signals | number) => { killedByUs = true; return origKill(sig); };
  const ended = new Promise<Ended>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, killed: killedByUs && signal !== null }));
  });
  return { proc, ended };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `cond` every `everyMs` until it holds (→ true) or the child exits or `timeoutMs`
 * passes (→ false).
 */
export async function waitFor(child: Child, cond: () => boolean, timeoutMs = 60_000, everyMs = 10): Promise<boolean> {
  let exited = false;
  void child.ended.then(() => { exited = true; });
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (cond()) return true;
    if (exited) return false;
    await sleep(everyMs);
  }
  return false;
}
