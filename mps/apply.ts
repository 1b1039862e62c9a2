/**
 * Gate application on an {@link Mps}.
 *
 * - One-qubit gates act on the physical leg of one site; they keep every canonical form.
 * - Two-qubit gates on adjacent sites (i, i+1) are applied at the orthogonality centre
 *   (docs/design.md §4): θ = A_i·A_{i+1}, θ' = G·θ, truncated SVD, A_i = U and A_{i+1} = S·Vh
 *   (centre moves right) or A_i = U·S and A_{i+1} = Vh (centre stays left). `twoSiteSplit`
 *   (split.ts) asks the kernel registry for the update; with a Gram split the WebAssembly
 *   backend runs all of it fused, bit-identically.
 * - Two-qubit gates on distant sites are routed with SWAPs (each a truncated two-site step),
 *   applied, and swapped back.
 *
 * `*InPlace` functions mutate the state; the plain versions return a new state.
 */
import { totalmem } from 'node:os';
import type { CMatrix } from './complex.js';
import { gateMatrix, validateCircuit, type Circuit, type GateOp, GATES } from './gates.js';
import { countGemm } from './flops.js';
import { twoSiteThetaTs } from './kernels/two-site.js';
import { Mps, scaleCols, scaleRows, type SiteTensor } from './mps.js';
import { truncatedSplit, twoSiteSplit } from './split.js';
import { accumulate, emptyReport, NORM_DRIFT_TOL, resolveTruncation, type TruncationOptions, type TruncationRecord, type TruncationReport } from './truncation.js';

/** Which side of a two-site update keeps the orthogonality centre. */
export type CenterSide = 'left' | 'right';

/**
 * Applies a 2×2 unitary to qubit q (in place). Keeps the canonical form and the centre.
 */
export function applyOneQubitInPlace(psi: Mps, g: CMatrix, q: number): void {
  const t = psi.sites[q]!;
  const { dl, dr } = t;
  const realOut = t.im === null && g.im === null;
  const re = new Float64Array(t.re.length);
  const im = realOut ? null : new Float64Array(t.re.length);
  const g00 = g.re[0]!, g01 = g.re[1]!, g10 = g.re[2]!, g11 = g.re[3]!;
  if (im === null) {
    // real site and gate: the general loop below with every imaginary term dropped (they are
    // exact zeros there, so the result is the same to the bit)
    const x = t.re;
    for (let a = 0; a < dl; a++) {
      const o0 = a * 2 * dr, o1 = o0 + dr;
      for (let b = 0; b < dr; b++) {
        const x0 = x[o0 + b]!, x1 = x[o1 + b]!;
        re[o0 + b] = g00 * x0 + g01 * x1;
        re[o1 + b] = g10 * x0 + g11 * x1;
      }
    }
    psi.sites[q] = { dl, d: 2, dr, re, im };
    return;
  }
  const h00 = g.im ? g.im[0]! : 0, h01 = g.im ? g.im[1]! : 0, h10 = g.im ? g.im[2]! : 0, h11 = g.im ? g.im[3]! : 0;
  // A'[a, t, b] = Σ_s G[t, s] A[a, s, b]
  for (let a = 0; a < dl; a++) {
    const o0 = a * 2 * dr, o1 = o0 + dr;
    for (let b = 0; b < dr; b++) {
      const x0 = t.re[o0 + b]!, x1 = t.re[o1 + b]!;
      const y0 = t.im ? t.im[o0 + b]! : 0, y1 = t.im ? t.im[o1 + b]! : 0;
      re[o0 + b] = g00 * x0 - h00 * y0 + g01 * x1 - h01 * y1;
      re[o1 + b] = g10 * x0 - h10 * y0 + g11 * x1 - h11 * y1;
      if (im) {
        im[o0 + b] = g00 * y0 + h00 * x0 + g01 * y1 + h01 * x1;
        im[o1 + b] = g10 * y0 + h10 * x0 + g11 * y1 + h11 * x1;
      }
    }
  }
  psi.sites[q] = { dl, d: 2, dr, re, im };
}

