/**
 * `qdistill validate` and `run --dry-run` reject every config that `run` would reject, before
 * anything trains, with the full config path and exit code 2.
 *
 * The table enumerates the config errors that `runExperiment` can raise (the throws reachable
 * from the runner and src/experiment/build.ts: data loading, input maps, model specs and
 * circuit construction, phase-data sites, the memory guard, learning-rate schedules, the
 * teacher-bond sweep). Each row shows (a) the error the run-time builder raises on that config
 * piece — the last line of defence, proving `run` would fail — and (b) that `resolveConfig`
 * (hence `validate`, `--dry-run` and `run` itself) reports it first, at the full path.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitInputMap } from '../../src/data/input-map.js';
import { loadMnist } from '../../src/data/mnist.js';
import { gridPoints } from '../../src/data/phases.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { checkMemory } from '../../mps/apply.js';
import { loadData, modelSpec, scheduleOf, trainOptionsOf } from '../../src/experiment/build.js';
import { planStudy } from '../../src/experiment/plan.js';
import { makeBlobsObjective } from '../../src/train/toy-objective.js';
import { bornAgainPlan } from '../../src/distill/self-distill.js';
import { makeQnnObjective } from '../../src/distill/objective.js';
import { epochsOf, train } from '../../src/train/loop.js';
import { deepMerge, ExperimentSchema, resolveConfig, type ExperimentConfig } from '../../src/experiment/config.js';
import { expectConfigIssue } from '../helpers/config-issue.js';
import { runExperiment } from '../../src/experiment/runner.js';
import { configWarnings } from '../../src/experiment/check.js';
import { hardwarePoints, modelAtPoint } from '../../src/experiment/hardware.js';
import { sweepStudents } from '../../src/experiment/student-sweep.js';
import { QnnModel } from '../../src/qnn/model.js';
import { Mps } from '../../mps/mps.js';
import { makeSchedule } from '../../src/train/schedules.js';
import { runCli } from '../cli/run-cli.js';

const study = JSON.parse(readFileSync('test/fixtures/configs/small-study.json', 'utf8')) as Record<string, unknown>;
const BLOBS = {
  name: 'blobs', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 8, nVal: 4, nTest: 4, separation: 3 },
  training: { epochs: 1, batchSize: 4, lr: 0.1 },
  teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 } } },
  students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [0, 1] } }],
};
const PHASES = {
  name: 'phases', seeds: [1],
  data: { type: 'phases', model: 'tfim', n: 6, grid: { h: [0.5, 0.8, 1.2, 1.5] }, split: { val: 0.25, test: 0.25 } },
  training: { epochs: 1, batchSize: 2, lr: 0.1 },
  teacher: { model: { qubits: 6, encoding: { type: 'mps' }, ansatz: { type: 'ry', layers: 1 }, maxBond: 4 } },
  students: [{ name: 's4', sites: 4, model: { qubits: 4, encoding: { type: 'mps' }, ansatz: { type: 'ry', layers: 1 } } }],
};

/** BLOBS with a step budget instead of epochs. */
const STEPS_BLOBS = { ...BLOBS, training: { steps: 10, batchSize: 4, lr: 0.1 } };
const { epochs: _studyEpochs, ...studyTrainingNoEpochs } = study['training'] as Record<string, unknown>;
/** A student-size sweep on BLOBS: 2- and 3-qubit PCA students, one layer. */
const SWEEP = { qubits: [2, 3], layers: [1], input: { kind: 'pca' }, model: { ansatz: { type: 'ry' } } };

/** The zod-parsed config (defaults filled, no semantic checks): what the run-time builders see. */
const parsed = (raw: unknown): ExperimentConfig => ExperimentSchema.parse(raw);
const teacherModel = (c: ExperimentConfig, features: number, classes: number) => new QnnModel(modelSpec(c.teacher!.model, features, classes));

