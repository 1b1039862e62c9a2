/**
 * Matrix product operators (MPOs).
 *
 * Site tensors have legs **[wL, p, p*, wR]** (p = output/ket index, p* = input index), stored
 * row-major: element (a, s, t, b) of a site with shape (Dl, d, d, Dr) is at
 * `((a * d + s) * d + t) * Dr + b`.
 *
 * {@link pauliSumMpo} builds the MPO of a weighted Pauli sum with a finite-state automaton:
 * at each bond the channels are "nothing applied yet" (R), "a term completed" (F), and one
 * channel per term whose support strictly crosses the bond; channels that no term can use at a
 * bond are dropped. For sums of local terms this is the minimal bond dimension (e.g. 3 for
 * Σ Z_iZ_{i+1} + Σ X_i in the bulk).
 */
import { Mps, type SiteTensor } from './mps.js';
import type { PauliLabel, PauliSum } from './pauli.js';

/** One MPO site tensor with legs [wL, p, p*, wR]. */
export interface MpoTensor {
  Dl: number;
  d: number;
  Dr: number;
  re: Float64Array;
  im: Float64Array | null;
}

/** A matrix product operator on `n` sites. */
export interface Mpo {
  n: number;
  sites: MpoTensor[];
}

const P: Record<PauliLabel, { re: number[]; im: number[] }> = {
  I: { re: [1, 0, 0, 1], im: [0, 0, 0, 0] },
  X: { re: [0, 1, 1, 0], im: [0, 0, 0, 0] },
  Y: { re: [0, 0, 0, 0], im: [0, -1, 1, 0] },
  Z: { re: [1, 0, 0, -1], im: [0, 0, 0, 0] },
};

/**
 * A number that the requested operator or result needs cannot be represented in double
 * precision (|x| > 1.8e308). The message names the quantity that overflowed.
 */
export class OverflowError extends Error {
  override name = 'OverflowError';
}

/**
 * The MPO of Σ_k c_k P_k on n qubits (coefficients real).
 * @throws Error when a factor's qubit is out of range or repeated within a term.
 * @throws OverflowError when a coefficient is not finite, or when coefficients that share an
 * MPO entry (single-site terms on the same qubit, or the constant terms) sum past double range.
 */
