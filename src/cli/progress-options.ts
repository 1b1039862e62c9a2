/**
 * The progress flags of `qdistill run` and `qdistill demo`: `--progress auto|bar|lines|none`
 * (default auto: a bar per run when stderr is a terminal, one line per epoch otherwise) and
 * `--no-progress` (the same as `--progress none`).
 */
import type { Command } from 'commander';
import type { ProgressMode } from '../train/progress.js';
import { UsageError } from './errors.js';

/** The accepted values of `--progress`. */
export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'bar', 'lines', 'none'];

/** Adds `--progress <MODE>` (default auto) and `--no-progress` to a command definition. */
export function addProgressOptions(c: Command): Command {
  return c
    .option('--progress <MODE>', 'progress on stderr: auto = a bar per run (run, epoch/step, loss, accuracy, bond reached, ETA) when stderr is a terminal, one line per epoch otherwise; bar; lines; none', 'auto')
    .option('--no-progress', 'no progress output (the same as --progress none)');
}

/**
 * The progress mode of the parsed flags (`false` from `--no-progress` is 'none').
 * @throws UsageError (exit code 2) for a value other than auto, bar, lines or none.
 */
export function progressMode(v: string | false): ProgressMode {
  if (v === false) return 'none';
  if (!(PROGRESS_MODES as readonly string[]).includes(v)) throw new UsageError(`--progress must be auto, bar, lines or none, got '${v}'`);
  return v as ProgressMode;
}
