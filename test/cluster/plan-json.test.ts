/**
 * The plan document `qdistill submit` reads: a valid plan passes unchanged and is grouped by
 * level; every way a field or the level/dependency structure can be wrong is refused with one
 * line naming the field, the value and what is allowed (one row per rule); random valid DAGs
 * (levels computed independently by longest path) always pass and group into their levels.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan, PlanError, tasksByLevel, type StudyPlan } from '../../src/cluster/plan-json.js';

const plan = (): StudyPlan => ({
  name: 'toy', quick: true, configHash: 'abc', levels: 2,
  tasks: [
    { id: 'seed-1/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 120 },
    { id: 'seed-2/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: null },
    { id: 'seed-1/student/s16-pool/kd', kind: 'student', level: 1, deps: ['seed-1/teacher'], estimateSeconds: 3.5 },
  ],
});

describe('checkPlan', () => {
  it('passes a valid plan unchanged and groups it by level', () => {
    const p = checkPlan(JSON.parse(JSON.stringify(plan())), 'p.json');
    expect(p).toEqual(plan());
    expect(tasksByLevel(p).map((l) => l.map((t) => t.id))).toEqual([['seed-1/teacher', 'seed-2/teacher'], ['seed-1/student/s16-pool/kd']]);
  });

  type Edit = (p: Record<string, any>) => unknown;
  it.each<[string, Edit, string]>([
    ['not an object', () => [1], 'p.json: (top level) = [1]: must be a plan object (name, quick, configHash, levels, tasks)'],
    ['no name', (p) => { delete p['name']; }, 'p.json: name = missing: must be a non-empty string'],
    ['empty name', (p) => { p['name'] = ''; }, 'p.json: name = "": must be a non-empty string'],
    ['quick a string', (p) => { p['quick'] = 'yes'; }, 'p.json: quick = "yes": must be true or false'],
    ['no configHash', (p) => { delete p['configHash']; }, 'p.json: configHash = missing: must be a string'],
    ['levels fractional', (p) => { p['levels'] = 1.5; }, 'p.json: levels = 1.5: must be an integer ≥ 0'],
    ['levels wrong', (p) => { p['levels'] = 3; }, 'p.json: levels = 3: must be 2 (1 + the highest task level)'],
    ['tasks not an array', (p) => { p['tasks'] = {}; }, 'p.json: tasks = {}: must be an array of tasks'],
    ['task not an object', (p) => { p['tasks'][1] = 'x'; }, 'p.json: tasks[1] = "x": must be a task object (id, kind, level, deps, estimateSeconds)'],
    ['empty id', (p) => { p['tasks'][0].id = ''; }, 'p.json: tasks[0].id = "": must be a non-empty string without line breaks'],
    ['id with a line break', (p) => { p['tasks'][1].id = 'a\nb'; }, 'p.json: tasks[1].id = "a\\nb": must be a non-empty string without line breaks'],
    ['duplicate id', (p) => { p['tasks'][1].id = 'seed-1/teacher'; }, 'p.json: tasks[1].id = "seed-1/teacher": must be unique (an earlier task has it)'],
    ['kind missing', (p) => { delete p['tasks'][0].kind; }, 'p.json: tasks[0].kind = missing: must be a string'],
    ['negative level', (p) => { p['tasks'][0].level = -1; }, 'p.json: tasks[0].level = -1: must be an integer ≥ 0'],
    ['deps not strings', (p) => { p['tasks'][2].deps = [1]; }, 'p.json: tasks[2].deps = [1]: must be an array of task ids'],
    ['estimate negative', (p) => { p['tasks'][0].estimateSeconds = -1; }, 'p.json: tasks[0].estimateSeconds = -1: must be a number of seconds ≥ 0, or null'],
    ['estimate missing', (p) => { delete p['tasks'][0].estimateSeconds; }, 'p.json: tasks[0].estimateSeconds = missing: must be a number of seconds ≥ 0, or null'],
    ['unknown dependency', (p) => { p['tasks'][2].deps = ['seed-9/teacher']; }, 'p.json: tasks[2].deps[0] = "seed-9/teacher": must be the id of a task of the plan (task seed-1/student/s16-pool/kd)'],
    ['level too low for the deps', (p) => { p['tasks'][2].level = 0; p['levels'] = 1; }, 'p.json: tasks[2].level = 0: must be 1 for task seed-1/student/s16-pool/kd (1 + the highest level of its dependencies)'],
    ['level without deps not 0', (p) => { p['tasks'][1].level = 1; }, 'p.json: tasks[1].level = 1: must be 0 for task seed-2/teacher (it has no dependencies)'],
    ['a cycle', (p) => { p['tasks'][0].deps = ['seed-1/student/s16-pool/kd']; }, 'p.json: tasks[0].level = 0: must be 2 for task seed-1/teacher (1 + the highest level of its dependencies)'],
  ])('%s', (_, edit, msg) => {
    const p = JSON.parse(JSON.stringify(plan())) as Record<string, any>;
    const replaced = edit(p);
    const doc = replaced === undefined ? p : replaced;
    expect(() => checkPlan(doc, 'p.json')).toThrow(PlanError);
    expect(() => checkPlan(doc, 'p.json')).toThrow(msg);
  });

  it('random DAGs with levels by longest path pass and group into their levels', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 25 }), (raw) => {
      // task i may depend on tasks before it; its level is its longest path from a task without deps
      const deps = raw.map((ds, i) => (i === 0 ? [] : [...new Set(ds.map((d) => d % i))]));
      const level: number[] = [];
      deps.forEach((ds, i) => { level[i] = ds.length === 0 ? 0 : 1 + Math.max(...ds.map((d) => level[d]!)); });
      const tasks = deps.map((ds, i) => ({ id: `t/${i}`, kind: 'k', level: level[i]!, deps: ds.map((d) => `t/${d}`), estimateSeconds: i }));
      const p = checkPlan({ name: 'r', quick: false, configHash: 'h', levels: Math.max(...level) + 1, tasks }, 'r');
      const groups = tasksByLevel(p);
      expect(groups.every((g) => g.length > 0)).toBe(true);
      groups.forEach((g, k) => g.forEach((t) => {
        expect(t.level).toBe(k);
        for (const d of t.deps) expect(level[Number(d.slice(2))]).toBeLessThan(k);
      }));
      expect(groups.flat().length).toBe(tasks.length);
    }), { numRuns: 200, seed: 16 });
  });
});
