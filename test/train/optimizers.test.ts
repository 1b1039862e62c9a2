import { describe, expect, it } from 'vitest';
import { Adam, DEFAULT_ADAM_OPTIONS, DEFAULT_SGD_OPTIONS, Sgd, makeOptimizer, optimizerFromState, type OptimizerSpec } from '../../src/train/optimizers.js';
import { makeRng } from '../../mps/rng.js';
import { bits } from '../helpers/train.js';

const TOL = { exact: 1e-15 };

describe('Adam', () => {
  it('has the paper defaults', () => {
    expect(DEFAULT_ADAM_OPTIONS).toEqual({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  });

  it('first step moves each parameter by lr·g/(|g|+eps) (bias-corrected)', () => {
    const opt = new Adam(3);
    const p = new Float64Array([1, 2, 3]);
    const g = new Float64Array([0.5, -2, 0]);
    opt.step(p, g, 0.1);
    const expected = [1 - 0.1 * 0.5 / (0.5 + 1e-8), 2 + 0.1 * 2 / (2 + 1e-8), 3];
    p.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(TOL.exact));
  });

  it('second step matches the closed form', () => {
    const opt = new Adam(1, { beta1: 0.5, beta2: 0.75, eps: 1e-300 });
    const p = new Float64Array([0]);
    opt.step(p, new Float64Array([1]), 1);
    opt.step(p, new Float64Array([3]), 1);
    const m = 0.5 * 0.5 * 1 + 0.5 * 3; // 2
    const v = 0.75 * 0.25 * 1 + 0.25 * 9; // 2.4375
    const step2 = (m / (1 - 0.25)) / Math.sqrt(v / (1 - 0.5625));
    expect(Math.abs(p[0]! - (-1 - step2))).toBeLessThan(TOL.exact);
  });
});

describe('Sgd', () => {
  it('plain, momentum and Nesterov updates match closed forms over two steps', () => {
    const g1 = new Float64Array([2]);
    const g2 = new Float64Array([1]);
    const run = (opts: ConstructorParameters<typeof Sgd>[1]): number => {
      const o = new Sgd(1, opts);
      const p = new Float64Array([0]);
      o.step(p, g1, 0.1);
      o.step(p, g2, 0.1);
      return p[0]!;
    };
    // plain: −0.1·2 − 0.1·1
    expect(run({ momentum: 0 })).toBeCloseTo(-0.3, 15);
    // momentum: b1 = 2, b2 = 0.9·2 + 1 = 2.8 → −0.2 − 0.28
    expect(run({ momentum: 0.9 })).toBeCloseTo(-0.48, 15);
    // Nesterov: step1 g + μ b1 = 2 + 1.8 = 3.8; step2 1 + 0.9·2.8 = 3.52 → −0.38 − 0.352
    expect(run({ momentum: 0.9, nesterov: true })).toBeCloseTo(-0.732, 15);
  });

  it('defaults are momentum 0.9 without Nesterov', () => {
    expect(DEFAULT_SGD_OPTIONS).toEqual({ momentum: 0.9, nesterov: false, weightDecay: 0 });
  });

  it('rejects Nesterov without momentum', () => {
    expect(() => new Sgd(1, { momentum: 0, nesterov: true })).toThrow(/nesterov requires momentum > 0/);
  });
});

describe('optimizer state', () => {
  it.each<OptimizerSpec>([{ type: 'adam' }, { type: 'sgd', nesterov: true }])('$type state survives JSON bit for bit', (spec) => {
    const rng = makeRng('opt-state');
    const n = 17;
    const grads = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => rng() - 0.5));
    const p0 = Float64Array.from({ length: n }, () => rng());
    const straight = makeOptimizer(spec, n);
    const pa = Float64Array.from(p0);
    grads.forEach((g) => straight.step(pa, g, 0.01));

    const first = makeOptimizer(spec, n);
    const pb = Float64Array.from(p0);
    grads.slice(0, 3).forEach((g) => first.step(pb, g, 0.01));
    const restored = optimizerFromState(JSON.parse(JSON.stringify(first.state())));
    const pc = Float64Array.from(JSON.parse(JSON.stringify(Array.from(pb))) as number[]);
    grads.slice(3).forEach((g) => restored.step(pc, g, 0.01));
    expect(bits(pc)).toBe(bits(pa));

    const loaded = makeOptimizer(spec, n);
    loaded.load(first.state());
    expect(loaded.state()).toEqual(first.state());
  });

  it('makeOptimizer rejects unknown keys and types, naming them', () => {
    expect(() => makeOptimizer({ type: 'adam', beta3: 1 } as unknown as OptimizerSpec, 2)).toThrow(/unknown adam optimizer option 'beta3'/);
    expect(() => makeOptimizer({ type: 'rmsprop' } as unknown as OptimizerSpec, 2)).toThrow(/'adam' or 'sgd', got "rmsprop"/);
    expect(() => makeOptimizer({ type: 'adam', beta1: 1 }, 2)).toThrow('beta1 must be in [0, 1), got 1');
  });

  it('load rejects the wrong type', () => {
    expect(() => new Adam(1).load(new Sgd(1).state())).toThrow(/cannot load a sgd state into Adam/);
  });
});
