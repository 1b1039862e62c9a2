/**
 * Where the adjoint sweep reads each gate's derivative: the fewest "slices" of the circuit.
 *
 * Slice t (0 ≤ t ≤ S) is the state after moments 1 … t. For a trainable gate G in moment s, the
 * sandwich ⟨λ_t| K |ψ_t⟩ gives its derivative at every slice t from a (the last earlier moment
 * that touches G's qubits, 0 if none) to b (the next later moment that touches them, minus one;
 * S if none): the gates in between act on other qubits and commute with G. Before G (t < s)
 * the local operator is K = G†·∂G, after it (t ≥ s) it is K = ∂G·G†. In exact arithmetic every
 * choice gives the same number; under truncation they differ by the truncation error of the
 * moments in between, as any two evaluations of the truncated state do.
 *
 * Each slice used costs one environment sweep, so the schedule takes the fewest slices that
 * meet every gate's interval (interval stabbing: by left end, descending, a new slice at the
 * left end of each interval the previous slice misses), which puts most gates at t = s − 1,
 * where the one-slice-per-moment schedule reads them. A two-qubit gate touches every qubit of
 * its span (a distant gate is routed through them).
 */
import type { GateOp } from './gates.js';

/** One gate's place in the schedule. */
export interface GradientSlot {
  /** The gate. */
  op: GateOp;
  /** The moment of the gate, 1-based. */
  moment: number;
  /** The slice it is read at (0 … S). */
  slice: number;
  /** 'left': K = G†·∂G (slice before the gate); 'right': K = ∂G·G† (slice after it). */
  side: 'left' | 'right';
}

function span(op: GateOp): [number, number] {
  let lo = op.qubits[0]!, hi = lo;
  for (const q of op.qubits) { lo = Math.min(lo, q); hi = Math.max(hi, q); }
  return [lo, hi];
}

/**
 * The slots of every gate for which `trainable` holds, grouped by slice (a map from slice to
 * its slots, gates in moment order). `moments` is the circuit's moment list (toMoments), `n`
 * its number of qubits.
 */
export function scheduleSlices(moments: readonly (readonly GateOp[])[], n: number, trainable: (op: GateOp) => boolean): Map<number, GradientSlot[]> {
  const S = moments.length;
  interface Item { op: GateOp; s: number; a: number; b: number }
  const items: Item[] = [];
  const last = new Int32Array(n); // last moment (1-based) touching each qubit so far, 0 = none
  moments.forEach((m, i) => {
    const s = i + 1;
    for (const op of m) {
      const [lo, hi] = span(op);
      if (trainable(op)) {
        let a = 0;
        for (let q = lo; q <= hi; q++) a = Math.max(a, last[q]!);
        items.push({ op, s, a, b: S });
      }
    }
    for (const op of m) { const [lo, hi] = span(op); for (let q = lo; q <= hi; q++) last[q] = s; }
  });
  // b: the next moment after s touching the span, minus one (a backward scan)
  const next = new Int32Array(n).fill(S + 1);
  let k = items.length - 1;
  for (let i = S - 1; i >= 0; i--) {
    const s = i + 1;
    for (; k >= 0 && items[k]!.s === s; k--) {
      const [lo, hi] = span(items[k]!.op);
      let b = S + 1;
      for (let q = lo; q <= hi; q++) b = Math.min(b, next[q]!);
      items[k]!.b = b - 1;
    }
    for (const op of moments[i]!) { const [lo, hi] = span(op); for (let q = lo; q <= hi; q++) next[q] = s; }
  }
  const order = items.map((_, i) => i).sort((x, y) => items[y]!.a - items[x]!.a || x - y);
  const out = new Map<number, GradientSlot[]>();
  let point = Infinity;
  const chosen = new Array<number>(items.length);
  for (const i of order) {
    const it = items[i]!;
    if (!(point <= it.b)) point = it.a;
    chosen[i] = point;
  }
  items.forEach((it, i) => {
    const t = chosen[i]!;
    const slot: GradientSlot = { op: it.op, moment: it.s, slice: t, side: t < it.s ? 'left' : 'right' };
    const list = out.get(t);
    if (list) list.push(slot); else out.set(t, [slot]);
  });
  return out;
}
