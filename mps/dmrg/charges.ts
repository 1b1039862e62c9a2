/**
 * Abelian charges for symmetry-resolved DMRG with dense tensors.
 *
 * Every physical index carries a charge (the eigenvalue label of a local symmetry generator in
 * a basis where it is diagonal) and every bond index the total charge of the sites to its left.
 * A site tensor A[a, s, b] of a state in a sector is non-zero only where
 * fuse(qL[a], q(s)) = qR[b]; bond 0 carries charge 0 and bond n the target charge. Two groups:
 * - `'xor'`: products of Z2 factors (Z2: charges 0/1; Z2×Z2: two bits), fuse = bitwise XOR;
 * - `'u1'`: U(1), integer charges, fuse = addition.
 *
 * The split {@link chargedSplit} decomposes a matrix whose rows and columns carry charges
 * (the block-diagonal form of a charge-conserving θ) block by block and truncates the union of
 * the spectra globally, so every kept singular vector has one charge: truncation cannot mix
 * sectors. This is how DMRG stays exactly in the sector with dense storage (the zero blocks are
 * stored but never filled), the dense counterpart of the block-sparse tensors of TeNPy and ITensor.
 */
import { gaussian, type Rng } from '../rng.js';
import { truncatedSplit } from '../split.js';
import { chooseRank, NUMERICAL_ZERO, type TruncationOptions } from '../truncation.js';
import type { SiteTensor } from '../mps.js';

/** The group law of the charges: `'xor'` (products of Z2) or `'u1'` (integers under addition). */
export type ChargeGroup = 'xor' | 'u1';

/**
 * A charge assignment: the group, one charge per basis state of every site
 * (`site[q][s]` for site q, basis state s), and the target total charge of the state.
 */
export interface ChargeSpec {
  group: ChargeGroup;
  site: readonly (readonly number[])[];
  target: number;
}

/** a·b in the group. */
export function fuse(g: ChargeGroup, a: number, b: number): number {
  return g === 'u1' ? a + b : a ^ b;
}

/** The c with fuse(c, b) = a. */
export function unfuse(g: ChargeGroup, a: number, b: number): number {
  return g === 'u1' ? a - b : a ^ b;
}

/** Result of {@link chargedSplit}: θ ≈ U·diag(S)·Vh with a charge per kept singular triplet. */
export interface ChargedSplit {
  /** Kept rank k. */
  k: number;
  /** U: m×k, row-major (column j non-zero only on rows of charge `charges[j]`). */
  Ure: Float64Array;
  /** Singular values, k, descending. */
  S: Float64Array;
  /** Vh: k×n, row-major (row j non-zero only on columns of charge `charges[j]`). */
  Vhre: Float64Array;
  /** The charge of each kept triplet (the labels of the new bond). */
  charges: Int32Array;
  /** Numerical rank before truncation (over all blocks). */
  rankBefore: number;
  /** Relative discarded weight ε (all blocks). */
  discarded: number;
  /** The methods of the block splits, joined by '+' when they differ. */
  method: string;
}

/**
 * Truncated SVD of a real m×n matrix θ that is block diagonal in charge: θ[r, c] = 0 unless
 * rowQ[r] = colQ[c] (entries that break this are ignored). Each charge block is split by
 * {@link truncatedSplit} with the same options (so each block discards at most `cutoff` of its
 * own weight, and the Gram method is used where the plain split would use it); then the union of
 * the kept values is truncated once more by {@link chooseRank} against ‖θ‖² (the weight already
 * dropped counted as discarded), so that the total discarded weight stays ≤ cutoff and at most
 * `maxBond` triplets survive. Ties are broken by charge, then by position, so the result is
 * deterministic.
 */
