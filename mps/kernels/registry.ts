/**
 * The kernel registry: the one place where the engine's backend-neutral operations are bound
 * to a backend. Two kernel sets implement them: the TypeScript kernels (the reference and the
 * fallback) and the WebAssembly SIMD kernels (mps/wasm/kernels.wasm), which perform the same
 * floating-point operations in the same order, so both give bit-identical results.
 *
 * The backend is chosen once, when the module loads (wasm.ts): WebAssembly when the module is
 * present and compiles (SIMD available) and `QDISTILL_WASM=0` is not set, else TypeScript.
 * Tests and benchmarks switch it with {@link setKernelBackend}. Within the WebAssembly set,
 * an operation whose inputs are below its size threshold, mix real and complex operands, or
 * do not fit the arena runs its TypeScript twin.
 *
 * The engine (mps/mps.ts, split.ts, apply.ts) calls {@link kernels} and never names a
 * backend; the dense kernels inside this folder (qr.ts, eigh.ts, …) call their WebAssembly
 * twins through wasm-ops.ts, which does nothing while the TypeScript set is selected.
 */
import { gemmComplex, gemmReal } from './matmul.js';
import { lqComplex, lqReal, qrComplex, qrReal } from './qr.js';
import type { RankDecision, TwoSiteRankRule } from './rank-rule.js';
import { allFinite, twoSiteThetaTs, type Planes } from './two-site.js';
import { kernelBackend, setKernelBackend, wasmAvailable } from './wasm.js';
import { wasmShiftLeft, wasmShiftLeftC, wasmShiftRight, wasmShiftRightC, wasmTwoSiteGramComplex, wasmTwoSiteGramReal } from './wasm-fused.js';
import { WASM_MIN_QR } from './wasm-ops.js';

export { kernelBackend, setKernelBackend, wasmAvailable };
export type { Planes };

/** Result of a centre move: the new isometry Q and the product the centre moves into, r = min(m, n). */
export interface CentreMove {
  /** The isometry left behind: Q (m×r) of A = Q·R, or Q (r×n) of A = L·Q. */
  Q: Planes;
  /** The new centre: R·B (r×nb) moving right, B·L (mb×r) moving left. */
  C: Planes;
  /** The new bond dimension r = min(m, n). */
  r: number;
}

/**
 * Outcome of a two-site update ({@link KernelSet.twoSiteUpdate}):
 * - `split`: the truncated Gram split of θ', with S folded into Vh (`absorb` 1) or U (2); the
 *   rank rule's decision, the full spectrum it saw (all min(m, n) singular values from the
 *   Gram eigenvalues, descending) and ‖θ'‖². The caller checks it before using it.
 * - `theta`: θ' itself ((dl·2)×(2·dr), row-major; `im` null when A, B and G are real), for the
 *   caller's general split (this backend has no fused path for the inputs, no rule was given,
 *   the rule kept nothing, or the Gram phases did not finish).
 * - `nonfinite`: θ' has a NaN or infinite entry.
 */
export type TwoSiteUpdate<D> =
  | { status: 'split'; U: Planes; S: Float64Array; Vh: Planes; k: number; decision: D; spectrum: Float64Array; total: number }
  | { status: 'theta'; theta: Planes }
  | { status: 'nonfinite' };

/** The backend-neutral operations of the engine. */
export interface KernelSet {
  /** Which backend this set runs on. */
  readonly backend: 'wasm' | 'ts';
  /**
   * Centre move to the right: A (m×n, legs (vL p)×vR) = Q·R by Householder QR; returns Q
   * (m×r) and R·B for B (n×nb, legs vL×(p vR)). Planes follow A and B (real Q when A is real).
   */
  qrMoveRight(m: number, n: number, nb: number, A: Planes, B: Planes): CentreMove;
  /**
   * Centre move to the left: A (m×n, legs vL×(p vR)) = L·Q by LQ; returns Q (r×n) and B·L for
   * B (mb×m, legs (vL p)×vR).
   */
  lqMoveLeft(m: number, n: number, mb: number, A: Planes, B: Planes): CentreMove;
  /**
   * The two-site update at the centre: θ = A·B (A: (dl·2)×c, B: c×(2·dr)), θ' = G·θ with the
   * 4×4 gate G (basis 2·b(i) + b(i+1)), and, when `rule` is given and the backend has a fused
   * path, the truncated Gram split of θ' with `rule` deciding the rank (see {@link TwoSiteUpdate}).
   */
  twoSiteUpdate<D extends RankDecision>(dl: number, c: number, dr: number, A: Planes, B: Planes, gate: Planes, absorb: 1 | 2, rule: TwoSiteRankRule<D> | null): TwoSiteUpdate<D>;
  /** θ' = G·(A·B) alone, as in {@link twoSiteUpdate} without a rule (`nonfinite` checked). */
  twoSiteTheta(dl: number, c: number, dr: number, A: Planes, B: Planes, gate: Planes): { status: 'theta'; theta: Planes } | { status: 'nonfinite' };
}

function tsMoveRight(m: number, n: number, nb: number, A: Planes, B: Planes): CentreMove {
  if (A.im === null) {
    const { Q, R, r } = qrReal(m, n, A.re);
    // B': r × (p vR) = R: r × [vR] · B: [vL] × (p vR)
    const re = new Float64Array(r * nb);
    gemmReal('N', 'N', r, nb, n, R, B.re, re);
    let im: Float64Array | null = null;
    if (B.im) { im = new Float64Array(r * nb); gemmReal('N', 'N', r, nb, n, R, B.im, im); }
    return { Q: { re: Q, im: null }, C: { re, im }, r };
  }
  const { Qre, Qim, Rre, Rim, r } = qrComplex(m, n, A.re, A.im);
  const re = new Float64Array(r * nb);
  const im = new Float64Array(r * nb);
  gemmComplex('N', 'N', r, nb, n, Rre, Rim, B.re, B.im, re, im);
  return { Q: { re: Qre, im: Qim }, C: { re, im }, r };
}

