/**
 * The ndarray boundary: stride-honouring input, zero-copy views that alias the engine's
 * memory, and each conversion both ways (Mps sites, Mps state vector, state-vector backend),
 * checked against the dense state vector and hand-written index arithmetic.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  EXACT_TRUNCATION, flattenNdArray, localExpectations, localExpectationsNd, Mps, ndView, runCircuit, siteView, siteViews, stateVectorNd,
} from '../../mps/index.js';
import { makeRng } from '../../mps/rng.js';
import { simulateStateVector, StateVectorBackend } from '../../src/backends/statevector.js';
import { randomCircuit } from '../helpers/random-circuit.js';

/** Planes of a dense state, imaginary plane always present. */
type Dense = { re: Float64Array; im: Float64Array };

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function denseDiff(a: Dense, b: Dense): number {
  return Math.max(maxDiff(a.re, b.re), maxDiff(a.im, b.im));
}

/** The state with its qubits permuted: out[(b_perm[0] … b_perm[n−1])] = in[(b_0 … b_{n−1})], by bit arithmetic. */
function permuteQubits(x: Float64Array, n: number, perm: number[]): Float64Array {
  // out axis j is input axis perm[j]
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let j = 0;
    for (let k = 0; k < n; k++) j = 2 * j + ((i >> (n - 1 - perm[k]!)) & 1);
    out[j] = x[i]!;
  }
  return out;
}

/** Dense contraction of site tensors given by element functions (independent of the engine). */
function denseFromTensors(tensors: { dl: number; dr: number; re: (a: number, s: number, b: number) => number; im: (a: number, s: number, b: number) => number }[]): Dense {
  let vre: Float64Array[] = [Float64Array.of(1)], vim: Float64Array[] = [Float64Array.of(0)]; // v[x][a]: prefix x, bond a
  for (const t of tensors) {
    const nre: Float64Array[] = [], nim: Float64Array[] = [];
    for (let x = 0; x < vre.length; x++) {
      for (let s = 0; s < 2; s++) {
        const r = new Float64Array(t.dr), i = new Float64Array(t.dr);
        for (let a = 0; a < t.dl; a++) {
          for (let b = 0; b < t.dr; b++) {
            const ar = t.re(a, s, b), ai = t.im(a, s, b);
            r[b]! += vre[x]![a]! * ar - vim[x]![a]! * ai;
            i[b]! += vre[x]![a]! * ai + vim[x]![a]! * ar;
          }
        }
        nre.push(r); nim.push(i);
      }
    }
    vre = nre; vim = nim;
  }
  return { re: Float64Array.from(vre, (v) => v[0]!), im: Float64Array.from(vim, (v) => v[0]!) };
}

describe('flattenNdArray honours shape, strides and offset', () => {
  it('matches get() in row-major order over random views (fuzz: transposes, steps incl. negative, lo/hi, backing stores)', () => {
    const view = fc.record({
      shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
      seed: fc.integer({ min: 0, max: 1e6 }),
      store: fc.constantFrom('f64', 'f32', 'array'),
    });
    fc.assert(fc.property(view, ({ shape, seed, store }) => {
      const rng = makeRng(seed);
      const size = shape.reduce((a, b) => a * b, 1);
      const buf = Array.from({ length: size }, () => Math.round(rng() * 1000) / 8);
      const data = store === 'f64' ? Float64Array.from(buf) : store === 'f32' ? Float32Array.from(buf) : buf;
      let v = ndarray(data as Float64Array, shape);
      const perm = shape.map((_, j) => j).sort(() => rng() - 0.5);
      v = v.transpose(...perm);
      v = v.step(...v.shape.map(() => (rng() < 0.3 ? -1 : rng() < 0.3 ? 2 : 1)));
      v = v.lo(...v.shape.map((e) => (e > 1 && rng() < 0.3 ? 1 : 0)));
      const flat = flattenNdArray(v, 'x');
      const expected: number[] = [];
      const idx = new Array<number>(v.dimension).fill(0);
      const total = v.shape.reduce((a, b) => a * b, 1);
      for (let k = 0; k < total; k++) {
        expected.push(v.get(...idx));
        for (let j = v.dimension - 1; j >= 0; j--) { if (++idx[j]! < v.shape[j]!) break; idx[j] = 0; }
      }
      expect(Array.from(flat)).toEqual(expected);
    }), { numRuns: 300, seed: 20 });
  });

  it('reads a get/set store', () => {
    const store = { length: 4, get: (i: number) => 10 * i, set: () => {} };
    expect(Array.from(flattenNdArray(ndarray(store, [2, 2]).transpose(1, 0), 'x'))).toEqual([0, 20, 10, 30]);
  });

  it('rejects a non-ndarray with a message naming the argument', () => {
    expect(() => flattenNdArray(new Float64Array(4) as never, 'psi.re')).toThrow(/psi\.re: expected an ndarray .* got a Float64Array/);
    expect(() => ndView(new Float64Array(6), [2, 2])).toThrow(/shape \[2, 2\] has 4 elements, data has 6/);
  });
});

