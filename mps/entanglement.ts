/**
 * Bipartite entanglement of an MPS across its bonds: Schmidt values and von Neumann entropies.
 *
 * Bond b (0 ≤ b ≤ n − 2) separates qubits 0…b from qubits b+1…n−1. With the orthogonality
 * centre on site b, every site left of b is a left isometry and every site right of b a right
 * isometry, so the singular values of the centre tensor reshaped to (vL·p) × vR are the
 * Schmidt coefficients of the state across bond b.
 */
import { eighComplex, eighReal, gemmComplex, gemmReal, svdComplex, svdReal } from './kernels/index.js';
import type { Mps } from './mps.js';

/**
 * The normalised Schmidt values λ_k across bond `bond` (between sites `bond` and `bond + 1`),
 * descending, with Σ λ_k² = 1. Length: the bond dimension there (zeros included).
 *
 * Algorithm: moves the orthogonality centre to site `bond` (QR/LQ steps; the state is
 * unchanged) and takes the singular values of the centre tensor as a (χL·d) × χR matrix by
 * the one-sided Jacobi SVD; should that not converge, from the eigenvalues of the χR × χR Gram
 * matrix (absolute accuracy ~1e-16 in λ², ample for entropies). Cost O(n χ³) for the sweep.
 * @throws Error when `bond` is not an integer in [0, n − 2] or the state is zero or not finite.
 */
export function schmidtValues(psi: Mps, bond: number): Float64Array {
  if (!Number.isInteger(bond) || bond < 0 || bond > psi.n - 2) {
    throw new Error(`schmidtValues: bond must be an integer in [0, ${psi.n - 2}] (the MPS has ${psi.n} sites), got ${bond}`);
  }
  psi.moveCenterInPlace(bond);
  const t = psi.sites[bond]!;
  const m = t.dl * t.d, k = t.dr;
  let s: Float64Array;
  const svd = t.im ? svdComplex(m, k, t.re, t.im) : svdReal(m, k, t.re);
  if (svd.converged) s = Float64Array.from(svd.S);
  else {
    // Gram fallback: G = M†M (k × k), eigenvalues = s²
    const gre = new Float64Array(k * k);
    let w: Float64Array;
    if (t.im) {
      const gim = new Float64Array(k * k);
      gemmComplex('C', 'N', k, k, m, t.re, t.im, t.re, t.im, gre, gim);
      w = eighComplex(k, gre, gim).w;
    } else {
      gemmReal('T', 'N', k, k, m, t.re, t.re, gre);
      w = eighReal(k, gre).w;
    }
    s = Float64Array.from(w, (x) => Math.sqrt(Math.max(0, x))).reverse();
  }
  let n2 = 0;
  for (const x of s) n2 += x * x;
  if (!(n2 > 0) || !Number.isFinite(n2)) throw new Error(`schmidtValues: the state has norm ${Math.sqrt(n2)}; it must be finite and non-zero`);
  const inv = 1 / Math.sqrt(n2);
  for (let i = 0; i < s.length; i++) s[i]! *= inv;
  return s;
}

/**
 * Von Neumann entropy S = −Σ p_k log_base p_k of a probability vector (entries ≤ 0 are
 * skipped; the vector is used as given, not renormalised). `base` e gives nats, 2 gives bits.
 * Rounding can make −p log p of an entry slightly above 1 negative; the sum is clamped at 0.
 * @throws Error when `base` is not a finite number > 0 and ≠ 1.
 */
export function entropyOfProbabilities(p: ArrayLike<number>, base: number = Math.E): number {
  if (!Number.isFinite(base) || base <= 0 || base === 1) throw new Error(`entropy base must be a finite number > 0 and ≠ 1, got ${base}`);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (x > 0) s -= x * Math.log(x);
  }
  return Math.max(0, s / Math.log(base));
}

/**
 * The von Neumann entanglement entropy S_b = −Σ_k λ_k² log λ_k² of every bond b = 0…n−2
 * (qubits 0…b against b+1…n−1), from the normalised Schmidt values of {@link schmidtValues}.
 * Units: nats for `base` e (the default), bits for `base` 2. Length n − 1 (empty for n = 1).
 * Moves the orthogonality centre (the state is unchanged).
 * @throws as {@link schmidtValues} and {@link entropyOfProbabilities}.
 */
export function bondEntropies(psi: Mps, base: number = Math.E): Float64Array {
  const out = new Float64Array(Math.max(0, psi.n - 1));
  for (let b = 0; b < psi.n - 1; b++) {
    const lam = schmidtValues(psi, b);
    out[b] = entropyOfProbabilities(Array.from(lam, (x) => x * x), base);
  }
  return out;
}
