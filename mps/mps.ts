/**
 * The matrix product state.
 *
 * Site tensors have legs **[vL, p, vR]**, stored row-major: element (a, s, b) of a site with
 * shape (dl, d, dr) is at index `(a * d + s) * dr + b`. Complex data uses split planes
 * (see `complex.ts`); `im === null` marks a real tensor.
 *
 * The state is kept in mixed canonical form around the orthogonality centre `center`:
 * sites left of it are left-isometries (Σ_{a,s} conj(A[a,s,b]) A[a,s,b'] = δ_{bb'}), sites
 * right of it are right-isometries. The norm of the whole state is the norm of the centre
 * tensor. Truncations do not renormalise: after a truncated run ‖ψ‖² equals the fidelity
 * estimate F = Π(1 − ε).
 *
 * Qubit q is site q; qubit 0 is the leftmost site and the most significant bit of a
 * state-vector index (big-endian, as in quimb and PennyLane).
 */
import { gemmComplex } from './kernels/index.js';
import { kernels } from './kernels/registry.js';
import { countGemm, countQr } from './flops.js';
import { truncatedSplit } from './split.js';
import { EXACT_TRUNCATION, type TruncationOptions } from './truncation.js';
import { flattenNdArray, isNdArray, type ComplexNdArrayLike, type NdArrayLike } from './ndarray.js';

/** One site tensor with legs [vL, p, vR]. */
export interface SiteTensor {
  /** Left bond dimension. */
  dl: number;
  /** Physical dimension (2 for qubits). */
  d: number;
  /** Right bond dimension. */
  dr: number;
  /** Real plane, length dl·d·dr. */
  re: Float64Array;
  /** Imaginary plane, or null when the tensor is real. */
  im: Float64Array | null;
}

/** A matrix product state of `n` sites in mixed canonical form around `center`. */
export class Mps {
  /** Number of sites. */
  readonly n: number;
  /** Site tensors, legs [vL, p, vR]. */
  sites: SiteTensor[];
  /** Orthogonality centre (0 ≤ center < n). */
  center: number;

  /**
   * Wraps existing site tensors; they must already be canonical around `center`.
   * @throws Error when a site's planes do not match its shape, neighbouring bonds disagree,
   *   the outer bonds are not 1, or an entry is NaN or ±Infinity (naming the site and entry).
   */
  constructor(sites: SiteTensor[], center: number) {
    if (sites.length < 1) throw new Error(`an MPS needs at least 1 site, got ${sites.length}`);
    if (!Number.isInteger(center) || center < 0 || center >= sites.length) {
      throw new Error(`center must be an integer in [0, ${sites.length - 1}], got ${center}`);
    }
    for (let i = 0; i < sites.length; i++) {
      const t = sites[i]!;
      if (t.re.length !== t.dl * t.d * t.dr || (t.im && t.im.length !== t.re.length)) {
        throw new Error(`site ${i}: planes must have dl·d·dr = ${t.dl * t.d * t.dr} entries, got ${t.re.length}`);
      }
      if (i > 0 && sites[i - 1]!.dr !== t.dl) throw new Error(`bond ${i - 1}: right dim ${sites[i - 1]!.dr} ≠ left dim ${t.dl}`);
      checkFinitePlane(t.re, `site ${i}: re`);
      if (t.im) checkFinitePlane(t.im, `site ${i}: im`);
    }
    if (sites[0]!.dl !== 1 || sites[sites.length - 1]!.dr !== 1) throw new Error('the outer bonds of an MPS must have dimension 1');
    this.n = sites.length;
    this.sites = sites;
    this.center = center;
  }

  /**
   * The computational-basis product state |b_0 b_1 … b_{n−1}⟩.
   * @param bits  array of 0/1, or a string of '0'/'1'; bits[0] is qubit 0.
   * @example Mps.fromBits('010').toStateVector().re[2] // 1
   */
  static fromBits(bits: readonly number[] | string): Mps {
    const b = typeof bits === 'string' ? Array.from(bits, (c) => Number(c)) : bits;
    return Mps.productState(b.map((v, q) => {
      if (v !== 0 && v !== 1) throw new Error(`bit ${q} must be 0 or 1, got ${String(v)}`);
      return v === 0 ? [1, 0] : [0, 1];
    }));
  }

