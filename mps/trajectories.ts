/**
 * Noisy circuits on an {@link Mps} by Monte-Carlo quantum trajectories (Dalibard, Castin &
 * Mølmer 1992; Dum, Zoller & Ritsch 1992): after each gate every channel of the noise model
 * (`noise.ts`) is unravelled by drawing one Kraus operator K_i with probability
 * ‖K_i ψ‖²/‖ψ‖², applying it and rescaling, so each trajectory stays a pure-state MPS and
 * the mean of an observable over trajectories is an unbiased estimate of tr(ρ O) for the
 * density matrix ρ of the noisy circuit.
 *
 * - Depolarizing and phase damping are mixed-unitary channels (Pauli channels), so their
 *   probabilities do not depend on the state: a Pauli string is drawn and applied as
 *   one-qubit gates, which keep the canonical form and cost O(χ²). Y is applied as the real
 *   matrix [[0, −1], [1, 0]] = −iY (a global phase), so real circuits stay real.
 * - Amplitude damping is state-dependent: the centre is moved onto the qubit, where
 *   p_1 = Σ_{a,b} |A[a, 1, b]|² / ‖A‖² is the qubit's population of |1⟩, K1 is drawn with
 *   probability γ·p_1, and the chosen operator is applied to the centre tensor.
 * - The rescaling keeps ‖ψ‖² unchanged, so the truncation report's norm-drift check still
 *   holds (‖ψ‖²/‖ψ_0‖² = F).
 *
 * Each trajectory t draws from its own generator seeded `<seed>:traj:<t>`, so trajectory t
 * is the same whatever other trajectories run, in whatever order or worker.
 */
import { applyOneQubitInPlace, runCircuitInPlace } from './apply.js';
import type { CMatrix } from './complex.js';
import type { Circuit } from './gates.js';
import { localExpectations } from './measure.js';
import { Mps } from './mps.js';
import { channelsAfterGate, type Channel, type NoiseModel } from './noise.js';
import { makeRng, type Rng } from './rng.js';
import { sampleShotsWithReadout } from './shots.js';
import { accumulateWorstReport, type TruncationOptions, type TruncationReport } from './truncation.js';

const X: CMatrix = { dim: 2, re: Float64Array.of(0, 1, 1, 0), im: null };
const MINUS_IY: CMatrix = { dim: 2, re: Float64Array.of(0, -1, 1, 0), im: null };
const Z: CMatrix = { dim: 2, re: Float64Array.of(1, 0, 0, -1), im: null };
const PAULI_TRAJ = [null, X, MINUS_IY, Z];

/** Seed string of trajectory `index` under the run seed `seed`. */
export function trajectorySeed(seed: string | number, index: number): string {
  return `${seed}:traj:${index}`;
}

/**
 * The Pauli string a Pauli channel applies for the uniform draw `u` ∈ [0, 1): 0 for the
 * identity (no error), else the index s of the string in the channel's basis — depolarizing on
 * k qubits: s ∈ 1 … 4^k − 1 with probability P/4^k each (two qubits: s = 4a + b, Pauli a on
 * `qubits[0]` and b on `qubits[1]`, 1 = X, 2 = Y, 3 = Z); phase damping: 3 (Z) with
 * probability p_z = (1 − √(1 − λ))/2. The probabilities do not depend on the state, which is
 * what lets a trajectory be realized as a fixed circuit (`trajectory-realization.ts`).
 * @throws Error for amplitude damping (its draw depends on the state).
 */
export function pauliChannelDraw(ch: Channel, u: number): number {
  if (ch.kind === 'depolarizing') {
    const d = 4 ** ch.qubits.length;
    const per = ch.p / d;
    if (!(u < per * (d - 1))) return 0;
    return Math.min(Math.floor(u / per), d - 2) + 1; // non-identity Pauli string 1 … d−1
  }
  if (ch.kind === 'phaseDamping') return u < (1 - Math.sqrt(1 - ch.p)) / 2 ? 3 : 0;
  throw new Error(`pauliChannelDraw: '${ch.kind}' is not a Pauli channel (its draw depends on the state)`);
}

/**
 * The one-qubit factors of Pauli string `s` of a Pauli channel on `qubits` (see
 * {@link pauliChannelDraw}), in the order they are applied: [qubit, Pauli index 1 = X,
 * 2 = Y (applied as −iY), 3 = Z] for each non-identity factor, `qubits[0]` first.
 */
