/**
 * Adjoint differentiation of ⟨ψ(θ)|M|ψ(θ)⟩ on an MPS (docs/design.md §4, "sublayer sandwich").
 *
 * The circuit is split into moments W_1 … W_S (gates on disjoint qubits). Forward, the state
 * ψ_{s} = W_s ψ_{s−1} is stored after every moment (S+1 snapshots, O(S·n·χ²) memory).
 * Backward, only λ is propagated: λ_S = M ψ_S (an MPO of bond D times an MPS), then
 * λ_{s−1} = W_s† λ_s. Because the gates of a moment commute, for a gate G of moment s
 *   ∂_θ ⟨ψ_S|M|ψ_S⟩ = 2·Re ⟨λ_{s−1}| K |ψ_{s−1}⟩,   K = G†·∂G/∂θ (local, anti-Hermitian),
 * and every such sandwich of one moment is read from one left and one right environment sweep
 * between λ_{s−1} and ψ_{s−1}, O(n·χ_λ·χ·χ) per moment. No SVD is ever differentiated: the
 * truncation projectors of the forward pass are treated as constants, and λ is truncated with
 * the forward options (its bond cap scaled by the MPO bond D).
 *
 * Expectation values are normalised by ⟨ψ_S|ψ_S⟩ (= the fidelity estimate under truncation).
 * References: Jones & Gacon, arXiv:2009.02823 (adjoint method); ITensorMPS `apply` rrule.
 */
import type { CMatrix } from './complex.js';
import { applyMomentInPlace, checkMemory, finishReport, swapGateQubits, toMoments } from './apply.js';
import { cdagger, gateGenerator } from './gate-derivatives.js';
import { gateMatrix, validateCircuit, type Circuit, type GateOp } from './gates.js';
import { gemmComplex } from './kernels/index.js';
import { transferStep } from './measure.js';
import { applyMpo, pauliSumMpo, type Mpo } from './mpo.js';
import type { Mps, SiteTensor } from './mps.js';
import type { PauliSum } from './pauli.js';
import { emptyReport, resolveTruncation, type TruncationOptions, type TruncationReport } from './truncation.js';

/** Result of an adjoint gradient evaluation. */
export interface AdjointResult {
  /** ⟨ψ|M|ψ⟩ / ⟨ψ|ψ⟩ at the end of the circuit. */
  value: number;
  /** For each gate op, ∂value/∂op.params[j] (empty arrays for fixed gates), in circuit order. */
  gateGradients: Float64Array[];
  /** Truncations of the forward pass. */
  report: TruncationReport;
  /** Truncations of the backward (λ) pass. */
  backwardReport: TruncationReport;
}

interface Env { re: Float64Array; im: Float64Array | null }

/** R'[a, a'] = Σ_{s,b,b'} conj(Bra[a,s,b]) · (O·Ket)[a',s,b'] · R[b, b']  (bra.dl × ket.dl). */
export function transferStepRight(R: Env, bra: SiteTensor, ket: SiteTensor): Env {
  // T: (vL p)(ket) × vR(bra) = Ket: (vL p) × [vR] · Rᵀ: [vR(ket)] × vR(bra)
  const rows = ket.dl * ket.d;
  const Tre = new Float64Array(rows * bra.dr), Tim = new Float64Array(rows * bra.dr);
  gemmComplex('N', 'T', rows, bra.dr, ket.dr, ket.re, ket.im, R.re, R.im, Tre, Tim);
  // R': vL(bra) × vL(ket) = conj(Bra): vL × [(p vR)] · T reshaped: [(p vR)] ← need ket vL outer
  // Reorder T[a', s, b] → U[(s b), a'] so that R'[a, a'] = Σ_{s,b} conj(Bra[a,s,b]) U[(s b), a'].
  const cols = bra.d * bra.dr;
  const Ure = new Float64Array(cols * ket.dl), Uim = new Float64Array(cols * ket.dl);
  for (let a = 0; a < ket.dl; a++) {
    for (let s = 0; s < ket.d; s++) {
      for (let b = 0; b < bra.dr; b++) {
        const src = (a * ket.d + s) * bra.dr + b;
        const dst = (s * bra.dr + b) * ket.dl + a;
        Ure[dst] = Tre[src]!; Uim[dst] = Tim[src]!;
      }
    }
  }
  // conj(Bra) · U  =  (Bra^*) — use op 'N' on a conjugated copy: gemm with conj via flipping im sign.
  const bim = bra.im ? bra.im.map((x) => -x) : null;
  const re = new Float64Array(bra.dl * ket.dl), im = new Float64Array(bra.dl * ket.dl);
  gemmComplex('N', 'N', bra.dl, ket.dl, cols, bra.re, bim, Ure, Uim, re, im);
  return { re, im };
}

