/**
 * Badly scaled θ through every split path: the Jacobi kernels, truncatedSplit with the Jacobi
 * (cutoff 0) and Gram (cutoff 1e-10, min(m, n) ≥ 16) methods, and the fused WebAssembly two-site
 * pipeline, each checked against the reconstruction (relative to ‖θ‖) and against the singular
 * values of an independent reference (ml-matrix's SVD; for complex θ the real embedding
 * [[Re, −Im], [Im, Re]], whose singular values are those of θ, each twice). Entries span
 * 1e-300 … 1e300; rows are graded, rank-deficient, exactly zero; the matrix of the 20-qubit
 * benchmark failure is one row of the table.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRng, gaussian, type Rng } from '../../mps/rng.js';
import { GRAM_MIN_SIZE, truncatedSplit, twoSiteSplit } from '../../mps/split.js';
import { svdComplex, svdReal } from '../../mps/kernels/svd.js';
import { kernelBackend, setKernelBackend, wasmAvailable } from '../../mps/kernels/registry.js';
import type { TruncationOptions } from '../../mps/truncation.js';

interface Case { name: string; m: number; n: number; re: Float64Array; im: Float64Array | null }

/** The θ of the issue (a 20-qubit reversible benchmark circuit): entries from 1e-124 to 1. */
const ISSUE_RE = [8.515919680022415e-109, 4.963649304925175e-124, -0.8763198202391016, -6.147775203823396e-16];
const ISSUE_IM = [0, -1.8384824243994939e-124, -0.4817297714046178, -9.159774711845681e-17];

function randn(rng: Rng, len: number): Float64Array {
  return Float64Array.from({ length: len }, () => gaussian(rng));
}

/** A product of m×r and r×n Gaussian factors (rank r), complex when asked. */
function lowRank(rng: Rng, m: number, n: number, r: number, complex: boolean): { re: Float64Array; im: Float64Array | null } {
  const ar = randn(rng, m * r), ai = complex ? randn(rng, m * r) : null;
  const br = randn(rng, r * n), bi = complex ? randn(rng, r * n) : null;
  const re = new Float64Array(m * n), im = complex ? new Float64Array(m * n) : null;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let k = 0; k < r; k++) {
    const xr = ar[i * r + k]!, xi = ai ? ai[i * r + k]! : 0, yr = br[k * n + j]!, yi = bi ? bi[k * n + j]! : 0;
    re[i * n + j] += xr * yr - xi * yi;
    if (im) im[i * n + j] += xr * yi + xi * yr;
  }
  return { re, im };
}

