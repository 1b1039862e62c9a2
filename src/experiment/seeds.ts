/**
 * What a seed is, in one place: configs (`seeds`), `--seeds` on the command line and plan files
 * all accept the same values. A seed becomes part of task ids and file names
 * (`seed-<seed>/teacher`, `runs/seed-<seed>__teacher.json`) and the root of every random
 * stream of its runs, so it must be a plain integer or a plain name.
 */

/** A seed: an integer ≥ 0, or a name (see {@link SEED_RULE}). */
export type Seed = number | string;

/** The rule in words, for error messages. */
export const SEED_RULE = "an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter";

/** The pattern of a seed name. */
export const SEED_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** Whether `v` is a seed: a safe integer ≥ 0, or a string matching the name rule. */
export function isSeed(v: unknown): v is Seed {
  return (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && SEED_NAME.test(v));
}

/**
 * The first problem of a seed list, or null: an entry that is not a seed (with its index), or a
 * seed listed twice (1 and "1" name the same runs, so they count as the same seed).
 */
export function seedListProblem(seeds: readonly unknown[]): { index: number; value: unknown; problem: string } | null {
  const seen = new Set<string>();
  for (let i = 0; i < seeds.length; i++) {
    const v = seeds[i];
    if (!isSeed(v)) return { index: i, value: v, problem: `must be ${SEED_RULE}` };
    if (seen.has(String(v))) return { index: i, value: v, problem: `lists seed ${String(v)} twice (each seed once: a seed names its runs)` };
    seen.add(String(v));
  }
  return null;
}
