/**
 * The one-qubit gate update has a loop for a real site and a real gate (no imaginary terms)
 * beside the general complex loop. The real loop must give the general loop's real plane to
 * the bit: checked over a table of site shapes and gates, with the general loop run on the
 * same site carrying an all-zero imaginary plane, and against a dense reference
 * A'[a, t, b] = Σ_s G[t, s]·A[a, s, b] computed here independently.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyOneQubitInPlace, gateMatrix, Mps, type SiteTensor } from '../../mps/index.js';
import { gaussian, makeRng } from '../../mps/rng.js';

function site(dl: number, dr: number, seed: string, complex: boolean): SiteTensor {
  const rng = makeRng(seed);
  const re = new Float64Array(dl * 2 * dr).map(() => gaussian(rng));
  return { dl, d: 2, dr, re, im: complex ? new Float64Array(dl * 2 * dr) : null };
}

/** A one-site MPS (shape checks of the constructor do not apply to a lone site). */
function holder(t: SiteTensor): Mps {
  const psi = Mps.zeros(1);
  psi.sites[0] = t;
  return psi;
}

describe('one-qubit gate on a real site: real loop', () => {
  const gates = [
    { name: 'ry', qubits: [0], params: [0.7] },
    { name: 'ry', qubits: [0], params: [-2.9] },
    { name: 'h', qubits: [0], params: [] },
    { name: 'x', qubits: [0], params: [] },
    { name: 'z', qubits: [0], params: [] },
  ];
  const shapes: [number, number][] = [[1, 1], [1, 2], [2, 1], [3, 5], [16, 16], [7, 32]];
  for (const op of gates) {
    it.each(shapes)(`${op.name}(${op.params.join(',')}) on dl = %i, dr = %i: bit-identical to the complex loop, equal to the dense reference`, (dl, dr) => {
      const g = gateMatrix(op);
      expect(g.im).toBeNull();
      const real = holder(site(dl, dr, `s${dl}x${dr}`, false));
      const cplx = holder(site(dl, dr, `s${dl}x${dr}`, true));
      const A = real.sites[0]!.re.slice();
      applyOneQubitInPlace(real, g, 0);
      applyOneQubitInPlace(cplx, g, 0);
      const r = real.sites[0]!, c = cplx.sites[0]!;
      expect(r.im).toBeNull();
      expect(Array.from(r.re)).toEqual(Array.from(c.re));
      for (const x of c.im!) expect(x).toBe(0);
      // dense reference: independent index arithmetic over (a, t, b)
      for (let a = 0; a < dl; a++) for (let t = 0; t < 2; t++) for (let b = 0; b < dr; b++) {
        const want = g.re[t * 2]! * A[(a * 2) * dr + b]! + g.re[t * 2 + 1]! * A[(a * 2 + 1) * dr + b]!;
        expect(r.re[(a * 2 + t) * dr + b]).toBe(want);
      }
    });
  }

  it('random shapes and angles: the real loop equals the complex loop to the bit', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.double({ min: -7, max: 7, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), (dl, dr, theta, seed) => {
      const g = gateMatrix({ name: 'ry', qubits: [0], params: [theta] });
      const real = holder(site(dl, dr, `f${seed}`, false));
      const cplx = holder(site(dl, dr, `f${seed}`, true));
      applyOneQubitInPlace(real, g, 0);
      applyOneQubitInPlace(cplx, g, 0);
      expect(Array.from(real.sites[0]!.re)).toEqual(Array.from(cplx.sites[0]!.re));
    }), { numRuns: 200, seed: 18 });
  });
});
