/**
 * The secondary contract of mps/split.ts, checked by fault injection through its public
 * functions: the flop counts of each method (closed forms of mps/flops.ts worked out by hand
 * for the shapes used), the checks a candidate split must pass (finite values, the norm
 * identity over the kept values, the full Jacobi spectrum and the Gram eigenvalue sum) with
 * their failure messages, the sweep limit of the rescue Jacobi, and the fused two-site path
 * (its rank rule's norm-range guard, its checks, and the hand-back of θ'). The SVD kernels
 * and the kernel registry are wrapped so that a test can corrupt one output; everything else
 * runs the real code. Small matrices only: the file runs in about a second.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flopCounter, resetFlops } from '../../mps/flops.js';
import { JACOBI_SETTINGS } from '../../mps/kernels/svd.js';
import { SAFE_NORM2_HI, SAFE_NORM2_LO } from '../../mps/kernels/scale.js';
import type { KernelSet, Planes } from '../../mps/kernels/registry.js';
import type { RankDecision } from '../../mps/kernels/rank-rule.js';
import type { RankChoice, TruncationOptions } from '../../mps/truncation.js';
import { truncatedSplit, twoSiteSplit } from '../../mps/split.js';

/** A Jacobi or Gram kernel result, as far as these tests touch it. */
type Svd = { S: Float64Array; r: number; converged: boolean; sweeps: number; Sall?: Float64Array; decision?: RankDecision };

/** Output corruptions of the wrapped kernels (null: untouched), and the sweep limits Jacobi was called with. */
const fault: { jacobi: ((s: Svd) => Svd) | null; gram: ((s: Svd) => Svd) | null; sweeps: number[] } = { jacobi: null, gram: null, sweeps: [] };
/** The kernel set `kernels()` returns while set (null: the real one). */
const fake: { set: KernelSet | null } = { set: null };

vi.mock('../../mps/kernels/index.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../mps/kernels/index.js')>();
  const j = <T extends Svd>(r: T): T => (fault.jacobi ? (fault.jacobi(r) as T) : r);
  const g = <T extends Svd>(r: T): T => (fault.gram ? (fault.gram(r) as T) : r);
  return {
    ...orig,
    svdReal: (...a: Parameters<typeof orig.svdReal>) => { fault.sweeps.push(a[3]?.maxSweeps ?? -1); return j(orig.svdReal(...a)); },
    svdComplex: (...a: Parameters<typeof orig.svdComplex>) => { fault.sweeps.push(a[4]?.maxSweeps ?? -1); return j(orig.svdComplex(...a)); },
    svdGramTruncReal: (...a: Parameters<typeof orig.svdGramTruncReal>) => g(orig.svdGramTruncReal(...a)),
    svdGramTruncComplex: (...a: Parameters<typeof orig.svdGramTruncComplex>) => g(orig.svdGramTruncComplex(...a)),
  };
});

vi.mock('../../mps/kernels/registry.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../mps/kernels/registry.js')>();
  return { ...orig, kernels: () => fake.set ?? orig.kernels() };
});

afterEach(() => {
  fault.jacobi = null;
  fault.gram = null;
  fault.sweeps = [];
  fake.set = null;
});

/** θ (m×n) = diag(s) padded with zeros, imaginary plane zero when complex: its SVD is known exactly. */
function diag(m: number, n: number, s: number[], complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const re = new Float64Array(m * n);
  s.forEach((v, j) => { re[j * n + j] = j % 2 === 0 ? v : -v; });
  return { re, im: complex ? new Float64Array(m * n) : null };
}

// s_j = 2^−j: ‖θ‖² = (1 − 4^−r)/(3/4); relative weight of the tail from k on (4^−k − 4^−r)/(1 − 4^−r)
const spectrum = (r: number) => Array.from({ length: r }, (_, j) => 2 ** -j);
const norm2 = (r: number) => (1 - 4 ** -r) / 0.75;
const tail = (k: number, r: number) => (4 ** -k - 4 ** -r) / (1 - 4 ** -r);

