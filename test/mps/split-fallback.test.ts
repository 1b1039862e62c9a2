/**
 * The fallbacks of truncatedSplit: the issue's θ end to end, and the escalation ladder with
 * kernels made to fail (the kernel module is wrapped so that a test can corrupt one method's
 * output; everything else runs the real code).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Mps } from '../../mps/mps.js';
import { runCircuitInPlace } from '../../mps/apply.js';
import { localExpectations } from '../../mps/measure.js';
import { JACOBI_SETTINGS } from '../../mps/kernels/svd.js';
import { truncatedSplit } from '../../mps/split.js';
import { DEFAULT_TRUNCATION, EXACT_TRUNCATION, type TruncationOptions } from '../../mps/truncation.js';
import type { Circuit } from '../../mps/gates.js';

/** Which kernel outputs the wrapped module corrupts (halves every singular value). */
const fault = { gram: false, jacobi: false };

vi.mock('../../mps/kernels/index.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../mps/kernels/index.js')>();
  const halve = <T extends { S: Float64Array }>(r: T, on: boolean): T => (on ? { ...r, S: r.S.map((x) => x / 2) } : r);
  return {
    ...orig,
    svdReal: (...a: Parameters<typeof orig.svdReal>) => halve(orig.svdReal(...a), fault.jacobi),
    svdComplex: (...a: Parameters<typeof orig.svdComplex>) => halve(orig.svdComplex(...a), fault.jacobi),
    svdGramTruncReal: (...a: Parameters<typeof orig.svdGramTruncReal>) => halve(orig.svdGramTruncReal(...a), fault.gram),
    svdGramTruncComplex: (...a: Parameters<typeof orig.svdGramTruncComplex>) => halve(orig.svdGramTruncComplex(...a), fault.gram),
  };
});

afterEach(() => { fault.gram = false; fault.jacobi = false; });

const ISSUE_RE = [8.515919680022415e-109, 4.963649304925175e-124, -0.8763198202391016, -6.147775203823396e-16];
const ISSUE_IM = [0, -1.8384824243994939e-124, -0.4817297714046178, -9.159774711845681e-17];
/** ‖θ‖ of the issue's θ; its second singular value is ~4e-140, so s_1 = ‖θ‖ to 1e-16. */
const NORM = Math.sqrt(ISSUE_RE.reduce((a, x) => a + x * x, 0) + ISSUE_IM.reduce((a, x) => a + x * x, 0));

describe('the θ of the issue (20-qubit reversible benchmark)', () => {
  it.each([['cutoff 1e-10', DEFAULT_TRUNCATION], ['exact', EXACT_TRUNCATION]] as const)('truncatedSplit keeps s = ‖θ‖ ≈ 1.0 (%s)', (_n, opts) => {
    const sp = truncatedSplit(2, 2, Float64Array.from(ISSUE_RE), Float64Array.from(ISSUE_IM), opts);
    expect(sp.method).toBe('jacobi');
    expect(sp.k).toBe(1);
    expect(Math.abs(sp.S[0]! - NORM)).toBeLessThan(4e-16);
    expect(Math.abs(sp.S[0]! - 1)).toBeLessThan(1e-12);
  });

  it('end to end: the state through two-site gates keeps its amplitudes, ⟨Z⟩ and norm', () => {
    // |ψ⟩ with amplitudes θ[b0, b1]; CZ·CZ = I, so each gate splits exactly this θ again
    const psi = Mps.fromStateVector(Float64Array.from(ISSUE_RE), Float64Array.from(ISSUE_IM), DEFAULT_TRUNCATION);
    const circuit: Circuit = { n: 2, ops: [{ name: 'cz', qubits: [0, 1], params: [] }, { name: 'cz', qubits: [0, 1], params: [] }, { name: 'swap', qubits: [0, 1], params: [] }, { name: 'swap', qubits: [0, 1], params: [] }] };
    const report = runCircuitInPlace(psi, circuit, DEFAULT_TRUNCATION);
    expect(report.normDriftExceeded).toBe(false);
    expect(report.discardedWeight).toBeLessThan(1e-200);
    expect(Math.abs(psi.norm() - NORM)).toBeLessThan(1e-15);
    const sv = psi.toStateVector();
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(sv.re[i]! - ISSUE_RE[i]!)).toBeLessThan(1e-15);
      expect(Math.abs(sv.im[i]! - ISSUE_IM[i]!)).toBeLessThan(1e-15);
    }
    // the old failure kept 8.5e-109 (|00⟩) and gave ⟨Z_0⟩ = +1; the state is |1⟩⊗… to 1e-16
    const z = localExpectations(psi, 'Z');
    expect(z[0]).toBeCloseTo(-1, 14);
    expect(z[1]).toBeCloseTo(1, 14);
  });
});

