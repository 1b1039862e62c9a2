/**
 * The fused real two-site update (θ, gate, Gram split and S folded in, all in WebAssembly)
 * against the TypeScript path: bit-identical site tensors and truncation records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCircuitInPlace, twoSiteTheta } from '../../mps/apply.js';
import type { Circuit, GateOp } from '../../mps/gates.js';
import { GATES } from '../../mps/gates.js';
import { setKernelBackend, wasmAvailable } from '../../mps/kernels/registry.js';
import { Mps } from '../../mps/mps.js';
import { makeRng } from '../../mps/rng.js';
import { truncatedSplit, twoSiteSplit } from '../../mps/split.js';
import { resolveTruncation } from '../../mps/truncation.js';

const noWasm = process.env.QDISTILL_WASM === '0';

/** Brickwork RY layers with CZ and CX bricks, plus a distant CZ (routed by SWAPs). */
function circuit(n: number, layers: number, seed: string): Circuit {
  const rng = makeRng(seed);
  const ops: GateOp[] = [];
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) ops.push({ name: 'ry', qubits: [q], params: [rng() * 2 * Math.PI] });
    for (let q = 0; q + 1 < n; q += 2) ops.push({ name: l % 2 ? 'cx' : 'cz', qubits: [q, q + 1], params: [] });
    for (let q = 1; q + 1 < n; q += 2) ops.push({ name: 'cz', qubits: [q + 1, q], params: [] });
    ops.push({ name: 'cz', qubits: [0, n - 3], params: [] });
  }
  return { n, ops };
}

function run(backend: 'ts' | 'wasm', c: Circuit, maxBond: number) {
  const prev = setKernelBackend(backend);
  try {
    const psi = Mps.zeros(c.n);
    const report = runCircuitInPlace(psi, c, { maxBond, cutoff: 1e-10 });
    return { psi, report };
  } finally {
    setKernelBackend(prev);
  }
}