const CUT3: TruncationOptions = { cutoff: 1e-3, maxBond: Infinity, minBond: 1 };
const EXACT: TruncationOptions = { cutoff: 0, maxBond: Infinity, minBond: 1 };

/** Nominal flops of one truncatedSplit call. */
function flopsOf(run: () => unknown): number {
  resetFlops();
  run();
  return flopCounter.flops;
}

describe('flop counts of truncatedSplit (closed forms of mps/flops.ts)', () => {
  // Jacobi, thin SVD of a×b (a ≥ b): 6ab² + 20b³, ×4 complex. 6×4 and 4×6: 6·6·16 + 20·64 = 1856.
  // Gram, 20×24 keeping k = 5 (cutoff 1e-3 on 2^−j): 2·20·24·20 + 9·20³ + 2·20·24·5 = 96000, ×4 complex.
  it.each([
    [6, 4, EXACT, false, 1856],
    [4, 6, EXACT, false, 1856],
    [6, 4, EXACT, true, 4 * 1856],
    [20, 24, CUT3, false, 96000],
    [20, 24, CUT3, true, 4 * 96000],
  ] as const)('%i×%i (complex: %s) counts the closed form', (m, n, opts, complex, flops) => {
    const A = diag(m, n, spectrum(Math.min(m, n)), complex);
    expect(flopsOf(() => truncatedSplit(m, n, A.re, A.im, opts))).toBe(flops);
  });

  it('an escalation counts every method that ran (gram, then jacobi: 96000 + 6·24·20² + 20·20³)', () => {
    fault.gram = (s) => ({ ...s, S: s.S.map((x) => x / 2) });
    const A = diag(20, 24, spectrum(20), false);
    let sp: ReturnType<typeof truncatedSplit> | null = null;
    expect(flopsOf(() => { sp = truncatedSplit(20, 24, A.re, A.im, CUT3); })).toBe(96000 + 57600 + 160000);
    expect(sp!.method).toBe('gram→jacobi');
  });
});

