/**
 * The experiment runner behind `qdistill run`: executes any experiment config, seed by seed,
 * and writes `results/<name>/` (`results/<name>/quick/` for quick runs) — one JSON file per finished run (atomic; `--resume` skips
 * them and resumes an interrupted run from its checkpoint), then `results.json`, `table.md`
 * and the figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { hashFloat64, hashJson } from '../infra/hash.js';
import { psKdAlpha, psKdTarget } from '../distill/losses.js';
import { loadOrComputeSoftLabels, type SoftLabelKeyParts, type SoftLabelSplit } from '../distill/soft-labels.js';
import { softmax } from '../qnn/loss.js';
import { QnnModel } from '../qnn/model.js';
import { makeQnnObjective, takeNumerics, type NumericsSummary } from '../distill/objective.js';
import type { EpochRecord } from '../train/loop.js';
import { writeFileAtomic } from '../infra/atomic.js';
import { QDISTILL_VERSION } from '../version.js';
import { assertRunnable, type ExperimentConfig, type ModelConfig, type Training } from './config.js';
import { InterruptedError, loadData, mapInputs, modelSpec, samplingSeedOf, trainModel, type ModelRun, type RunContext } from './build.js';
import { watchSigint } from '../infra/sigint.js';
import { assertMayWrite, defaultOutDir, readRunRecord, withRemedy } from './run-files.js';
import { hardwarePoints, hardwareRecord, modelAtPoint, type HardwarePoint, type HardwareRecord } from './hardware.js';

/** What one finished training run records. */
export interface RunRecord {
  /** Unique key, e.g. `seed-1/student/s16-pool/kd`. */
  key: string;
  seed: string | number;
  role: 'teacher' | 'student' | 'self' | 'bond' | 'hardware';
  /** Student or model name. */
  name: string;
  /** `label`, `kd`, `plain`, `snapshot`, `pskd`, `born-again-g2`, … */
  method: string;
  /** Teacher bond χ_T the soft labels came from (KD and bond runs); null: no cap (or not a KD run). */
  chiT: number | null;
  /** The model; `maxBond` null means no bond cap (JSON has no Infinity; inputs leave the field out). */
  model: { qubits: number; ansatz: string; layers: number; maxBond: number | null; params: number; features: number };
  inputMap: unknown;
  history: EpochRecord[];
  final: { train_accuracy: number | null; val_accuracy: number | null; test_accuracy: number | null; test_loss: number | null };
  /**
   * For KD and bond runs: what the teacher's soft labels looked like; `max_bond` is the
   * largest bond its states reached (null for a state-vector teacher, which has no bonds).
   */
  teacher: { test_accuracy: number; train_fidelity_mean: number; train_fidelity_min: number; max_bond: number | null } | null;
  /** Self-distillation: first epoch (1-based) whose validation accuracy reached the target. */
  epochsToTarget: number | null;
  /** Phase data: the phase predicted at every grid point (all splits), against the true label. */
  phaseMap: { params: Record<string, number>[]; label: number[]; predicted: number[] } | null;
  /** Wall-clock seconds of training, summed over every invocation that trained the run (`--resume`). */
  seconds: number;
  /** Seconds of each invocation that trained the run, in order (absent in records from before they were kept). */
  secondsPieces?: number[];
  /** The git commit that produced this run (runs reused by `--resume` keep their own). */
  gitCommit?: string;
  /** The engine's norm-drift alarm over this run's simulations (absent in records from before it was kept). */
  numerics?: NumericsSummary;
  /** Runs under shots or noise and hardware-sweep runs: the gradient method and the accuracy over shot seeds (absent: exact readouts, adjoint gradient). */
  hardware?: HardwareRecord;
}