/** The table: every shape × kind × scale. */
function cases(): Case[] {
  const out: Case[] = [{ name: 'issue θ (complex 2×2, entries 1e-124..1)', m: 2, n: 2, re: Float64Array.from(ISSUE_RE), im: Float64Array.from(ISSUE_IM) }];
  for (const s of [1e-290, 1e290]) {
    out.push({ name: `issue θ × ${s}`, m: 2, n: 2, re: Float64Array.from(ISSUE_RE, (x) => x * s), im: Float64Array.from(ISSUE_IM, (x) => x * s) });
  }
  const shapes: [number, number][] = [[2, 2], [3, 5], [7, 4], [15, 20], [16, 16], [16, 40], [40, 16], [20, 17]];
  const scales = [1e-300, 1e-150, 1, 1e150, 1e300];
  let seed = 0;
  for (const [m, n] of shapes) {
    for (const complex of [false, true]) {
      for (const scale of scales) {
        const rng = makeRng(`split-scaling-${seed++}`);
        const r = Math.min(m, n);
        // graded rows: row i scaled by 10^(−120·i/(m−1)) around `scale`
        const g = lowRank(rng, m, n, r, complex);
        for (let i = 0; i < m; i++) {
          const f = scale * 10 ** (-120 * i / Math.max(m - 1, 1));
          for (let j = 0; j < n; j++) { g.re[i * n + j]! *= f; if (g.im) g.im[i * n + j]! *= f; }
        }
        out.push({ name: `graded rows ${m}×${n} ${complex ? 'complex' : 'real'} × ${scale}`, m, n, ...g });
        // rank-deficient with exactly zero rows and columns
        const d = lowRank(rng, m, n, Math.max(1, Math.floor(r / 3)), complex);
        for (let i = 0; i < m; i += 3) for (let j = 0; j < n; j++) { d.re[i * n + j] = 0; if (d.im) d.im[i * n + j] = 0; }
        for (let j = 1; j < n; j += 4) for (let i = 0; i < m; i++) { d.re[i * n + j] = 0; if (d.im) d.im[i * n + j] = 0; }
        for (let i = 0; i < m * n; i++) { d.re[i]! *= scale; if (d.im) d.im[i]! *= scale; }
        out.push({ name: `rank-deficient, zero rows/cols ${m}×${n} ${complex ? 'complex' : 'real'} × ${scale}`, m, n, ...d });
        // entries from 1e-300 to 1e300 in one matrix (the tiny ones are negligible against the largest)
        const w = lowRank(rng, m, n, r, complex);
        for (let i = 0; i < m * n; i++) {
          const f = 10 ** (-300 + 600 * rng());
          w.re[i]! *= f; if (w.im) w.im[i]! *= f;
        }
        out.push({ name: `entries 1e-300..1e300 ${m}×${n} ${complex ? 'complex' : 'real'} (${scale})`, m, n, ...w });
      }
    }
  }
  out.push({ name: 'zero 4×6 complex', m: 4, n: 6, re: new Float64Array(24), im: new Float64Array(24) });
  out.push({ name: 'zero 16×18 real', m: 16, n: 18, re: new Float64Array(16 * 18), im: null });
  const sub = new Float64Array(6); sub[1] = 5e-324; sub[4] = -1e-320;
  out.push({ name: 'subnormal 2×3 real', m: 2, n: 3, re: sub, im: null });
  return out;
}

/** 2^e with e the exponent of the largest entry (exact scaling for the reference and the norms). */
function exponentOf(re: Float64Array, im: Float64Array | null): number {
  let big = 0;
  for (const x of re) big = Math.max(big, Math.abs(x));
  if (im) for (const x of im) big = Math.max(big, Math.abs(x));
  return big > 0 ? Math.floor(Math.log2(big)) : 0;
}

/** x·2^−e exactly (in steps). */
function down(x: number, e: number): number {
  let v = x, k = -e;
  while (k > 1000) { v *= 2 ** 1000; k -= 1000; }
  while (k < -1000) { v *= 2 ** -1000; k += 1000; }
  return v * 2 ** k;
}

/** Reference singular values of θ·2^−e (descending, min(m, n)), by ml-matrix. */
function referenceS(c: Case, e: number): number[] {
  const { m, n } = c;
  const at = (i: number, j: number, plane: Float64Array | null) => (plane ? down(plane[i * n + j]!, e) : 0);
  if (c.im === null) {
    const M = Matrix.zeros(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) M.set(i, j, at(i, j, c.re));
    return new SingularValueDecomposition(M, { autoTranspose: true }).diagonal.slice(0, Math.min(m, n));
  }
  const M = Matrix.zeros(2 * m, 2 * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    const a = at(i, j, c.re), b = at(i, j, c.im);
    M.set(i, j, a); M.set(i, n + j, -b); M.set(m + i, j, b); M.set(m + i, n + j, a);
  }
  const d = new SingularValueDecomposition(M, { autoTranspose: true }).diagonal;
  return Array.from({ length: Math.min(m, n) }, (_, i) => d[2 * i]!);
}

/**
 * ‖θ − U·diag(S)·Vh‖_F / ‖θ‖_F and max_i |S_i − ref_i| / ref_0, all in units of 2^e (so that no
 * square over- or underflows). U is m×k, Vh k×n, split planes.
 */