describe('the checks of a candidate split and their failure messages', () => {
  const A = diag(20, 24, spectrum(20), false);
  const nan = (s: Svd): Svd => ({ ...s, S: s.S.map((x, i) => (i === 0 ? NaN : x)) });

  it('NaN singular values are refused by every method, each named in the error', () => {
    fault.jacobi = nan;
    fault.gram = nan;
    expect(() => truncatedSplit(20, 24, A.re, A.im, CUT3)).toThrow(
      'the SVD of a 20×24 real matrix failed every method (gram: non-finite singular values; jacobi: non-finite singular values; jacobi*: non-finite singular values)',
    );
  });

  it('an infinite discarded weight is refused as non-finite, not as a broken identity', () => {
    fault.gram = (s) => ({ ...s, decision: { ...s.decision!, discarded: Infinity } });
    fault.jacobi = nan;
    expect(() => truncatedSplit(20, 24, A.re, A.im, CUT3)).toThrow(/\(gram: non-finite singular values; jacobi/);
    fault.gram = (s) => ({ ...s, decision: { ...s.decision!, discarded: NaN } });
    expect(() => truncatedSplit(20, 24, A.re, A.im, CUT3)).toThrow(/\(gram: non-finite singular values; jacobi/);
  });

  it('a Gram spectrum whose Σ λ is not ‖θ‖² is refused even when the kept values are right', () => {
    // every eigenvalue-based value doubled: Σ λ = 4·‖θ‖² = 4·(1 − 4^−20)/(3/4) = 5.333333…
    fault.gram = (s) => ({ ...s, Sall: s.Sall!.map((x) => 2 * x) });
    const sp = truncatedSplit(20, 24, A.re, A.im, CUT3);
    expect(sp.method).toBe('gram→jacobi');
    expect(sp.converged).toBe(false);
    expect(sp.k).toBe(5);
    expect(Math.abs(sp.discarded - tail(5, 20))).toBeLessThan(1e-16);
    fault.jacobi = nan;
    expect(() => truncatedSplit(20, 24, A.re, A.im, CUT3)).toThrow('(gram: Σ λ = 5.333333e+0 but ‖θ‖² = 1.333333e+0; jacobi: non-finite');
  });

  it('the Gram eigenvalue sum is held to SPLIT_NORM_TOL (1e-10) relative: an error of 1e-12 passes, 1e-8 fails', () => {
    // the last value 2^−19 raised so that Σ λ grows by δ·‖θ‖²
    const bump = (d: number) => (s: Svd): Svd => ({ ...s, Sall: s.Sall!.map((x, i) => (i === 19 ? Math.sqrt(x * x + d * norm2(20)) : x)) });
    fault.gram = bump(1e-12);
    expect(truncatedSplit(20, 24, A.re, A.im, CUT3).method).toBe('gram');
    fault.gram = bump(1e-8);
    expect(truncatedSplit(20, 24, A.re, A.im, CUT3).method).toBe('gram→jacobi');
  });

  it('a Jacobi value past the numerical rank that breaks Σ s² = ‖θ‖² is refused (the rank rule never sees it)', () => {
    // s = (3, 2, 1, 0, 0, 0): the rank rule stops at the first zero, so a corrupted s_4 = 1 leaves
    // the kept values and ε = 0 consistent; only the full spectrum shows Σ s² = 15 ≠ 14
    const B = diag(6, 8, [3, 2, 1], false);
    fault.jacobi = (s) => ({ ...s, S: s.S.map((x, i) => (i === 4 ? 1 : x)) });
    const sp = truncatedSplit(6, 8, B.re, B.im, EXACT);
    expect(sp.method).toBe('jacobi→gram');
    expect(Array.from(sp.S, (x) => Math.abs(x))).toEqual([3, 2, 1].map((x) => expect.closeTo(x, 14)));
    fault.gram = nan;
    expect(() => truncatedSplit(6, 8, B.re, B.im, EXACT)).toThrow(
      'the SVD of a 6×8 real matrix failed every method (jacobi: Σ s² = 1.500000e+1 but ‖θ‖² = 1.400000e+1; gram: non-finite singular values; jacobi*: Σ s² = 1.500000e+1 but ‖θ‖² = 1.400000e+1)',
    );
  });

  it('a broken norm identity is reported with Σ_kept s² + ε·‖θ‖² against ‖θ‖²', () => {
    // Gram values halved, cutoff 1e-3 keeps 5: Σ_kept s² = (1 − 4^−5)/3 = 1023/3072 = 0.3330078…,
    // ε·‖θ‖² = (4^−5 − 4^−20)/(3/4) = 0.0013020…, their sum 0.3343099 (‖θ‖² = 1.3333333)
    fault.gram = (s) => ({ ...s, S: s.S.map((x) => x / 2) });
    fault.jacobi = nan;
    expect(() => truncatedSplit(20, 24, A.re, A.im, CUT3)).toThrow('(gram: Σ s² = 3.343099e-1 but ‖θ‖² = 1.333333e+0; jacobi: non-finite');
  });

  for (const complex of [false, true]) {
    it(`an unconverged Jacobi names its sweep count; the rescue runs max(4× the limit, 240) sweeps (complex: ${complex})`, () => {
      const B = diag(6, 4, spectrum(4), complex);
      fault.jacobi = (s) => ({ ...s, converged: false, sweeps: 7 });
      fault.gram = nan;
      const saved = JACOBI_SETTINGS.maxSweeps;
      try {
        for (const [limit, rescue] of [[100, 400], [10, 240], [60, 240]] as const) {
          JACOBI_SETTINGS.maxSweeps = limit;
          fault.sweeps = [];
          expect(() => truncatedSplit(6, 4, B.re, B.im, EXACT)).toThrow(
            `the SVD of a 6×4 ${complex ? 'complex' : 'real'} matrix failed every method (jacobi: not converged after 7 sweeps; gram: non-finite singular values; jacobi*: not converged after 7 sweeps)`,
          );
          expect(fault.sweeps).toEqual([limit, rescue]);
        }
      } finally {
        JACOBI_SETTINGS.maxSweeps = saved;
      }
    });
  }
});

describe('the fused two-site path of twoSiteSplit (kernel set replaced)', () => {
  // dl = dr = 8: θ' is 16×16, min ≥ GRAM_MIN_SIZE, so cutoff ≥ 1e-12 takes the fused Gram path
  const R = 16;
  const gate: Planes = { re: new Float64Array(16), im: null };
  const site: Planes = { re: new Float64Array(1), im: null };
  const theta: Planes = { re: new Float64Array(R * R), im: null };

  /** A kernel set whose two-site update returns `respond(rule)` and whose θ' rebuild returns `rebuilt`. */
  function install(respond: (rule: ((S: Float64Array, total: number) => RankChoice) | null) => ReturnType<KernelSet['twoSiteUpdate']>, rebuilt: ReturnType<KernelSet['twoSiteTheta']> = { status: 'theta', theta }) {
    const calls = { rules: [] as (((S: Float64Array, total: number) => RankChoice) | null)[], rebuilt: 0 };
    fake.set = {
      backend: 'ts',
      qrMoveRight: () => { throw new Error('unused'); },
      lqMoveLeft: () => { throw new Error('unused'); },
      twoSiteUpdate: ((_dl: number, _c: number, _dr: number, _A: Planes, _B: Planes, _g: Planes, _abs: 1 | 2, rule: ((S: Float64Array, total: number) => RankChoice) | null) => {
        calls.rules.push(rule);
        return respond(rule);
      }) as KernelSet['twoSiteUpdate'],
      twoSiteTheta: () => { calls.rebuilt++; return rebuilt; },
    };
    return calls;
  }

  /** The kernel's split of θ' = diag(2^−j) (16×16) under `rule`, optionally corrupted. */
  function split(rule: ((S: Float64Array, total: number) => RankChoice) | null, complex: boolean, edit: { S?: (S: Float64Array) => Float64Array; spectrum?: (s: Float64Array) => Float64Array; discarded?: number } = {}) {
    const full = Float64Array.from(spectrum(R));
    const decision = rule!(full, norm2(R));
    const k = decision.kept;
    const U = { re: new Float64Array(R * k), im: complex ? new Float64Array(R * k) : null };
    const Vh = { re: new Float64Array(k * R), im: complex ? new Float64Array(k * R) : null };
    for (let j = 0; j < k; j++) { U.re[j * k + j] = 1; Vh.re[j * R + j] = full[j]!; }
    const S = full.slice(0, k);
    return {
      status: 'split' as const, U, Vh, k, total: norm2(R),
      S: edit.S ? edit.S(S) : S,
      spectrum: edit.spectrum ? edit.spectrum(full) : full,
      decision: edit.discarded === undefined ? decision : { ...decision, discarded: edit.discarded },
    };
  }

  it('hands the kernel a rank rule only where the split takes the Gram method', () => {
    const calls = install(() => ({ status: 'theta', theta }));
    twoSiteSplit(8, 1, 8, site, site, gate, CUT3, 1);
    twoSiteSplit(8, 1, 8, site, site, gate, { ...CUT3, cutoff: 1e-12 }, 1);
    twoSiteSplit(8, 1, 8, site, site, gate, { ...CUT3, cutoff: 0.99e-12 }, 1);
    twoSiteSplit(8, 1, 1, site, site, gate, CUT3, 1); // 16×2: min 2 < GRAM_MIN_SIZE (4)
    twoSiteSplit(1, 1, 8, site, site, gate, CUT3, 2); // 2×16
    expect(calls.rules.map((r) => r !== null)).toEqual([true, true, false, false, false]);
  });

  it('the rank rule keeps nothing when ‖θ′‖² is outside [2^−200, 2^200], and is chooseRank inside', () => {
    const calls = install(() => ({ status: 'theta', theta }));
    twoSiteSplit(8, 1, 8, site, site, gate, CUT3, 1);
    const rule = calls.rules[0]!;
    const none = { rank: 0, kept: 0, discarded: 0 };
    expect(rule(Float64Array.of(2 ** -101), SAFE_NORM2_LO / 4)).toEqual(none);
    expect(rule(Float64Array.of(2 ** 101), SAFE_NORM2_HI * 4)).toEqual(none);
    expect(rule(Float64Array.of(2 ** -100), SAFE_NORM2_LO)).toEqual({ rank: 1, kept: 1, discarded: 0 });
    expect(rule(Float64Array.of(2 ** 100), SAFE_NORM2_HI)).toEqual({ rank: 1, kept: 1, discarded: 0 });
    // 2^−j, j < 16, cutoff 1e-3: 4^−5 ≤ 1e-3 < 4^−4 of the weight, so 5 kept
    const d = rule(Float64Array.from(spectrum(R)), norm2(R));
    expect(d.rank).toBe(R);
    expect(d.kept).toBe(5);
    expect(Math.abs(d.discarded - tail(5, R))).toBeLessThan(1e-16);
  });

  for (const complex of [false, true]) {
    it(`a split that passes the checks is returned as the Gram result, with its flops (complex: ${complex})`, () => {
      const calls = install((rule) => split(rule, complex));
      resetFlops();
      const f = twoSiteSplit(8, 1, 8, site, site, gate, CUT3, 1);
      // 2·16·16·16 + 9·16³ + 2·16·16·5 = 47616, ×4 complex
      expect(flopCounter.flops).toBe((complex ? 4 : 1) * 47616);
      expect(calls.rebuilt).toBe(0);
      expect(f.status).toBe('split');
      if (f.status !== 'split') return;
      const sp = f.split;
      expect(sp.method).toBe('gram');
      expect(sp.converged).toBe(true);
      expect(sp.k).toBe(5);
      expect(sp.rankBefore).toBe(R);
      expect(sp.total).toBe(norm2(R));
      expect(Math.abs(sp.discarded - tail(5, R))).toBeLessThan(1e-16);
      expect(Array.from(sp.S)).toEqual(spectrum(5));
      expect(sp.Ure).toHaveLength(R * 5);
      expect(sp.Vhre).toHaveLength(5 * R);
      expect(sp.Uim === null).toBe(!complex);
      expect(sp.Vhim === null).toBe(!complex);
    });
  }

  it.each([
    ['a corrupted spectrum (Σ λ off by 1/4)', { spectrum: (s: Float64Array) => s.map((x, i) => (i === R - 1 ? 0.5 : x)) }],
    ['halved kept values', { S: (S: Float64Array) => S.map((x) => x / 2) }],
    ['a NaN kept value', { S: (S: Float64Array) => S.map((x, i) => (i === 2 ? NaN : x)) }],
    ['an infinite discarded weight', { discarded: Infinity }],
  ] as const)('%s sends θ′ back to truncatedSplit', (_name, edit) => {
    const calls = install((rule) => split(rule, false, edit));
    const f = twoSiteSplit(8, 1, 8, site, site, gate, CUT3, 2);
    expect(calls.rebuilt).toBe(1);
    expect(f).toEqual({ status: 'theta', re: theta.re, im: null });
    expect(f.status === 'theta' && f.re).toBe(theta.re);
  });

  it('a non-finite θ′ (from the kernel or from the rebuild) is reported as nonfinite', () => {
    install(() => ({ status: 'nonfinite' }));
    expect(twoSiteSplit(8, 1, 8, site, site, gate, CUT3, 1)).toEqual({ status: 'nonfinite' });
    install((rule) => split(rule, false, { discarded: NaN }), { status: 'nonfinite' });
    expect(twoSiteSplit(8, 1, 8, site, site, gate, CUT3, 1)).toEqual({ status: 'nonfinite' });
  });

  it('θ′ handed back by the kernel is passed on with both planes', () => {
    const im = new Float64Array(R * R);
    install(() => ({ status: 'theta', theta: { re: theta.re, im } }));
    const f = twoSiteSplit(8, 1, 8, site, site, gate, CUT3, 1);
    expect(f.status).toBe('theta');
    if (f.status !== 'theta') return;
    expect(f.re).toBe(theta.re);
    expect(f.im).toBe(im);
  });
});
