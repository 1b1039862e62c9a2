/**
 * `node dist/bench/traj-adjoint.js [--config experiments/e7-hardware.json] [--p 0.01] [--reps 7] [--samples 4]`:
 * the CPU cost of one training step's gradient per sample of a noisy student under the
 * parameter shift and under the trajectory adjoint, in one run. The student is the config's
 * hardware-sweep student at the two-qubit depolarizing point P with the sweep's trajectories
 * (E7: s4-pca, 4 qubits, RY ansatz of 3 layers, 16 trajectories). Inputs are seeded uniform
 * features in [−1, 1] (the cost does not depend on their values); the loss is the cross
 * entropy. Each repeat times `samples` gradients with each method, alternating, in CPU seconds
 * of this process (`process.cpuUsage`, so other load on the machine counts little); it prints
 * the median per sample of each and their ratio, and the circuit-evaluation counts per sample
 * ((2G + 1)·T forward passes for the shift; T forward passes plus T adjoint gradients for the
 * trajectory adjoint).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeRng } from '../mps/index.js';
import { modelSpec } from '../src/experiment/build.js';
import { resolveConfig } from '../src/experiment/config.js';
import { hardwarePoints, modelAtPoint } from '../src/experiment/hardware.js';
import { crossEntropy } from '../src/qnn/loss.js';
import { QnnModel } from '../src/qnn/model.js';

const { values } = parseArgs({ options: { config: { type: 'string', default: 'experiments/e7-hardware.json' }, p: { type: 'string', default: '0.01' }, reps: { type: 'string', default: '7' }, samples: { type: 'string', default: '4' } } });
const cfg = resolveConfig(JSON.parse(readFileSync(values.config!, 'utf8')), { file: values.config! });
const sw = cfg.hardwareSweep;
if (!sw) { process.stderr.write(`${values.config}: no hardwareSweep block\n`); process.exit(2); }
const student = cfg.students.find((s) => s.name === sw.student)!;
const P = Number(values.p);
const point = hardwarePoints({ ...sw, shots: [], depolarizing2q: [P] })[0]!;
const m = modelAtPoint(student.model, point, sw);
const features = student.input && 'components' in student.input ? student.input.components : student.model.qubits;
const classes = cfg.data.type === 'mnist' ? cfg.data.classes.length : 2;
const spec = modelSpec(m, features!, classes);
const ta = new QnnModel(spec);
const ps = new QnnModel({ ...spec, gradient: 'parameter-shift' });
if (ta.gradientMethod !== 'trajectory-adjoint') throw new Error(`expected 'auto' to pick the trajectory adjoint, got ${ta.gradientMethod}`);

const reps = Number(values.reps), N = Number(values.samples);
const rng = makeRng('bench-traj-adjoint');
const xs = Array.from({ length: N }, () => Float64Array.from({ length: features! }, () => 2 * rng() - 1));
const params = ta.initParams(makeRng('init'));
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const time = (model: QnnModel, rep: number): number => {
  const c0 = cpu();
  xs.forEach((x, i) => model.forwardBackward(params, x, (z) => crossEntropy(z, i % classes), `rep${rep}:${i}`));
  return (cpu() - c0) / N;
};
time(ta, -1); time(ps, -1); // warm-up
const tTa: number[] = [], tPs: number[] = [];
for (let r = 0; r < reps; r++) { tPs.push(time(ps, r)); tTa.push(time(ta, r)); }
const median = (v: number[]): number => { const s = v.slice().sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const G = ta.circuit.gates.reduce((a, g) => a + (g.angles ?? []).filter((x) => 'param' in x).length, 0);
const T = spec.trajectories!;
const mPs = median(tPs), mTa = median(tTa);
process.stdout.write(`student ${sw.student}: ${spec.qubits} qubits, G = ${G} parameterised gate angles, depolarizing P = ${P} after two-qubit gates, T = ${T} trajectories; ${reps} repeats × ${N} samples, CPU seconds per sample (median)\n`);
process.stdout.write(`parameter-shift    ${(mPs * 1000).toFixed(2)} ms/sample  ((2G + 1)·T = ${(2 * G + 1) * T} forward passes)\n`);
process.stdout.write(`trajectory-adjoint ${(mTa * 1000).toFixed(2)} ms/sample  (T = ${T} forward passes + ${T} adjoint gradients)\n`);
process.stdout.write(`ratio parameter-shift / trajectory-adjoint: ${(mPs / mTa).toFixed(2)}×\n`);
