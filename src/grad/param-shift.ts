/**
 * Parameter-shift rules: exact derivatives of f(θ) from evaluations of f at shifted angles.
 *
 * - **Two-term rule.** Every library gate with parameters rx, ry, rz, rxx, ryy, rzz, p, cp and
 *   each angle of u3 takes its parameter through a unitary exp(−iθ·H) whose generator H has
 *   two eigenvalues a distance 1 apart, so f is a trigonometric polynomial of frequency 1 in θ
 *   and
 *     ∂f/∂θ = [f(θ + π/2) − f(θ − π/2)] / 2
 *   exactly (Mitarai et al., PRA 98, 032309 (2018); Schuld et al., PRA 99, 032331 (2019)).
 * - **Four-term rule.** The controlled rotation cry takes θ through exp(−iθ·|1⟩⟨1|⊗Y/2), and
 *   the multiplexed ucry each θ_b through exp(−iθ_b·|b⟩⟨b|⊗Y/2); these generators have the
 *   eigenvalues {−½, 0, 0, ½}: f has the frequencies ½ and 1 in θ and no two-term rule holds. With d± = (√2 ± 1)/(4√2),
 *     ∂f/∂θ = d₊·[f(θ + π/2) − f(θ − π/2)] − d₋·[f(θ + 3π/2) − f(θ − 3π/2)]
 *   exactly (Anselmetti et al., New J. Phys. 23, 113010 (2021); Wierichs et al., Quantum 6,
 *   677 (2022)): for f = sin(ωθ) at θ = 0 the right side is 2d₊ + 2d₋ = 1 for ω = 1 and
 *   √2·(d₊ − d₋) = ½ for ω = ½, and even terms cancel. The rule shifts the native gate, so
 *   under gate noise it differentiates the circuit that runs (the channels after the gate do
 *   not depend on θ); expanding cry into RY(θ/2)·CX·RY(−θ/2)·CX first would move the noise.
 *   Under K noiseless shots the estimate's variance is at most 2(d₊² + d₋²)/K = 3/(8K), against
 *   1/(2K) for a two-term angle.
 *
 * Costs two evaluations per two-term angle and four per cry or ucry angle; an independent check of the
 * adjoint methods.
 */
import type { Circuit } from '../../mps/index.js';

/** Gates whose parameters obey the two-term shift rule with shift π/2. */
export const SHIFT_RULE_GATES: ReadonlySet<string> = new Set(['rx', 'ry', 'rz', 'rxx', 'ryy', 'rzz', 'p', 'cp', 'u3']);

/** Gates whose parameters obey the four-term shift rule with shifts π/2 and 3π/2 (module comment). */
export const FOUR_TERM_SHIFT_GATES: ReadonlySet<string> = new Set(['cry', 'ucry']);

/** One term of a shift rule: ∂f/∂θ = Σ_terms coeff·f(θ + shift). */
export interface ShiftTerm {
  /** Angle shift in radians. */
  shift: number;
  /** Coefficient of f(θ + shift). */
  coeff: number;
  /** Label of the term in seeds: '+' and '-' for ±π/2, '+3' and '-3' for ±3π/2. */
  label: string;
}

const TWO_TERM: readonly ShiftTerm[] = Object.freeze([
  { shift: Math.PI / 2, coeff: 0.5, label: '+' },
  { shift: -Math.PI / 2, coeff: -0.5, label: '-' },
]);
const D_PLUS = (Math.SQRT2 + 1) / (4 * Math.SQRT2);
const D_MINUS = (Math.SQRT2 - 1) / (4 * Math.SQRT2);
const FOUR_TERM: readonly ShiftTerm[] = Object.freeze([
  { shift: Math.PI / 2, coeff: D_PLUS, label: '+' },
  { shift: -Math.PI / 2, coeff: -D_PLUS, label: '-' },
  { shift: (3 * Math.PI) / 2, coeff: -D_MINUS, label: '+3' },
  { shift: (-3 * Math.PI) / 2, coeff: D_MINUS, label: '-3' },
]);

/**
 * The shift rule of a gate's parameters (every parameter of one gate obeys the same rule), or
 * `undefined` for a gate without one (fixed gates, `unitary`).
 */
export function shiftRule(gate: string): readonly ShiftTerm[] | undefined {
  if (SHIFT_RULE_GATES.has(gate)) return TWO_TERM;
  if (FOUR_TERM_SHIFT_GATES.has(gate)) return FOUR_TERM;
  return undefined;
}

/**
 * The circuit with gate `k`'s parameter `j` shifted by `delta` (the other gates shared, not
 * copied).
 */
export function shiftedCircuit(circuit: Circuit, k: number, j: number, delta: number): Circuit {
  return {
    n: circuit.n,
    ops: circuit.ops.map((o, i) => (i === k ? { ...o, params: o.params.map((p, jj) => (jj === j ? p + delta : p)) } : o)),
  };
}

/**
 * ∂f/∂op.params[j] for every gate op by its parameter-shift rule ({@link shiftRule}).
 * @param evaluate maps a circuit to the scalar f (e.g. an expectation value)
 * @throws Error for a parameterised gate without a shift rule.
 */
export function parameterShiftGradient(circuit: Circuit, evaluate: (c: Circuit) => number): Float64Array[] {
  return circuit.ops.map((op, k) => {
    const g = new Float64Array(op.params.length);
    if (op.params.length === 0) return g;
    const rule = shiftRule(op.name);
    if (!rule) throw new Error(`parameter shift: gate ${k} ('${op.name}') has no shift rule; allowed: ${[...SHIFT_RULE_GATES, ...FOUR_TERM_SHIFT_GATES].join(', ')}`);
    for (let j = 0; j < op.params.length; j++) {
      let s = 0;
      for (const t of rule) s += t.coeff * evaluate(shiftedCircuit(circuit, k, j, t.shift));
      g[j] = s;
    }
    return g;
  });
}
