/**
 * A study as a list of tasks, in the JSON form `qdistill plan CONFIG --json FILE` writes: the
 * tasks with stable ids, their kinds, dependencies and dependency levels, and the cost model's
 * estimate of each. This module checks that shape and groups the tasks by level; the cluster
 * submission builds one Slurm job array per level from it.
 */
import type { PlanJson, PlanJsonTask } from '../experiment/plan.js';
import { seedListProblem, type Seed } from '../experiment/seeds.js';

/**
 * One task of a study plan as the cluster code reads it: the planner's task
 * (`PlanJsonTask` in `src/experiment/plan.ts`, which documents each field) with only the fields a
 * submission needs, and any kind name.
 */
export type PlanTask = Pick<PlanJsonTask, 'id' | 'level' | 'deps' | 'estimateSeconds'> & { kind: string };

/**
 * A study plan as the cluster code reads it: `qdistill plan --json`'s document (`PlanJson`) with
 * {@link PlanTask} tasks. `seeds` is absent in plan files written before plans listed their seeds;
 * their tasks then run with the config's own seed list.
 */
export type StudyPlan = Omit<PlanJson, 'tasks' | 'seeds'> & { seeds?: Seed[]; tasks: PlanTask[] };


/** A plan document that does not have the shape of {@link StudyPlan}, or whose levels and dependencies disagree. */
export class PlanError extends Error {
  override name = 'PlanError';
}

const show = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));

/**
 * Checks that `doc` is a {@link StudyPlan}: the fields and their types; unique task ids without
 * line breaks (the per-level task lists hold one id a line); every dependency a task of the plan
 * at a lower level; level 0 exactly for the tasks without dependencies and otherwise 1 + the
 * highest dependency level; `levels` = 1 + the highest level; estimates finite and ≥ 0, or null.
 * @param source what the plan came from, for the messages (a file name, or "the plan of CONFIG").
 * @throws PlanError one line naming the source, the field (`tasks[3].deps[0]`), its value and what is allowed.
 */
export function checkPlan(doc: unknown, source: string): StudyPlan {
  const fail = (path: string, value: unknown, allowed: string): never => {
    throw new PlanError(`${source}: ${path} = ${show(value)}: ${allowed}`);
  };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail('(top level)', doc, 'must be a plan object (name, quick, configHash, levels, tasks)');
  const p = doc as Record<string, unknown>;
  if (typeof p['name'] !== 'string' || p['name'] === '') fail('name', p['name'], 'must be a non-empty string');
  if (typeof p['quick'] !== 'boolean') fail('quick', p['quick'], 'must be true or false');
  if (typeof p['configHash'] !== 'string') fail('configHash', p['configHash'], 'must be a string');
  if (!Number.isInteger(p['levels']) || (p['levels'] as number) < 0) fail('levels', p['levels'], 'must be an integer ≥ 0');
  const seeds = p['seeds'];
  if (seeds !== undefined) {
    if (!Array.isArray(seeds) || seeds.length === 0) fail('seeds', seeds, 'must be a non-empty array of seeds (or absent)');
    const bad = seedListProblem(seeds as unknown[]);
    if (bad) fail(`seeds[${bad.index}]`, bad.value, bad.problem);
  }
  if (!Array.isArray(p['tasks'])) fail('tasks', p['tasks'], 'must be an array of tasks');
  const tasks = p['tasks'] as unknown[];
  const byId = new Map<string, PlanTask>();
  tasks.forEach((t, i) => {
    const at = `tasks[${i}]`;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) fail(at, t, 'must be a task object (id, kind, level, deps, estimateSeconds)');
    const o = t as Record<string, unknown>;
    if (typeof o['id'] !== 'string' || o['id'] === '' || /[\r\n\0]/.test(o['id'])) fail(`${at}.id`, o['id'], 'must be a non-empty string without line breaks');
    if (byId.has(o['id'] as string)) fail(`${at}.id`, o['id'], 'must be unique (an earlier task has it)');
    if (typeof o['kind'] !== 'string') fail(`${at}.kind`, o['kind'], 'must be a string');
    if (!Number.isInteger(o['level']) || (o['level'] as number) < 0) fail(`${at}.level`, o['level'], 'must be an integer ≥ 0');
    if (!Array.isArray(o['deps']) || !o['deps'].every((d) => typeof d === 'string')) fail(`${at}.deps`, o['deps'], 'must be an array of task ids');
    const e = o['estimateSeconds'];
    if (e !== null && !(typeof e === 'number' && Number.isFinite(e) && e >= 0)) fail(`${at}.estimateSeconds`, e, 'must be a number of seconds ≥ 0, or null');
    byId.set(o['id'] as string, { id: o['id'] as string, kind: o['kind'] as string, level: o['level'] as number, deps: [...(o['deps'] as string[])], estimateSeconds: e as number | null });
  });
  let top = -1;
  [...byId.values()].forEach((t, i) => {
    let want = 0;
    t.deps.forEach((d, j) => {
      const dep = byId.get(d);
      if (!dep) fail(`tasks[${i}].deps[${j}]`, d, `must be the id of a task of the plan (task ${t.id})`);
      want = Math.max(want, dep!.level + 1);
    });
    if (t.level !== want) fail(`tasks[${i}].level`, t.level, `must be ${want} for task ${t.id} (${t.deps.length === 0 ? 'it has no dependencies' : '1 + the highest level of its dependencies'})`);
    top = Math.max(top, t.level);
  });
  if (p['levels'] !== top + 1) fail('levels', p['levels'], `must be ${top + 1} (1 + the highest task level)`);
  return { name: p['name'] as string, quick: p['quick'] as boolean, configHash: p['configHash'] as string, levels: top + 1, ...(seeds !== undefined ? { seeds: [...(seeds as Seed[])] } : {}), tasks: [...byId.values()] };
}

/**
 * The tasks of `plan` grouped by level: entry k holds the level-k tasks in plan order (every
 * entry is non-empty, since a task's level is 1 + its deepest dependency's).
 */
export function tasksByLevel(plan: StudyPlan): PlanTask[][] {
  const out: PlanTask[][] = Array.from({ length: plan.levels }, () => []);
  for (const t of plan.tasks) out[t.level]!.push(t);
  return out;
}
