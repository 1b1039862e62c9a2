/**
 * The experiment config format (JSON), validated with zod: unknown keys are rejected and every
 * problem is reported at once, each with its path, its value and what is allowed.
 *
 * One config states one study: the data, the teacher, the students (each with an explicit
 * input map), the methods (label-only, KD), optional self-distillation, teacher-bond, hardware
 * and student-size sweeps, the seeds, and a `quick` override merged in by `--quick`.
 */
import { SEED_NAME, SEED_RULE, isSeed, seedListProblem } from './seeds.js';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { DEFAULT_CONFIG_INIT_SCALE, DEFAULT_CUTOFF, DEFAULT_PHASE_DMRG } from '../backends/defaults.js';
import { semanticIssues } from './check.js';
import { studentSweepIssues } from './student-sweep.js';

/** An integer ≥ min; every failure (not a number, a fraction, too small) says so. */
const int = (min: number) => {
  const rule = `must be an integer ≥ ${min}`;
  return z.number({ error: (iss) => (iss.input === undefined ? `is required (an integer ≥ ${min})` : finiteRule(iss.input) ?? rule) }).int({ error: rule }).min(min, { error: rule });
};

/**
 * A list whose entries must differ (a method, a bond dimension, a shot count or a readout qubit
 * listed twice would train, sweep or read the same thing twice): each repeat is reported at its
 * own index, naming the entry it repeats. `key` says when two entries are the same (default:
 * equal JSON; a parity group is a set of qubits, so its key sorts them).
 */
function distinctList<T extends z.ZodType>(item: T, key: (v: z.infer<T>) => string = (v) => JSON.stringify(v)) {
  return z.array(item).superRefine((list, ctx) => {
    list.forEach((v, j) => {
      const i = list.findIndex((w) => key(w) === key(v));
      if (i < j) ctx.addIssue({ code: 'custom', path: [j], message: `repeats entry ${i} of the list; list each value once` });
    });
  });
}

/** The message for a number JSON cannot hold (a literal such as 1e400 parses to Infinity), else undefined. */
function finiteRule(input: unknown): string | undefined {
  return typeof input === 'number' && !Number.isFinite(input) ? 'must be a finite number (the JSON literal overflows or is not a number)' : undefined;
}

const TYPE_NAMES: Record<string, string> = { number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', object: 'an object', array: 'an array', record: 'an object' };
const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : String(v));

/**
 * zod error map of the config format: each message says what is allowed, in words ("must be
 * ≥ 1", "must be one of 'adam', 'sgd'", "unknown key 'lrr'; allowed: epochs, batchSize, …",
 * "is required (a number)"); the path and the value are added by {@link ConfigError}.
 * Messages given on a schema itself (e.g. the bond cap's) take precedence.
 */
