/**
 * Scale-free handling of MPO Hamiltonians: a norm estimate computed without overflow, exact
 * power-of-two rescaling, H + c·1 as an MPO, and the energy variance computed stably as
 * ‖(H − E)ψ‖² (never as the difference ⟨H²⟩ − ⟨H⟩² of two large numbers).
 *
 * Why: a Hamiltonian multiplied by a positive constant λ has the same eigenvectors and its
 * spectrum multiplied by λ. Dividing H by a power of two s near its norm before a
 * computation (exact in binary floating point, barring underflow) and multiplying energies
 * by s afterwards makes every tolerance relative to the scale of H and keeps intermediate
 * numbers (environments, Krylov coefficients) near 1 even for couplings of 1e±300.
 *
 * Leg orders as in mpo.ts: MPO sites [wL, p, p*, wR]; MPS sites [vL, p, vR].
 */
import { overlap as measureOverlap } from '../measure.js';
import { applyMpo, OverflowError, type Mpo, type MpoTensor } from '../mpo.js';
import type { Mps } from '../mps.js';

/** x · 2^k without forming 2^k (which overflows for k ≥ 1024): exact unless the result leaves double range. */
export function timesPow2(x: number, k: number): number {
  let y = x, e = k;
  while (e > 1000) { y *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { y *= 2 ** -1000; e += 1000; }
  return y * 2 ** e;
}

/**
 * Throws unless every entry of the MPO is finite.
 * @throws OverflowError naming `who` and the first site with a non-finite entry.
 */
export function checkFiniteMpo(H: Mpo, who: string): void {
  H.sites.forEach((W, q) => {
    const bad = (a: Float64Array | null) => a !== null && a.some((v) => !Number.isFinite(v));
    if (bad(W.re) || bad(W.im)) throw new OverflowError(`${who}: MPO site ${q} has a non-finite entry (a coefficient overflowed double precision)`);
  });
}

/**
 * A power-of-two diagonal gauge that brings every MPO entry to magnitude ≲ 2 without changing
 * the operator except for an overall factor: returns `mpo` and `k` with H = 2^k · mpo.
 *
 * Algorithm: a max-plus (tropical) sweep in the log domain, ℓ_q[b] = max_a (ℓ_{q−1}[a] +
 * log₂ max_{s,t} |W_q[a, s, t, b]|), gives the weight of the heaviest path from the left end
 * into channel b of bond q; with e = round(ℓ) the gauge W_q[a, ·, ·, b] → W_q[a, ·, ·, b] ·
 * 2^{e_{q−1}[a] − e_q[b]} leaves every entry ≤ 2 in magnitude and every reachable channel with
 * a path of weight ≈ 1, and divides the whole operator by 2^k, k = e at the right end. Unlike
 * a uniform rescaling this keeps the identity channels at 1 while the coupling channels carry
 * the scale, so no partial product along the chain under- or overflows, for couplings
 * anywhere in double range. Exact (powers of two), barring underflow of entries that are
 * negligible (≲ 2^−1000) next to the dominant paths. Returns H itself (k = 0) when every
 * channel already has e = 0, as for unit couplings.
 * @throws OverflowError when an entry of H is not finite.
 */
export function balanceMpo(H: Mpo): { mpo: Mpo; k: number } {
  checkFiniteMpo(H, 'balanceMpo');
  let prev = Float64Array.of(0); // ℓ of the left boundary
  const exps: Int32Array[] = [Int32Array.of(0)];
  for (const W of H.sites) {
    const { Dl, d, Dr } = W;
    const cur = new Float64Array(Dr).fill(-Infinity);
    for (let a = 0; a < Dl; a++) {
      if (prev[a] === -Infinity) continue;
      for (let st = 0; st < d * d; st++) for (let b = 0; b < Dr; b++) {
        const x = (a * d * d + st) * Dr + b;
        const m = W.im ? Math.hypot(W.re[x]!, W.im[x]!) : Math.abs(W.re[x]!);
        if (m > 0) cur[b] = Math.max(cur[b]!, prev[a]! + Math.log2(m));
      }
    }
    exps.push(Int32Array.from(cur, (v) => (Number.isFinite(v) ? Math.round(v) : 0)));
    prev = cur;
  }
  const k = exps[H.n]![0]!;
  if (exps.every((e) => e.every((v) => v === 0))) return { mpo: H, k: 0 };
  const sites: MpoTensor[] = H.sites.map((W, q) => {
    const { Dl, d, Dr } = W;
    const el = exps[q]!, er = exps[q + 1]!;
    const re = new Float64Array(W.re.length), im = W.im ? new Float64Array(W.re.length) : null;
    for (let a = 0; a < Dl; a++) for (let st = 0; st < d * d; st++) for (let b = 0; b < Dr; b++) {
      const x = (a * d * d + st) * Dr + b;
      re[x] = timesPow2(W.re[x]!, el[a]! - er[b]!);
      if (im) im[x] = timesPow2(W.im![x]!, el[a]! - er[b]!);
    }
    return { Dl, d, Dr, re, im };
  });
  return { mpo: { n: H.n, sites }, k };
}

/** log₂(Tr(H†H)/d^n) of a balanced MPO (environments renormalised by powers of two at every site). */
function frobeniusLog2(H: Mpo): number {
  let Ere = Float64Array.of(1), Eim = Float64Array.of(0);
  let acc = 0; // log2 of the factor taken out of E so far
  for (const W of H.sites) {
    const { Dl, d, Dr } = W;
    // E'[b, b'] = Σ conj(W[a, s, t, b]) · W[a', s, t, b'] · E[a, a'] / d
    const Nr = new Float64Array(Dr * Dr), Ni = new Float64Array(Dr * Dr);
    for (let a = 0; a < Dl; a++) for (let a2 = 0; a2 < Dl; a2++) {
      const er = Ere[a * Dl + a2]!, ei = Eim[a * Dl + a2]!;
      if (er === 0 && ei === 0) continue;
      for (let st = 0; st < d * d; st++) {
        const o1 = (a * d * d + st) * Dr, o2 = (a2 * d * d + st) * Dr;
        for (let b = 0; b < Dr; b++) {
          const xr = W.re[o1 + b]!, xi = W.im ? -W.im[o1 + b]! : 0; // conj
          if (xr === 0 && xi === 0) continue;
          const cr = xr * er - xi * ei, ci = xr * ei + xi * er;
          for (let b2 = 0; b2 < Dr; b2++) {
            const yr = W.re[o2 + b2]!, yi = W.im ? W.im[o2 + b2]! : 0;
            Nr[b * Dr + b2]! += cr * yr - ci * yi;
            Ni[b * Dr + b2]! += cr * yi + ci * yr;
          }
        }
      }
    }
    let mx = 0;
    for (let x = 0; x < Nr.length; x++) { Nr[x]! /= d; Ni[x]! /= d; mx = Math.max(mx, Math.abs(Nr[x]!), Math.abs(Ni[x]!)); }
    if (mx === 0) return -Infinity;
    const ke = Math.floor(Math.log2(mx));
    for (let x = 0; x < Nr.length; x++) { Nr[x] = timesPow2(Nr[x]!, -ke); Ni[x] = timesPow2(Ni[x]!, -ke); }
    acc += ke;
    Ere = Nr; Eim = Ni;
  }
  const tr = Ere[0]!;
  return tr > 0 ? Math.log2(tr) + acc : -Infinity;
}

/**
 * log₂ of the norm estimate ν = ‖H‖_F / √(n·d^n): the root-mean-square coupling per site.
 * For a Pauli sum H = Σ_k c_k P_k on n qubits, ν² = Σ_k c_k² / n (Pauli strings are
 * orthonormal under the normalised trace), so ν = √(15/8) for the TFIM at J = h = 1, n = 8,
 * and ν scales exactly with H. Computed on the balanced MPO ({@link balanceMpo}) by a
 * transfer-matrix sweep of Tr(H†H)/d^n, so it neither overflows nor underflows for any finite
 * MPO. Returns −Infinity for H = 0. Cost O(n·d²·D⁴).
 * @throws OverflowError when an entry of H is not finite.
 */
export function mpoNormLog2(H: Mpo): number {
  const { mpo, k } = balanceMpo(H);
  return 0.5 * (frobeniusLog2(mpo) - Math.log2(H.n)) + k;
}

/**
 * H divided by the power of two 2^k ≤ ν < 2^{k+1} (ν the norm estimate of {@link mpoNormLog2}),
 * balanced ({@link balanceMpo}) so that no entry or partial product leaves double range:
 * H = 2^k · mpo exactly, `nu` = ν/2^k ∈ [1, 2) (0, with k = 0 and H itself, for H = 0). For
 * unit couplings the result is H itself (k = 0, no gauge), so ordinary runs take exactly the
 * same steps as without it.
 * @throws OverflowError when an entry of H is not finite.
 */
export function normalizeMpo(H: Mpo): { mpo: Mpo; k: number; nu: number } {
  const b = balanceMpo(H);
  const l = 0.5 * (frobeniusLog2(b.mpo) - Math.log2(H.n));
  if (!Number.isFinite(l)) return { mpo: H, k: 0, nu: 0 };
  const k2 = Math.floor(l);
  return { mpo: scaleMpoPow2(b.mpo, -k2), k: b.k + k2, nu: 2 ** (l - k2) };
}

/**
 * H · 2^k as a new MPO, the factor spread over the sites as evenly as integer exponents allow
 * (site q gets 2^{k_q}, Σ k_q = k), so that partial products along the chain stay in range.
 * Exact (multiplication by powers of two) unless an entry under- or overflows.
 * @throws OverflowError when an entry becomes non-finite.
 */
export function scaleMpoPow2(H: Mpo, k: number): Mpo {
  if (!Number.isInteger(k)) throw new Error(`scaleMpoPow2: k must be an integer, got ${k}`);
  if (k === 0) return H;
  const n = H.n;
  const sites: MpoTensor[] = H.sites.map((W, q) => {
    const kq = Math.floor((k * (q + 1)) / n) - Math.floor((k * q) / n);
    const f = 2 ** kq;
    return { Dl: W.Dl, d: W.d, Dr: W.Dr, re: W.re.map((v) => v * f), im: W.im ? W.im.map((v) => v * f) : null };
  });
  const out = { n, sites };
  checkFiniteMpo(out, 'scaleMpoPow2');
  return out;
}

/**
 * The identity channel of an MPO, if it has one: channels r_0 … r_{n−2} (r_q on bond q) such
 * that column r_q of W_q is zero except in row r_{q−1} (row 0 at q = 0), where it is α_q·1.
 * The left environment in channel r_q is then exactly (α_0⋯α_q)·1, and adding c/(α_0⋯α_{n−2})·1
 * to W_{n−1}[r_{n−2}, ·, ·, 0] adds c·1 to H without growing the bond. The automaton MPOs of
 * Pauli sums (channel "nothing applied yet") have one, also after gauging. Returns the channels
 * and the product of the α, or null.
 */
function identityChannel(H: Mpo): { r: number[]; alpha: number } | null {
  const r: number[] = [];
  let alpha = 1, prev = 0;
  for (let q = 0; q < H.n - 1; q++) {
    const W = H.sites[q]!;
    const { Dl, d, Dr } = W;
    let found = -1, a = 0;
    for (let b = 0; b < Dr && found < 0; b++) {
      const v = W.re[(prev * d * d) * Dr + b]!;
      if (v === 0) continue;
      let ok = true;
      for (let x = 0; x < Dl && ok; x++) for (let s = 0; s < d && ok; s++) for (let t = 0; t < d && ok; t++) {
        const idx = ((x * d + s) * d + t) * Dr + b;
        const want = x === prev && s === t ? v : 0;
        if (W.re[idx] !== want || (W.im !== null && W.im[idx] !== 0)) ok = false;
      }
      if (ok) { found = b; a = v; }
    }
    if (found < 0) return null;
    r.push(found);
    alpha *= a;
    prev = found;
  }
  return Number.isFinite(alpha) && alpha !== 0 ? { r, alpha } : null;
}

/**
 * H + c·1 as an MPO. When H has an identity channel (see above; every Pauli-sum MPO does) the
 * constant is added to one entry of the last site and the bond dimension stays D; otherwise the
 * direct sum of H and c·I⊗…⊗I is built (bond D + 1, site 0 carries c). Used to form (H − E)|ψ⟩
 * so that the cancellation between H and E happens amplitude by amplitude, not between ⟨H²⟩
 * and E².
 */
export function shiftMpo(H: Mpo, c: number): Mpo {
  const n = H.n;
  if (c === 0) return H;
  const ic = identityChannel(H);
  if (ic !== null) {
    const W = H.sites[n - 1]!;
    const { d, Dr } = W;
    const re = W.re.slice();
    const row = n === 1 ? 0 : ic.r[n - 2]!;
    for (let s = 0; s < d; s++) re[((row * d + s) * d + s) * Dr]! += c / ic.alpha;
    const sites = H.sites.slice();
    sites[n - 1] = { ...W, re };
    return { n, sites };
  }
  const complex = H.sites.some((W) => W.im !== null);
  const sites: MpoTensor[] = H.sites.map((W, q) => {
    const { Dl, d, Dr } = W;
    const first = q === 0, last = q === n - 1;
    const Dl2 = first ? 1 : Dl + 1, Dr2 = last ? 1 : Dr + 1;
    const re = new Float64Array(Dl2 * d * d * Dr2), im = complex ? new Float64Array(re.length) : null;
    for (let a = 0; a < Dl; a++) for (let st = 0; st < d * d; st++) for (let b = 0; b < Dr; b++) {
      const src = (a * d * d + st) * Dr + b, dst = (a * d * d + st) * Dr2 + b;
      re[dst] = W.re[src]!;
      if (im && W.im) im[dst] = W.im[src]!;
    }
    // the identity channel: index Dl (left, 0 at site 0) → Dr (right, 0 at the last site)
    const al = first ? 0 : Dl, br = last ? 0 : Dr;
    const v = first ? c : 1;
    for (let s = 0; s < d; s++) re[((al * d + s) * d + s) * Dr2 + br]! += v;
    return { Dl: Dl2, d, Dr: Dr2, re, im };
  });
  return { n, sites };
}

/** Energy and variance of a state. */
export interface EnergyVariance {
  /** ⟨H⟩ (normalised). */
  energy: number;
  /** ⟨H²⟩ = variance + energy² (normalised; may overflow to Infinity where the variance does not). */
  h2: number;
  /**
   * ⟨H²⟩ − ⟨H⟩², computed as ‖(H − E)ψ‖²/‖ψ‖². Its rounding error is ≈ ε·ν·(n·‖(H − E)ψ‖ + ν)
   * (ε = 2.2e-16, ν the norm estimate), not ε·⟨H²⟩. Out of double range it is the correctly
   * rounded Infinity or 0; `relativeVariance` is then still exact.
   */
  variance: number;
  /** variance / energy² (Infinity when the energy is 0 and the variance is not; 0 when both are 0). */
  relativeVariance: number;
}

/**
 * ⟨H⟩ and the variance of ψ, on an MPO assumed already scaled to a norm estimate near 1
 * (see {@link normalizeMpo}). ⟨H⟩ by one environment sweep (real) or |Hψ⟩ (complex);
 * the variance as ‖φ‖², φ = (H − ⟨H⟩·1)|ψ⟩ formed exactly ({@link applyMpo} of
 * {@link shiftMpo}, bond D·χ, or (D + 1)·χ for an MPO without an identity channel) and brought
 * to canonical form, so that ‖φ‖ is read off the orthogonality centre as a sum of squares
 * (orthogonalisation, not a Gram matrix: the rounding error stays ≈ ε·ν·‖φ‖). Cost O(n·d·(Dχ)³).
 * `expectation(H, ψ)` must return ⟨ψ|H|ψ⟩ unnormalised.
 */
export function scaledEnergyVariance(H: Mpo, psi: Mps, expectation?: (H: Mpo, psi: Mps) => number): { energy: number; variance: number } {
  const norm2 = psi.normSquared();
  if (!(norm2 > 0) || !Number.isFinite(norm2)) throw new Error(`mpoVariance: the state's norm² must be positive and finite, got ${norm2}`);
  const e = (expectation ? expectation(H, psi) : measureOverlap(psi, applyMpo(H, psi)).re) / norm2;
  const phi = applyMpo(shiftMpo(H, -e), psi);
  return { energy: e, variance: phi.normSquared() / norm2 };
}
