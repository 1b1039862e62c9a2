/**
 * One quantum trajectory under Pauli noise as a fixed circuit: its realization.
 *
 * When every channel of a noise model is a Pauli channel — depolarizing (one and two qubits),
 * phase damping (unravelled as the phase flip of `noise.ts`) and the readout bit flip — the
 * trajectory runner (`trajectories.ts`) draws each channel's Pauli string with one `rng()` call
 * and probabilities that do not depend on the state. Trajectory t is then a unitary circuit
 * fixed by its seed alone: the circuit with the drawn Paulis inserted after their gates. Its
 * readouts ⟨O⟩_t(θ) are differentiable by the adjoint method, and because the draw
 * probabilities do not depend on θ, ρ(θ) = Σ_r P(r)·|ψ_r(θ)⟩⟨ψ_r(θ)| over the finitely many
 * realizations r, so E_t[∇⟨O⟩_t(θ)] = ∇ tr(ρ(θ) O): the mean of the per-trajectory gradients
 * is an unbiased gradient of the noisy expectation.
 *
 * Amplitude damping draws its jump with probability γ·p_1(ψ), which depends on the state (and
 * so on θ), and its Kraus operators are not unitary: such models are refused.
 *
 * The realized Paulis are real gates, so real circuits stay real: X as `x`, Z as `z`, and Y as
 * the explicit matrix [[0, −1], [1, 0]] = −iY (a `unitary` op; a global phase), exactly the
 * matrices the trajectory runner applies.
 */
import { applyOneQubitInPlace, runCircuitInPlace, toMoments } from './apply.js';
import { gateMatrix, type Circuit, type GateOp } from './gates.js';
import type { Mps } from './mps.js';
import { channelsAfterGate, type ChannelRates, type NoiseModel } from './noise.js';
import type { Rng } from './rng.js';
import { pauliChannelDraw, pauliFactors, trajectoryPauliMatrix } from './trajectories.js';
import type { TruncationOptions, TruncationReport } from './truncation.js';

/**
 * The path of the first state-dependent channel rate of `model` (a non-zero amplitude-damping
 * rate, e.g. `twoQubit.amplitudeDamping` or `gates.cx.amplitudeDamping`), or null when every
 * channel is a Pauli channel (depolarizing, phase damping, readout bit flip).
 */
export function stateDependentRate(model: NoiseModel | null | undefined): string | null {
  if (!model) return null;
  const ad = (r: ChannelRates | undefined) => (r?.amplitudeDamping ?? 0) > 0;
  if (ad(model.oneQubit)) return 'oneQubit.amplitudeDamping';
  if (ad(model.twoQubit)) return 'twoQubit.amplitudeDamping';
  for (const [name, r] of Object.entries(model.gates ?? {})) if (ad(r)) return `gates.${name}.amplitudeDamping`;
  return null;
}

/** One trajectory realized as a circuit ({@link realizeTrajectory}). */
export interface TrajectoryRealization {
  /**
   * The realized circuit: the original gates in their order, each followed by the Paulis drawn
   * for its channels (`x`, `z`, or −iY as a real `unitary`). Run noiselessly it gives the
   * trajectory's state (to rounding; {@link runRealizationInPlace} repeats the trajectory
   * runner's order of operations and gives it bit for bit).
   */
  circuit: Circuit;
  /**
   * origin[i] = index in the original circuit of realized op i, or −1 for an inserted Pauli:
   * gradients of the realized circuit's gate parameters accumulate onto the original gates.
   */
  origin: Int32Array;
  /** paulisAfter[k]: the Pauli ops inserted after original gate k, in the order applied. */
  paulisAfter: GateOp[][];
  /** Number of Pauli factors inserted. */
  errors: number;
}

function pauliOp(q: number, a: number): GateOp {
  if (a === 1) return { name: 'x', qubits: [q], params: [] };
  if (a === 3) return { name: 'z', qubits: [q], params: [] };
  return { name: 'unitary', qubits: [q], params: [], matrix: trajectoryPauliMatrix(2) };
}

