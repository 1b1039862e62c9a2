/**
 * First-order optimizers on flat `Float64Array` parameter vectors: Adam (Kingma & Ba 2015)
 * and SGD with (Nesterov) momentum (Sutskever et al. 2013, in the PyTorch formulation).
 *
 * Each optimizer updates `params` in place and can export its full state as plain JSON
 * (typed arrays become number arrays: `JSON.stringify` writes the shortest decimal that
 * round-trips, so a checkpoint restores the state bit for bit; only the sign of `-0` is lost,
 * which no later update can observe).
 */

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Decay rate of the first-moment estimate, in [0, 1). */
  beta1: number;
  /** Decay rate of the second-moment estimate, in [0, 1). */
  beta2: number;
  /** Added to √v̂ in the denominator (> 0). */
  eps: number;
  /** L2 penalty coefficient added to the gradient (coupled, as in the original Adam; ≥ 0). */
  weightDecay: number;
}

/** Adam's defaults from the paper: β1 = 0.9, β2 = 0.999, ε = 1e-8, no weight decay. */
export const DEFAULT_ADAM_OPTIONS: Readonly<AdamOptions> = Object.freeze({
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
});

/** Options of {@link Sgd}. */
export interface SgdOptions {
  /** Momentum coefficient μ in [0, 1); 0 is plain gradient descent. */
  momentum: number;
  /** Use Nesterov's look-ahead form (requires momentum > 0). */
  nesterov: boolean;
  /** L2 penalty coefficient added to the gradient (≥ 0). */
  weightDecay: number;
}

/** SGD defaults: momentum 0.9, no Nesterov, no weight decay. */
export const DEFAULT_SGD_OPTIONS: Readonly<SgdOptions> = Object.freeze({
  momentum: 0.9,
  nesterov: false,
  weightDecay: 0,
});

/** A serialisable description of an optimizer; omitted fields take the named defaults. */
export type OptimizerSpec =
  | ({ type: 'adam' } & Partial<AdamOptions>)
  | ({ type: 'sgd' } & Partial<SgdOptions>);

/** Adam's full state as JSON. */
export interface AdamState {
  type: 'adam';
  options: AdamOptions;
  /** Number of steps taken. */
  t: number;
  /** First-moment estimate. */
  m: number[];
  /** Second-moment estimate. */
  v: number[];
}

/** SGD's full state as JSON. */
export interface SgdState {
  type: 'sgd';
  options: SgdOptions;
  /** Number of steps taken. */
  t: number;
  /** Momentum buffer. */
  velocity: number[];
}

/** The JSON state of any optimizer (what a checkpoint stores). */
export type OptimizerState = AdamState | SgdState;

/** What the training loop needs of an optimizer. */
export interface Optimizer {
  readonly type: OptimizerSpec['type'];
  /** Number of parameters this optimizer was built for. */
  readonly nParams: number;
  /** One update of `params` (mutated in place) from `grad` at learning rate `lr`. */
  step(params: Float64Array, grad: Float64Array, lr: number): void;
  /** A JSON-serialisable copy of the full state. */
  state(): OptimizerState;
  /** Replaces the state with `state` (which must be of the same type and size). */
  load(state: OptimizerState): void;
}

function checkUnit(name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0 && v < 1)) throw new Error(`${name} must be in [0, 1), got ${v}`);
}

function checkNonNeg(name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) throw new Error(`${name} must be a finite number ≥ 0, got ${v}`);
}

function checkSizes(nParams: number, params: Float64Array, grad: Float64Array): void {
  if (params.length !== nParams || grad.length !== nParams) {
    throw new Error(`optimizer built for ${nParams} parameters got params of length ${params.length} and grad of length ${grad.length}`);
  }
}

function toArray(name: string, xs: unknown, n: number): Float64Array {
  if (!Array.isArray(xs) || xs.length !== n) {
    throw new Error(`optimizer state field ${name} must be an array of ${n} numbers, got ${Array.isArray(xs) ? `length ${xs.length}` : typeof xs}`);
  }
  return Float64Array.from(xs as number[]);
}

/**
 * Adam (Kingma & Ba, ICLR 2015, Algorithm 1) with bias correction:
 * m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²,  θ ← θ − lr · m̂ / (√v̂ + ε).
 */
export class Adam implements Optimizer {
  readonly type = 'adam' as const;
  readonly options: AdamOptions;
  private t = 0;
  private m: Float64Array;
  private v: Float64Array;

  constructor(readonly nParams: number, options: Partial<AdamOptions> = {}) {
    if (!Number.isInteger(nParams) || nParams < 0) throw new Error(`nParams must be an integer ≥ 0, got ${nParams}`);
    this.options = { ...DEFAULT_ADAM_OPTIONS, ...options };
    checkUnit('beta1', this.options.beta1);
    checkUnit('beta2', this.options.beta2);
    if (!(Number.isFinite(this.options.eps) && this.options.eps > 0)) throw new Error(`eps must be a finite number > 0, got ${this.options.eps}`);
    checkNonNeg('weightDecay', this.options.weightDecay);
    this.m = new Float64Array(nParams);
    this.v = new Float64Array(nParams);
  }

