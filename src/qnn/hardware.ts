/**
 * Readouts as a quantum computer reports them: estimated from a finite number of shots and/or
 * after noisy gates, and the parameter-shift gradient that such readouts allow.
 *
 * **Shots.** With `shots: K` every readout r_k = ⟨Π_{q∈g_k} Z_q⟩ is estimated from K perfect
 * samples of the final state (the MPS sampler, O(nχ²) per shot) as the mean of the ±1 values
 * Π_{q∈g_k} (1 − 2b_q). The estimate is unbiased, with variance (1 − r_k²)/K.
 *
 * **Gate noise.** With a `noise` block the circuit runs as T quantum trajectories on the MPS
 * (`mps/trajectories.ts`): without shots each r_k is the mean over trajectories of the
 * trajectory's exact ⟨O_k⟩, an unbiased estimate of tr(ρ O_k) with variance σ_k²/T (σ_k² the
 * variance of ⟨O_k⟩ over trajectories, ≤ 1); with shots, min(T, K) trajectories share the K
 * shots (trajectory t draws ⌊K/T⌋ shots, one more for t < K mod T) and r_k is the mean over all
 * K shots, again unbiased for tr(ρ O_k). A readout bit-flip probability p multiplies each Z
 * factor by (1 − 2p): it flips sampled bits, or scales exact readouts by (1 − 2p)^|g_k|.
 *
 * **Seeds.** Every evaluation takes a seed string; trajectory t draws its Kraus operators from
 * `<seed>:traj:<t>` and its shots (bits, then readout flips) from `<seed>:shots:<t>`, so an
 * evaluation depends only on its seed, never on which worker runs it or what ran before.
 *
 * **Gradient (parameter shift).** The adjoint method needs exact amplitudes, so under shots or
 * amplitude damping (or when forced) ∂r_k/∂θ_i comes from the parameter-shift rules on the estimated readouts
 * (src/grad/param-shift.ts): ∂r_k/∂θ_i = Σ_{gates g reading θ_i} s_g · Σ_t c_t·r_k(φ_g + δ_t),
 * where φ_g = s_g·θ_i is the gate angle and (δ_t, c_t) the terms of g's rule: (±π/2, ±½) for
 * the two-term gates (Mitarai et al. 2018; Schuld et al. 2019), (±π/2, ±d₊) and (±3π/2, ∓d₋),
 * d± = (√2 ± 1)/(4√2), for cry and ucry (four-term rule). Each shifted circuit is evaluated with its own
 * independent seed, so every term is an unbiased estimate and, for one readout under K
 * noiseless shots, Var[∂̂r/∂φ] = Σ_t c_t²·(1 − r_t²)/K ≤ 1/(2K) per two-term gate angle and
 * ≤ 2(d₊² + d₋²)/K = 3/(8K) per cry or ucry angle (Σ_t c_t²·σ_t²/T with T trajectories and exact
 * readouts). The rules hold under gate noise because the channels are fixed maps that do not
 * depend on θ: tr(O·Φ(θ)[ρ]) is still a trigonometric polynomial in each gate angle with the
 * frequencies of the noiseless one. Cost per sample: 2G₂ + 4G₄ + 1 noisy or sampled circuit
 * evaluations for G₂ two-term and G₄ four-term (cry, ucry) gate angles.
 * Under Pauli-only noise without shots the trajectory adjoint (`trajectory-adjoint.ts`)
 * estimates the same quantity at about 3–4 forward passes per trajectory;
 * {@link chooseGradientMethod} picks between them.
 */
import {
  accumulateWorstReport, expectPauliString, isNoiseless, makeRng, Mps, runCircuitInPlace, runTrajectoryInPlace, sampleBitstrings, stateDependentRate, trajectorySeed,
  type Circuit, type NoiseModel, type PauliString, type TruncationOptions, type TruncationReport,
} from '../../mps/index.js';
import type { ParamCircuit } from '../circuit/ir.js';
import { FOUR_TERM_SHIFT_GATES, SHIFT_RULE_GATES, shiftedCircuit, shiftRule } from '../grad/param-shift.js';

