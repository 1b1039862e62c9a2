/**
 * MPO tools for ground-state work: real gauging of Pauli-sum MPOs, environment contractions
 * (⟨ψ|H|ψ⟩ without forming H|ψ⟩), the stable energy variance ‖(H − E)ψ‖² (mpo-scale.ts), and
 * MPO × MPS with truncation.
 *
 * Leg orders (as everywhere in the engine): MPS sites [vL, p, vR]; MPO sites [wL, p, p*, wR].
 * Environments are stored **[bra vL][w_1]…[w_k][ket vL]** row-major, for k stacked MPO
 * layers (k = 1 for ⟨H⟩ and DMRG, k = 2 for ⟨H²⟩). A right environment is a left
 * environment of the mirrored chain (sites transposed to [vR, p, vL], MPO sites to
 * [wR, p, p*, wL]), so one kernel serves both directions.
 *
 * The environment kernels are real (the fast path: every model in `models.ts` is real once
 * gauged with {@link realifyMpo}); complex states or MPOs fall back to {@link applyMpo} and
 * {@link overlap}, which cost O(n·(Dχ)³) instead of O(n·D·χ³).
 */
import { gemmComplex, gemmReal } from '../kernels/index.js';
import { countGemm } from '../flops.js';
import { overlap as measureOverlap } from '../measure.js';
import { applyMpo, type Mpo, type MpoTensor } from '../mpo.js';
import { Mps, type SiteTensor } from '../mps.js';
import { truncatedSplit } from '../split.js';
import { accumulate, emptyReport, type TruncationOptions, type TruncationReport } from '../truncation.js';
import { normalizeMpo, scaledEnergyVariance, timesPow2, type EnergyVariance } from './mpo-scale.js';

/** Nonzero entries of a real MPO site: parallel arrays (w, s, t, w', value). */
export interface SparseMpoSite {
  Dl: number;
  d: number;
  Dr: number;
  wl: Int32Array;
  s: Int32Array;
  t: Int32Array;
  wr: Int32Array;
  v: Float64Array;
}

/** The nonzero entries of a real MPO site tensor (legs [wL, p, p*, wR]). */
export function sparseMpoSite(W: MpoTensor): SparseMpoSite {
  if (W.im !== null) throw new Error('sparseMpoSite: the MPO site must be real (see realifyMpo)');
  const { Dl, d, Dr } = W;
  const e: number[][] = [];
  for (let a = 0; a < Dl; a++) for (let s = 0; s < d; s++) for (let t = 0; t < d; t++) for (let b = 0; b < Dr; b++) {
    const v = W.re[((a * d + s) * d + t) * Dr + b]!;
    if (v !== 0) e.push([a, s, t, b, v]);
  }
  return {
    Dl, d, Dr,
    wl: Int32Array.from(e, (x) => x[0]!), s: Int32Array.from(e, (x) => x[1]!), t: Int32Array.from(e, (x) => x[2]!),
    wr: Int32Array.from(e, (x) => x[3]!), v: Float64Array.from(e, (x) => x[4]!),
  };
}

/**
 * Contracts one MPO site into a tensor: Y[pre, s, w', post] = Σ_{w,t} W[w, s, t, w'] · X[pre, w, t, post].
 * X has layout [pre][w][t][post] (w < Dl, t < d); Y (overwritten) has layout [pre][s][w'][post].
 * Cost 2·nnz(W)·pre·post flops; the inner loop runs over the contiguous `post` block.
 */
export function contractMpoSite(X: Float64Array, pre: number, W: SparseMpoSite, post: number, Y: Float64Array): void {
  const { Dl, d, Dr } = W;
  Y.fill(0, 0, pre * d * Dr * post);
  const nnz = W.v.length;
  for (let p = 0; p < pre; p++) {
    const xb = p * Dl * d * post, yb = p * d * Dr * post;
    for (let e = 0; e < nnz; e++) {
      const xo = xb + (W.wl[e]! * d + W.t[e]!) * post;
      const yo = yb + (W.s[e]! * Dr + W.wr[e]!) * post;
      const c = W.v[e]!;
      for (let j = 0; j < post; j++) Y[yo + j] += c * X[xo + j]!;
    }
  }
}