  /** |0…0⟩ on n qubits. */
  static zeros(n: number): Mps {
    if (!Number.isInteger(n) || n < 1) throw new Error(`n must be an integer ≥ 1, got ${n}`);
    return Mps.fromBits(new Array<number>(n).fill(0));
  }

  /**
   * A product state ⊗_q (v_q). Each local vector is `[re0, re1]` (real) or
   * `{ re: [..], im: [..] }`; vectors are normalised to 1.
   * @throws Error when an entry is NaN or ±Infinity or a local vector has norm 0 (or overflows).
   */
  static productState(vectors: ReadonlyArray<readonly number[] | { re: readonly number[]; im: readonly number[] }>): Mps {
    const sites = vectors.map((v, q): SiteTensor => {
      const re = Float64Array.from('re' in v ? v.re : v);
      const im = 're' in v ? Float64Array.from(v.im) : null;
      if (im && im.length !== re.length) throw new Error(`site ${q}: re and im must have equal length`);
      checkFinitePlane(re, `productState: site ${q} re`);
      if (im) checkFinitePlane(im, `productState: site ${q} im`);
      const nrm = normSquaredOf(re, im);
      checkNormSquared(nrm, `productState: the local vector of site ${q}`);
      const s = 1 / Math.sqrt(nrm);
      for (let i = 0; i < re.length; i++) { re[i]! *= s; if (im) im[i]! *= s; }
      return { dl: 1, d: re.length, dr: 1, re, im };
    });
    return new Mps(sites, 0);
  }

  /**
   * Builds an MPS from site tensors given as ndarrays of shape [χL, d, χR] (legs [vL, p, vR]):
   * one real ndarray per site, or `{ re, im }` planes of equal shape. Any strides and offset
   * are honoured (a transposed or stepped view gives the tensor it displays); the data are
   * copied, and an all-zero imaginary plane is dropped. The tensors need not be canonical: a
   * QR sweep to the right and an LQ sweep back bring the state into mixed canonical form
   * around `center` (default n−1) without changing it, in O(nχ³); bonds wider than the rank
   * allows shrink to it.
   * @throws when a site is not a 3-axis ndarray, the planes differ in shape, neighbouring
   * bonds disagree, an outer bond is not 1, an entry is not finite, or `center` is out of range.
   * @example Mps.fromSites([ndarray(Float64Array.of(1, 0), [1, 2, 1])]) // |0⟩
   */
  static fromSites(sites: ReadonlyArray<NdArrayLike | ComplexNdArrayLike>, center?: number): Mps {
    if (sites.length < 1) throw new Error(`Mps.fromSites: an MPS needs at least 1 site, got ${sites.length}`);
    const flat = sites.map((s, q): SiteTensor => {
      const c: ComplexNdArrayLike = isNdArray(s) ? { re: s } : s;
      const shape = isNdArray(c.re) ? c.re.shape : [];
      if (!isNdArray(c.re) || shape.length !== 3) {
        throw new Error(`Mps.fromSites: site ${q}.re must be an ndarray of shape [χL, d, χR], got ${isNdArray(c.re) ? `shape [${shape.join(', ')}]` : typeof c.re}`);
      }
      if (c.im && (!isNdArray(c.im) || c.im.shape.join() !== shape.join())) {
        throw new Error(`Mps.fromSites: site ${q}.im must be an ndarray of the shape of re, [${shape.join(', ')}], got ${isNdArray(c.im) ? `[${c.im.shape.join(', ')}]` : typeof c.im}`);
      }
      const re = flattenNdArray(c.re, `Mps.fromSites: site ${q}.re`);
      const im = c.im ? flattenNdArray(c.im, `Mps.fromSites: site ${q}.im`) : null;
      for (const [name, p] of [['re', re], ['im', im]] as const) {
        const bad = p ? p.findIndex((v) => !Number.isFinite(v)) : -1;
        if (bad >= 0) throw new Error(`Mps.fromSites: site ${q}.${name} has a non-finite entry ${p![bad]} at flat index ${bad}; entries must be finite`);
      }
      if (shape[1]! < 1) throw new Error(`Mps.fromSites: site ${q}: physical dimension must be ≥ 1, got ${shape[1]}`);
      return { dl: shape[0]!, d: shape[1]!, dr: shape[2]!, re, im: im && im.some((v) => v !== 0) ? im : null };
    });
    const n = flat.length;
    const c = center ?? n - 1;
    if (!Number.isInteger(c) || c < 0 || c >= n) throw new Error(`Mps.fromSites: center must be an integer in [0, ${n - 1}], got ${c}`);
    // QR sweeps need no canonical form on input: each step leaves an isometry behind it
    const psi = new Mps(flat, 0);
    psi.moveCenterInPlace(n - 1);
    return psi.moveCenterInPlace(c);
  }

