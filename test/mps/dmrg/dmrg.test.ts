/**
 * Two-site DMRG against exact diagonalisation (every model, n = 10), against the closed-form
 * free-fermion energy of the open TFIM (n = 64, 128), and against known physics.
 *
 * ED points are chosen with a gap (checked below: E1 − E0 > GAP_MIN), since the ground-state
 * overlap is only defined for a non-degenerate ground state. Ordered phases are quasi-degenerate
 * on open chains (TFIM ferromagnet: splitting ∼ (h/J)^n; cluster SPT: edge modes; XXZ with
 * δ < 0: edge spins), so the points sit on the paramagnetic/dimerised side or at finite size
 * near criticality, where the finite-size gap is ∼ 1/n; the one ferromagnetic TFIM point (h = 0.5)
 * keeps a splitting of 1.5e-3 at n = 10.
 *
 * Runtime: the whole file takes ≈ 14 s on a 2-core VM (the critical n = 128 TFIM ≈ 6 s).
 * Set QDISTILL_LONG=1 to add the critical n = 128 chain without a bond cap (cutoff 1e-12 alone)
 * and at χ = 96 (≈ 16 s more).
 */
import { describe, expect, it } from 'vitest';
import {
  clusterStringOrder, dmrg, modelHamiltonian, modelPauliSum, mpoExpectation, mpoVariance, randomRealMps, resolveDmrgOptions,
} from '../../../mps/dmrg/index.js';
import { expectPauliString, localExpectations, makeRng, Mps } from '../../../mps/index.js';
import { exactGroundState, tfimFreeFermionEnergy } from './exact.js';

const TOL = {
  /** |E_dmrg − E_exact| at n = 10. */
  energy: 1e-9,
  /** 1 − |⟨ψ_dmrg|ψ_exact⟩|² at n = 10. */
  infidelity: 1e-8,
  /** |E_dmrg − E0| / |E0| against the free-fermion closed form. */
  relEnergy: 1e-8,
  /** ⟨H²⟩ − ⟨H⟩² of a converged ground state. */
  variance: 1e-7,
};
const GAP_MIN = 1e-3;
const LONG = process.env.QDISTILL_LONG === '1';

const ED_POINTS = [
  ['tfim', { J: 1, h: 0.5 }, 'ferromagnet, finite-size splitting'],
  ['tfim', { J: 1, h: 1 }, 'critical'],
  ['tfim', { J: 1, h: 1.5 }, 'paramagnet'],
  ['cluster-ising', { J: 1, h1: 1, h2: 0 }, 'SPT–paramagnet critical point'],
  ['cluster-ising', { J: 1, h1: 1.5, h2: 0.3 }, 'paramagnet'],
  ['cluster-ising', { J: 1, h1: 0.8, h2: -0.6 }, 'between SPT and antiferromagnet'],
  ['annni', { J: 1, kappa: 0.2, h: 0.775 }, 'near the Ising line h_I(0.2) ≈ 0.775'],
  ['annni', { J: 1, kappa: 0.3, h: 1.2 }, 'paramagnet'],
  ['annni', { J: 1, kappa: 0.7, h: 0.6 }, 'paramagnet near the floating phase (h_KT(0.7) ≈ 0.36)'],
  ['xxz', { J: 1, delta: 0, Delta: 0.5 }, 'XY (gapless) phase, finite-size gap'],
  ['xxz', { J: 1, delta: 0.1, Delta: 1 }, 'weakly dimerised Heisenberg'],
  ['xxz', { J: 1, delta: 0.5, Delta: 2 }, 'dimerised, strong anisotropy'],
] as const;

describe('DMRG against exact diagonalisation (n = 10)', () => {
  it.each(ED_POINTS)('%s %o (%s): energy and ground state', (name, params) => {
    const n = 10;
    const ed = exactGroundState(n, modelPauliSum(name, n, params));
    expect(ed.e1 - ed.e0).toBeGreaterThan(GAP_MIN);
    const res = dmrg(modelHamiltonian(name, n, params), { maxBond: 32, cutoff: 1e-14, energyTol: 1e-12, seed: `ed-${name}` });
    expect(res.converged).toBe(true);
    expect(res.stop).toBe('converged');
    expect(res.relativeVariance).toBeLessThan(1e-12);
    expect(Math.abs(res.energy - ed.e0)).toBeLessThan(TOL.energy);
    const v = res.state.toStateVector().re;
    let ov = 0;
    for (let i = 0; i < v.length; i++) ov += v[i]! * ed.psi[i]!;
    expect(1 - ov * ov).toBeLessThan(TOL.infidelity);
    // the reported energy and variance are those of the returned state
    expect(Math.abs(mpoExpectation(modelHamiltonian(name, n, params), res.state) - res.energy)).toBeLessThan(1e-11);
    expect(res.variance).toBeLessThan(1e-9);
    expect(res.state.canonicalFormError()).toBeLessThan(1e-10);
    expect(Math.abs(res.state.norm() - 1)).toBeLessThan(1e-12);
  });
});