/** The hardware options of a model: shots per input, gate/readout noise, trajectories. */
export interface HardwareOptions {
  /** Shots per input and evaluation (integer ≥ 1); absent: exact readouts. */
  shots?: number;
  /** Gate and readout noise (the `noise` block of `simulate --noise`); absent: noiseless. */
  noise?: NoiseModel;
  /** Trajectories per evaluation under gate noise (default {@link DEFAULT_MODEL_TRAJECTORIES}). */
  trajectories?: number;
}

/** Trajectories per evaluation of a noisy model when its spec gives none. */
export const DEFAULT_MODEL_TRAJECTORIES = 16;

/**
 * What a model's noise asks of an evaluation: the readout flip probability p, whether any gate
 * channel is on (else a trajectory is the noiseless circuit), and the trajectories to run
 * (`h.trajectories`, default {@link DEFAULT_MODEL_TRAJECTORIES}, under gate noise; 1 without).
 */
export function noiseShape(h: HardwareOptions): { readout: number; gateNoise: boolean; trajectories: number } {
  const noise = h.noise;
  const gateNoise = !!noise && !isNoiseless({ ...noise, readout: 0 });
  return { readout: noise?.readout ?? 0, gateNoise, trajectories: gateNoise ? (h.trajectories ?? DEFAULT_MODEL_TRAJECTORIES) : 1 };
}

/** True when readouts are random: shots are drawn, or the noise model is not noiseless. */
export function isStochastic(h: HardwareOptions): boolean {
  return h.shots !== undefined || !isNoiseless(h.noise);
}

/**
 * Which gradient a model's training runs: the adjoint (exact readouts), the parameter shift
 * (this module), or the trajectory adjoint (`trajectory-adjoint.ts`: the adjoint on realized
 * Pauli-noise trajectories).
 */
export type GradientMethod = 'adjoint' | 'parameter-shift' | 'trajectory-adjoint';

/** The `gradient` option of a model spec: `auto` (default) or a forced method. */
export type GradientChoice = 'auto' | 'parameter-shift' | 'trajectory-adjoint';

/** The values of {@link GradientChoice}. */
export const GRADIENT_CHOICES: readonly GradientChoice[] = ['auto', 'parameter-shift', 'trajectory-adjoint'];

/**
 * The gradient a model runs for the `gradient` option `choice` and its hardware options.
 * Exact readouts (no shots, no non-zero noise rate) always train by the adjoint, whatever the
 * choice: the option concerns estimated readouts, so a study that forces a method keeps its
 * noiseless points exact. Otherwise a forced method is returned as given (the model spec's
 * validation refuses the combinations that cannot run), and `auto` picks the trajectory
 * adjoint for Pauli-only noise without shots (depolarizing, phase damping, readout flips) and
 * the parameter shift under shots or state-dependent noise (amplitude damping).
 */
export function chooseGradientMethod(choice: GradientChoice, h: HardwareOptions): GradientMethod {
  if (!isStochastic(h)) return 'adjoint';
  if (choice !== 'auto') return choice;
  return h.shots === undefined && stateDependentRate(h.noise) === null ? 'trajectory-adjoint' : 'parameter-shift';
}

/** Estimated readouts of one evaluation, with the worst truncation report over its trajectories. */
export interface ReadoutEstimate {
  /** r_k per readout. */
  readouts: Float64Array;
  /** Smallest fidelity estimate, largest bond, discarded weight and norm drift over trajectories. */
  report: TruncationReport;
}

function worse(a: TruncationReport | null, b: TruncationReport): TruncationReport {
  return a ? accumulateWorstReport(a, b) : { ...b, splitMethods: { ...b.splitMethods } };
}

/**
 * Runs `circuit` from `init` (|0…0⟩ when null; copied, never modified) under the options `h`
 * and estimates the readouts `obs` (Z strings) as described in the module comment.
 * @param seed the evaluation's seed (see the module comment)
 * @throws Error when an observable has a non-Z factor, and whatever the circuit run throws.
 */