/** The whole results file. */
export interface ExperimentResults {
  name: string;
  quick: boolean;
  config: ExperimentConfig;
  /** {@link runConfigHash} of the config: what `--resume` matches runs by. */
  configHash: string;
  qdistillVersion: string;
  gitCommit: string;
  node: string;
  startedAt: string;
  wallSeconds: number;
  /** CPU seconds of the process over the invocation, worker threads included (wall × cores at most). */
  cpuSeconds: number;
  workers: number;
  datasets: Record<string, unknown>;
  runs: RunRecord[];
  /** The norm-drift alarm over every simulation of the experiment (runs reused by --resume included). */
  numerics: NumericsSummary & { alarmedRuns: string[] };
}

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

const last = (h: EpochRecord[]) => h[h.length - 1];
function finalOf(h: EpochRecord[]): RunRecord['final'] {
  const r = last(h);
  return { train_accuracy: r?.train_accuracy ?? null, val_accuracy: r?.val_accuracy ?? null, test_accuracy: r?.test_accuracy ?? null, test_loss: r?.test_loss ?? null };
}
function modelInfo(m: ModelConfig, model: QnnModel, maxBond?: number): RunRecord['model'] {
  return { qubits: m.qubits, ansatz: m.ansatz.type, layers: m.ansatz.layers, maxBond: maxBond ?? m.maxBond ?? null, params: model.nParams, features: model.spec.features };
}

type PhaseData = Dataset & { points: Record<'train' | 'val' | 'test', { params: Record<string, number>; label: number }[]> };

