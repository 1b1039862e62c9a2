/**
 * What identifies a study and the code that ran it: the run-config hash that `--resume`, the
 * task markers and the merge match runs by, and the git commit of the working tree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashJson } from '../infra/hash.js';
import type { ExperimentConfig } from './config.js';

/** The folder of this module: inside the qdistill checkout (or installed package) that runs. */
const MODULE_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * The git commit of the qdistill checkout that runs (with `-dirty` when its tracked files are
 * modified), or `unknown` when it is not a git checkout: found from this module's folder, not
 * the working directory, so a study run from another project's folder records qdistill's commit,
 * not that project's. A repository whose top level is not qdistill's (an installed package
 * inside someone's repository) gives `unknown` too.
 * @param cwd a folder of the checkout; default: this module's.
 */
export function gitCommit(cwd = MODULE_DIR): string {
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const top = git(['rev-parse', '--show-toplevel']);
    if ((JSON.parse(readFileSync(join(top, 'package.json'), 'utf8')) as { name?: unknown }).name !== 'qdistill') return 'unknown';
    const head = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']);
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

/**
 * Hash (16 hex digits) that identifies a config's runs for `--resume`: the config without its
 * seed list and its description (prose that does not change a run). `teacher.trainingSet:
 * 'labelled'` is hashed as the field left out (its default), so writing the default changes
 * nothing and configs from before the field keep their hash.
 */
export function runConfigHash(cfg: ExperimentConfig): string {
  let teacher = cfg.teacher;
  if (teacher?.trainingSet === 'labelled') {
    const { trainingSet: _default, ...rest } = teacher;
    teacher = rest;
  }
  return hashJson({ ...cfg, ...(teacher ? { teacher } : {}), seeds: [], description: '' }).slice(0, 16);
}
