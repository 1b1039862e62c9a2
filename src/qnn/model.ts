/**
 * The QNN model: encoding + ansatz + readout + classical head (docs/design.md §5).
 *
 * - Readouts r_k are ⟨Z_q⟩ on readout qubits (`qubits`), ⟨Z_{q1}Z_{q2}…⟩ on parity groups
 *   (`parity`), or ⟨Z_q⟩ on many qubits feeding a linear head (`linear`).
 * - Logits: z_c = a·r_c + b_c with trainable a (one scalar) and b (per class) for `qubits`
 *   and `parity` (one readout per class); z = W·r + b for `linear`.
 * - Parameter vector layout: [circuit θ (nCircuitParams) | head], head = [a, b_0…b_{C−1}] or
 *   [W (C×R, row-major), b_0…b_{C−1}].
 * - Backends: `mps` (truncation options apply) or `statevector` (exact, n ≤ 24), resolved once
 *   into a {@link Simulator} (src/backends/simulator.ts) that runs every forward pass and
 *   adjoint gradient.
 * - Hardware options (`shots`, `noise`, `trajectories`; `mps` only): readouts are then
 *   estimated from shots and/or noisy trajectories, every call needs a seed, and gradients
 *   come from the parameter-shift rule on the estimated readouts (`hardware.ts`) or, under
 *   Pauli-only noise without shots, from the adjoint on realized trajectories
 *   (`trajectory-adjoint.ts`); the spec's `gradient` option chooses ({@link chooseGradientMethod}).
 */
import { Mps, type Circuit, type PauliString, type PauliSum, type TruncationOptions, type TruncationReport } from '../../mps/index.js';
import { DEFAULT_MODEL_INIT_SCALE } from '../backends/defaults.js';
import { adjointGradient, engineTruncation, resolveSimulator, runSimulation, type Simulator } from '../backends/simulator.js';
import { bindCircuit, type ParamCircuit } from '../circuit/ir.js';
import { exportQasm } from '../circuit/json.js';
import { chooseGradientMethod, estimateReadouts, isStochastic, parameterShiftJacobian, type GradientMethod, type HardwareOptions } from './hardware.js';
import type { LossResult } from './loss.js';
import { buildCircuit, validateModelSpec, type ModelSpec } from './spec.js';
import { trajectoryAdjointGateGradients } from './trajectory-adjoint.js';

/** One sample's input: features (angle encodings) or a state (the `mps` encoding). */
export type ModelInput = ArrayLike<number> | Mps;

/** Forward result for one sample. */
export interface ForwardResult {
  /** Readouts r_k. */
  readouts: Float64Array;
  /** Logits z_c. */
  logits: Float64Array;
  /** Truncation report of the simulation (trivial on the state vector). */
  report: TruncationReport;
}

/** Forward + backward result for one sample. */
export interface BackwardResult extends ForwardResult {
  /** Loss value. */
  loss: number;
  /** ∂loss/∂params (full parameter vector). */
  grad: Float64Array;
}

/** A QNN classifier. Immutable: parameters are passed to each call. */
export class QnnModel {
  /** The validated specification. */
  readonly spec: ModelSpec;
  /** The parameterised circuit (encoding + ansatz). */
  readonly circuit: ParamCircuit;
  /** Readout observables, one Pauli string per readout. */
  readonly readouts: PauliString[];
  /** Number of circuit parameters. */
  readonly nCircuitParams: number;
  /** Number of head parameters. */
  readonly nHeadParams: number;
  /** True when readouts are estimated from shots or noisy trajectories (every call needs a seed). */
  readonly stochastic: boolean;
  /**
   * The gradient {@link QnnModel.forwardBackward} computes: `adjoint` (exact readouts, always),
   * else `trajectory-adjoint` (Pauli-only noise without shots) or `parameter-shift` (shots or
   * amplitude damping), unless the spec's `gradient` forces one.
   */
  readonly gradientMethod: GradientMethod;
  /** The simulator every evaluation runs on, resolved once from `spec.backend` and `spec.truncation`. */
  readonly simulator: Simulator;
  /** The engine's truncation options of {@link QnnModel.simulator} (for the MPS hardware estimators). */
  private readonly truncation: TruncationOptions;
  private readonly hardware: HardwareOptions;

