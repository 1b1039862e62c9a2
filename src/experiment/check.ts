/**
 * The semantic checks of an experiment config: everything `qdistill run` would otherwise find
 * out only while it builds data sets and models — qubit ranges, readout groups and counts,
 * input-map sizes, phase-data sites, model memory against this machine, backend limits,
 * learning-rate schedules and data-set sizes — done on the resolved config before anything
 * trains, each problem reported with its full config path.
 *
 * The checks reuse the library's own validators (model specs, circuit construction, memory
 * guards, schedules, phase grids), so `validate`, `run --dry-run` and `run` agree by
 * construction; the same validators still run inside model and data construction as the last
 * line of defence.
 */
import { join } from 'node:path';
import { checkMemory, toMoments } from '../../mps/apply.js';
import { NoiseModelError } from '../../mps/noise.js';
import { bindCircuit } from '../circuit/ir.js';
import { mnistSource, readIdxLabels } from '../data/mnist.js';
import { phaseSplitCounts, type PhaseSplitCounts } from '../data/phases.js';
import { QnnModel } from '../qnn/model.js';
import { buildCircuit, ModelSpecError, validateModelSpec } from '../qnn/spec.js';
import { validateScheduleSpec } from '../train/schedules.js';
import { mergeTraining, modelSpec, scheduleOf } from './build.js';
import { KD_GRID_METHODS, kdIsGrid } from './kd-grid.js';
import { STUDENT_METHODS, TRANSFER_METHODS, type ConfigIssue, type ExperimentConfig, type InputMapConfig, type ModelConfig, type Training } from './config.js';
import { sweepStudents } from './student-sweep.js';

/** `a[3][1]` → `a.3.1`, the path style of the config's schema errors. */
const dotted = (p: string): string => p.replace(/\[(\d+)\]/g, '.$1');

/** What the models of a config see of its data, known without loading it. */
interface DataShape { features: number; classes: number; phases: boolean; n: number }

function dataShape(c: ExperimentConfig): DataShape {
  const d = c.data;
  if (d.type === 'mnist') return { features: d.size ** 2, classes: d.classes.length, phases: false, n: 0 };
  if (d.type === 'blobs') return { features: d.features, classes: d.classes, phases: false, n: 0 };
  return { features: 0, classes: 2, phases: true, n: d.n };
}