/** Site A (legs [vL, p, vR]) mirrored to legs [vR, p, vL] (real plane only). */
export function mirrorSite(A: SiteTensor): SiteTensor {
  const { dl, d, dr } = A;
  const re = new Float64Array(dl * d * dr);
  for (let a = 0; a < dl; a++) for (let s = 0; s < d; s++) for (let b = 0; b < dr; b++) re[(b * d + s) * dl + a] = A.re[(a * d + s) * dr + b]!;
  return { dl: dr, d, dr: dl, re, im: null };
}

/** MPO site mirrored: legs [wL, p, p*, wR] → [wR, p, p*, wL] (sparse form). */
export function mirrorSparse(W: SparseMpoSite): SparseMpoSite {
  return { Dl: W.Dr, d: W.d, Dr: W.Dl, wl: W.wr, s: W.s, t: W.t, wr: W.wl, v: W.v };
}

/**
 * One left-environment step through `k = layers.length` stacked MPO sites (real):
 * E'[b, w1', …, wk', b'] = Σ A[a, s, b] · W1[w1, s, u1, w1'] ⋯ Wk[wk, u_{k−1}, t, wk'] · A[a', t, b'] · E[a, w1, …, wk, a'].
 * `layers[0]` is next to the bra, `layers[k−1]` next to the ket. Cost ≈ 4·d·χ³·ΠD flops.
 */
export function envStep(E: Float64Array, A: SiteTensor, layers: readonly SparseMpoSite[]): Float64Array {
  const { dl, d, dr } = A;
  const Din = layers.reduce((p, w) => p * w.Dl, 1);
  // T: (a w1…wk) × (t b') = E: (a w1…wk) × [a'] · A: [a'] × (t b')
  let T = new Float64Array(dl * Din * d * dr);
  gemmReal('N', 'N', dl * Din, d * dr, dl, E, A.re, T);
  countGemm(dl * Din, d * dr, dl, 0);
  // apply Wk … W1; before layer j the layout is [a][w1…wj][u_j][wj+1'…wk'][b']
  let post = dr;
  for (let j = layers.length - 1; j >= 0; j--) {
    const W = layers[j]!;
    let pre = dl;
    for (let i = 0; i < j; i++) pre *= layers[i]!.Dl;
    const Y = new Float64Array(pre * d * W.Dr * post);
    contractMpoSite(T, pre, W, post, Y);
    T = Y;
    post *= W.Dr;
  }
  // E': b × (w1'…wk' b') = Aᵀ: b × [(a s)] · T: [(a s)] × (w1'…wk' b')
  const out = new Float64Array(dr * post);
  gemmReal('T', 'N', dr, post, dl * d, A.re, T, out);
  countGemm(dr, post, dl * d, 0);
  return out;
}

/**
 * Tries to gauge an MPO to real tensors by a diagonal phase gauge on every bond
 * (W_q → G_{q−1}⁻¹ W_q G_q). Pauli-sum MPOs of real operators (e.g. X X + Y Y, whose Y
 * factors carry a phase i each) become real this way. Returns the MPO itself when already
 * real, a real copy when the gauge works, and `null` when the operator is not real in this
 * form (then the complex MPO must be used). An imaginary part counts as zero when it is below
 * `tol` times the site's largest entry (relative, so the test does not depend on the scale of H).
 */