/** Shallow copies of the ops (distinct objects even where the circuit repeats one) and their indices. */
function indexedCopies(ops: readonly GateOp[]): { copies: GateOp[]; index: Map<GateOp, number> } {
  const copies = ops.map((op) => ({ ...op }));
  return { copies, index: new Map(copies.map((op, k) => [op, k])) };
}

/**
 * Draws the realization of a trajectory of `circuit` under the Pauli noise model `model` from `rng`,
 * consuming it exactly as `runTrajectoryInPlace` does: moment by moment (the moments of
 * `toMoments`), within a moment gate by gate, one `rng()` call per channel of
 * `channelsAfterGate` (with `pauliChannelDraw`). Given `makeRng(trajectorySeed(seed, t))` it
 * is trajectory t of the runner with that seed. The readout bit flip is no gate channel and
 * draws nothing here (exact readouts scale by (1 − 2p) per Z factor).
 * @throws Error when the model has a state-dependent channel (amplitude damping), naming the
 *   rate, or for a per-gate depolarizing rate beyond its gate's range.
 */
export function realizeTrajectory(circuit: Circuit, model: NoiseModel, rng: Rng): TrajectoryRealization {
  const bad = stateDependentRate(model);
  if (bad !== null) {
    throw new Error(`realizeTrajectory: noise.${bad} is a state-dependent channel (its jump probability depends on the state), so a trajectory is no fixed circuit; only Pauli channels (depolarizing, phaseDamping, readout) can be realized`);
  }
  const { copies, index } = indexedCopies(circuit.ops);
  const paulisAfter: GateOp[][] = circuit.ops.map(() => []);
  let errors = 0;
  for (const moment of toMoments(copies, circuit.n)) {
    for (const op of moment) {
      for (const ch of channelsAfterGate(model, op)) {
        for (const [q, a] of pauliFactors(ch.qubits, pauliChannelDraw(ch, rng()))) {
          paulisAfter[index.get(op)!]!.push(pauliOp(q, a));
          errors++;
        }
      }
    }
  }
  const ops: GateOp[] = [];
  const origin: number[] = [];
  circuit.ops.forEach((op, k) => {
    ops.push(op);
    origin.push(k);
    for (const p of paulisAfter[k]!) { ops.push(p); origin.push(-1); }
  });
  return { circuit: { n: circuit.n, ops }, origin: Int32Array.from(origin), paulisAfter, errors };
}

/**
 * Runs the realized trajectory on `psi` in place in the trajectory runner's order of operations
 * (the original circuit's moments by `runCircuitInPlace`, each followed by the Paulis of its
 * gates), so that it reproduces `runTrajectoryInPlace` under the same draws bit for bit; the
 * realized circuit `r.circuit` run as an ordinary circuit groups its gates into other moments
 * and agrees to rounding (or to truncation under a bond cap). Returns the truncation report.
 * @param source the circuit `r` was realized from
 * @throws Error when `r` was not realized from a circuit with `source`'s gate count, and
 *   whatever the circuit run throws.
 */
export function runRealizationInPlace(psi: Mps, source: Circuit, r: TrajectoryRealization, truncation: Partial<TruncationOptions> = {}): TruncationReport {
  if (r.paulisAfter.length !== source.ops.length) throw new Error(`runRealizationInPlace: the realization has ${r.paulisAfter.length} gates, the source circuit ${source.ops.length}`);
  const { copies, index } = indexedCopies(source.ops);
  return runCircuitInPlace(psi, { n: source.n, ops: copies }, truncation, (moment) => {
    for (const op of moment) {
      for (const p of r.paulisAfter[index.get(op)!]!) applyOneQubitInPlace(psi, gateMatrix(p), p.qubits[0]!);
    }
  });
}