describe.skipIf(noWasm)('fused real two-site update (WebAssembly)', () => {
  afterEach(() => { if (wasmAvailable()) setKernelBackend('wasm'); });

  it('a brickwork circuit with CZ, CX and routed gates gives bit-identical sites and reports', () => {
    const c = circuit(12, 8, 'fused');
    const ts = run('ts', c, 24);
    const wa = run('wasm', c, 24);
    // the Gram split ran (bonds reach 24, θ up to 48×48)
    expect(Math.max(...wa.psi.sites.map((s) => s.dr))).toBe(24);
    expect(wa.report).toEqual(ts.report);
    expect(wa.psi.center).toBe(ts.psi.center);
    for (let q = 0; q < c.n; q++) {
      expect(wa.psi.sites[q]!.dl).toBe(ts.psi.sites[q]!.dl);
      expect(wa.psi.sites[q]!.re).toEqual(ts.psi.sites[q]!.re);
    }
  });

  it('a complex circuit (RX·RZ, CZ, CY, RZZ, CP and a routed gate) gives bit-identical sites and reports', () => {
    const n = 12, layers = 8;
    const rng = makeRng('fused-complex');
    const ops: GateOp[] = [];
    for (let l = 0; l < layers; l++) {
      for (let q = 0; q < n; q++) {
        ops.push({ name: 'rx', qubits: [q], params: [rng() * 2 * Math.PI] });
        ops.push({ name: 'rz', qubits: [q], params: [rng() * 2 * Math.PI] });
      }
      for (let q = 0; q + 1 < n; q += 2) ops.push(l % 3 === 0 ? { name: 'rzz', qubits: [q, q + 1], params: [rng()] } : { name: l % 3 === 1 ? 'cy' : 'cz', qubits: [q, q + 1], params: [] });
      for (let q = 1; q + 1 < n; q += 2) ops.push({ name: 'cp', qubits: [q + 1, q], params: [rng()] });
      ops.push({ name: 'cz', qubits: [1, n - 2], params: [] });
    }
    const c = { n, ops };
    const ts = run('ts', c, 24);
    const wa = run('wasm', c, 24);
    expect(Math.max(...wa.psi.sites.map((s) => s.dr))).toBe(24);
    expect(wa.psi.sites.every((s) => s.im !== null)).toBe(true);
    expect(wa.report).toEqual(ts.report);
    for (let q = 0; q < n; q++) {
      expect(wa.psi.sites[q]!.re).toEqual(ts.psi.sites[q]!.re);
      expect(wa.psi.sites[q]!.im).toEqual(ts.psi.sites[q]!.im);
    }
  });

  it('twoSiteSplit (real) equals building θ in TypeScript and calling truncatedSplit, for both sides', () => {
    const rng = makeRng('two-site');
    const dl = 20, c = 24, dr = 18;
    const A = Float64Array.from({ length: dl * 2 * c }, () => rng() - 0.5);
    const B = Float64Array.from({ length: c * 2 * dr }, () => rng() - 0.5);
    const g = GATES['cx']!.matrix([]);
    const opts = resolveTruncation({ maxBond: 20, cutoff: 1e-10 });
    for (const absorb of [1, 2] as const) {
      const f = twoSiteSplit(dl, c, dr, { re: A, im: null }, { re: B, im: null }, g, opts, absorb);
      expect(f.status).toBe('split');
      if (f.status !== 'split') return;
      // reference: θ' = G·(A·B) and truncatedSplit in TypeScript, then S folded in
      setKernelBackend('ts');
      const x = twoSiteTheta({ dl, d: 2, dr: c, re: A, im: null }, { dl: c, d: 2, dr, re: B, im: null }, g, true).ore;
      const ref = truncatedSplit(dl * 2, 2 * dr, x, null, opts);
      setKernelBackend('wasm');
      const k = ref.k;
      expect(f.split.k).toBe(k);
      expect(f.split.S).toEqual(ref.S);
      expect(f.split.discarded).toBe(ref.discarded);
      expect(f.split.rankBefore).toBe(ref.rankBefore);
      expect(f.split.method).toBe('gram');
      const U = ref.Ure.slice(), Vh = ref.Vhre.slice();
      if (absorb === 1) for (let i = 0; i < k; i++) for (let j = 0; j < 2 * dr; j++) Vh[i * 2 * dr + j] = ref.S[i]! * Vh[i * 2 * dr + j]!;
      else for (let i = 0; i < dl * 2; i++) for (let j = 0; j < k; j++) U[i * k + j] = U[i * k + j]! * ref.S[j]!;
      expect(f.split.Ure).toEqual(U);
      expect(f.split.Vhre).toEqual(Vh);
    }
  });

  it('centre moves (QR right, LQ left, one WebAssembly call each; real and complex) are bit-identical to TypeScript', () => {
    const rng = makeRng('shift');
    const n = 12;
    const re = Float64Array.from({ length: 2 ** n }, () => rng() - 0.5);
    const im = Float64Array.from({ length: 2 ** n }, () => rng() - 0.5);
    for (const imag of [null, im]) {
      const sweep = (backend: 'ts' | 'wasm') => {
        const prev = setKernelBackend(backend);
        try {
          const psi = Mps.fromStateVector(re, imag);
          const seen: (Float64Array | null)[][] = [];
          for (const target of [n - 1, 0, 6]) {
            psi.moveCenterInPlace(target);
            seen.push(psi.sites.flatMap((s) => [s.re, s.im]));
          }
          return seen;
        } finally {
          setKernelBackend(prev);
        }
      };
      const ts = sweep('ts');
      const wa = sweep('wasm');
      expect(Math.max(...ts[0]!.map((s) => s?.length ?? 0))).toBeGreaterThanOrEqual(64 * 2 * 32);
      expect(ts[0]!.every((s, j) => j % 2 === 0 || (s === null) === (imag === null))).toBe(true);
      expect(wa).toEqual(ts);
    }
  });

  it('twoSiteSplit (complex) equals building θ in TypeScript and calling truncatedSplit, tall and wide, both sides', () => {
    const rng = makeRng('two-site-c');
    for (const [dl, c, dr] of [[20, 24, 18], [9, 16, 21]] as const) {
      const r = () => Float64Array.from({ length: dl * 2 * c }, () => rng() - 0.5);
      const Ar = r(), Ai = r();
      const Br = Float64Array.from({ length: c * 2 * dr }, () => rng() - 0.5), Bi = Br.map(() => rng() - 0.5);
      const g = GATES['rzz']!.matrix([0.7]);
      const opts = resolveTruncation({ maxBond: 16, cutoff: 1e-10 });
      for (const absorb of [1, 2] as const) {
        const f = twoSiteSplit(dl, c, dr, { re: Ar, im: Ai }, { re: Br, im: Bi }, g, opts, absorb);
        expect(f.status).toBe('split');
        if (f.status !== 'split') return;
        setKernelBackend('ts');
        const { ore: xr, oim: xi } = twoSiteTheta({ dl, d: 2, dr: c, re: Ar, im: Ai }, { dl: c, d: 2, dr, re: Br, im: Bi }, g, false);
        const ref = truncatedSplit(dl * 2, 2 * dr, xr, xi, opts);
        setKernelBackend('wasm');
        const k = ref.k, n = 2 * dr;
        expect(f.split.k).toBe(k);
        expect(f.split.S).toEqual(ref.S);
        expect(f.split.discarded).toBe(ref.discarded);
        const [Ur, Ui, Vr, Vi] = [ref.Ure.slice(), ref.Uim!.slice(), ref.Vhre.slice(), ref.Vhim!.slice()];
        if (absorb === 1) for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) { Vr[i * n + j] = ref.S[i]! * Vr[i * n + j]!; Vi[i * n + j] = ref.S[i]! * Vi[i * n + j]!; }
        else for (let i = 0; i < dl * 2; i++) for (let j = 0; j < k; j++) { Ur[i * k + j] = Ur[i * k + j]! * ref.S[j]!; Ui[i * k + j] = Ui[i * k + j]! * ref.S[j]!; }
        expect([f.split.Ure, f.split.Uim, f.split.Vhre, f.split.Vhim]).toEqual([Ur, Ui, Vr, Vi]);
      }
    }
  });

  it('a NaN amplitude is reported with the sites, as in TypeScript', () => {
    const c = circuit(10, 6, 'nan');
    for (const backend of ['ts', 'wasm'] as const) {
      setKernelBackend(backend);
      const psi = Mps.zeros(c.n);
      runCircuitInPlace(psi, c, { maxBond: 24, cutoff: 1e-10 });
      psi.sites[4]!.re[3] = Number.NaN;
      expect(() => runCircuitInPlace(psi, { n: c.n, ops: [{ name: 'cz', qubits: [4, 5], params: [] }] }, { maxBond: 24, cutoff: 1e-10 }))
        .toThrow(/cz.*\[4, 5\].*non-finite amplitude in the two-site tensor of sites \(4, 5\)/);
    }
  });
});
