/**
 * The trajectory-adjoint gradient of a noisy model: the adjoint method on realized trajectories.
 *
 * Under Pauli noise (depolarizing, phase damping, readout bit flip; `mps/trajectory-realization.ts`)
 * trajectory t of an evaluation is a fixed unitary circuit C_t(θ) — the bound circuit with the
 * drawn Paulis inserted after their gates — drawn with probabilities that do not depend on θ.
 * Its readouts ⟨O_k⟩_t(θ) are differentiable by the adjoint method, and
 * E_t[∇⟨O_k⟩_t(θ)] = ∇ tr(ρ(θ) O_k) (the expectation is a finite sum over realizations with
 * θ-independent weights). So for the loss weights w_k = ∂L/∂r_k(r̂) at the estimated readouts
 * r̂ (`estimateReadouts` under the evaluation seed), the mean over T realized circuits of the
 * adjoint gradient of M = Σ_k w_k·(1 − 2p)^{|g_k|}·O_k (p the readout flip probability, |g_k|
 * the number of Z factors of readout k) is an unbiased estimate of Σ_k w_k·∂r_k/∂θ, the
 * quantity the parameter-shift path estimates. Cost per sample: T forward passes for r̂ and T
 * adjoint gradients (each one forward pass, one backward pass and one environment sweep per
 * slice), about 3–4 forward passes per trajectory, instead of (2G + 1)·T forward passes for G
 * parameterised gate angles.
 *
 * **Seeds.** The realizations are drawn from the gradient seed `<seed>:grad` (trajectory t from
 * `<seed>:grad:traj:<t>`), independent of the evaluation's `<seed>:traj:<t>` — as the parameter
 * shift evaluates each shifted circuit under its own seed `<seed>:shift:…`. The weights w_k(r̂)
 * and the Jacobian estimate are then independent, so E[w(r̂)·Ĵ] = E[w(r̂)]·J: for a loss linear
 * in the readouts the loss gradient is unbiased, and for a nonlinear one its bias comes from
 * w(r̂) alone, exactly as for the parameter shift. Reusing the evaluation's trajectories would
 * correlate the two and add a bias of order Cov/T.
 *
 * Without gate channels (readout flips only) every realization is the circuit itself, so one is
 * drawn and the gradient is the exact adjoint gradient scaled per readout.
 */
import { makeRng, Mps, realizeTrajectory, trajectorySeed, type Circuit, type PauliString, type PauliSum } from '../../mps/index.js';
import { adjointGradient, type Simulator } from '../backends/simulator.js';
import { noiseShape, type HardwareOptions } from './hardware.js';

/** The seed the trajectory-adjoint gradient draws its realizations from, under the evaluation seed `seed`. */
export function gradientSeed(seed: string): string {
  return `${seed}:grad`;
}

/**
 * Per-gate parameter gradients ∂/∂φ of Σ_k weights[k]·r_k for the noisy readouts r_k of
 * `obs` (Z strings) after `bound`, by the trajectory-adjoint estimator of the module comment:
 * the mean over T realized trajectories (T = `h.trajectories`, default
 * the model's default; 1 without gate channels, see {@link noiseShape}) of the adjoint gradient of
 * Σ_k weights[k]·(1 − 2p)^{|g_k|}·O_k, each realized circuit's gate gradients summed onto its
 * original gate. Layout as `adjointGradient`: one Float64Array per gate of `bound`, in circuit
 * order, with one entry per gate angle (empty for fixed gates).
 * @param init the initial state (not modified), or null for |0…0⟩
 * @param seed the evaluation seed; realizations come from {@link gradientSeed}(seed)
 * @throws Error under shots (sampled readouts have no adjoint), for a noise model with a
 *   state-dependent channel (amplitude damping), for a weight count that differs from the
 *   readouts', and whatever the adjoint throws.
 */
export function trajectoryAdjointGateGradients(sim: Simulator, bound: Circuit, init: Mps | null, obs: readonly PauliString[], weights: ArrayLike<number>, h: HardwareOptions, seed: string): Float64Array[] {
  if (h.shots !== undefined) throw new Error(`trajectory-adjoint gradient: not under shots (${h.shots} shots: sampled readouts have no adjoint; use the parameter shift)`);
  if (weights.length !== obs.length) throw new Error(`trajectory-adjoint gradient: ${weights.length} weights for ${obs.length} readouts`);
  const { readout: p, gateNoise, trajectories: T } = noiseShape(h);
  const M: PauliSum = obs.map((o, k) => ({ coeff: weights[k]! * o.coeff * (1 - 2 * p) ** o.factors.length, factors: o.factors }));
  const acc = bound.ops.map((op) => new Float64Array(op.params.length));
  const gseed = gradientSeed(seed);
  for (let t = 0; t < T; t++) {
    const real = realizeTrajectory(bound, gateNoise ? h.noise! : {}, makeRng(trajectorySeed(gseed, t)));
    const { gateGradients } = adjointGradient(sim, real.circuit, M, init);
    real.origin.forEach((k, i) => {
      if (k < 0) return;
      const g = gateGradients[i]!, a = acc[k]!;
      for (let j = 0; j < a.length; j++) a[j]! += g[j]!;
    });
  }
  if (T > 1) for (const a of acc) for (let j = 0; j < a.length; j++) a[j]! /= T;
  return acc;
}
