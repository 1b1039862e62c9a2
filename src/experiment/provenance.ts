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
 * Optional config fields whose absence means a value the code fills in (`field ?? default`):
 * written with that value, they are dropped before hashing, so that spelling a default out
 * does not make another study (and configs from before a field keep their hash). Per entry:
 * where the field sits (`model` = every model block: the teacher's, each student's, the
 * self-distilled model's and the student sweep's), its name and its default. Fields whose
 * absence means something else in some context (e.g. a model's `trajectories`, which a
 * hardware sweep fills in when absent) are not listed.
 */
export const IMPLICIT_DEFAULTS: readonly { where: 'teacher' | 'teacherBond' | 'model'; field: string; value: unknown }[] = [
  { where: 'teacher', field: 'trainingSet', value: 'labelled' },
  { where: 'teacherBond', field: 'method', value: 'kd' },
  { where: 'model', field: 'gradient', value: 'auto' },
  { where: 'model', field: 'samplingSeed', value: 0 },
];

/** `o` without the fields of {@link IMPLICIT_DEFAULTS} at `where` that hold their default (a copy; `o` itself when none does). */
function withoutDefaults<T>(o: T, where: string): T {
  if (o === null || typeof o !== 'object') return o;
  const drop = IMPLICIT_DEFAULTS.filter((d) => d.where === where && (o as Record<string, unknown>)[d.field] === d.value).map((d) => d.field);
  if (!drop.length) return o;
  const out = { ...(o as Record<string, unknown>) };
  for (const f of drop) delete out[f];
  return out as T;
}

/** A model-holding block (`{ model, ... }`) with its model's implicit defaults dropped. */
function withModel<T>(block: T): T {
  if (block === null || block === undefined || typeof block !== 'object' || !('model' in block)) return block;
  return { ...block, model: withoutDefaults((block as { model: unknown }).model, 'model') };
}

/**
 * Hash (16 hex digits) that identifies a config's runs for `--resume`: the config without its
 * seed list and its description (prose that does not change a run), and without the fields of
 * {@link IMPLICIT_DEFAULTS} that hold their default.
 */
export function runConfigHash(cfg: ExperimentConfig): string {
  const c: Record<string, unknown> = { ...cfg, seeds: [], description: '' };
  if (cfg.teacher) c['teacher'] = withoutDefaults(withModel(cfg.teacher), 'teacher');
  if (cfg.teacherBond) c['teacherBond'] = withoutDefaults(cfg.teacherBond, 'teacherBond');
  c['students'] = cfg.students.map((s) => withModel(s));
  if (cfg.selfDistillation) c['selfDistillation'] = withModel(cfg.selfDistillation);
  if (cfg.studentSweep) c['studentSweep'] = withModel(cfg.studentSweep);
  return hashJson(c).slice(0, 16);
}
