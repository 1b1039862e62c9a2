/**
 * Exact dense density-matrix simulator for n ≤ 10 qubits: the reference for noisy circuits
 * (the trajectories of `mps/trajectories.ts` are tested against it).
 *
 * ρ is a 2^n × 2^n complex matrix, row-major, on split planes (`re`, `im`; element (r, c) at
 * r·2^n + c). Qubit 0 is the most significant bit of r and c (big-endian, as the state-vector
 * backend). A gate U (the gate table of `mps/gates.ts`) maps ρ → UρU†; a channel with Kraus
 * operators {K_i} (`krausOperators` of `mps/noise.ts`) maps ρ → Σ_i K_i ρ K_i†, exactly.
 * Both act on ρ viewed as a vector of 2n qubits: K on the row qubits and conj(K) on the
 * column qubits. Memory 16·4^n bytes (16 MiB at n = 10).
 */
import type { CMatrix } from '../../mps/complex.js';
import { gateMatrix, validateCircuit, type Circuit, type GateOp } from '../../mps/gates.js';
import { eighComplex } from '../../mps/kernels/eigh.js';
import { checkFinitePlane, checkNormSquared } from '../../mps/mps.js';
import { channelsAfterGate, krausOperators, type Channel, type NoiseModel } from '../../mps/noise.js';

/**
 * Applies the d×d matrix M (d = 2 or 4; conjugated if `conj`) in place on the "virtual qubits"
 * of a flat array whose bit strides are `strides` (most significant qubit of M first).
 */
function applyOnStrides(re: Float64Array, im: Float64Array, m: CMatrix, strides: number[], conj: boolean): void {
  const d = m.dim;
  const mask = strides.reduce((a, s) => a | s, 0);
  const offs = new Array<number>(d);
  for (let i = 0; i < d; i++) {
    let o = 0;
    for (let k = 0; k < strides.length; k++) if ((i >> (strides.length - 1 - k)) & 1) o += strides[k]!;
    offs[i] = o;
  }
  const xr = new Float64Array(d), xi = new Float64Array(d);
  const sign = conj ? -1 : 1;
  for (let base = 0; base < re.length; base++) {
    if (base & mask) continue;
    for (let i = 0; i < d; i++) { xr[i] = re[base + offs[i]!]!; xi[i] = im[base + offs[i]!]!; }
    for (let i = 0; i < d; i++) {
      let ar = 0, ai = 0;
      for (let j = 0; j < d; j++) {
        const mr = m.re[i * d + j]!, mi = m.im ? sign * m.im[i * d + j]! : 0;
        ar += mr * xr[j]! - mi * xi[j]!;
        ai += mr * xi[j]! + mi * xr[j]!;
      }
      re[base + offs[i]!] = ar;
      im[base + offs[i]!] = ai;
    }
  }
}

/** Dense density matrix of n ≤ {@link DensityMatrix.MAX_QUBITS} qubits; mutating methods work in place. */
export class DensityMatrix {
  /** Largest number of qubits accepted (4^10 complex entries = 16 MiB). */
  static readonly MAX_QUBITS = 10;
  /** Number of qubits. */
  readonly n: number;
  /** 2^n. */
  readonly dim: number;
  /** Real plane of ρ, dim×dim row-major. */
  re: Float64Array;
  /** Imaginary plane of ρ, dim×dim row-major. */
  im: Float64Array;

  private constructor(n: number, re: Float64Array, im: Float64Array) {
    this.n = n;
    this.dim = 2 ** n;
    this.re = re;
    this.im = im;
  }

  /** |0…0⟩⟨0…0| on n qubits. @throws for n not an integer in [1, MAX_QUBITS]. */
  static zeros(n: number): DensityMatrix {
    if (!Number.isInteger(n) || n < 1 || n > DensityMatrix.MAX_QUBITS) {
      throw new Error(`density matrix: n must be an integer in [1, ${DensityMatrix.MAX_QUBITS}], got ${n} (memory 16·4^n bytes)`);
    }
    const re = new Float64Array(4 ** n);
    re[0] = 1;
    return new DensityMatrix(n, re, new Float64Array(4 ** n));
  }

