/**
 * Exact dense state-vector simulator: the reference every approximate backend is tested against.
 *
 * Layout and conventions (docs/design.md §3):
 * - The state is a complex vector of length 2^n in **split planes** (`re`, `im`), see
 *   `mps/complex.ts`. `im === null` means the state is exactly real; a real gate on a real
 *   state touches only `re` (the real fast path). The imaginary plane is allocated the first
 *   time a complex gate is applied.
 * - **Qubit 0 is the most significant bit** of the state index (big-endian, as in quimb and
 *   PennyLane): for n = 3, the basis state |b0 b1 b2⟩ sits at index 4·b0 + 2·b1 + b2, so qubit
 *   q has stride 2^(n−1−q).
 * - Two-qubit gate matrices index their basis as 2·b(q0) + b(q1) for `op.qubits = [q0, q1]`,
 *   whatever the order of q0 and q1 on the chain.
 *
 * Memory is 16·2^n bytes (complex Float64), so n is limited to {@link StateVectorBackend.MAX_QUBITS}.
 */
import { isRealPlane, type CMatrix } from '../../mps/complex.js';
import { gateMatrix, validateCircuit, type Circuit, type GateOp } from '../../mps/gates.js';
import type { PauliString, PauliSum } from '../../mps/pauli.js';
import { makeRng } from '../../mps/rng.js';
import { flattenNdArray, isNdArray, ndView, type ComplexNdArray, type NdArrayLike } from '../../mps/ndarray.js';
import { checkFinitePlane, checkNormSquared } from '../../mps/mps.js';

/** A complex number as a record. */
export interface Complex {
  /** Real part. */
  re: number;
  /** Imaginary part. */
  im: number;
}