  /** Rebuilds an Adam optimizer from {@link Adam.state}. */
  static fromState(state: AdamState): Adam {
    const opt = new Adam(state.m.length, state.options);
    opt.load(state);
    return opt;
  }

  step(params: Float64Array, grad: Float64Array, lr: number): void {
    checkSizes(this.nParams, params, grad);
    const { beta1, beta2, eps, weightDecay } = this.options;
    this.t += 1;
    const bc1 = 1 - Math.pow(beta1, this.t);
    const bc2 = 1 - Math.pow(beta2, this.t);
    const { m, v } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]! + weightDecay * params[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      params[i] = params[i]! - lr * (m[i]! / bc1) / (Math.sqrt(v[i]! / bc2) + eps);
    }
  }

  state(): AdamState {
    return { type: 'adam', options: { ...this.options }, t: this.t, m: Array.from(this.m), v: Array.from(this.v) };
  }

  load(state: OptimizerState): void {
    if (state.type !== 'adam') throw new Error(`cannot load a ${state.type} state into Adam`);
    this.m = toArray('m', state.m, this.nParams);
    this.v = toArray('v', state.v, this.nParams);
    this.t = state.t;
    Object.assign(this.options, state.options);
  }
}

/**
 * SGD with momentum, PyTorch formulation: b ← μ b + g;  θ ← θ − lr · b, or with Nesterov
 * θ ← θ − lr · (g + μ b). With μ = 0 this is plain gradient descent.
 */
export class Sgd implements Optimizer {
  readonly type = 'sgd' as const;
  readonly options: SgdOptions;
  private t = 0;
  private velocity: Float64Array;

  constructor(readonly nParams: number, options: Partial<SgdOptions> = {}) {
    if (!Number.isInteger(nParams) || nParams < 0) throw new Error(`nParams must be an integer ≥ 0, got ${nParams}`);
    this.options = { ...DEFAULT_SGD_OPTIONS, ...options };
    checkUnit('momentum', this.options.momentum);
    checkNonNeg('weightDecay', this.options.weightDecay);
    if (this.options.nesterov && this.options.momentum === 0) throw new Error('nesterov requires momentum > 0, got momentum 0');
    this.velocity = new Float64Array(nParams);
  }

  /** Rebuilds an SGD optimizer from {@link Sgd.state}. */
  static fromState(state: SgdState): Sgd {
    const opt = new Sgd(state.velocity.length, state.options);
    opt.load(state);
    return opt;
  }

  step(params: Float64Array, grad: Float64Array, lr: number): void {
    checkSizes(this.nParams, params, grad);
    const { momentum, nesterov, weightDecay } = this.options;
    const b = this.velocity;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]! + weightDecay * params[i]!;
      if (momentum === 0) {
        params[i] = params[i]! - lr * g;
        continue;
      }
      b[i] = this.t === 0 ? g : momentum * b[i]! + g;
      params[i] = params[i]! - lr * (nesterov ? g + momentum * b[i]! : b[i]!);
    }
    this.t += 1;
  }

  state(): SgdState {
    return { type: 'sgd', options: { ...this.options }, t: this.t, velocity: Array.from(this.velocity) };
  }

  load(state: OptimizerState): void {
    if (state.type !== 'sgd') throw new Error(`cannot load a ${state.type} state into Sgd`);
    this.velocity = toArray('velocity', state.velocity, this.nParams);
    this.t = state.t;
    Object.assign(this.options, state.options);
  }
}

function rejectUnknownKeys(type: string, opts: object, allowed: object): void {
  for (const k of Object.keys(opts)) {
    if (!(k in allowed)) throw new Error(`unknown ${type} optimizer option '${k}' (allowed: type, ${Object.keys(allowed).join(', ')})`);
  }
}

/** Builds an optimizer for `nParams` parameters from its spec (unknown keys are rejected). */
export function makeOptimizer(spec: OptimizerSpec, nParams: number): Optimizer {
  switch (spec.type) {
    case 'adam': {
      const { type: _t, ...opts } = spec;
      rejectUnknownKeys('adam', opts, DEFAULT_ADAM_OPTIONS);
      return new Adam(nParams, opts);
    }
    case 'sgd': {
      const { type: _t, ...opts } = spec;
      rejectUnknownKeys('sgd', opts, DEFAULT_SGD_OPTIONS);
      return new Sgd(nParams, opts);
    }
    default: {
      const bad: { type: unknown } = spec;
      throw new Error(`optimizer type must be 'adam' or 'sgd', got ${JSON.stringify(bad.type)}`);
    }
  }
}

/** Rebuilds any optimizer from its JSON state. */
export function optimizerFromState(state: OptimizerState): Optimizer {
  return state.type === 'adam' ? Adam.fromState(state) : Sgd.fromState(state);
}