function dataIssues(c: ExperimentConfig): ConfigIssue[] {
  const d = c.data;
  const out: ConfigIssue[] = [];
  if (d.type !== 'phases' && d.transfer !== undefined && d.transfer > 0 && typeof d.labelled !== 'number') out.push({ path: 'data.transfer', value: d.transfer, message: "needs data.labelled to be a number of samples per class (with 'all' every training sample is labelled and none is left for a transfer set)" });
  const usesTransfer = c.methods.filter((m) => TRANSFER_METHODS.includes(m));
  const hasTransfer = d.type === 'phases' ? d.transfer !== undefined : (d.transfer ?? 0) > 0;
  const setTransfer = `set data.transfer (${d.type === 'phases' ? '{ window }' : 'unlabelled samples per class'})`;
  if (usesTransfer.length && !hasTransfer) out.push({ path: 'methods', value: usesTransfer, message: `${usesTransfer.join(' and ')} ${usesTransfer.length === 1 ? 'trains' : 'train'} on a transfer set: ${setTransfer}` });
  const bondMethod = c.teacherBond?.method ?? 'kd';
  // every user of the transfer set, named in the issues below
  const users = [...(usesTransfer.length ? [`methods ${usesTransfer.join(', ')}`] : []), ...(c.teacherBond && TRANSFER_METHODS.includes(bondMethod) ? [`teacherBond.method ${bondMethod}`] : []), ...(c.teacher?.trainingSet === 'labelled+transfer' ? ["teacher.trainingSet 'labelled+transfer'"] : [])];
  // a transfer set nobody trains on is drawn for nothing (phase data's window also takes its points out of the labelled set)
  if (d.type !== 'phases' && hasTransfer && !users.length) out.push({ path: 'data.transfer', value: d.transfer, message: `no run uses the transfer set; its users are methods ${TRANSFER_METHODS.join(' or ')}, teacherBond.method ${TRANSFER_METHODS.join(' or ')} and teacher.trainingSet 'labelled+transfer': add one or remove data.transfer` });
  if (TRANSFER_METHODS.includes(bondMethod) && !hasTransfer) out.push({ path: 'teacherBond.method', value: bondMethod, message: `${bondMethod} trains on a transfer set: ${setTransfer}` });
  // reported beside the transfer methods above, so one pass names every user of a missing transfer set
  if (c.teacher?.trainingSet === 'labelled+transfer' && !hasTransfer) out.push({ path: 'teacher.trainingSet', value: 'labelled+transfer', message: d.type === 'phases' ? 'needs a transfer set: set data.transfer.window' : 'needs a transfer set: set data.transfer ≥ 1 (with a numeric data.labelled)' });
  if (d.type === 'blobs') {
    if (d.classes > 2 * d.features) out.push({ path: 'data.classes', value: d.classes, message: `must be ≤ 2·features = ${2 * d.features} (one blob centre per ± axis)` });
    // blob labels cycle through the classes, so each class has floor or ceil of nTrain/classes samples
    const least = Math.floor(d.nTrain / d.classes);
    if (typeof d.labelled === 'number' && d.labelled + (d.transfer ?? 0) > least) out.push({ path: d.transfer ? 'data.transfer' : 'data.labelled', value: d.transfer ?? d.labelled, message: `labelled${d.transfer ? ' + transfer' : ''} per class must be ≤ ${least} (the training samples of the smallest class: nTrain / classes, rounded down)` });
  } else if (d.type === 'mnist') {
    d.classes.forEach((k, i) => { if (d.classes.indexOf(k) !== i) out.push({ path: `data.classes.${i}`, value: k, message: `duplicate of data.classes.${d.classes.indexOf(k)}` }); });
    let counts: { train: number[]; t10k: number[] } | null = null;
    try {
      const { dir } = mnistSource();
      const count = (file: string): number[] => {
        const c10 = new Array<number>(10).fill(0);
        for (const l of readIdxLabels(join(dir, file))) c10[l] = (c10[l] ?? 0) + 1;
        return c10;
      };
      counts = { train: count('train-labels-idx1-ubyte'), t10k: count('t10k-labels-idx1-ubyte') };
    } catch (e) {
      out.push({ path: 'data', value: 'mnist', message: `the MNIST files cannot be read: ${(e as Error).message}` });
    }
    if (counts) {
      for (const digit of new Set(d.classes)) {
        const train = counts.train[digit]!, test = counts.t10k[digit]!;
        if (d.perClass.train + d.perClass.val > train) out.push({ path: 'data.perClass', value: d.perClass, message: `train + val = ${d.perClass.train + d.perClass.val} exceeds the ${train} training images of digit ${digit}` });
        if (d.perClass.test > test) out.push({ path: 'data.perClass.test', value: d.perClass.test, message: `exceeds the ${test} test images of digit ${digit}` });
      }
    }
    if (typeof d.labelled === 'number' && d.labelled + (d.transfer ?? 0) > d.perClass.train) out.push({ path: d.transfer ? 'data.transfer' : 'data.labelled', value: d.transfer ?? d.labelled, message: d.transfer ? `labelled + transfer = ${d.labelled + d.transfer} per class must be ≤ data.perClass.train = ${d.perClass.train} (both are drawn from the training split)` : `must be ≤ data.perClass.train = ${d.perClass.train} (labelled samples are drawn from the training split)` });
  } else {
    let counts: PhaseSplitCounts | null = null;
    const w = d.transfer?.window;
    try {
      counts = phaseSplitCounts(d.model, d.grid, d.split, w);
    } catch (e) {
      const msg = (e as Error).message;
      const key = /^grid\.(\w+)/.exec(msg)?.[1] ?? (/h2 = /.test(msg) ? 'h2' : undefined);
      out.push({ path: key ? `data.grid.${key}` : 'data.grid', value: key ? d.grid[key] : d.grid, message: msg.replace(/^grid\.\w+:\s*/, '') });
    }
    if (counts) {
      const { byLabel } = counts;
      if (w !== undefined && byLabel.size < 2) out.push({ path: 'data.transfer.window', value: w, message: `leaves ${byLabel.size === 0 ? 'no labelled point' : 'labelled points of one phase only'} outside the transfer region; use a smaller window or a wider grid` });
      // a window that catches no grid point leaves the transfer methods and a labelled+transfer teacher nothing
      if (w !== undefined && counts.transfer === 0 && users.length) out.push({ path: 'data.transfer.window', value: w, message: `holds no grid point (none has |h/J − 1| ≤ ${w}), but the transfer set is used by ${users.join('; ')}; widen the window or add grid points near h/J = 1` });
      if (counts.train < 1) out.push({ path: 'data.split', value: d.split, message: `leaves no training point of the ${counts.train + counts.val + counts.test + counts.transfer} grid points; lower val/test or enlarge data.grid` });
    }
  }
  return out;
}