export function configErrorMap(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type': {
      const what = TYPE_NAMES[iss.expected] ?? iss.expected;
      if (iss.input === undefined) return `is required (${what})`;
      return finiteRule(iss.input) ?? `must be ${what}`;
    }
    case 'too_small':
    case 'too_big': {
      const small = iss.code === 'too_small';
      const bound = small ? (iss as { minimum: number | bigint }).minimum : (iss as { maximum: number | bigint }).maximum;
      const inclusive = iss.inclusive !== false;
      if (iss.origin === 'array' || iss.origin === 'set') return `must have ${small ? 'at least' : 'at most'} ${bound} item(s)`;
      if (iss.origin === 'string') return small && Number(bound) === 1 ? 'must not be empty' : `must have ${small ? 'at least' : 'at most'} ${bound} character(s)`;
      return `must be ${small ? (inclusive ? '≥' : '>') : (inclusive ? '≤' : '<')} ${bound}`;
    }
    case 'invalid_value':
      return iss.values.length === 1 ? `must be ${show(iss.values[0])}` : `must be one of ${iss.values.map(show).join(', ')}`;
    case 'unrecognized_keys': {
      const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      const keys = iss.keys.map((k) => `'${k}'`).join(', ');
      return `unknown key${iss.keys.length > 1 ? 's' : ''} ${keys}${shape ? `; allowed: ${Object.keys(shape).join(', ')}` : ''}`;
    }
    case 'invalid_union': {
      const u = iss as { discriminator?: string; errors: { code: string; values?: unknown[]; message: string }[][]; inst?: { _zod?: { propValues?: Record<string, Set<unknown>> } } };
      if (u.discriminator !== undefined) {
        const allowed = [...(u.inst?._zod?.propValues?.[u.discriminator] ?? [])];
        return allowed.length ? `must be one of ${allowed.map(show).join(', ')}` : undefined;
      }
      const firsts = u.errors.map((e) => e[0]).filter((e) => e !== undefined);
      if (firsts.length > 0 && firsts.every((e) => e.code === 'invalid_value')) return `must be one of ${firsts.flatMap((e) => e.values ?? []).map(show).join(', ')}`;
      const alternatives = [...new Set(firsts.map((e) => e.message.replace(/^must be /, '')))];
      return alternatives.length ? `must be ${alternatives.join(' or ')}` : undefined;
    }
    default:
      return undefined;
  }
}
/** What a model's bond cap must be; "no cap" is spelled only by leaving `maxBond` out. */
const BOND_CAP_RULE = 'must be an integer ≥ 1; leave maxBond out for no bond cap (0, null and Infinity are not accepted spellings of it)';
const bondCap = () => z.number({ error: BOND_CAP_RULE }).int({ error: BOND_CAP_RULE }).min(1, { error: BOND_CAP_RULE });

/** Optimisation settings of one training run. */
export const TrainingSchema = z.strictObject({
  epochs: int(1).optional().describe('Number of epochs; required unless steps is given (give one of the two)'),
  steps: int(1).optional().describe('Optimizer steps of every run, whatever its training-set size (the last epoch stops inside once they are spent; each run\'s epochs follow from its size); cosine and cyclic schedules span these steps. Not with epochs, nor with selfDistillation'),
  batchSize: int(1).describe('Samples per minibatch'),
  lr: z.number().positive().describe('Peak learning rate'),
  optimizer: z.enum(['adam', 'sgd']).default('adam'),
  schedule: z.enum(['constant', 'cosine', 'cyclic']).default('cosine'),
  lrMin: z.number().min(0).default(0).describe('Floor of the cosine and cyclic schedules'),
  cycleEpochs: int(1).optional().describe('Cycle length of the cyclic schedule (epoch-based training)'),
  cycleSteps: int(1).optional().describe('Cycle length of the cyclic schedule in optimizer steps (with steps; default ⌊steps / 3⌋)'),
  validateEvery: int(1).optional().describe('Validate every this many optimizer steps (recorded as val_steps in the history); off when omitted'),
  evalEvery: int(1).optional().describe('Evaluate the training and test splits only at the end of an epoch that crosses a multiple of this many optimizer steps, and at the end of training (validation stays every epoch); every epoch when omitted. For step budgets over small training sets'),
});

/**
 * Per-model overrides of the top-level training block: every field optional and without a
 * default, so an unset field is inherited from `training` (never reset to a default).
 */
export const TrainingOverrideSchema = z.strictObject({
  epochs: int(1).optional(),
  steps: int(1).optional(),
  batchSize: int(1).optional(),
  lr: z.number().positive().optional(),
  optimizer: z.enum(['adam', 'sgd']).optional(),
  schedule: z.enum(['constant', 'cosine', 'cyclic']).optional(),
  lrMin: z.number().min(0).optional(),
  cycleEpochs: int(1).optional(),
  cycleSteps: int(1).optional(),
  validateEvery: int(1).optional(),
  evalEvery: int(1).optional(),
}).describe('Overrides of the top-level training block; unset fields are inherited from it (epochs and steps are one budget: setting one drops the inherited other)');

