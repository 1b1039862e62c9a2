/**
 * A study as a list of tasks: the plan that `qdistill plan` prints, `qdistill run --task`
 * executes one piece of, and `qdistill merge` assembles. The same plan drives a plain
 * `qdistill run`, which runs every task in plan order in one process and then merges, so a
 * study split over a cluster and a study run locally cannot drift apart.
 *
 * Task ids are derived from the resolved config and the quick flag only (never from the
 * machine, the time, the worker count or the order tasks run in). Per seed S, in plan order:
 *
 * | id                                | kind          | what it does                                              |
 * |-----------------------------------|---------------|-----------------------------------------------------------|
 * | `seed-S/data`                     | `data`        | loads the data set (phase data: computes and caches the ground states, for every site count the study reads) and records its provenance |
 * | `seed-S/self/<method>`            | `self`        | self-distillation run (`plain`, `snapshot`, `pskd`)       |
 * | `seed-S/self/born-again-g<g>`     | `self`        | born-again generation g (needs generation g − 1)          |
 * | `seed-S/teacher`                  | `teacher`     | trains the teacher                                        |
 * | `seed-S/soft-labels/chi-<χ>`      | `soft-labels` | the teacher's soft labels at bond cap χ_T (`no-cap`: none), written to the soft-label cache |
 * | `seed-S/student/<name>/<method>/T-<T>-alpha-<α>` | `student` | KD validation grid (`kd.T` or `kd.alpha` a list): the kd or kd-transfer student at one (T, α) |
 * | `seed-S/student/<name>/<method>`  | `select`      | with a KD grid: the grid point with the best validation accuracy, recorded as the arm's run |
 * | `seed-S/student/<name>/<method>`  | `student`     | a student, label-only or KD (grid students of the student-size sweep are named `q<qubits>-l<layers>`) |
 * | `seed-S/bond/chi-<χ>/<name>`      | `bond`        | the teacher-bond sweep's KD student at χ_T = χ            |
 * | `seed-S/<point>/<name>/<method>`  | `hardware`    | the hardware sweep's student at a shots or noise point    |
 *
 * Every task except `data` and `soft-labels` is a training run whose id is its run key in
 * `results.json`, except that a KD grid point's run is not listed there: its arm's `select`
 * task (which trains nothing) records the chosen point under the arm's id, so task ids of
 * scalar T and α are those of a study without a grid. Dependencies are explicit and point backwards in the list (plan order is a
 * topological order): soft labels need their teacher, KD runs their soft labels, born-again
 * generation g its predecessor, and under phase data every task its seed's `data` task (which
 * owns the ground-state cache). A task's level is 0 without dependencies, else one more than
 * its deepest dependency; tasks of one level are independent of each other.
 *
 * Files (see {@link taskDonePath}): a finished task leaves its done marker
 * `<out>/tasks/<id with / as __>.json`; training runs also write their run record
 * `<out>/runs/<key>.json` and checkpoints under `<out>/checkpoints/<key>/`; soft-label tasks
 * own the soft-label cache file of their χ_T, data tasks the ground-state cache of their seed.
 */
import { join } from 'node:path';
import { bornAgainPlan } from '../distill/self-distill.js';
import { TEACHER_METHODS, type ExperimentConfig, type StudentMethod } from './config.js';
import type { ConfigEstimate } from './estimate.js';
import { hardwarePoints } from './hardware.js';
import { KD_GRID_METHODS, kdGrid, kdIsGrid, kdPointId, type KdPoint } from './kd-grid.js';
import { studentsOf } from './student-sweep.js';
import { runConfigHash } from './provenance.js';

/** What a task does (see the table in the module comment). */
export type TaskKind = 'data' | 'self' | 'teacher' | 'soft-labels' | 'student' | 'bond' | 'hardware' | 'select';

/** The kinds that write a run record under `runs/` (training runs, and the KD grid's choice). */
export const RUN_KINDS: readonly TaskKind[] = ['self', 'teacher', 'student', 'bond', 'hardware', 'select'];