/** A rank-12 20×24 complex θ (min(m, n) ≥ 16, so cutoff 1e-10 starts with Gram). */
function theta(): { re: Float64Array; im: Float64Array } {
  const m = 20, n = 24;
  const re = new Float64Array(m * n), im = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    re[i * n + j] = Math.sin(1 + i * 0.7 + j * 0.3) * Math.cos(j * 1.1 - i * 0.2) + (i % 12 === j % 12 ? 0.5 : 0);
    im[i * n + j] = Math.cos(2 + i * 0.4 - j * 0.9) * 0.3;
  }
  return { re, im };
}

describe('the escalation ladder of truncatedSplit', () => {
  const CUT: TruncationOptions = { maxBond: Infinity, cutoff: 1e-10, minBond: 1 };
  const { re, im } = theta();
  const good = truncatedSplit(20, 24, re, im, EXACT_TRUNCATION);

  it('a Gram result that breaks Σs² = ‖θ‖² goes to Jacobi (gram→jacobi) with the right values', () => {
    fault.gram = true;
    const sp = truncatedSplit(20, 24, re, im, CUT);
    expect(sp.method).toBe('gram→jacobi');
    expect(sp.converged).toBe(false);
    for (let q = 0; q < sp.k; q++) expect(Math.abs(sp.S[q]! - good.S[q]!)).toBeLessThan(1e-13);
  });

  it('a Jacobi result that breaks the identity goes to Gram, whose result is checked (jacobi→gram)', () => {
    fault.jacobi = true;
    const sp = truncatedSplit(20, 24, re, im, EXACT_TRUNCATION);
    expect(sp.method).toBe('jacobi→gram');
    for (let q = 0; q < 10; q++) expect(Math.abs(sp.S[q]! - good.S[q]!) / good.S[0]!).toBeLessThan(1e-9);
  });

  it('an unconverged Jacobi and a broken Gram end in the rescue Jacobi with a raised sweep limit', () => {
    fault.gram = true;
    const saved = JACOBI_SETTINGS.maxSweeps;
    JACOBI_SETTINGS.maxSweeps = 1; // not enough for this θ; the rescue gets 240 sweeps
    try {
      const sp = truncatedSplit(20, 24, re, im, EXACT_TRUNCATION);
      expect(sp.method).toBe('jacobi→gram→jacobi*');
      for (let q = 0; q < sp.k; q++) expect(Math.abs(sp.S[q]! - good.S[q]!)).toBeLessThan(1e-13);
    } finally {
      JACOBI_SETTINGS.maxSweeps = saved;
    }
  });

  it('when every method fails, the error names the matrix and each failure; a gate adds its name and sites', () => {
    const psi = Mps.fromStateVector(Float64Array.from({ length: 8 }, (_, i) => Math.cos(i + 1)), null, EXACT_TRUNCATION);
    fault.gram = true;
    fault.jacobi = true;
    expect(() => truncatedSplit(20, 24, re, im, CUT)).toThrow(/SVD of a 20×24 complex matrix failed every method \(gram: Σ s² = .* but ‖θ‖² = .*; jacobi: .*; jacobi\*: .*\)/);
    const circuit: Circuit = { n: 3, ops: [{ name: 'ry', qubits: [1], params: [0.3] }, { name: 'cx', qubits: [1, 2], params: [] }] };
    expect(() => runCircuitInPlace(psi, circuit, EXACT_TRUNCATION)).toThrow(/^gate 'cx' on qubits \[1, 2\]: two-site tensor of sites \(1, 2\): the SVD of a 4×2 real matrix failed every method/);
  });

  it.skipIf(process.env.QDISTILL_WASM === '0')('a fused two-site result that fails the check is redone by truncatedSplit (both backends agree)', async () => {
    const { setKernelBackend, kernelBackend } = await import('../../mps/kernels/registry.js');
    const saved = kernelBackend();
    const circuit: Circuit = { n: 12, ops: [] };
    for (let l = 0; l < 6; l++) {
      for (let q = 0; q < 12; q++) circuit.ops.push({ name: 'ry', qubits: [q], params: [0.3 + 0.1 * q + l] });
      for (let q = l % 2; q + 1 < 12; q += 2) circuit.ops.push({ name: 'cz', qubits: [q, q + 1], params: [] });
    }
    const run = (backend: 'ts' | 'wasm') => {
      setKernelBackend(backend);
      const psi = Mps.zeros(12);
      const report = runCircuitInPlace(psi, circuit, { cutoff: 1e-10 });
      return { sv: psi.toStateVector().re, report };
    };
    try {
      const clean = run('wasm');
      fault.gram = true; // the fused path calls WebAssembly directly; its checked result is the real one
      const ts = run('ts');
      const wasm = run('wasm');
      fault.gram = false;
      // with Gram broken in TypeScript every big split escalates; the state is still right
      expect(ts.report.splitMethods['gram→jacobi'] ?? 0).toBeGreaterThan(0);
      expect(ts.report.normDriftExceeded).toBe(false);
      for (let i = 0; i < clean.sv.length; i++) expect(Math.abs(ts.sv[i]! - clean.sv[i]!)).toBeLessThan(1e-12);
      for (let i = 0; i < clean.sv.length; i++) expect(Math.abs(wasm.sv[i]! - clean.sv[i]!)).toBeLessThan(1e-12);
    } finally {
      setKernelBackend(saved);
    }
  });
});