/** A QNN architecture; `features` comes from the data (after the input map). */
export const ModelSchema = z.strictObject({
  qubits: int(1),
  encoding: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('angle'), rotation: z.enum(['ry', 'rx']).default('ry'), scale: z.number().default(Math.PI) }),
    z.strictObject({ type: z.literal('dense'), scale: z.number().default(Math.PI) }),
    z.strictObject({ type: z.literal('mps') }).describe('The input is a state (phase datasets): the model starts from it'),
  ]).default({ type: 'angle', rotation: 'ry', scale: Math.PI }),
  ansatz: z.strictObject({
    type: z.enum(['hardware-efficient', 'ry', 'qcnn']),
    layers: int(0).default(1),
    entangler: z.enum(['cz', 'cx']).default('cz'),
    reuploadEvery: int(1).optional(),
    readoutQubits: int(1).optional(),
  }),
  readout: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('qubits'), qubits: distinctList(int(0)).optional() }),
    z.strictObject({ type: z.literal('parity'), groups: distinctList(distinctList(int(0)), (g) => JSON.stringify([...g].sort((a, b) => a - b))) }),
    z.strictObject({ type: z.literal('linear'), qubits: distinctList(int(0)) }),
  ]).default({ type: 'qubits' }),
  backend: z.enum(['mps', 'statevector']).default('mps'),
  maxBond: bondCap().optional().describe('MPS bond cap χ; omit it for no cap (the only spelling of "no cap"). Not allowed with the statevector backend'),
  cutoff: z.number().min(0).lt(1).optional().describe(`Relative discarded-weight bound per truncation (default ${DEFAULT_CUTOFF} with the mps backend). Not allowed with the statevector backend`),
  initScale: z.number().min(0).default(DEFAULT_CONFIG_INIT_SCALE),
  shots: int(1).max(1_000_000).optional().describe('Readouts estimated from this many shots per input (MPS sampler), in training and evaluation; gradients then by the parameter shift. mps backend only'),
  noise: z.record(z.string(), z.unknown()).optional().describe('Gate and readout noise: the noise block of `qdistill simulate --noise FILE` (oneQubit, twoQubit, gates, readout), run as quantum trajectories. mps backend only'),
  trajectories: int(1).max(100_000).optional().describe('Quantum trajectories per evaluation under noise (default 16)'),
  samplingSeed: z.union([int(0), z.string()]).optional().describe('Seed of the shots and trajectories (default 0), combined with the run seed'),
  gradient: z.enum(['auto', 'parameter-shift', 'trajectory-adjoint']).optional().describe("Training gradient under shots or noise (exact readouts always train by the adjoint): auto (default) runs trajectory-adjoint (the adjoint on realized trajectories) under Pauli-only noise (depolarizing, phaseDamping, readout) without shots and parameter-shift under shots or amplitudeDamping; trajectory-adjoint is refused with shots or amplitudeDamping. A forced method needs the mps backend"),
});

/** Student training methods: see {@link ExperimentSchema}'s `methods`. */
export const STUDENT_METHODS = ['label', 'kd', 'kd-transfer', 'pseudo'] as const;
/** A student training method. */
export type StudentMethod = (typeof STUDENT_METHODS)[number];
/** Methods that train on the teacher's outputs (and so depend on its soft labels). */
export const TEACHER_METHODS: readonly StudentMethod[] = ['kd', 'kd-transfer', 'pseudo'];
/** Methods that also train on the transfer set (`data.transfer`), labelled by the teacher. */
export const TRANSFER_METHODS: readonly StudentMethod[] = ['kd-transfer', 'pseudo'];

/**
 * The teacher's training sets (`teacher.trainingSet`): `labelled`, the students' labelled
 * training split; `labelled+transfer`, that split plus the transfer set with its true labels.
 */
export const TEACHER_TRAINING_SETS = ['labelled', 'labelled+transfer'] as const;
/** A teacher training set: see {@link TEACHER_TRAINING_SETS}. */
export type TeacherTrainingSet = (typeof TEACHER_TRAINING_SETS)[number];

/** Labelled training samples per class (a data regime, src/data/regime.ts); absent or 'all': the whole training split. */
const LabelledSchema = z.union([int(1), z.literal('all')]).describe("Labelled training samples per class drawn from the training split (seeded, stratified); 'all' or absent keeps every one");