export function pauliSumMpo(n: number, sum: PauliSum): Mpo {
  if (!Number.isInteger(n) || n < 1) throw new Error(`pauliSumMpo: n must be an integer ≥ 1, got ${n}`);
  sum.forEach((t, k) => {
    if (!Number.isFinite(t.coeff)) throw new OverflowError(`pauliSumMpo: term ${k} has a non-finite coefficient ${t.coeff}`);
  });
  const terms = sum.map((t, k) => {
    if (typeof t.coeff !== 'number' || !Number.isFinite(t.coeff)) throw new Error(`term ${k}: coefficient must be a finite number, got ${t.coeff}`);
    const ops = new Map<number, PauliLabel>();
    for (const f of t.factors) {
      if (!Number.isInteger(f.q) || f.q < 0 || f.q >= n) throw new Error(`term ${k}: qubit ${f.q} out of range [0, ${n - 1}]`);
      if (ops.has(f.q)) throw new Error(`term ${k}: two factors on qubit ${f.q}`);
      if (f.p !== 'I') ops.set(f.q, f.p);
    }
    const qs = [...ops.keys()];
    const first = qs.length ? Math.min(...qs) : 0;
    const last = qs.length ? Math.max(...qs) : 0;
    return { coeff: t.coeff, ops, first, last };
  });
  // channels[b] lists the terms crossing bond b (between sites b and b+1)
  const channels: number[][] = [];
  for (let b = 0; b < n - 1; b++) channels.push(terms.flatMap((t, k) => (t.first <= b && b < t.last ? [k] : [])));
  // Channels alive at bond b: R while some term has not started (first > b), F once some term
  // has completed (last ≤ b), and the terms crossing b. Dead channels are pruned, so far from
  // a local term the bond is 1 (λ = M·ψ then has ψ's bond there).
  const states = (b: number): (string | number)[] => [
    ...(terms.some((t) => t.first > b) ? ['R'] : []),
    ...(terms.some((t) => t.last <= b) ? ['F'] : []),
    ...channels[b]!,
  ];
  const complex = terms.some((t) => [...t.ops.values()].includes('Y'));
  const sites: MpoTensor[] = [];
  for (let q = 0; q < n; q++) {
    // index maps: left states, right states (R = 0, F = 1, term k → 2 + position)
    const left = q === 0 ? ['R'] : states(q - 1);
    const right = q === n - 1 ? ['F'] : states(q);
    const Dl = Math.max(1, left.length), Dr = Math.max(1, right.length);
    const re = new Float64Array(Dl * 4 * Dr);
    const im = complex ? new Float64Array(Dl * 4 * Dr) : null;
    const put = (a: number, b: number, op: PauliLabel, c: number) => {
      if (a < 0 || b < 0) return;
      for (let s = 0; s < 2; s++) {
        for (let t = 0; t < 2; t++) {
          const idx = ((a * 2 + s) * 2 + t) * Dr + b;
          re[idx]! += c * P[op].re[s * 2 + t]!;
          if (im) im[idx]! += c * P[op].im[s * 2 + t]!;
        }
      }
    };
    const li = (x: string | number) => left.indexOf(x as never);
    const ri = (x: string | number) => right.indexOf(x as never);
    put(li('R'), ri('R'), 'I', 1);
    put(li('F'), ri('F'), 'I', 1);
    terms.forEach((t, k) => {
      const op = t.ops.get(q) ?? 'I';
      if (t.ops.size === 0) { if (q === 0) put(li('R'), ri('F'), 'I', t.coeff); return; }
      if (q < t.first || q > t.last) return;
      const from = q === t.first ? li('R') : li(k);
      const to = q === t.last ? ri('F') : ri(k);
      put(from, to, op, q === t.first ? t.coeff : 1);
    });
    for (let x = 0; x < re.length; x++) {
      if (!Number.isFinite(re[x]!) || (im !== null && !Number.isFinite(im[x]!))) {
        throw new OverflowError(`pauliSumMpo: the coefficients of the terms that start on qubit ${q} sum past double range (|sum| > 1.8e308)`);
      }
    }
    sites.push({ Dl, d: 2, Dr, re, im });
  }
  return { n, sites };
}

/**
 * |φ⟩ = W|ψ⟩ without truncation (bond χ·D), returned in canonical form with the centre at
 * n − 1 (one QR sweep). Cost O(n·d²·D²·χ² + n·(Dχ)³).
 */
export function applyMpo(w: Mpo, psi: Mps): Mps {
  if (w.n !== psi.n) throw new Error(`applyMpo: MPO has ${w.n} sites, state has ${psi.n}`);
  const sites: SiteTensor[] = psi.sites.map((A, q) => {
    const W = w.sites[q]!;
    const d = A.d;
    const dl = A.dl * W.Dl, dr = A.dr * W.Dr;
    const real = A.im === null && W.im === null;
    const re = new Float64Array(dl * d * dr);
    const im = real ? null : new Float64Array(dl * d * dr);
    // φ[(a wl), s, (b wr)] = Σ_t W[wl, s, t, wr] · A[a, t, b]
    for (let wl = 0; wl < W.Dl; wl++) {
      for (let s = 0; s < d; s++) {
        for (let t = 0; t < d; t++) {
          for (let wr = 0; wr < W.Dr; wr++) {
            const widx = ((wl * d + s) * d + t) * W.Dr + wr;
            const xr = W.re[widx]!, xi = W.im ? W.im[widx]! : 0;
            if (xr === 0 && xi === 0) continue;
            for (let a = 0; a < A.dl; a++) {
              const row = ((a * W.Dl + wl) * d + s) * dr;
              const src = (a * d + t) * A.dr;
              for (let b = 0; b < A.dr; b++) {
                const yr = A.re[src + b]!, yi = A.im ? A.im[src + b]! : 0;
                const o = row + b * W.Dr + wr;
                re[o]! += xr * yr - xi * yi;
                if (im) im[o]! += xr * yi + xi * yr;
              }
            }
          }
        }
      }
    }
    return { dl, d, dr, re, im };
  });
  const out = new Mps(sites, 0);
  out.moveCenterInPlace(psi.n - 1);
  return out;
}
