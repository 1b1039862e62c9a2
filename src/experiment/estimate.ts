/**
 * Time and memory estimates for `qdistill run --dry-run`, calibrated on the machine that runs
 * them. A micro-benchmark at start ({@link calibrate}, tens of milliseconds) times the engine's
 * two-site split — the fixed cost of one two-qubit gate and the flop rate of the split of a
 * 2χ×2χ matrix — and the forward pass and adjoint gradient of every model of the config at its
 * initial parameters, after warm-up calls (a model's first calls run several times slower than
 * the thousands a training run makes; the workers' own warm-up is part of the overhead per
 * run). Each run then costs
 *
 *   epochs · (train · t_grad + (train + val + test) · t_fwd + overhead per epoch) + overhead per run
 *
 * (plus the passes its method adds: PS-KD and snapshot teachers, born-again generations, phase
 * maps, teacher soft labels, DMRG of phase data), divided by the worker threads that can run
 * at once. Kernels are timed in CPU time; the ratio of wall to CPU time while timing (the load
 * other processes put on the machine) multiplies the result. Two figures per run: `seconds`
 * with the bonds as initialised (training from small angles keeps them near there in short
 * runs), and `secondsHigh` with every bond saturated at min(maxBond, χ_in·4^layers, 2^(n/2)),
 * χ_in being the bond of ground-state inputs (1 for product encodings) — the top of the range.
 * State-vector models have no bonds: both figures use the measured forward pass.
 */
import { availableParallelism } from 'node:os';
import { applyTwoSiteInPlace, gateMatrix, makeRng, Mps, mpsMemoryBytes, runCircuitInPlace } from '../../mps/index.js';
import { brickworkCircuit } from '../circuit/brickwork.js';
import { QnnModel } from '../qnn/model.js';
import { phaseSplitCounts } from '../data/phases.js';
import { hardwarePoints, modelAtPoint } from './hardware.js';
import { studentsOf } from './student-sweep.js';
import { buildCircuit } from '../qnn/spec.js';
import { TEACHER_METHODS, TRANSFER_METHODS, type ExperimentConfig, type ModelConfig, type Training } from './config.js';
import { mergeTraining, modelSpec } from './build.js';
import { KD_GRID_METHODS, kdGrid, kdIsGrid } from './kd-grid.js';
import { epochsOf, trainTestEvaluations } from '../train/loop.js';

/**
 * Fixed cost of one training run outside its epochs (worker start-up, data mapping, objective
 * set-up), seconds on an unloaded core; fitted to the quick studies on a 2-core machine (wall
 * times there, at about 2× load, halved). Multiplied by the load like the rest.
 */
export const RUN_OVERHEAD_SECONDS = 0.3;
/** Fixed cost of one epoch beyond its simulations (minibatch messages, evaluation bookkeeping), seconds (as above). */
export const EPOCH_OVERHEAD_SECONDS = 0.1;
/** Fixed cost of one invocation beyond its runs (data loading, git, results and figures), seconds per seed (as above). */
export const SEED_OVERHEAD_SECONDS = 0.75;
/**
 * Bond assumed for ground-state inputs and DMRG in the central estimate: gapped states away
 * from the critical point stay far below the DMRG cap (the top of the range uses the cap).
 */
export const TYPICAL_GROUND_STATE_BOND = 8;

/** What {@link calibrate} measured. */
export interface Calibration {
  /** Seconds of one two-qubit gate on bond 1 (the fixed cost of a split). */
  gateSeconds: number;
  /** Sustained GFLOP/s of the split at bond 16 (nominal 4·(2χ)³ flops per gate). */
  gflops: number;
  /** Milliseconds the calibration took. */
  ms: number;
  /**
   * Wall seconds per CPU second while it ran (≥ 1; 2 when another process shared the core half
   * the time): CPU-time estimates are multiplied by it.
   */
  load: number;
}

/**
 * Calls of a model's forward pass or gradient made before it is timed (at most; see
 * {@link timeIt}): its per-call time settles after some tens of calls.
 */
export const WARM_UP_CALLS = 80;

/**
 * Timed batches per measurement, at least (even past the budget): the fastest of several keeps a
 * garbage-collection pause in one call from setting the estimate.
 */
export const MIN_TIMED_BATCHES = 8;