/**
 * Students that `methods` trains (listed students other than the teacher-bond sweep's only
 * student, the student-size grid, the hardware sweep's student) with `methods` empty.
 */
function methodsIssues(c: ExperimentConfig): ConfigIssue[] {
  if (c.methods.length) return [];
  const byMethods = [
    ...(c.students.some((s) => s.name !== c.teacherBond?.student) ? ['students'] : []),
    ...(c.studentSweep ? ['studentSweep'] : []),
    ...(c.hardwareSweep ? ['hardwareSweep'] : []),
  ];
  return byMethods.length ? [{ path: 'methods', value: [], message: `lists no way to train the ${byMethods.join(', ')} (each trains once per method); allowed: ${STUDENT_METHODS.join(', ')}` }] : [];
}

/**
 * What a config may mean but probably does not: advice that does not stop a run, one line each
 * (printed by `validate`, `run` and `run --dry-run` on stderr). Today: methods that learn from the
 * teacher without the label-only arm, so the report has no paired comparison and no gap check.
 */
export function configWarnings(c: ExperimentConfig): string[] {
  const out: string[] = [];
  const learners = c.methods.filter((m) => m !== 'label');
  const trained = c.students.length > 0 || c.studentSweep !== undefined;
  if (trained && learners.length && !c.methods.includes('label')) out.push(`warning: methods = ${JSON.stringify(c.methods)} has no 'label' arm: the report cannot compare ${learners.join(', ')} with label-only training (no paired statistics, no gap check); add 'label' to compare`);
  return out;
}

/** Output features of an input map on `d` input features, or the issues it raises. */
function inputMapIssues(m: InputMapConfig, d: number, path: string): { issues: ConfigIssue[]; features: number } {
  const issues: ConfigIssue[] = [];
  if (m.kind === 'avgPool') {
    const side = Math.round(Math.sqrt(d));
    if (side * side !== d) issues.push({ path: `${path}.kind`, value: m.kind, message: `avgPool needs square images; the data has ${d} features` });
    else if (m.to > side) issues.push({ path: `${path}.to`, value: m.to, message: `must be ≤ ${side} (the input side)` });
    return { issues, features: m.to ** 2 };
  }
  if (m.kind === 'pca') {
    if (m.components > d) issues.push({ path: `${path}.components`, value: m.components, message: `must be ≤ ${d} (the data's features)` });
    return { issues, features: m.components };
  }
  m.indices.forEach((k, i) => {
    if (k >= d) issues.push({ path: `${path}.indices.${i}`, value: k, message: `must be a feature index in [0, ${d - 1}]` });
    else if (m.indices.indexOf(k) !== i) issues.push({ path: `${path}.indices.${i}`, value: k, message: `duplicate of ${path}.indices.${m.indices.indexOf(k)}` });
  });
  return { issues, features: m.indices.length };
}

/**
 * Where a model's input comes from, for issues about its feature count or its sites:
 * `featuresFrom` says in words which config fields give the features (e.g. "data.size 8: 8×8
 * images", "students.0.input: pca, 12 components").
 */
interface ModelContext { features: number; featuresFrom: string; sites?: number; sitesPath?: string }

/** The words of {@link ModelContext.featuresFrom} for the data itself (no input map). */
function dataFeaturesFrom(c: ExperimentConfig): string {
  const d = c.data;
  return d.type === 'mnist' ? `data.size ${d.size}: ${d.size}×${d.size} images` : d.type === 'blobs' ? `data.features ${d.features}` : `data.n ${d.n}`;
}

