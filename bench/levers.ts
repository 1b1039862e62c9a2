/**
 * `node dist/bench/levers.js`: measures two split levers of the performance issue that the
 * engine does not use, against what it does use, so the decision rests on numbers.
 *
 * A. QR-based gate application (Unfried, Hauschild & Pollmann, arXiv:2212.09782): instead of
 *    a truncated SVD of θ' = G·θ, one step of subspace iteration from the pair's previous
 *    basis (X = θ'·B_oldᵀ, QR, Z = Qᵀθ'), so only two products and one QR per gate and no
 *    singular values (hence no cutoff, only maxBond). Prototype on the brickwork reference
 *    circuits, moments swept alternately left→right and right→left like the engine, against
 *    the engine's own run (Gram split, cutoff 1e-10) at the same χ; accuracy as the fidelity
 *    estimate Π(1 − ε) and |ΔΣ⟨Z⟩| against a χ = 128 run.
 * B. Randomised truncated SVD (Halko, Martinsson & Tropp 2011, oversampling 8, two power
 *    iterations with QR re-orthonormalisation) when maxBond k ≪ min(m, n), against the
 *    two-phase Gram split, on 256×256 matrices with geometric spectra s_j = ρ^j: time, and the
 *    discarded weight relative to the optimal (Eckart–Young) one.
 *
 * Options: --reps 3 --only A|B
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  applyGateInPlace, gateMatrix, gaussian, localExpectations, makeRng, Mps, resolveTruncation, runCircuitInPlace, toMoments, twoSiteTheta, type Circuit, type CMatrix, type Rng,
} from '../mps/index.js';
import { gemmReal, lqReal, qrReal, svdGramTruncReal, svdReal } from '../mps/kernels/index.js';
import { brickworkCircuit } from '../src/circuit/brickwork.js';
import { parseQasm } from '../src/circuit/qasm.js';

const here = dirname(fileURLToPath(import.meta.url));
const refDir = [join(here, '../../../shared/reference/brickwork'), join(here, '../../shared/reference/brickwork')].find((d) => existsSync(d));
const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' }, only: { type: 'string' } } });
const reps = Math.max(1, Number(values.reps));

function loadCircuit(n: number, L: number): Circuit {
  const file = refDir ? join(refDir, `ry_cz_n${n}_L${L}.qasm`) : '';
  return refDir && existsSync(file) ? parseQasm(readFileSync(file, 'utf8')).circuit : brickworkCircuit(n, L, 1234);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function frob2(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s;
}

/**
 * One QR-based two-site update on (i, i+1). `right`: centre at i, B right-canonical; the
 * guess is B's rows (padded with Gaussian rows if the bond grows), the centre ends on i+1.
 * Otherwise the mirror image (centre at i+1, guess A's columns, centre ends on i).
 * Returns the relative discarded weight.
 */
function qrUpdate(psi: Mps, g: CMatrix, i: number, right: boolean, chi: number, rng: Rng): number {
  const A = psi.sites[i]!, B = psi.sites[i + 1]!;
  const dl = A.dl, c = A.dr, dr = B.dr;
  const m = dl * 2, n = 2 * dr;
  const x = twoSiteTheta(A, B, g, true).ore;
  const total = frob2(x);
  const k = Math.min(chi, m, n);
  if (right) {
    const G = new Float64Array(k * n);
    G.set(B.re.subarray(0, Math.min(c, k) * n));
    for (let j = Math.min(c, k) * n; j < k * n; j++) G[j] = gaussian(rng);
    const X = new Float64Array(m * k);
    gemmReal('N', 'T', m, k, n, x, G, X);
    const { Q, r } = qrReal(m, k, X);
    const Z = new Float64Array(r * n);
    gemmReal('T', 'N', r, n, m, Q, x, Z);
    psi.sites[i] = { dl, d: 2, dr: r, re: Q, im: null };
    psi.sites[i + 1] = { dl: r, d: 2, dr, re: Z, im: null };
    psi.center = i + 1;
    return Math.max(0, 1 - frob2(Z) / total);
  }
  const G = new Float64Array(m * k);
  for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) G[a * k + j] = j < c ? A.re[a * c + j]! : gaussian(rng);
  const Y = new Float64Array(k * n);
  gemmReal('T', 'N', k, n, m, G, x, Y);
  const { Q, r } = lqReal(k, n, Y);
  const W = new Float64Array(m * r);
  gemmReal('N', 'T', m, r, n, x, Q, W);
  psi.sites[i] = { dl, d: 2, dr: r, re: W, im: null };
  psi.sites[i + 1] = { dl: r, d: 2, dr, re: Q, im: null };
  psi.center = i;
  return Math.max(0, 1 - frob2(W) / total);
}

/** The brickwork circuit with QR-based updates; returns the fidelity estimate and Σ⟨Z⟩. */
function runQr(c: Circuit, chi: number): { F: number; sumZ: number } {
  const psi = Mps.zeros(c.n);
  const rng = makeRng('qr-guess');
  let F = 1;
  for (const moment of toMoments(c.ops, c.n)) {
    const two = moment.filter((op) => op.qubits.length === 2).sort((a, b) => Math.min(...a.qubits) - Math.min(...b.qubits));
    for (const op of moment) if (op.qubits.length === 1) applyGateInPlace(psi, op, resolveTruncation({}));
    const right = psi.center <= c.n / 2;
    const order = right ? two : [...two].reverse();
    for (const op of order) {
      const [q0, q1] = op.qubits as [number, number];
      if (Math.abs(q1 - q0) !== 1) throw new Error('levers: only adjacent gates');
      const i = Math.min(q0, q1);
      psi.moveCenterInPlace(right ? i : i + 1);
      F *= 1 - qrUpdate(psi, gateMatrix(op), i, right, chi, rng);
    }
  }
  return { F, sumZ: localExpectations(psi, 'Z').reduce((a, b) => a + b, 0) };
}