/**
 * A call whose first run takes this many timing budgets or more is timed twice, not in batches
 * (see {@link timeIt}).
 */
export const SLOW_CALL_BUDGETS = 5;

/** CPU seconds of this process (user + system). */
const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Wall and CPU seconds spent in {@link timeIt} since the last {@link resetLoad}: their ratio is the machine's load as this process sees it. */
const load = { wall: 0, cpu: 0 };
function resetLoad(): void { load.wall = 0; load.cpu = 0; }

/**
 * CPU seconds per call of `fn`: the fastest of batches of calls (each ≥ budgetMs/10 of CPU
 * time), timed until about `budgetMs` of CPU time has passed; a call whose first run takes
 * {@link SLOW_CALL_BUDGETS} budgets or more runs once more and the faster of the two counts. CPU time, not wall time: other
 * processes on a shared machine then cannot distort the kernel speed (their share is measured
 * apart, as the load factor).
 */
export function timeIt(fn: () => void, budgetMs: number, warmMs = 0): number {
  // warm-up (JIT, WebAssembly instantiation, arena growth): a model's first calls run several
  // times slower than the thousands a training run makes, so `warmMs` of CPU time (at most
  // WARM_UP_CALLS calls) go first; two calls at least
  const w0 = performance.now(), c0 = cpuNow();
  fn();
  const first = cpuNow() - c0;
  if (first >= SLOW_CALL_BUDGETS * budgetMs / 1000) {
    // a call that outlasts the whole budget several times over (a 64-site teacher's gradient
    // takes seconds): warm-up effects are a small share of it, a pause in one call is too, and
    // 2 + MIN_TIMED_BATCHES calls would cost a minute; one more call, the faster of the two
    const t1 = cpuNow();
    fn();
    const second = cpuNow() - t1;
    load.wall += (performance.now() - w0) / 1000;
    load.cpu += cpuNow() - c0;
    return Math.min(first, second);
  }
  for (let k = 1; k < 2 || (k < WARM_UP_CALLS && cpuNow() - c0 < warmMs / 1000); k++) fn();
  const samples: number[] = [];
  const c1 = cpuNow();
  do {
    const t0 = cpuNow();
    let k = 0;
    do { fn(); k++; } while (cpuNow() - t0 < budgetMs / 10 / 1000);
    samples.push((cpuNow() - t0) / k);
  } while ((cpuNow() - c1 < budgetMs / 1000 || samples.length < MIN_TIMED_BATCHES) && samples.length < 50);
  load.wall += (performance.now() - w0) / 1000;
  load.cpu += cpuNow() - c0;
  return Math.min(...samples);
}

/**
 * Micro-benchmark of the engine's two-site split on this machine (about `budgetMs` ms): a CZ
 * on bond 1 of a product state (the fixed cost) and on the centre bond 16 of a 10-qubit
 * RY–CZ brickwork state (the flop rate, counting 4·(2χ)³ flops per split as the SVD-like
 * factorisation of a 2χ×2χ matrix).
 */
export function calibrate(budgetMs = 40): Calibration {
  const t0 = performance.now();
  resetLoad();
  const cz = gateMatrix({ name: 'cz', qubits: [0, 1], params: [] });
  const truncation = { maxBond: 16, cutoff: 0, minBond: 1 };
  const product = Mps.zeros(10);
  const gateSeconds = timeIt(() => { applyTwoSiteInPlace(product, cz, 0, truncation); }, budgetMs / 2);
  const entangled = Mps.zeros(10);
  runCircuitInPlace(entangled, brickworkCircuit(10, 10, 'calibrate'), truncation);
  const chi = truncation.maxBond;
  const t16 = timeIt(() => { applyTwoSiteInPlace(entangled, cz, 4, truncation); }, budgetMs / 2);
  const gflops = (4 * (2 * chi) ** 3) / Math.max(t16 - gateSeconds, t16 / 10) / 1e9;
  return { gateSeconds, gflops, ms: performance.now() - t0, load: Math.min(8, Math.max(1, load.wall / load.cpu)) };
}

