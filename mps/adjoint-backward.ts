/**
 * The backward pass of the adjoint gradient: λ_{t−1} = W_t† λ_t, truncated with a bond cap that
 * follows the observable's backward light cone.
 *
 * λ_t = U† M U ψ_t (U the moments after t) differs from ψ_t only on the support of the
 * Heisenberg-evolved observable U† M U: an interval of sites that starts as the support of the
 * MPO and grows by every later gate that touches it. At a bond outside that interval the exact
 * λ_t has the Schmidt rank of ψ_t, at most the forward cap χ; what a truncated run adds there is
 * the residue of the forward pass's own truncations (W† of a truncated state is not the state
 * before the truncation). So gates outside the cone are split with the forward cap and gates
 * inside it with the larger cap of λ (D·χ by default); every discarded weight goes to λ's own
 * report.
 */
import { applyGateInPlace } from './apply.js';
import type { GateOp } from './gates.js';
import type { Mpo } from './mpo.js';
import type { Mps } from './mps.js';
import type { TruncationOptions, TruncationReport } from './truncation.js';

/** A closed interval of sites [lo, hi], or null for none. */
export type Cone = [number, number] | null;

function isIdentitySite(w: Mpo['sites'][number]): boolean {
  if (w.Dl !== w.Dr) return false;
  const d = w.d;
  for (let a = 0; a < w.Dl; a++) {
    for (let s = 0; s < d; s++) {
      for (let t = 0; t < d; t++) {
        for (let b = 0; b < w.Dr; b++) {
          const i = ((a * d + s) * d + t) * w.Dr + b;
          if (w.re[i] !== (a === b && s === t ? 1 : 0) || (w.im !== null && w.im[i] !== 0)) return false;
        }
      }
    }
  }
  return true;
}

/**
 * The sites where the MPO acts as more than a (channel-wise) identity, as one interval; null
 * when it is the identity times a number everywhere. Sites whose tensor is δ_{wL,wR}·δ_{s,t}
 * (identity in every channel) pass the state through unchanged.
 */
export function mpoSupport(mpo: Mpo): Cone {
  let lo = -1, hi = -1;
  mpo.sites.forEach((w, q) => {
    if (!isIdentitySite(w)) { if (lo < 0) lo = q; hi = q; }
  });
  return lo < 0 ? null : [lo, hi];
}

function span(op: GateOp): [number, number] {
  const a = op.qubits[0]!, b = op.qubits[op.qubits.length - 1]!;
  return a < b ? [a, b] : [b, a];
}

/**
 * Applies the adjoint of one moment to λ in place (one-qubit gates, then the two-qubit gates
 * swept from the end nearest λ's centre, as the forward pass does), splitting gates that touch
 * `cone` with `inside` and the others with `outside`. Returns the cone after the moment.
 */
export function applyBackwardMoment(lam: Mps, daggers: readonly GateOp[], cone: Cone, inside: TruncationOptions, outside: TruncationOptions, report: TruncationReport): Cone {
  let next = cone;
  const touches = (op: GateOp) => { const [a, b] = span(op); return cone !== null && a <= cone[1] && b >= cone[0]; };
  for (const op of daggers) {
    if (!touches(op)) continue;
    const [a, b] = span(op);
    next = [Math.min(next![0], a), Math.max(next![1], b)];
  }
  const pairs: GateOp[] = [];
  for (const op of daggers) {
    if (op.qubits.length === 1) applyGateInPlace(lam, op, outside, report);
    else pairs.push(op);
  }
  if (pairs.length === 0) return next;
  const lo = (op: GateOp) => span(op)[0];
  pairs.sort((x, y) => lo(x) - lo(y));
  const first = lo(pairs[0]!), last = lo(pairs[pairs.length - 1]!);
  const rightwards = Math.abs(lam.center - first) <= Math.abs(lam.center - last - 1);
  if (!rightwards) pairs.reverse();
  for (const op of pairs) applyGateInPlace(lam, op, touches(op) ? inside : outside, report, rightwards ? 'right' : 'left');
  return next;
}