function partA(): void {
  console.log('\nA. QR-based gate application (one subspace iteration from the previous basis) against the Gram split');
  console.log(`median of ${reps} warm runs; reference Σ⟨Z⟩ from the engine at χ = 128`);
  console.log('| n | L | χ | Gram split s | Gram F | Gram |ΔΣ⟨Z⟩| | QR-based s | QR F | QR |ΔΣ⟨Z⟩| |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [n, L] of [[64, 16], [128, 16]] as const) {
    const c = loadCircuit(n, L);
    const ref = Mps.zeros(n);
    runCircuitInPlace(ref, c, { maxBond: 128, cutoff: 1e-10 });
    const zRef = localExpectations(ref, 'Z').reduce((a, b) => a + b, 0);
    for (const chi of [16, 32, 64]) {
      const tg: number[] = [], tq: number[] = [];
      let gF = 1, gZ = 0, qF = 1, qZ = 0;
      for (let r = 0; r <= reps; r++) {
        let t0 = performance.now();
        const psi = Mps.zeros(n);
        const rep = runCircuitInPlace(psi, c, { maxBond: chi, cutoff: 1e-10 });
        gZ = localExpectations(psi, 'Z').reduce((a, b) => a + b, 0);
        if (r > 0) tg.push((performance.now() - t0) / 1000);
        gF = rep.fidelityEstimate;
        t0 = performance.now();
        ({ F: qF, sumZ: qZ } = runQr(c, chi));
        if (r > 0) tq.push((performance.now() - t0) / 1000);
      }
      console.log(`| ${n} | ${L} | ${chi} | ${median(tg).toFixed(3)} | ${gF.toFixed(6)} | ${Math.abs(gZ - zRef).toExponential(1)} | ${median(tq).toFixed(3)} | ${qF.toFixed(6)} | ${Math.abs(qZ - zRef).toExponential(1)} |`);
    }
  }
}

/** A (m×n) with singular values ρ^j and random orthogonal factors (Householder QR of Gaussians). */
function spectrumMatrix(m: number, n: number, rho: number, rng: Rng): { A: Float64Array; s: Float64Array } {
  const r = Math.min(m, n);
  const U = qrReal(m, r, Float64Array.from({ length: m * r }, () => gaussian(rng))).Q;
  const V = qrReal(n, r, Float64Array.from({ length: n * r }, () => gaussian(rng))).Q;
  const s = Float64Array.from({ length: r }, (_, j) => rho ** j);
  const US = U.map((u, idx) => u * s[idx % r]!);
  const A = new Float64Array(m * n);
  gemmReal('N', 'T', m, n, r, US, V, A);
  return { A, s };
}

/** Randomised truncated SVD: returns the kept singular values (k). */
function rsvd(m: number, n: number, A: Float64Array, k: number, rng: Rng, over = 8, power = 2): Float64Array {
  const l = Math.min(k + over, m, n);
  const Om = Float64Array.from({ length: n * l }, () => gaussian(rng));
  let Y = new Float64Array(m * l);
  gemmReal('N', 'N', m, l, n, A, Om, Y);
  let Q = qrReal(m, l, Y).Q;
  for (let p = 0; p < power; p++) {
    const W = new Float64Array(n * l);
    gemmReal('T', 'N', n, l, m, A, Q, W);
    const Qw = qrReal(n, l, W).Q;
    Y = new Float64Array(m * l);
    gemmReal('N', 'N', m, l, n, A, Qw, Y);
    Q = qrReal(m, l, Y).Q;
  }
  const Bm = new Float64Array(l * n);
  gemmReal('T', 'N', l, n, m, Q, A, Bm);
  return svdReal(l, n, Bm).S.subarray(0, k);
}

function partB(): void {
  console.log('\nB. Randomised truncated SVD (oversampling 8, 2 power iterations) against the two-phase Gram split, 256×256');
  console.log('| spectrum ρ^j | k | Gram split ms | Gram ε / ε_opt − 1 | randomised ms | randomised ε / ε_opt − 1 |');
  console.log('|---|---|---|---|---|---|');
  const rng = makeRng('levers-B');
  const m = 256, n = 256;
  for (const rho of [0.8, 0.97]) {
    const { A, s } = spectrumMatrix(m, n, rho, rng);
    const total = s.reduce((a, b) => a + b * b, 0);
    for (const k of [8, 16, 32]) {
      let opt = 0;
      for (let j = k; j < s.length; j++) opt += s[j]! * s[j]!;
      const tg: number[] = [], tr: number[] = [];
      let eg = 0, er = 0;
      for (let r = 0; r <= reps; r++) {
        let t0 = performance.now();
        const g = svdGramTruncReal(m, n, A, () => ({ kept: k }));
        if (r > 0) tg.push(performance.now() - t0);
        eg = total - g.S.reduce((a, b) => a + b * b, 0);
        t0 = performance.now();
        const S = rsvd(m, n, A, k, rng);
        if (r > 0) tr.push(performance.now() - t0);
        er = total - S.reduce((a, b) => a + b * b, 0);
      }
      console.log(`| ${rho} | ${k} | ${median(tg).toFixed(2)} | ${(eg / opt - 1).toExponential(1)} | ${median(tr).toFixed(2)} | ${(er / opt - 1).toExponential(1)} |`);
    }
  }
}

if (values.only === undefined || values.only === 'A') partA();
if (values.only === undefined || values.only === 'B') partB();
