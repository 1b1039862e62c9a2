/**
 * What identifies a study and the code that ran it: the run-config hash that `--resume`, the
 * task markers and the merge match runs by, and the git commit of the working tree.
 */
import { execFileSync } from 'node:child_process';
import { hashJson } from '../infra/hash.js';
import type { ExperimentConfig } from './config.js';

/** The git commit of the working tree (with `-dirty` when modified), or `unknown`. */
export function gitCommit(cwd = process.cwd()): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

/**
 * Hash (16 hex digits) that identifies a config's runs for `--resume`: the config without its
 * seed list and its description (prose that does not change a run).
 */
export function runConfigHash(cfg: ExperimentConfig): string {
  return hashJson({ ...cfg, seeds: [], description: '' }).slice(0, 16);
}