export function pauliFactors(qubits: readonly number[], s: number): [number, number][] {
  if (qubits.length === 1) return s ? [[qubits[0]!, s]] : [];
  const out: [number, number][] = [];
  if (s >> 2) out.push([qubits[0]!, s >> 2]);
  if (s & 3) out.push([qubits[1]!, s & 3]);
  return out;
}

/**
 * A copy of the real 2×2 matrix the trajectories apply for Pauli index 1 (X), 2 (−iY =
 * [[0, −1], [1, 0]], Y up to a global phase) or 3 (Z).
 * @throws Error for another index.
 */
export function trajectoryPauliMatrix(a: number): CMatrix {
  const m = PAULI_TRAJ[a];
  if (!m) throw new Error(`trajectoryPauliMatrix: Pauli index must be 1, 2 or 3, got ${a}`);
  return { dim: 2, re: m.re.slice(), im: null };
}

/**
 * Applies one channel to `psi` by drawing one of its Kraus operators (one `rng()` call), in
 * place; returns the index of the operator drawn (0 = no error / K0; depolarizing: the Pauli
 * string of {@link pauliChannelDraw}; phase damping and amplitude damping: 1 for K1). See the
 * module comment.
 */
export function applyChannelSampled(psi: Mps, ch: Channel, rng: Rng): number {
  const u = rng();
  if (ch.kind !== 'amplitudeDamping') {
    const s = pauliChannelDraw(ch, u);
    for (const [q, a] of pauliFactors(ch.qubits, s)) applyOneQubitInPlace(psi, PAULI_TRAJ[a]!, q);
    return ch.kind === 'phaseDamping' ? (s ? 1 : 0) : s;
  }
  const q = ch.qubits[0];
  // amplitude damping: K0 = diag(1, √(1−γ)), K1 = √γ |0⟩⟨1|, at the orthogonality centre
  psi.moveCenterInPlace(q);
  const t = psi.sites[q]!;
  let w0 = 0, w1 = 0;
  for (let a = 0; a < t.dl; a++) {
    const o = a * 2 * t.dr;
    for (let b = 0; b < t.dr; b++) {
      w0 += t.re[o + b]! ** 2 + (t.im ? t.im[o + b]! ** 2 : 0);
      w1 += t.re[o + t.dr + b]! ** 2 + (t.im ? t.im[o + t.dr + b]! ** 2 : 0);
    }
  }
  const p1 = (ch.p * w1) / (w0 + w1);
  const jump = u < p1;
  const k: CMatrix = jump
    ? { dim: 2, re: Float64Array.of(0, Math.sqrt(ch.p), 0, 0), im: null }
    : { dim: 2, re: Float64Array.of(1, 0, 0, Math.sqrt(1 - ch.p)), im: null };
  applyOneQubitInPlace(psi, k, q);
  psi.scaleInPlace(1 / Math.sqrt(jump ? p1 : 1 - p1));
  return jump ? 1 : 0;
}

/**
 * Runs one trajectory of `circuit` under `model` on `psi` in place, drawing from `rng`, and
 * returns its truncation report. Gates are applied moment by moment exactly as by
 * `runCircuitInPlace` (so a model without gate channels gives the same bits); after each
 * moment the channels of its gates follow in gate order. Channels act only on their gate's
 * qubits, which no other gate of the moment touches, so this equals applying each gate's
 * channels right after the gate.
 */
export function runTrajectoryInPlace(psi: Mps, circuit: Circuit, model: NoiseModel, rng: Rng, truncation: Partial<TruncationOptions> = {}): TruncationReport {
  return runCircuitInPlace(psi, circuit, truncation, (moment) => {
    for (const op of moment) for (const ch of channelsAfterGate(model, op)) applyChannelSampled(psi, ch, rng);
  });
}

/** Options of {@link simulateTrajectories}. */
export interface TrajectoryOptions {
  /** Number of trajectories K ≥ 1. */
  trajectories: number;
  /** Run seed; trajectory t uses `<seed>:traj:<t>`. */
  seed: string | number;
  /** Truncation of every trajectory (defaults as everywhere). */
  truncation?: Partial<TruncationOptions>;
  /** Initial state (default |0…0⟩); copied, not modified. */
  initial?: Mps;
  /** Shots drawn from each trajectory's final state (default 0), readout error applied. */
  shotsPerTrajectory?: number;
  /** First trajectory index (default 0): run indices first … first+K−1, e.g. one worker's share. */
  first?: number;
}

