/**
 * The arena layout table (mps/kernels/wasm-layout.ts) against the AssemblyScript kernels:
 * (1) every pointer parameter of the exports a layout lists names one of its regions, and
 * every region is passed to one of them; (2) with guard cells between the regions, no kernel
 * writes past the length the table gives, over a grid of shapes (wide, tall, square, k = 1,
 * real and complex), and the results are bit-identical to the back-to-back layout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eighComplex, eighTopComplex, eighTopReal } from '../../../mps/kernels/eigh.js';
import { gemmComplex, gemmReal } from '../../../mps/kernels/matmul.js';
import { orthonormalizeRows } from '../../../mps/kernels/orth.js';
import { qrComplex, qrReal } from '../../../mps/kernels/qr.js';
import { kernels, setKernelBackend, wasmAvailable } from '../../../mps/kernels/registry.js';
import { svdGramReal } from '../../../mps/kernels/svd.js';
import { arenaGuardReport, setArenaGuard } from '../../../mps/kernels/wasm.js';
import { ARENA_LAYOUTS } from '../../../mps/kernels/wasm-layout.js';
import { GATES } from '../../../mps/gates.js';
import { gaussian, makeRng } from '../../../mps/rng.js';
import { resolveTruncation } from '../../../mps/truncation.js';
import { twoSiteSplit } from '../../../mps/split.js';

const asmDir = join(import.meta.dirname, '../../../mps/wasm/assembly');

/** Pointer (usize) parameters of every exported AssemblyScript function, by name. */
function asmPointerParams(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of readdirSync(asmDir).filter((x) => x.endsWith('.ts'))) {
    const src = readFileSync(join(asmDir, f), 'utf8');
    for (const m of src.matchAll(/export function (\w+)\(([^)]*)\)/g)) {
      const params = m[2]!.split(',').map((p) => p.trim()).filter(Boolean).map((p) => p.split(':').map((x) => x.trim()) as [string, string]);
      out.set(m[1]!, params.filter(([, t]) => t === 'usize').map(([n]) => n));
    }
  }
  return out;
}

/** Sample dimensions for each layout (any values: only the region names are compared). */
const SAMPLE: { [K in keyof typeof ARENA_LAYOUTS]: Parameters<(typeof ARENA_LAYOUTS)[K]['regions']>[0] } = {
  gemm: { m: 5, n: 6, K2: 7 }, tridiagSym: { n: 5 }, householderQR: { q: 5, p: 3 }, backTransform: { n: 5, k: 2 },
  orthoRows: { k: 3, q: 5 }, tqlrat: { n: 5 }, stein: { n: 5, k: 2 }, householderQRc: { q: 5, p: 3 }, tridiagHerm: { n: 5 },
  backTransformC: { n: 5, k: 2 }, orthoRowsC: { k: 3, q: 5 }, gramSplitReal: { m: 4, n: 6 }, twoSiteReal: { dl: 2, c: 3, dr: 4 },
  twoSiteComplex: { dl: 2, c: 3, dr: 4 }, shiftRight: { m: 6, n: 3, nb: 4 }, shiftLeft: { m: 3, n: 6, mb: 4 },
  shiftRightC: { m: 6, n: 3, nb: 4 }, shiftLeftC: { m: 3, n: 6, mb: 4 },
};

