import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectPauliString, localExpectations } from '../../mps/index.js';
import { gridPoints, phaseDataset, phaseLabel, phaseSplitCounts } from '../../src/data/phases.js';

describe('phase labels', () => {
  it.each([
    ['tfim', { J: 1, h: 0.5 }, 0], ['tfim', { J: 1, h: 1.5 }, 1], ['tfim', { J: -2, h: 1.5 }, 0],
    ['cluster-ising', { J: 1, h1: 0.3, h2: 0 }, 0], ['cluster-ising', { J: 1, h1: 1.3, h2: 0 }, 1],
  ] as const)('%s %o → %i', (m, p, l) => expect(phaseLabel(m, p)).toBe(l));
  it('rejects cluster-ising points off the exact line and unknown parameters', () => {
    expect(() => phaseLabel('cluster-ising', { J: 1, h1: 0.5, h2: 0.2 })).toThrow(/h2 = 0/);
    expect(() => gridPoints('tfim', { kappa: [1] })).toThrow(/grid.kappa: model 'tfim' has no parameter 'kappa'/);
  });
});

describe('phase datasets', () => {
  it('computes, caches and reloads DMRG ground states; the physics matches the labels', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'qdistill-gs-'));
    const opts = { model: 'tfim' as const, n: 16, grid: { J: [1], h: [0.2, 0.4, 1.6, 2.0] }, split: { val: 0, test: 0.5 }, seed: 3, cacheDir };
    const a = await phaseDataset(opts);
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('groundstate-')).length).toBe(4);
    const b = await phaseDataset(opts); // from the cache
    expect(Array.from(b.train.y)).toEqual(Array.from(a.train.y));
    const all = [...a.train.x, ...a.test.x];
    const labels = [...a.train.y, ...a.test.y];
    all.forEach((psi, i) => {
      if (!('sites' in psi)) throw new Error('expected an MPS');
      const x = localExpectations(psi.clone(), 'X')[8]!;
      const zz = expectPauliString(psi.clone(), { coeff: 1, factors: [{ q: 4, p: 'Z' }, { q: 11, p: 'Z' }] });
      // ferromagnet: long-range ZZ order and small ⟨X⟩; paramagnet: the reverse
      if (labels[i] === 0) { expect(zz).toBeGreaterThan(0.8); expect(x).toBeLessThan(0.3); }
      else { expect(zz).toBeLessThan(0.2); expect(x).toBeGreaterThan(0.7); }
    });
    expect(a.provenance).toMatchObject({ source: 'dmrg:tfim', seed: 3 });
  });
  it('uses the symmetric (even-parity) ground states on the ordered side near the transition, reproducibly', async () => {
    // at n = 32, h = 0.8 DMRG without the sector returned ⟨Z_i⟩ ≈ ±0.45 (a broken state)
    const opts = { model: 'tfim' as const, n: 32, grid: { J: [1], h: [0.8, 0.9] }, split: { val: 0, test: 0 }, seed: 1 };
    const a = await phaseDataset(opts);
    const b = await phaseDataset(opts); // no cache: recomputed from the same seeded starts
    a.train.x.forEach((psi, i) => {
      if (!('sites' in psi)) throw new Error('expected an MPS');
      const z = localExpectations(psi.clone(), 'Z');
      for (const v of z) expect(Math.abs(v)).toBeLessThan(1e-8); // not a broken state of either sign
      const parity = expectPauliString(psi.clone(), { coeff: 1, factors: Array.from({ length: 32 }, (_, q) => ({ q, p: 'X' as const })) });
      expect(Math.abs(parity - 1)).toBeLessThan(1e-10);
      const other = b.train.x[i]!;
      if (!('sites' in other)) throw new Error('expected an MPS');
      expect(other.sites.map((t) => Array.from(t.re))).toEqual(psi.sites.map((t) => Array.from(t.re)));
    });
  });
  it('a transfer window moves the points near the transition to an unlabelled transfer split', async () => {
    const h = [0.5, 0.7, 0.9, 0.95, 1.0, 1.1, 1.3, 1.5];
    const a = await phaseDataset({ model: 'tfim', n: 6, grid: { J: [1, 2], h }, split: { val: 0, test: 0.25 }, seed: 2, transfer: { window: 0.15 } });
    const ratio = (p: Record<string, number>) => Math.abs(p['h']! / p['J']!);
    // J = 1: 0.9, 0.95, 1.0, 1.1 are within 0.15 of 1; J = 2: none (ratios 0.25 … 0.75)
    expect(a.points.transfer.map((p) => ratio(p.params)).sort()).toEqual([0.9, 0.95, 1.0, 1.1]);
    for (const k of ['train', 'val', 'test'] as const) for (const p of a.points[k]) expect(Math.abs(ratio(p.params) - 1)).toBeGreaterThan(0.15);
    expect(a.points.train.length + a.points.val.length + a.points.test.length + a.points.transfer.length).toBe(16);
    expect(Array.from(a.transfer!.y)).toEqual(a.points.transfer.map((p) => p.label));
    expect(a.provenance.details['transfer']).toEqual({ window: 0.15 });
    // phaseSplitCounts gives the same split sizes from the grid alone
    const counts = phaseSplitCounts('tfim', { J: [1, 2], h }, { val: 0, test: 0.25 }, 0.15);
    expect([counts.train, counts.val, counts.test, counts.transfer]).toEqual([a.points.train.length, a.points.val.length, a.points.test.length, 4]);
    const none = await phaseDataset({ model: 'tfim', n: 6, grid: { J: [1], h: [0.5, 1.5] }, split: { val: 0, test: 0 }, seed: 2 });
    expect(none.transfer).toBeUndefined();
    expect(none.points.transfer).toEqual([]);
  });
  it.each([
    // h/J (J = 1 and 2 for each h): by hand, per phase (ordered h/J < 1, label 0) round(val·k), round(test·k), the rest train
    [{ J: [1], h: [0.5, 0.7, 0.9, 1.1, 1.3, 1.5] }, { val: 0, test: 0 }, undefined, [6, 0, 0, 0]],
    [{ J: [1], h: [0.5, 0.7, 0.9, 1.1, 1.3, 1.5] }, { val: 0.2, test: 0.3 }, undefined, [2, 2, 2, 0]],
    [{ J: [1], h: [0.5, 0.7, 0.9, 1.1, 1.3, 1.5] }, { val: 0, test: 0 }, 0.15, [4, 0, 0, 2]],
    [{ J: [1], h: [0.5, 0.7, 0.9, 1.1, 1.3, 1.5] }, { val: 0, test: 0 }, 0.05, [6, 0, 0, 0]],
    [{ J: [1, 2], h: [0.5, 1.0, 2.0, 3.0] }, { val: 0.25, test: 0.25 }, 0, [2, 2, 2, 2]],
  ])('phaseSplitCounts(%j, %j, window %s) = [train, val, test, transfer] %j', (grid, split, w, want) => {
    const c = phaseSplitCounts('tfim', grid, split, w);
    expect([c.train, c.val, c.test, c.transfer]).toEqual(want);
  });
  it.each([[-0.1, /data\.transfer\.window: expected a finite number ≥ 0 .* got -0\.1/], [NaN, /got NaN/], [0.9, /0\.9 leaves no labelled point outside/], [0.6, /0\.6 leaves labelled points of one phase only/]])('refuses transfer window %s', async (w, re) => {
    await expect(phaseDataset({ model: 'tfim', n: 6, grid: { J: [1], h: [0.5, 1.5, 1.8] }, split: { val: 0, test: 0 }, seed: 2, transfer: { window: w } })).rejects.toThrow(re);
  });
});
