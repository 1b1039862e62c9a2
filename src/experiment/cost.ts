/**
 * The simulated training cost of a run, in the engine's nominal flop count (`mps/flops.ts`:
 * LAPACK-equivalent operation counts of the gemms, SVDs, Gram splits and QRs an MPS simulation
 * calls): the flops of one forward pass and of one forward pass plus adjoint gradient at the
 * run's final parameters, averaged over the first test inputs, and the optimizer steps and
 * samples the run took. From these, {@link trainingFlops} gives the flops a run spent to reach
 * any step, which the student-size report turns into the cost of reaching a target.
 *
 * The count is of the MPS engine only: a state-vector model records null flops. Evaluation
 * passes (validation, test) are not training cost and are not counted.
 */
import { flopCounter } from '../../mps/index.js';
import type { Dataset } from '../data/dataset.js';
import type { QnnModel } from '../qnn/model.js';
import { stepsPerEpoch } from '../train/loop.js';
import type { Training } from './config.js';

/** Test inputs whose flop counts are averaged (one for a model under shots or noise). */
const COST_INPUTS = 8;

/** What a run records of its cost (`cost` of a run record). */
export interface RunCost {
  /** Mean nominal flops of one forward pass (simulation and readouts) at the final parameters; null on the state vector. */
  forwardFlops: number | null;
  /** Mean nominal flops of one forward pass plus the gradient of one sample at the final parameters; null on the state vector. */
  gradientFlops: number | null;
  /** Test inputs the means are over. */
  inputs: number;
  /** Training samples per epoch (labelled set, plus the transfer set for the transfer arms). */
  nTrain: number;
  batchSize: number;
  /** Optimizer steps per epoch: ⌈nTrain / batchSize⌉. */
  stepsPerEpoch: number;
  /** Optimizer steps the run took (the training loop's count: every batch of every epoch, the last epoch cut short by a step budget). */
  steps: number;
}

/**
 * The nominal flops `fn` makes in this thread, counted from zero (a difference of the running
 * total would depend on everything counted before, in its last bits); the total is restored.
 */
function flopsOf(fn: () => void): number {
  const f0 = flopCounter.flops;
  flopCounter.flops = 0;
  try {
    fn();
    return flopCounter.flops;
  } finally {
    flopCounter.flops += f0;
  }
}

/**
 * The cost record of a finished run of `model` at `params`, trained with `t` on `data` (the
 * training set it actually trained on) for `steps` optimizer steps. Runs {@link COST_INPUTS}
 * forward passes and gradients on the first test inputs in this thread (a stochastic model
 * under the fixed seed 'cost').
 */
export function runCost(model: QnnModel, params: Float64Array, data: Dataset, t: Pick<Training, 'batchSize'>, steps: number): RunCost {
  const nTrain = data.train.y.length;
  const perEpoch = stepsPerEpoch(nTrain, t.batchSize);
  // a stochastic model's gradient (parameter shift or trajectory adjoint) is costly: one input
  const xs = data.test.x.slice(0, model.stochastic ? 1 : COST_INPUTS);
  const base = { inputs: xs.length, nTrain, batchSize: t.batchSize, stepsPerEpoch: perEpoch, steps };
  if (model.spec.backend !== 'mps' || xs.length === 0) return { forwardFlops: null, gradientFlops: null, ...base };
  const zero = new Float64Array(model.spec.classes);
  let fwd = 0, grad = 0;
  for (const x of xs) {
    fwd += flopsOf(() => { model.forward(params, x, 'cost'); });
    grad += flopsOf(() => { model.forwardBackward(params, x, () => ({ loss: 0, grad: zero }), 'cost'); });
  }
  return { forwardFlops: fwd / xs.length, gradientFlops: grad / xs.length, ...base };
}

/**
 * Training samples processed by the end of optimizer step `step` (minibatches of `batchSize`
 * over an epoch of `nTrain` samples, the last one smaller): ⌊step/P⌋·nTrain + min((step mod P)·batchSize, nTrain).
 */
export function samplesAt(c: Pick<RunCost, 'nTrain' | 'batchSize' | 'stepsPerEpoch'>, step: number): number {
  const P = c.stepsPerEpoch;
  return Math.floor(step / P) * c.nTrain + Math.min((step % P) * c.batchSize, c.nTrain);
}

/** Nominal flops of training up to step `step` (default: every step taken): samples × gradient flops; null without a flop count. */
export function trainingFlops(c: RunCost, step: number = c.steps): number | null {
  return c.gradientFlops === null ? null : samplesAt(c, step) * c.gradientFlops;
}
