/**
 * The distillation losses on inputs whose values are worked out by hand (one-hot teachers, z = 0,
 * one class, a KL below log-ratio −1, nearly equal distributions against the quadratic form of
 * the KL, logits of ±1e308), the ends of every accepted range, and every rejection with its
 * message. (losses.test.ts checks gradients against finite differences and the identities
 * between the losses.)
 */
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import {
  crossEntropyLoss,
  fidelityWeight,
  hintonKdLoss,
  logSoftmax,
  psKdAlpha,
  psKdTarget,
  resolveKdOptions,
  softmax,
  softTargetCrossEntropy,
  softTargetLoss,
  UNLABELLED,
} from '../../src/distill/losses.js';
import { randomLogits } from '../helpers/logits.js';

describe('hand-derived values and the whole input contract', () => {
  const L1E = Math.log(1 + Math.exp(-1));
  it('logSoftmax at a temperature: z = (2, 0), T = 2 → (−log(1 + e⁻¹), −1 − log(1 + e⁻¹))', () => {
    const ls = logSoftmax([2, 0], 2);
    expect(Math.abs(ls[0]! + L1E)).toBeLessThan(1e-16);
    expect(Math.abs(ls[1]! + 1 + L1E)).toBeLessThan(1e-15);
    // a single class is certain at any temperature
    expect(Array.from(logSoftmax([7.5], 3))).toEqual([0]);
  });

  it('one class: cross-entropy 0 with gradient 0; KD against it is 0', () => {
    expect(crossEntropyLoss([3], 0)).toEqual({ loss: 0, grad: Float64Array.of(0) });
    const kd = hintonKdLoss([3], 0, { logits: [-1] });
    expect(kd.loss).toBe(0);
    expect(kd.kl).toBe(0);
    expect(Array.from(kd.grad)).toEqual([0]);
  });

  it('a one-hot teacher: KL(1, 0 ‖ ½, ½) = ln 2, gradient (q − p)/T = (−½, ½)', () => {
    const r = softTargetLoss([0, 0], { probs: [1, 0] }, { T: 1 });
    expect(Math.abs(r.kl - Math.LN2)).toBeLessThan(1e-16);
    expect(Math.abs(r.loss - Math.LN2)).toBeLessThan(1e-16);
    expect(Array.from(r.grad)).toEqual([-0.5, 0.5]);
    // the same at T = 2 with T² on: loss 4·ln 2 (q is still uniform), gradient 4·(q − p)/2
    const t2 = softTargetLoss([0, 0], { probs: [1, 0] }, { T: 2 });
    expect(Math.abs(t2.loss - 4 * Math.LN2)).toBeLessThan(1e-15);
    expect(Array.from(t2.grad)).toEqual([-1, 1]);
  });

  it('KL where the teacher puts far less mass than the student (log p/q < −1) matches Σ p log(p/q)', () => {
    for (const p of [[0.01, 0.99], [0.2, 0.8], [1e-9, 1 - 1e-9]]) {
      const r = softTargetLoss([0, 0], { probs: p }, { T: 1 });
      const want = p.reduce((s, v) => s + v * Math.log(v / 0.5), 0);
      expect(Math.abs(r.kl - want), String(p)).toBeLessThan(1e-15);
    }
    // and with unequal student probabilities q = softmax(1, −1)
    const q = softmax([1, -1]);
    const p = [0.05, 0.95];
    const r = softTargetLoss([1, -1], { probs: p }, { T: 1 });
    expect(Math.abs(r.kl - (p[0]! * Math.log(p[0]! / q[0]!) + p[1]! * Math.log(p[1]! / q[1]!)))).toBeLessThan(1e-15);
  });

  it('the KD gradient is (1−α)(softmax(z) − onehot) + α·w·T²·(softmax(z/T) − p)/T, worked out for z = (0, 0)', () => {
    // z = (0, 0): softmax = (½, ½) at any T; teacher probs (0.8, 0.2); y = 1; α = 0.25, w = 0.5, T = 2
    const r = hintonKdLoss([0, 0], 1, { probs: [0.8, 0.2], weight: 0.5 }, { T: 2, alpha: 0.25 });
    const a = 0.25 * 0.5 * 4;
    expect(Math.abs(r.grad[0]! - (0.75 * 0.5 + a * (0.5 - 0.8) / 2))).toBeLessThan(1e-16);
    expect(Math.abs(r.grad[1]! - (0.75 * -0.5 + a * (0.5 - 0.2) / 2))).toBeLessThan(1e-16);
    const kl = 0.8 * Math.log(0.8 / 0.5) + 0.2 * Math.log(0.2 / 0.5);
    expect(Math.abs(r.kl - kl)).toBeLessThan(1e-16);
    expect(Math.abs(r.loss - (0.75 * Math.LN2 + a * kl))).toBeLessThan(1e-15);
    expect(r.ce).toBe(Math.LN2);
  });

  it('KL of nearly equal distributions: ≥ 0 and equal to its quadratic form ½·δᵀ(diag p − ppᵀ)δ/T²', () => {
    // q = softmax((z + δ)/T) with |δ| ~ 1e-7: the KL is ~1e-15, far below the rounding of p and
    // q themselves (1e-16 each), so only a form without cancellation gets it right; the
    // quadratic form is exact to O(|δ|) relative
    const rng = makeRng('kl-near');
    for (let k = 0; k < 50; k++) {
      const C = 2 + (k % 6), T = [1, 2, 0.5][k % 3]!;
      const zt = randomLogits(rng, C, 2);
      const d = Float64Array.from({ length: C }, () => 2e-7 * (rng() - 0.5));
      const p = softmax(zt, T);
      const mean = p.reduce((a, v, i) => a + v * d[i]!, 0);
      const quad = 0.5 * p.reduce((a, v, i) => a + v * (d[i]! - mean) ** 2, 0) / (T * T);
      const r = softTargetLoss(zt.map((v, i) => v + d[i]!), { logits: zt }, { T, scaleT2: false });
      expect(r.kl).toBeGreaterThanOrEqual(0);
      expect(Math.abs(r.kl - quad) / quad, `case ${k}`).toBeLessThan(1e-4);
    }
  });

  it('logits ±1e308: a zero target or teacher entry where log q = −∞ contributes nothing (no 0·∞)', () => {
    const z = [1e308, -1e308];
    expect(logSoftmax(z)[1]).toBe(-Infinity);
    const ce = softTargetCrossEntropy(z, [1, 0]);
    expect(ce.loss).toBe(0);
    expect(Array.from(ce.grad)).toEqual([0, 0]);
    const kd = softTargetLoss(z, { probs: [1, 0] }, { T: 1 });
    expect(kd.kl).toBe(0);
    expect(Array.from(kd.grad)).toEqual([0, 0]);
  });

  it('PS-KD target, worked out: y = 1, p_prev = (0.2, 0.3, 0.5), α = 0.5 → (0.1, 0.65, 0.25); α = 0 is one-hot', () => {
    const t = psKdTarget(1, [0.2, 0.3, 0.5], 0.5);
    [0.1, 0.65, 0.25].forEach((v, i) => expect(Math.abs(t[i]! - v)).toBeLessThan(1e-16));
    expect(Array.from(psKdTarget(2, [0.2, 0.3, 0.5], 0))).toEqual([0, 0, 1]);
    expect(Array.from(psKdTarget(0, [0.2, 0.3, 0.5], 1))).toEqual([0.2, 0.3, 0.5]);
  });

  it('soft-target cross-entropy, worked out: z = (0, 0), target (0.25, 0.75) → ln 2, gradient (0.25, −0.25)', () => {
    const r = softTargetCrossEntropy([0, 0], [0.25, 0.75]);
    expect(Math.abs(r.loss - Math.LN2)).toBeLessThan(1e-16);
    expect(Array.from(r.grad)).toEqual([0.25, -0.25]);
    // a zero target entry contributes nothing even where the logit is hugely negative
    const z = softTargetCrossEntropy([0, -1e6], [1, 0]);
    expect(z.loss).toBe(0);
    expect(Array.from(z.grad)).toEqual([0, 0]);
  });

  it('accepts the ends of every range', () => {
    for (const alpha of [0, 1]) expect(() => hintonKdLoss([0, 1], 0, { logits: [0, 1], weight: 0 }, { alpha })).not.toThrow();
    expect(() => hintonKdLoss([0, 1], 1, { logits: [0, 1], weight: 1 }, { T: 1e-3 })).not.toThrow();
    expect(() => hintonKdLoss([0, 1], 0, { probs: [0.5 + 4e-7, 0.5] })).not.toThrow();
    expect(() => hintonKdLoss([0, 1], 0, { probs: [1, 0] })).not.toThrow();
    expect(resolveKdOptions({ T: 3, alpha: 0, scaleT2: false })).toEqual({ T: 3, alpha: 0, scaleT2: false });
    expect(fidelityWeight(0.25)).toBe(0.25);
    expect(fidelityWeight(0.5, 0)).toBe(1);
    expect(fidelityWeight(0.64, 1.5)).toBeCloseTo(0.512, 15);
    expect(psKdAlpha(0, 1)).toBe(0);
    expect(psKdAlpha(3, 4, 1)).toBe(0.75);
    expect(psKdAlpha(3, 4, 0)).toBe(0);
    expect(Array.from(psKdTarget(0, null, 1, 1))).toEqual([1]);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['no student logits', () => hintonKdLoss([], 0, { probs: [] }), /^student logits must have at least 1 class, got length 0$/],
    ['infinite student logit', () => softTargetLoss([Infinity, 0], { logits: [0, 1] }), /^student logits\[0\] must be finite, got Infinity$/],
    ['non-integer label', () => hintonKdLoss([0, 1], 0.5, { logits: [0, 1] }), /^label must be an integer in \[0, 1\], got 0\.5$/],
    ['negative label', () => hintonKdLoss([0, 1], -1, { logits: [0, 1] }), /^label must be an integer in \[0, 1\], got -1$/],
    ['both teacher outputs', () => hintonKdLoss([0, 1], 0, { logits: [0, 1], probs: [0.5, 0.5] } as never), /^teacher output must give exactly one of 'logits' or 'probs', got both$/],
    ['teacher probs of the wrong length', () => softTargetLoss([0, 1], { probs: [0.2, 0.3, 0.5] }), /^teacher probs must have 2 entries \(one per class\), got 3$/],
    ['teacher logits of the wrong length', () => softTargetLoss([0, 1, 2], { logits: [0, 1] }), /^teacher logits must have 3 entries \(one per class\), got 2$/],
    ['NaN teacher logit', () => softTargetLoss([0, 1], { logits: [0, NaN] }), /^teacher logits\[1\] must be finite, got NaN$/],
    ['NaN teacher prob', () => softTargetLoss([0, 1], { probs: [NaN, 1] }), /^teacher probs\[0\] must be a finite number ≥ 0, got NaN$/],
    ['teacher probs summing to 1 + 2e-6', () => softTargetLoss([0, 1], { probs: [0.5 + 2e-6, 0.5] }), /^teacher probs must sum to 1 \(±0\.000001\), got 1\.00000(2|19)/],
    ['teacher probs summing to 1 − 2e-6', () => softTargetLoss([0, 1], { probs: [0.5 - 2e-6, 0.5] }), /^teacher probs must sum to 1 \(±0\.000001\), got 0\.99999(8|79)/],
    ['negative weight', () => softTargetLoss([0, 1], { logits: [0, 1], weight: -0.1 }), /^teacher weight must be in \[0, 1\], got -0\.1$/],
    ['NaN weight', () => softTargetLoss([0, 1], { logits: [0, 1], weight: NaN }), /^teacher weight must be in \[0, 1\], got NaN$/],
    ['negative T', () => softTargetLoss([0, 1], { logits: [0, 1] }, { T: -1 }), /^KD temperature T must be a finite number > 0, got -1$/],
    ['infinite T', () => softTargetLoss([0, 1], { logits: [0, 1] }, { T: Infinity }), /^KD temperature T must be a finite number > 0, got Infinity$/],
    ['negative alpha', () => resolveKdOptions({ alpha: -0.1 }), /^KD alpha must be in \[0, 1\], got -0\.1$/],
    ['NaN alpha', () => resolveKdOptions({ alpha: NaN }), /^KD alpha must be in \[0, 1\], got NaN$/],
    ['scaleT2 not a boolean', () => resolveKdOptions({ scaleT2: 1 as never }), /^KD scaleT2 must be a boolean, got 1$/],
    ['unknown option', () => resolveKdOptions({ temperature: 2 } as never), /^unknown KD option 'temperature' \(allowed: T, alpha, scaleT2\)$/],
    ['alpha in softTargetLoss', () => softTargetLoss([0, 1], { logits: [0, 1] }, { alpha: 1 } as never), /^softTargetLoss has α = 1 fixed; unknown option 'alpha' \(allowed: T, scaleT2\)$/],
    ['NaN fidelity', () => fidelityWeight(NaN), /^fidelity must be finite, got NaN$/],
    ['negative power', () => fidelityWeight(0.5, -1), /^fidelity weight power must be a finite number ≥ 0, got -1$/],
    ['infinite power', () => fidelityWeight(0.5, Infinity), /^fidelity weight power must be a finite number ≥ 0, got Infinity$/],
    ['negative epoch', () => psKdAlpha(-1, 10), /^PS-KD epoch must be an integer in \[0, 9\], got -1$/],
    ['fractional epoch', () => psKdAlpha(1.5, 10), /^PS-KD epoch must be an integer in \[0, 9\], got 1\.5$/],
    ['fractional total', () => psKdAlpha(0, 2.5), /^PS-KD totalEpochs must be an integer ≥ 1, got 2\.5$/],
    ['negative alphaT', () => psKdAlpha(0, 10, -0.1), /^PS-KD alphaT must be in \[0, 1\], got -0\.1$/],
    ['NaN alphaT', () => psKdAlpha(0, 10, NaN), /^PS-KD alphaT must be in \[0, 1\], got NaN$/],
    ['target α above 1', () => psKdTarget(0, [0.5, 0.5], 1.5), /^PS-KD alpha_t must be in \[0, 1\], got 1\.5$/],
    ['target α below 0', () => psKdTarget(0, [0.5, 0.5], -0.5), /^PS-KD alpha_t must be in \[0, 1\], got -0\.5$/],
    ['target label out of range', () => psKdTarget(2, [0.5, 0.5], 0.5), /^label must be an integer in \[0, 1\], got 2$/],
    ['fractional target label', () => psKdTarget(0.5, [0.5, 0.5], 0.5), /^label must be an integer in \[0, 1\], got 0\.5$/],
    ['negative target label', () => psKdTarget(-1, null, 0.5, 3), /^label must be an integer in \[0, 2\], got -1$/],
    ['no classes', () => psKdTarget(0, null, 0.5, 0), /^PS-KD numClasses must be an integer ≥ 1 \(give it when prevProbs is null\), got 0$/],
    ['fractional class count', () => psKdTarget(0, null, 0.5, 2.5), /^PS-KD numClasses must be an integer ≥ 1/],
    ['previous probs of the wrong length', () => psKdTarget(0, [0.5, 0.5], 0.5, 3), /^PS-KD previous probs must have 3 entries \(one per class\), got 2$/],
    ['previous probs not summing to 1', () => psKdTarget(0, [0.5, 0.6], 0.5), /^PS-KD previous probs must sum to 1/],
    ['soft target of the wrong length', () => softTargetCrossEntropy([0, 1], [1]), /^soft target must have 2 entries \(one per class\), got 1$/],
    ['negative soft target', () => softTargetCrossEntropy([0, 1], [1.5, -0.5]), /^soft target\[1\] must be a finite number ≥ 0, got -0\.5$/],
    ['non-finite logits of a soft target', () => softTargetCrossEntropy([0, -Infinity], [1, 0]), /^logits\[1\] must be finite, got -Infinity$/],
    ['no logits', () => softTargetCrossEntropy([], []), /^logits must have at least 1 class, got length 0$/],
  ])('rejects %s', (_name, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe('Hinton KD on an unlabelled transfer sample (y = UNLABELLED)', () => {
  it.each([[0.25, 2, true], [0.5, 1, false], [0.9, 4, true], [1, 2, true]])('α = %s, T = %s, scaleT2 = %s: equals α × the soft-target loss, gradient included', (alpha, T, scaleT2) => {
    const z = [0.3, -1.2, 0.7];
    const teacher = { logits: [1.5, -0.5, 0.2], weight: 0.8 };
    const r = hintonKdLoss(z, UNLABELLED, teacher, { alpha, T, scaleT2 });
    const s = softTargetLoss(z, teacher, { T, scaleT2 });
    expect(r.loss).toBeCloseTo(alpha * s.loss, 14);
    r.grad.forEach((g, i) => expect(g).toBeCloseTo(alpha * s.grad[i]!, 14));
    expect(r.ce).toBe(0);
    expect(r.kl).toBeCloseTo(s.kl, 14);
    // central finite differences of the loss itself
    for (let i = 0; i < z.length; i++) {
      const h = 1e-6;
      const zp = z.slice(), zm = z.slice();
      zp[i]! += h; zm[i]! -= h;
      const fd = (hintonKdLoss(zp, UNLABELLED, teacher, { alpha, T, scaleT2 }).loss - hintonKdLoss(zm, UNLABELLED, teacher, { alpha, T, scaleT2 }).loss) / (2 * h);
      expect(Math.abs(fd - r.grad[i]!)).toBeLessThan(1e-8);
    }
  });
  it('other negative or out-of-range labels are still refused', () => {
    expect(() => hintonKdLoss([0, 1], -2, { logits: [0, 1] })).toThrow(/label must be an integer in \[0, 1\], got -2/);
    expect(() => hintonKdLoss([0, 1], 2, { logits: [0, 1] })).toThrow(/got 2/);
  });
});