/** The words of {@link ModelContext.featuresFrom} for an input map at `path`. */
function inputMapFrom(m: InputMapConfig, path: string): string {
  return m.kind === 'avgPool' ? `${path}: avgPool to ${m.to}×${m.to}` : m.kind === 'pca' ? `${path}: pca, ${m.components} components` : `${path}: subset of ${m.indices.length} features`;
}

function modelIssues(m: ModelConfig, path: string, shape: DataShape, ctx: ModelContext): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  if (shape.phases && ctx.sites !== undefined && m.qubits !== ctx.sites) {
    out.push({ path: `${path}.qubits`, value: m.qubits, message: `must equal the ${ctx.sites} sites of its ground states (${ctx.sitesPath})` });
  }
  if (m.backend === 'statevector') {
    const set = (['maxBond', 'cutoff'] as const).filter((k) => m[k] !== undefined);
    for (const k of set) out.push({ path: `${path}.${k}`, value: m[k], message: "does not apply to backend 'statevector' (exact simulation, no truncation); remove it or use backend 'mps'" });
    if (set.length) return out;
  }
  try {
    const spec = modelSpec(m, ctx.features, shape.classes);
    validateModelSpec(spec, path);
    const model = new QnnModel(spec);
    // the adjoint gradient of a capped MPS model holds one state per moment plus three
    if (m.backend === 'mps' && m.maxBond !== undefined) {
      const { circuit } = buildCircuit(model.spec);
      const bound = bindCircuit(circuit, new Float64Array(model.nCircuitParams), new Float64Array(circuit.nInputs));
      try {
        checkMemory(m.qubits, m.maxBond, false, toMoments(bound.ops, m.qubits).length + 3);
      } catch (e) {
        out.push({ path: `${path}.maxBond`, value: m.maxBond, message: (e as Error).message });
      }
    }
  } catch (e) {
    if (e instanceof NoiseModelError) {
      out.push({ path: dotted(e.path), value: e.value, message: `must be ${e.allowed}` });
    } else if (e instanceof ModelSpecError) {
      const p = dotted(e.path);
      if (p === `${path}.features`) {
        out.push({ path: `${path}.qubits`, value: m.qubits, message: `the model reads ${ctx.features} features (${ctx.featuresFrom}), but must read ${e.allowed}: give it more qubits, or an input map with fewer features` });
      } else {
        out.push({ path: p.replace(`${path}.truncation.`, `${path}.`), value: e.value, message: `must be ${e.allowed}` });
      }
    } else {
      const msg = (e as Error).message;
      const sub = /^readout:/.test(msg) ? '.readout' : /readoutQubits/.test(msg) ? '.ansatz.readoutQubits' : /reupload|every/.test(msg) ? '.ansatz.reuploadEvery' : '';
      out.push({ path: `${path}${sub}`, value: sub === '.readout' ? m.readout : sub === '' ? undefined : m.ansatz, message: msg });
    }
  }
  return out;
}

/** A problem of a training block's budget, naming its field. */
class BudgetError extends Error {
  constructor(readonly field: keyof Training, message: string) { super(message); }
}

/**
 * The budget of a (merged) training block: `epochs` or `steps`, not both; the cyclic schedule's
 * cycle length in the same unit (`cycleEpochs` with epochs, `cycleSteps` with steps).
 * @throws BudgetError naming the field.
 */
function budgetRule(t: Training): void {
  if (t.epochs === undefined && t.steps === undefined) throw new BudgetError('epochs', 'is required (an integer ≥ 1) unless steps is given');
  if (t.epochs !== undefined && t.steps !== undefined) throw new BudgetError('steps', `give either epochs (${t.epochs}) or steps, not both: with steps every run takes that many optimizer steps and its epochs follow from its training-set size`);
  if (t.steps !== undefined && t.cycleEpochs !== undefined) throw new BudgetError('cycleEpochs', 'is for epoch-based training; with steps give the cyclic schedule\'s cycle length in optimizer steps (cycleSteps)');
  if (t.steps === undefined && t.cycleSteps !== undefined) throw new BudgetError('cycleSteps', 'needs steps (a step budget); with epochs give the cycle length as cycleEpochs');
}