  /**
   * Builds an MPS from a dense state vector of `n` qubits (length 2^n, big-endian) by
   * successive SVDs, truncating with `truncation` (exact by default). The centre ends at n−1.
   * The planes may also be ndarrays of any shape with 2^n elements (for instance [2, …, 2],
   * axis q = qubit q), read in row-major order of their logical index with strides honoured,
   * so a transposed view gives the state with its qubits permuted accordingly.
   * The amplitudes are copied and not normalised.
   * @throws Error when the length is not 2^n, an amplitude is NaN or ±Infinity (naming its
   *   index), or ‖ψ‖² is 0 or overflows (a state must have a finite, non-zero norm).
   */
  static fromStateVector(re: ArrayLike<number> | NdArrayLike, im: ArrayLike<number> | NdArrayLike | null, truncation: TruncationOptions = EXACT_TRUNCATION): Mps {
    if (isNdArray(re) || isNdArray(im)) return Mps.fromStateVector(...planesFromNdArrays(re, im), truncation);
    const n = Math.round(Math.log2(re.length));
    if (2 ** n !== re.length || n < 1) throw new Error(`state vector length must be 2^n with n ≥ 1, got ${re.length}`);
    if (im && im.length !== re.length) throw new Error('re and im planes must have equal length');
    const sites: SiteTensor[] = [];
    let curRe: Float64Array = Float64Array.from(re);
    let curIm: Float64Array | null = im ? Float64Array.from(im) : null;
    checkFinitePlane(curRe, 'state vector re');
    if (curIm) checkFinitePlane(curIm, 'state vector im');
    checkNormSquared(normSquaredOf(curRe, curIm), 'state vector', { re: curRe, im: curIm });
    let dl = 1;
    for (let q = 0; q < n - 1; q++) {
      const rows = dl * 2;
      const cols = curRe.length / rows;
      const sp = truncatedSplit(rows, cols, curRe, curIm, truncation);
      sites.push({ dl, d: 2, dr: sp.k, re: sp.Ure, im: sp.Uim });
      curRe = sp.Vhre; curIm = sp.Vhim;
      for (let i = 0; i < sp.k; i++) {
        const s = sp.S[i]!;
        for (let j = 0; j < cols; j++) { curRe[i * cols + j]! *= s; if (curIm) curIm[i * cols + j]! *= s; }
      }
      dl = sp.k;
    }
    sites.push({ dl, d: 2, dr: 1, re: curRe, im: curIm });
    return new Mps(sites, n - 1);
  }

