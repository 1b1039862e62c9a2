/**
 * `node dist/bench/pooling.js [--configs A,B] [--samples 2] [--reps 5] [--pooling decomposed,cry]
 * [--cache DIR] [--seed 1]`: the cost of the QCNN pooling's controlled rotations on the E5
 * teachers, per sample, for each way of writing them:
 * - `decomposed`: every `cry(θ)` as RY(θ/2)·CX·RY(−θ/2)·CX on the target (the QCNN before the
 *   native gate: four routed two-qubit gates per pooling);
 * - `cry`: each pooling as `cry(φ1), x, cry(φ2), x` on (dropped, kept), x on the dropped qubit
 *   (two routed two-qubit gates per pooling);
 * - `multiplexed`: the QCNN as `qcnn` builds it, each pooling one `ucry(φ2, φ1)` =
 *   |0⟩⟨0|⊗RY(φ2) + |1⟩⟨1|⊗RY(φ1) (one routed gate per pooling).
 * All are the same function of the same parameters. The teacher of each config is built
 * through the experiment code (its data of one seed, ground states cached in DIR); for the
 * first `--samples` training inputs the forward pass (run + readouts) and the adjoint gradient of
 * Σ_k c_k⟨Z⟩ over the readouts are timed in CPU seconds of this process (`process.cpuUsage`, so
 * other load on the machine counts less), the variants interleaved repetition by repetition;
 * the table gives the median per sample, the ratio to `decomposed`, the two-site splits of the
 * forward pass and of the backward (λ) pass, and the largest readout difference to `decomposed`.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adjointGradientMps, expectPauliString, makeRng, Mps, runCircuitInPlace, type PauliSum } from '../mps/index.js';
import { engineTruncation } from '../src/backends/simulator.js';
import { bindCircuit, type Angle, type ParamCircuit, type ParamGate } from '../src/circuit/ir.js';
import { loadData, modelSpec } from '../src/experiment/build.js';
import { resolveConfig } from '../src/experiment/config.js';
import { QnnModel } from '../src/qnn/model.js';

const { values } = parseArgs({
  options: {
    configs: { type: 'string', default: 'experiments/e5-phase-boundary.json,experiments/e5-many-body-128.json' },
    samples: { type: 'string', default: '2' }, reps: { type: 'string', default: '5' }, pooling: { type: 'string' },
    cache: { type: 'string', default: join(tmpdir(), 'qdistill-bench-train-cache') }, seed: { type: 'string', default: '1' },
  },
});
const VARIANTS = ['decomposed', 'cry', 'multiplexed'];
const variants = values.pooling ? values.pooling.split(',') : VARIANTS;
for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`--pooling: unknown variant '${v}'; allowed: ${VARIANTS.join(', ')}`);
const reps = Number(values.reps), nSamples = Number(values.samples);
if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps must be an integer ≥ 1, got ${values.reps}`);
if (!(Number.isInteger(nSamples) && nSamples >= 1)) throw new Error(`--samples must be an integer ≥ 1, got ${values.samples}`);
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Every `cry` as RY(θ/2)·CX·RY(−θ/2)·CX on its target, the angle's reference scaled by ±½. */
function decomposeCry(pc: ParamCircuit): ParamCircuit {
  const half = (a: NonNullable<ParamGate['angles']>[number], s: number) =>
    'param' in a ? { param: a.param, scale: s * (a.scale ?? 1) } : 'input' in a ? { input: a.input, scale: s * a.scale } : { value: s * a.value };
  const gates: ParamGate[] = [];
  for (const g of pc.gates) {
    if (g.gate !== 'cry') { gates.push(g); continue; }
    const [c, t] = g.qubits as [number, number];
    const a = g.angles![0]!;
    gates.push({ gate: 'ry', qubits: [t], angles: [half(a, 0.5)] }, { gate: 'cx', qubits: [c, t] }, { gate: 'ry', qubits: [t], angles: [half(a, -0.5)] }, { gate: 'cx', qubits: [c, t] });
  }
  return { ...pc, gates };
}