describe('Mps site views: zero-copy, [χL, d, χR]', () => {
  const cases = [{ n: 5, seed: 'a' }, { n: 7, seed: 'b' }, { n: 8, seed: 'c', realOnly: true }];
  it.each(cases)('n=$n seed=$seed: views alias the planes with the documented layout', ({ n, seed, realOnly }) => {
    const psi = runCircuit(Mps.zeros(n), randomCircuit(n, 40, `nd-${seed}`, { realOnly, local: true }), EXACT_TRUNCATION).state;
    const views = siteViews(psi);
    for (let q = 0; q < n; q++) {
      const t = psi.sites[q]!, v = views[q]!;
      expect(v.re.shape).toEqual([t.dl, t.d, t.dr]);
      expect(v.re.data).toBe(t.re); // the same buffer, not a copy
      expect(v.im === null).toBe(t.im === null);
      if (v.im) expect(v.im.data).toBe(t.im);
      for (let a = 0; a < t.dl; a++) for (let s = 0; s < t.d; s++) for (let b = 0; b < t.dr; b++) {
        expect(v.re.get(a, s, b)).toBe(t.re[(a * t.d + s) * t.dr + b]);
      }
    }
  });

  it('a write through the centre view changes the state (dense check)', () => {
    const n = 6;
    const psi = runCircuit(Mps.zeros(n), randomCircuit(n, 40, 'nd-write', { local: true }), EXACT_TRUNCATION).state;
    const before = psi.toStateVector();
    const v = siteView(psi, psi.center);
    const [dl, d, dr] = v.re.shape as [number, number, number];
    for (let a = 0; a < dl; a++) for (let s = 0; s < d; s++) for (let b = 0; b < dr; b++) {
      v.re.set(a, s, b, 3 * v.re.get(a, s, b));
      v.im!.set(a, s, b, 3 * v.im!.get(a, s, b));
    }
    const after = psi.toStateVector();
    expect(maxDiff(after.re, before.re.map((x) => 3 * x))).toBeLessThan(1e-13);
    expect(maxDiff(after.im, before.im.map((x) => 3 * x))).toBeLessThan(1e-13);
    expect(Math.abs(psi.normSquared() - 9)).toBeLessThan(1e-12);
    // one element: (a, s, b) lands at flat index (a·d + s)·dr + b of the site's plane
    v.re.set(dl - 1, 1, dr - 1, 42);
    expect(psi.sites[psi.center]!.re[((dl - 1) * d + 1) * dr + dr - 1]).toBe(42);
  });

  it('rejects an out-of-range site', () => {
    expect(() => siteView(Mps.zeros(3), 3)).toThrow(/site must be an integer in \[0, 2\], got 3/);
  });
});