/** The schedule a training config builds, checked as the training loop checks it. */
function trainingIssues(base: Training, over: Partial<Training> | undefined, basePath: string, overPath: string | null): ConfigIssue[] {
  const t = mergeTraining(base, over);
  try {
    budgetRule(t);
    validateScheduleSpec(scheduleOf(t));
    return [];
  } catch (e) {
    const msg = (e as Error).message;
    const field = (e instanceof BudgetError ? e.field : /\b(lrMin|cycleEpochs|cycleSteps|epochs|steps|lr)\b/.exec(msg)?.[1] ?? 'schedule') as keyof Training;
    if (overPath === null || !over || Object.keys(over).length === 0) return [{ path: `${basePath}.${field}`, value: t[field], message: msg }];
    if (field in over) return [{ path: `${overPath}.${field}`, value: t[field], message: msg }];
    // the failing value is inherited: name the override block, and where the value comes from
    return [{ path: overPath, value: over, message: `${msg} (${field} = ${String(t[field])} inherited from ${basePath}.${field})` }];
  }
}

/**
 * The KD validation grid (`kd.T` or `kd.alpha` a list): distinct values, and only where each
 * (T, α) can be trained and chosen on validation — the students' kd and kd-transfer runs; the
 * teacher-bond and hardware sweeps and self-distillation take one T and one α.
 */
function kdGridIssues(c: ExperimentConfig): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const k of ['T', 'alpha'] as const) {
    const v = c.kd[k];
    if (Array.isArray(v) && new Set(v).size !== v.length) out.push({ path: `kd.${k}`, value: v, message: 'the values of a validation grid must be distinct' });
  }
  if (!kdIsGrid(c.kd)) return out;
  const k = Array.isArray(c.kd.T) ? 'T' : 'alpha';
  const at = { path: `kd.${k}`, value: c.kd[k] };
  const users = [c.selfDistillation ? 'selfDistillation' : null, c.teacherBond ? 'teacherBond' : null, c.hardwareSweep ? 'hardwareSweep' : null].filter((x) => x !== null);
  if (users.length) out.push({ ...at, message: `a list (validation grid) applies to the students' kd and kd-transfer runs only; ${users.join(', ')} take${users.length === 1 ? 's' : ''} a single T and alpha` });
  if (!c.methods.some((m) => KD_GRID_METHODS.includes(m))) out.push({ ...at, message: `a list (validation grid) needs method kd or kd-transfer in methods, got [${c.methods.join(', ')}]` });
  return out;
}

/**
 * The grid students of the student-size sweep, checked as listed students are (input map,
 * model, training schedule) with the paths of the sweep block: a problem tied to a grid
 * point's qubit or layer count is reported at `studentSweep.qubits.<i>` or
 * `studentSweep.layers.<j>`, one of the template at `studentSweep.model…`; a problem shared by
 * several grid students is reported once, naming them.
 */
function sweepIssues(c: ExperimentConfig, shape: DataShape): ConfigIssue[] {
  const sw = c.studentSweep;
  if (!sw || shape.phases) return [];
  const grouped = new Map<string, { issue: ConfigIssue; who: string[] }>();
  for (const s of sweepStudents(c)) {
    const qi = sw.qubits.indexOf(s.model.qubits), li = sw.layers.indexOf(s.model.ansatz.layers);
    const add = (i: ConfigIssue): void => {
      const toQubits = /^studentSweep\.(model\.qubits|input\.(components|to))$/.test(i.path);
      const issue = toQubits ? { ...i, path: `studentSweep.qubits.${qi}`, value: s.model.qubits }
        : i.path === 'studentSweep.model.ansatz.layers' ? { ...i, path: `studentSweep.layers.${li}`, value: s.model.ansatz.layers } : i;
      const k = `${issue.path}\u0000${issue.message}`;
      const g = grouped.get(k);
      if (g) g.who.push(s.name); else grouped.set(k, { issue, who: [s.name] });
    };
    let features = shape.features;
    if (s.input) {
      const r = inputMapIssues(s.input, shape.features, 'studentSweep.input');
      r.issues.forEach(add);
      if (r.issues.length) continue;
      features = r.features;
    }
    modelIssues(s.model, 'studentSweep.model', shape, { features, featuresFrom: s.input ? inputMapFrom(s.input, 'studentSweep.input') : dataFeaturesFrom(c) }).forEach(add);
  }
  const out = [...grouped.values()].map(({ issue, who }) => ({ ...issue, message: `${issue.message} (grid student${who.length > 1 ? 's' : ''} ${who.join(', ')})` }));
  return [...out, ...trainingIssues(c.training, sw.training, 'training', 'studentSweep.training')];
}

