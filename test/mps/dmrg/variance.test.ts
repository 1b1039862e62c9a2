/**
 * The energy variance ⟨H²⟩ − ⟨H⟩² of states far from eigenstates (random product states,
 * random bond-2 and bond-8 MPS) and of near-eigenstates, at large and small energies, against
 * the dense ‖(H − E)ψ‖² for n ≤ 12.
 *
 * The dense reference is independent of the engine's Hamiltonian builders: the four models are
 * written out here from their textbook definitions as Pauli strings, applied to the dense
 * vector bit by bit, and the residual r = Hψ − Eψ is accumulated in double-double arithmetic
 * (Dekker's TwoProduct and Knuth's TwoSum), so the reference has no cancellation error of its
 * own. An error of E only changes ‖(H − E)ψ‖² at second order (r ⟂ ψ).
 *
 * Tolerance: the engine forms (H − E)ψ in double precision, whose rounding error is
 * ≈ ε·S per amplitude (S = Σ|c| over the Pauli terms c·P, ε = 2.2e-16); the variance then
 * carries an error ≈ 2‖r‖·ε·S·K + (ε·S·K)² with K a modest constant. The old formula
 * ⟨H²⟩ − ⟨H⟩² had an error ≈ ε·E² instead, which these tests reject (h = 1e8: 0 instead of 11).
 */
import { describe, expect, it } from 'vitest';
import { dmrg, modelHamiltonian, mpoVariance, randomRealMps } from '../../../mps/dmrg/index.js';
import { gaussian, makeRng, Mps } from '../../../mps/index.js';

type Op = 'X' | 'Y' | 'Z';
interface Term { c: number; ops: [Op, number][] }

/** The models from their textbook definitions (Pauli matrices; open chains). */
function textbook(model: string, n: number, p: Record<string, number>): Term[] {
  const t: Term[] = [];
  if (model === 'tfim') {
    // H = −J Σ Z_i Z_{i+1} − h Σ X_i
    for (let i = 0; i < n - 1; i++) t.push({ c: -p.J!, ops: [['Z', i], ['Z', i + 1]] });
    for (let i = 0; i < n; i++) t.push({ c: -p.h!, ops: [['X', i]] });
  } else if (model === 'cluster-ising') {
    // H = −J Σ Z_{i−1} X_i Z_{i+1} − h1 Σ X_i − h2 Σ X_i X_{i+1}
    for (let i = 1; i < n - 1; i++) t.push({ c: -p.J!, ops: [['Z', i - 1], ['X', i], ['Z', i + 1]] });
    for (let i = 0; i < n; i++) t.push({ c: -p.h1!, ops: [['X', i]] });
    for (let i = 0; i < n - 1; i++) t.push({ c: -p.h2!, ops: [['X', i], ['X', i + 1]] });
  } else if (model === 'annni') {
    // H = −J Σ [X_i X_{i+1} − κ X_i X_{i+2} + h Z_i]
    for (let i = 0; i < n - 1; i++) t.push({ c: -p.J!, ops: [['X', i], ['X', i + 1]] });
    for (let i = 0; i < n - 2; i++) t.push({ c: p.J! * p.kappa!, ops: [['X', i], ['X', i + 2]] });
    for (let i = 0; i < n; i++) t.push({ c: -p.J! * p.h!, ops: [['Z', i]] });
  } else {
    // H = J Σ (1 + δ(−1)^i)(X_i X_{i+1} + Y_i Y_{i+1} + Δ Z_i Z_{i+1})
    for (let i = 0; i < n - 1; i++) {
      const b = p.J! * (1 + p.delta! * (i % 2 === 0 ? 1 : -1));
      t.push({ c: b, ops: [['X', i], ['X', i + 1]] }, { c: b, ops: [['Y', i], ['Y', i + 1]] }, { c: b * p.Delta!, ops: [['Z', i], ['Z', i + 1]] });
    }
  }
  return t;
}