  constructor(spec: ModelSpec) {
    this.spec = validateModelSpec(spec);
    const { circuit, readoutQubits } = buildCircuit(this.spec);
    this.circuit = circuit;
    const r = this.spec.readout;
    const groups = r.type === 'parity' ? r.groups : (r.qubits ?? readoutQubits).map((q) => [q]);
    this.readouts = groups.map((g) => ({ coeff: 1, factors: g.map((q) => ({ q, p: 'Z' as const })) }));
    const C = this.spec.classes;
    if (r.type !== 'linear' && this.readouts.length !== C) {
      throw new Error(`readout: '${r.type}' needs one readout per class (${C}), got ${this.readouts.length}`);
    }
    this.nCircuitParams = circuit.nParams;
    this.nHeadParams = r.type === 'linear' ? C * this.readouts.length + C : 1 + C;
    this.simulator = resolveSimulator(this.spec.backend, this.spec.truncation ?? {});
    this.truncation = engineTruncation(this.simulator);
    const { shots, noise, trajectories } = this.spec;
    this.hardware = { ...(shots !== undefined ? { shots } : {}), ...(noise !== undefined ? { noise } : {}), ...(trajectories !== undefined ? { trajectories } : {}) };
    this.stochastic = isStochastic(this.hardware);
    this.gradientMethod = chooseGradientMethod(this.spec.gradient ?? 'auto', this.hardware);
  }

  /** Total number of trainable parameters. */
  get nParams(): number {
    return this.nCircuitParams + this.nHeadParams;
  }

  /**
   * Seeded initial parameters: circuit angles uniform in [−π·s, π·s] (s = spec.initScale,
   * default {@link DEFAULT_MODEL_INIT_SCALE} = 1), head a = 1 (or W = identity-like), b = 0.
   */
  initParams(rng: () => number): Float64Array {
    const p = new Float64Array(this.nParams);
    const s = this.spec.initScale ?? DEFAULT_MODEL_INIT_SCALE;
    for (let i = 0; i < this.nCircuitParams; i++) p[i] = (2 * rng() - 1) * Math.PI * s;
    const h = this.nCircuitParams;
    if (this.spec.readout.type === 'linear') {
      const R = this.readouts.length;
      for (let c = 0; c < this.spec.classes; c++) p[h + c * R + (c % R)] = 1;
    } else p[h] = 1;
    return p;
  }

  /** Logits from readouts and head parameters. */
  logits(params: ArrayLike<number>, r: Float64Array): Float64Array {
    const C = this.spec.classes;
    const h = this.nCircuitParams;
    const z = new Float64Array(C);
    if (this.spec.readout.type === 'linear') {
      const R = r.length;
      for (let c = 0; c < C; c++) {
        let s = params[h + C * R + c]!;
        for (let k = 0; k < R; k++) s += params[h + c * R + k]! * r[k]!;
        z[c] = s;
      }
    } else {
      for (let c = 0; c < C; c++) z[c] = params[h]! * r[c]! + params[h + 1 + c]!;
    }
    return z;
  }

  private checkParams(params: ArrayLike<number>): void {
    if (params.length !== this.nParams) throw new Error(`params has ${params.length} entries; the model has ${this.nParams}`);
    for (let i = 0; i < params.length; i++) if (!Number.isFinite(params[i])) throw new Error(`params[${i}] must be a finite number, got ${params[i]}`);
  }

  private checkInput(x: ModelInput): void {
    if (x instanceof Mps) {
      if (this.spec.encoding.type !== 'mps') throw new Error(`model encoding is '${this.spec.encoding.type}' but the input is an MPS`);
      if (x.n !== this.spec.qubits) throw new Error(`input MPS has ${x.n} sites; the model has ${this.spec.qubits} qubits`);
    } else {
      if (this.spec.encoding.type === 'mps') throw new Error(`model encoding is 'mps' but the input is a feature vector`);
      if (x.length !== this.spec.features) throw new Error(`input has ${x.length} features; the model expects ${this.spec.features}`);
      for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new Error(`input feature ${i} is ${x[i]}`);
    }
  }

