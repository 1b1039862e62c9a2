/**
 * Spin-chain Hamiltonians for ground-state data, on open chains of n qubits (qubit 0 is the
 * leftmost site), as Pauli sums and as MPOs ({@link pauliSumMpo}, gauged real with
 * {@link realifyMpo}). Pauli matrices are used throughout (not spin-½ operators S = σ/2).
 *
 * MPO bond dimensions in the bulk (pauliSumMpo: channels R, F and one per crossing term):
 * TFIM 3, cluster-Ising 5, XXZ 5 (all minimal: the operator Schmidt rank of H across a
 * bond); ANNNI 5, one above its operator Schmidt rank 4 (X_b X_{b+1} and X_b X_{b+2} get
 * separate channels although they share the left factor X_b).
 */
import { OverflowError, pauliSumMpo, type Mpo } from '../mpo.js';
import type { PauliLabel, PauliString, PauliSum } from '../pauli.js';
import { realifyMpo } from './mpo-tools.js';

/** The models {@link modelHamiltonian} knows. */
export const MODEL_NAMES = ['tfim', 'cluster-ising', 'annni', 'xxz'] as const;
/** A model name. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** Parameters of each model and their defaults. */
export const MODEL_DEFAULTS: Readonly<Record<ModelName, Readonly<Record<string, number>>>> = Object.freeze({
  tfim: Object.freeze({ J: 1, h: 1 }),
  'cluster-ising': Object.freeze({ J: 1, h1: 0, h2: 0 }),
  annni: Object.freeze({ J: 1, kappa: 0, h: 1 }),
  xxz: Object.freeze({ J: 1, delta: 0, Delta: 1 }),
});

/** Smallest chain length of each model. */
export const MODEL_MIN_N: Readonly<Record<ModelName, number>> = Object.freeze({ tfim: 2, 'cluster-ising': 3, annni: 3, xxz: 2 });

function term(coeff: number, ...f: [PauliLabel, number][]): PauliString {
  return { coeff, factors: f.map(([p, q]) => ({ q, p })) };
}

/**
 * A coefficient combined from several parameters, checked for overflow: the product of
 * finite parameters can exceed double range (e.g. J·Δ with J = 1e300, Δ = 1e10).
 * @throws OverflowError naming the model, the combination, the parameters and the term.
 */
function combined(model: string, formula: string, value: number, params: Readonly<Record<string, number>>, where: string): number {
  if (!Number.isFinite(value)) {
    const p = Object.entries(params).map(([k, v]) => `${k} = ${v}`).join(', ');
    throw new OverflowError(`model '${model}': the coefficient ${formula} of ${where} overflows double precision (${p}; |value| > 1.8e308); scale the couplings down`);
  }
  return value;
}

function nonzero(sum: PauliSum): PauliSum {
  return sum.filter((t) => t.coeff !== 0);
}

/**
 * Transverse-field Ising model, H = −J Σ_{i=0}^{n−2} Z_i Z_{i+1} − h Σ_i X_i.
 *
 * Phases (J > 0): ferromagnet (Z order, two-fold quasi-degenerate on an open chain, splitting
 * ∼ (h/J)^n) for h < J; paramagnet for h > J; critical (Ising CFT, c = ½) at h/J = 1.
 * Exactly solvable by the Jordan–Wigner transformation: E0 = −Σ_k Λ_k with Λ_k the
 * singular values of the n×n bidiagonal matrix (h on the diagonal, J above).
 * Sources: P. Pfeuty, Ann. Phys. 57, 79 (1970); E. Lieb, T. Schultz, D. Mattis, Ann. Phys.
 * 16, 407 (1961).
 */
export function tfimPauliSum(n: number, p: { J: number; h: number }): PauliSum {
  const s: PauliSum = [];
  for (let i = 0; i + 1 < n; i++) s.push(term(-p.J, ['Z', i], ['Z', i + 1]));
  for (let i = 0; i < n; i++) s.push(term(-p.h, ['X', i]));
  return nonzero(s);
}

/**
 * Cluster-Ising model, H = −J Σ_{i=1}^{n−2} Z_{i−1} X_i Z_{i+1} − h1 Σ_{i=0}^{n−1} X_i − h2 Σ_{i=0}^{n−2} X_i X_{i+1}.
 *
 * Phases (J = 1): a Z2×Z2 symmetry-protected topological (SPT) phase around the cluster state
 * (h1, h2 small; on an open chain four-fold quasi-degenerate from the edge modes), a
 * paramagnet for large h1, and an antiferromagnet (in X) for h2 ≲ −1. At h2 = 0 the SPT–
 * paramagnet transition is at h1 = J (the model maps to two decoupled Ising chains).
 * String order parameter of the SPT phase: the product of consecutive stabilisers
 * K_a ⋯ K_b (K_i = Z_{i−1} X_i Z_{i+1}); see {@link clusterStringOrder}.
 * Sources: P. Smacchia, L. Amico, P. Facchi, R. Fazio, G. Florio, S. Pascazio, V. Vedral,
 * Phys. Rev. A 84, 022304 (2011); I. Cong, S. Choi, M. D. Lukin, Nat. Phys. 15, 1273 (2019),
 * Fig. 2 (phase diagram in (h1/J, h2/J)).
 */