/** Predicted phase at every grid point of a phase dataset (null for other data). */
async function phaseMapOf(run: ModelRun, data: Dataset, workers: number): Promise<RunRecord['phaseMap']> {
  const pd = data as PhaseData;
  if (!pd.points) return null;
  const obj = await makeQnnObjective(run.model, data, { workers, ...(run.samplingSeed !== undefined ? { seed: run.samplingSeed } : {}) });
  try {
    const out: NonNullable<RunRecord['phaseMap']> = { params: [], label: [], predicted: [] };
    for (const split of ['train', 'val', 'test'] as const) {
      const p = await obj.predict(run.params, split);
      pd.points[split].forEach((pt, i) => { out.params.push(pt.params); out.label.push(pt.label); out.predicted.push(argmaxOf(p.logits[i]!)); });
    }
    return out;
  } finally { await obj.close(); }
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions extends RunContext {
  /** Output directory (default `results/<name>`, `results/<name>/quick` for quick runs). */
  outDir?: string;
  /** Overwrite a finished full study in the output directory (see {@link assertMayWrite}). */
  force?: boolean;
  /** The config was resolved with `--quick`. */
  quick: boolean;
  /** Called with a one-line status message per finished run. */
  log?: (line: string) => void;
}

/**
 * Runs an experiment (config already resolved) and returns its results.
 * @throws ConfigError, before anything trains, when the config fails a check of
 *   {@link assertRunnable} (the same checks `qdistill validate` makes).
 * @throws ResultsFolderError, before anything trains, when the output directory holds a
 *   finished full study this invocation would overwrite (no `force`); during the run when a
 *   saved run record, checkpoint or cache is damaged (naming the file and what to do).
 */
export async function runExperiment(cfg: ExperimentConfig, options: RunExperimentOptions): Promise<{ results: ExperimentResults; outDir: string }> {
  assertRunnable(cfg);
  // a copy whose progressLabel names the run in progress (set by `once`)
  const opts: RunExperimentOptions = { ...options };
  const outDir = opts.outDir ?? defaultOutDir(cfg.name, opts.quick);
  const configHash = runConfigHash(cfg);
  assertMayWrite(outDir, { name: cfg.name, configHash, quick: opts.quick, resume: opts.resume, force: opts.force === true });
  mkdirSync(join(outDir, 'runs'), { recursive: true });
  const log = opts.log ?? (() => undefined);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const runs: RunRecord[] = [];
  const datasets: Record<string, unknown> = {};
  // A finished run is reused by --resume when the config, apart from its seed list and
  // description, is the same: adding seeds to a study then reruns only the new seeds.
  const commit = gitCommit();

  // the norm-drift alarm over every simulation of this invocation (runs record their own part)
  const alarm: NumericsSummary = { normDriftMax: 0, normDriftExceeded: false };
  const absorb = (n: NumericsSummary) => {
    alarm.normDriftMax = Math.max(alarm.normDriftMax, n.normDriftMax);
    alarm.normDriftExceeded ||= n.normDriftExceeded;
  };
  takeNumerics();

  /** Runs `fn` unless a finished record exists (with --resume); stores the record atomically. */
  const once = async (key: string, fn: () => Promise<RunRecord>): Promise<RunRecord> => {
    const file = join(outDir, 'runs', `${key.replaceAll('/', '__')}.json`);
    if (opts.resume && existsSync(file)) {
      const saved = readRunRecord<RunRecord>(file, key);
      if (saved.configHash === configHash) { runs.push(saved.record); log(`${key}: done earlier (resume)`); return saved.record; }
    }
    if (sigint.count() > 0) throw new InterruptedError(`interrupted before ${key} (every finished run is saved); rerun with --resume to continue`);
    absorb(takeNumerics()); // simulations before this run (or of an enclosing one) count for the experiment
    opts.progressLabel = key;
    const done = await fn();
    const rec = { ...done, gitCommit: commit, numerics: takeNumerics() };
    absorb(rec.numerics);
    await writeFileAtomic(file, JSON.stringify({ configHash, record: rec }));
    runs.push(rec);
    log(`${key}: test accuracy ${rec.final.test_accuracy?.toFixed(3) ?? '–'} (${rec.seconds.toFixed(1)} s)`);
    return rec;
  };
  const ckpt = (key: string) => join(outDir, 'checkpoints', key);
  const tr = (over?: Partial<Training>): Training => ({ ...cfg.training, ...(over ?? {}) });

  // With handleSigint, Ctrl-C between two runs stops before the next one (during a run the
  // training loop stops after its checkpoint); a second Ctrl-C kills the process at once.
  const sigint = watchSigint(opts.handleSigint === true);
  try {
    for (const seed of cfg.seeds) {
      const gsCache = join(outDir, 'cache', 'groundstates');
      const data = await loadData(cfg.data, seed, { cacheDir: gsCache, workers: opts.workers });
      datasets[String(seed)] = data.provenance;
      const dataHash = hashJson({ provenance: data.provenance });

      // --- self-distillation (E3) needs no teacher
      if (cfg.selfDistillation) await runSelfDistillation(cfg, seed, data, opts, once, ckpt, tr);
      if (!cfg.teacher) continue;

      // --- teacher
      let teacher: ModelRun | null = null;
      const teacherKey = `seed-${seed}/teacher`;
      const teacherCfg = cfg.teacher;
      const tcfg = teacherCfg.model;
      const teacherRec = await once(teacherKey, async () => {
        teacher = await trainModel(modelSpec(tcfg, data.features, data.classes), data, tr(teacherCfg.training), `${seed}/teacher`, ckpt(teacherKey), opts);
        return { key: teacherKey, seed, role: 'teacher', name: 'teacher', method: 'label', chiT: tcfg.maxBond ?? null, model: modelInfo(tcfg, teacher.model), inputMap: null, history: teacher.result.history, final: finalOf(teacher.result.history), teacher: null, epochsToTarget: null, phaseMap: await phaseMapOf(teacher, data, opts.workers), seconds: teacher.seconds, secondsPieces: teacher.secondsPieces };
      });
      // On resume the teacher's parameters come back from its checkpoint (final epoch).
      const teacherParams = async (): Promise<{ model: QnnModel; params: Float64Array }> => {
        if (teacher) return { model: teacher.model, params: teacher.params };
        const run = await trainModel(modelSpec(tcfg, data.features, data.classes), data, tr(teacherCfg.training), `${seed}/teacher`, ckpt(teacherKey), { ...opts, resume: true });
        teacher = run;
        return { model: run.model, params: run.params };
      };
      void teacherRec;

      /** Teacher soft labels on the train and test splits at bond χ, cached on disk. */
      const softLabels = async (chi: number | undefined): Promise<{ train: SoftLabelSplit; test: SoftLabelSplit; testAccuracy: number }> => {
        const { model, params } = await teacherParams();
        const spec = modelSpec(tcfg, data.features, data.classes, chi);
        // "no cap" and "never truncates" are spelled by leaving maxBond / cutoff out of the key
        const keyParts: SoftLabelKeyParts = {
          teacherHash: hashJson({ spec: model.spec, params: hashFloat64(params) }), datasetHash: dataHash,
          ...(chi !== undefined ? { maxBond: chi } : {}), ...(tcfg.backend === 'mps' && tcfg.cutoff !== undefined ? { cutoff: tcfg.cutoff } : {}),
        };
        const load = await loadOrComputeSoftLabels(join(outDir, 'cache'), keyParts, async () => {
          const tm = new QnnModel(spec);
          const obj = await makeQnnObjective(tm, data, { workers: opts.workers, ...(tm.stochastic ? { seed: samplingSeedOf(spec, `${seed}/teacher`) } : {}) });
          try {
            const a = await obj.predict(params, 'train');
            const b = await obj.predict(params, 'test');
            return { key: keyParts, splits: { train: { logits: a.logits, fidelity: a.fidelity, maxBond: a.maxBond }, test: { logits: b.logits, fidelity: b.fidelity, maxBond: b.maxBond } } };
          } finally { await obj.close(); }
        });
        const test = load.labels.splits['test']!;
        let correct = 0;
        test.logits.forEach((z, i) => { if (argmaxOf(z) === data.test.y[i]) correct++; });
        return { train: load.labels.splits['train']!, test, testAccuracy: correct / data.test.y.length };
      };
      const teacherSummary = (s: { train: SoftLabelSplit; testAccuracy: number }): NonNullable<RunRecord['teacher']> => ({
        test_accuracy: s.testAccuracy,
        train_fidelity_mean: mean(s.train.fidelity), train_fidelity_min: Math.min(...s.train.fidelity),
        max_bond: tcfg.backend === 'statevector' ? null : Math.max(...s.train.maxBond),
      });

      // --- students: label-only and KD
      const studentRun = async (role: 'student' | 'bond' | 'hardware', sIdx: number, method: 'label' | 'kd', chi?: number, point?: HardwarePoint): Promise<RunRecord> => {
        const s = cfg.students[sIdx]!;
        const key = role === 'bond' ? `seed-${seed}/bond/chi-${chi}/${s.name}` : role === 'hardware' ? `seed-${seed}/${point!.key}/${s.name}/${method}` : `seed-${seed}/student/${s.name}/${method}`;
        const sm = point ? modelAtPoint(s.model, point, cfg.hardwareSweep!) : s.model;
        return once(key, async () => {
          const base = s.sites !== undefined ? await loadData(cfg.data, seed, { sites: s.sites, cacheDir: gsCache, workers: opts.workers }) : data;
          const mapped = mapInputs(base, s.input);
          const spec = modelSpec(sm, mapped.data.features, data.classes);
          let tinfo: RunRecord['teacher'] = null;
          const run = await trainModel(spec, mapped.data, tr(s.training), `${seed}/${s.name}`, ckpt(key), opts, async (obj) => {
            if (method !== 'kd') return;
            const sl = await softLabels(chi ?? tcfg.maxBond);
            tinfo = teacherSummary(sl);
            obj.setLoss({ kind: 'kd', options: { T: cfg.kd.T, alpha: cfg.kd.alpha, scaleT2: cfg.kd.scaleT2 }, teacherLogits: sl.train.logits, ...(cfg.kd.fidelityWeighted ? { weights: sl.train.fidelity } : {}) });
          });
          const hw = point || run.model.stochastic ? { hardware: await hardwareRecord(run, sm, mapped.data, point ?? null, cfg.hardwareSweep?.evalRepeats ?? 5, opts.workers) } : {};
          return { key, seed, role, name: s.name, method, chiT: method === 'kd' ? chi ?? tcfg.maxBond ?? null : null, model: modelInfo(s.model, run.model), inputMap: mapped.map?.toJSON() ?? null, history: run.result.history, final: finalOf(run.result.history), teacher: tinfo, epochsToTarget: null, phaseMap: await phaseMapOf(run, mapped.data, opts.workers), seconds: run.seconds, secondsPieces: run.secondsPieces, ...hw };
        });
      };
      for (let i = 0; i < cfg.students.length; i++) for (const m of cfg.methods) await studentRun('student', i, m);

      // --- teacher bond sweep (E4)
      if (cfg.teacherBond) {
        const sIdx = cfg.students.findIndex((s) => s.name === cfg.teacherBond!.student);
        for (const chi of cfg.teacherBond.chi) await studentRun('bond', sIdx, 'kd', chi);
      }

      // --- hardware sweep (E7): the named student under shots and under two-qubit noise
      if (cfg.hardwareSweep) {
        const sIdx = cfg.students.findIndex((s) => s.name === cfg.hardwareSweep!.student);
        for (const pt of hardwarePoints(cfg.hardwareSweep)) for (const m of cfg.methods) await studentRun('hardware', sIdx, m, undefined, pt);
      }
    }
  } catch (e) {
    throw withRemedy(e);
  } finally {
    sigint.dispose();
  }
  absorb(takeNumerics());
  const numerics = {
    normDriftMax: Math.max(alarm.normDriftMax, ...runs.map((r) => r.numerics?.normDriftMax ?? 0)),
    normDriftExceeded: alarm.normDriftExceeded || runs.some((r) => r.numerics?.normDriftExceeded === true),
    alarmedRuns: runs.filter((r) => r.numerics?.normDriftExceeded === true).map((r) => r.key),
  };
  const results: ExperimentResults = {
    name: cfg.name, quick: opts.quick, config: cfg, configHash, qdistillVersion: QDISTILL_VERSION, gitCommit: commit, node: process.version,
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(), wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSince(cpu0), workers: opts.workers, datasets, runs, numerics,
  };
  await writeFileAtomic(join(outDir, 'results.json'), JSON.stringify(results, null, 1));
  return { results, outDir };
}

function cpuSince(c0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1e6;
}
function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}
function argmaxOf(z: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < z.length; i++) if (z[i]! > z[k]!) k = i;
  return k;
}
function epochsTo(h: EpochRecord[], target: number): number | null {
  const r = h.find((e) => (e.val_accuracy ?? -1) >= target);
  return r ? r.epoch : null;
}

