/**
 * Cost-model estimates for `qdistill run --dry-run`: time and peak memory of every training
 * run of a config, before running it. A two-qubit gate on bond χ costs about 4·(2χ)³ flops
 * (the SVD-like split of a 2χ×2χ matrix; ×4 for complex circuits), the adjoint gradient about
 * 3× a forward pass, and this machine sustains about 1.5 GFLOP/s on these kernels (measured by
 * `npm run bench`). Bonds are assumed to saturate at min(maxBond, χ_in·4^layers, 2^(n/2)),
 * χ_in being the bond of ground-state inputs (1 for product encodings); real runs with small
 * angles stay far below, so the time is an upper estimate. State-vector models are costed per
 * amplitude and gate ({@link SV_SECONDS_PER_AMPLITUDE}).
 */
import { buildCircuit } from '../qnn/spec.js';
import { mpsMemoryBytes } from '../../mps/apply.js';
import type { ExperimentConfig, ModelConfig, Training } from './config.js';
import { modelSpec } from './build.js';

/** Sustained nominal GFLOP/s assumed by the estimates. */
export const ASSUMED_GFLOPS = 1.5;

/**
 * Seconds per amplitude per gate assumed for the state-vector backend (measured: a 16-qubit,
 * 110-gate model forward takes 51 ms, 7 ns per amplitude-gate; forward+adjoint 5.7 forwards).
 */
export const SV_SECONDS_PER_AMPLITUDE = 1e-8;

/** Estimate of one training run; `chi` is 0 for a state-vector model (exact, no bonds). */
export interface RunEstimate { run: string; qubits: number; twoQubitGates: number; chi: number; seconds: number; peakMemoryMiB: number }

function samples(cfg: ExperimentConfig): { train: number; eval: number } {
  const d = cfg.data;
  if (d.type === 'mnist') { const c = d.classes.length; return { train: c * d.perClass.train, eval: c * (d.perClass.train + d.perClass.val + d.perClass.test) }; }
  if (d.type === 'blobs') return { train: d.nTrain, eval: d.nTrain + d.nVal + d.nTest };
  const pts = Object.values(d.grid).reduce((a, v) => a * v.length, 1);
  return { train: Math.round(pts * (1 - d.split.val - d.split.test)), eval: pts };
}

function one(name: string, m: ModelConfig, features: number, classes: number, t: Training, s: { train: number; eval: number }, inputChi = 1): RunEstimate {
  const spec = modelSpec(m, features, classes);
  const { circuit } = buildCircuit(spec);
  const twoQ = circuit.gates.filter((g) => g.qubits.length === 2).length;
  const layers = Math.max(1, spec.ansatz.layers);
  // the circuit multiplies the input's bond (1 for a product state, up to the DMRG bond for
  // ground-state inputs) by at most 2^(2·layers); no bond exceeds 2^(n/2)
  const reach = Math.min(2 ** Math.floor(m.qubits / 2), (spec.encoding.type === 'mps' ? inputChi : 1) * 2 ** (2 * layers));
  const chi = Math.min(m.maxBond ?? reach, reach);
  const complex = spec.ansatz.type === 'hardware-efficient' || spec.encoding.type === 'angle' && spec.encoding.rotation === 'rx';
  if (m.backend === 'statevector') {
    // every gate touches all 2^n amplitudes, ~SV_SECONDS_PER_AMPLITUDE each; forward+adjoint
    // costs ~6 forwards; the adjoint sweep holds three vectors of 2^n complex amplitudes
    const fwd = circuit.gates.length * 2 ** m.qubits * SV_SECONDS_PER_AMPLITUDE;
    return { run: name, qubits: m.qubits, twoQubitGates: twoQ, chi: 0, seconds: t.epochs * (s.train * 6 * fwd + s.eval * fwd), peakMemoryMiB: 3 * 16 * 2 ** m.qubits / 2 ** 20 };
  }
  const forward = twoQ * 4 * (2 * chi) ** 3 * (complex ? 4 : 1) / (ASSUMED_GFLOPS * 1e9);
  const seconds = t.epochs * (s.train * 4 * forward + s.eval * forward);
  const moments = 3 * layers + 2;
  return { run: name, qubits: m.qubits, twoQubitGates: twoQ, chi, seconds, peakMemoryMiB: mpsMemoryBytes(m.qubits, chi, !complex, moments + 3) / 2 ** 20 };
}

/** Estimates for every training run of one seed (multiply by the number of seeds). */
export function estimateConfig(cfg: ExperimentConfig): { perSeed: RunEstimate[]; totalSeconds: number; peakMemoryMiB: number } {
  const s = samples(cfg);
  const features = cfg.data.type === 'mnist' ? cfg.data.size ** 2 : cfg.data.type === 'blobs' ? cfg.data.features : 0;
  const classes = cfg.data.type === 'mnist' ? cfg.data.classes.length : cfg.data.type === 'blobs' ? cfg.data.classes : 2;
  const t = (o?: Partial<Training>): Training => ({ ...cfg.training, ...(o ?? {}) });
  const inputChi = cfg.data.type === 'phases' ? cfg.data.dmrg.maxBond : 1;
  const out: RunEstimate[] = [];
  if (cfg.teacher) out.push(one('teacher', cfg.teacher.model, features, classes, t(cfg.teacher.training), s, inputChi));
  for (const st of cfg.students) {
    const f = st.input ? (st.input.kind === 'avgPool' ? st.input.to ** 2 : st.input.kind === 'pca' ? st.input.components : st.input.indices.length) : features;
    const e = one(st.name, st.model, f, classes, t(st.training), s, inputChi);
    for (const m of cfg.methods) out.push({ ...e, run: `${st.name}/${m}` });
  }
  if (cfg.teacherBond) {
    const st = cfg.students.find((x) => x.name === cfg.teacherBond!.student)!;
    const e = out.find((x) => x.run.startsWith(`${st.name}/`)) ?? one(st.name, st.model, features, classes, t(st.training), s);
    for (const chi of cfg.teacherBond.chi) out.push({ ...e, run: `bond χ_T=${chi}/${st.name}` });
  }
  if (cfg.selfDistillation) {
    const sd = cfg.selfDistillation;
    const f = sd.input ? (sd.input.kind === 'avgPool' ? sd.input.to ** 2 : sd.input.kind === 'pca' ? sd.input.components : sd.input.indices.length) : features;
    const e = one('self', sd.model, f, classes, t(), s);
    for (const m of sd.methods) out.push({ ...e, run: `self/${m}` });
  }
  return { perSeed: out, totalSeconds: out.reduce((a, r) => a + r.seconds, 0) * cfg.seeds.length, peakMemoryMiB: Math.max(0, ...out.map((r) => r.peakMemoryMiB)) };
}