export function chargedSplit(m: number, n: number, theta: Float64Array, rowQ: ArrayLike<number>, colQ: ArrayLike<number>, truncation: TruncationOptions): ChargedSplit {
  const rowsOf = new Map<number, number[]>();
  for (let r = 0; r < m; r++) { const q = rowQ[r]!; let l = rowsOf.get(q); if (!l) rowsOf.set(q, l = []); l.push(r); }
  const colsOf = new Map<number, number[]>();
  for (let c = 0; c < n; c++) { const q = colQ[c]!; let l = colsOf.get(q); if (!l) colsOf.set(q, l = []); l.push(c); }
  let total = 0;
  const blocks: { q: number; rows: number[]; cols: number[]; mat: Float64Array; w: number }[] = [];
  for (const [q, rows] of [...rowsOf.entries()].sort((a, b) => a[0] - b[0])) {
    const cols = colsOf.get(q);
    if (!cols) continue;
    const mat = new Float64Array(rows.length * cols.length);
    let w = 0;
    for (let i = 0; i < rows.length; i++) {
      const base = rows[i]! * n;
      for (let j = 0; j < cols.length; j++) { const v = theta[base + cols[j]!]!; mat[i * cols.length + j] = v; w += v * v; }
    }
    total += w;
    blocks.push({ q, rows, cols, mat, w });
  }
  type Triplet = { s: number; b: number; j: number };
  const trip: Triplet[] = [];
  const splits: ReturnType<typeof truncatedSplit>[] = [];
  const methods = new Set<string>();
  let rankBefore = 0;
  blocks.forEach((bl, b) => {
    if (!(bl.w > NUMERICAL_ZERO * total)) { splits.push(null as never); return; }
    const sp = truncatedSplit(bl.rows.length, bl.cols.length, bl.mat, null, truncation);
    splits.push(sp);
    methods.add(sp.method);
    rankBefore += sp.rankBefore;
    for (let j = 0; j < sp.k; j++) trip.push({ s: sp.S[j]!, b, j });
  });
  trip.sort((x, y) => y.s - x.s || blocks[x.b]!.q - blocks[y.b]!.q || x.j - y.j);
  const sAll = Float64Array.from(trip, (t) => t.s);
  const choice = chooseRank(sAll, sAll.length, total, truncation, false);
  const k = Math.min(choice.kept, trip.length);
  const kept = trip.slice(0, k);
  const Ure = new Float64Array(m * k), Vhre = new Float64Array(k * n), S = new Float64Array(k), charges = new Int32Array(k);
  kept.forEach((t, col) => {
    const bl = blocks[t.b]!, sp = splits[t.b]!;
    S[col] = t.s;
    charges[col] = bl.q;
    const kb = sp.k, nc = bl.cols.length;
    for (let i = 0; i < bl.rows.length; i++) Ure[bl.rows[i]! * k + col] = sp.Ure[i * kb + t.j]!;
    for (let c = 0; c < nc; c++) Vhre[col * n + bl.cols[c]!] = sp.Vhre[t.j * nc + c]!;
  });
  let keptW = 0;
  for (let i = 0; i < k; i++) keptW += S[i]! * S[i]!;
  const discarded = total > 0 ? Math.max(0, 1 - keptW / total) : 0;
  return { k, Ure, S, Vhre, charges, rankBefore, discarded: discarded < 1e-15 ? 0 : discarded, method: [...methods].join('+') || 'none' };
}

/**
 * The charges each bond may carry in a state of total charge `target`: those reachable from
 * charge 0 at the left end and from which `target` is reachable at the right end (Z2 groups:
 * every combination; U(1): the counts consistent with both ends).
 * @throws Error when `target` is not reachable at all.
 */
export function allowedBondCharges(spec: ChargeSpec): number[][] {
  const n = spec.site.length, g = spec.group;
  const left: Set<number>[] = [new Set([0])];
  for (let q = 0; q < n; q++) {
    const s = new Set<number>();
    for (const c of left[q]!) for (const x of spec.site[q]!) s.add(fuse(g, c, x));
    left.push(s);
  }
  const right: Set<number>[] = new Array(n + 1);
  right[n] = new Set([spec.target]);
  for (let q = n - 1; q >= 0; q--) {
    const s = new Set<number>();
    for (const c of right[q + 1]!) for (const x of spec.site[q]!) s.add(unfuse(g, c, x));
    right[q] = s;
  }
  const out = left.map((l, b) => [...l].filter((c) => right[b]!.has(c)).sort((a, c) => a - c));
  if (out[n]!.length === 0) throw new Error(`charge sector ${spec.target} is not reachable on ${n} sites`);
  return out;
}