function check(c: Case, e: number, k: number, Ure: Float64Array, Uim: Float64Array | null, S: Float64Array, Vhre: Float64Array, Vhim: Float64Array | null, ref: number[]): { rec: number; sv: number } {
  const { m, n } = c;
  let num = 0, den = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let ar = 0, ai = 0;
    for (let q = 0; q < k; q++) {
      const s = down(S[q]!, e);
      const ur = Ure[i * k + q]!, ui = Uim ? Uim[i * k + q]! : 0, vr = Vhre[q * n + j]!, vi = Vhim ? Vhim[q * n + j]! : 0;
      ar += s * (ur * vr - ui * vi);
      ai += s * (ur * vi + ui * vr);
    }
    const tr = down(c.re[i * n + j]!, e), ti = c.im ? down(c.im[i * n + j]!, e) : 0;
    num += (tr - ar) ** 2 + (ti - ai) ** 2;
    den += tr * tr + ti * ti;
  }
  let sv = 0;
  const s0 = ref[0]! || 1;
  for (let q = 0; q < ref.length; q++) sv = Math.max(sv, Math.abs((q < k ? down(S[q]!, e) : 0) - ref[q]!) / s0);
  return { rec: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num), sv };
}

const TABLE = cases();
const EXACT: TruncationOptions = { maxBond: Infinity, cutoff: 0, minBond: 1 };
const CUT: TruncationOptions = { maxBond: Infinity, cutoff: 1e-10, minBond: 1 };
const saved = kernelBackend();
const escalations: string[] = [];
afterAll(() => { setKernelBackend(saved); });

describe('every split path on badly scaled θ (reconstruction and reference singular values)', () => {
  it('the table covers the issue matrix, 1e±300 entries, zero rows and both sides of the Gram size switch', () => {
    expect(TABLE.length).toBeGreaterThan(200);
    expect(TABLE.some((c) => Math.min(c.m, c.n) < GRAM_MIN_SIZE)).toBe(true);
    expect(TABLE.some((c) => Math.min(c.m, c.n) >= GRAM_MIN_SIZE)).toBe(true);
  });

  it.each(TABLE.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { m, n } = c;
    const r = Math.min(m, n);
    const e = exponentOf(c.re, c.im);
    const ref = referenceS(c, e);
    // 1. the Jacobi kernel: converged, full factorisation
    const j = c.im === null ? svdReal(m, n, c.re) : svdComplex(m, n, c.re, c.im);
    expect(j.converged).toBe(true);
    const [Ur, Ui, Vr, Vi] = 'U' in j ? [j.U, null, j.Vh, null] : [j.Ure, j.Uim, j.Vhre, j.Vhim];
    // values at the bottom of the subnormal range carry one ulp of 2^−1074 (relative to s_max)
    const ulp = down(Number.MIN_VALUE, e) / (ref[0]! || 1);
    const kj = check(c, e, r, Ur, Ui, j.S, Vr, Vi, ref);
    expect(kj.rec).toBeLessThan(1e-14 + 4 * r * ulp);
    expect(kj.sv).toBeLessThan(1e-14 + 4 * ulp);
    // 2. truncatedSplit, exact (Jacobi) and cutoff 1e-10 (Gram from min(m, n) = 16), both kernel
    // backends (the TypeScript one alone under QDISTILL_WASM=0)
    for (const backend of wasmAvailable() ? ['ts', 'wasm'] as const : ['ts'] as const) {
      setKernelBackend(backend);
      for (const opts of [EXACT, CUT]) {
        const sp = truncatedSplit(m, n, c.re, c.im, opts);
        // Gram first where it applies; a Gram result that fails the norm check escalates to Jacobi
        const gram = opts.cutoff > 0 && r >= GRAM_MIN_SIZE;
        expect(gram ? ['gram', 'gram→jacobi'] : ['jacobi']).toContain(sp.method);
        if (sp.method === 'gram→jacobi') escalations.push(c.name);
        expectGoodSplit(c, e, sp, ref, sp.method === 'gram', ulp, opts.cutoff);
      }
    }
  });
});

/**
 * The kept values match the reference (Gram: to 1e-13·s_max² in s², its accuracy), and the
 * squared reconstruction error is the discarded weight, which is within the cutoff.
 */