/** Reorders a 4×4 two-qubit matrix from basis 2·b(q0)+b(q1) to 2·b(q1)+b(q0). */
export function swapGateQubits(g: CMatrix): CMatrix {
  const perm = [0, 2, 1, 3];
  const re = new Float64Array(16);
  const im = g.im ? new Float64Array(16) : null;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      re[perm[i]! * 4 + perm[j]!] = g.re[i * 4 + j]!;
      if (im && g.im) im[perm[i]! * 4 + perm[j]!] = g.im[i * 4 + j]!;
    }
  }
  return { dim: 4, re, im };
}

function nonFinite(i: number): string {
  return `non-finite amplitude in the two-site tensor of sites (${i}, ${i + 1})`;
}

/**
 * θ' = G·(A·B) for the sites A: vL p1 [c], B: [c] p2 vR and the 4×4 gate G (basis
 * 2·b(p1) + b(p2)), as a (vL p1)×(p2 vR) row-major matrix on split planes; `real` (A, B and G
 * all real) gives `oim` null. New arrays; no truncation, no finiteness check.
 */
export function twoSiteTheta(A: SiteTensor, B: SiteTensor, g: CMatrix, real: boolean): { ore: Float64Array; oim: Float64Array | null } {
  const t = twoSiteThetaTs(A.dl, A.dr, B.dr, A, B, g, real);
  return { ore: t.re, oim: t.im };
}

/**
 * Applies a 4×4 unitary to the adjacent sites (i, i+1) (in place), with the matrix in basis
 * 2·b(i) + b(i+1). Moves the centre onto the pair first, truncates with `truncation`, and leaves
 * the centre on `side`. Returns the truncation record of the split.
 */
export function applyTwoSiteInPlace(psi: Mps, g: CMatrix, i: number, truncation: TruncationOptions, side: CenterSide = 'right'): TruncationRecord & { method: string } {
  if (psi.center < i) psi.moveCenterInPlace(i);
  else if (psi.center > i + 1) psi.moveCenterInPlace(i + 1);
  const A = psi.sites[i]!;
  const B = psi.sites[i + 1]!;
  const dl = A.dl, c = A.dr, dr = B.dr;
  const real = A.im === null && B.im === null && g.im === null;
  countGemm(dl * 2, 2 * dr, c, A.im === null && B.im === null ? 0 : 2);
  countGemm(4, dr * dl, 4, real ? 0 : 2);
  // the kernel's update: a split (fused), or θ' for the general split below
  const absorb = side === 'right' ? 1 : 2;
  const f = twoSiteSplit(dl, c, dr, A, B, g, truncation, absorb);
  if (f.status === 'split') {
    const sp = f.split;
    psi.sites[i] = { dl, d: 2, dr: sp.k, re: sp.Ure, im: sp.Uim };
    psi.sites[i + 1] = { dl: sp.k, d: 2, dr, re: sp.Vhre, im: sp.Vhim };
    psi.center = side === 'right' ? i + 1 : i;
    return { bond: i, rankBefore: sp.rankBefore, rankKept: sp.k, discardedWeight: sp.discarded, method: sp.method };
  }
  // NaN/Inf guard: name the sites (applyGateInPlace adds the gate)
  if (f.status === 'nonfinite') throw new Error(nonFinite(i));
  const { re: ore, im: oim } = f;
  let sp;
  try {
    sp = truncatedSplit(dl * 2, 2 * dr, ore, oim, truncation);
  } catch (e) {
    throw new Error(`two-site tensor of sites (${i}, ${i + 1}): ${(e as Error).message}`);
  }
  if (side === 'right') {
    const sv = scaleRows(sp.Vhre, sp.Vhim, sp.k, 2 * dr, sp.S);
    psi.sites[i] = { dl, d: 2, dr: sp.k, re: sp.Ure, im: sp.Uim };
    psi.sites[i + 1] = { dl: sp.k, d: 2, dr, re: sv.re, im: sv.im };
    psi.center = i + 1;
  } else {
    const us = scaleCols(sp.Ure, sp.Uim, dl * 2, sp.k, sp.S);
    psi.sites[i] = { dl, d: 2, dr: sp.k, re: us.re, im: us.im };
    psi.sites[i + 1] = { dl: sp.k, d: 2, dr, re: sp.Vhre, im: sp.Vhim };
    psi.center = i;
  }
  return { bond: i, rankBefore: sp.rankBefore, rankKept: sp.k, discardedWeight: sp.discarded, method: sp.method };
}

const SWAP = GATES['swap']!.matrix([]);