  /** Dense state vector (length d^n, big-endian). Memory guard: n ≤ 26. */
  toStateVector(): { re: Float64Array; im: Float64Array } {
    let total = 1;
    for (const t of this.sites) total *= t.d;
    if (total > 2 ** 26) throw new Error(`toStateVector: ${total} amplitudes need ${(total * 16 / 2 ** 30).toFixed(1)} GiB; allowed up to 2^26`);
    // M: (prefix) × χ, grows site by site:  M' [x s, b] = Σ_a M[x, a] · A[a, s b]
    let Mre: Float64Array = new Float64Array([1]);
    let Mim: Float64Array = new Float64Array([0]);
    let rows = 1;
    for (const t of this.sites) {
      const outRe = new Float64Array(rows * t.d * t.dr);
      const outIm = new Float64Array(rows * t.d * t.dr);
      gemmComplex('N', 'N', rows, t.d * t.dr, t.dl, Mre, Mim, t.re, t.im, outRe, outIm);
      Mre = outRe; Mim = outIm; rows *= t.d;
    }
    return { re: Mre, im: Mim };
  }

  /** A deep copy. */
  clone(): Mps {
    return new Mps(this.sites.map((t) => ({ ...t, re: t.re.slice(), im: t.im ? t.im.slice() : null })), this.center);
  }

  /** Bond dimensions: element b is the bond between sites b and b+1 (length n−1). */
  bondDims(): number[] {
    return this.sites.slice(0, -1).map((t) => t.dr);
  }

  /** The largest bond dimension the state has now (the bond reached; 1 for a product state). */
  bondReached(): number {
    return this.sites.reduce((m, t) => Math.max(m, t.dr), 1);
  }

  /**
   * The largest bond dimension the state has now.
   * @deprecated Use {@link Mps.bondReached}: `maxBond` names the bond-dimension cap of a truncation.
   */
  maxBond(): number {
    return this.bondReached();
  }

  /** True when every site tensor is real. */
  isReal(): boolean {
    return this.sites.every((t) => t.im === null);
  }

  /** ⟨ψ|ψ⟩, read off the centre tensor (O(χ²)). */
  normSquared(): number {
    const t = this.sites[this.center]!;
    let s = 0;
    for (let i = 0; i < t.re.length; i++) s += t.re[i]! * t.re[i]!;
    if (t.im) for (let i = 0; i < t.im.length; i++) s += t.im[i]! * t.im[i]!;
    return s;
  }

  /** ‖ψ‖. */
  norm(): number {
    return Math.sqrt(this.normSquared());
  }

  /**
   * Multiplies the state by a real scalar (in place, on the centre tensor).
   * @throws Error when `c` is NaN or ±Infinity.
   */
  scaleInPlace(c: number): this {
    if (typeof c !== 'number' || !Number.isFinite(c)) throw new Error(`scale factor must be a finite number, got ${c}`);
    const t = this.sites[this.center]!;
    for (let i = 0; i < t.re.length; i++) t.re[i]! *= c;
    if (t.im) for (let i = 0; i < t.im.length; i++) t.im[i]! *= c;
    return this;
  }

  /**
   * Normalises the state to ‖ψ‖ = 1 (in place).
   * @throws Error when ‖ψ‖ is 0 or not finite.
   */
  normalizeInPlace(): this {
    const nrm = this.norm();
    if (!(nrm > 0) || !Number.isFinite(nrm)) throw new Error(`cannot normalise a state of norm ${nrm}`);
    return this.scaleInPlace(1 / nrm);
  }

  /**
   * Moves the orthogonality centre to `target` by QR (rightwards) or LQ (leftwards)
   * sweeps, in place. Cost O(|target − center| · χ³). The state is unchanged.
   */
  moveCenterInPlace(target: number): this {
    if (!Number.isInteger(target) || target < 0 || target >= this.n) {
      throw new Error(`center target must be an integer in [0, ${this.n - 1}], got ${target}`);
    }
    while (this.center < target) this.shiftRight();
    while (this.center > target) this.shiftLeft();
    return this;
  }

