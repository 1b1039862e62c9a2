/**
 * Observables of a state vector beyond ⟨P_q⟩: two-point Pauli correlators, bond entanglement
 * entropies and normalised amplitudes. Qubit 0 is the most significant bit of the basis index.
 */
import { entropyOfProbabilities } from '../../mps/entanglement.js';
import { eighComplex, eighReal, gemmComplex, gemmReal } from '../../mps/kernels/index.js';
import type { Complex, StateVectorBackend } from './statevector.js';

/** Largest n for which {@link stateVectorBondEntropies} is accepted (its cost grows as 2^(3n/2)). */
export const SV_ENTROPY_MAX_QUBITS = 20;

/**
 * The two-point correlator matrix C[i, j] = ⟨P_i P_j⟩ (normalised, real part) for one Pauli
 * P ∈ {X, Y, Z}, as n rows of n entries; the diagonal is ⟨P_i²⟩ = 1. Symmetric. Each pair is
 * one {@link StateVectorBackend.expectPauliString} pass: cost O(n² 2^n).
 */
export function stateVectorCorrelations(sv: StateVectorBackend, p: 'X' | 'Y' | 'Z'): number[][] {
  const n = sv.n;
  const C = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    C[i]![i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = sv.expectPauliString({ coeff: 1, factors: [{ q: i, p }, { q: j, p }] });
      C[i]![j] = v;
      C[j]![i] = v;
    }
  }
  return C;
}

/**
 * The von Neumann entanglement entropy of every bond b = 0…n−2 (qubits 0…b against b+1…n−1),
 * S_b = −Σ_k p_k log p_k with p_k the eigenvalues of the reduced density matrix of the smaller
 * side, normalised to Σ p_k = 1. The state is the 2^(b+1) × 2^(n−b−1) matrix M (row = qubits
 * 0…b, column = the rest); ρ = M M† or M† M, whichever is smaller, diagonalised by the
 * Householder-tridiagonal eigensolver. Units: nats for `base` e, bits for `base` 2.
 * @throws Error when n > {@link SV_ENTROPY_MAX_QUBITS} or the state is zero.
 */
export function stateVectorBondEntropies(sv: StateVectorBackend, base: number = Math.E): Float64Array {
  const n = sv.n;
  if (n > SV_ENTROPY_MAX_QUBITS) throw new Error(`bond entropies of a state vector of n=${n} qubits are limited to n ≤ ${SV_ENTROPY_MAX_QUBITS} (cost 2^(3n/2)); use the MPS backend`);
  const { re, im } = sv.toArrays();
  const real = sv.isReal;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let b = 0; b < n - 1; b++) {
    const rows = 2 ** (b + 1), cols = 2 ** (n - b - 1);
    const k = Math.min(rows, cols);
    const gre = new Float64Array(k * k);
    let w: Float64Array;
    if (real) {
      if (rows <= cols) gemmReal('N', 'T', k, k, cols, re, re, gre);
      else gemmReal('T', 'N', k, k, rows, re, re, gre);
      w = eighReal(k, gre).w;
    } else {
      const gim = new Float64Array(k * k);
      if (rows <= cols) gemmComplex('N', 'C', k, k, cols, re, im, re, im, gre, gim);
      else gemmComplex('C', 'N', k, k, rows, re, im, re, im, gre, gim);
      w = eighComplex(k, gre, gim).w;
    }
    let tr = 0;
    for (const x of w) tr += Math.max(0, x);
    if (!(tr > 0) || !Number.isFinite(tr)) throw new Error(`bond entropies: the state has norm ${Math.sqrt(tr)}; it must be finite and non-zero`);
    out[b] = entropyOfProbabilities(Array.from(w, (x) => Math.max(0, x) / tr), base);
  }
  return out;
}

/** The amplitude ⟨bits|ψ⟩/‖ψ‖ of the normalised state; `bits[0]` is qubit 0. */
export function stateVectorNormalizedAmplitude(sv: StateVectorBackend, bits: string): Complex {
  const a = sv.amplitude(bits);
  const nrm = sv.norm();
  return { re: a.re / nrm, im: a.im / nrm };
}
