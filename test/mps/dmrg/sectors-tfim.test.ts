/**
 * The open TFIM on the ordered side near the transition, where the even ground state and the odd
 * state above it are split by only ∼ (h/J)^n and DMRG without a symmetry returns a
 * symmetry-broken mixture: in the even sector DMRG must reach the free-fermion ground energy
 * (Lieb–Schultz–Mattis 1961, Pfeuty 1970) to 1e-10 relative, with ⟨Z_i⟩ = 0 and ⟨P⟩ = +1.
 *
 * Runtime ≈ 20 s on a loaded 2-core VM (six chains of 64 and 128 sites).
 */
import { describe, expect, it } from 'vitest';
import { modelGroundState } from '../../../mps/dmrg/index.js';
import { localExpectations } from '../../../mps/index.js';
import { tfimFreeFermionEnergy } from './exact.js';

const POINTS: [number, number][] = [64, 128].flatMap((n) => [0.8, 0.9, 0.95].map((h) => [n, h] as [number, number]));

describe('ordered TFIM near the transition, even sector, against free fermions', () => {
  it.each(POINTS)('n = %i, h/J = %s, χ ≤ 64: |ΔE/E| ≤ 1e-10, |⟨Z_i⟩| ≤ 1e-8, ⟨P⟩ = +1', (n, h) => {
    const exact = tfimFreeFermionEnergy(n, 1, h);
    const r = modelGroundState('tfim', n, { J: 1, h }, { maxBond: 64, seed: n });
    expect(r.sector).toEqual({ parity: 1 });
    expect(r.converged).toBe(true);
    expect(r.stop).toBe('converged');
    expect(Math.abs(r.energy - exact) / Math.abs(exact)).toBeLessThanOrEqual(1e-10);
    const z = localExpectations(r.state.clone(), 'Z');
    for (const v of z) expect(Math.abs(v)).toBeLessThanOrEqual(1e-8);
    expect(Math.abs(r.symmetry.parity! - 1)).toBeLessThanOrEqual(1e-10);
    expect(r.report.bondReached).toBeLessThanOrEqual(64);
  });
});