/** Every `ucry(θ0, θ1)` on (c, t) as `cry(θ1) c,t; x c; cry(θ0) c,t; x c`, the same unitary. */
function expandUcry(pc: ParamCircuit): ParamCircuit {
  const gates: ParamGate[] = [];
  for (const g of pc.gates) {
    if (g.gate !== 'ucry') { gates.push(g); continue; }
    const [c, t] = g.qubits as [number, number];
    const [a0, a1] = g.angles! as [Angle, Angle];
    gates.push({ gate: 'cry', qubits: [c, t], angles: [a1] }, { gate: 'x', qubits: [c] }, { gate: 'cry', qubits: [c, t], angles: [a0] }, { gate: 'x', qubits: [c] });
  }
  return { ...pc, gates };
}

for (const file of values.configs.split(',')) {
  const cfg = resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { file });
  const tc = cfg.teacher!.model;
  const data = await loadData(cfg.data, values.seed, { cacheDir: values.cache, workers: 1 });
  const model = new QnnModel(modelSpec(tc, data.features, data.classes));
  const trunc = engineTruncation(model.simulator);
  const params = model.initParams(makeRng(`${values.seed}/teacher:init`));
  const circuits: Record<string, ParamCircuit> = { decomposed: decomposeCry(expandUcry(model.circuit)), cry: expandUcry(model.circuit), multiplexed: model.circuit };
  const obs: PauliSum = model.readouts.map((o, k) => ({ coeff: k === 0 ? 1 : -0.5, factors: o.factors }));
  const inputs = data.train.x.slice(0, nSamples) as Mps[];
  const twoQubit = (pc: ParamCircuit) => pc.gates.filter((g) => g.qubits.length === 2).length;
  console.log(`\n${file}: teacher ${tc.qubits} qubits, χ ≤ ${trunc.maxBond}, cutoff ${trunc.cutoff}, ${model.nCircuitParams} circuit parameters, ${inputs.length} samples × ${reps} reps (CPU s per sample, median)`);
  const fwd: Record<string, number[]> = {}, adj: Record<string, number[]> = {};
  const info: Record<string, { splits: number; backSplits: number; readouts: number[]; fid: number }> = {};
  for (const v of variants) { fwd[v] = []; adj[v] = []; }
  for (let r = 0; r < reps; r++) {
    for (const v of variants) {
      const pc = circuits[v]!;
      let tf = 0, ta = 0, splits = 0, backSplits = 0, fid = 1;
      const readouts: number[] = [];
      for (const x of inputs) {
        const bound = bindCircuit(pc, params, null);
        let c0 = cpu();
        const psi = x.clone();
        const rep = runCircuitInPlace(psi, bound, trunc);
        for (const o of model.readouts) readouts.push(expectPauliString(psi, o));
        tf += cpu() - c0;
        c0 = cpu();
        const g = adjointGradientMps(x, bound, obs, trunc);
        ta += cpu() - c0;
        splits += rep.splits; backSplits += g.backwardReport.splits; fid = Math.min(fid, rep.fidelityEstimate);
      }
      fwd[v]!.push(tf / inputs.length); adj[v]!.push(ta / inputs.length);
      info[v] = { splits: splits / inputs.length, backSplits: backSplits / inputs.length, readouts, fid };
    }
  }
  const base = variants[0]!;
  console.log('| pooling | 2-qubit gates | splits fwd | splits λ | forward (s) | adjoint (s) | adjoint/forward | forward / ' + base + ' | adjoint / ' + base + ' | min fidelity est. | max |Δ readout| vs ' + base + ' |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const v of variants) {
    const f = median(fwd[v]!), a = median(adj[v]!), i = info[v]!;
    const d = Math.max(...i.readouts.map((y, k) => Math.abs(y - info[base]!.readouts[k]!)));
    console.log(`| ${v} | ${twoQubit(circuits[v]!)} | ${i.splits} | ${i.backSplits} | ${f.toFixed(3)} | ${a.toFixed(3)} | ${(a / f).toFixed(2)} | ${(f / median(fwd[base]!)).toFixed(3)} | ${(a / median(adj[base]!)).toFixed(3)} | ${i.fid.toFixed(6)} | ${d.toExponential(1)} |`);
  }
}