/** Estimate of one training run; `chi` is 0 for a state-vector model (exact, no bonds). */
export interface RunEstimate {
  run: string;
  qubits: number;
  twoQubitGates: number;
  /** Bond assumed for the top of the range (saturated); 0 for the state vector. */
  chi: number;
  /** Seconds with the bonds as initialised (the central estimate). */
  seconds: number;
  /** Seconds with every bond saturated at `chi` (the top of the range). */
  secondsHigh: number;
  peakMemoryMiB: number;
}

/** Whole-config estimate: per-run rows of one seed, totals over every seed. */
export interface ConfigEstimate {
  perSeed: RunEstimate[];
  /** Central estimate of the whole invocation, seconds (all seeds, `workers` threads). */
  totalSeconds: number;
  /** Top of the range, seconds. */
  totalSecondsHigh: number;
  peakMemoryMiB: number;
  /** The calibration used. */
  calibration: Calibration;
  /** Worker threads that run at once: min(workers, cores). */
  parallel: number;
}

/**
 * Samples per epoch of one training run: `train` trained on, `eval` predicted by the per-epoch
 * evaluation (train, val and test splits), `val` the validation split's part of it (evaluated
 * every epoch even with `training.evalEvery`). A data regime (`data.labelled` per class) shrinks
 * the training split; `withTransfer` adds the transfer set (`data.transfer` per class), on which
 * the kd-transfer and pseudo runs also train (and which the teacher's soft labels cover).
 * Phase data: the grid's stratified split ({@link phaseSplitCounts}); the points in the
 * transfer window (`data.transfer.window`) count as the transfer set.
 */
export function runSamples(cfg: ExperimentConfig, withTransfer = false): Samples {
  const d = cfg.data;
  if (d.type === 'mnist' || d.type === 'blobs') {
    const c = d.type === 'mnist' ? d.classes.length : d.classes;
    const full = d.type === 'mnist' ? c * d.perClass.train : d.nTrain;
    const val = d.type === 'mnist' ? c * d.perClass.val : d.nVal;
    const rest = val + (d.type === 'mnist' ? c * d.perClass.test : d.nTest);
    const train = (typeof d.labelled === 'number' ? c * d.labelled : full) + (withTransfer ? c * (d.transfer ?? 0) : 0);
    return { train, eval: train + rest, val };
  }
  // phase data: the grid's own split (the transfer window's points leave train, val and test)
  const n = phaseSplitCounts(d.model, d.grid, d.split, d.transfer?.window);
  const train = n.train + (withTransfer ? n.transfer : 0);
  return { train, eval: train + n.val + n.test, val: n.val };
}

/** Samples of one run: trained on per epoch, evaluated per epoch, and the validation part of those. */
export interface Samples { train: number; eval: number; val: number }

/**
 * CPU seconds of one forward pass and of one forward + gradient (the model's `gradientMethod`:
 * adjoint, trajectory adjoint or parameter shift) of `model` at its initial parameters, on a
 * random input (a product state for MPS encodings): each timed over about budgetMs/2 ms after
 * up to `warmMs` ms of warm-up calls (see {@link WARM_UP_CALLS}); the fastest batch counts.
 */
export function measureModel(model: QnnModel, budgetMs: number, warmMs = 0): { fwd: number; grad: number } {
  const params = model.initParams(makeRng('estimate'));
  const rng = makeRng('estimate:x');
  const x = model.spec.encoding.type === 'mps' ? Mps.zeros(model.spec.qubits) : Float64Array.from({ length: model.spec.features }, () => rng());
  const zero = new Float64Array(model.spec.classes);
  // the seed is read only by models under shots or noise (parameter shift or trajectory adjoint)
  const fwd = timeIt(() => { model.forward(params, x, 'estimate'); }, budgetMs / 2, warmMs);
  const grad = timeIt(() => { model.forwardBackward(params, x, () => ({ loss: 0, grad: zero }), 'estimate'); }, budgetMs / 2, warmMs);
  return { fwd, grad };
}

/** Extra passes over the data a run makes besides training and per-epoch evaluation. */
interface Extra { runs: number; trainPasses: number; evalPasses: number }

const splitSeconds = (cal: Calibration, chi: number, complex = false): number => cal.gateSeconds + (4 * (2 * chi) ** 3 * (complex ? 4 : 1)) / (cal.gflops * 1e9);

