/**
 * Symmetry-resolved DMRG against exact diagonalisation in every sector (n = 10–12), with an
 * independent sector projector (exact.ts: (1 ± P)/2 on the amplitudes, or a popcount filter for
 * the magnetisation), plus: the default sector is the true ground state's (its energy equals the
 * lowest over all sectors), the sector survives heavy truncation and noise to rounding, broken
 * states, and the options' errors.
 *
 * Runtime ≈ 15 s on a loaded 2-core VM.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultSector, dmrg, formatSector, modelGroundState, modelHamiltonian, modelPauliSum, parseSector, type ModelName, type Sector,
} from '../../../mps/dmrg/index.js';
import { localExpectations } from '../../../mps/index.js';
import { exactGroundState, sectorProjector, type SectorProjector } from './exact.js';

/** The ED projector of a sector, written from the symmetry's definition (not from the DMRG code). */
function projectorOf(model: ModelName, n: number, s: Sector): SectorProjector[] {
  const all = (1 << n) - 1;
  let even = 0, odd = 0; // masks of qubits 0, 2, 4, … and 1, 3, … (qubit q is bit n−1−q)
  for (let q = 0; q < n; q++) { if (q % 2 === 0) even |= 1 << (n - 1 - q); else odd |= 1 << (n - 1 - q); }
  if ('parity' in s) return model === 'tfim' ? [{ flip: all, sign: s.parity }] : [{ zmask: all, sign: s.parity }];
  if ('parities' in s) return [{ flip: even, sign: s.parities[0] }, { flip: odd, sign: s.parities[1] }];
  return [{ ones: (n - s.magnetization) / 2 }];
}

const DMRG_OPTS = { maxBond: 64, cutoff: 1e-14, energyTol: 1e-12, seed: 5 } as const;

/** [model, n, params, sectors to run (besides the default)]. */
const CASES: [ModelName, number, Record<string, number>, string[]][] = [
  ['tfim', 10, { J: 1, h: 0.5 }, ['even', 'odd']],
  ['tfim', 10, { J: 1, h: 0.9 }, ['even', 'odd']],
  ['tfim', 9, { J: -1, h: -0.7 }, ['even', 'odd']],
  ['tfim', 12, { J: 1, h: 1.3 }, ['even', 'odd']],
  ['annni', 10, { J: 1, kappa: 0.2, h: 0.5 }, ['even', 'odd']],
  ['annni', 10, { J: 1, kappa: 0.7, h: 0.3 }, ['even', 'odd']],
  ['annni', 9, { J: 1, kappa: 0.3, h: -0.6 }, ['even', 'odd']],
  ['cluster-ising', 10, { J: 1, h1: 0.5, h2: 0 }, ['even,even', 'even,odd', 'odd,even', 'odd,odd']],
  ['cluster-ising', 10, { J: 1, h1: 1.5, h2: 0.3 }, ['even,even', 'even,odd', 'odd,even', 'odd,odd']],
  ['cluster-ising', 9, { J: 1, h1: 0.2, h2: -1.3 }, ['even,even', 'even,odd', 'odd,even', 'odd,odd']],
  ['xxz', 10, { J: 1, delta: 0, Delta: 1 }, ['0', '2', '-4', '8']],
  ['xxz', 10, { J: 1, delta: 0.3, Delta: -0.6 }, ['0', '-2', '6']],
  ['xxz', 9, { J: -1, delta: -0.2, Delta: 0.5 }, ['1', '-1', '3']],
  // ferromagnet (Δ < −1): the polarised sector; the sectors in between hold phase-separated
  // states whose two domain-wall positions (related by spin flip or reflection) are
  // quasi-degenerate, a further symmetry the magnetisation does not resolve
  ['xxz', 10, { J: 1, delta: 0.2, Delta: -1.5 }, ['10', '-10']],
];

/** The ED ground energy of every sector of a small chain (the minimum is the true ground energy). */
function allSectorEnergies(model: ModelName, n: number, params: Record<string, number>): number {
  const sum = modelPauliSum(model, n, params);
  const sectors: string[] = model === 'xxz'
    ? Array.from({ length: n + 1 }, (_, k) => String(n - 2 * k))
    : model === 'cluster-ising' ? ['even,even', 'even,odd', 'odd,even', 'odd,odd'] : ['even', 'odd'];
  let best = Infinity;
  for (const t of sectors) {
    const s = parseSector(model, n, t);
    if ('magnetization' in s && Math.abs(s.magnetization) >= n - 0) {
      // the polarised states are product eigenstates: E = Σ_bonds c_zz
      const e = sum.filter((x) => x.factors.every((f) => f.p === 'Z')).reduce((a, x) => a + x.coeff, 0);
      best = Math.min(best, e);
      continue;
    }
    best = Math.min(best, exactGroundState(n, sum, 3, 300, sectorProjector(n, projectorOf(model, n, s))).e0);
  }
  return best;
}