const FF_POINTS: [number, number, number][] = [
  // [n, h/J, maxBond]
  [64, 0.5, 32], [64, 1, 64], [64, 2, 32],
  [128, 0.5, 32], [128, 1, 64], [128, 2, 32],
];

describe('open TFIM against the free-fermion closed form (Pfeuty 1970)', () => {
  it.each(FF_POINTS)('n = %i, h/J = %s, χ ≤ %i: relative energy error < 1e-8', (n, h, chi) => {
    const exact = tfimFreeFermionEnergy(n, 1, h);
    const res = dmrg(modelHamiltonian('tfim', n, { J: 1, h }), { maxBond: chi, cutoff: 1e-12, seed: n });
    expect(res.converged).toBe(true);
    expect(Math.abs(res.energy - exact) / Math.abs(exact)).toBeLessThan(TOL.relEnergy);
    expect(res.variance).toBeLessThan(TOL.variance);
    expect(res.report.bondReached).toBeLessThanOrEqual(chi);
  });
  it.runIf(LONG)('QDISTILL_LONG: critical n = 128 without a bond cap (cutoff 1e-12 alone) and at χ = 96', () => {
    const exact = tfimFreeFermionEnergy(128, 1, 1);
    for (const cap of [{}, { maxBond: 96 }]) {
      const res = dmrg(modelHamiltonian('tfim', 128, { h: 1 }), { ...cap, cutoff: 1e-12, seed: 3 });
      expect(Math.abs(res.energy - exact) / Math.abs(exact)).toBeLessThan(TOL.relEnergy);
    }
  });
});

describe('known physics', () => {
  it('TFIM n = 32: ⟨X⟩ rises and ⟨Z Z⟩ falls monotonically with h/J, crossing near h/J = 1 (self-duality)', () => {
    const n = 32;
    const hs = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2];
    const bulk = (a: Float64Array) => { let s = 0; for (let i = 8; i < n - 8; i++) s += a[i]!; return s / (n - 16); };
    const rows = hs.map((h) => {
      const res = dmrg(modelHamiltonian('tfim', n, { h }), { maxBond: 32, cutoff: 1e-10, energyTol: 1e-8, seed: 7 });
      const x = bulk(localExpectations(res.state, 'X'));
      const zz = new Float64Array(n);
      for (let i = 0; i + 1 < n; i++) zz[i] = expectPauliString(res.state, { coeff: 1, factors: [{ q: i, p: 'Z' }, { q: i + 1, p: 'Z' }] });
      return { h, x, zz: bulk(zz) };
    });
    for (let k = 1; k < rows.length; k++) {
      expect(rows[k]!.x).toBeGreaterThan(rows[k - 1]!.x);
      expect(rows[k]!.zz).toBeLessThan(rows[k - 1]!.zz);
    }
    // Kramers–Wannier duality maps X_i ↔ Z_i Z_{i+1} and h ↔ J: the curves cross at h = J
    for (const r of rows) {
      if (r.h < 1) expect(r.zz).toBeGreaterThan(r.x);
      if (r.h > 1) expect(r.zz).toBeLessThan(r.x);
    }
    // crossing of ⟨X⟩ − ⟨ZZ⟩ by linear interpolation (open-chain boundaries shift it slightly)
    const k = rows.findIndex((r) => r.x > r.zz);
    const a = rows[k - 1]!, b = rows[k]!;
    const hc = a.h + ((a.zz - a.x) / ((a.zz - a.x) - (b.zz - b.x))) * (b.h - a.h);
    expect(Math.abs(hc - 1)).toBeLessThan(0.1);
    const crit = rows.find((r) => r.h === 1)!;
    expect(Math.abs(crit.x - 2 / Math.PI)).toBeLessThan(0.03); // bulk ⟨X⟩ = 2/π on the infinite critical chain
  });
  it.each([
    [0.1, 0, 'deep SPT', (o: number) => o > 0.9],
    [0.5, 0, 'SPT', (o: number) => o > 0.5],
    [3, 0, 'paramagnet', (o: number) => Math.abs(o) < 0.05],
  ] as const)('cluster-Ising n = 24, h1 = %s, h2 = %s (%s): string order K_4 ⋯ K_19', (h1, h2, _phase, ok) => {
    const n = 24;
    // the SPT side is four-fold quasi-degenerate (edge modes): any state of that manifold has the bulk string order
    const res = dmrg(modelHamiltonian('cluster-ising', n, { h1, h2 }), { maxBond: 32, cutoff: 1e-10, energyTol: 1e-8, maxSweeps: 10, seed: 11 });
    const o = expectPauliString(res.state, clusterStringOrder(n, 4, n - 5));
    expect(ok(o)).toBe(true);
  });
});