/** The mask of a two-site tensor θ[a, s1, s2, b] of a charged state: 1 where the charges fuse to those of bond b. */
export function thetaMask(g: ChargeGroup, qa: Int32Array, q1: readonly number[], q2: readonly number[], qb: Int32Array): Uint8Array {
  const dl = qa.length, d1 = q1.length, d2 = q2.length, dr = qb.length;
  const mask = new Uint8Array(dl * d1 * d2 * dr);
  for (let a = 0; a < dl; a++) for (let s = 0; s < d1; s++) for (let t = 0; t < d2; t++) {
    const c = fuse(g, fuse(g, qa[a]!, q1[s]!), q2[t]!);
    const base = ((a * d1 + s) * d2 + t) * dr;
    for (let b = 0; b < dr; b++) if (qb[b] === c) mask[base + b] = 1;
  }
  return mask;
}

/**
 * A seeded random real MPS in the sector `spec.target`, with bond charges: each bond carries up
 * to `maxCharges` of its allowed charges (U(1): those closest to the straight line from 0 to the
 * target), each once, with standard normal entries on the allowed blocks. It is then brought to
 * right-canonical form (centre 0) by charged splits without truncation, so every bond index keeps
 * one charge. Returns the sites and the charges of bonds 0 … n.
 */
export function randomChargedSites(spec: ChargeSpec, maxCharges: number, rng: Rng): { sites: SiteTensor[]; bonds: Int32Array[] } {
  const n = spec.site.length, g = spec.group;
  const allowed = allowedBondCharges(spec);
  const bonds: Int32Array[] = allowed.map((cs, b) => {
    if (g === 'u1') {
      const line = (spec.target * b) / n;
      cs = [...cs].sort((x, y) => Math.abs(x - line) - Math.abs(y - line) || x - y).slice(0, maxCharges).sort((x, y) => x - y);
    } else cs = cs.slice(0, maxCharges);
    return Int32Array.from(cs);
  });
  const sites: SiteTensor[] = [];
  for (let q = 0; q < n; q++) {
    const ql = bonds[q]!, qr = bonds[q + 1]!, d = spec.site[q]!.length;
    const re = new Float64Array(ql.length * d * qr.length);
    for (let a = 0; a < ql.length; a++) for (let s = 0; s < d; s++) for (let b = 0; b < qr.length; b++) {
      if (fuse(g, ql[a]!, spec.site[q]![s]!) === qr[b]) re[(a * d + s) * qr.length + b] = gaussian(rng);
    }
    sites.push({ dl: ql.length, d, dr: qr.length, re, im: null });
  }
  const exact: TruncationOptions = { maxBond: Infinity, cutoff: 0, minBond: 1 };
  for (let q = n - 1; q > 0; q--) {
    const A = sites[q]!, d = A.d;
    // A as (vL) × (p vR); row charge = left bond charge, column charge = unfuse(right, p)
    const colQ = new Int32Array(d * A.dr);
    for (let s = 0; s < d; s++) for (let b = 0; b < A.dr; b++) colQ[s * A.dr + b] = unfuse(g, bonds[q + 1]![b]!, spec.site[q]![s]!);
    const sp = chargedSplit(A.dl, d * A.dr, A.re, bonds[q]!, colQ, exact);
    sites[q] = { dl: sp.k, d, dr: A.dr, re: sp.Vhre, im: null };
    // left neighbour ← left neighbour · U·S
    const B = sites[q - 1]!, rows = B.dl * B.d;
    const us = new Float64Array(A.dl * sp.k);
    for (let r = 0; r < A.dl; r++) for (let c = 0; c < sp.k; c++) us[r * sp.k + c] = sp.Ure[r * sp.k + c]! * sp.S[c]!;
    const nb = new Float64Array(rows * sp.k);
    for (let r = 0; r < rows; r++) for (let x = 0; x < A.dl; x++) {
      const v = B.re[r * A.dl + x]!;
      if (v === 0) continue;
      for (let c = 0; c < sp.k; c++) nb[r * sp.k + c]! += v * us[x * sp.k + c]!;
    }
    sites[q - 1] = { dl: B.dl, d: B.d, dr: sp.k, re: nb, im: null };
    bonds[q] = sp.charges;
  }
  return { sites, bonds };
}