function tsMoveLeft(m: number, n: number, mb: number, A: Planes, B: Planes): CentreMove {
  if (A.im === null) {
    const { L, Q, r } = lqReal(m, n, A.re);
    // B': (vL p) × r = B: (vL p) × [vR] · L: [vL] × r
    const re = new Float64Array(mb * r);
    gemmReal('N', 'N', mb, r, m, B.re, L, re);
    let im: Float64Array | null = null;
    if (B.im) { im = new Float64Array(mb * r); gemmReal('N', 'N', mb, r, m, B.im, L, im); }
    return { Q: { re: Q, im: null }, C: { re, im }, r };
  }
  const { Lre, Lim, Qre, Qim, r } = lqComplex(m, n, A.re, A.im);
  const re = new Float64Array(mb * r);
  const im = new Float64Array(mb * r);
  gemmComplex('N', 'N', mb, r, m, B.re, B.im, Lre, Lim, re, im);
  return { Q: { re: Qre, im: Qim }, C: { re, im }, r };
}

function tsTwoSiteTheta(dl: number, c: number, dr: number, A: Planes, B: Planes, gate: Planes): { status: 'theta'; theta: Planes } | { status: 'nonfinite' } {
  const theta = twoSiteThetaTs(dl, c, dr, A, B, gate, A.im === null && B.im === null && gate.im === null);
  return allFinite(theta) ? { status: 'theta', theta } : { status: 'nonfinite' };
}

/** The TypeScript kernel set: the reference, and the fallback of every WebAssembly operation. */
const TS_KERNELS: KernelSet = {
  backend: 'ts',
  qrMoveRight: tsMoveRight,
  lqMoveLeft: tsMoveLeft,
  twoSiteUpdate: (dl, c, dr, A, B, gate) => tsTwoSiteTheta(dl, c, dr, A, B, gate),
  twoSiteTheta: tsTwoSiteTheta,
};

/** The WebAssembly kernel set: fused pipelines where they apply, else the TypeScript twin. */
const WASM_KERNELS: KernelSet = {
  backend: 'wasm',
  qrMoveRight(m, n, nb, A, B) {
    if (m * n >= WASM_MIN_QR) {
      if (A.im === null && B.im === null) {
        const f = wasmShiftRight(m, n, nb, A.re, B.re);
        if (f !== null) return { Q: { re: f.Q, im: null }, C: { re: f.RB, im: null }, r: f.r };
      } else if (A.im !== null && B.im !== null) {
        const f = wasmShiftRightC(m, n, nb, A.re, A.im, B.re, B.im);
        if (f !== null) return { Q: { re: f.Qre, im: f.Qim }, C: { re: f.re, im: f.im }, r: f.r };
      }
    }
    return tsMoveRight(m, n, nb, A, B);
  },
  lqMoveLeft(m, n, mb, A, B) {
    if (m * n >= WASM_MIN_QR) {
      if (A.im === null && B.im === null) {
        const f = wasmShiftLeft(m, n, mb, A.re, B.re);
        if (f !== null) return { Q: { re: f.Q, im: null }, C: { re: f.BL, im: null }, r: f.r };
      } else if (A.im !== null && B.im !== null) {
        const f = wasmShiftLeftC(m, n, mb, A.re, A.im, B.re, B.im);
        if (f !== null) return { Q: { re: f.Qre, im: f.Qim }, C: { re: f.re, im: f.im }, r: f.r };
      }
    }
    return tsMoveLeft(m, n, mb, A, B);
  },
  twoSiteUpdate(dl, c, dr, A, B, gate, absorb, rule) {
    if (rule !== null) {
      if (A.im === null && B.im === null && gate.im === null) {
        const f = wasmTwoSiteGramReal(dl, c, dr, A.re, B.re, gate.re, absorb, rule);
        if (f !== null) {
          if (f.status === 'nonfinite') return f;
          if (f.status === 'fallback') return { status: 'theta', theta: { re: f.theta, im: null } };
          const s = f.split;
          return { status: 'split', U: { re: s.U, im: null }, S: s.S, Vh: { re: s.Vh, im: null }, k: s.k, decision: s.decision, spectrum: s.spectrum, total: f.total };
        }
      } else if (A.im !== null && B.im !== null) {
        const f = wasmTwoSiteGramComplex(dl, c, dr, A.re, A.im, B.re, B.im, gate.re, gate.im, absorb, rule);
        if (f !== null) {
          if (f.status === 'nonfinite') return f;
          if (f.status === 'fallback') return { status: 'theta', theta: { re: f.re, im: f.im } };
          const s = f.split;
          return { status: 'split', U: { re: s.Ure, im: s.Uim }, S: s.S, Vh: { re: s.Vhre, im: s.Vhim }, k: s.k, decision: s.decision, spectrum: s.spectrum, total: f.total };
        }
      }
    }
    return tsTwoSiteTheta(dl, c, dr, A, B, gate);
  },
  twoSiteTheta: tsTwoSiteTheta,
};

/** The kernel set of the selected backend ({@link kernelBackend}). */
export function kernels(): KernelSet {
  return kernelBackend() === 'wasm' ? WASM_KERNELS : TS_KERNELS;
}

/** The kernel set of a named backend (for tests and benchmarks that compare the two). */
export function kernelSet(backend: 'wasm' | 'ts'): KernelSet {
  return backend === 'wasm' ? WASM_KERNELS : TS_KERNELS;
}