/** Unlabelled transfer samples per class (a data regime); needs a numeric `labelled`. */
const TransferCountSchema = int(0).describe('Unlabelled transfer samples per class, disjoint from the labelled ones; the teacher labels them (methods kd-transfer and pseudo)');

/** Where the data comes from. */
export const DataSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('mnist'),
    classes: z.array(int(0).max(9)).min(2),
    perClass: z.strictObject({ train: int(1), val: int(1), test: int(1) }),
    size: z.union([z.literal(28), z.literal(14), z.literal(8), z.literal(4)]),
    labelled: LabelledSchema.optional(),
    transfer: TransferCountSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('phases'),
    model: z.enum(['tfim', 'cluster-ising']).describe('Hamiltonian; labels come from its exact phase boundary'),
    n: int(4).describe('Sites of the ground states (the teacher\'s qubits)'),
    grid: z.record(z.string(), distinctList(z.number()).min(1)).describe('Parameter values; every combination is one sample'),
    split: z.strictObject({ val: z.number().min(0).max(0.5), test: z.number().min(0).max(0.5) }).default({ val: 0.2, test: 0.3 }),
    dmrg: z.strictObject({ maxBond: int(1).default(DEFAULT_PHASE_DMRG.maxBond), cutoff: z.number().min(0).lt(1).default(DEFAULT_PHASE_DMRG.cutoff), maxSweeps: int(1).default(DEFAULT_PHASE_DMRG.maxSweeps) }).default({ ...DEFAULT_PHASE_DMRG }),
    transfer: z.strictObject({ window: z.number().min(0).describe('Half-width in h/J (h1/J) around the transition at 1') }).optional().describe('Points with |h/J − 1| ≤ window form the unlabelled transfer set (no labels used in training)'),
  }),
  z.strictObject({
    type: z.literal('blobs'),
    classes: int(2), features: int(1), nTrain: int(1), nVal: int(1), nTest: int(1), separation: z.number().positive(),
    labelled: LabelledSchema.optional(),
    transfer: TransferCountSchema.optional(),
  }),
]);

/** The teacher → student input map, fitted on the training split only. */
export const InputMapSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('avgPool'), to: int(1) }),
  z.strictObject({ kind: z.literal('pca'), components: int(1) }),
  z.strictObject({ kind: z.literal('subset'), indices: z.array(int(0)).min(1) }),
]);

/** Knowledge-distillation options (Hinton et al. 2015). */
export const KdSchema = z.strictObject({
  T: z.union([z.number().positive(), z.array(z.number().positive()).min(1)]).default(2).describe('Temperature; a list makes a validation grid (with alpha): every (T, α) is trained and the best on validation is kept'),
  alpha: z.union([z.number().min(0).max(1), z.array(z.number().min(0).max(1)).min(1)]).default(0.5).describe('Weight of the soft term; a list makes a validation grid (with T)'),
  scaleT2: z.boolean().default(true),
  fidelityWeighted: z.boolean().default(false).describe('Weight each sample’s KD term by the teacher’s fidelity estimate'),
});

const StudentSchema = z.strictObject({
  name: z.string().min(1),
  model: ModelSchema,
  input: InputMapSchema.optional(),
  sites: int(4).optional().describe('Phase data: the student reads n_S-site ground states of the same Hamiltonians'),
  training: TrainingOverrideSchema.optional(),
});

/**
 * A model template of the student-size sweep: a model without `qubits` and `ansatz.layers`
 * (each grid point sets them) and with an optional readout (omitted: a linear head on every
 * qubit of each grid student, which suits every qubit count).
 */
const SweepModelSchema = ModelSchema.omit({ qubits: true, ansatz: true, readout: true }).extend({
  ansatz: ModelSchema.shape.ansatz.omit({ layers: true }).describe('The ansatz of every grid student; its layers come from studentSweep.layers'),
  readout: ModelSchema.shape.readout.removeDefault().optional().describe('Readout of every grid student; omitted: a linear head on every qubit'),
});