  /** centre i → i+1:  A_i: (vL p) × vR = Q·R;  A_i ← Q,  A_{i+1} ← R·A_{i+1}. */
  private shiftRight(): void {
    const i = this.center;
    const A = this.sites[i]!;
    const B = this.sites[i + 1]!;
    const m = A.dl * A.d;
    countQr(m, A.dr, A.im !== null);
    countGemm(A.dr, B.d * B.dr, A.dr, A.im === null && B.im === null ? 0 : 2);
    // B': r × (p vR) = R: r × [vR] · B: [vL] × (p vR)
    const { Q, C, r } = kernels().qrMoveRight(m, A.dr, B.d * B.dr, A, B);
    this.sites[i] = { dl: A.dl, d: A.d, dr: r, re: Q.re, im: Q.im };
    this.sites[i + 1] = { dl: r, d: B.d, dr: B.dr, re: C.re, im: C.im };
    this.center = i + 1;
  }

  /** centre i → i−1:  A_i: vL × (p vR) = L·Q;  A_i ← Q,  A_{i−1} ← A_{i−1}·L. */
  private shiftLeft(): void {
    const i = this.center;
    const A = this.sites[i]!;
    const B = this.sites[i - 1]!;
    const cols = A.d * A.dr;
    const mb = B.dl * B.d;
    countQr(A.dl, cols, A.im !== null);
    countGemm(mb, A.dl, A.dl, A.im === null && B.im === null ? 0 : 2);
    // B': (vL p) × r = B: (vL p) × [vR] · L: [vL] × r
    const { Q, C, r } = kernels().lqMoveLeft(A.dl, cols, mb, A, B);
    this.sites[i] = { dl: r, d: A.d, dr: A.dr, re: Q.re, im: Q.im };
    this.sites[i - 1] = { dl: B.dl, d: B.d, dr: r, re: C.re, im: C.im };
    this.center = i - 1;
  }

  /**
   * Largest deviation from the claimed canonical form: max over sites left of the centre of
   * ‖A†A − I‖_max (legs (vL p) contracted) and over sites right of it of ‖AA† − I‖_max.
   */
  canonicalFormError(): number {
    let worst = 0;
    for (let i = 0; i < this.n; i++) {
      if (i === this.center) continue;
      const t = this.sites[i]!;
      const left = i < this.center;
      const k = left ? t.dr : t.dl;
      const inner = left ? t.dl * t.d : t.d * t.dr;
      const gre = new Float64Array(k * k);
      const gim = new Float64Array(k * k);
      if (left) gemmComplex('C', 'N', k, k, inner, t.re, t.im, t.re, t.im, gre, gim);
      else gemmComplex('N', 'C', k, k, inner, t.re, t.im, t.re, t.im, gre, gim);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          worst = Math.max(worst, Math.abs(gre[a * k + b]! - (a === b ? 1 : 0)), Math.abs(gim[a * k + b]!));
        }
      }
    }
    return worst;
  }

  /**
   * Compresses every bond with `truncation` by an SVD sweep (in place): centre to 0, then
   * left→right truncated splits. Returns the discarded weights per bond.
   */
  compressInPlace(truncation: TruncationOptions): { bond: number; rankBefore: number; rankKept: number; discardedWeight: number }[] {
    this.moveCenterInPlace(0);
    const recs = [];
    for (let i = 0; i < this.n - 1; i++) {
      const A = this.sites[i]!;
      const B = this.sites[i + 1]!;
      const sp = truncatedSplit(A.dl * A.d, A.dr, A.re, A.im, truncation);
      // A_{i+1} ← diag(S)·Vh·A_{i+1}
      const sv = scaleRows(sp.Vhre, sp.Vhim, sp.k, A.dr, sp.S);
      const nre = new Float64Array(sp.k * B.d * B.dr);
      const nim = new Float64Array(sp.k * B.d * B.dr);
      gemmComplex('N', 'N', sp.k, B.d * B.dr, A.dr, sv.re, sv.im, B.re, B.im, nre, nim);
      const real = sv.im === null && B.im === null;
      this.sites[i] = { dl: A.dl, d: A.d, dr: sp.k, re: sp.Ure, im: sp.Uim };
      this.sites[i + 1] = { dl: sp.k, d: B.d, dr: B.dr, re: nre, im: real ? null : nim };
      this.center = i + 1;
      recs.push({ bond: i, rankBefore: sp.rankBefore, rankKept: sp.k, discardedWeight: sp.discarded });
    }
    return recs;
  }
}