type Once = (key: string, fn: () => Promise<RunRecord>) => Promise<RunRecord>;

/**
 * Self-distillation across snapshots (E3): plain training against snapshot KD (Yang et al.
 * 2019: cyclic lr, the last snapshot of each cycle teaches the next), PS-KD (Kim et al. 2021:
 * target (1−α_t)·y + α_t·p_{t−1}) and born-again generations (Furlanello et al. 2018).
 */
async function runSelfDistillation(cfg: ExperimentConfig, seed: string | number, data: Dataset, opts: RunExperimentOptions, once: Once, ckpt: (k: string) => string, tr: (o?: Partial<Training>) => Training): Promise<void> {
  const sd = cfg.selfDistillation!;
  const mapped = mapInputs(data, sd.input);
  const spec = modelSpec(sd.model, mapped.data.features, data.classes);
  const record = (key: string, method: string, run: ModelRun): RunRecord => ({
    key, seed, role: 'self', name: 'self', method, chiT: null, model: modelInfo(sd.model, run.model), inputMap: mapped.map?.toJSON() ?? null,
    history: run.result.history, final: finalOf(run.result.history), teacher: null, epochsToTarget: epochsTo(run.result.history, sd.targetAccuracy), phaseMap: null, seconds: run.seconds, secondsPieces: run.secondsPieces,
  });
  const kdOpts = { T: cfg.kd.T, alpha: cfg.kd.alpha, scaleT2: cfg.kd.scaleT2 };
  const base = tr();
  for (const method of sd.methods) {
    if (method === 'plain') {
      const key = `seed-${seed}/self/plain`;
      await once(key, async () => record(key, 'plain', await trainModel(spec, mapped.data, base, `${seed}/self`, ckpt(key), opts)));
    } else if (method === 'snapshot') {
      const key = `seed-${seed}/self/snapshot`;
      const t = { ...base, schedule: 'cyclic' as const, cycleEpochs: sd.cycleEpochs };
      await once(key, async () => record(key, 'snapshot', await trainModel(spec, mapped.data, t, `${seed}/self`, ckpt(key), opts, (obj) => {
        // At each cycle start (after the first), the current parameters — the last snapshot of
        // the previous cycle — become the teacher for the whole cycle.
        // At each cycle start after the first, the current parameters (the last snapshot of the
        // previous cycle) teach the whole cycle. After a resume in mid-cycle the teacher is
        // rebuilt from the parameters at the resumed epoch (documented approximation).
        let hasTeacher = false;
        obj.onEpochStart = async (epoch, params, o) => {
          if (epoch < sd.cycleEpochs) return;
          if (epoch % sd.cycleEpochs !== 0 && hasTeacher) return;
          const p = await o.predict(params, 'train');
          o.setLoss({ kind: 'kd', options: kdOpts, teacherLogits: p.logits });
          hasTeacher = true;
        };
      })));
    } else if (method === 'pskd') {
      const key = `seed-${seed}/self/pskd`;
      await once(key, async () => record(key, 'pskd', await trainModel(spec, mapped.data, base, `${seed}/self`, ckpt(key), opts, (obj) => {
        obj.onEpochStart = async (epoch, params, o) => {
          if (epoch === 0) { o.setLoss({ kind: 'ce' }); return; }
          const alpha = psKdAlpha(epoch, base.epochs, sd.alphaT);
          const p = await o.predict(params, 'train');
          o.setLoss({ kind: 'soft', targets: p.logits.map((z, i) => psKdTarget(mapped.data.train.y[i]!, softmax(z), alpha)) });
        };
      })));
    } else {
      // born-again: generation 0 is plain training; generation g learns from generation g−1.
      let prev: ModelRun | null = null;
      for (let g = 0; g <= sd.generations; g++) {
        const key = `seed-${seed}/self/born-again-g${g}`;
        const teacherRun: ModelRun | null = prev;
        const rec = await once(key, async () => {
          const run = await trainModel(spec, mapped.data, base, `${seed}/self/gen${g}`, ckpt(key), opts, async (obj) => {
            if (!teacherRun) return;
            const tObj = await makeQnnObjective(teacherRun.model, mapped.data, { workers: opts.workers, ...(teacherRun.samplingSeed !== undefined ? { seed: teacherRun.samplingSeed } : {}) });
            try {
              const p = await tObj.predict(teacherRun.params, 'train');
              obj.setLoss({ kind: 'kd', options: kdOpts, teacherLogits: p.logits });
            } finally { await tObj.close(); }
          });
          prev = run;
          return record(key, `born-again-g${g}`, run);
        });
        if (prev === teacherRun) {
          // resumed from a saved record: rebuild this generation's parameters from its checkpoint
          prev = await trainModel(spec, mapped.data, base, `${seed}/self/gen${g}`, ckpt(key), { ...opts, resume: true });
        }
        void rec;
      }
    }
  }
}