function expectGoodSplit(c: Case, e: number, sp: { k: number; Ure: Float64Array; Uim: Float64Array | null; S: Float64Array; Vhre: Float64Array; Vhim: Float64Array | null; discarded: number }, ref: number[], gram: boolean, ulp: number, cutoff: number): void {
  const t = check(c, e, sp.k, sp.Ure, sp.Uim, sp.S, sp.Vhre, sp.Vhim, ref);
  // ‖θ − U·S·Vh‖²/‖θ‖² = ε up to the method's accuracy in s² (Gram: ~1e-15 of ‖θ‖²)
  const tol = gram ? Math.sqrt(1e-13) : 1e-14 + 4 * Math.min(c.m, c.n) * ulp;
  expect(t.rec).toBeLessThan(Math.sqrt(sp.discarded + tol * tol) + tol);
  const s0 = ref[0]! || 1;
  for (let q = 0; q < sp.k; q++) {
    const s = down(sp.S[q]!, e) / s0, want = ref[q]! / s0;
    if (gram) expect(Math.abs(s * s - want * want)).toBeLessThan(1e-13);
    else expect(Math.abs(s - want)).toBeLessThan(1e-14 + 4 * ulp);
  }
  expect(sp.discarded).toBeLessThanOrEqual(cutoff);
}

describe('escalations', () => {
  it('a Gram split that fails the norm check is rare on this table (listed here)', () => {
    // measured: the complex 16×40 matrix with entries 1e-300..1e300 loses ~3e-10·‖θ‖² in the
    // Gram eigenvalues and goes to Jacobi; everything else passes the check first time
    expect(escalations.length).toBeLessThan(5);
  });
});


describe('the fused WebAssembly two-site pipeline on badly scaled θ', () => {
  // θ' = I·(θ·I): A = θ ((dl·2)×c with c = n), B = I_n, the identity gate; products with exact
  // ones and zeros reproduce θ bit for bit, so the pipeline splits exactly this θ.
  const fusedCases = TABLE.filter((c) => c.m % 2 === 0 && c.n % 2 === 0 && Math.min(c.m, c.n) >= GRAM_MIN_SIZE);
  it('has badly scaled cases of both kinds', () => {
    expect(fusedCases.filter((c) => c.im === null).length).toBeGreaterThan(10);
    expect(fusedCases.filter((c) => c.im !== null).length).toBeGreaterThan(10);
  });
  it.each(fusedCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { m, n } = c;
    const e = exponentOf(c.re, c.im);
    const ref = referenceS(c, e);
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    const G = new Float64Array(16);
    for (let i = 0; i < 4; i++) G[i * 5] = 1;
    // the fused pipeline on WebAssembly; θ' and truncatedSplit on TypeScript (QDISTILL_WASM=0)
    if (wasmAvailable()) setKernelBackend('wasm');
    const dl = m / 2, dr = n / 2;
    const f = twoSiteSplit(dl, n, dr, { re: c.re, im: c.im }, { re: I, im: c.im === null ? null : new Float64Array(n * n) }, { re: G, im: null }, CUT, 2);
    // the pipeline either splits (and then passes the checks) or hands θ back to truncatedSplit
    const sp = f.status === 'split' ? f.split
        : f.status === 'theta' ? truncatedSplit(m, n, f.re, f.im, CUT) : null;
    expect(sp).not.toBeNull();
    if (sp === null) return;
    // absorb = 2 folds S into U; undo it for the check when the fused split ran
    let Ure = sp.Ure, Uim = sp.Uim;
    if (f.status === 'split') {
      Ure = Ure.map((x, i) => x / sp.S[i % sp.k]!);
      Uim = Uim ? Uim.map((x, i) => x / sp.S[i % sp.k]!) : null;
    }
    expectGoodSplit(c, e, { ...sp, Ure, Uim }, ref, sp.method === 'gram', down(Number.MIN_VALUE, e) / (ref[0]! || 1), CUT.cutoff);
  });
});
