import { describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import { crossEntropy } from '../../src/qnn/loss.js';
import {
  crossEntropyLoss,
  DEFAULT_KD_OPTIONS,
  DEFAULT_PSKD_ALPHA_T,
  fidelityWeight,
  hintonKdLoss,
  logSoftmax,
  psKdAlpha,
  psKdTarget,
  resolveKdOptions,
  softmax,
  softTargetCrossEntropy,
  softTargetLoss,
  type LossResult,
  type TeacherOutput,
} from '../../src/distill/losses.js';
import { randomLogits } from '../helpers/logits.js';

/** Named tolerances. `fd`: central differences with h = 1e-6 against analytic gradients. */
const TOL = { fd: 1e-7, exact: 1e-13, hintonLimit: 1e-3 };
const H = 1e-6;

/** Max |analytic − central difference| over all coordinates. */
function fdError(f: (z: Float64Array) => LossResult, z0: Float64Array): number {
  const { grad } = f(z0);
  let worst = 0;
  for (let i = 0; i < z0.length; i++) {
    const zp = Float64Array.from(z0), zm = Float64Array.from(z0);
    zp[i]! += H; zm[i]! -= H;
    const fd = (f(zp).loss - f(zm).loss) / (2 * H);
    worst = Math.max(worst, Math.abs(fd - grad[i]!));
  }
  return worst;
}

function isFinite(r: LossResult): boolean {
  return Number.isFinite(r.loss) && r.grad.every(Number.isFinite);
}

const CLASSES = [2, 3, 4, 5, 6, 7, 8, 9, 10];
const SCALES = [3, 50];
const TEMPS = [0.5, 1, 2, 4];
const ALPHAS = [0, 0.3, 0.5, 1];

/** Every (C, scale, T, α) combination, seeded per case. */
const KD_CASES = CLASSES.flatMap((C) => SCALES.flatMap((s) => TEMPS.flatMap((T) => ALPHAS.map((a) => [C, s, T, a] as const))));

describe('cross-entropy', () => {
  it.each(CLASSES.flatMap((C) => SCALES.map((s) => [C, s] as const)))('C=%d, |z|≤%d: gradient matches finite differences', (C, s) => {
    const rng = makeRng(`ce-${C}-${s}`);
    for (let trial = 0; trial < 3; trial++) {
      const z = randomLogits(rng, C, s);
      for (let y = 0; y < C; y++) {
        const r = crossEntropyLoss(z, y);
        expect(isFinite(r)).toBe(true);
        expect(fdError((v) => crossEntropyLoss(v, y), z)).toBeLessThan(TOL.fd);
      }
    }
  });

  it('agrees with qnn/loss crossEntropy, and stays exact where the clamped one saturates', () => {
    const rng = makeRng('ce-agree');
    for (let k = 0; k < 20; k++) {
      const z = randomLogits(rng, 5, 10);
      const a = crossEntropyLoss(z, 2), b = crossEntropy(z, 2);
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(TOL.exact);
      expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
    }
    expect(crossEntropyLoss([0, 1000], 0).loss).toBeCloseTo(1000, 10);
    expect(crossEntropy([0, 1000], 0).loss).toBeLessThan(700);
  });

  it('logSoftmax is log(softmax) and finite for huge logits', () => {
    const z = [1, -2, 0.5];
    const ls = logSoftmax(z, 2), p = softmax(z, 2);
    ls.forEach((v, i) => expect(Math.abs(v - Math.log(p[i]!))).toBeLessThan(TOL.exact));
    expect(Array.from(logSoftmax([1e4, -1e4]))).toEqual([0, -2e4]);
  });
});

describe('Hinton KD', () => {
  it.each(KD_CASES)('C=%d, |z|≤%d, T=%d, α=%d: gradient matches finite differences (teacher logits and probs, w = 1 and 0.4)', (C, s, T, alpha) => {
    const rng = makeRng(`kd-${C}-${s}-${T}-${alpha}`);
    const zs = randomLogits(rng, C, s), zt = randomLogits(rng, C, s);
    const y = Math.floor(rng() * C);
    const probs = softmax(zt, T);
    const teachers: TeacherOutput[] = [{ logits: zt }, { probs }, { logits: zt, weight: 0.4 }, { probs, weight: 0.4 }];
    for (const teacher of teachers) {
      for (const scaleT2 of [true, false]) {
        const f = (z: Float64Array) => hintonKdLoss(z, y, teacher, { T, alpha, scaleT2 });
        const r = f(zs);
        expect(isFinite(r)).toBe(true);
        expect(r.kl).toBeGreaterThanOrEqual(0);
        expect(fdError(f, zs)).toBeLessThan(TOL.fd);
      }
    }
  });

  it('teacher logits and teacher probabilities at T give the same loss', () => {
    const rng = makeRng('kd-logits-vs-probs');
    for (const T of TEMPS) {
      const zs = randomLogits(rng, 6, 4), zt = randomLogits(rng, 6, 4);
      const a = hintonKdLoss(zs, 1, { logits: zt }, { T });
      const b = hintonKdLoss(zs, 1, { probs: softmax(zt, T) }, { T });
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(TOL.exact);
      a.grad.forEach((g, i) => expect(Math.abs(g - b.grad[i]!)).toBeLessThan(TOL.exact));
    }
  });

  it('KL ≥ 0 on random pairs, and 0 when student = teacher', () => {
    const rng = makeRng('kl-nonneg');
    for (let k = 0; k < 200; k++) {
      const C = 2 + Math.floor(rng() * 9), T = TEMPS[k % TEMPS.length]!;
      const zs = randomLogits(rng, C, k % 2 ? 50 : 3), zt = randomLogits(rng, C, 3);
      expect(hintonKdLoss(zs, 0, { logits: zt }, { T }).kl).toBeGreaterThanOrEqual(0);
      expect(hintonKdLoss(zs, 0, { probs: softmax(zt, T) }, { T }).kl).toBeGreaterThanOrEqual(0);
      const same = hintonKdLoss(zt, 0, { logits: zt }, { T });
      expect(same.kl).toBe(0);
      expect(Math.max(...same.grad.map((g, i) => Math.abs(g - 0.5 * crossEntropyLoss(zt, 0).grad[i]!)))).toBeLessThan(TOL.exact);
    }
  });

  it('α = 0 is exactly cross-entropy, whatever the teacher', () => {
    const rng = makeRng('kd-alpha0');
    for (const C of CLASSES) {
      const zs = randomLogits(rng, C, 5), zt = randomLogits(rng, C, 5);
      const kd = hintonKdLoss(zs, C - 1, { logits: zt }, { alpha: 0, T: 3 });
      const ce = crossEntropyLoss(zs, C - 1);
      expect(kd.loss).toBe(ce.loss);
      expect(Array.from(kd.grad)).toEqual(Array.from(ce.grad));
    }
  });

  it('T² scaling: the KD term and its gradient are exactly T² times the unscaled ones', () => {
    const rng = makeRng('kd-t2');
    for (const T of [0.5, 2, 3, 10]) {
      const zs = randomLogits(rng, 4, 3), zt = randomLogits(rng, 4, 3);
      const on = softTargetLoss(zs, { logits: zt }, { T, scaleT2: true });
      const off = softTargetLoss(zs, { logits: zt }, { T, scaleT2: false });
      expect(Math.abs(on.loss - T * T * off.loss)).toBeLessThan(TOL.exact * on.loss);
      on.grad.forEach((g, i) => expect(Math.abs(g - T * T * off.grad[i]!)).toBeLessThan(TOL.exact));
      // The unscaled gradient is (softmax(z_s/T) − p_t^T)/T.
      const q = softmax(zs, T), p = softmax(zt, T);
      off.grad.forEach((g, i) => expect(Math.abs(g - (q[i]! - p[i]!) / T)).toBeLessThan(TOL.exact));
    }
  });

  it('high-temperature limit (Hinton et al. §2.1): T²·∂KL/∂z_s → (z_s − z_t)/C for zero-mean logits', () => {
    const zs = [1, -0.5, -0.5], zt = [-1, 0.25, 0.75], C = 3, T = 1000;
    const r = softTargetLoss(zs, { logits: zt }, { T });
    r.grad.forEach((g, i) => expect(Math.abs(g - (zs[i]! - zt[i]!) / C)).toBeLessThan(TOL.hintonLimit));
  });

  it('the loss decomposes as (1−α)·CE + α·w·T²·KL', () => {
    const zs = [0.3, -1.2, 2], zt = [1, 0, -1];
    const r = hintonKdLoss(zs, 2, { logits: zt, weight: 0.25 }, { T: 3, alpha: 0.7 });
    expect(Math.abs(r.loss - (0.3 * r.ce + 0.7 * 0.25 * 9 * r.kl))).toBeLessThan(TOL.exact);
    expect(r.ce).toBe(crossEntropyLoss(zs, 2).loss);
  });

  it('fidelity weight 0 turns the KD term off; weight scales it linearly', () => {
    const zs = [0.3, -1.2, 2], zt = [1, 0, -1];
    const off = hintonKdLoss(zs, 0, { logits: zt, weight: 0 }, { alpha: 0.4 });
    const ce = crossEntropyLoss(zs, 0);
    expect(Math.abs(off.loss - 0.6 * ce.loss)).toBeLessThan(TOL.exact);
    const w1 = softTargetLoss(zs, { logits: zt }), w3 = softTargetLoss(zs, { logits: zt, weight: 0.3 });
    expect(Math.abs(w3.loss - 0.3 * w1.loss)).toBeLessThan(TOL.exact);
  });

  it('soft-target loss is Hinton KD with α = 1', () => {
    const zs = [2, -1, 0.5, 0], zt = [0, 1, -3, 2];
    const a = softTargetLoss(zs, { logits: zt }, { T: 2.5 });
    const b = hintonKdLoss(zs, 3, { logits: zt }, { T: 2.5, alpha: 1 });
    expect(a.loss).toBe(b.loss);
    expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
  });

  it('defaults are T = 2, α = 0.5, T² on', () => {
    expect(DEFAULT_KD_OPTIONS).toEqual({ T: 2, alpha: 0.5, scaleT2: true });
    expect(resolveKdOptions()).toEqual({ T: 2, alpha: 0.5, scaleT2: true });
  });

  it.each<[() => unknown, RegExp]>([
    [() => hintonKdLoss([0, 1], 0, { logits: [0, 1] }, { T: 0 }), /temperature T must be a finite number > 0, got 0/],
    [() => hintonKdLoss([0, 1], 0, { logits: [0, 1] }, { alpha: 1.5 }), /alpha must be in \[0, 1\], got 1.5/],
    [() => hintonKdLoss([0, 1], 0, { logits: [0, 1] }, { tau: 2 } as never), /unknown KD option 'tau'/],
    [() => hintonKdLoss([0, 1], 2, { logits: [0, 1] }), /label must be an integer in \[0, 1\], got 2/],
    [() => hintonKdLoss([0, 1], 0, { logits: [0, 1, 2] }), /teacher logits must have 2 entries/],
    [() => hintonKdLoss([0, 1], 0, { probs: [0.5, 0.6] }), /teacher probs must sum to 1/],
    [() => hintonKdLoss([0, 1], 0, { probs: [1.5, -0.5] }), /teacher probs\[1\] must be a finite number ≥ 0, got -0.5/],
    [() => hintonKdLoss([0, 1], 0, { logits: [0, 1], weight: 2 }), /teacher weight must be in \[0, 1\], got 2/],
    [() => hintonKdLoss([0, NaN], 0, { logits: [0, 1] }), /student logits\[1\] must be finite, got NaN/],
    [() => hintonKdLoss([0, 1], 0, {} as TeacherOutput), /exactly one of 'logits' or 'probs', got neither/],
    [() => softTargetLoss([0, 1], { logits: [0, 1] }, { alpha: 0.5 } as never), /α = 1 fixed/],
  ])('rejects bad input %#', (f, msg) => {
    expect(f).toThrow(msg);
  });

  it.each([[0.81, 0.5, 0.9], [1.2, 1, 1], [-0.1, 1, 0], [0.3, 0, 1]])('fidelityWeight(%d, %d) = %d', (f, p, w) => {
    expect(fidelityWeight(f, p)).toBeCloseTo(w, 15);
  });
});

describe('PS-KD', () => {
  it.each([
    [0, 100, 0],
    [50, 100, 0.4],
    [99, 100, 0.792],
    [3, 10, 0.24],
  ])('α at epoch %d of %d is %d (α_T = 0.8)', (t, total, a) => {
    expect(psKdAlpha(t, total)).toBeCloseTo(a, 15);
  });

  it('default α_T is 0.8 and α_T is honoured', () => {
    expect(DEFAULT_PSKD_ALPHA_T).toBe(0.8);
    expect(psKdAlpha(5, 10, 0.5)).toBe(0.25);
  });

  it('the target mixes onehot and the previous prediction and sums to 1', () => {
    expect(Array.from(psKdTarget(0, [0.5, 0.5], 0.4))).toEqual([0.8, 0.2]);
    expect(Array.from(psKdTarget(2, null, 0.4, 3))).toEqual([0, 0, 1]);
    const rng = makeRng('pskd-target');
    for (let k = 0; k < 20; k++) {
      const prev = softmax(randomLogits(rng, 7, 3));
      const t = psKdTarget(k % 7, prev, rng());
      expect(Math.abs(t.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(TOL.exact);
    }
  });

  it.each(CLASSES.flatMap((C) => SCALES.map((s) => [C, s] as const)))('soft-target CE, C=%d, |z|≤%d: gradient matches finite differences', (C, s) => {
    const rng = makeRng(`stce-${C}-${s}`);
    for (const alpha of [0, 0.3, 0.8, 1]) {
      const z = randomLogits(rng, C, s);
      const target = psKdTarget(Math.floor(rng() * C), softmax(randomLogits(rng, C, s)), alpha);
      const f = (v: Float64Array) => softTargetCrossEntropy(v, target);
      expect(isFinite(f(z))).toBe(true);
      expect(fdError(f, z)).toBeLessThan(TOL.fd);
    }
  });

  it('soft-target CE against onehot(y) is cross-entropy', () => {
    const rng = makeRng('stce-onehot');
    for (const C of CLASSES) {
      const z = randomLogits(rng, C, 50), y = Math.floor(rng() * C);
      const a = softTargetCrossEntropy(z, psKdTarget(y, null, 0.5, C)), b = crossEntropyLoss(z, y);
      expect(a.loss).toBe(b.loss);
      a.grad.forEach((g, i) => expect(Math.abs(g - b.grad[i]!)).toBeLessThan(TOL.exact));
    }
  });

  it.each<[() => unknown, RegExp]>([
    [() => psKdAlpha(10, 10), /epoch must be an integer in \[0, 9\], got 10/],
    [() => psKdAlpha(0, 0), /totalEpochs must be an integer ≥ 1, got 0/],
    [() => psKdAlpha(1, 10, 1.2), /alphaT must be in \[0, 1\], got 1.2/],
    [() => psKdTarget(0, null, 0.5), /numClasses must be an integer ≥ 1/],
    [() => softTargetCrossEntropy([0, 1], [0.2, 0.2]), /soft target must sum to 1/],
  ])('rejects bad input %#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