export function realifyMpo(w: Mpo, tol = 1e-14): Mpo | null {
  if (w.sites.every((W) => W.im === null)) return w;
  let phRe = Float64Array.of(1), phIm = Float64Array.of(0); // phase of each left channel
  const out: MpoTensor[] = [];
  for (let q = 0; q < w.n; q++) {
    const W = w.sites[q]!;
    const { Dl, d, Dr } = W;
    const im = W.im ?? new Float64Array(W.re.length);
    // U = diag(ph_left) · W  (complex)
    const ur = new Float64Array(W.re.length), ui = new Float64Array(W.re.length);
    for (let a = 0; a < Dl; a++) {
      const pr = phRe[a]!, pi = phIm[a]!;
      for (let x = a * d * d * Dr; x < (a + 1) * d * d * Dr; x++) {
        ur[x] = pr * W.re[x]! - pi * im[x]!;
        ui[x] = pr * im[x]! + pi * W.re[x]!;
      }
    }
    const nRe = new Float64Array(Dr), nIm = new Float64Array(Dr);
    const re = new Float64Array(W.re.length);
    let scale = 0;
    for (let x = 0; x < ur.length; x++) scale = Math.max(scale, Math.hypot(ur[x]!, ui[x]!));
    for (let b = 0; b < Dr; b++) {
      // phase of the right channel b: that of its largest entry (outer bond: fixed to 1)
      let br = 1, bi = 0;
      if (q < w.n - 1) {
        let best = 0;
        for (let x = b; x < ur.length; x += Dr) {
          const m = Math.hypot(ur[x]!, ui[x]!);
          if (m > best) { best = m; br = ur[x]! / m; bi = ui[x]! / m; }
        }
      }
      nRe[b] = br; nIm[b] = bi;
      // W' = U · conj(phase_b)
      for (let x = b; x < ur.length; x += Dr) {
        const r = ur[x]! * br + ui[x]! * bi;
        const i = ui[x]! * br - ur[x]! * bi;
        if (Math.abs(i) > tol * scale) return null;
        re[x] = r;
      }
    }
    out.push({ Dl, d, Dr, re, im: null });
    phRe = nRe; phIm = nIm;
  }
  return { n: w.n, sites: out };
}

/** Sparse sites of a real MPO, and their mirrors (for right environments). */
export interface PreparedMpo {
  n: number;
  sites: SparseMpoSite[];
  mirrored: SparseMpoSite[];
}

/** Prepares a real MPO for the environment kernels. @throws Error when the MPO is complex. */
export function prepareMpo(w: Mpo): PreparedMpo {
  const sites = w.sites.map(sparseMpoSite);
  return { n: w.n, sites, mirrored: sites.map(mirrorSparse) };
}

function checkSizes(w: Mpo, psi: Mps, who: string): void {
  if (w.n !== psi.n) throw new Error(`${who}: MPO has ${w.n} sites, state has ${psi.n}`);
  for (let q = 0; q < w.n; q++) {
    if (w.sites[q]!.d !== psi.sites[q]!.d) throw new Error(`${who}: site ${q}: MPO physical dim ${w.sites[q]!.d} ≠ state's ${psi.sites[q]!.d}`);
  }
}

/** ⟨ψ|W_1 ⋯ W_k|ψ⟩ (unnormalised) for real ψ and real MPOs, by one left sweep. */
export function stackedExpectation(layers: readonly SparseMpoSite[][], psi: Mps): number {
  let E: Float64Array = Float64Array.of(1);
  for (let q = 0; q < psi.n; q++) E = envStep(E, psi.sites[q]!, layers.map((l) => l[q]!));
  return E[0]!;
}

/**
 * ⟨H⟩ = ⟨ψ|H|ψ⟩ / ⟨ψ|ψ⟩ for an MPO H. Real ψ and H: one environment sweep,
 * O(n·d·D·χ³); otherwise via |Hψ⟩ (applyMpo) and an overlap, O(n·(Dχ)³). The real part is
 * returned (exact for Hermitian H).
 * @example mpoExpectation(pauliSumMpo(2, parsePauliSum('Z0*Z1', 2)), Mps.fromBits('01')) // −1
 */
export function mpoExpectation(H: Mpo, psi: Mps): number {
  checkSizes(H, psi, 'mpoExpectation');
  const norm2 = psi.normSquared();
  if (!(norm2 > 0)) throw new Error('mpoExpectation: zero state');
  // computed on H/2^k (k from the norm estimate) so that environments stay in range
  const { mpo: Hs, k } = normalizeMpo(H);
  const real = realifyMpo(Hs);
  const e = real && psi.isReal() ? stackedExpectation([prepareMpo(real).sites], psi) / norm2 : measureOverlap(psi, applyMpo(Hs, psi)).re / norm2;
  return timesPow2(e, k);
}