describe('options and bookkeeping', () => {
  it('history records one entry per sweep with ΔE, bond, discarded weight, time and (when asked) variance', () => {
    const res = dmrg(modelHamiltonian('annni', 16, { kappa: 0.3, h: 1 }), { maxBond: [4, 8, 16], noise: [1e-4, 1e-6, 0], varianceTol: 1e-8, measureVariance: true, seed: 2 });
    expect(res.converged).toBe(true);
    expect(res.history.length).toBeGreaterThanOrEqual(3);
    expect(res.history[0]!.bondReached).toBeLessThanOrEqual(4);
    expect(res.history[1]!.bondReached).toBeLessThanOrEqual(8);
    expect(Number.isNaN(res.history[0]!.deltaE)).toBe(true);
    for (const h of res.history) {
      expect(h.variance).toBeGreaterThanOrEqual(0);
      expect(h.relativeVariance).toBeCloseTo(h.variance! / h.energy ** 2, 20);
      expect(h.seconds).toBeGreaterThan(0);
      expect(h.matvecs).toBeGreaterThan(0);
    }
    const last = res.history[res.history.length - 1]!;
    expect(Math.abs(last.deltaE)).toBeLessThan(1e-10);
    expect(last.relativeVariance!).toBeLessThan(1e-8); // varianceTol is relative to E²
    expect(res.variance).toBe(last.variance);
    expect(Math.abs(mpoVariance(modelHamiltonian('annni', 16, { kappa: 0.3, h: 1 }), res.state).variance - res.variance)).toBeLessThan(1e-12);
  });
  it('a truncating bond cap shows up in the report and in the variance', () => {
    const res = dmrg(modelHamiltonian('tfim', 24, { h: 1 }), { maxBond: 3, seed: 4 });
    expect(res.report.bondReached).toBe(3);
    expect(res.report.truncations).toBeGreaterThan(0);
    expect(res.history[res.history.length - 1]!.discardedWeight).toBeGreaterThan(1e-8);
    expect(res.variance).toBeGreaterThan(1e-6);
  });
  it('convergence needs the variance relative to E² as well as the energy change; the result says which criterion stopped the run', () => {
    const H = modelHamiltonian('tfim', 24, { h: 1 });
    // exact bond (cap above the need): both criteria hold
    const ok = dmrg(H, { maxBond: 64, seed: 4 });
    expect(ok.stop).toBe('converged');
    expect(ok.converged).toBe(true);
    expect(ok.criteria).toEqual({ energy: true, variance: true });
    expect(ok.relativeVariance).toBeLessThan(1e-12);
    // a bond cap of 3: the energy settles, the variance cannot fall below the truncation floor
    const capped = dmrg(H, { maxBond: 3, seed: 4 });
    expect(capped.stop).toBe('variance-stalled');
    expect(capped.converged).toBe(false);
    expect(capped.criteria).toEqual({ energy: true, variance: false });
    expect(capped.relativeVariance).toBeGreaterThan(1e-6);
    // the variance was measured on the energy-settled sweeps and stopped halving between the last two
    const measured = capped.history.filter((h) => h.relativeVariance !== undefined);
    expect(measured.length).toBeGreaterThanOrEqual(2);
    const [a, b] = measured.slice(-2);
    expect(b!.relativeVariance!).toBeGreaterThanOrEqual(a!.relativeVariance! / 2);
    expect(capped.history.length).toBeLessThan(30);
    // the energy criterion alone (varianceTol null) calls the same run converged
    const energyOnly = dmrg(H, { maxBond: 3, seed: 4, varianceTol: null });
    expect(energyOnly.stop).toBe('converged');
    expect(energyOnly.criteria).toEqual({ energy: true, variance: null });
    // out of sweeps
    const short = dmrg(H, { maxBond: 64, seed: 4, maxSweeps: 1 });
    expect(short.stop).toBe('max-sweeps');
    expect(short.converged).toBe(false);
    expect(short.criteria.energy).toBe(false);
  });
  it('is deterministic for a seed; an initial MPS and the |+⟩ product start reach the same energy', () => {
    const H = modelHamiltonian('xxz', 12, { delta: 0.2, Delta: 0.8 });
    const a = dmrg(H, { maxBond: 16, seed: 9 });
    const b = dmrg(H, { maxBond: 16, seed: 9 });
    expect(b.energy).toBe(a.energy);
    const c = dmrg(H, { maxBond: 16, initial: randomRealMps(12, 5, makeRng('init')) });
    const d = dmrg(modelHamiltonian('tfim', 12, { h: 1.2 }), { maxBond: 16, initial: 'product' });
    const e = dmrg(modelHamiltonian('tfim', 12, { h: 1.2 }), { maxBond: 16, seed: 1 });
    expect(Math.abs(c.energy - a.energy)).toBeLessThan(1e-9);
    expect(Math.abs(d.energy - e.energy)).toBeLessThan(1e-9);
  });
  it.each([
    [{ maxBond: 0 }, /maxBond must be an integer ≥ 1 \(leave maxBond out for no bond cap\), got 0/],
    [{ maxBond: [8, Infinity] }, /maxBond must be an integer ≥ 1 \(leave maxBond out for no bond cap\), got Infinity/],
    [{ varianceTol: -1 }, /varianceTol must be a number ≥ 0, 'auto' or null, got -1/],
    [{ cutoff: [1e-8, 2] }, /cutoff must be a number in \[0, 1\), got 2/],
    [{ noise: -1 }, /noise must be a number ≥ 0, got -1/],
    [{ maxSweeps: 1.5 }, /maxSweeps must be an integer ≥ 1, got 1.5/],
    [{ lanczos: { maxIter: 1 } }, /lanczos.maxIter must be an integer ≥ 2, got 1/],
    [{ sweeps: 3 } as never, /unknown option 'sweeps'/],
  ])('rejects %o', (opts, msg) => {
    expect(() => resolveDmrgOptions(opts)).toThrow(msg);
  });
  it('no bond cap is spelled by leaving maxBond out: the cutoff alone decides (bond 128 at n = 14, cutoff 0)', () => {
    expect(resolveDmrgOptions({}).maxBond).toBe(Infinity);
    const res = dmrg(modelHamiltonian('tfim', 14, { h: 1 }), { cutoff: 0, maxSweeps: 1, initialBond: 128, seed: 1 });
    expect(res.state.maxBond()).toBe(128);
  });
  // default options used to end 'variance-stalled' here: the cutoff 1e-12 leaves a relative
  // variance of a few 1e-12, above the old fixed varianceTol 1e-12 ('auto' is 100·cutoff)
  it.each([
    ['tfim', { h: 1.5 }], ['tfim', { h: 0.5 }], ['tfim', { h: 1 }], ['cluster-ising', { h1: 0.5 }], ['cluster-ising', { h1: 1.5 }],
    ['annni', { kappa: 0.3, h: 1 }], ['xxz', { Delta: 1 }], ['xxz', { delta: 0.3, Delta: 0.5 }],
  ] as const)('default options converge on ordinary points at n = 12: %s %o', (m, p) => {
    const res = dmrg(modelHamiltonian(m, 12, p), { seed: 1 });
    expect(res.stop).toBe('converged');
    expect(res.varianceTol).toBe(1e-10);
    expect(res.relativeVariance).toBeLessThan(1e-10);
    const ed = exactGroundState(12, modelPauliSum(m, 12, p));
    expect(Math.abs(res.energy - ed.e0)).toBeLessThan(1e-9 * Math.abs(ed.e0));
  });
  it('rejects a mismatched or complex initial state', () => {
    const H = modelHamiltonian('tfim', 6, {});
    expect(() => dmrg(H, { initial: Mps.zeros(5) })).toThrow(/initial state has 5 sites, the MPO 6/);
    expect(() => dmrg(H, { initial: Mps.productState(Array.from({ length: 6 }, () => ({ re: [1, 0], im: [0, 1] }))) })).toThrow(/must be real/);
  });
});