describe('Mps.fromSites: ndarray site tensors in, canonical MPS out', () => {
  it.each([3, 5, 7])('round trip siteViews → fromSites reproduces the state (n=%i, every centre)', (n) => {
    const psi = runCircuit(Mps.zeros(n), randomCircuit(n, 50, `rt-${n}`, { local: true }), EXACT_TRUNCATION).state;
    const ref = psi.toStateVector();
    for (let c = 0; c < n; c++) {
      const back = Mps.fromSites(siteViews(psi), c);
      expect(back.center).toBe(c);
      expect(denseDiff(back.toStateVector(), ref)).toBeLessThan(1e-12);
      expect(back.canonicalFormError()).toBeLessThan(1e-12);
      expect(back.sites[0]!.re).not.toBe(psi.sites[0]!.re); // input copied
    }
  });

  it.each([{ n: 4, chi: 3, seed: 1 }, { n: 6, chi: 4, seed: 2 }, { n: 5, chi: 2, seed: 3 }])(
    'transposed and stepped non-canonical site views give the displayed tensors (n=$n, χ=$chi)', ({ n, chi, seed }) => {
      const rng = makeRng(`fs-${seed}`);
      const dims = Array.from({ length: n + 1 }, (_, b) => (b === 0 || b === n ? 1 : chi));
      const logical = dims.slice(0, n).map((dl, q) => {
        const dr = dims[q + 1]!;
        const re = Array.from({ length: dl * 2 * dr }, () => rng() - 0.5), im = Array.from({ length: dl * 2 * dr }, () => rng() - 0.5);
        return { dl, dr, re: (a: number, s: number, b: number) => re[(a * 2 + s) * dr + b]!, im: (a: number, s: number, b: number) => im[(a * 2 + s) * dr + b]! };
      });
      // store each tensor as [χR, d, χL] (re) and with every entry doubled-up at stride 2 (im),
      // then view them back as [χL, d, χR]
      const inputs = logical.map((t) => {
        const reMem = new Float64Array(t.dr * 2 * t.dl), imMem = new Float64Array(2 * t.dl * 2 * t.dr);
        for (let a = 0; a < t.dl; a++) for (let s = 0; s < 2; s++) for (let b = 0; b < t.dr; b++) {
          reMem[(b * 2 + s) * t.dl + a] = t.re(a, s, b);
          imMem[2 * ((a * 2 + s) * t.dr + b) + 1] = t.im(a, s, b);
        }
        return {
          re: ndarray(reMem, [t.dr, 2, t.dl]).transpose(2, 1, 0),
          im: ndarray(imMem, [t.dl, 2, t.dr], [4 * t.dr, 2 * t.dr, 2], 1),
        };
      });
      const psi = Mps.fromSites(inputs, 0);
      expect(psi.canonicalFormError()).toBeLessThan(1e-12);
      expect(denseDiff(psi.toStateVector(), denseFromTensors(logical))).toBeLessThan(1e-12);
    });

  it('a real ndarray per site is accepted; an all-zero imaginary plane is dropped', () => {
    const plus = ndarray(Float64Array.of(Math.SQRT1_2, Math.SQRT1_2), [1, 2, 1]);
    const psi = Mps.fromSites([plus, { re: plus, im: ndarray(new Float64Array(2), [1, 2, 1]) }]);
    expect(psi.isReal()).toBe(true);
    expect(Array.from(psi.toStateVector().re).map((x) => x.toFixed(12))).toEqual(Array(4).fill((0.5).toFixed(12)));
  });

  it.each([
    { name: 'two axes', sites: () => [ndarray(new Float64Array(2), [1, 2])], err: /site 0\.re must be an ndarray of shape \[χL, d, χR\], got shape \[1, 2\]/ },
    { name: 'a plain array', sites: () => [[1, 0] as never], err: /site 0\.re must be an ndarray/ },
    { name: 'im shape', sites: () => [{ re: ndarray(new Float64Array(2), [1, 2, 1]), im: ndarray(new Float64Array(2), [1, 1, 2]) }], err: /site 0\.im must be an ndarray of the shape of re, \[1, 2, 1\], got \[1, 1, 2\]/ },
    { name: 'NaN', sites: () => [ndarray(Float64Array.of(1, NaN), [1, 2, 1])], err: /site 0\.re has a non-finite entry NaN at flat index 1/ },
    { name: 'bond mismatch', sites: () => [ndarray(new Float64Array(4), [1, 2, 2]), ndarray(new Float64Array(6), [3, 2, 1])], err: /bond 0: right dim 2 ≠ left dim 3/ },
    { name: 'outer bond', sites: () => [ndarray(new Float64Array(4), [2, 2, 1])], err: /outer bonds of an MPS must have dimension 1/ },
    { name: 'no sites', sites: () => [], err: /needs at least 1 site, got 0/ },
  ])('rejects $name', ({ sites, err }) => {
    expect(() => Mps.fromSites(sites())).toThrow(err);
  });

  it('rejects an out-of-range centre', () => {
    expect(() => Mps.fromSites(siteViews(Mps.zeros(2)), 2)).toThrow(/center must be an integer in \[0, 1\], got 2/);
  });
});