/** A run's estimate, its forward-pass times, and `at`: the same model timed once, costed on other sample counts. */
type OneEstimate = RunEstimate & { fwd: number; fwdHigh: number; at: (s: Samples) => Pick<RunEstimate, 'seconds' | 'secondsHigh'> };

function one(name: string, m: ModelConfig, features: number, classes: number, t: Training, s: Samples, cal: Calibration, parallel: number, inputChi: number, extra: Extra): OneEstimate {
  const spec = modelSpec(m, features, classes);
  const { circuit } = buildCircuit(spec);
  const twoQ = circuit.gates.filter((g) => g.qubits.length === 2).length;
  const layers = Math.max(1, spec.ansatz.layers);
  // the circuit multiplies the input's bond (1 for a product state, up to the DMRG bond for
  // ground-state inputs) by at most 2^(2·layers); no bond exceeds 2^(n/2)
  const chiIn = spec.encoding.type === 'mps' ? inputChi : 1;
  const reach = Math.min(2 ** Math.floor(m.qubits / 2), chiIn * 2 ** (2 * layers));
  const chi = Math.min(m.maxBond ?? reach, reach);
  const complex = spec.ansatz.type === 'hardware-efficient' || spec.encoding.type === 'angle' && spec.encoding.rotation === 'rx';
  // a model with a large state vector is costed by its gate count instead of a timed pass
  const timed = m.backend === 'mps' || m.qubits <= 20;
  const split = (c: number) => splitSeconds(cal, c, complex);
  const measured = timed ? measureModel(new QnnModel(spec), 40, 1000) : { fwd: circuit.gates.length * 2 ** m.qubits * 1e-8, grad: 6 * circuit.gates.length * 2 ** m.qubits * 1e-8 };
  // ground-state inputs start at bond χ_in: the timed pass used a product input
  const inputExtra = (c: number) => (m.backend === 'mps' && c > 1 ? twoQ * (split(c) - split(1)) : 0);
  const typical = inputExtra(Math.min(chiIn, TYPICAL_GROUND_STATE_BOND));
  const fwd = measured.fwd + typical;
  const grad = measured.grad + 3 * typical;
  const cost = (f: number, g: number, n = s) => {
    // a step budget: its epochs at the training split's size (a transfer arm's larger set has as many steps, fewer epochs)
    const epochs = epochsOf(t, n.train);
    // validation every epoch; train and test only in the epochs evalEvery selects (all without it)
    const evalSamples = epochs * n.val + trainTestEvaluations(t, n.train) * (n.eval - n.val);
    const perRun = (epochs * n.train * g + evalSamples * f) / parallel + epochs * EPOCH_OVERHEAD_SECONDS;
    return extra.runs * (perRun + RUN_OVERHEAD_SECONDS) + (extra.trainPasses * n.train + extra.evalPasses * n.eval) * f / parallel;
  };
  const seconds = cost(fwd, grad);
  if (m.backend === 'statevector') {
    return { run: name, qubits: m.qubits, twoQubitGates: twoQ, chi: 0, seconds, secondsHigh: seconds, peakMemoryMiB: 3 * 16 * 2 ** m.qubits / 2 ** 20, fwd, fwdHigh: fwd, at: (n) => { const v = cost(fwd, grad, n); return { seconds: v, secondsHigh: v }; } };
  }
  // saturated: every two-qubit gate splits at bond χ; the gradient costs ~4 forward passes
  const fwdHigh = Math.max(fwd, measured.fwd + inputExtra(chiIn), twoQ * split(chi));
  const secondsHigh = Math.max(seconds, cost(fwdHigh, Math.max(grad, 4 * fwdHigh)));
  const moments = 3 * layers + 2;
  const at = (n: Samples) => { const lo = cost(fwd, grad, n); return { seconds: lo, secondsHigh: Math.max(lo, cost(fwdHigh, Math.max(grad, 4 * fwdHigh), n)) }; };
  return { run: name, qubits: m.qubits, twoQubitGates: twoQ, chi, seconds, secondsHigh, peakMemoryMiB: mpsMemoryBytes(m.qubits, chi, !complex, moments + 3) / 2 ** 20, fwd, fwdHigh, at };
}

/** Options of {@link estimateConfig}. */
export interface EstimateOptions {
  /** Worker threads per training run (default 1). */
  workers?: number;
  /** A calibration to reuse (default: {@link calibrate} now). */
  calibration?: Calibration;
}

