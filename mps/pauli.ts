/**
 * Pauli strings and weighted Pauli sums (observables).
 *
 * A Pauli string is a real coefficient times a tensor product of single-qubit Paulis on
 * distinct qubits, e.g. 0.5·Z1·Z2. Qubit indices follow the engine's convention (qubit 0 =
 * leftmost site). A {@link PauliSum} is a list of such terms, read as their sum.
 */

/** Single-qubit Pauli label. */
export type PauliLabel = 'I' | 'X' | 'Y' | 'Z';

/** One factor of a Pauli string: Pauli `p` acting on qubit `q`. */
export interface PauliFactor {
  /** Qubit index. */
  q: number;
  /** Pauli label. */
  p: PauliLabel;
}

/** coeff · Π factors (factors on distinct qubits; an empty list is the identity). */
export interface PauliString {
  /** Real coefficient. */
  coeff: number;
  /** Factors on distinct qubits. */
  factors: PauliFactor[];
}

/** A weighted sum of Pauli strings. */
export type PauliSum = PauliString[];