describe('DMRG in a symmetry sector against exact diagonalisation of that sector', () => {
  it.each(CASES)('%s n = %i %o: every listed sector and the default', (model, n, params, sectors) => {
    const sum = modelPauliSum(model, n, params);
    for (const t of sectors) {
      const s = parseSector(model, n, t);
      const res = modelGroundState(model, n, params, { ...DMRG_OPTS, sector: s });
      expect(res.converged).toBe(true);
      expect(res.sector).toEqual(s);
      let e0: number;
      if ('magnetization' in s && Math.abs(s.magnetization) === n) {
        e0 = sum.filter((x) => x.factors.every((f) => f.p === 'Z')).reduce((a, x) => a + x.coeff, 0);
      } else {
        const ed = exactGroundState(n, sum, 3, 300, sectorProjector(n, projectorOf(model, n, s)));
        e0 = ed.e0;
        if (ed.e1 - ed.e0 > 1e-3) {
          const v = res.state.toStateVector().re;
          let ov = 0;
          for (let i = 0; i < v.length; i++) ov += v[i]! * ed.psi[i]!;
          expect(1 - ov * ov).toBeLessThan(1e-8);
        }
      }
      expect(Math.abs(res.energy - e0)).toBeLessThan(1e-9);
      // the state is an eigenstate of the symmetry with the sector's eigenvalue
      const y = res.symmetry;
      if ('parity' in s) expect(Math.abs(y.parity! - s.parity)).toBeLessThan(1e-10);
      if ('parities' in s) { expect(Math.abs(y.parities![0] - s.parities[0])).toBeLessThan(1e-10); expect(Math.abs(y.parities![1] - s.parities[1])).toBeLessThan(1e-10); }
      if ('magnetization' in s) { expect(Math.abs(y.magnetization! - s.magnetization)).toBeLessThan(1e-10); expect(y.magnetizationVariance!).toBeLessThan(1e-10); }
    }
    // the default sector holds the true ground state: its energy is the lowest over all sectors
    const def = modelGroundState(model, n, params, DMRG_OPTS);
    expect(def.converged).toBe(true);
    expect(def.sector).not.toBeNull();
    expect(Math.abs(def.energy - allSectorEnergies(model, n, params))).toBeLessThan(1e-9);
  });
});

describe('the default sector rules', () => {
  it.each([
    ['tfim', 8, { h: 0.5 }, 'even'], ['tfim', 9, { h: -0.5 }, 'odd'], ['tfim', 8, { h: -0.5 }, 'even'], ['tfim', 9, { J: -2, h: 0.5 }, 'even'],
    ['annni', 9, { J: -1, h: 0.5 }, 'odd'], ['annni', 9, { J: -1, h: -0.5 }, 'even'],
    ['xxz', 8, { Delta: 1 }, '0'], ['xxz', 9, { Delta: 1 }, '1'], ['xxz', 8, { Delta: -2 }, '8'], ['xxz', 8, { J: -1, Delta: 2 }, '8'],
  ] as const)('%s n = %i %o → %s', (m, n, p, want) => {
    const s = defaultSector(m, n, p);
    expect(s === null || s === 'lowest' ? s : formatSector(s)).toBe(want);
  });
  it('cluster-ising compares its four sectors; xxz with |δ| > 1 runs without a symmetry', () => {
    expect(defaultSector('cluster-ising', 8, {})).toBe('lowest');
    expect(defaultSector('xxz', 8, { delta: 1.5 })).toBeNull();
    const r = modelGroundState('cluster-ising', 8, { h1: 0.4 }, { maxBond: 16, seed: 1 });
    expect(r.sectorEnergies!.map((x) => x.sector)).toEqual(['even,even', 'even,odd', 'odd,even', 'odd,odd']);
    expect(r.energy).toBe(Math.min(...r.sectorEnergies!.map((x) => x.energy)));
  });
});