/** Parity (0 or 1) of the set bits of a non-negative 31-bit integer. */
function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** Formats a byte count as GiB (≥ 1 GiB) or MiB, with one decimal. */
function formatBytes(b: number): string {
  const gib = 2 ** 30;
  return b >= gib ? `${(b / gib).toFixed(1)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;
}

/** Throws unless `n` is an integer in [1, MAX_QUBITS]; the message gives the memory needed. */
function checkQubitCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`number of qubits must be an integer ≥ 1, got ${n}`);
  if (n > StateVectorBackend.MAX_QUBITS) {
    throw new Error(
      `state vector of n=${n} qubits needs ${formatBytes(StateVectorBackend.memoryBytes(n))} ` +
        `(2^${n} complex amplitudes); the limit is n ≤ ${StateVectorBackend.MAX_QUBITS} — use the MPS backend`,
    );
  }
}

/** Parses a bitstring or bit array (entry 0 = qubit 0) to a state index; checks length and values. */
function bitsToIndex(bits: number[] | string, n: number): number {
  const arr = typeof bits === 'string' ? Array.from(bits, (ch) => (ch === '0' ? 0 : ch === '1' ? 1 : NaN)) : bits;
  if (arr.length !== n) throw new Error(`expected ${n} bits, got ${arr.length} (${JSON.stringify(bits)})`);
  let idx = 0;
  for (let q = 0; q < n; q++) {
    const b = arr[q];
    if (b !== 0 && b !== 1) throw new Error(`bit ${q} must be 0 or 1, got ${JSON.stringify(typeof bits === 'string' ? bits[q] : b)}`);
    idx = idx * 2 + b;
  }
  return idx;
}

/**
 * Dense state vector of n ≤ 24 qubits. Mutating methods (`applyGate`, `run`) work in place.
 *
 * @example
 * ```ts
 * const sv = StateVectorBackend.zeros(2);
 * sv.applyGate({ name: 'h', qubits: [0], params: [] });
 * sv.applyGate({ name: 'cx', qubits: [0, 1], params: [] });
 * sv.amplitude('11'); // { re: 0.7071…, im: 0 }
 * ```
 */
export class StateVectorBackend {
  /** Largest number of qubits accepted (2^24 amplitudes = 256 MiB). */
  static readonly MAX_QUBITS = 24;

  /**
   * The bond dimension an exact `n`-qubit state may need at its middle cut, 2^⌊n/2⌋ (the largest
   * Schmidt rank): what the CLI reports as the state vector's "bond reached" (it truncates nothing).
   */
  static maxBond(n: number): number {
    return 2 ** Math.floor(n / 2);
  }

  /** Bytes needed for a complex Float64 state vector of `n` qubits: 16 · 2^n. */
  static memoryBytes(n: number): number {
    return 16 * 2 ** n;
  }

  /** Number of qubits. */
  readonly n: number;
  /** Length of the vector, 2^n. */
  readonly dim: number;
  private re: Float64Array;
  private im: Float64Array | null;

  private constructor(n: number, re: Float64Array, im: Float64Array | null) {
    this.n = n;
    this.dim = re.length;
    this.re = re;
    this.im = im;
  }

  /** |0…0⟩ on `n` qubits. @throws when n > MAX_QUBITS, with the memory it would need. */
  static zeros(n: number): StateVectorBackend {
    checkQubitCount(n);
    const re = new Float64Array(2 ** n);
    re[0] = 1;
    return new StateVectorBackend(n, re, null);
  }

  /** The computational basis state |bits⟩; `bits[0]` (or the first character) is qubit 0. */
  static fromBits(bits: number[] | string): StateVectorBackend {
    const n = bits.length;
    checkQubitCount(n);
    const idx = bitsToIndex(bits, n);
    const re = new Float64Array(2 ** n);
    re[idx] = 1;
    return new StateVectorBackend(n, re, null);
  }

  /**
   * A state from explicit amplitudes (copied, not normalised). The length must be 2^n;
   * an all-zero or null `im` gives a real state. Either plane may also be an ndarray of any
   * shape with 2^n elements (for instance [2, …, 2], axis q = qubit q), read in row-major order
   * of its logical index with strides honoured: a transposed view gives the permuted state.
   * @param opts.allowZeroNorm accept the zero vector (for vectors such as M|ψ⟩ that are
   *   operator images rather than states; default false)
   * @throws Error when an amplitude is NaN or ±Infinity, or the norm is 0 (unless allowed) or
   *   overflows.
   */
  static fromAmplitudes(re: ArrayLike<number> | NdArrayLike, im: ArrayLike<number> | NdArrayLike | null, opts: { allowZeroNorm?: boolean } = {}): StateVectorBackend {
    if (isNdArray(re) || isNdArray(im)) {
      if (isNdArray(re) && isNdArray(im) && re.shape.join() !== im.shape.join()) {
        throw new Error(`fromAmplitudes: im has shape [${im.shape.join(', ')}], re has [${re.shape.join(', ')}]; the planes must have equal shape`);
      }
      const flat = (x: ArrayLike<number> | NdArrayLike, what: string) => (isNdArray(x) ? flattenNdArray(x, `fromAmplitudes: ${what}`) : x);
      return StateVectorBackend.fromAmplitudes(flat(re, 're'), im === null ? null : flat(im, 'im'), opts);
    }
    const len = re.length;
    const n = Math.round(Math.log2(len));
    if (len < 2 || 2 ** n !== len) throw new Error(`amplitude array length must be a power of two ≥ 2, got ${len}`);
    checkQubitCount(n);
    if (im !== null && im.length !== len) throw new Error(`re and im lengths differ: ${len} vs ${im.length}`);
    const r = Float64Array.from(re);
    const i = im === null ? null : Float64Array.from(im);
    checkFinitePlane(r, 'amplitudes re');
    if (i) checkFinitePlane(i, 'amplitudes im');
    let norm2 = 0;
    for (let k = 0; k < len; k++) norm2 += r[k]! * r[k]! + (i ? i[k]! * i[k]! : 0);
    if (!(opts.allowZeroNorm && norm2 === 0)) checkNormSquared(norm2, 'amplitude vector', { re: r, im: i });
    return new StateVectorBackend(n, r, isRealPlane(i) ? null : i);
  }

  /** True while the state is stored without an imaginary plane. */
  get isReal(): boolean {
    return this.im === null;
  }

  /** A deep copy. */
  clone(): StateVectorBackend {
    return new StateVectorBackend(this.n, this.re.slice(), this.im ? this.im.slice() : null);
  }

  /** Copies of the real and imaginary planes (the imaginary plane is zeros for a real state). */
  toArrays(): { re: Float64Array; im: Float64Array } {
    return { re: this.re.slice(), im: this.im ? this.im.slice() : new Float64Array(this.dim) };
  }

  /**
   * Zero-copy ndarray views of the amplitudes, shape [2, …, 2] (axis q = qubit q, so
   * `.transpose(...)` permutes qubits and `.pick(...)` fixes some). The views alias the live
   * planes: gates applied later show through them, and a write through a view changes the
   * state. `im` is null while the state is real; the imaginary plane is allocated by the first
   * complex gate, after which a fresh call is needed to see it.
   */
  amplitudesView(): ComplexNdArray {
    const shape = new Array<number>(this.n).fill(2);
    return { re: ndView(this.re, shape), im: this.im ? ndView(this.im, shape) : null };
  }

  /**
   * Applies one gate **in place** (mutates this state). Any qubit pair in any order; the
   * matrix comes from `gateMatrix(op)`, basis index 2·b(q0) + b(q1).
   * @throws when the qubits are out of range, repeated, or do not match the matrix size.
   */
  applyGate(op: GateOp): void {
    const m = gateMatrix(op);
    const arity = m.dim === 2 ? 1 : m.dim === 4 ? 2 : -1;
    if (arity < 0 || op.qubits.length !== arity) {
      throw new Error(`gate '${op.name}' with a ${m.dim}×${m.dim} matrix cannot act on qubits [${op.qubits.join(', ')}]`);
    }
    for (const q of op.qubits) {
      if (!Number.isInteger(q) || q < 0 || q >= this.n) {
        throw new Error(`gate '${op.name}': qubit index ${q} out of range [0, ${this.n - 1}]`);
      }
    }
    if (arity === 2 && op.qubits[0] === op.qubits[1]) throw new Error(`gate '${op.name}': qubits must be distinct, got ${op.qubits[0]} twice`);
    for (const [j, p] of op.params.entries()) {
      if (!Number.isFinite(p)) throw new Error(`gate '${op.name}' on qubits [${op.qubits.join(', ')}]: parameter ${j} is ${p}`);
    }
    this.applyMatrix(m, op.qubits);
  }

  /**
   * Runs a whole circuit in place, after `validateCircuit` and a check that `circuit.n` equals
   * this state's qubit count.
   */
  run(circuit: Circuit): void {
    validateCircuit(circuit);
    if (circuit.n !== this.n) throw new Error(`circuit has n=${circuit.n} qubits but the state has n=${this.n}`);
    for (const op of circuit.ops) this.applyMatrix(gateMatrix(op), op.qubits);
  }

  /** Dispatches a validated matrix to the 1- or 2-qubit kernel, choosing the real or complex path. */
  private applyMatrix(m: CMatrix, qubits: number[]): void {
    const gateReal = isRealPlane(m.im);
    if (!gateReal && this.im === null) this.im = new Float64Array(this.dim);
    const strides = qubits.map((q) => 2 ** (this.n - 1 - q));
    if (gateReal) {
      // A real matrix acts on each plane independently.
      applyRealPlane(this.re, m.re, strides);
      if (this.im !== null) applyRealPlane(this.im, m.re, strides);
    } else {
      applyComplex(this.re, this.im!, m.re, m.im!, strides);
    }
  }

  /** ⟨ψ|ψ⟩. */
  private normSquared(): number {
    let s = 0;
    const re = this.re, im = this.im;
    for (let i = 0; i < this.dim; i++) s += re[i]! * re[i]!;
    if (im) for (let i = 0; i < this.dim; i++) s += im[i]! * im[i]!;
    return s;
  }

  /** The 2-norm ‖ψ‖ (not squared). */
  norm(): number {
    return Math.sqrt(this.normSquared());
  }

  /**
   * ⟨P_q⟩ = ⟨ψ|P_q|ψ⟩ / ⟨ψ|ψ⟩ for every qubit q, in qubit order.
   * Uses ⟨Z⟩ = Σ ±|a|², ⟨X⟩ = 2 Re Σ conj(a₀)a₁, ⟨Y⟩ = 2 Im Σ conj(a₀)a₁ over index pairs
   * (a₀, a₁) that differ only in bit q.
   */
  expectations(pauli: 'X' | 'Y' | 'Z'): Float64Array {
    if (pauli !== 'X' && pauli !== 'Y' && pauli !== 'Z') throw new Error(`pauli must be 'X', 'Y' or 'Z', got ${JSON.stringify(pauli)}`);
    const out = new Float64Array(this.n);
    const nrm2 = this.normSquared();
    const re = this.re, im = this.im, dim = this.dim;
    for (let q = 0; q < this.n; q++) {
      const s = 2 ** (this.n - 1 - q);
      let acc = 0;
      for (let base = 0; base < dim; base += 2 * s) {
        const end = base + s;
        if (pauli === 'Z') {
          for (let i = base; i < end; i++) acc += re[i]! * re[i]! - re[i + s]! * re[i + s]!;
          if (im) for (let i = base; i < end; i++) acc += im[i]! * im[i]! - im[i + s]! * im[i + s]!;
        } else if (pauli === 'X') {
          for (let i = base; i < end; i++) acc += 2 * re[i]! * re[i + s]!;
          if (im) for (let i = base; i < end; i++) acc += 2 * im[i]! * im[i + s]!;
        } else if (im) {
          // Y: 2 Im(conj(a0) a1) = 2 (r0 i1 − i0 r1)
          for (let i = base; i < end; i++) acc += 2 * (re[i]! * im[i + s]! - im[i]! * re[i + s]!);
        }
      }
      out[q] = acc / nrm2;
    }
    return out;
  }

  /**
   * coeff · Re⟨ψ|P|ψ⟩ / ⟨ψ|ψ⟩ for a Pauli string P. P maps basis index i to i ⊕ xmask with the
   * phase i^{#Y} · (−1)^{popcount(i ∧ (zmask ∨ ymask))}, where xmask covers the X and Y factors.
   * @throws Error when the coefficient is not finite, or a qubit is out of range or repeated.
   */
  expectPauliString(ps: PauliString): number {
    if (typeof ps.coeff !== 'number' || !Number.isFinite(ps.coeff)) throw new Error(`Pauli string coefficient must be a finite number, got ${ps.coeff}`);
    let xmask = 0, zmask = 0, nY = 0;
    const seen = new Set<number>();
    for (const { q, p } of ps.factors) {
      if (!Number.isInteger(q) || q < 0 || q >= this.n) throw new Error(`Pauli factor ${p}${q}: qubit out of range [0, ${this.n - 1}]`);
      if (seen.has(q)) throw new Error(`Pauli string acts twice on qubit ${q}`);
      seen.add(q);
      const bit = 2 ** (this.n - 1 - q);
      if (p === 'X') xmask |= bit;
      else if (p === 'Y') { xmask |= bit; zmask |= bit; nY++; }
      else if (p === 'Z') zmask |= bit;
      else if (p !== 'I') throw new Error(`unknown Pauli label ${JSON.stringify(p)}`);
    }
    const re = this.re, im = this.im;
    // S = Σ_i (−1)^{parity(i & zmask)} conj(ψ_{i⊕x}) ψ_i
    let sRe = 0, sIm = 0;
    for (let i = 0; i < this.dim; i++) {
      const j = i ^ xmask;
      const sign = parity(i & zmask) ? -1 : 1;
      const ar = re[j]!, ai = im ? -im[j]! : 0;
      const br = re[i]!, bi = im ? im[i]! : 0;
      sRe += sign * (ar * br - ai * bi);
      sIm += sign * (ar * bi + ai * br);
    }
    // Multiply by i^{nY} and keep the real part.
    const k = nY % 4;
    const real = k === 0 ? sRe : k === 1 ? -sIm : k === 2 ? -sRe : sIm;
    return (ps.coeff * real) / this.normSquared();
  }

  /** Σ_k ⟨P_k⟩ over the terms of a Pauli sum (each real part, times its coefficient, normalised). */
  expectPauliSum(sum: PauliSum): number {
    let acc = 0;
    for (const t of sum) acc += this.expectPauliString(t);
    return acc;
  }

  /** The overlap ⟨this|other⟩ = Σ_i conj(this_i) · other_i (not normalised). */
  overlap(other: StateVectorBackend): Complex {
    if (other.n !== this.n) throw new Error(`overlap of states with n=${this.n} and n=${other.n}`);
    let sr = 0, si = 0;
    const ar = this.re, ai = this.im, br = other.re, bi = other.im;
    for (let i = 0; i < this.dim; i++) {
      const a1 = ar[i]!, a2 = ai ? -ai[i]! : 0;
      const b1 = br[i]!, b2 = bi ? bi[i]! : 0;
      sr += a1 * b1 - a2 * b2;
      si += a1 * b2 + a2 * b1;
    }
    return { re: sr, im: si };
  }

  /** The amplitude ⟨bits|ψ⟩; `bits[0]` (or the first character) is qubit 0. */
  amplitude(bits: number[] | string): Complex {
    const idx = bitsToIndex(bits, this.n);
    return { re: this.re[idx]!, im: this.im ? this.im[idx]! : 0 };
  }

  /**
   * Draws `shots` measurement outcomes in the computational basis from |ψ|²/⟨ψ|ψ⟩, as
   * bitstrings with qubit 0 first (big-endian). Deterministic for a given seed
   * (inverse-CDF sampling with binary search, one `makeRng(seed)` draw per shot).
   */
  sample(shots: number, seed: string | number): string[] {
    if (!Number.isInteger(shots) || shots < 0) throw new Error(`shots must be an integer ≥ 0, got ${shots}`);
    const dim = this.dim, re = this.re, im = this.im;
    const cdf = new Float64Array(dim);
    let acc = 0;
    for (let i = 0; i < dim; i++) {
      acc += re[i]! * re[i]! + (im ? im[i]! * im[i]! : 0);
      cdf[i] = acc;
    }
    if (!(acc > 0) || !Number.isFinite(acc)) throw new Error(`cannot sample from a state of norm ${Math.sqrt(acc)}`);
    const rng = makeRng(seed);
    const out: string[] = new Array<string>(shots);
    for (let s = 0; s < shots; s++) {
      const u = rng() * acc;
      // first index with cdf > u
      let lo = 0, hi = dim - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      out[s] = lo.toString(2).padStart(this.n, '0');
    }
    return out;
  }
}

/**
 * Applies a real 2×2 or 4×4 matrix `m` (row-major) to one real plane `v`, on qubits with the
 * given index strides (stride of q0 first). Kernel: no validation.
 */
function applyRealPlane(v: Float64Array, m: Float64Array, strides: number[]): void {
  const dim = v.length;
  if (strides.length === 1) {
    const s = strides[0]!;
    const m00 = m[0]!, m01 = m[1]!, m10 = m[2]!, m11 = m[3]!;
    for (let base = 0; base < dim; base += 2 * s) {
      for (let i = base; i < base + s; i++) {
        const a0 = v[i]!, a1 = v[i + s]!;
        v[i] = m00 * a0 + m01 * a1;
        v[i + s] = m10 * a0 + m11 * a1;
      }
    }
    return;
  }
  const s0 = strides[0]!, s1 = strides[1]!;
  const lo = Math.min(s0, s1), hi = Math.max(s0, s1);
  const quarter = dim / 4;
  const a = new Float64Array(4);
  for (let k = 0; k < quarter; k++) {
    const i = insertZeroBits(k, lo, hi);
    // local basis 2·b(q0) + b(q1)
    const idx0 = i, idx1 = i + s1, idx2 = i + s0, idx3 = i + s0 + s1;
    a[0] = v[idx0]!; a[1] = v[idx1]!; a[2] = v[idx2]!; a[3] = v[idx3]!;
    v[idx0] = m[0]! * a[0] + m[1]! * a[1] + m[2]! * a[2] + m[3]! * a[3];
    v[idx1] = m[4]! * a[0] + m[5]! * a[1] + m[6]! * a[2] + m[7]! * a[3];
    v[idx2] = m[8]! * a[0] + m[9]! * a[1] + m[10]! * a[2] + m[11]! * a[3];
    v[idx3] = m[12]! * a[0] + m[13]! * a[1] + m[14]! * a[2] + m[15]! * a[3];
  }
}

/** Complex twin of {@link applyRealPlane}: matrix (mr, mi) applied to the state (vr, vi). Kernel: no validation. */
function applyComplex(vr: Float64Array, vi: Float64Array, mr: Float64Array, mi: Float64Array, strides: number[]): void {
  const dim = vr.length;
  if (strides.length === 1) {
    const s = strides[0]!;
    const ar = mr[0]!, br = mr[1]!, cr = mr[2]!, dr = mr[3]!;
    const ai = mi[0]!, bi = mi[1]!, ci = mi[2]!, di = mi[3]!;
    for (let base = 0; base < dim; base += 2 * s) {
      for (let i = base; i < base + s; i++) {
        const j = i + s;
        const x0 = vr[i]!, y0 = vi[i]!, x1 = vr[j]!, y1 = vi[j]!;
        // [v_i, v_j] ← [[a, b], [c, d]] · [v_i, v_j]
        vr[i] = ar * x0 - ai * y0 + br * x1 - bi * y1;
        vi[i] = ar * y0 + ai * x0 + br * y1 + bi * x1;
        vr[j] = cr * x0 - ci * y0 + dr * x1 - di * y1;
        vi[j] = cr * y0 + ci * x0 + dr * y1 + di * x1;
      }
    }
    return;
  }
  const s0 = strides[0]!, s1 = strides[1]!;
  const lo = Math.min(s0, s1), hi = Math.max(s0, s1);
  const quarter = dim / 4;
  const idx = new Int32Array(4);
  const xr = new Float64Array(4), xi = new Float64Array(4);
  for (let k = 0; k < quarter; k++) {
    const i = insertZeroBits(k, lo, hi);
    // local basis 2·b(q0) + b(q1)
    idx[0] = i; idx[1] = i + s1; idx[2] = i + s0; idx[3] = i + s0 + s1;
    for (let c = 0; c < 4; c++) { xr[c] = vr[idx[c]!]!; xi[c] = vi[idx[c]!]!; }
    for (let r = 0; r < 4; r++) {
      const o = 4 * r;
      const m0r = mr[o]!, m1r = mr[o + 1]!, m2r = mr[o + 2]!, m3r = mr[o + 3]!;
      const m0i = mi[o]!, m1i = mi[o + 1]!, m2i = mi[o + 2]!, m3i = mi[o + 3]!;
      vr[idx[r]!] = m0r * xr[0]! - m0i * xi[0]! + m1r * xr[1]! - m1i * xi[1]! + m2r * xr[2]! - m2i * xi[2]! + m3r * xr[3]! - m3i * xi[3]!;
      vi[idx[r]!] = m0r * xi[0]! + m0i * xr[0]! + m1r * xi[1]! + m1i * xr[1]! + m2r * xi[2]! + m2i * xr[2]! + m3r * xi[3]! + m3i * xr[3]!;
    }
  }
}

/**
 * Spreads the bits of `k` around zero bits at positions `lo` and `hi` (powers of two, lo < hi;
 * `hi = 0` inserts only one bit). Enumerates every index whose bits lo and hi are zero.
 */
function insertZeroBits(k: number, lo: number, hi: number): number {
  // dim ≤ 2^24, so 32-bit integer operations are exact.
  let i = ((k & ~(lo - 1)) << 1) | (k & (lo - 1));
  if (hi > 0) i = ((i & ~(hi - 1)) << 1) | (i & (hi - 1));
  return i;
}

/** Simulates `circuit` from |0…0⟩ and returns the final state. */
export function simulateStateVector(circuit: Circuit): StateVectorBackend {
  validateCircuit(circuit);
  const sv = StateVectorBackend.zeros(circuit.n);
  sv.run(circuit);
  return sv;
}