/** The student-size report's target when `studentSweep.targetFraction` is not given: 95% of the teacher's mean test accuracy. */
export const DEFAULT_SIZE_TARGET_FRACTION = 0.95;

/**
 * The student-size sweep (how small a student can be and still come near the teacher): students
 * on every (qubits, layers) pair of the grid, named `q<qubits>-l<layers>`, built from one model
 * template and one input-map kind, trained like the study's other students with every method of
 * `methods`. Training overrides apply to every grid student (e.g. `validateEvery` for the steps
 * to target).
 */
export const StudentSweepSchema = z.strictObject({
  qubits: z.array(int(1)).min(1).describe('Qubit counts of the grid'),
  layers: z.array(int(0)).min(1).describe('Ansatz layer counts of the grid'),
  input: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('pca') }).describe('PCA with one component per qubit (components = the grid point\'s qubits)'),
    z.strictObject({ kind: z.literal('avgPool') }).describe('Average pooling to √qubits × √qubits (square qubit counts only)'),
  ]).optional().describe('The input map of each grid student, sized by its qubit count; omitted: the raw features'),
  model: SweepModelSchema,
  training: TrainingOverrideSchema.optional(),
  targetFraction: z.number().gt(0).max(1).default(DEFAULT_SIZE_TARGET_FRACTION).describe("The report's target: this fraction of the teacher's mean test accuracy (steps to target: of its mean final validation accuracy)"),
});

/** One seed: every value that is not one (wrong type, negative, fractional, unsafe, a bad name) gets the one rule. */
const seedRule = `must be ${SEED_RULE}`;
const SeedSchema = z.union([
  z.int({ error: seedRule }).min(0, { error: seedRule }),
  z.string({ error: seedRule }).regex(SEED_NAME, { error: seedRule }),
], { error: () => seedRule });