// error-free transformations (double-double)
const SPLIT = 134217729; // 2^27 + 1
function twoSum(a: number, b: number): [number, number] {
  const s = a + b, bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const ca = SPLIT * a, ah = ca - (ca - a), al = a - ah;
  const cb = SPLIT * b, bh = cb - (cb - b), bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

/** Dense energy and ‖(H − E)ψ‖²/‖ψ‖² of the vector v (qubit 0 = most significant bit). */
function denseVariance(n: number, terms: Term[], v: Float64Array): { energy: number; variance: number } {
  const N = 1 << n;
  // each term: P|b⟩ = phase(b)·|b ⊕ flip⟩, phase = ±1 (an even number of Y: i² = −1 per pair)
  const masks = terms.map(({ c, ops }) => {
    let flip = 0, z = 0, ny = 0;
    for (const [o, q] of ops) {
      const bit = 1 << (n - 1 - q);
      if (o !== 'Z') flip |= bit;
      if (o !== 'X') z |= bit; // Z|b⟩ = (−1)^b|b⟩; Y|b⟩ = i(−1)^b|1−b⟩
      if (o === 'Y') ny++;
    }
    return { c: ny % 4 === 2 ? -c : c, flip, z };
  });
  const parity = (x: number) => { let p = 0; while (x) { p ^= 1; x &= x - 1; } return p; };
  let vv = 0, vhv = 0;
  const hv = new Float64Array(N);
  for (const m of masks) for (let b = 0; b < N; b++) hv[b ^ m.flip]! += (parity(b & m.z) ? -m.c : m.c) * v[b]!;
  for (let b = 0; b < N; b++) { vv += v[b]! * v[b]!; vhv += v[b]! * hv[b]!; }
  const E = vhv / vv;
  // r = Hv − E v in double-double
  const hi = new Float64Array(N), lo = new Float64Array(N);
  const add = (i: number, a: number, b: number) => {
    const [p, pe] = twoProd(a, b);
    const [s, se] = twoSum(hi[i]!, p);
    hi[i] = s; lo[i]! += se + pe;
  };
  for (const m of masks) for (let b = 0; b < N; b++) add(b ^ m.flip, parity(b & m.z) ? -m.c : m.c, v[b]!);
  for (let b = 0; b < N; b++) add(b, -E, v[b]!);
  let r2 = 0;
  for (let b = 0; b < N; b++) { const r = hi[b]! + lo[b]!; r2 += r * r; }
  return { energy: E, variance: r2 / vv };
}

const EPS = 2.220446049250313e-16;
const sumAbs = (terms: Term[]) => terms.reduce((s, t) => s + Math.abs(t.c), 0);
/**
 * |var − ref| allowed: K·ε·S·(2‖r‖ + K·ε·S) + 1e-13·ref with K = 4 (see the file comment). Achieved
 * at the time of writing: ≤ 3e-15·ref on the random states, ≤ 3e-4 of the first term on the
 * near-eigenstates (the bound adds rounding errors as if they were aligned).
 */
const varTol = (ref: number, S: number) => 4 * EPS * S * (2 * Math.sqrt(ref) + 4 * EPS * S) + 1e-13 * ref;


const MODELS: [string, Record<string, number>, string[]][] = [
  // name, couplings at unit scale, the couplings that carry energy (scaled by λ)
  ['tfim', { J: 1, h: 0.7 }, ['J', 'h']],
  ['cluster-ising', { J: 1, h1: 0.6, h2: -0.4 }, ['J', 'h1', 'h2']],
  ['annni', { J: 1, kappa: 0.4, h: 0.9 }, ['J']],
  ['xxz', { J: 1, delta: 0.3, Delta: 1.4 }, ['J']],
];
const scaled = (p: Record<string, number>, keys: string[], lam: number) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, keys.includes(k) ? v * lam : v]));

function randomProduct(n: number, seed: string): Mps {
  const rng = makeRng(seed);
  return Mps.productState(Array.from({ length: n }, () => [gaussian(rng), gaussian(rng)]));
}

const STATES: [string, (n: number, seed: string) => Mps][] = [
  ['random product state (bond 1)', randomProduct],
  ['random MPS, bond 2', (n, seed) => randomRealMps(n, 2, makeRng(seed))],
  ['random MPS, bond 8', (n, seed) => randomRealMps(n, 8, makeRng(seed))],
];

