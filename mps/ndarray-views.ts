/**
 * ndarray views of an {@link Mps}: site tensors, the dense state, local expectations.
 *
 * Complex data come as two real ndarrays `{ re, im }` (the engine's split planes; see
 * `ndarray.ts`). What is zero-copy and what is not:
 *
 * - {@link siteView}, {@link siteViews}: **zero-copy**. The views alias the site's planes, so a
 *   write through a view changes the state. The engine replaces a site's arrays whenever a
 *   gate, a truncation or a centre move touches that site, so a view follows the state only
 *   until the next such operation; take a fresh view afterwards. Writes bypass the
 *   canonical-form bookkeeping: scaling or editing the centre tensor is safe, editing another
 *   site breaks the claimed canonical form (see `Mps.canonicalFormError`).
 * - {@link stateVectorNd}, {@link localExpectationsNd}: views of freshly computed arrays (no
 *   copy beyond the contraction itself); they do not alias the state.
 */
import type { CMatrix } from './complex.js';
import { localExpectations } from './measure.js';
import type { Mps } from './mps.js';
import { ndView, type ComplexNdArray, type NdArray } from './ndarray.js';
import type { PauliLabel } from './pauli.js';

/**
 * Zero-copy views of site `q`'s tensor, shape [χL, d, χR] (legs [vL, p, vR]); `im` is null
 * for a real site. Valid until the engine next replaces that site's arrays (see the module
 * comment).
 * @throws when `q` is not an integer in [0, n−1].
 * @example siteView(Mps.zeros(3), 1).re.get(0, 0, 0) // 1
 */
export function siteView(psi: Mps, q: number): ComplexNdArray {
  if (!Number.isInteger(q) || q < 0 || q >= psi.n) throw new Error(`siteView: site must be an integer in [0, ${psi.n - 1}], got ${q}`);
  const t = psi.sites[q]!;
  const shape = [t.dl, t.d, t.dr];
  return { re: ndView(t.re, shape), im: t.im ? ndView(t.im, shape) : null };
}

/** Zero-copy views of every site tensor, in site order (see {@link siteView}). */
export function siteViews(psi: Mps): ComplexNdArray[] {
  return psi.sites.map((_, q) => siteView(psi, q));
}

/**
 * The dense state as two ndarrays of shape [d, …, d] (one axis per site, axis q = qubit q),
 * views of the arrays `Mps.toStateVector` computes; `im` is always present. Same memory guard
 * (at most 2^26 amplitudes). `.transpose(...)` permutes qubits; `Mps.fromStateVector` accepts
 * the result back.
 */
export function stateVectorNd(psi: Mps): { re: NdArray; im: NdArray } {
  const { re, im } = psi.toStateVector();
  const shape = psi.sites.map((t) => t.d);
  return { re: ndView(re, shape), im: ndView(im, shape) };
}

/**
 * `localExpectations` as an ndarray of shape [n]: entry q is Re⟨O_q⟩/⟨ψ|ψ⟩. A view of the
 * freshly computed array; moves the centre to 0, as `localExpectations` does.
 */
export function localExpectationsNd(psi: Mps, op: Exclude<PauliLabel, 'I'> | CMatrix): NdArray {
  return ndView(localExpectations(psi, op), [psi.n]);
}