describe('centre moves and two-site gates on states of norm 1e-300 and 1e300', () => {
  it('give the amplitudes of the unit-scale run times the scale; the alarm fires where ‖ψ‖² is not representable', async () => {
    const { brickworkCircuit } = await import('../../src/circuit/brickwork.js');
    const n = 10;
    const circuit = brickworkCircuit(n, 4, 7, 'rxrz');
    const run = (s: number) => {
      const re = Float64Array.from({ length: 1 << n }, (_, i) => Math.sin(i * 1.3 + 0.2));
      const im = Float64Array.from({ length: 1 << n }, (_, i) => Math.cos(i * 0.7));
      // a state vector whose ‖ψ‖² is not representable is refused when it is built, so the
      // scale is applied to the built MPS (the engine must still handle such states)
      const psi = Mps.fromStateVector(re, im, { maxBond: Infinity, cutoff: 1e-12, minBond: 1 }).scaleInPlace(s);
      const report = runCircuitInPlace(psi, circuit, { cutoff: 1e-12 });
      psi.moveCenterInPlace(0);
      psi.moveCenterInPlace(n - 1);
      return { sv: psi.toStateVector(), report };
    };
    const unit = run(1);
    expect(unit.report.normDriftExceeded).toBe(false);
    let big = 0;
    for (let i = 0; i < 1 << n; i++) big = Math.max(big, Math.abs(unit.sv.re[i]!), Math.abs(unit.sv.im[i]!));
    for (const s of [1e-300, 1e300]) {
      const r = run(s);
      expect(r.report.splitMethods).toEqual(unit.report.splitMethods);
      for (let i = 0; i < 1 << n; i++) {
        expect(Math.abs(r.sv.re[i]! / s - unit.sv.re[i]!)).toBeLessThan(1e-12 * big);
        expect(Math.abs(r.sv.im[i]! / s - unit.sv.im[i]!)).toBeLessThan(1e-12 * big);
      }
      // ‖ψ‖² under- or overflows, so the norm cannot be checked: the alarm says so
      expect(r.report.normDriftExceeded).toBe(true);
    }
  });
});
