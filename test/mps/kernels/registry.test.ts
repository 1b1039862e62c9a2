/**
 * The kernel registry (mps/kernels/registry.ts): the one dispatch point between the engine and
 * the kernel backends. Both kernel sets against each other (bit-identical) and against dense
 * references, over a table of shapes and real/complex operand mixes; the rank rule's decision
 * and spectrum as the two-site update returns them; and the import rule that keeps the
 * WebAssembly choice inside mps/kernels/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gemmComplexNaive } from '../../../mps/kernels/matmul.js';
import { kernels, kernelSet, setKernelBackend, wasmAvailable, type Planes } from '../../../mps/kernels/registry.js';
import { svdComplex, svdReal } from '../../../mps/kernels/svd.js';
import { GATES } from '../../../mps/gates.js';
import { gaussian, makeRng } from '../../../mps/rng.js';

const root = join(import.meta.dirname, '../../..');
const noWasm = process.env.QDISTILL_WASM === '0' || !wasmAvailable();

function randn(seed: string, len: number): Float64Array {
  const rng = makeRng(seed);
  return Float64Array.from({ length: len }, () => gaussian(rng));
}

/** Dense product op(X)·op(Y) of split-plane matrices (naive reference). */
function mul(m: number, n: number, k: number, X: Planes, Y: Planes): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(m * n), im = new Float64Array(m * n);
  gemmComplexNaive('N', 'N', m, n, k, X.re, X.im, Y.re, Y.im, re, im);
  return { re, im };
}

function maxDiff(a: { re: Float64Array; im: Float64Array }, b: { re: Float64Array; im: Float64Array }): number {
  let d = 0;
  for (let i = 0; i < a.re.length; i++) d = Math.max(d, Math.abs(a.re[i]! - b.re[i]!), Math.abs(a.im[i]! - b.im[i]!));
  return d;
}

/** Planes of a random operand: real, or complex. */
const planes = (seed: string, len: number, complex: boolean): Planes => ({ re: randn(seed, len), im: complex ? randn(`${seed}i`, len) : null });

// [m, n, other]: below and at the WebAssembly threshold (m·n ≥ WASM_MIN_QR = 16), the small
// bonds of a weakly entangled state (12×6, 6×12), and large wide, tall, square
const SHAPES: [number, number, number][] = [[4, 2, 6], [3, 5, 2], [2, 8, 3], [4, 4, 4], [12, 6, 6], [6, 12, 4], [64, 8, 16], [8, 64, 32], [40, 40, 40], [96, 24, 48]];
// [A complex, B complex]
const MIXES: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