/**
 * Estimates for every training run of one seed and the totals over all seeds, on this machine.
 * Runs the calibration micro-benchmark and times one forward pass and gradient of each model
 * (each timing warms the model up first: about 0.1–0.5 s per small model; a model whose call
 * takes longer than {@link SLOW_CALL_BUDGETS} budgets is run twice per timing, e.g. about 6 s of
 * CPU for E5's 64-site teacher).
 */
export function estimateConfig(cfg: ExperimentConfig, o: EstimateOptions = {}): ConfigEstimate {
  const cal = o.calibration ?? calibrate();
  resetLoad();
  const parallel = Math.max(1, Math.min(o.workers ?? 1, availableParallelism()));
  const s = runSamples(cfg);
  const st2 = runSamples(cfg, true);
  const features = cfg.data.type === 'mnist' ? cfg.data.size ** 2 : cfg.data.type === 'blobs' ? cfg.data.features : 0;
  const classes = cfg.data.type === 'mnist' ? cfg.data.classes.length : cfg.data.type === 'blobs' ? cfg.data.classes : 2;
  const t = (over?: Partial<Training>): Training => mergeTraining(cfg.training, over);
  const inputChi = cfg.data.type === 'phases' ? cfg.data.dmrg.maxBond : 1;
  // phase data: every run also predicts the phase at every grid point
  const phase = cfg.data.type === 'phases' ? 1 : 0;
  const plain: Extra = { runs: 1, trainPasses: 0, evalPasses: phase };
  const out: RunEstimate[] = [];
  const inFeatures = (input: ExperimentConfig['students'][number]['input']) => (input ? (input.kind === 'avgPool' ? input.to ** 2 : input.kind === 'pca' ? input.components : input.indices.length) : features);
  if (cfg.teacher) {
    // a teacher trained on labelled + transfer (teacher.trainingSet) trains on st2's samples
    const ts = cfg.teacher.trainingSet === 'labelled+transfer' ? st2 : s;
    const { fwd, fwdHigh, at: _at, ...row } = one('teacher', cfg.teacher.model, features, classes, t(cfg.teacher.training), ts, cal, parallel, inputChi, plain);
    out.push(row);
    // KD: the teacher's soft labels on the train and test splits, once per teacher bond χ_T (cached)
    // (and on the transfer set when there is one)
    const teacherCaps = new Set<number | undefined>([...(cfg.methods.some((m) => TEACHER_METHODS.includes(m)) ? [cfg.teacher.model.maxBond] : []), ...(cfg.teacherBond?.chi ?? [])]);
    if (teacherCaps.size > 0) out.push({ ...row, run: 'teacher soft labels', seconds: teacherCaps.size * st2.eval * fwd / parallel, secondsHigh: teacherCaps.size * st2.eval * fwdHigh / parallel });
  }
  // a KD grid trains every (T, α) point: the arm's row covers them all; the transfer methods
  // train on the labelled plus the transfer set (more samples per epoch)
  const points = kdIsGrid(cfg.kd) ? kdGrid(cfg.kd).length : 1;
  for (const st of studentsOf(cfg)) {
    const { fwd: _f, fwdHigh: _h, at, ...e } = one(st.name, st.model, inFeatures(st.input), classes, t(st.training), s, cal, parallel, inputChi, plain);
    for (const m of cfg.methods) {
      const k = KD_GRID_METHODS.includes(m) ? points : 1;
      const r = { ...e, ...(TRANSFER_METHODS.includes(m) ? at(st2) : {}) };
      out.push({ ...r, run: `${st.name}/${m}`, seconds: r.seconds * k, secondsHigh: r.secondsHigh * k });
    }
  }
  if (cfg.teacherBond) {
    const st = cfg.students.find((x) => x.name === cfg.teacherBond!.student)!;
    const { fwd: _f, fwdHigh: _h, at: _a, ...e } = one(st.name, st.model, inFeatures(st.input), classes, t(st.training), TRANSFER_METHODS.includes(cfg.teacherBond.method ?? 'kd') ? st2 : s, cal, parallel, inputChi, plain);
    for (const maxBond of cfg.teacherBond.chi) out.push({ ...e, run: `bond χ_T=${maxBond}/${st.name}` });
  }
  if (cfg.hardwareSweep) {
    // every sweep point is one run per method, timed with its shots or noise (the evaluation
    // of the final parameters under evalRepeats seeds adds evalRepeats test passes)
    const sw = cfg.hardwareSweep;
    const st = cfg.students.find((x) => x.name === sw.student)!;
    const d = cfg.data;
    const testFraction = d.type === 'mnist' ? d.perClass.test / (d.perClass.train + d.perClass.val + d.perClass.test) : d.type === 'blobs' ? d.nTest / (d.nTrain + d.nVal + d.nTest) : d.split.test;
    for (const pt of hardwarePoints(sw)) {
      const { fwd: _f, fwdHigh: _h, at: _a, ...e } = one(st.name, modelAtPoint(st.model, pt, sw), inFeatures(st.input), classes, t(st.training), s, cal, parallel, inputChi, { runs: 1, trainPasses: 0, evalPasses: phase + sw.evalRepeats * testFraction });
      for (const m of cfg.methods) out.push({ ...e, run: `${pt.key}/${st.name}/${m}` });
    }
  }
  if (cfg.selfDistillation) {
    const sd = cfg.selfDistillation;
    const f = inFeatures(sd.input);
    const epochs = cfg.training.epochs!; // self-distillation is epoch-based (a step budget is refused with it)
    for (const m of sd.methods) {
      // PS-KD predicts the training split every epoch; snapshot KD once per cycle; born-again
      // trains generations + 1 models, each later one predicted once by its successor
      const extra: Extra = m === 'pskd' ? { runs: 1, trainPasses: epochs - 1, evalPasses: 0 }
        : m === 'snapshot' ? { runs: 1, trainPasses: Math.floor((epochs - 1) / sd.cycleEpochs), evalPasses: 0 }
          : m === 'born-again' ? { runs: sd.generations + 1, trainPasses: sd.generations, evalPasses: 0 } : { runs: 1, trainPasses: 0, evalPasses: 0 };
      const { fwd: _f, fwdHigh: _h, at: _a, ...e } = one('self', sd.model, f, classes, t(), s, cal, parallel, inputChi, extra);
      out.push({ ...e, run: `self/${m}` });
    }
  }
  // phase data: two-site DMRG for every grid point at each site count (about ten split-sized
  // operations per bond update: Lanczos on the effective Hamiltonian, then the split)
  if (cfg.data.type === 'phases') {
    const d = cfg.data;
    const sites = new Set([d.n, ...cfg.students.map((x) => x.sites ?? d.n)]);
    // the cluster-Ising ground state is the lowest of its four Z2×Z2 sectors: four runs per point
    const points = Object.values(d.grid).reduce((a, v) => a * v.length, 1) * (d.model === 'cluster-ising' ? 4 : 1);
    const dmrg = (capAt: number) => [...sites].reduce((a, n) => a + points * d.dmrg.maxSweeps * 2 * (n - 1) * 10 * splitSeconds(cal, Math.min(capAt, 2 ** Math.floor(n / 2))), 0) / parallel;
    const lo = dmrg(Math.min(d.dmrg.maxBond, TYPICAL_GROUND_STATE_BOND)), hi = dmrg(d.dmrg.maxBond);
    out.push({ run: 'ground states (DMRG)', qubits: d.n, twoQubitGates: 0, chi: d.dmrg.maxBond, seconds: lo, secondsHigh: Math.max(lo, hi), peakMemoryMiB: 0 });
  }
  // the load seen while timing the models counts too (the calibration may have been quick)
  const loadNow = Math.min(8, Math.max(cal.load, load.cpu > 0 ? load.wall / load.cpu : 1));
  for (const r of out) { r.seconds *= loadNow; r.secondsHigh *= loadNow; }
  const sum = (k: 'seconds' | 'secondsHigh') => (out.reduce((a, r) => a + r[k], 0) + SEED_OVERHEAD_SECONDS * loadNow) * cfg.seeds.length;
  return { perSeed: out, totalSeconds: sum('seconds'), totalSecondsHigh: sum('secondsHigh'), peakMemoryMiB: Math.max(0, ...out.map((r) => r.peakMemoryMiB)), calibration: { ...cal, load: loadNow }, parallel };
}