describe('Mps state vector as ndarrays, both ways', () => {
  const cases = Array.from({ length: 8 }, (_, k) => ({ k, n: 2 + (k % 6) }));
  it.each(cases)('case $k (n=$n): stateVectorNd, transposed and stepped views into fromStateVector', ({ k, n }) => {
    const c = randomCircuit(n, 30, `sv-nd-${k}`);
    const psi = runCircuit(Mps.zeros(n), c, EXACT_TRUNCATION).state;
    const ref = simulateStateVector(c).toArrays();
    const nd = stateVectorNd(psi);
    expect(nd.re.shape).toEqual(new Array(n).fill(2));
    expect(denseDiff({ re: nd.re.data, im: nd.im.data }, ref)).toBeLessThan(1e-10);
    // back, unchanged
    expect(denseDiff(Mps.fromStateVector(nd.re, nd.im).toStateVector(), ref)).toBeLessThan(1e-10);
    // back through a random qubit permutation: the state with permuted qubits
    const rng = makeRng(`perm-${k}`);
    const perm = Array.from({ length: n }, (_, j) => j).sort(() => rng() - 0.5);
    const t = Mps.fromStateVector(nd.re.transpose(...perm), nd.im.transpose(...perm)).toStateVector();
    expect(denseDiff(t, { re: permuteQubits(ref.re, n, perm), im: permuteQubits(ref.im, n, perm) })).toBeLessThan(1e-10);
    // interleaved complex storage [re0, im0, re1, im1, …] read with stride 2 and offsets 0 / 1
    const inter = new Float64Array(2 << n);
    for (let i = 0; i < 1 << n; i++) { inter[2 * i] = ref.re[i]!; inter[2 * i + 1] = ref.im[i]!; }
    const s = Mps.fromStateVector(ndarray(inter, [1 << n], [2], 0), ndarray(inter, [1 << n], [2], 1)).toStateVector();
    expect(denseDiff(s, ref)).toBeLessThan(1e-10);
    // a reversed view (negative stride) is the state with index i ↦ 2^n − 1 − i, i.e. every bit flipped
    const r = Mps.fromStateVector(ndarray(ref.re).step(-1), ndarray(ref.im).step(-1)).toStateVector();
    expect(denseDiff(r, { re: ref.re.slice().reverse(), im: ref.im.slice().reverse() })).toBeLessThan(1e-10);
  });

  it('rejects planes of different shapes', () => {
    const re = ndarray(new Float64Array(4), [2, 2]), im = ndarray(new Float64Array(4), [4]);
    expect(() => Mps.fromStateVector(re, im)).toThrow(/im has shape \[4\], re has \[2, 2\]; the planes must have equal shape/);
  });

  it('localExpectationsNd matches localExpectations and the state-vector reference', () => {
    const c = randomCircuit(6, 40, 'loc-nd');
    const psi = runCircuit(Mps.zeros(6), c, EXACT_TRUNCATION).state;
    const sv = simulateStateVector(c);
    for (const p of ['X', 'Y', 'Z'] as const) {
      const e = localExpectationsNd(psi, p);
      expect(e.shape).toEqual([6]);
      expect(Array.from(e.data)).toEqual(Array.from(localExpectations(psi, p)));
      expect(maxDiff(e.data, sv.expectations(p))).toBeLessThan(1e-10);
    }
  });
});

describe('StateVectorBackend amplitudes as ndarrays, both ways', () => {
  it('amplitudesView aliases the live planes: later gates show through, writes change the state', () => {
    const sv = StateVectorBackend.zeros(3);
    const v = sv.amplitudesView();
    expect(v.re.shape).toEqual([2, 2, 2]);
    expect(v.im).toBeNull();
    sv.applyGate({ name: 'x', qubits: [1], params: [] });
    expect(v.re.get(0, 1, 0)).toBe(1); // |010⟩
    expect(v.re.get(0, 0, 0)).toBe(0);
    v.re.set(0, 1, 0, 0);
    v.re.set(1, 0, 1, 1);
    expect(sv.amplitude('101')).toEqual({ re: 1, im: 0 });
    sv.applyGate({ name: 'rz', qubits: [0], params: [0.3] });
    const w = sv.amplitudesView();
    expect(w.im).not.toBeNull();
    expect(w.im!.get(1, 0, 1)).toBeCloseTo(Math.sin(0.15), 15);
  });

  it.each([2, 4, 6])('fromAmplitudes(ndarray) with a qubit permutation (n=%i) against bit arithmetic', (n) => {
    const c = randomCircuit(n, 30, `fa-${n}`);
    const ref = simulateStateVector(c);
    const v = ref.amplitudesView();
    const perm = Array.from({ length: n }, (_, j) => n - 1 - j);
    const back = StateVectorBackend.fromAmplitudes(v.re.transpose(...perm), v.im!.transpose(...perm)).toArrays();
    const a = ref.toArrays();
    expect(denseDiff(back, { re: permuteQubits(a.re, n, perm), im: permuteQubits(a.im, n, perm) })).toBe(0);
    // and the Mps takes the backend's view directly
    expect(denseDiff(Mps.fromStateVector(v.re, v.im).toStateVector(), a)).toBeLessThan(1e-10);
  });
});