function envContract(E: Env, R: Env): { re: number; im: number } {
  let re = 0, im = 0;
  for (let i = 0; i < E.re.length; i++) {
    const a = E.re[i]!, b = E.im ? E.im[i]! : 0, c = R.re[i]!, d = R.im ? R.im[i]! : 0;
    re += a * c - b * d; im += a * d + b * c;
  }
  return { re, im };
}

/** Splits a 4×4 operator K (basis 2·s0+s1) into Σ_t A_t ⊗ B_t with A_t = |s0⟩⟨t0|. */
function blockTerms(K: CMatrix): { A: CMatrix; B: CMatrix }[] {
  const out: { A: CMatrix; B: CMatrix }[] = [];
  for (let s0 = 0; s0 < 2; s0++) {
    for (let t0 = 0; t0 < 2; t0++) {
      const bre = new Float64Array(4), bim = new Float64Array(4);
      let nz = false;
      for (let s1 = 0; s1 < 2; s1++) {
        for (let t1 = 0; t1 < 2; t1++) {
          const idx = (2 * s0 + s1) * 4 + 2 * t0 + t1;
          bre[s1 * 2 + t1] = K.re[idx]!; bim[s1 * 2 + t1] = K.im ? K.im[idx]! : 0;
          if (bre[s1 * 2 + t1] !== 0 || bim[s1 * 2 + t1] !== 0) nz = true;
        }
      }
      if (!nz) continue;
      const are = new Float64Array(4);
      are[s0 * 2 + t0] = 1;
      out.push({ A: { dim: 2, re: are, im: null }, B: { dim: 2, re: bre, im: bim } });
    }
  }
  return out;
}

function daggerOp(op: GateOp): GateOp {
  return { name: 'unitary', qubits: op.qubits, params: [], matrix: cdagger(gateMatrix(op)) };
}

/**
 * Value and gradient of ⟨M⟩ = ⟨ψ|M|ψ⟩/⟨ψ|ψ⟩ with ψ = circuit·psi0, with respect to every
 * gate parameter, by the adjoint sweep. `observable` is a Pauli sum, an MPO, or a function of
 * the final (unnormalised) state returning one — so a loss's ∂L/∂⟨O_k⟩ can be formed from the
 * same forward pass.
 * Cost ≈ 3× one forward pass; memory: one MPS snapshot per moment.
 */
