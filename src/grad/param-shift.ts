/**
 * The parameter-shift rule: for every library gate with parameters (rx, ry, rz, rxx, ryy, rzz,
 * p, cp and each angle of u3), each parameter enters through a unitary exp(−iθ·H) whose
 * generator H has two eigenvalues a distance 1 apart, so
 *   ∂f/∂θ = [f(θ + π/2) − f(θ − π/2)] / 2
 * exactly (Mitarai et al., PRA 98, 032309 (2018); Schuld et al., PRA 99, 032331 (2019)).
 * Costs two evaluations per parameter; an independent check of the adjoint methods.
 */
import type { Circuit } from '../../mps/index.js';

/** Gates whose parameters obey the two-term shift rule with shift π/2. */
export const SHIFT_RULE_GATES: ReadonlySet<string> = new Set(['rx', 'ry', 'rz', 'rxx', 'ryy', 'rzz', 'p', 'cp', 'u3']);

/**
 * ∂f/∂op.params[j] for every gate op by the parameter-shift rule.
 * @param evaluate maps a circuit to the scalar f (e.g. an expectation value)
 * @throws Error for a parameterised gate outside {@link SHIFT_RULE_GATES}.
 */
export function parameterShiftGradient(circuit: Circuit, evaluate: (c: Circuit) => number): Float64Array[] {
  return circuit.ops.map((op, k) => {
    const g = new Float64Array(op.params.length);
    if (op.params.length === 0) return g;
    if (!SHIFT_RULE_GATES.has(op.name)) throw new Error(`parameter shift: gate ${k} ('${op.name}') has no two-term shift rule`);
    for (let j = 0; j < op.params.length; j++) {
      const shifted = (delta: number): Circuit => ({
        n: circuit.n,
        ops: circuit.ops.map((o, i) => (i === k ? { ...o, params: o.params.map((p, jj) => (jj === j ? p + delta : p)) } : o)),
      });
      g[j] = (evaluate(shifted(Math.PI / 2)) - evaluate(shifted(-Math.PI / 2))) / 2;
    }
    return g;
  });
}
