/**
 * Training throughput of the study teachers: the E1 teacher (64 qubits, experiments/e1-qubits.json)
 * and the E5 teacher (128 sites, experiments/e5-many-body-128.json), built from their configs
 * through the experiment code, run for a fixed number of training batches (objective call and
 * Adam update, as in a teacher epoch) with 1 and 2 workers.
 *
 * Prints per teacher and worker count: samples per second, milliseconds per batch, and the
 * split of the batches' wall time into forward simulation, backward (adjoint) pass, other
 * worker work, imbalance between workers, pool transfer, optimizer and the rest
 * (src/train/timing.ts), and whether the parameters after the batches are bit-identical across
 * worker counts. With --eval, also the forward-only evaluation of the validation split.
 *
 * With --baseline <dist of another build>, the same batches run on that build too, interleaved
 * repetition by repetition (both see the same machine load), and the table gains new/old time
 * ratios (median over repetitions) and whether loss and parameters are bit-identical to it.
 *
 * Run: npm run bench:train [-- --teachers e1,e5 --batches N --warmup N --batch-size B
 *   --workers 1,2 --reps 1 --eval --baseline <dist> --cache <dir>]
 * --batches counts timed batches (default 3 for E1, 1 for E5), --warmup the untimed batches
 * before them (default 1 for E1, 0 for E5), --batch-size overrides the config's batch size;
 * ground states of the E5 data are cached in --cache (the first run computes them by DMRG).
 * Garbage collection runs single-threaded, as in the `qdistill` CLI (src/cli/gc.ts);
 * `QDISTILL_SINGLE_THREADED_GC=0` leaves V8's parallel collector.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as BuildModule from '../src/experiment/build.js';
import type * as ConfigModule from '../src/experiment/config.js';
import type * as ObjectiveModule from '../src/distill/objective.js';
import type * as ModelModule from '../src/qnn/model.js';
import type * as OptimizerModule from '../src/train/optimizers.js';
import type * as ShuffleModule from '../src/train/shuffle.js';
import type * as RngModule from '../mps/rng.js';
import { addSplits, PHASES, splitStepTime, type PhaseSplit } from '../src/train/timing.js';
import { applySingleThreadedGc } from '../src/cli/gc.js';

// Collect garbage as the `qdistill` CLI does (src/cli/gc.ts), before any worker starts.
const gc = applySingleThreadedGc();
if (gc.error !== null) {
  process.stderr.write(`bench:train: ${gc.error}\n`);
  process.exit(2);
}
const gcMode = gc.on ? "single-threaded, as the qdistill CLI (QDISTILL_SINGLE_THREADED_GC=0 for V8's parallel collector)" : "V8's parallel collector (QDISTILL_SINGLE_THREADED_GC=0)";

const { values } = parseArgs({
  options: {
    teachers: { type: 'string', default: 'e1,e5' }, batches: { type: 'string' }, workers: { type: 'string', default: '1,2' },
    reps: { type: 'string', default: '1' }, warmup: { type: 'string' }, 'batch-size': { type: 'string' }, eval: { type: 'boolean', default: false }, baseline: { type: 'string' },
    cache: { type: 'string', default: join(tmpdir(), 'qdistill-bench-train-cache') }, seed: { type: 'string', default: '1' },
  },
});
/** Default timed and warm-up batches: an E5 sample costs about 100 E1 samples, and its JIT warm-up is negligible. */
const TEACHERS: Record<string, { config: string; batches: number; warmup: number }> = {
  e1: { config: 'experiments/e1-qubits.json', batches: 3, warmup: 1 },
  e5: { config: 'experiments/e5-many-body-128.json', batches: 1, warmup: 0 },
};
const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '..', '..');
const workerCounts = values.workers.split(',').map(Number);
if (!workerCounts.every((w) => Number.isInteger(w) && w >= 1)) throw new Error(`--workers must be comma-separated integers ≥ 1, got ${values.workers}`);
const reps = Number(values.reps);
if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps must be an integer ≥ 1, got ${values.reps}`);
if (values['batch-size'] !== undefined && !(Number.isInteger(Number(values['batch-size'])) && Number(values['batch-size']) >= 1)) throw new Error(`--batch-size must be an integer ≥ 1, got ${values['batch-size']}`);
const seed = values.seed;
mkdirSync(values.cache, { recursive: true });

/** The modules of one build (this one, or the baseline's dist). */
interface Build {
  name: string;
  build: typeof BuildModule; config: typeof ConfigModule; objective: typeof ObjectiveModule; model: typeof ModelModule;
  optimizers: typeof OptimizerModule; shuffle: typeof ShuffleModule; rng: typeof RngModule;
}
async function loadBuild(name: string, distRoot: string): Promise<Build> {
  const imp = (p: string) => import(pathToFileURL(join(distRoot, p)).href);
  return {
    name, build: await imp('src/experiment/build.js'), config: await imp('src/experiment/config.js'), objective: await imp('src/distill/objective.js'),
    model: await imp('src/qnn/model.js'), optimizers: await imp('src/train/optimizers.js'), shuffle: await imp('src/train/shuffle.js'), rng: await imp('mps/rng.js'),
  };
}
const builds = [await loadBuild('new', resolve(here, '..'))];
if (values.baseline) builds.push(await loadBuild('old', resolve(values.baseline)));

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** One teacher of one build, ready to train. */
async function setup(b: Build, key: string) {
  const file = join(repoRoot, TEACHERS[key]!.config);
  const cfg = b.config.resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { file });
  const tc = cfg.teacher!;
  const data = await b.build.loadData(cfg.data, seed, { cacheDir: values.cache, workers: 2 });
  const spec = b.build.modelSpec(tc.model, data.features, data.classes);
  const training = { ...cfg.training, ...(tc.training ?? {}), ...(values['batch-size'] !== undefined ? { batchSize: Number(values['batch-size']) } : {}) };
  return { cfg, data, spec, training };
}

interface RunOut { ms: number; split: PhaseSplit | null; loss: number[]; params: Float64Array; samples: number; evalMs: number }

/** `warm` warm-up batches, then `nb` timed batches (and the evaluation with --eval), with `workers` workers. */
async function runBatches(b: Build, t: Awaited<ReturnType<typeof setup>>, workers: number, nb: number, warm: number): Promise<RunOut> {
  const model = new b.model.QnnModel(t.spec);
  const obj = await b.objective.makeQnnObjective(model, t.data, { workers, timing: b.name === 'new' } as { workers: number });
  try {
    const params = model.initParams(b.rng.makeRng(`${seed}/teacher:init`));
    const opt = b.optimizers.makeOptimizer({ type: t.training.optimizer } as OptimizerModule.OptimizerSpec, model.nParams);
    const order = b.shuffle.epochPermutation(t.data.train.y.length, `${seed}/teacher:shuffle`, 0);
    const batches = b.shuffle.minibatches(order, t.training.batchSize);
    if (batches.length < nb + warm) throw new Error(`--batches ${nb} --warmup ${warm}: the training split has only ${batches.length} batches`);
    const loss: number[] = [];
    let split: PhaseSplit | null = null, ms = 0, samples = 0;
    for (let k = 0; k < nb + warm; k++) {
      const idx = batches[k]!;
      const t0 = performance.now();
      const r = await obj.lossAndGrad(params, idx, { epoch: 0, step: k });
      const t1 = performance.now();
      opt.step(params, r.grad, t.training.lr);
      const t2 = performance.now();
      loss.push(r.loss);
      if (k < warm) continue;
      ms += t2 - t0; samples += idx.length;
      const call = (obj as { lastPoolCall?: ObjectiveModule.QnnObjective['lastPoolCall'] }).lastPoolCall;
      if (call) {
        const s = splitStepTime({ totalMs: t2 - t0, poolMs: call.poolMs, optimizerMs: t2 - t1, tasks: call.tasks });
        split = split ? addSplits(split, s) : s;
      }
    }
    let evalMs = 0;
    if (values.eval) {
      const t0 = performance.now();
      await obj.evaluate(params, 'val');
      evalMs = performance.now() - t0;
    }
    return { ms, split, loss, params, samples, evalMs };
  } finally {
    await obj.close();
  }
}

const pct = (x: number, total: number) => `${((100 * x) / total).toFixed(1)}%`;
for (const key of values.teachers.split(',')) {
  if (!TEACHERS[key]) throw new Error(`--teachers: unknown teacher '${key}'; allowed: ${Object.keys(TEACHERS).join(', ')}`);
  const nb = values.batches === undefined ? TEACHERS[key]!.batches : Number(values.batches);
  const warm = values.warmup === undefined ? TEACHERS[key]!.warmup : Number(values.warmup);
  if (!(Number.isInteger(nb) && nb >= 1)) throw new Error(`--batches must be an integer ≥ 1, got ${values.batches}`);
  if (!(Number.isInteger(warm) && warm >= 0)) throw new Error(`--warmup must be an integer ≥ 0, got ${values.warmup}`);
  const setups = await Promise.all(builds.map((b) => setup(b, key)));
  const t = setups[0]!;
  console.log(`\n${key} teacher (${TEACHERS[key]!.config}): ${t.spec.qubits} qubits, χ ≤ ${t.spec.truncation?.maxBond ?? '∞'}, batch ${t.training.batchSize}, ${nb} timed batches after ${warm} warm-up, reps ${reps}; garbage collection ${gcMode}`);
  const head = ['workers', 'samples/s', 'ms/batch', ...PHASES, ...(values.eval ? ['eval val (s)'] : []), ...(builds.length > 1 ? ['new/old time', 'loss = old', 'params = old'] : [])];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  const finalParams: Float64Array[] = [];
  for (const w of workerCounts) {
    const newMs: number[] = [], ratios: number[] = [];
    let split: PhaseSplit | null = null, last: RunOut | null = null, evalMs = 0, lossSame = true, paramsSame = true;
    for (let r = 0; r < reps; r++) {
      const outs: RunOut[] = [];
      for (let i = 0; i < builds.length; i++) outs.push(await runBatches(builds[i]!, setups[i]!, w, nb, warm));
      const n = outs[0]!;
      newMs.push(n.ms); evalMs += n.evalMs / reps;
      if (n.split) split = split ? addSplits(split, n.split) : n.split;
      last = n;
      if (outs[1]) {
        ratios.push(n.ms / outs[1].ms);
        lossSame &&= n.loss.every((x, i) => Object.is(x, outs[1]!.loss[i]));
        paramsSame &&= same(n.params, outs[1].params);
      }
    }
    finalParams.push(last!.params);
    const msBatch = median(newMs) / nb;
    const total = split ? PHASES.reduce((s, k) => s + split![k], 0) : 1;
    const cells = [String(w), ((last!.samples / median(newMs)) * 1000).toFixed(2), msBatch.toFixed(0), ...PHASES.map((k) => (split ? pct(split[k], total) : '-')),
      ...(values.eval ? [(evalMs / 1000).toFixed(2)] : []), ...(builds.length > 1 ? [median(ratios).toFixed(3), String(lossSame), String(paramsSame)] : [])];
    console.log(`| ${cells.join(' | ')} |`);
  }
  if (finalParams.length > 1) console.log(`parameters after the batches bit-identical across worker counts ${workerCounts.join(', ')}: ${finalParams.every((p) => same(p, finalParams[0]!))}`);
}