describe('kernel registry', () => {
  afterEach(() => { if (wasmAvailable()) setKernelBackend('wasm'); });

  it('kernels() follows the selected backend', () => {
    setKernelBackend('ts');
    expect(kernels().backend).toBe('ts');
    expect(kernels()).toBe(kernelSet('ts'));
    if (wasmAvailable()) {
      setKernelBackend('wasm');
      expect(kernels().backend).toBe('wasm');
      expect(kernels()).toBe(kernelSet('wasm'));
    }
  });

  describe.each(SHAPES)('centre moves, A %i×%i, other dimension %i', (m, n, other) => {
    it.each(MIXES)('A complex %s, B complex %s: Q isometry, Q·C = A·B to 1e-12, both sets bit-identical', (ac, bc) => {
      const A = planes(`A${m}${n}`, m * n, ac);
      const r = Math.min(m, n);
      // right: A (m×n) = Q·R, C = R·B with B n×other; Q·C = A·B
      const Br = planes(`Br${n}${other}`, n * other, bc);
      const right = kernelSet('ts').qrMoveRight(m, n, other, A, Br);
      expect(right.r).toBe(r);
      expect(right.Q.im === null).toBe(!ac);
      expect(right.C.im === null).toBe(!ac && !bc);
      expect(maxDiff(mul(m, other, r, right.Q, right.C), mul(m, other, n, A, Br))).toBeLessThan(1e-12 * Math.max(m, n));
      const QhQ = new Float64Array(r * r), QhQi = new Float64Array(r * r);
      gemmComplexNaive('C', 'N', r, r, m, right.Q.re, right.Q.im, right.Q.re, right.Q.im, QhQ, QhQi);
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) expect(Math.abs(QhQ[i * r + j]! - (i === j ? 1 : 0)) + Math.abs(QhQi[i * r + j]!)).toBeLessThan(1e-13 * m);
      // left: A (m×n) = L·Q, C = B·L with B other×m; C·Q = B·A
      const Bl = planes(`Bl${other}${m}`, other * m, bc);
      const left = kernelSet('ts').lqMoveLeft(m, n, other, A, Bl);
      expect(left.r).toBe(r);
      expect(maxDiff(mul(other, n, r, left.C, left.Q), mul(other, n, m, Bl, A))).toBeLessThan(1e-12 * Math.max(m, n));
      if (!noWasm) {
        expect(kernelSet('wasm').qrMoveRight(m, n, other, A, Br)).toEqual(right);
        expect(kernelSet('wasm').lqMoveLeft(m, n, other, A, Bl)).toEqual(left);
      }
    });
  });

  // [dl, c, dr]: wide, tall, square θ' with min(m, n) ≥ GRAM_MIN_SIZE = 4 (the fused Gram
  // path applies), from 4×4 and the small bonds of a weakly entangled state to 24×24
  const TWO_SITE: [number, number, number][] = [[2, 3, 2], [3, 6, 2], [6, 6, 6], [8, 12, 10], [10, 16, 8], [12, 12, 12]];
  describe.each(TWO_SITE)('two-site update dl = %i, c = %i, dr = %i', (dl, c, dr) => {
    const m = 2 * dl, n = 2 * dr;
    it.each([['real', false], ['complex', true]] as const)('%s: θ\' = G·(A·B); the rule sees the full spectrum once and its decision comes back', (_name, complex) => {
      const A = planes(`tA${dl}${c}`, m * c, complex), B = planes(`tB${c}${dr}`, c * n, complex);
      const g = complex ? GATES['rzz']!.matrix([0.7]) : GATES['cx']!.matrix([]);
      // reference θ' = G·(A·B), built densely
      const th = mul(m, n, c, A, B);
      const ref = { re: new Float64Array(m * n), im: new Float64Array(m * n) };
      for (let a = 0; a < dl; a++) for (let t = 0; t < 4; t++) for (let s = 0; s < 4; s++) for (let b = 0; b < dr; b++) {
        const gr = g.re[t * 4 + s]!, gi = g.im ? g.im[t * 4 + s]! : 0;
        const xr = th.re[(a * 4 + s) * dr + b]!, xi = th.im[(a * 4 + s) * dr + b]!;
        ref.re[(a * 4 + t) * dr + b]! += gr * xr - gi * xi;
        ref.im[(a * 4 + t) * dr + b]! += gr * xi + gi * xr;
      }
      const t = kernelSet('ts').twoSiteUpdate(dl, c, dr, A, B, g, 1, () => ({ kept: 3 }));
      expect(t.status).toBe('theta');
      if (t.status !== 'theta') return;
      expect(maxDiff({ re: t.theta.re, im: t.theta.im ?? new Float64Array(m * n) }, ref)).toBeLessThan(1e-12 * c);
      if (noWasm) return;
      // the WebAssembly set: without a rule it hands θ' back, bit-identical to TypeScript
      expect(kernelSet('wasm').twoSiteUpdate(dl, c, dr, A, B, g, 1, null)).toEqual(t);
      // a rule that keeps nothing also gets θ' back
      expect(kernelSet('wasm').twoSiteUpdate(dl, c, dr, A, B, g, 1, () => ({ kept: 0 }))).toEqual(t);
      const calls: { S: Float64Array; total: number }[] = [];
      const decision = { kept: Math.min(5, m, n), tag: 'mine' };
      const f = kernelSet('wasm').twoSiteUpdate(dl, c, dr, A, B, g, 2, (S, total) => { calls.push({ S, total }); return decision; });
      expect(f.status).toBe('split');
      if (f.status !== 'split') return;
      expect(calls.length).toBe(1);
      expect(f.decision).toBe(decision);
      expect(f.k).toBe(Math.min(5, m, n));
      expect(f.spectrum).toEqual(calls[0]!.S);
      expect(f.total).toBe(calls[0]!.total);
      // the spectrum is every singular value of θ' (Gram accuracy: ≈ 1e-7 relative to s_1 at worst)
      const p = Math.min(m, n);
      const sv = complex ? svdComplex(m, n, t.theta.re, t.theta.im!) : svdReal(m, n, t.theta.re);
      expect(f.spectrum.length).toBe(p);
      for (let i = 0; i < p; i++) expect(Math.abs(f.spectrum[i]! - sv.S[i]!)).toBeLessThan(1e-7 * sv.S[0]!);
      let ss = 0;
      for (const x of t.theta.re) ss += x * x;
      if (t.theta.im) for (const x of t.theta.im) ss += x * x;
      expect(Math.abs(f.total - ss)).toBeLessThan(1e-13 * ss);
    });
  });

  it('a non-finite θ\' is reported as such by both sets', () => {
    const A = planes('nA', 32 * 16, false), B = planes('nB', 16 * 32, false);
    A.re[7] = Number.POSITIVE_INFINITY;
    const g = GATES['cz']!.matrix([]);
    expect(kernelSet('ts').twoSiteUpdate(16, 16, 16, A, B, g, 1, null)).toEqual({ status: 'nonfinite' });
    if (!noWasm) expect(kernelSet('wasm').twoSiteUpdate(16, 16, 16, A, B, g, 1, () => ({ kept: 4 }))).toEqual({ status: 'nonfinite' });
  });
});

/** Relative paths of the .ts files under `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : f.endsWith('.ts') ? [p] : [];
  });
}

describe('the WebAssembly choice stays inside mps/kernels/', () => {
  it('no engine file outside mps/kernels/ (and mps/wasm/) imports a wasm* module', () => {
    const files = tsFiles(join(root, 'mps')).map((f) => relative(root, f)).filter((f) => !f.startsWith('mps/kernels/') && !f.startsWith('mps/wasm/'));
    expect(files).toContain('mps/mps.ts');
    expect(files).toContain('mps/split.ts');
    expect(files).toContain('mps/apply.ts');
    const offenders = files.filter((f) => /from '[^']*\/wasm[^']*'/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