  private checkSeed(seed: string | undefined): string {
    if (this.stochastic && seed === undefined) throw new Error('this model estimates its readouts from shots or noisy trajectories: pass a seed');
    return seed ?? '';
  }

  /**
   * Readouts, logits and truncation report for one sample.
   * @param seed the evaluation's seed; required when the model is {@link QnnModel.stochastic}
   *   (readouts estimated as in `hardware.ts`), ignored otherwise
   * @throws Error when `params` has the wrong length or a non-finite entry, the input does
   *   not fit the model (feature count, non-finite feature, MPS site count), or a stochastic
   *   model gets no seed.
   */
  forward(params: ArrayLike<number>, x: ModelInput, seed?: string): ForwardResult {
    this.checkParams(params);
    this.checkInput(x);
    const s = this.checkSeed(seed);
    const bound = bindCircuit(this.circuit, params, x instanceof Mps ? null : x);
    if (this.stochastic) {
      const est = estimateReadouts(bound, x instanceof Mps ? x : null, this.readouts, this.hardware, this.truncation, s);
      return { readouts: est.readouts, logits: this.logits(params, est.readouts), report: est.report };
    }
    const final = runSimulation(this.simulator, bound, x instanceof Mps ? x : null);
    const r = Float64Array.from(this.readouts, (o) => final.expectPauliString(o));
    return { readouts: r, logits: this.logits(params, r), report: final.report };
  }

  /**
   * Loss and full gradient for one sample, by {@link QnnModel.gradientMethod}: `adjoint`, one
   * forward simulation and one adjoint sweep; otherwise the readouts r̂ estimated under `seed`
   * (as {@link QnnModel.forward}) and ∂L/∂θ_i = Σ_k ∂L/∂r_k(r̂) · ∂r_k/∂θ_i estimated
   * independently of r̂ — `parameter-shift`: the Jacobian from independently seeded shifted
   * circuits (`hardware.ts`: each entry unbiased, variance ≤ 1/(2K) per gate angle under K
   * noiseless shots); `trajectory-adjoint`: the mean adjoint gradient of
   * Σ_k ∂L/∂r_k(r̂)·(1 − 2p)^{|g_k|}·O_k over T realized trajectories drawn from `<seed>:grad`
   * (`trajectory-adjoint.ts`, unbiased). The head gradient uses r̂.
   * @param lossFn maps logits to the loss and ∂loss/∂z
   * @param seed as in {@link QnnModel.forward}
   * @throws Error as {@link QnnModel.forward}.
   */
  forwardBackward(params: ArrayLike<number>, x: ModelInput, lossFn: (z: Float64Array) => LossResult, seed?: string): BackwardResult {
    this.checkParams(params);
    this.checkInput(x);
    const s = this.checkSeed(seed);
    const bound = bindCircuit(this.circuit, params, x instanceof Mps ? null : x);
    const grad = new Float64Array(this.nParams);
    if (this.gradientMethod !== 'adjoint') {
      const init = x instanceof Mps ? x : null;
      const est = estimateReadouts(bound, init, this.readouts, this.hardware, this.truncation, s);
      const z = this.logits(params, est.readouts);
      const { loss, grad: dz } = lossFn(z);
      const dr = this.headBackward(params, est.readouts, dz, grad);
      if (this.gradientMethod === 'trajectory-adjoint') {
        this.addGateGradients(grad, trajectoryAdjointGateGradients(this.simulator, bound, init, this.readouts, dr, this.hardware, s));
      } else {
        const P = this.nCircuitParams;
        const jac = this.readoutJacobian(bound, init, s);
        for (let k = 0; k < this.readouts.length; k++) for (let i = 0; i < P; i++) grad[i]! += dr[k]! * jac[k * P + i]!;
      }
      return { readouts: est.readouts, logits: z, loss, grad, report: est.report };
    }
    let fwd: { readouts: Float64Array; logits: Float64Array; loss: number } | null = null;
    // Builds M = Σ_k (∂L/∂r_k) O_k from the final state, filling the head gradient on the way.
    const observable = (readout: (o: PauliString) => number): PauliSum => {
      const r = Float64Array.from(this.readouts, readout);
      const z = this.logits(params, r);
      const { loss, grad: dz } = lossFn(z);
      const dr = this.headBackward(params, r, dz, grad);
      fwd = { readouts: r, logits: z, loss };
      return this.readouts.map((o, k) => ({ coeff: dr[k]!, factors: o.factors }));
    };
    const { gateGradients: gateGrads, report } = adjointGradient(this.simulator, bound, (final) => observable((o) => final.expectPauliString(o)), x instanceof Mps ? x : null);
    this.addGateGradients(grad, gateGrads);
    const f = fwd as unknown as { readouts: Float64Array; logits: Float64Array; loss: number };
    return { readouts: f.readouts, logits: f.logits, loss: f.loss, grad, report };
  }