/**
 * ⟨H⟩ and the variance ⟨H²⟩ − ⟨H⟩² of ψ for an MPO H, at any scale of H's coefficients.
 * H is first divided by the power of two 2^k near its norm estimate ({@link normalizeMpo},
 * exact), the variance of the scaled H is computed stably as ‖(H − E)ψ‖²/‖ψ‖²
 * ({@link scaledEnergyVariance}: the cancellation between H and E happens amplitude by
 * amplitude, so a state with a small variance at a large energy keeps it: the rounding error
 * is ≈ ε·ν·‖(H − E)ψ‖·n, not ε·⟨H²⟩), and the results are scaled back by 2^k and 2^{2k}.
 * `relativeVariance` = variance/E² never leaves double range. Real ψ and H take the
 * environment kernel for ⟨H⟩; complex ones go through |Hψ⟩. Cost O(n·d·((D + 1)χ)³).
 * @throws Error for mismatched sizes or a zero state; OverflowError for a non-finite MPO entry.
 */
export function mpoVariance(H: Mpo, psi: Mps): EnergyVariance {
  checkSizes(H, psi, 'mpoVariance');
  const { mpo: Hs, k } = normalizeMpo(H);
  const real = realifyMpo(Hs);
  const r = real && psi.isReal()
    ? scaledEnergyVariance(real, psi, (w, p) => stackedExpectation([prepareMpo(w).sites], p))
    : scaledEnergyVariance(Hs, psi);
  return unscaleEnergyVariance(r.energy, r.variance, k);
}

/**
 * Energy and variance of a scaled Hamiltonian H/2^k converted back to H's units:
 * E·2^k and var·2^{2k} (each correctly rounded to ±Infinity or 0 when out of range), plus
 * the scale-free variance/E².
 */
export function unscaleEnergyVariance(energy: number, variance: number, k: number): EnergyVariance {
  const e = timesPow2(energy, k);
  const v = timesPow2(variance, 2 * k);
  const rel = variance === 0 ? 0 : variance / (energy * energy);
  return { energy: e, h2: v + e * e, variance: v, relativeVariance: rel };
}

/**
 * |φ⟩ ≈ H|ψ⟩ with truncation (apply-then-compress): the exact product (bond D·χ, brought
 * to canonical form with the centre at n − 1), then one right→left SVD sweep truncating every
 * bond at the orthogonality centre with `truncation`. The result is not renormalised: ‖φ‖² ≈
 * ‖Hψ‖²·F, with F the report's fidelity estimate. The centre ends at 0.
 * Cost O(n·d·(Dχ)³).
 */
export function applyMpoTruncated(H: Mpo, psi: Mps, truncation: TruncationOptions): { state: Mps; report: TruncationReport } {
  checkSizes(H, psi, 'applyMpoTruncated');
  const phi = applyMpo(H, psi); // centre n − 1
  const report = emptyReport();
  for (let i = phi.n - 1; i > 0; i--) {
    const A = phi.sites[i]!;
    const B = phi.sites[i - 1]!;
    const cols = A.d * A.dr;
    // A: vL × (p vR) = U · S · Vh;  A ← Vh,  B ← B · U · S
    const sp = truncatedSplit(A.dl, cols, A.re, A.im, truncation);
    const k = sp.k;
    const usRe = new Float64Array(A.dl * k), usIm = sp.Uim ? new Float64Array(A.dl * k) : null;
    for (let a = 0; a < A.dl; a++) for (let j = 0; j < k; j++) {
      usRe[a * k + j] = sp.Ure[a * k + j]! * sp.S[j]!;
      if (usIm) usIm[a * k + j] = sp.Uim![a * k + j]! * sp.S[j]!;
    }
    const mb = B.dl * B.d;
    const nre = new Float64Array(mb * k);
    let nim: Float64Array | null = null;
    if (B.im === null && usIm === null) {
      gemmReal('N', 'N', mb, k, A.dl, B.re, usRe, nre);
      countGemm(mb, k, A.dl, 0);
    } else {
      nim = new Float64Array(mb * k);
      gemmComplex('N', 'N', mb, k, A.dl, B.re, B.im, usRe, usIm, nre, nim);
      countGemm(mb, k, A.dl, 2);
    }
    phi.sites[i] = { dl: k, d: A.d, dr: A.dr, re: sp.Vhre, im: sp.Vhim };
    phi.sites[i - 1] = { dl: B.dl, d: B.d, dr: k, re: nre, im: nim };
    phi.center = i - 1;
    accumulate(report, { bond: i - 1, rankBefore: sp.rankBefore, rankKept: k, discardedWeight: sp.discarded }, sp.method);
  }
  return { state: phi, report };
}