  /**
   * |ψ⟩⟨ψ| for a state vector (length 2^n, big-endian, split planes; not normalised).
   * @throws for a length that is not 2^n (n in [1, 10]), planes of different lengths, a
   *   non-finite amplitude (naming the plane and index), or a vector whose squared norm is 0,
   *   underflows or overflows (that is not a state).
   */
  static fromStateVector(re: ArrayLike<number>, im: ArrayLike<number> | null): DensityMatrix {
    const dim = re.length;
    const n = Math.round(Math.log2(dim));
    if (dim < 2 || 2 ** n !== dim) throw new Error(`state vector length must be 2^n with n ≥ 1, got ${dim}`);
    if (im !== null && im.length !== dim) throw new Error(`re and im lengths differ: ${dim} vs ${im.length}`);
    checkFinitePlane(re, 'state vector re');
    if (im !== null) checkFinitePlane(im, 'state vector im');
    let norm2 = 0;
    for (let k = 0; k < dim; k++) norm2 += re[k]! * re[k]! + (im ? im[k]! * im[k]! : 0);
    checkNormSquared(norm2, 'state vector', { re, im });
    const rho = DensityMatrix.zeros(n);
    for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) {
      const ar = re[r]!, ai = im ? im[r]! : 0, br = re[c]!, bi = im ? im[c]! : 0;
      rho.re[r * dim + c] = ar * br + ai * bi;
      rho.im[r * dim + c] = ai * br - ar * bi;
    }
    return rho;
  }

  /** A deep copy. */
  clone(): DensityMatrix {
    return new DensityMatrix(this.n, this.re.slice(), this.im.slice());
  }

  private strides(qubits: readonly number[]): { rows: number[]; cols: number[] } {
    for (const q of qubits) if (!Number.isInteger(q) || q < 0 || q >= this.n) throw new Error(`qubit ${q} out of range [0, ${this.n - 1}]`);
    const cols = qubits.map((q) => 2 ** (this.n - 1 - q));
    return { rows: cols.map((s) => s * this.dim), cols };
  }

  /** ρ → MρM† for a 2×2 (one qubit) or 4×4 (basis 2·b(q0) + b(q1)) matrix M, in place. */
  applyMatrix(m: CMatrix, qubits: readonly number[]): this {
    if (m.dim !== 2 ** qubits.length) throw new Error(`a ${m.dim}×${m.dim} matrix cannot act on ${qubits.length} qubit(s)`);
    const { rows, cols } = this.strides(qubits);
    applyOnStrides(this.re, this.im, m, rows, false);
    applyOnStrides(this.re, this.im, m, cols, true);
    return this;
  }

  /** ρ → UρU† for a gate of the gate table (or an explicit unitary), in place. */
  applyGate(op: GateOp): this {
    return this.applyMatrix(gateMatrix(op), op.qubits);
  }

  /** ρ → Σ_i K_i ρ K_i† on `qubits`, in place (the operators are not checked for completeness). */
  applyKraus(ops: readonly CMatrix[], qubits: readonly number[]): this {
    const accRe = new Float64Array(this.re.length);
    const accIm = new Float64Array(this.im.length);
    for (const k of ops) {
      const t = this.clone().applyMatrix(k, qubits);
      for (let i = 0; i < accRe.length; i++) { accRe[i]! += t.re[i]!; accIm[i]! += t.im[i]!; }
    }
    this.re = accRe;
    this.im = accIm;
    return this;
  }

  /** Applies a noise channel exactly, through its Kraus operators, in place. */
  applyChannel(ch: Channel): this {
    return this.applyKraus(krausOperators(ch), ch.qubits);
  }

  /** Runs a circuit, each gate followed by its channels under `model` (if given), in place. */
  run(circuit: Circuit, model: NoiseModel | null = null): this {
    validateCircuit(circuit);
    if (circuit.n !== this.n) throw new Error(`circuit has ${circuit.n} qubits but ρ has ${this.n}`);
    for (const op of circuit.ops) {
      this.applyGate(op);
      if (model) for (const ch of channelsAfterGate(model, op)) this.applyChannel(ch);
    }
    return this;
  }

  /** tr ρ (real and imaginary parts). */
  trace(): { re: number; im: number } {
    let re = 0, im = 0;
    for (let i = 0; i < this.dim; i++) { re += this.re[i * this.dim + i]!; im += this.im[i * this.dim + i]!; }
    return { re, im };
  }

  /** tr(ρ Z_q) for every qubit q, times (1 − 2p) for a readout bit-flip probability p. */
  expectationsZ(readoutError = 0): Float64Array {
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.dim; i++) {
      const p = this.re[i * this.dim + i]!;
      for (let q = 0; q < this.n; q++) out[q]! += (i >> (this.n - 1 - q)) & 1 ? -p : p;
    }
    for (let q = 0; q < this.n; q++) out[q]! *= 1 - 2 * readoutError;
    return out;
  }

  /** tr(ρ O_q) for a one-qubit operator O (2×2 split planes) on qubit q: real part. */
  expectation1(o: CMatrix, q: number): number {
    const t = this.clone();
    const { rows } = t.strides([q]);
    applyOnStrides(t.re, t.im, o, rows, false);
    return t.trace().re;
  }

  /** max |ρ_rc − conj(ρ_cr)|. */
  hermiticityError(): number {
    let worst = 0;
    for (let r = 0; r < this.dim; r++) for (let c = 0; c < this.dim; c++) {
      worst = Math.max(worst, Math.abs(this.re[r * this.dim + c]! - this.re[c * this.dim + r]!), Math.abs(this.im[r * this.dim + c]! + this.im[c * this.dim + r]!));
    }
    return worst;
  }

  /** Eigenvalues of (ρ + ρ†)/2, ascending (a Hermitian eigensolver on split planes). */
  eigenvalues(): Float64Array {
    const d = this.dim;
    const hr = new Float64Array(d * d), hi = new Float64Array(d * d);
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
      hr[r * d + c] = (this.re[r * d + c]! + this.re[c * d + r]!) / 2;
      hi[r * d + c] = (this.im[r * d + c]! - this.im[c * d + r]!) / 2;
    }
    return eighComplex(d, hr, hi).w;
  }
}