describe('the sector survives truncation and noise', () => {
  it.each([
    ['tfim', { h: 0.9 }, { parity: 1 }], ['tfim', { h: 0.9 }, { parity: -1 }],
    ['annni', { kappa: 0.4, h: 0.7 }, { parity: -1 }],
    ['cluster-ising', { h1: 0.7, h2: 0.2 }, { parities: [-1, 1] }],
    ['xxz', { delta: 0.1, Delta: 0.8 }, { magnetization: 4 }],
  ] as [ModelName, Record<string, number>, Sector][])('%s %o in %o at χ ≤ 4 with noise', (model, params, sector) => {
    const res = modelGroundState(model, 32, params, { sector, maxBond: [4], cutoff: 1e-8, noise: [1e-2, 1e-3, 0], maxSweeps: 6, seed: 2 });
    expect(res.report.truncations).toBeGreaterThan(0); // the cap did cut
    expect(res.history[0]!.discardedWeight).toBeGreaterThan(1e-6);
    const y = res.symmetry;
    if ('parity' in sector) expect(Math.abs(y.parity! - sector.parity)).toBeLessThan(1e-10);
    if ('parities' in sector) { expect(Math.abs(y.parities![0] - sector.parities[0])).toBeLessThan(1e-10); expect(Math.abs(y.parities![1] - sector.parities[1])).toBeLessThan(1e-10); }
    if ('magnetization' in sector) { expect(Math.abs(y.magnetization! - sector.magnetization)).toBeLessThan(1e-10); expect(y.magnetizationVariance!).toBeLessThan(1e-10); }
    // every bond index carries one charge: the state's blocks are those the charges allow
    expect(res.bondCharges!.length).toBe(33);
    res.bondCharges!.forEach((q, b) => expect(q.length).toBe(b === 0 || b === 32 ? 1 : res.state.sites[b]!.dl));
  });
});

describe('symmetry-broken states', () => {
  it.each([1, -1] as const)('tfim n = 24, h = 0.8, broken %i: ⟨Z_i⟩ of that sign, energy the mean of the two sectors', (sign) => {
    const r = modelGroundState('tfim', 24, { h: 0.8 }, { broken: sign, maxBond: 32, seed: 1 });
    const z = localExpectations(r.state.clone(), 'Z');
    for (let i = 4; i < 20; i++) expect(sign * z[i]!).toBeGreaterThan(0.7);
    expect(Math.sign(r.orderParameter!)).toBe(sign);
    const [e, o] = r.sectorEnergies!;
    expect(Math.abs(r.energy - (e!.energy + o!.energy) / 2)).toBeLessThan(1e-9);
    expect(Math.abs(r.symmetry.parity!)).toBeLessThan(1e-6);
    expect(r.sector).toBeNull();
  });
  it('annni broken −1: ⟨X_0⟩ < 0', () => {
    const r = modelGroundState('annni', 16, { kappa: 0.2, h: 0.4 }, { broken: -1, maxBond: 16, seed: 1 });
    expect(r.orderParameter!).toBeLessThan(-0.5);
  });
});

describe('errors', () => {
  it.each([
    ['tfim', 'up', /sector must be even or odd for model 'tfim', got 'up'/],
    ['cluster-ising', 'even', /sector must be even,even, even,odd, odd,even or odd,odd .* got 'even'/],
    ['xxz', '3', /integer magnetisation M = Σ Z_i with \|M\| ≤ 8 and M ≡ 0 \(mod 2\) for model 'xxz' at n = 8, got '3'/],
    ['xxz', '10', /\|M\| ≤ 8/],
    ['xxz', 'x', /got 'x'/],
  ] as const)('%s sector %s', (m, t, msg) => expect(() => parseSector(m, 8, t)).toThrow(msg));
  it('broken on a model without a Z2 order parameter, or with a sector, or a sector of another model', () => {
    expect(() => modelGroundState('xxz', 8, {}, { broken: 1 })).toThrow(/broken: model 'xxz' has no Z2 order parameter/);
    expect(() => modelGroundState('tfim', 8, {}, { broken: 1, sector: { parity: 1 } })).toThrow(/broken and sector are exclusive/);
    expect(() => modelGroundState('tfim', 8, {}, { sector: { magnetization: 0 } })).toThrow(/does not belong to model 'tfim'/);
  });
  it('dmrg: a symmetry needs the random start; maxBond Infinity is not a spelling of "no cap"', () => {
    const H = modelHamiltonian('annni', 6, {});
    const symmetry = { group: 'xor' as const, site: Array.from({ length: 6 }, () => [0, 1]), target: 0 };
    expect(() => dmrg(H, { symmetry, initial: 'product' })).toThrow(/with symmetry the initial state must be 'random'/);
    expect(() => dmrg(H, { maxBond: Infinity })).toThrow(/maxBond must be an integer ≥ 1 \(leave maxBond out for no bond cap\), got Infinity/);
    expect(() => dmrg(H, { symmetry: { ...symmetry, site: symmetry.site.slice(1) } })).toThrow(/symmetry.site has 5 sites, the MPO 6/);
    expect(() => dmrg(H, { symmetry: { ...symmetry, group: 'u1', target: 9 } })).toThrow(/charge sector 9 is not reachable on 6 sites/);
  });
});
