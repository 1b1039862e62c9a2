/**
 * `node dist/bench/step-cost.js CONFIG [--steps S ...] [--seed 1] [--cache DIR] [--reps 3]`:
 * the CPU cost of a study with a step budget, from measured per-sample costs. For the teacher
 * and every student of CONFIG (on the config's full data of one seed, ground states cached in
 * DIR) it times, in CPU seconds of this process (so other load on the machine does not count),
 * the gradient of one minibatch and a forward pass over the training split; then for each
 * budget S it prints the CPU seconds of every run of one seed: S · batchSize gradient samples,
 * the evaluations at each epoch end (train, val and test splits; ⌈S / steps per epoch⌉ epochs,
 * the transfer arms' epochs counted on their larger training set), the phase map (every grid
 * point), and the teacher's soft labels (train, test, transfer), and the study's total over its
 * seeds, on one core and as that divided by 2 (two workers on two cores, assuming they scale).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeRng } from '../mps/index.js';
import { makeQnnObjective } from '../src/distill/objective.js';
import { loadData, mergeTraining, modelSpec } from '../src/experiment/build.js';
import { resolveConfig, TRANSFER_METHODS, type ModelConfig } from '../src/experiment/config.js';
import { QnnModel } from '../src/qnn/model.js';
import { epochsOf } from '../src/train/loop.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { steps: { type: 'string', multiple: true }, seed: { type: 'string', default: '1' }, cache: { type: 'string', default: 'results/step-cost-cache' }, reps: { type: 'string', default: '3' } } });
const file = positionals[0];
if (!file) { process.stderr.write('usage: node dist/bench/step-cost.js CONFIG [--steps S ...] [--seed 1] [--cache DIR] [--reps 3]\n'); process.exit(2); }
const cfg = resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { file });
const seed = /^\d+$/.test(values.seed!) ? Number(values.seed) : values.seed!;
const reps = Number(values.reps);
if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps must be an integer ≥ 1, got ${values.reps}`);
const budgets = (values.steps ?? [String(cfg.training.steps ?? 100)]).map(Number);
const badBudget = budgets.find((S) => !(Number.isInteger(S) && S >= 1));
if (badBudget !== undefined) throw new Error(`--steps must be integers ≥ 1, got ${values.steps!.join(', ')}`);
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

interface Cost { name: string; g: number; f: number; nTrain: number; nTest: number; nEval: number; nTransfer: number; nGrid: number; batch: number }
async function measure(name: string, m: ModelConfig, sites: number | undefined, batch: number): Promise<Cost> {
  const data = await loadData(cfg.data, seed, { ...(sites !== undefined ? { sites } : {}), cacheDir: values.cache!, workers: 1 });
  const model = new QnnModel(modelSpec(m, data.features, data.classes));
  const obj = await makeQnnObjective(model, data, { workers: 1 });
  try {
    const p = model.initParams(makeRng(`${seed}:init`));
    const idx = Array.from({ length: Math.min(batch, data.train.y.length) }, (_, i) => i);
    await obj.lossAndGrad(p, [0], { epoch: 0, step: 0 }); // warm-up
    let c0 = cpu();
    for (let r = 0; r < reps; r++) await obj.lossAndGrad(p, idx, { epoch: 0, step: r });
    const g = (cpu() - c0) / reps / idx.length;
    c0 = cpu();
    await obj.evaluate(p, 'train');
    const f = (cpu() - c0) / data.train.y.length;
    const nTransfer = data.transfer?.y.length ?? 0;
    const nEval = data.train.y.length + data.val.y.length + data.test.y.length;
    process.stdout.write(`${name.padEnd(8)} gradient ${(g * 1000).toFixed(1)} ms/sample, forward ${(f * 1000).toFixed(1)} ms/sample (CPU); train ${data.train.y.length}, val ${data.val.y.length}, test ${data.test.y.length}, transfer ${nTransfer}\n`);
    return { name, g, f, nTrain: data.train.y.length, nTest: data.test.y.length, nEval, nTransfer, nGrid: nEval + nTransfer, batch };
  } finally { await obj.close(); }
}

/** CPU seconds of one run of S steps on nTrain samples (evaluating nEval samples at each epoch end). */
const runCost = (c: Cost, S: number, nTrain: number, nEval: number): number => S * c.batch * c.g + epochsOf({ steps: S, batchSize: c.batch }, nTrain) * nEval * c.f + (cfg.data.type === 'phases' ? c.nGrid * c.f : 0);

const tBatch = mergeTraining(cfg.training, cfg.teacher?.training).batchSize;
const teacher = cfg.teacher ? await measure('teacher', cfg.teacher.model, undefined, tBatch) : null;
const students: Cost[] = [];
for (const s of cfg.students) students.push(await measure(s.name, s.model, s.sites, mergeTraining(cfg.training, s.training).batchSize));
for (const S of budgets) {
  let perSeed = 0;
  const lines: string[] = [];
  if (teacher) {
    const t = runCost(teacher, S, teacher.nTrain, teacher.nEval) + (teacher.nTrain + teacher.nTest + teacher.nTransfer) * teacher.f;
    perSeed += t;
    lines.push(`  teacher ${t.toFixed(0)} s`);
  }
  for (const c of students) {
    for (const m of cfg.methods) {
      const transfer = TRANSFER_METHODS.includes(m);
      const n = c.nTrain + (transfer ? c.nTransfer : 0);
      const s = runCost(c, S, n, n + c.nEval - c.nTrain);
      perSeed += s;
      lines.push(`  ${c.name}/${m} ${s.toFixed(0)} s`);
    }
  }
  const total = perSeed * cfg.seeds.length;
  process.stdout.write(`steps ${S}: per seed ${perSeed.toFixed(0)} CPU s (${lines.join(',')}); ${cfg.seeds.length} seeds ${(total / 3600).toFixed(2)} h on one core, ${(total / 7200).toFixed(2)} h on two\n`);
}