describe('WebAssembly arena layouts: one table for both sides', () => {
  const asm = asmPointerParams();

  it.each(Object.keys(ARENA_LAYOUTS))('%s: region names = the pointer parameters of its kernels', (name) => {
    const layout = ARENA_LAYOUTS[name as keyof typeof ARENA_LAYOUTS];
    const regions = (layout.regions as (d: unknown) => ReadonlyArray<readonly [string, number]>)(SAMPLE[name as keyof typeof SAMPLE]).map(([r]) => r);
    expect(new Set(regions).size).toBe(regions.length);
    const passed = new Set<string>();
    for (const k of layout.kernels) {
      const ptrs = asm.get(k);
      expect(ptrs, `export ${k} in mps/wasm/assembly`).toBeDefined();
      for (const p of ptrs!) {
        expect(regions, `${k}(${p})`).toContain(p);
        passed.add(p);
      }
    }
    expect([...passed].sort()).toEqual([...regions].sort());
  });

  it('every WebAssembly export that takes pointers has a layout (none is sized elsewhere)', () => {
    const covered = new Set(Object.values(ARENA_LAYOUTS).flatMap((l) => [...l.kernels]));
    // helpers called only from inside the module (gemm.ts, real.ts) are not exports of kernels.ts
    const entry = readFileSync(join(asmDir, 'kernels.ts'), 'utf8');
    const exported = [...entry.matchAll(/export \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
    expect(exported.length).toBeGreaterThan(15);
    for (const e of exported) if ((asm.get(e) ?? []).length > 0) expect(covered, e).toContain(e);
  });
});

function randn(seed: string, len: number): Float64Array {
  const rng = makeRng(seed);
  return Float64Array.from({ length: len }, () => gaussian(rng));
}

/** Hermitian / symmetric test matrices. */
function herm(n: number, seed: string): { re: Float64Array; im: Float64Array } {
  const a = randn(`${seed}r`, n * n), b = randn(`${seed}i`, n * n);
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { re[i * n + j] = a[i * n + j]! + a[j * n + i]!; im[i * n + j] = i === j ? 0 : b[i * n + j]! - b[j * n + i]!; }
  return { re, im };
}

/** Every kernel path with WebAssembly twins, over shapes; returns all outputs. */
function exercise(): unknown[] {
  const out: unknown[] = [];
  for (const [m, n, k] of [[8, 16, 32], [33, 17, 9], [64, 40, 70]] as const) {
    const A = randn(`A${m}${k}`, m * k), B = randn(`B${k}${n}`, k * n), Bi = randn(`Bi${k}${n}`, k * n);
    const C = new Float64Array(m * n), Cr = new Float64Array(m * n), Ci = new Float64Array(m * n);
    gemmReal('N', 'T', m, n, k, A, randn(`Bt${k}${n}`, k * n), C);
    gemmComplex('N', 'N', m, n, k, A, null, B, Bi, Cr, Ci);
    out.push(C, Cr, Ci);
  }
  for (const [q, p] of [[40, 16], [16, 40], [33, 33]] as const) {
    const re = randn(`q${q}${p}`, q * p), im = randn(`qi${q}${p}`, q * p);
    out.push(qrReal(q, p, re), qrComplex(q, p, re, im));
    const rows = re.slice(), rowsI = im.slice();
    orthonormalizeRows(Math.min(q, p), Math.max(q, p), rows, null);
    orthonormalizeRows(Math.min(q, p), Math.max(q, p), re.slice(), rowsI);
    out.push(rows, rowsI);
  }
  for (const n of [16, 31]) {
    const h = herm(n, `h${n}`);
    for (const k of [1, 5, n]) out.push(eighTopReal(n, h.re, () => k), eighTopComplex(n, h.re, h.im, () => k));
    out.push(eighComplex(n, h.re, h.im));
  }
  for (const [m, n, k] of [[20, 40, 7], [40, 20, 1], [24, 24, 24]] as const) out.push(svdGramReal(m, n, randn(`g${m}${n}`, m * n), k));
  const opts = resolveTruncation({ maxBond: 12, cutoff: 1e-10 });
  for (const [dl, c, dr] of [[10, 12, 9], [9, 16, 21]] as const) {
    const Ar = randn(`a${dl}`, dl * 2 * c), Ai = randn(`ai${dl}`, dl * 2 * c), Br = randn(`b${dr}`, c * 2 * dr), Bi = randn(`bi${dr}`, c * 2 * dr);
    for (const absorb of [1, 2] as const) {
      out.push(twoSiteSplit(dl, c, dr, { re: Ar, im: null }, { re: Br, im: null }, GATES['cx']!.matrix([]), opts, absorb));
      out.push(twoSiteSplit(dl, c, dr, { re: Ar, im: Ai }, { re: Br, im: Bi }, GATES['rzz']!.matrix([0.7]), opts, absorb));
    }
  }
  for (const [m, n, other] of [[40, 20, 30], [20, 40, 12], [32, 32, 64]] as const) {
    const A = { re: randn(`s${m}${n}`, m * n), im: randn(`si${m}${n}`, m * n) };
    const Bn = { re: randn(`t${n}`, n * other), im: randn(`ti${n}`, n * other) };
    const Bm = { re: randn(`u${m}`, other * m), im: randn(`ui${m}`, other * m) };
    out.push(kernels().qrMoveRight(m, n, other, { re: A.re, im: null }, { re: Bn.re, im: null }), kernels().qrMoveRight(m, n, other, A, Bn));
    out.push(kernels().lqMoveLeft(m, n, other, { re: A.re, im: null }, { re: Bm.re, im: null }), kernels().lqMoveLeft(m, n, other, A, Bm));
  }
  return out;
}

describe.skipIf(process.env.QDISTILL_WASM === '0' || !wasmAvailable())('WebAssembly arena layouts: region lengths', () => {
  afterEach(() => { setArenaGuard(0); setKernelBackend('wasm'); });

  it('no kernel writes past a region of the table (guard cells intact), and results are unchanged', () => {
    setKernelBackend('wasm');
    const plain = exercise();
    setArenaGuard(16);
    const guarded = exercise();
    const { placed, broken } = arenaGuardReport();
    expect(broken).toEqual([]);
    // every layout was exercised
    expect(placed).toEqual(Object.values(ARENA_LAYOUTS).map((l) => l.kernels[0]!).sort());
    expect(guarded).toEqual(plain);
  });

  it('the guard check can fail: a region one double short is caught', () => {
    setKernelBackend('wasm');
    const layout = ARENA_LAYOUTS.orthoRows as { regions: (d: { k: number; q: number }) => ReadonlyArray<readonly [string, number]> };
    const orig = layout.regions;
    layout.regions = (d) => orig(d).map(([n, len]) => [n, len - 1] as const);
    try {
      setArenaGuard(4);
      orthonormalizeRows(8, 16, randn('short', 8 * 16), null);
      expect(arenaGuardReport().broken).toEqual(['orthoRows']);
    } finally {
      layout.regions = orig;
    }
  });
});