/**
 * Applies one gate (any qubits) in place, accumulating truncations into `report`.
 * Distant two-qubit gates are routed by SWAPs towards q0 and back. `side` says where to leave
 * the centre after an adjacent two-qubit gate.
 */
export function applyGateInPlace(psi: Mps, op: GateOp, truncation: TruncationOptions, report: TruncationReport = emptyReport(), side: CenterSide = 'right'): TruncationReport {
  try {
    return applyGateUnchecked(psi, op, truncation, report, side);
  } catch (e) {
    throw new Error(`gate '${op.name}' on qubits [${op.qubits.join(', ')}]: ${(e as Error).message}`);
  }
}

function applyGateUnchecked(psi: Mps, op: GateOp, truncation: TruncationOptions, report: TruncationReport, side: CenterSide): TruncationReport {
  const g = gateMatrix(op);
  if (op.qubits.length === 1) {
    applyOneQubitInPlace(psi, g, op.qubits[0]!);
    return report;
  }
  let [q0, q1] = op.qubits as [number, number];
  let m = g;
  if (q0 > q1) { [q0, q1] = [q1, q0]; m = swapGateQubits(g); }
  const rec = (r: TruncationRecord & { method: string }) => accumulate(report, r, r.method);
  // Route: swap q1 leftwards until it sits at q0+1, apply, swap back out.
  for (let j = q1 - 1; j > q0; j--) rec(applyTwoSiteInPlace(psi, SWAP, j, truncation, 'left'));
  rec(applyTwoSiteInPlace(psi, m, q0, truncation, q1 - q0 > 1 ? 'right' : side));
  for (let j = q0 + 1; j < q1; j++) rec(applyTwoSiteInPlace(psi, SWAP, j, truncation, 'right'));
  return report;
}

/** Pure twin of {@link applyGateInPlace}: returns a new state and the report. */
export function applyGate(psi: Mps, op: GateOp, truncation: Partial<TruncationOptions> = {}): { state: Mps; report: TruncationReport } {
  const state = psi.clone();
  const report = applyGateInPlace(state, op, resolveTruncation(truncation));
  return { state, report };
}

/**
 * Splits a circuit into moments: consecutive sets of gates on disjoint qubits, each gate in
 * the earliest moment after every earlier gate that shares a qubit with it. Gates in one
 * moment commute, so applying a moment in any order gives the same state.
 */
export function toMoments(ops: readonly GateOp[], n: number): GateOp[][] {
  const depth = new Int32Array(n);
  const moments: GateOp[][] = [];
  for (const op of ops) {
    let lo = 0;
    let hi = op.qubits[0]!;
    let lowq = hi;
    for (const q of op.qubits) { lo = Math.max(lo, depth[q]!); hi = Math.max(hi, q); lowq = Math.min(lowq, q); }
    // a routed (distant) gate blocks every qubit between its ends
    if (op.qubits.length === 2) for (let q = lowq; q <= hi; q++) lo = Math.max(lo, depth[q]!);
    (moments[lo] ??= []).push(op);
    if (op.qubits.length === 2) for (let q = lowq; q <= hi; q++) depth[q] = lo + 1;
    else depth[op.qubits[0]!] = lo + 1;
  }
  return moments;
}

/**
 * Runs a circuit on `psi` in place, truncating with `truncation`, and returns the report.
 * Gates are grouped into moments and each moment's two-qubit gates are swept in the
 * direction that starts nearest the current centre, so the centre moves about one site per
 * gate (docs/design.md §3 "Gauge"). `afterMoment`, when given, is called with each moment's
 * gates after they are applied (the trajectory runner applies noise channels there); the norm
 * drift is judged over the whole run, hook included.
 * @throws Error for an invalid circuit, a qubit-count mismatch, bad truncation options or a
 * bond choice that could exceed the machine's memory.
 */
export function runCircuitInPlace(psi: Mps, circuit: Circuit, truncation: Partial<TruncationOptions> = {}, afterMoment?: (moment: GateOp[]) => void): TruncationReport {
  validateCircuit(circuit);
  if (circuit.n !== psi.n) throw new Error(`circuit has ${circuit.n} qubits but the state has ${psi.n}`);
  const o = resolveTruncation(truncation);
  checkMemory(psi.n, o.maxBond, psi.isReal() && circuit.ops.every((op) => op.name !== 'unitary' ? GATES[op.name]!.real : op.matrix!.im === null), 1);
  const report = emptyReport();
  report.bondReached = psi.bondReached();
  const norm0 = psi.normSquared();
  for (const moment of toMoments(circuit.ops, circuit.n)) {
    applyMomentInPlace(psi, moment, o, report);
    afterMoment?.(moment);
  }
  finishReport(report, psi.normSquared() / norm0);
  return report;
}