/** A complete experiment. */
export const ExperimentSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'),
  description: z.string().optional(),
  seeds: z.array(SeedSchema).min(1).superRefine((list, ctx) => {
    // entries that are not seeds are reported once each by SeedSchema; here only repeats
    if (!list.every(isSeed)) return;
    const bad = seedListProblem(list);
    if (bad) ctx.addIssue({ code: 'custom', path: [bad.index], message: bad.problem });
  }).describe(`The run seeds: each ${SEED_RULE}, none twice`),
  data: DataSchema,
  training: TrainingSchema,
  teacher: z.strictObject({
    model: ModelSchema,
    training: TrainingOverrideSchema.optional(),
    trainingSet: z.enum(TEACHER_TRAINING_SETS).optional().describe("The teacher's training set: 'labelled' (the default when absent), the students' labelled set; 'labelled+transfer', the labelled set plus the transfer set with its true labels (a teacher trained on more labels than the students see; they get the transfer set unlabelled). 'labelled+transfer' needs a transfer set (data.transfer)"),
  }).optional().describe('Omit for self-distillation-only studies'),
  students: z.array(StudentSchema).default([]),
  methods: distinctList(z.enum(STUDENT_METHODS)).default(['label', 'kd']).describe("label: cross-entropy on the labelled set; kd: Hinton KD on it; kd-transfer: Hinton KD on the labelled set plus the teacher-labelled transfer set; pseudo: cross-entropy with the teacher's hard labels on the transfer set (a control)"),
  kd: KdSchema.default({ T: 2, alpha: 0.5, scaleT2: true, fidelityWeighted: false }),
  selfDistillation: z.strictObject({
    model: ModelSchema,
    input: InputMapSchema.optional(),
    methods: distinctList(z.enum(['plain', 'cyclic', 'snapshot', 'pskd', 'born-again'])).min(1).describe("plain: cross-entropy; cyclic: cross-entropy with snapshot KD's cyclic learning rate (the control that separates the schedule from the snapshots' teaching); snapshot, pskd, born-again: self-distillation"),
    cycleEpochs: int(1).default(3).describe('Snapshot KD: cycle length of the cyclic schedule'),
    alphaT: z.number().min(0).max(1).default(0.8).describe('PS-KD final α'),
    generations: int(1).default(2).describe('Born-again: number of generations after the first'),
    targetAccuracy: z.number().min(0).max(1).describe('A fixed validation-accuracy target: each run records its epochs to it (epochsToTarget in results.json), and the report uses it as the time-to-event target only when the study has no plain runs (else targetFraction × plain training\'s final validation accuracy)'),
    targetFraction: z.number().gt(0).max(1).optional().describe("Time-to-event target of the report: this fraction of plain training's final validation accuracy (mean over seeds); 0.95 when omitted"),
  }).optional(),
  teacherBond: z.strictObject({
    chi: distinctList(int(1)).min(1),
    student: z.string().describe('Name of the student trained by KD from each χ_T'),
    method: z.enum(['kd', 'kd-transfer', 'pseudo']).optional().describe("How the student learns from the teacher at each χ_T (as in methods): kd on the labelled set, kd-transfer on the labelled plus the teacher-labelled transfer set, pseudo with the teacher's hard labels on the transfer set (default kd)"),
  }).optional(),
  hardwareSweep: z.strictObject({
    student: z.string().describe('Name of the student trained at every point (label-only and KD, as in methods)'),
    shots: distinctList(int(1).max(1_000_000)).default([]).describe('Shots per input (exact gates); readouts from the MPS sampler, gradients by the parameter shift'),
    depolarizing2q: distinctList(z.number().min(0).max(16 / 15)).default([]).describe("Qiskit Aer depolarizing_error(P, 2) after every two-qubit gate (exact readouts, quantum trajectories)"),
    trajectories: int(1).max(100_000).default(16).describe('Trajectories per evaluation at the depolarizing points'),
    evalRepeats: int(1).max(1000).default(5).describe('Test accuracy is measured under this many shot/trajectory seeds'),
  }).optional().describe('Hardware study (E7): the student under finite shots and under two-qubit depolarizing noise'),
  studentSweep: StudentSweepSchema.optional().describe('Student-size study (finding 2): a grid of students, qubits × layers, each trained with every method in methods'),
  quick: z.record(z.string(), z.unknown()).optional().describe('Overrides deep-merged into the config by --quick'),
});

export type Training = z.infer<typeof TrainingSchema>;
export type ModelConfig = z.infer<typeof ModelSchema>;
export type DataConfig = z.infer<typeof DataSchema>;
export type InputMapConfig = z.infer<typeof InputMapSchema>;
export type KdConfig = z.infer<typeof KdSchema>;
export type StudentConfig = z.infer<typeof StudentSchema>;
/** A validated experiment config with every default filled in (see {@link ExperimentSchema}). */
export type ExperimentConfig = z.infer<typeof ExperimentSchema>;

/** A config problem: path, value and message. */
export interface ConfigIssue { path: string; value: unknown; message: string }

/** Thrown with every problem of a config at once. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly file: string, readonly issues: ConfigIssue[]) {
    // JSON would print NaN and ±Infinity (e.g. a literal 1e400) as null: show numbers as they are
    const show = (v: unknown): string => (typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v));
    super(`${file}: ${issues.length} problem(s): ` + issues.map((i) => `${i.path || '(top level)'} = ${show(i.value)}: ${i.message}`).join('; '));
  }
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = obj;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Deep merge of plain objects (arrays and scalars in `b` replace those in `a`). */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
    return out;
  }
  return b === undefined ? a : b;
}

/**
 * The budget field that an override of a training block (a run's `training`, or the `quick`
 * block's) removes from the block it overrides: the budget is one setting in either unit, so an
 * override that sets `epochs` and not `steps` drops `steps`, one that sets `steps` and not
 * `epochs` drops `epochs`; null when it sets both or neither (a field set to `undefined` counts
 * as not set).
 */
export function budgetFieldReplaced(over: { epochs?: unknown; steps?: unknown }): 'epochs' | 'steps' | null {
  const epochs = over.epochs !== undefined, steps = over.steps !== undefined;
  return epochs && !steps ? 'steps' : steps && !epochs ? 'epochs' : null;
}