describe('variance ‖(H − E)ψ‖² against the dense double-double reference (far from eigenstates)', () => {
  const rows = MODELS.flatMap(([m, p, keys]) => [1, 1e8, 1e100, 1e-100].flatMap((lam) => STATES.map(([label, make]) => [m, lam, label, p, keys, make] as const)));
  it.each(rows)('%s, couplings × %s, %s (n = 10)', (model, lam, _label, p0, keys, make) => {
    const n = 10;
    const p = scaled(p0, keys, lam);
    const psi = make(n, `var:${model}:${_label}`);
    psi.scaleInPlace(0.37); // expectations are normalised
    const terms = textbook(model, n, p);
    const ref = denseVariance(n, terms, psi.toStateVector().re);
    const ev = mpoVariance(modelHamiltonian(model, n, p), psi);
    expect(Math.abs(ev.energy - ref.energy)).toBeLessThanOrEqual(1e-13 * sumAbs(terms));
    expect(ref.variance).toBeGreaterThan(1e-3 * lam * lam); // far from an eigenstate
    expect(Math.abs(ev.variance - ref.variance)).toBeLessThanOrEqual(varTol(ref.variance, sumAbs(terms)));
    expect(Math.abs(ev.relativeVariance - ref.variance / ref.energy ** 2)).toBeLessThanOrEqual(1e-12 * ev.relativeVariance);
    expect(Math.abs(ev.h2 - (ref.variance + ref.energy ** 2))).toBeLessThanOrEqual(1e-12 * ev.h2);
  });
});

describe('variance of near-eigenstates at large energies', () => {
  it('the issue case: TFIM n = 12, h = 1e8, the bond-1 DMRG state: variance 11.0, not 0', () => {
    const n = 12, p = { J: 1, h: 1e8 };
    const res = dmrg(modelHamiltonian('tfim', n, p), { energyTol: 1e-8, seed: 0 });
    expect(res.state.bondReached()).toBe(1);
    const terms = textbook('tfim', n, p);
    const ref = denseVariance(n, terms, res.state.toStateVector().re);
    expect(ref.variance).toBeGreaterThan(10.9);
    expect(ref.variance).toBeLessThan(11.1);
    expect(Math.abs(res.variance - ref.variance)).toBeLessThanOrEqual(varTol(ref.variance, sumAbs(terms)));
    expect(Math.abs(mpoVariance(modelHamiltonian('tfim', n, p), res.state).variance - ref.variance)).toBeLessThanOrEqual(varTol(ref.variance, sumAbs(terms)));
    expect(Math.abs(res.relativeVariance - ref.variance / ref.energy ** 2)).toBeLessThanOrEqual(varTol(ref.variance, sumAbs(terms)) / ref.energy ** 2);
  });
  it.each(MODELS)('%s %o: the unit-scale ground state (n = 12) evaluated with couplings × 1e8 and × 1e-8', (model, p0, keys) => {
    const n = 12;
    const gs = dmrg(modelHamiltonian(model, n, p0), { maxBond: 24, cutoff: 1e-10, energyTol: 1e-6, seed: 1 }).state;
    for (const lam of [1e8, 1e-8]) {
      const p = scaled(p0, keys, lam);
      const terms = textbook(model, n, p);
      const ref = denseVariance(n, terms, gs.toStateVector().re);
      const ev = mpoVariance(modelHamiltonian(model, n, p), gs);
      // small relative to E² (a near-eigenstate) but resolved: the old ⟨H²⟩ − ⟨H⟩² had an error ≈ ε·E²
      expect(ref.variance / ref.energy ** 2).toBeLessThan(1e-6);
      expect(Math.abs(ev.variance - ref.variance)).toBeLessThanOrEqual(varTol(ref.variance, sumAbs(terms)));
    }
  });
  it('relative variance is exact where the absolute one leaves double range (couplings × 1e±300)', () => {
    const n = 10, psi = randomRealMps(n, 4, makeRng('var-range'));
    for (const [model, p0, keys] of MODELS) {
      const unit = mpoVariance(modelHamiltonian(model, n, p0), psi);
      for (const lam of [1e300, 1e-300]) {
        const ev = mpoVariance(modelHamiltonian(model, n, scaled(p0, keys, lam)), psi);
        expect(Math.abs(ev.energy / lam / unit.energy - 1)).toBeLessThan(1e-13);
        expect(Math.abs(ev.relativeVariance / unit.relativeVariance - 1)).toBeLessThan(1e-12);
        expect(ev.variance).toBe(lam > 1 ? Infinity : 0); // correctly rounded: (1e300)² overflows, (1e-300)² underflows
      }
    }
  });
  it('an exact eigenstate has variance exactly 0 at any scale (TFIM at h = 0, a basis state)', () => {
    for (const J of [1e-300, 1, 1e150]) {
      const ev = mpoVariance(modelHamiltonian('tfim', 8, { J, h: 0 }), Mps.fromBits('00000000'));
      expect(ev.energy).toBe(-7 * J);
      expect(ev.variance).toBe(0);
      expect(ev.relativeVariance).toBe(0);
    }
  });
});