export function clusterIsingPauliSum(n: number, p: { J: number; h1: number; h2: number }): PauliSum {
  const s: PauliSum = [];
  for (let i = 1; i + 1 < n; i++) s.push(term(-p.J, ['Z', i - 1], ['X', i], ['Z', i + 1]));
  for (let i = 0; i < n; i++) s.push(term(-p.h1, ['X', i]));
  for (let i = 0; i + 1 < n; i++) s.push(term(-p.h2, ['X', i], ['X', i + 1]));
  return nonzero(s);
}

/**
 * The cluster-model string order parameter as a Pauli string on sites a−1 … b+1:
 * Π_{i=a}^{b} K_i = (−1)^m Z_{a−1} Y_a X_{a+1} ⋯ X_{b−1} Y_b Z_{b+1}, m = b − a + 1 ≥ 2
 * (with the Pauli products X·Z = −iY, Z·X = iY, Z·X·Z = −X). Its expectation is 1 in the
 * cluster state, ≈ 1 deep in the SPT phase and ≈ 0 in the paramagnet.
 * @throws Error unless 1 ≤ a < b ≤ n − 2.
 */
export function clusterStringOrder(n: number, a: number, b: number): PauliString {
  if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 1 && b > a && b <= n - 2)) {
    throw new Error(`clusterStringOrder: need integers 1 ≤ a < b ≤ n − 2 = ${n - 2}, got a = ${a}, b = ${b}`);
  }
  const m = b - a + 1;
  const f: [PauliLabel, number][] = [['Z', a - 1], ['Y', a]];
  for (let i = a + 1; i < b; i++) f.push(['X', i]);
  f.push(['Y', b], ['Z', b + 1]);
  return term(m % 2 === 0 ? 1 : -1, ...f);
}

/**
 * Axial next-nearest-neighbour Ising (ANNNI) model in a transverse field,
 * H = −J Σ_i [X_i X_{i+1} − κ X_i X_{i+2} + h Z_i] (open chain; each sum over the terms that fit).
 *
 * Phases (J = 1, κ ≥ 0, h ≥ 0): ferromagnet (X order) for κ < ½ and h < h_I(κ); paramagnet
 * for large h; the (2,2) antiphase (↑↑↓↓) for κ > ½ and small h; a gapless floating phase
 * between the paramagnet and the antiphase. Approximate transition lines (perturbative,
 * Chakrabarti, Dutta & Sen): h_I(κ) ≈ ((1 − κ)/κ)·(1 − √((1 − 3κ + 3κ²)/(1 − κ))) (Ising,
 * ferro–para; h_I(0) = 1), h_KT(κ) ≈ 1.05·√((κ − ½)(κ − 0.1)) (Kosterlitz–Thouless,
 * para–floating, κ > ½); the multicritical point is κ = ½, h = 0.
 * Sources: B. K. Chakrabarti, A. Dutta, P. Sen, Quantum Ising Phases and Transitions in
 * Transverse Ising Models (Springer, 1996); M. Beccaria, M. Campostrini, A. Feo, Phys. Rev. B
 * 76, 094410 (2007).
 */
export function annniPauliSum(n: number, p: { J: number; kappa: number; h: number }): PauliSum {
  const s: PauliSum = [];
  for (let i = 0; i + 1 < n; i++) s.push(term(-p.J, ['X', i], ['X', i + 1]));
  const jk = n > 2 ? combined('annni', 'J·κ', p.J * p.kappa, { J: p.J, kappa: p.kappa }, 'X_i X_{i+2}') : 0;
  const jh = combined('annni', 'J·h', p.J * p.h, { J: p.J, h: p.h }, 'Z_i');
  for (let i = 0; i + 2 < n; i++) s.push(term(jk, ['X', i], ['X', i + 2]));
  for (let i = 0; i < n; i++) s.push(term(-jh, ['Z', i]));
  return nonzero(s);
}