/**
 * Every problem `run` would hit on a resolved config, with full config paths: the data
 * (blob classes, MNIST images available per digit, phase grids and splits), each model
 * (teacher, students, self-distillation: truncation settings on the state vector, spec
 * validation, readouts, QCNN pooling, phase-data sites, memory of a capped MPS), each input
 * map, each training schedule, the grid students of the student-size sweep, and the
 * teacher-bond sweep (needs an MPS teacher; memory at each χ_T). Empty when the config runs.
 */
export function semanticIssues(c: ExperimentConfig): ConfigIssue[] {
  const out: ConfigIssue[] = [...dataIssues(c)];
  const shape = dataShape(c);
  const dataFrom = dataFeaturesFrom(c);
  out.push(...trainingIssues(c.training, undefined, 'training', null));
  if (c.teacher) {
    out.push(...modelIssues(c.teacher.model, 'teacher.model', shape, { features: shape.features, featuresFrom: dataFrom, sites: shape.n, sitesPath: 'data.n' }));
    out.push(...trainingIssues(c.training, c.teacher.training, 'training', 'teacher.training'));
  }
  c.students.forEach((s, i) => {
    const path = `students.${i}`;
    let features = shape.features;
    if (s.input && !shape.phases) {
      const r = inputMapIssues(s.input, shape.features, `${path}.input`);
      out.push(...r.issues);
      if (r.issues.length) return;
      features = r.features;
    }
    const sites = s.sites ?? shape.n;
    out.push(...modelIssues(s.model, `${path}.model`, shape, { features, featuresFrom: s.input ? inputMapFrom(s.input, `${path}.input`) : dataFrom, sites, sitesPath: s.sites !== undefined ? `${path}.sites` : 'data.n' }));
    out.push(...trainingIssues(c.training, s.training, 'training', `${path}.training`));
  });
  out.push(...sweepIssues(c, shape));
  const sd = c.selfDistillation;
  if (sd) {
    let features = shape.features;
    let ok = true;
    if (sd.input && !shape.phases) {
      const r = inputMapIssues(sd.input, shape.features, 'selfDistillation.input');
      out.push(...r.issues);
      ok = r.issues.length === 0;
      features = r.features;
    }
    if (ok) out.push(...modelIssues(sd.model, 'selfDistillation.model', shape, { features, featuresFrom: sd.input ? inputMapFrom(sd.input, 'selfDistillation.input') : dataFrom, sites: shape.n, sitesPath: 'data.n' }));
    if (c.training.steps !== undefined) {
      out.push({ path: 'training.steps', value: c.training.steps, message: "not with selfDistillation, whose methods count epochs (snapshot cycles, PS-KD's α schedule, born-again generations) and all train on one set, so equal epochs already mean equal steps: use training.epochs" });
    } else if (sd.methods.includes('snapshot') || sd.methods.includes('cyclic')) out.push(...trainingIssues({ ...c.training, schedule: 'cyclic', cycleEpochs: sd.cycleEpochs }, undefined, 'selfDistillation', null));
  }
  out.push(...kdGridIssues(c));
  out.push(...methodsIssues(c));
  const tb = c.teacherBond;
  if (tb && c.teacher) {
    const tm = c.teacher.model;
    if (tm.backend !== 'mps') {
      out.push({ path: 'teacherBond', value: tb, message: "sweeps the teacher's bond dimension, which needs teacher.model.backend = 'mps'" });
    } else {
      tb.chi.forEach((maxBond, k) => {
        try {
          checkMemory(tm.qubits, maxBond, false, 1);
        } catch (e) {
          out.push({ path: `teacherBond.chi.${k}`, value: maxBond, message: (e as Error).message });
        }
      });
    }
  }
  // a problem of the shared training block shows up once, not once per model inheriting it
  const seen = new Set<string>();
  return out.filter((i) => { const k = `${i.path}\u0000${i.message}`; if (seen.has(k)) return false; seen.add(k); return true; });
}