export function estimateReadouts(circuit: Circuit, init: Mps | null, obs: readonly PauliString[], h: HardwareOptions, truncation: TruncationOptions, seed: string): ReadoutEstimate {
  for (const o of obs) for (const f of o.factors) if (f.p !== 'Z') throw new Error(`readouts under shots or noise must be Z strings, got ${f.p} on qubit ${f.q}`);
  const noise = h.noise;
  const { readout: p, gateNoise, trajectories: T0 } = noiseShape(h);
  const K = h.shots;
  const T = K !== undefined ? Math.min(T0, K) : T0;
  const acc = new Float64Array(obs.length);
  let report: TruncationReport | null = null;
  for (let t = 0; t < T; t++) {
    const psi = init ? init.clone() : Mps.zeros(circuit.n);
    const r = gateNoise ? runTrajectoryInPlace(psi, circuit, noise!, makeRng(trajectorySeed(seed, t)), truncation) : runCircuitInPlace(psi, circuit, truncation);
    report = worse(report, r);
    if (K === undefined) {
      obs.forEach((o, k) => { acc[k]! += expectPauliString(psi, o) * (1 - 2 * p) ** o.factors.length; });
      continue;
    }
    const Kt = Math.floor(K / T) + (t < K % T ? 1 : 0);
    const rng = makeRng(`${seed}:shots:${t}`);
    const shots = sampleBitstrings(psi, Kt, rng);
    const bits = new Uint8Array(circuit.n);
    for (const s of shots) {
      for (let q = 0; q < circuit.n; q++) bits[q] = s.charCodeAt(q) - 48;
      if (p > 0) for (let q = 0; q < circuit.n; q++) if (rng() < p) bits[q]! ^= 1;
      obs.forEach((o, k) => {
        let v = o.coeff;
        for (const f of o.factors) if (bits[f.q]) v = -v;
        acc[k]! += v;
      });
    }
  }
  const denom = K ?? T;
  return { readouts: acc.map((v) => v / denom), report: report! };
}

/**
 * Seed of the evaluation of gate `gate`'s angle `angle` at one term of its shift rule: `sign`
 * '+' or '-' for the shifts ±π/2 (every rule), '+3' or '-3' for ±3π/2 (the four-term rule of cry and ucry).
 */
export function shiftSeed(seed: string, gate: number, angle: number, sign: string): string {
  return `${seed}:shift:${gate}.${angle}${sign}`;
}

/**
 * The Jacobian ∂r_k/∂θ_i of the readouts with respect to the circuit parameters by the
 * parameter-shift rules (module comment), row-major: jac[k·nParams + i]. Every parameterised
 * gate angle of `pc` is shifted in `bound` (its binding at the current parameters) by the shifts
 * of its gate's rule (`shiftRule`: ±π/2 for the two-term gates, ±π/2 and ±3π/2 for cry and
 * ucry) and
 * evaluated with `evaluate` under {@link shiftSeed}.
 * @param evaluate the readouts of a circuit under a seed (e.g. {@link estimateReadouts})
 * @throws Error for a parameterised gate without a shift rule.
 */
export function parameterShiftJacobian(pc: ParamCircuit, bound: Circuit, nReadouts: number, evaluate: (c: Circuit, seed: string) => Float64Array, seed: string): Float64Array {
  const P = pc.nParams;
  const jac = new Float64Array(nReadouts * P);
  const acc = new Float64Array(nReadouts);
  pc.gates.forEach((g, k) => {
    (g.angles ?? []).forEach((a, j) => {
      if (!('param' in a)) return;
      const op = bound.ops[k]!;
      const rule = shiftRule(op.name);
      if (!rule) throw new Error(`parameter shift: gate ${k} ('${op.name}') has no shift rule; allowed: ${[...SHIFT_RULE_GATES, ...FOUR_TERM_SHIFT_GATES].join(', ')}`);
      acc.fill(0);
      for (const t of rule) {
        const r = evaluate(shiftedCircuit(bound, k, j, t.shift), shiftSeed(seed, k, j, t.label));
        for (let q = 0; q < nReadouts; q++) acc[q]! += t.coeff * r[q]!;
      }
      const s = a.scale ?? 1;
      for (let r = 0; r < nReadouts; r++) jac[r * P + a.param]! += s * acc[r]!;
    });
  });
  return jac;
}