/** What exactly one task runs: its kind and the config entries it reads. */
export type TaskStep =
  /** `sites`: the site counts of phase data students read besides the config's `n`. */
  | { kind: 'data'; sites: number[] }
  | { kind: 'self'; method: 'plain' | 'cyclic' | 'snapshot' | 'pskd' }
  | { kind: 'self'; method: 'born-again'; generation: number; teacherGeneration: number | null }
  | { kind: 'teacher' }
  /** `maxBond`: the χ_T the teacher's states are capped at; null for no cap. */
  | { kind: 'soft-labels'; maxBond: number | null }
  /** `kd`: the KD grid point this run trains (absent without a grid). */
  | { kind: 'student'; student: string; method: StudentMethod; kd?: KdPoint }
  /** The KD grid's choice for one arm: `points` are the ids of its grid runs, in grid order. */
  | { kind: 'select'; student: string; method: StudentMethod; points: string[] }
  | { kind: 'bond'; student: string; maxBond: number }
  | { kind: 'hardware'; student: string; method: StudentMethod; point: string };

/** One task of a study. */
export interface PlanTask {
  /** Stable id, e.g. `seed-1/student/s16-pool/kd` (the run key for training runs). */
  id: string;
  kind: TaskKind;
  /** 0 without dependencies, else 1 + the largest level of `deps`. */
  level: number;
  /** Ids of the tasks whose outputs this one reads (each earlier in the plan). */
  deps: string[];
  /** Central estimate of the task's wall-clock seconds on the machine that planned it, or null when the cost model has no figure for it. */
  estimateSeconds: number | null;
  /** The seed the task belongs to. */
  seed: string | number;
  /** The kind-specific details. */
  step: TaskStep;
  /**
   * KD runs only: the id of the soft-labels task whose output they train on. `chargeSoftLabels`
   * is true for the first run (in plan order) that uses it: the norm-drift record of the
   * teacher's soft-label pass is counted in that run's `numerics`, once, as when that run
   * computed the labels itself.
   */
  softLabels?: string;
  chargeSoftLabels?: boolean;
}

/** A study's plan. */
export interface StudyPlan {
  name: string;
  quick: boolean;
  /** The run-config hash (`runConfigHash`) that every task output is stamped with. */
  configHash: string;
  /** Number of levels (largest level + 1). */
  levels: number;
  /** The seeds planned, in order (the config's, or those of `--seeds`). */
  seeds: (number | string)[];
  /** Every task, in plan order (a topological order of the dependencies). */
  tasks: PlanTask[];
}

/** The soft-labels task id of seed `seed` at teacher bond cap `maxBond` (undefined: no cap). */
export function softLabelsTaskId(seed: string | number, maxBond: number | undefined): string {
  return `seed-${seed}/soft-labels/${maxBond === undefined ? 'no-cap' : `chi-${maxBond}`}`;
}

/**
 * The plan of a resolved config (after `--quick` and `--seeds` are applied). Pure: the same
 * config and quick flag give the same plan, in any process on any machine.
 * @throws Error when two tasks would get the same id (e.g. a teacher-bond χ listed twice).
 */