/**
 * The config the `quick` block is merged into: when the block's training sets the budget in one
 * unit (`epochs` or `steps`) and not the other, the main config's other one is dropped, so a
 * quick variant can give its budget in either unit.
 */
function quickBase(raw: Record<string, unknown>, q: unknown): Record<string, unknown> {
  const qt = q && typeof q === 'object' ? (q as Record<string, unknown>)['training'] : undefined;
  const t = raw['training'];
  if (!qt || typeof qt !== 'object' || !t || typeof t !== 'object') return raw;
  const drop = budgetFieldReplaced(qt);
  if (drop === null || !(drop in t)) return raw;
  const { [drop]: _dropped, ...rest } = t as Record<string, unknown>;
  return { ...raw, training: rest };
}

/**
 * Validates a parsed config (with `--quick` overrides applied first when asked) and returns it
 * with every default filled in. Besides the schema, it runs every check `run` would make on
 * the config (qubit ranges, readout groups, input-map sizes, phase-data sites, model memory,
 * backend limits, learning-rate schedules, data sizes), so `validate`, `run --dry-run` and
 * `run` reject the same configs before anything trains.
 * @throws ConfigError listing every problem with its full path, value and what is allowed.
 */
export function resolveConfig(raw: unknown, opts: { quick?: boolean; file?: string } = {}): ExperimentConfig {
  const file = opts.file ?? 'config';
  let input = raw;
  let q: unknown;
  if (opts.quick && raw && typeof raw === 'object' && 'quick' in raw) {
    q = (raw as { quick?: unknown }).quick;
    input = deepMerge(quickBase(raw as Record<string, unknown>, q), q);
  }
  // under --quick, a problem whose value the quick block sets is named where it is written
  // (`quick.seeds.1`, not `seeds.1`, which the full config may have right)
  const fromQuick = (i: ConfigIssue): boolean => {
    if (i.path === '' || i.value === undefined) return false;
    const there = valueAt(q, i.path.split('.'));
    // unknown keys are reported at their object, with the keys as the value
    const unknownKeys = Array.isArray(i.value) && i.value.length > 0 && there !== null && typeof there === 'object' && !Array.isArray(there) && i.value.every((k) => typeof k === 'string' && Object.hasOwn(there, k));
    return unknownKeys || isDeepStrictEqual(there, i.value);
  };
  const located = (issues: ConfigIssue[]): ConfigError => new ConfigError(file, q === undefined ? issues : issues.map((i) => (fromQuick(i) ? { ...i, path: `quick.${i.path}` } : i)));
  const r = ExperimentSchema.safeParse(input, { error: configErrorMap });
  if (!r.success) {
    throw located(r.error.issues.map((i) => {
      const value = i.code === 'unrecognized_keys' ? i.keys : valueAt(input, i.path);
      // a discriminator's path ends at the object; name the field itself
      const path = i.code === 'invalid_union' && 'discriminator' in i && typeof i.discriminator === 'string' && !i.path.includes(i.discriminator) ? [...i.path, i.discriminator] : i.path;
      // a repeat in a distinct list names the entry it repeats by its full path, as the other duplicate checks do
      const repeat = /^repeats entry (\d+) of the list; (.*)$/.exec(i.message);
      const message = repeat ? `duplicate of ${[...path.slice(0, -1).map(String), repeat[1]].join('.')}; ${repeat[2]}` : i.message;
      return { path: path.map(String).join('.'), value: path === i.path ? value : valueAt(input, path), message };
    }));
  }
  const c = r.data;
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  c.students.forEach((s, i) => {
    if (names.has(s.name)) issues.push({ path: `students.${i}.name`, value: s.name, message: 'student names must be unique' });
    names.add(s.name);
  });
  const phases = c.data.type === 'phases';
  const checkModel = (m: ModelConfig, path: string) => {
    if (phases !== (m.encoding.type === 'mps')) issues.push({ path: `${path}.encoding.type`, value: m.encoding.type, message: phases ? "must be 'mps' for phase data" : "'mps' needs phase data (data.type = 'phases')" });
  };
  if (c.teacher) checkModel(c.teacher.model, 'teacher.model');
  c.students.forEach((s, i) => {
    checkModel(s.model, `students.${i}.model`);
    if (s.sites !== undefined && !phases) issues.push({ path: `students.${i}.sites`, value: s.sites, message: 'only for phase data' });
    if (phases && s.input) issues.push({ path: `students.${i}.input`, value: s.input, message: 'input maps apply to feature data; use sites for phase data' });
  });
  if (c.selfDistillation) checkModel(c.selfDistillation.model, 'selfDistillation.model');
  if (!c.teacher && c.students.length) issues.push({ path: 'teacher', value: undefined, message: 'students need a teacher' });
  if (c.teacherBond && !names.has(c.teacherBond.student)) {
    issues.push({ path: 'teacherBond.student', value: c.teacherBond.student, message: `must name a student; allowed: ${[...names].join(', ') || '(none defined)'}` });
  }
  const hw = c.hardwareSweep;
  if (hw) {
    const si = c.students.findIndex((s) => s.name === hw.student);
    if (si < 0) issues.push({ path: 'hardwareSweep.student', value: hw.student, message: `must name a student; allowed: ${[...names].join(', ') || '(none defined)'}` });
    else if (c.students[si]!.model.backend !== 'mps') issues.push({ path: `students.${si}.model.backend`, value: c.students[si]!.model.backend, message: "must be 'mps' for the hardware sweep (shots use the MPS sampler, noise runs as trajectories on the MPS)" });
    if (!hw.shots.length && !hw.depolarizing2q.length) issues.push({ path: 'hardwareSweep', value: hw, message: 'needs at least one point in shots or depolarizing2q' });
    // the sweep's shot points add shots to the student: a forced trajectory adjoint cannot run there
    if (si >= 0 && c.students[si]!.model.gradient === 'trajectory-adjoint' && hw.shots.length) issues.push({ path: `students.${si}.model.gradient`, value: 'trajectory-adjoint', message: "must be 'auto' or 'parameter-shift' with hardwareSweep.shots (sampled readouts have no adjoint)" });
  }
  issues.push(...studentSweepIssues(c));
  if (issues.length) throw located(issues);
  // An MPS model without a cutoff gets the default; truncation settings on a state-vector
  // model are an error (semanticIssues), never ignored.
  const models: [ModelConfig, string][] = [
    ...(c.teacher ? [[c.teacher.model, 'teacher.model'] as [ModelConfig, string]] : []),
    ...c.students.map((s, i): [ModelConfig, string] => [s.model, `students.${i}.model`]),
    ...(c.selfDistillation ? [[c.selfDistillation.model, 'selfDistillation.model'] as [ModelConfig, string]] : []),
  ];
  for (const [m] of models) if (m.backend === 'mps' && m.cutoff === undefined) m.cutoff = DEFAULT_CUTOFF;
  if (c.studentSweep && c.studentSweep.model.backend === 'mps' && c.studentSweep.model.cutoff === undefined) c.studentSweep.model.cutoff = DEFAULT_CUTOFF;
  // Everything `run` would check later (truncation settings on the state vector, qubit ranges,
  // readouts, input maps, sites, memory, schedules, data sizes), with full paths, before
  // anything trains.
  const semantic = semanticIssues(c);
  if (semantic.length) throw located(semantic);
  return c;
}

/**
 * Throws a ConfigError when a resolved config would fail in `run` (see {@link resolveConfig},
 * which already does this); for configs built or edited in code before `runExperiment`.
 */
export function assertRunnable(c: ExperimentConfig, file = 'config'): void {
  const issues = semanticIssues(c);
  if (issues.length) throw new ConfigError(file, issues);
}

/** The JSON Schema of the config format (for editors), generated from the zod schema. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(ExperimentSchema, { io: 'input', unrepresentable: 'any' });
}