/**
 * Test hook: the environment variable `QDISTILL_TEST_NORM_DRIFT` (a number, read once at load)
 * is added to every norm drift, so that tests of the alarm's surfacing (CLI exit codes, run
 * records, worker threads) can force it. Unset (0) in normal use.
 */
const TEST_NORM_DRIFT = (() => {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['QDISTILL_TEST_NORM_DRIFT'];
  const v = raw === undefined ? 0 : Number(raw);
  return Number.isFinite(v) && v > 0 ? v : 0;
})();

/**
 * Fills the norm-drift fields of a report from the final relative squared norm ‖ψ‖²/‖ψ_0‖²:
 * normDrift = |‖ψ‖²/‖ψ_0‖² − F|, flagged (`normDriftExceeded`) above NORM_DRIFT_TOL or when
 * not finite. The CLI refuses results with the flag set unless `--allow-norm-drift` is given.
 */
export function finishReport(report: TruncationReport, relNorm2: number): TruncationReport {
  report.normDrift = Math.abs(relNorm2 - report.fidelityEstimate) + TEST_NORM_DRIFT;
  report.normDriftExceeded = !(report.normDrift <= NORM_DRIFT_TOL);
  return report;
}

/** Upper bound of the memory (bytes) of `copies` MPSs of n qubits with bond ≤ maxBond. */
export function mpsMemoryBytes(n: number, maxBond: number, real: boolean, copies = 1): number {
  let total = 0;
  for (let b = 0; b < n; b++) {
    const bondL = Math.min(maxBond, 2 ** Math.min(b, n - b, 40));
    const bondR = Math.min(maxBond, 2 ** Math.min(b + 1, n - b - 1, 40));
    total += bondL * 2 * bondR * (real ? 8 : 16);
  }
  return total * copies;
}

/**
 * Memory guard: throws before a run whose states could need more than 80% of this machine's
 * memory, saying how much it needs.
 */
export function checkMemory(n: number, maxBond: number, real: boolean, copies: number): void {
  if (!Number.isFinite(maxBond)) return; // no cap: the size depends on the circuit
  const need = mpsMemoryBytes(n, maxBond, real, copies);
  const have = totalmem();
  if (need > 0.8 * have) {
    const gib = (x: number) => `${(x / 2 ** 30).toFixed(1)} GiB`;
    throw new Error(`an MPS of n=${n} qubits with maxBond=${maxBond}${copies > 1 ? ` (${copies} copies)` : ''} may need up to ${gib(need)}; this machine has ${gib(have)} — lower maxBond`);
  }
}

/**
 * Applies one moment (gates on disjoint qubits) in place: single-qubit gates first, then the
 * two-qubit gates swept in the direction that starts nearest the current centre.
 */
export function applyMomentInPlace(psi: Mps, moment: readonly GateOp[], o: TruncationOptions, report: TruncationReport): void {
  const pairs: GateOp[] = [];
  for (const op of moment) {
    if (op.qubits.length === 1) applyGateInPlace(psi, op, o, report);
    else pairs.push(op);
  }
  if (pairs.length === 0) return;
  const lo = (op: GateOp) => Math.min(op.qubits[0]!, op.qubits[1]!);
  pairs.sort((a, b) => lo(a) - lo(b));
  const first = lo(pairs[0]!), last = lo(pairs[pairs.length - 1]!);
  const rightwards = Math.abs(psi.center - first) <= Math.abs(psi.center - last - 1);
  if (!rightwards) pairs.reverse();
  for (const op of pairs) applyGateInPlace(psi, op, o, report, rightwards ? 'right' : 'left');
}

/** Pure twin of {@link runCircuitInPlace}. */
export function runCircuit(psi: Mps, circuit: Circuit, truncation: Partial<TruncationOptions> = {}): { state: Mps; report: TruncationReport } {
  const state = psi.clone();
  const report = runCircuitInPlace(state, circuit, truncation);
  return { state, report };
}