export function planStudy(cfg: ExperimentConfig, quick: boolean): StudyPlan {
  const tasks: PlanTask[] = [];
  const byId = new Map<string, PlanTask>();
  const add = (t: Omit<PlanTask, 'level' | 'estimateSeconds'>): void => {
    if (byId.has(t.id)) throw new Error(`the study plan has task '${t.id}' twice (a value listed twice in the config?)`);
    const level = t.deps.length === 0 ? 0 : 1 + Math.max(...t.deps.map((d) => byId.get(d)!.level));
    const task: PlanTask = { ...t, level, estimateSeconds: null };
    tasks.push(task);
    byId.set(t.id, task);
  };
  const phases = cfg.data.type === 'phases';
  // phase data: the site counts students read besides the config's n (when students run)
  const studentSites = cfg.teacher ? cfg.students.map((st) => st.sites).filter((n): n is number => n !== undefined) : [];
  const sites = [...new Set(studentSites)];
  for (const seed of cfg.seeds) {
    const s = `seed-${seed}`;
    const dataId = `${s}/data`;
    add({ id: dataId, kind: 'data', seed, deps: [], step: { kind: 'data', sites } });
    // every task reads the data; under phase data, from the ground-state cache the data task owns
    const dataDeps = phases ? [dataId] : [];

    const sd = cfg.selfDistillation;
    if (sd) {
      for (const method of sd.methods) {
        if (method !== 'born-again') { add({ id: `${s}/self/${method}`, kind: 'self', seed, deps: dataDeps, step: { kind: 'self', method } }); continue; }
        // generation 0 learns from labels; generation g from generation g − 1
        for (const g of bornAgainPlan(sd.generations + 1, cfg.training.epochs!)) {
          const prev = g.teacherGeneration === null ? [] : [`${s}/self/born-again-g${g.teacherGeneration}`];
          add({ id: `${s}/self/born-again-g${g.generation}`, kind: 'self', seed, deps: [...dataDeps, ...prev], step: { kind: 'self', method: 'born-again', generation: g.generation, teacherGeneration: g.teacherGeneration } });
        }
      }
    }
    if (!cfg.teacher) continue;

    const teacherId = `${s}/teacher`;
    const tcap = cfg.teacher.model.maxBond;
    add({ id: teacherId, kind: 'teacher', seed, deps: dataDeps, step: { kind: 'teacher' } });
    // the runs that train on soft labels, in plan order, with the χ_T they need
    const students: Omit<PlanTask, 'level' | 'estimateSeconds'>[] = [];
    const kdDeps = (chi: number | undefined) => [...dataDeps, softLabelsTaskId(seed, chi)];
    const grid = kdIsGrid(cfg.kd) ? kdGrid(cfg.kd) : null;
    const selects: Omit<PlanTask, 'level' | 'estimateSeconds'>[] = [];
    for (const st of studentsOf(cfg)) {
      for (const m of cfg.methods) {
        const id = `${s}/student/${st.name}/${m}`;
        const taught = TEACHER_METHODS.includes(m) ? { softLabels: softLabelsTaskId(seed, tcap) } : {};
        if (grid === null || !KD_GRID_METHODS.includes(m)) {
          students.push({ id, kind: 'student', seed, deps: TEACHER_METHODS.includes(m) ? kdDeps(tcap) : dataDeps, step: { kind: 'student', student: st.name, method: m }, ...taught });
          continue;
        }
        // a KD grid: one run per (T, α), then the choice on validation under the arm's own id
        const points = grid.map((p) => kdPointId(id, p));
        grid.forEach((p, i) => students.push({ id: points[i]!, kind: 'student', seed, deps: kdDeps(tcap), step: { kind: 'student', student: st.name, method: m, kd: p }, ...taught }));
        selects.push({ id, kind: 'select', seed, deps: points, step: { kind: 'select', student: st.name, method: m, points } });
      }
    }
    if (cfg.teacherBond) {
      const name = cfg.teacherBond.student;
      for (const chi of cfg.teacherBond.chi) students.push({ id: `${s}/bond/chi-${chi}/${name}`, kind: 'bond', seed, deps: kdDeps(chi), step: { kind: 'bond', student: name, maxBond: chi }, softLabels: softLabelsTaskId(seed, chi) });
    }
    if (cfg.hardwareSweep) {
      const name = cfg.hardwareSweep.student;
      for (const pt of hardwarePoints(cfg.hardwareSweep)) {
        for (const m of cfg.methods) {
          students.push({ id: `${s}/${pt.key}/${name}/${m}`, kind: 'hardware', seed, deps: TEACHER_METHODS.includes(m) ? kdDeps(tcap) : dataDeps, step: { kind: 'hardware', student: name, method: m, point: pt.key }, ...(TEACHER_METHODS.includes(m) ? { softLabels: softLabelsTaskId(seed, tcap) } : {}) });
        }
      }
    }
    // one soft-labels task per χ_T, in the order of first use; that first user is charged
    const charged = new Set<string>();
    for (const st of students) {
      if (st.softLabels === undefined || charged.has(st.softLabels)) continue;
      charged.add(st.softLabels);
      st.chargeSoftLabels = true;
      const chi = st.step.kind === 'bond' ? st.step.maxBond : tcap;
      add({ id: st.softLabels, kind: 'soft-labels', seed, deps: [...dataDeps, teacherId], step: { kind: 'soft-labels', maxBond: chi ?? null } });
    }
    for (const st of students) add(st);
    for (const st of selects) add(st);
  }
  return { name: cfg.name, quick, configHash: runConfigHash(cfg), seeds: [...cfg.seeds], levels: tasks.length === 0 ? 0 : 1 + Math.max(...tasks.map((t) => t.level)), tasks };
}

/**
 * Fills in `estimateSeconds` of every task from the per-seed rows of `estimateConfig` (the
 * central estimate, `seconds`): teacher, students, bond and hardware runs map one row each;
 * the soft-label row is shared equally by the soft-labels tasks of a seed; a self-distillation
 * method's row by its runs (the born-again generations); the DMRG row of phase data goes to
 * the data task. Tasks without a row (the data task of feature data) keep null.
 */