/** Flat copies of state-vector planes given as ndarrays (or Float64Arrays), shapes checked equal. */
function planesFromNdArrays(re: ArrayLike<number> | NdArrayLike, im: ArrayLike<number> | NdArrayLike | null): [Float64Array, Float64Array | null] {
  const flat = (x: ArrayLike<number> | NdArrayLike, what: string) => (isNdArray(x) ? flattenNdArray(x, `Mps.fromStateVector: ${what}`) : Float64Array.from(x));
  if (isNdArray(re) && isNdArray(im) && re.shape.join() !== im.shape.join()) {
    throw new Error(`Mps.fromStateVector: im has shape [${im.shape.join(', ')}], re has [${re.shape.join(', ')}]; the planes must have equal shape`);
  }
  return [flat(re, 're'), im === null ? null : flat(im, 'im')];
}

/** Returns diag(s)·M for a k×n split-plane matrix (new arrays). */
export function scaleRows(re: Float64Array, im: Float64Array | null, k: number, n: number, s: Float64Array): { re: Float64Array; im: Float64Array | null } {
  const ore = new Float64Array(k * n);
  const oim = im ? new Float64Array(k * n) : null;
  for (let i = 0; i < k; i++) {
    const si = s[i]!;
    for (let j = 0; j < n; j++) {
      ore[i * n + j] = si * re[i * n + j]!;
      if (oim && im) oim[i * n + j] = si * im[i * n + j]!;
    }
  }
  return { re: ore, im: oim };
}

/** Returns M·diag(s) for an m×k split-plane matrix (new arrays). */
export function scaleCols(re: Float64Array, im: Float64Array | null, m: number, k: number, s: Float64Array): { re: Float64Array; im: Float64Array | null } {
  const ore = new Float64Array(m * k);
  const oim = im ? new Float64Array(m * k) : null;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      ore[i * k + j] = re[i * k + j]! * s[j]!;
      if (oim && im) oim[i * k + j] = im[i * k + j]! * s[j]!;
    }
  }
  return { re: ore, im: oim };
}

/**
 * Throws when a plane holds NaN or ±Infinity, naming `where`, the first bad index and its value.
 * Used wherever raw numbers become a state.
 */
export function checkFinitePlane(a: ArrayLike<number>, where: string): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}[${i}] must be a finite number, got ${v}`);
  }
}

/** Σ |a_i|² of a split-plane vector. */
function normSquaredOf(re: Float64Array, im: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < re.length; i++) s += re[i]! * re[i]!;
  if (im) for (let i = 0; i < im.length; i++) s += im[i]! * im[i]!;
  return s;
}

/**
 * Throws unless ‖ψ‖² is finite and > 0: a zero vector is not a state (it has no
 * measurement distribution), and a norm whose square over- or underflows cannot be normalised.
 * With `planes`, a squared norm of 0 from non-zero amplitudes is reported as an underflow.
 * @throws Error naming `where` and what went wrong.
 */
export function checkNormSquared(norm2: number, where: string, planes?: { re: ArrayLike<number>; im: ArrayLike<number> | null }): void {
  if (norm2 === 0) {
    let maxAbs = 0;
    if (planes) {
      for (let i = 0; i < planes.re.length; i++) maxAbs = Math.max(maxAbs, Math.abs(planes.re[i]!));
      if (planes.im) for (let i = 0; i < planes.im.length; i++) maxAbs = Math.max(maxAbs, Math.abs(planes.im[i]!));
    }
    if (maxAbs > 0) throw new Error(`${where} has a squared norm that underflows to 0 (largest |amplitude| ${maxAbs.toExponential(3)}); rescale it`);
    throw new Error(`${where} has norm 0; a quantum state needs a non-zero norm`);
  }
  if (!Number.isFinite(norm2)) throw new Error(`${where} has a squared norm of ${norm2} (overflow or non-finite amplitudes); rescale it`);
}