/**
 * Bond-alternating XXZ chain, H = J Σ_{i=0}^{n−2} (1 + δ(−1)^i)(X_i X_{i+1} + Y_i Y_{i+1} + Δ Z_i Z_{i+1}).
 *
 * Phases (J > 0): at δ = 0 the uniform XXZ chain is a gapless XY (Luttinger-liquid) phase
 * for −1 < Δ ≤ 1 and a Néel antiferromagnet for Δ > 1 (Δ < −1: ferromagnet); any δ ≠ 0
 * opens a gap and dimerises the chain, except at large Δ where the Néel phase survives up to a
 * δ-dependent Δ_c(δ) > 1. On an open chain of even n, δ > 0 makes the bonds (0,1), (2,3), …
 * strong (trivial dimer phase, unique ground state); δ < 0 makes them weak and leaves edge
 * spins (the SPT/Haldane-like dimer phase, quasi-degenerate on an open chain).
 * Sources: J. des Cloizeaux, M. Gaudin, J. Math. Phys. 7, 1384 (1966) (uniform XXZ);
 * T. Giamarchi, Quantum Physics in One Dimension (Oxford, 2004), ch. 6 (dimerisation);
 * A. Elben et al., Sci. Adv. 6, eaaz3666 (2020) (phase diagram of the bond-alternating XXZ chain).
 */
export function xxzPauliSum(n: number, p: { J: number; delta: number; Delta: number }): PauliSum {
  const s: PauliSum = [];
  for (let i = 0; i + 1 < n; i++) {
    const sign = i % 2 === 0 ? '+' : '−';
    const c = combined('xxz', `J·(1 ${sign} δ)`, p.J * (1 + p.delta * (i % 2 === 0 ? 1 : -1)), { J: p.J, delta: p.delta }, `X_${i} X_${i + 1}`);
    const cz = combined('xxz', `J·(1 ${sign} δ)·Δ`, c * p.Delta, { J: p.J, delta: p.delta, Delta: p.Delta }, `Z_${i} Z_${i + 1}`);
    s.push(term(c, ['X', i], ['X', i + 1]), term(c, ['Y', i], ['Y', i + 1]), term(cz, ['Z', i], ['Z', i + 1]));
  }
  return nonzero(s);
}

/**
 * Validates a model name, n and parameters, filling defaults.
 * @throws Error naming the offending name/parameter, its value and what is allowed.
 */
export function resolveModel(name: string, n: number, params: Readonly<Record<string, number>> = {}): { name: ModelName; params: Record<string, number> } {
  if (!(MODEL_NAMES as readonly string[]).includes(name)) throw new Error(`unknown model '${name}'; allowed: ${MODEL_NAMES.join(', ')}`);
  const m = name as ModelName;
  if (!Number.isInteger(n) || n < MODEL_MIN_N[m]) throw new Error(`n must be an integer ≥ ${MODEL_MIN_N[m]} for model '${m}', got ${n}`);
  const defaults = MODEL_DEFAULTS[m];
  for (const [k, v] of Object.entries(params)) {
    if (!(k in defaults)) throw new Error(`model '${m}' has no parameter '${k}'; allowed: ${Object.keys(defaults).join(', ')}`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`model '${m}': parameter ${k} must be a finite number, got ${String(v)}`);
  }
  return { name: m, params: { ...defaults, ...params } };
}

/**
 * The Pauli sum of a model (validated; defaults from {@link MODEL_DEFAULTS}).
 * @throws Error for a bad name, n or parameter; OverflowError when a combined coefficient overflows.
 */
export function modelPauliSum(name: string, n: number, params: Readonly<Record<string, number>> = {}): PauliSum {
  const r = resolveModel(name, n, params);
  const p = r.params;
  switch (r.name) {
    case 'tfim': return tfimPauliSum(n, { J: p.J!, h: p.h! });
    case 'cluster-ising': return clusterIsingPauliSum(n, { J: p.J!, h1: p.h1!, h2: p.h2! });
    case 'annni': return annniPauliSum(n, { J: p.J!, kappa: p.kappa!, h: p.h! });
    case 'xxz': return xxzPauliSum(n, { J: p.J!, delta: p.delta!, Delta: p.Delta! });
  }
}

/**
 * The real MPO of a model on an open chain of n sites.
 * @example modelHamiltonian('tfim', 8, { J: 1, h: 0.5 }).sites[4]!.Dl // 3
 * @throws Error for an unknown model, a bad n or an unknown / non-finite parameter;
 * OverflowError when a coefficient combined from finite parameters (J·κ, J·h, J·(1 ± δ)·Δ)
 * leaves double range, naming the combination and the parameters.
 */
export function modelHamiltonian(name: string, n: number, params: Readonly<Record<string, number>> = {}): Mpo {
  const sum = modelPauliSum(name, n, params);
  const w = pauliSumMpo(n, sum);
  const r = realifyMpo(w);
  if (!r) throw new Error(`model '${name}': MPO could not be gauged real`); // unreachable for these models
  return r;
}