export function attachEstimates(plan: StudyPlan, est: ConfigEstimate): StudyPlan {
  const row = new Map(est.perSeed.map((r) => [r.run, r.seconds]));
  const count = (pred: (t: PlanTask) => boolean) => plan.tasks.filter((t) => t.seed === plan.tasks[0]?.seed && pred(t)).length || 1;
  const share = (name: string, n: number): number | null => (row.has(name) ? row.get(name)! / n : null);
  const slPerSeed = count((t) => t.kind === 'soft-labels');
  // a KD grid point's share of its arm's row (the estimate of an arm with a grid covers every point)
  const firstSelect = plan.tasks.find((t) => t.step.kind === 'select')?.step;
  const gridPoints = firstSelect?.kind === 'select' ? firstSelect.points.length : 1;
  const bornAgain = count((t) => t.step.kind === 'self' && t.step.method === 'born-again');
  const tasks = plan.tasks.map((t): PlanTask => {
    const s = t.step;
    const e = s.kind === 'data' ? share('ground states (DMRG)', 1)
      : s.kind === 'teacher' ? share('teacher', 1)
        : s.kind === 'soft-labels' ? share('teacher soft labels', slPerSeed)
          : s.kind === 'student' ? share(`${s.student}/${s.method}`, s.kd !== undefined ? gridPoints : 1)
            : s.kind === 'select' ? null
            : s.kind === 'bond' ? share(`bond χ_T=${s.maxBond}/${s.student}`, 1)
              : s.kind === 'hardware' ? share(`${s.point}/${s.student}/${s.method}`, 1)
                : share(`self/${s.method}`, s.method === 'born-again' ? bornAgain : 1);
    return { ...t, estimateSeconds: e };
  });
  return { ...plan, tasks };
}

/**
 * The done marker of task `id` in results folder `outDir`: `<outDir>/tasks/<id>.json` with every
 * `/` of the id written `__` (e.g. `tasks/seed-1__student__s16-pool__kd.json`). It is written
 * atomically as the task's last act, so its presence means the task finished (a scheduler
 * resubmits the tasks whose marker is absent); it holds the task id, the run-config hash it was
 * made under, and the resolved config (from which `qdistill merge` rebuilds the plan).
 */
export function taskDonePath(outDir: string, id: string): string {
  return join(outDir, 'tasks', `${id.replaceAll('/', '__')}.json`);
}

/** The run record file of training run `key`: `<outDir>/runs/<key with / as __>.json`. */
export function runRecordPath(outDir: string, key: string): string {
  return join(outDir, 'runs', `${key.replaceAll('/', '__')}.json`);
}

/** The JSON form of a plan (what `qdistill plan --json` writes). */
export interface PlanJson {
  /** The study's name (the config's `name`). */
  name: string;
  /** Whether the plan is of the config with its `quick` overrides applied. */
  quick: boolean;
  /** Hash of the resolved config the plan was made from. */
  configHash: string;
  /** Number of dependency levels (1 + the highest task level). */
  levels: number;
  /**
   * The seeds planned (the config's, or those of `--seeds`), in order: every task runs with
   * `--seeds` set to this list, so a study grown beyond its config's seed list can be submitted.
   */
  seeds: (number | string)[];
  /** The tasks, in the planner's order. */
  tasks: PlanJsonTask[];
}

/** One task of {@link PlanJson}: the task's fields a scheduler needs (see {@link PlanTask}) and its done marker, relative to the results folder ({@link taskDonePath}). */
export type PlanJsonTask = Pick<PlanTask, 'id' | 'kind' | 'level' | 'deps' | 'estimateSeconds' | 'seed'> & { donePath: string };

/** The plan as JSON: name, quick, configHash, levels, seeds and per task id, kind, level, deps, estimateSeconds, seed and its done marker relative to the results folder. */
export function planJson(plan: StudyPlan): PlanJson {
  return {
    name: plan.name, quick: plan.quick, configHash: plan.configHash, levels: plan.levels, seeds: [...plan.seeds],
    tasks: plan.tasks.map((t) => ({ id: t.id, kind: t.kind, level: t.level, deps: [...t.deps], estimateSeconds: t.estimateSeconds, seed: t.seed, donePath: taskDonePath('', t.id) })),
  };
}