/** The plan of BLOBS with a hardware sweep of student s whose points the schema would refuse. */
const planHardware = (points: { shots?: number[]; depolarizing2q?: number[] }) => {
  const c = parsed(deepMerge(structuredClone(BLOBS), { hardwareSweep: { student: 's', shots: [16] } }));
  c.hardwareSweep = { ...c.hardwareSweep!, shots: [], ...points };
  return planStudy(c, false);
};

/**
 * Row: name, base, override (deep-merged), the run-time throw (on the schema-parsed config, or
 * without a parameter where the schema refuses the config), the full path validate reports, its message.
 */
type Row = [string, Record<string, unknown>, unknown, (c: ExperimentConfig) => unknown, string, RegExp];
const ROWS: Row[] = [
  // the issue's config: a 16-qubit teacher reading out qubit 99
  ['teacher readout qubit out of range', study, { teacher: { model: { readout: { type: 'linear', qubits: [0, 3, 99] } } } }, (c) => teacherModel(c, 16, 4), 'teacher.model.readout.qubits.2', /must be a qubit in \[0, 15\]/],
  ['parity group qubit out of range', BLOBS, { teacher: { model: { readout: { type: 'parity', groups: [[0, 1], [2, 4]] } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.readout.groups.1.1', /must be a qubit in \[0, 3\]/],
  ['readouts ≠ classes', BLOBS, { teacher: { model: { readout: { type: 'qubits', qubits: [0, 1, 2] } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.readout', /needs one readout per class \(2\), got 3/],
  ['linear readout without qubits', BLOBS, { teacher: { model: { readout: { type: 'linear' } } } }, () => new QnnModel({ ...modelSpec(parsed(BLOBS).teacher!.model, 4, 2), readout: { type: 'linear' } as never }), 'teacher.model.readout.qubits', /is required \(an array\)/],
  ['angle encoding: more features than qubits', BLOBS, { data: { features: 6 } }, (c) => teacherModel(c, 6, 2), 'teacher.model.qubits', /the model reads 6 features \(data\.features 6\), but must read ≤ 4 for the 'angle' encoding on 4 qubits/],
  ['state vector above 24 qubits', BLOBS, { teacher: { model: { qubits: 26, backend: 'statevector' } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.qubits', /≤ 24 with backend 'statevector'/],
  ['QCNN pools to more readouts than qubits left', BLOBS, { teacher: { model: { ansatz: { type: 'qcnn', readoutQubits: 9 }, readout: { type: 'linear', qubits: [0] } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.ansatz.readoutQubits', /readoutQubits must be an integer in \[1, /],
  // options only one kind of ansatz reads: refused, never silently ignored
  ['readoutQubits on a brickwork ansatz (only QCNN pools)', BLOBS, { teacher: { model: { ansatz: { type: 'hardware-efficient', readoutQubits: 7 } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.ansatz.readoutQubits', /absent unless ansatz\.type is 'qcnn'/],
  ['reuploadEvery on a QCNN', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'qcnn', reuploadEvery: 2 } }, input: { kind: 'subset', indices: [0, 1] } }] }, (c) => new QnnModel(modelSpec(c.students[0]!.model, 2, 2)), 'students.0.model.ansatz.reuploadEvery', /absent with ansatz 'qcnn'/],
  ['reuploadEvery with the MPS encoding', PHASES, { teacher: { model: { ansatz: { reuploadEvery: 2 } } } }, (c) => teacherModel(c, 6, 2), 'teacher.model.ansatz.reuploadEvery', /absent with encoding 'mps'/],
  ['capped MPS larger than this machine', BLOBS, { teacher: { model: { qubits: 64, maxBond: 2 ** 20 } } }, (c) => checkMemory(64, c.teacher!.model.maxBond!, false, 5), 'teacher.model.maxBond', /lower maxBond/],
  ['state vector with a bond cap', BLOBS, { teacher: { model: { backend: 'statevector', maxBond: 4 } } }, (c) => modelSpec(c.teacher!.model, 4, 2), 'teacher.model.maxBond', /does not apply to backend 'statevector'/],
  ['state vector with a cutoff', BLOBS, { teacher: { model: { backend: 'statevector', cutoff: 1e-8 } } }, (c) => modelSpec(c.teacher!.model, 4, 2), 'teacher.model.cutoff', /does not apply to backend 'statevector'/],
  ['blob classes above 2·features', BLOBS, { data: { classes: 9 }, teacher: { model: { readout: { type: 'linear', qubits: [0] } } } }, (c) => gaussianBlobs({ ...c.data, seed: 1 } as never), 'data.classes', /must be ≤ 2·features = 8/],
  ['MNIST digit listed twice', study, { data: { classes: [0, 1, 1, 3] } }, (c) => loadMnist({ ...(c.data as object), seed: 1 } as never), 'data.classes.2', /duplicate of data\.classes\.1/],
  ['MNIST: more training images than exist', study, { data: { perClass: { train: 7000 } } }, (c) => loadMnist({ ...(c.data as object), seed: 1 } as never), 'data.perClass', /exceeds the \d+ training images of digit/],
  ['MNIST: more test images than exist', study, { data: { perClass: { test: 1200 } } }, (c) => loadMnist({ ...(c.data as object), seed: 1 } as never), 'data.perClass.test', /exceeds the \d+ test images of digit/],
  ['MNIST: more labelled samples per class than the training split', study, { data: { labelled: 500 } }, (c) => loadData(c.data, 1), 'data.labelled', /must be ≤ data\.perClass\.train = \d+ \(labelled samples are drawn from the training split\)/],
  ['blobs: more labelled samples per class than the smallest class has', BLOBS, { data: { labelled: 5 } }, (c) => loadData(c.data, 1), 'data.labelled', /must be ≤ 4 \(the training samples of the smallest class/],
  ['avgPool of non-square data', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'avgPool', to: 1 } }], data: { features: 3 }, teacher: { model: { qubits: 3 } } }, (c) => fitInputMap(c.students[0]!.input!, [new Float64Array(3)]), 'students.0.input.kind', /avgPool needs square images; the data has 3 features/],
  ['avgPool larger than the image', study, { students: [{ name: 's', model: { qubits: 4, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'linear', qubits: [0, 1] } }, input: { kind: 'avgPool', to: 5 } }] }, (c) => fitInputMap(c.students[0]!.input!, [new Float64Array(16)]), 'students.0.input.to', /must be ≤ 4 \(the input side\)/],
  ['PCA with more components than features', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'pca', components: 5 } }] }, (c) => fitInputMap(c.students[0]!.input!, [Float64Array.of(0, 1, 2, 3)]), 'students.0.input.components', /must be ≤ 4/],
  ['subset index beyond the features', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [0, 4] } }] }, (c) => fitInputMap(c.students[0]!.input!, [new Float64Array(4)]), 'students.0.input.indices.1', /feature index in \[0, 3\]/],
  ['subset index repeated', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [1, 1] } }] }, (c) => fitInputMap(c.students[0]!.input!, [new Float64Array(4)]), 'students.0.input.indices.1', /duplicate/],
  ['student reads more features than its encoding holds', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'pca', components: 3 } }] }, (c) => new QnnModel(modelSpec(c.students[0]!.model, 3, 2)), 'students.0.model.qubits', /the model reads 3 features \(students\.0\.input: pca, 3 components\), but must read ≤ 2/],
  ['student readout out of range', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'qubits', qubits: [0, 2] } }, input: { kind: 'subset', indices: [0, 1] } }] }, (c) => new QnnModel(modelSpec(c.students[0]!.model, 2, 2)), 'students.0.model.readout.qubits.1', /must be a qubit in \[0, 1\]/],
  ['phase teacher qubits ≠ data.n', PHASES, { teacher: { model: { qubits: 5 } } }, (c) => { const m = new QnnModel(modelSpec(c.teacher!.model, 0, 2)); return m.forward(new Float64Array(m.nParams), phaseState(6)); }, 'teacher.model.qubits', /must equal the 6 sites of its ground states \(data\.n\)/],
  ['phase student qubits ≠ its sites', PHASES, { students: [{ name: 's4', sites: 4, model: { qubits: 5, encoding: { type: 'mps' }, ansatz: { type: 'ry', layers: 1 } } }] }, (c) => { const m = new QnnModel(modelSpec(c.students[0]!.model, 0, 2)); return m.forward(new Float64Array(m.nParams), phaseState(4)); }, 'students.0.model.qubits', /must equal the 4 sites of its ground states \(students\.0\.sites\)/],
  ['phase grid: unknown parameter', PHASES, { data: { grid: { h: [0.5, 1.5], kappa: [1] } } }, (c) => gridPoints('tfim', (c.data as { grid: Record<string, number[]> }).grid), 'data.grid.kappa', /model 'tfim' has no parameter 'kappa'/],
  ['phase grid: cluster-ising off h2 = 0', { ...PHASES, data: { ...PHASES.data, model: 'cluster-ising', grid: { h1: [0.5, 1.5], h2: [0.3] } } }, {}, (c) => gridPoints('cluster-ising', (c.data as { grid: Record<string, number[]> }).grid), 'data.grid.h2', /exact only on the line h2 = 0/],
  ['phase split leaves no training point', PHASES, { data: { grid: { h: [0.5, 1.5] }, split: { val: 0.5, test: 0.5 } } }, async (c) => { const data = await loadData(c.data, 1); const model = new QnnModel(modelSpec(c.teacher!.model, 0, 2)); const obj = await makeQnnObjective(model, data, { workers: 1 }); try { return await train(obj, new Float64Array(model.nParams), { epochs: 1, batchSize: 1, seed: 1, optimizer: { type: 'sgd' }, schedule: { type: 'constant', lr: 0.1 } }); } finally { await obj.close(); } }, 'data.split', /leaves no training point/],
  ['schedule floor above the learning rate', BLOBS, { training: { lrMin: 0.5 } }, (c) => makeSchedule(scheduleOf(c.training)), 'training.lrMin', /lrMin must be in \[0, lr = 0\.1\], got 0\.5/],
  ['teacher schedule floor above its learning rate', BLOBS, { training: { lrMin: 0.05 }, teacher: { training: { lr: 0.01 } } }, (c) => makeSchedule(scheduleOf({ ...c.training, ...c.teacher!.training })), 'teacher.training', /lrMin must be in \[0, lr = 0\.01\], got 0\.05 \(lrMin = 0\.05 inherited from training\.lrMin\)/],
  ['student schedule floor above its learning rate', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [0, 1] }, training: { lrMin: 0.2 } }] }, (c) => makeSchedule(scheduleOf({ ...c.training, ...c.students[0]!.training })), 'students.0.training.lrMin', /lrMin must be in \[0, lr = 0\.1\]/],
  // the training budget: epochs or steps, the cycle length in the same unit, KD grids
  ['epochs and steps both set', BLOBS, { training: { steps: 10 } }, (c) => train(makeBlobsObjective({ nTrain: 8 }), new Float64Array(3), trainOptionsOf(c.training, 1, join(dir, 'both'), { workers: 1, resume: false, progress: 'none' })), 'training.steps', /give either epochs \(1\) or steps, not both/],
  ['neither epochs nor steps', { ...BLOBS, training: { batchSize: 4, lr: 0.1 } }, {}, (c) => epochsOf(trainOptionsOf(c.training, 1, join(dir, 'none'), { workers: 1, resume: false, progress: 'none' }), 8), 'training.epochs', /is required \(an integer ≥ 1\) unless steps is given/],
  ['steps 0', STEPS_BLOBS, { training: { steps: 0 } }, () => makeSchedule({ type: 'cosine', lr: 0.1, steps: 0 }), 'training.steps', /must be an integer ≥ 1/],
  ['cycleEpochs with a step budget', STEPS_BLOBS, { training: { schedule: 'cyclic', cycleEpochs: 2 } }, (c) => makeSchedule(scheduleOf(c.training)), 'training.cycleEpochs', /with steps give the cyclic schedule's cycle length in optimizer steps \(cycleSteps\)/],
  ['cycleSteps without a step budget', BLOBS, { training: { schedule: 'cyclic', cycleSteps: 5 } }, (c) => makeSchedule(scheduleOf(c.training)), 'training.cycleSteps', /needs steps \(a step budget\)/],
  ['student override with cycleSteps under inherited epochs', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [0, 1] }, training: { schedule: 'cyclic', cycleSteps: 3 } }] }, (c) => makeSchedule(scheduleOf({ ...c.training, ...c.students[0]!.training })), 'students.0.training.cycleSteps', /needs steps/],
  ['self-distillation under a step budget', { ...study, training: { ...studyTrainingNoEpochs, steps: 50 } }, {}, (c) => bornAgainOn(c.training.epochs!), 'training.steps', /not with selfDistillation, whose methods count epochs/],
  // a value listed twice in a list the plan turns into tasks (one class with the KD grid's repeats above and below)
  ['a method listed twice', BLOBS, { methods: ['label', 'kd', 'label'] }, () => planStudy(Object.assign(parsed(BLOBS), { methods: ['label', 'kd', 'label'] }), false), 'methods.2', /duplicate of methods\.0; list each value once/],
  ['a teacher-bond χ listed twice', BLOBS, { teacherBond: { chi: [2, 4, 2], student: 's' } }, () => planStudy(Object.assign(parsed(BLOBS), { teacherBond: { chi: [2, 4, 2], student: 's' } }), false), 'teacherBond.chi.2', /duplicate of .*\.0; list each value once/],
  ['a self-distillation method listed twice', study, { selfDistillation: { methods: ['plain', 'pskd', 'plain'] } }, () => { const c = parsed(study); c.selfDistillation!.methods = ['plain', 'pskd', 'plain']; return planStudy(c, false); }, 'selfDistillation.methods.2', /duplicate of .*\.0; list each value once/],
  ['a hardware shot count listed twice', BLOBS, { hardwareSweep: { student: 's', shots: [16, 64, 16] } }, () => planHardware({ shots: [16, 64, 16] }), 'hardwareSweep.shots.2', /duplicate of .*\.0; list each value once/],
  ['a hardware noise rate listed twice', BLOBS, { hardwareSweep: { student: 's', depolarizing2q: [0.01, 0.01] } }, () => planHardware({ depolarizing2q: [0.01, 0.01] }), 'hardwareSweep.depolarizing2q.1', /duplicate of .*\.0; list each value once/],
  ['KD grid with a repeated T', BLOBS, { kd: { T: [1, 2, 1] } }, (c) => planStudy(c, false), 'kd.T', /must be distinct/],
  ['self-distillation readout out of range', study, { selfDistillation: { model: { readout: { type: 'linear', qubits: [0, 1, 2, 4] } } } }, (c) => new QnnModel(modelSpec(c.selfDistillation!.model, 4, 4)), 'selfDistillation.model.readout.qubits.3', /must be a qubit in \[0, 3\]/],
  ['self-distillation PCA too wide', { ...study, selfDistillation: { ...(study['selfDistillation'] as object), input: { kind: 'pca', components: 17 } } }, {}, (c) => fitInputMap(c.selfDistillation!.input!, [new Float64Array(16)]), 'selfDistillation.input.components', /must be ≤ 16/],
  ['teacher-bond sweep of a state-vector teacher', BLOBS, { teacher: { model: { backend: 'statevector' } }, teacherBond: { chi: [1, 2], student: 's' } }, (c) => modelSpec(c.teacher!.model, 4, 2, c.teacherBond!.chi[0]), 'teacherBond', /needs teacher\.model\.backend = 'mps'/],
  ['teacher-bond χ larger than this machine', BLOBS, { teacher: { model: { qubits: 64 } }, teacherBond: { chi: [2, 2 ** 22], student: 's' } }, () => checkMemory(64, 2 ** 22, false, 1), 'teacherBond.chi.1', /lower maxBond/],
  // hardware options: the noise block (one parser with `simulate --noise`), shots, trajectories, the sweep
  ['noise rate above its range', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 }, noise: { twoQubit: { depolarizing: 2 } } }, input: { kind: 'subset', indices: [0, 1] } }] }, (c) => new QnnModel(modelSpec(c.students[0]!.model, 2, 2)), 'students.0.model.noise.twoQubit.depolarizing', /must be a number in \[0, 16\/15\]/],
  ['noise rate negative', BLOBS, { students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 }, noise: { readout: -0.1 } }, input: { kind: 'subset', indices: [0, 1] } }] }, (c) => new QnnModel(modelSpec(c.students[0]!.model, 2, 2)), 'students.0.model.noise.readout', /must be a number in \[0, 1\]/],
  ['noise rate NaN', BLOBS, { teacher: { model: { noise: { oneQubit: { amplitudeDamping: NaN } } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.noise.oneQubit.amplitudeDamping', /must be a number in \[0, 1\]/],
  ['unknown channel name', BLOBS, { teacher: { model: { noise: { oneQubit: { bitFlip: 0.1 } } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.noise.oneQubit.bitFlip', /must be one of the keys depolarizing, amplitudeDamping, phaseDamping/],
  ['unknown noise key', BLOBS, { teacher: { model: { noise: { threeQubit: {} } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.noise.threeQubit', /must be one of the keys oneQubit, twoQubit, gates, readout/],
  ['noise for an unknown gate', BLOBS, { teacher: { model: { noise: { gates: { foo: { depolarizing: 0.1 } } } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.noise.gates.foo', /must be a gate name/],
  ['shots on a state-vector model', BLOBS, { teacher: { model: { backend: 'statevector', shots: 64 } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.shots', /absent with backend 'statevector'/],
  ['noise on a state-vector model', BLOBS, { teacher: { model: { backend: 'statevector', noise: { readout: 0.01 } } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.noise', /absent with backend 'statevector'/],
  ['trajectories without noise', BLOBS, { teacher: { model: { trajectories: 8 } } }, (c) => teacherModel(c, 4, 2), 'teacher.model.trajectories', /absent without noise/],
  // the student-size sweep: each grid student is checked as a listed student is, at the sweep's paths
  ['student sweep: a qubit count listed twice', BLOBS, { studentSweep: { ...SWEEP, qubits: [2, 3, 2] } }, (c) => planStudy(c, false), 'studentSweep.qubits.2', /duplicate of studentSweep\.qubits\.0/],
  ['student sweep: a layer count listed twice', BLOBS, { studentSweep: { ...SWEEP, layers: [1, 1] } }, (c) => planStudy(c, false), 'studentSweep.layers.1', /duplicate of studentSweep\.layers\.0/],
  ['student sweep: a grid name taken by a listed student', BLOBS, { students: [{ name: 'q2-l1', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [0, 1] } }], studentSweep: SWEEP }, (c) => planStudy(c, false), 'students.0.name', /is also the name of a studentSweep grid student/],
  ['student sweep: avgPool with a non-square qubit count', BLOBS, { studentSweep: { ...SWEEP, qubits: [4, 2], input: { kind: 'avgPool' } } }, (c) => sweepStudents(c), 'studentSweep.qubits.1', /must be a square number .* with input kind 'avgPool'/],
  ['student sweep: PCA wider than the data', BLOBS, { studentSweep: { ...SWEEP, qubits: [2, 5] } }, (c) => fitInputMap(sweepStudents(c)[1]!.input!, [new Float64Array(4)]), 'studentSweep.qubits.1', /must be ≤ 4 \(the data's features\) \(grid student q5-l1\)/],
  ['student sweep: raw features wider than a grid student reads', BLOBS, { studentSweep: { qubits: [2], layers: [1], model: { ansatz: { type: 'ry' } } } }, (c) => new QnnModel(modelSpec(sweepStudents(c)[0]!.model, 4, 2)), 'studentSweep.qubits.0', /the model reads 4 features \(data\.features 4\), but must read ≤ 2 .*\(grid student q2-l1\)/],
  ['student sweep: template readout beyond the smaller grid students', BLOBS, { studentSweep: { ...SWEEP, qubits: [2, 3, 4], layers: [1, 2], model: { ansatz: { type: 'ry' }, readout: { type: 'linear', qubits: [0, 2] } } } }, (c) => new QnnModel(modelSpec(sweepStudents(c)[0]!.model, 2, 2)), 'studentSweep.model.readout.qubits.1', /must be a qubit in \[0, 1\] \(grid students q2-l1, q2-l2\)/],
  ['student sweep: schedule floor above its learning rate', BLOBS, { studentSweep: { ...SWEEP, training: { lrMin: 0.2 } } }, (c) => makeSchedule(scheduleOf({ ...c.training, ...c.studentSweep!.training })), 'studentSweep.training.lrMin', /lrMin must be in \[0, lr = 0\.1\]/],
  ['hardware sweep of an unknown student', BLOBS, { hardwareSweep: { student: 'nobody', shots: [16] } }, (c) => modelAtPoint(c.students.find((s) => s.name === c.hardwareSweep!.student)!.model, hardwarePoints(c.hardwareSweep!)[0]!, c.hardwareSweep!), 'hardwareSweep.student', /must name a student; allowed: s/],
];

/** Self-distillation's epoch-based schedules (born-again's generation length) on a config's epochs. */
const bornAgainOn = (epochs: number) => bornAgainPlan(3, epochs);

/** The site-count check needs only some normalised state of n sites (ground states are slower). */
const phaseState = (n: number) => Mps.zeros(n);

const dir = mkdtempSync(join(tmpdir(), 'qdistill-validate-class-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every config error run can raise is raised by validate first, at its full path', () => {
  it.each(ROWS)('%s', async (name, base, override, runtime, path, message) => {
    const raw = deepMerge(structuredClone(base), override);
    // (a) the run-time builder rejects this config piece: run would fail here. A builder that
    // takes the config gets it schema-parsed, and the parse must pass (else the parse, not the
    // builder, would be what throws); one without a parameter builds the bad piece itself (the
    // rows whose config the schema already refuses)
    const c = runtime.length === 0 ? undefined : parsed(raw);
    await expect((async () => runtime(c!))()).rejects.toThrow();
    // (b) the resolver (validate, --dry-run and run) rejects it first, at the full path
    expectConfigIssue(raw, path, message, { file: `${name}.json` });
  });

  // The CLI goes through the same resolveConfig as the rows above; by default one row per kind
  // of check is spawned (validate and run --dry-run), QDISTILL_LONG=1 spawns every row.
  const CLI_ROWS = process.env.QDISTILL_LONG ? ROWS : ROWS.filter(([name]) => ['teacher readout qubit out of range', 'state vector with a bond cap', 'MNIST: more training images than exist', 'subset index beyond the features', 'phase student qubits ≠ its sites', 'teacher schedule floor above its learning rate', 'teacher-bond χ larger than this machine', 'noise rate above its range', 'student sweep: PCA wider than the data'].includes(name));
  it(`validate and run --dry-run exit 2 with the full path (${CLI_ROWS.length} of ${ROWS.length} rows)`, () => {
    expect(CLI_ROWS.length).toBeGreaterThanOrEqual(8);
    for (const [name, base, override, , path] of CLI_ROWS) {
      const file = join(dir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(deepMerge(structuredClone(base), override)));
      for (const args of [['validate', file], ['run', file, '--dry-run']]) {
        const r = runCli(args);
        expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(`${path} = `);
      }
    }
  }, 120_000);

  // refusals with no run-time throw behind them: the run would go ahead and waste or hide work
  it.each<[string, Record<string, unknown>, unknown, string, RegExp]>([
    ['a readout qubit listed twice', BLOBS, { teacher: { model: { readout: { type: 'linear', qubits: [0, 1, 0] } } } }, 'teacher.model.readout.qubits.2', /duplicate of .*\.0; list each value once/],
    ['a qubit twice in a parity group (Z·Z = 1)', BLOBS, { teacher: { model: { readout: { type: 'parity', groups: [[0, 1], [2, 2]] } } } }, 'teacher.model.readout.groups.1.1', /duplicate of .*\.0; list each value once/],
    ['a parity group listed twice', BLOBS, { teacher: { model: { readout: { type: 'parity', groups: [[0, 1], [0, 1]] } } } }, 'teacher.model.readout.groups.1', /duplicate of .*\.0; list each value once/],
    ['a parity group listed twice in another order (the same Z·Z)', BLOBS, { teacher: { model: { readout: { type: 'parity', groups: [[0, 1], [1, 0]] } } } }, 'teacher.model.readout.groups.1', /duplicate of .*\.0; list each value once/],
    ['a phase-grid value listed twice', PHASES, { data: { grid: { h: [0.5, 0.8, 0.5, 1.2, 1.5] } } }, 'data.grid.h.2', /duplicate of .*\.0; list each value once/],
    ['students with no method to train them', BLOBS, { methods: [] }, 'methods', /lists no way to train the students .*allowed: label, kd, kd-transfer, pseudo/],
    ['a student-size grid with no method', BLOBS, { students: [], methods: [], studentSweep: SWEEP }, 'methods', /lists no way to train the studentSweep/],
    ['a transfer set no run uses', BLOBS, { data: { labelled: 2, transfer: 2 }, methods: ['label', 'kd'] }, 'data.transfer', /no run uses the transfer set; its users are methods kd-transfer or pseudo/],
  ])('%s', (_name, base, override, path, message) => {
    expectConfigIssue(deepMerge(structuredClone(base), override), path, message);
  });

  it('the bond sweep\'s student alone needs no methods, and a used transfer set passes', () => {
    expect(() => resolveConfig(deepMerge(structuredClone(BLOBS), { methods: [], teacherBond: { chi: [1, 2], student: 's' } }))).not.toThrow();
    expect(() => resolveConfig(deepMerge(structuredClone(BLOBS), { data: { labelled: 2, transfer: 2 }, methods: ['label', 'pseudo'] }))).not.toThrow();
  });

  it('warns (stderr, exit 0) when methods that learn from the teacher have no label arm to compare with', () => {
    const file = join(dir, 'no-label-arm.json');
    writeFileSync(file, JSON.stringify(deepMerge(structuredClone(BLOBS), { methods: ['kd'] })));
    const r = runCli(['validate', file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: methods = \["kd"\] has no 'label' arm: the report cannot compare kd with label-only training/);
    expect(configWarnings(resolveConfig(BLOBS))).toEqual([]);
  });

  it('runExperiment checks a config built in code before anything trains (no output directory is made)', async () => {
    const c = resolveConfig(BLOBS);
    c.teacher!.model.readout = { type: 'qubits', qubits: [0, 7] };
    const out = join(dir, 'never');
    await expect(runExperiment(c, { workers: 1, resume: false, progress: 'none', quick: true, outDir: out })).rejects.toThrow(/teacher\.model\.readout\.qubits\.1 = 7: must be a qubit in \[0, 3\]/);
    expect(existsSync(out)).toBe(false);
  });
});
