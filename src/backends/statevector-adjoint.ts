/**
 * Adjoint differentiation on the exact state vector (Jones & Gacon, arXiv:2009.02823).
 *
 * ψ = U_G…U_1 ψ_0, f = ⟨ψ|M|ψ⟩. Walking the gates backwards with λ = U_{j+1}†…U_G† M ψ and
 * ψ_{j−1} = U_j† ψ_j gives ∂f/∂θ = 2·Re⟨λ|∂U_j|ψ_{j−1}⟩ for every parameter of gate j, at the
 * cost of about three forward passes and two extra state vectors.
 */
import { cdagger, gateDerivative, gateMatrix, validateCircuit, type Circuit, type GateOp, type PauliSum } from '../../mps/index.js';
import { StateVectorBackend } from './statevector.js';

/** Value and per-gate gradients of ⟨ψ|M|ψ⟩ (same shape as the MPS adjoint result). */
export interface GateGradientResult {
  /** ⟨M⟩ (normalised). */
  value: number;
  /** ∂value/∂op.params[j] for each gate op, in circuit order. */
  gateGradients: Float64Array[];
}

/**
 * λ = M|ψ⟩ for a Pauli sum M (new vector; it may be zero).
 * @throws Error when a coefficient is not finite.
 */
export function applyPauliSum(psi: StateVectorBackend, sum: PauliSum): StateVectorBackend {
  const dim = 2 ** psi.n;
  const re = new Float64Array(dim), im = new Float64Array(dim);
  for (const [k, term] of sum.entries()) {
    if (typeof term.coeff !== 'number' || !Number.isFinite(term.coeff)) throw new Error(`term ${k}: coefficient must be a finite number, got ${term.coeff}`);
    const t = psi.clone();
    for (const f of term.factors) if (f.p !== 'I') t.applyGate({ name: f.p.toLowerCase(), qubits: [f.q], params: [] });
    const a = t.toArrays();
    for (let i = 0; i < dim; i++) { re[i]! += term.coeff * a.re[i]!; im[i]! += term.coeff * a.im[i]!; }
  }
  return StateVectorBackend.fromAmplitudes(re, im, { allowZeroNorm: true });
}

function unitaryOp(op: GateOp, m = gateMatrix(op)): GateOp {
  return { name: 'unitary', qubits: op.qubits, params: [], matrix: m };
}

/**
 * ⟨M⟩ and its gradient with respect to every gate parameter, by the adjoint method.
 * `observable` may be a function of the final state (to build ∂L/∂⟨O_k⟩ from one forward pass).
 * @param initial starting state (default |0…0⟩); it is not modified.
 */
export function adjointGradientStateVector(circuit: Circuit, observable: PauliSum | ((final: StateVectorBackend) => PauliSum), initial?: StateVectorBackend): GateGradientResult {
  validateCircuit(circuit);
  const psi = initial ? initial.clone() : StateVectorBackend.zeros(circuit.n);
  if (psi.n !== circuit.n) throw new Error(`circuit has ${circuit.n} qubits but the initial state has ${psi.n}`);
  psi.run(circuit);
  const norm2 = psi.norm() ** 2;
  const lam = applyPauliSum(psi, typeof observable === 'function' ? observable(psi) : observable);
  const value = psi.overlap(lam).re / norm2;
  const grads = circuit.ops.map((op) => new Float64Array(op.params.length));
  for (let k = circuit.ops.length - 1; k >= 0; k--) {
    const op = circuit.ops[k]!;
    const dag = unitaryOp(op, cdagger(gateMatrix(op)));
    psi.applyGate(dag); // ψ_{k−1}
    if (op.params.length > 0 && op.name !== 'unitary') {
      for (let j = 0; j < op.params.length; j++) {
        const mu = psi.clone();
        mu.applyGate(unitaryOp(op, gateDerivative(op, j)));
        grads[k]![j] = (2 * lam.overlap(mu).re) / norm2;
      }
    }
    lam.applyGate(dag);
  }
  return { value, gateGradients: grads };
}