export function adjointGradientMps(psi0: Mps, circuit: Circuit, observable: PauliSum | Mpo | ((final: Mps) => PauliSum | Mpo), truncation: Partial<TruncationOptions> = {}): AdjointResult {
  validateCircuit(circuit);
  if (circuit.n !== psi0.n) throw new Error(`circuit has ${circuit.n} qubits but the state has ${psi0.n}`);
  const o = resolveTruncation(truncation);
  const moments = toMoments(circuit.ops, circuit.n);
  checkMemory(circuit.n, o.maxBond, false, moments.length + 3);
  const index = new Map<GateOp, number>();
  circuit.ops.forEach((op, k) => index.set(op, k));

  // forward with snapshots ψ_0 … ψ_S
  const report = emptyReport();
  report.bondReached = psi0.bondReached();
  const snaps: Mps[] = [psi0.clone()];
  const psi = psi0.clone();
  for (const m of moments) {
    applyMomentInPlace(psi, m, o, report);
    snaps.push(psi.clone());
  }
  const norm2 = psi.normSquared();
  if (!(norm2 > 0)) throw new Error('adjoint: the final state has zero norm');
  finishReport(report, norm2 / psi0.normSquared());

  const obs = typeof observable === 'function' ? observable(psi) : observable;
  const mpo = Array.isArray(obs) ? pauliSumMpo(circuit.n, obs) : obs;
  const D = Math.max(...mpo.sites.map((w) => w.Dr), 1);
  const lambdaTruncation: TruncationOptions = { ...o, maxBond: o.maxBond === Infinity ? Infinity : o.maxBond * D };
  let lam = applyMpo(mpo, psi);
  const valueC = braKet(psi, lam);
  const value = valueC.re / norm2;
  const grads = circuit.ops.map((op) => new Float64Array(op.params.length));
  const back = emptyReport();

  for (let s = moments.length; s >= 1; s--) {
    const moment = moments[s - 1]!;
    applyMomentInPlace(lam, moment.map(daggerOp), lambdaTruncation, back);
    const trainable = moment.filter((op) => op.params.length > 0 && op.name !== 'unitary');
    if (trainable.length === 0) continue;
    const ket = snaps[s - 1]!;
    const { L, R } = environments(lam, ket);
    for (const op of trainable) {
      const g = grads[index.get(op)!]!;
      for (let j = 0; j < op.params.length; j++) {
        const K = gateGenerator(op, j);
        const v = op.qubits.length === 1 ? sandwich1(L, R, lam, ket, K, op.qubits[0]!) : sandwich2(L, R, lam, ket, K, op.qubits as [number, number]);
        g[j] = (2 * v.re) / norm2;
      }
    }
  }
  return { value, gateGradients: grads, report, backwardReport: back };
}

/** ⟨a|b⟩ by a full transfer sweep. */
function braKet(a: Mps, b: Mps): { re: number; im: number } {
  let E: Env = { re: Float64Array.of(1), im: null };
  for (let q = 0; q < a.n; q++) E = transferStep(E.re, E.im, a.sites[q]!, b.sites[q]!, null);
  return { re: E.re[0]!, im: E.im ? E.im[0]! : 0 };
}

/** Left environments L[q] (sites < q) and right environments R[q] (sites ≥ q) of ⟨bra|ket⟩. */
function environments(bra: Mps, ket: Mps): { L: Env[]; R: Env[] } {
  const n = bra.n;
  const L: Env[] = [{ re: Float64Array.of(1), im: null }];
  for (let q = 0; q < n - 1; q++) L.push(transferStep(L[q]!.re, L[q]!.im, bra.sites[q]!, ket.sites[q]!, null));
  const R: Env[] = new Array<Env>(n + 1);
  R[n] = { re: Float64Array.of(1), im: null };
  for (let q = n - 1; q >= 1; q--) R[q] = transferStepRight(R[q + 1]!, bra.sites[q]!, ket.sites[q]!);
  return { L, R };
}

function sandwich1(L: Env[], R: Env[], bra: Mps, ket: Mps, K: CMatrix, q: number): { re: number; im: number } {
  const E = transferStep(L[q]!.re, L[q]!.im, bra.sites[q]!, ket.sites[q]!, K);
  return envContract(E, R[q + 1]!);
}

function sandwich2(L: Env[], R: Env[], bra: Mps, ket: Mps, K: CMatrix, [q0, q1]: [number, number]): { re: number; im: number } {
  let k = K;
  let lo = q0, hi = q1;
  if (q0 > q1) { k = swapGateQubits(K); lo = q1; hi = q0; }
  let re = 0, im = 0;
  for (const { A, B } of blockTerms(k)) {
    let E = transferStep(L[lo]!.re, L[lo]!.im, bra.sites[lo]!, ket.sites[lo]!, A);
    for (let q = lo + 1; q < hi; q++) E = transferStep(E.re, E.im, bra.sites[q]!, ket.sites[q]!, null);
    E = transferStep(E.re, E.im, bra.sites[hi]!, ket.sites[hi]!, B);
    const v = envContract(E, R[hi + 1]!);
    re += v.re; im += v.im;
  }
  return { re, im };
}