/** Truncation summary over trajectories. */
export interface TrajectoryTruncation extends TruncationReport {
  /** Mean of the trajectories' fidelity estimates (`fidelityEstimate` holds the smallest). */
  meanFidelityEstimate: number;
}

/** Result of {@link simulateTrajectories}. */
export interface TrajectoryResult {
  /** Mean over trajectories of ⟨Z_q⟩ per qubit, times (1 − 2p) for readout error p. */
  z: Float64Array;
  /** Standard error of each `z[q]`: sample standard deviation over trajectories / √K (0 for K = 1). */
  standardError: Float64Array;
  /** Each trajectory's (readout-scaled) ⟨Z_q⟩, trajectory-major: zPerTrajectory[t·n + q]. */
  zPerTrajectory: Float64Array;
  /** Number of trajectories. */
  trajectories: number;
  /**
   * Worst case over trajectories: smallest fidelity estimate, largest discarded weight, bond
   * and norm drift, `normDriftExceeded` if any; truncations, splits and split methods summed.
   */
  truncation: TrajectoryTruncation;
  /** The shots (qubit 0 first), trajectory by trajectory, when `shotsPerTrajectory` > 0. */
  samples?: string[];
}

/**
 * Mean and standard error (sample standard deviation / √K) of each column of a K×cols
 * row-major table. The mean is the first row plus the mean deviation from it, so K equal
 * values give that value bit for bit.
 */
export function meanAndStandardError(values: Float64Array, rows: number, cols: number): { mean: Float64Array; standardError: Float64Array } {
  const mean = new Float64Array(cols);
  const standardError = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const x0 = values[c]!;
    let dev = 0;
    for (let r = 1; r < rows; r++) dev += values[r * cols + c]! - x0;
    mean[c] = x0 + dev / rows;
  }
  if (rows > 1) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += (values[r * cols + c]! - mean[c]!) ** 2;
      standardError[c] = Math.sqrt(s / (rows - 1) / rows);
    }
  }
  return { mean, standardError };
}

/**
 * Simulates `circuit` under `model` by K quantum trajectories on MPSs and returns the mean
 * ⟨Z_q⟩ with its standard error over trajectories, and the truncation summary. Cost: K
 * pure-state MPS runs, plus O(χ³) per amplitude-damping channel for the centre move.
 * @throws Error for K not an integer ≥ 1, and whatever the circuit run throws.
 */
export function simulateTrajectories(circuit: Circuit, model: NoiseModel, opts: TrajectoryOptions): TrajectoryResult {
  const K = opts.trajectories;
  if (!Number.isInteger(K) || K < 1) throw new Error(`trajectories must be an integer ≥ 1, got ${K}`);
  const shots = opts.shotsPerTrajectory ?? 0;
  if (!Number.isInteger(shots) || shots < 0) throw new Error(`shotsPerTrajectory must be an integer ≥ 0, got ${shots}`);
  const first = opts.first ?? 0;
  const n = circuit.n;
  const scale = 1 - 2 * (model.readout ?? 0);
  const zPer = new Float64Array(K * n);
  const samples: string[] = [];
  let summary: TrajectoryTruncation | null = null;
  let fSum = 0;
  for (let t = 0; t < K; t++) {
    const psi = opts.initial ? opts.initial.clone() : Mps.zeros(n);
    const idx = first + t;
    const rng = makeRng(trajectorySeed(opts.seed, idx));
    const r = runTrajectoryInPlace(psi, circuit, model, rng, opts.truncation);
    const z = localExpectations(psi, 'Z');
    for (let q = 0; q < n; q++) zPer[t * n + q] = scale * z[q]!;
    if (shots > 0) samples.push(...sampleShotsWithReadout(psi, shots, `${trajectorySeed(opts.seed, idx)}`, model.readout ?? 0));
    fSum += r.fidelityEstimate;
    if (summary === null) summary = { ...r, splitMethods: { ...r.splitMethods }, meanFidelityEstimate: 0 };
    else accumulateWorstReport(summary, r);
  }
  summary!.meanFidelityEstimate = fSum / K;
  const { mean, standardError } = meanAndStandardError(zPer, K, n);
  return { z: mean, standardError, zPerTrajectory: zPer, trajectories: K, truncation: summary!, ...(shots > 0 ? { samples } : {}) };
}