  /**
   * The model's circuit — encoding and ansatz, without readouts or the classical head — bound at
   * the circuit part of `params` and the features `x`, as OpenQASM 2.0 (`exportQasm`: gates of
   * the standard header, plus the file's own `gate ucry(theta0,theta1) a,b { … }` or `ryy`
   * definition where the circuit uses them, as the QCNN's pooling does). A model with the `mps`
   * encoding starts from its input state, which OpenQASM cannot express: call it without `x`,
   * and the file holds the ansatz alone, from |0…0⟩.
   * @param params the full parameter vector (nParams entries; the head's are not written)
   * @param x the features (`features` entries), absent for the `mps` encoding
   * @throws Error when `params` does not have nParams entries, `x` is missing, of the wrong
   *   length or not finite, or `x` is given to an `mps`-encoded model.
   */
  toQasm(params: ArrayLike<number>, x?: ArrayLike<number>): string {
    if (params.length !== this.nParams) throw new Error(`QnnModel.toQasm: params has ${params.length} entries; the model has ${this.nParams} (${this.nCircuitParams} circuit + ${this.nHeadParams} head)`);
    if (this.circuit.nInputs === 0 && x !== undefined) throw new Error(`QnnModel.toQasm: x given, but the model reads no features (encoding '${this.spec.encoding.type}'); call it without x`);
    return exportQasm(this.circuit, Array.prototype.slice.call(params, 0, this.nCircuitParams) as number[], x);
  }

  /**
   * ∂r_k/∂θ_i of a stochastic model by the parameter shift on estimated readouts, row-major
   * (jac[k·nCircuitParams + i]), for the circuit bound at the current parameters and input.
   * @param init the input state (the `mps` encoding) or null for |0…0⟩
   * @param seed the seed of the unshifted evaluation; shifted circuits derive theirs from it
   */
  readoutJacobian(bound: Circuit, init: Mps | null, seed: string): Float64Array {
    return parameterShiftJacobian(this.circuit, bound, this.readouts.length, (c, sd) => estimateReadouts(c, init, this.readouts, this.hardware, this.truncation, sd).readouts, seed);
  }

  /** Adds per-gate angle gradients to the parameter gradient by the chain rule: angle = scale · θ_k. */
  private addGateGradients(grad: Float64Array, gateGrads: Float64Array[]): void {
    this.circuit.gates.forEach((g, k) => {
      (g.angles ?? []).forEach((a, j) => {
        if ('param' in a) grad[a.param]! += (a.scale ?? 1) * gateGrads[k]![j]!;
      });
    });
  }

  /** Accumulates the head gradient into `grad` and returns ∂L/∂r. */
  private headBackward(params: ArrayLike<number>, r: Float64Array, dz: Float64Array, grad: Float64Array): Float64Array {
    const C = this.spec.classes;
    const h = this.nCircuitParams;
    const dr = new Float64Array(r.length);
    if (this.spec.readout.type === 'linear') {
      const R = r.length;
      for (let c = 0; c < C; c++) {
        grad[h + C * R + c]! += dz[c]!;
        for (let k = 0; k < R; k++) {
          grad[h + c * R + k]! += dz[c]! * r[k]!;
          dr[k]! += dz[c]! * params[h + c * R + k]!;
        }
      }
    } else {
      for (let c = 0; c < C; c++) {
        grad[h]! += dz[c]! * r[c]!;
        grad[h + 1 + c]! += dz[c]!;
        dr[c] = params[h]! * dz[c]!;
      }
    }
    return dr;
  }
}
