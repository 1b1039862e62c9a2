import { afterEach, describe, expect, it } from 'vitest';
import { eighComplex, eighReal, eighTopComplex, eighTopReal } from '../../../mps/kernels/eigh.js';
import { gemmComplex, gemmComplexNaive, gemmReal } from '../../../mps/kernels/matmul.js';
import { orthonormalizeRows } from '../../../mps/kernels/orth.js';
import { lqComplex, lqReal, qrComplex, qrReal } from '../../../mps/kernels/qr.js';
import { svdGramComplex, svdGramReal, svdReal } from '../../../mps/kernels/svd.js';
import { tridiagEigvecs } from '../../../mps/kernels/tridiagonal.js';
import { arena, kernelBackend, setKernelBackend, wasm, wasmAvailable } from '../../../mps/kernels/wasm.js';
import { gaussian, makeRng } from '../../../mps/rng.js';

function randn(seed: string, len: number): Float64Array {
  const rng = makeRng(seed);
  const x = new Float64Array(len);
  for (let i = 0; i < len; i++) x[i] = gaussian(rng);
  return x;
}

/** Runs `fn` once per backend and returns both results. */
function both<T>(fn: () => T): { ts: T; wasm: T } {
  const prev = setKernelBackend('ts');
  const ts = fn();
  setKernelBackend('wasm');
  const wasm = fn();
  setKernelBackend(prev);
  return { ts, wasm };
}

// With QDISTILL_WASM=0 (the whole suite on the TypeScript kernels) the comparisons are skipped.
const noWasm = process.env.QDISTILL_WASM === '0';

describe.skipIf(noWasm)('WebAssembly SIMD kernels', () => {
  afterEach(() => { if (wasmAvailable()) setKernelBackend('wasm'); });

  it('the module is built by npm ci and selected by default (QDISTILL_WASM unset)', () => {
    // `npm run build` (run by prepare and pretest) compiles mps/wasm/kernels.wasm
    expect(wasmAvailable()).toBe(true);
    if (process.env.QDISTILL_WASM !== '0') expect(kernelBackend()).toBe('wasm');
  });

  it('rejects an unknown backend by name', () => {
    expect(() => setKernelBackend('gpu' as 'ts')).toThrow(/backend = "gpu".*allowed: 'wasm', 'ts'/);
  });

  const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 9, 33], [64, 64, 64], [130, 67, 200], [5, 300, 250], [128, 128, 400]];
  it.each(shapes)('real gemm %i×%i×%i, all transposes: bit-identical to the TypeScript kernel', (m, n, k) => {
    for (const opA of ['N', 'T'] as const) {
      for (const opB of ['N', 'T'] as const) {
        const A = randn(`A${m}${k}`, m * k), B = randn(`B${k}${n}`, k * n);
        const r = both(() => { const C = new Float64Array(m * n); gemmReal(opA, opB, m, n, k, A, B, C); return C; });
        expect(r.wasm).toEqual(r.ts);
      }
    }
  });

  it.each(shapes)('complex gemm %i×%i×%i: bit-identical to TypeScript, and equal to the naive product to 1e-12', (m, n, k) => {
    for (const opA of ['N', 'T', 'C'] as const) {
      for (const [opB, realB] of [['N', false], ['C', false], ['T', true]] as const) {
        const Ar = randn(`Ar${m}${k}`, m * k), Ai = randn(`Ai${m}${k}`, m * k);
        const Br = randn(`Br${k}${n}`, k * n), Bi = realB ? null : randn(`Bi${k}${n}`, k * n);
        const run = () => { const Cr = new Float64Array(m * n), Ci = new Float64Array(m * n); gemmComplex(opA, opB, m, n, k, Ar, Ai, Br, Bi, Cr, Ci); return [Cr, Ci]; };
        const r = both(run);
        expect(r.wasm[0]).toEqual(r.ts[0]);
        expect(r.wasm[1]).toEqual(r.ts[1]);
        const Nr = new Float64Array(m * n), Ni = new Float64Array(m * n);
        gemmComplexNaive(opA, opB, m, n, k, Ar, Ai, Br, Bi, Nr, Ni);
        let err = 0;
        for (let i = 0; i < m * n; i++) err = Math.max(err, Math.abs(Nr[i]! - r.wasm[0]![i]!), Math.abs(Ni[i]! - r.wasm[1]![i]!));
        expect(err).toBeLessThan(1e-12 * Math.sqrt(k) * 10);
      }
    }
  });

  it('an arena beyond the 4 GiB maximum is refused (callers then run TypeScript)', () => {
    setKernelBackend('wasm');
    expect(arena(wasm()!, 2 ** 30)).toBeNull();
    const A = randn('after', 64 * 64), C = new Float64Array(64 * 64), D = new Float64Array(64 * 64);
    gemmReal('N', 'N', 64, 64, 64, A, A, C);
    setKernelBackend('ts');
    gemmReal('N', 'N', 64, 64, 64, A, A, D);
    expect(C).toEqual(D);
  });

  it('survives memory growth between calls (views are rebuilt)', () => {
    setKernelBackend('wasm');
    const small = randn('s', 16 * 16);
    const C1 = new Float64Array(256);
    gemmReal('N', 'N', 16, 16, 16, small, small, C1);
    const big = randn('b', 700 * 700);
    const C2 = new Float64Array(700 * 10);
    gemmReal('N', 'N', 700, 10, 700, big, big.subarray(0, 7000), C2);
    const C3 = new Float64Array(256);
    gemmReal('N', 'N', 16, 16, 16, small, small, C3);
    expect(C3).toEqual(C1);
  });

  it.each([[16, 16], [17, 5], [40, 23], [128, 64], [64, 128], [129, 130]])('QR and LQ of %i×%i: bit-identical to TypeScript, and A = QR to 1e-12', (m, n) => {
    const A = randn(`qr${m}x${n}`, m * n);
    const r = both(() => qrReal(m, n, A));
    expect(r.wasm.Q).toEqual(r.ts.Q);
    expect(r.wasm.R).toEqual(r.ts.R);
    const QR = new Float64Array(m * n);
    gemmReal('N', 'N', m, n, r.wasm.r, r.wasm.Q, r.wasm.R, QR);
    let err = 0;
    for (let i = 0; i < m * n; i++) err = Math.max(err, Math.abs(QR[i]! - A[i]!));
    expect(err).toBeLessThan(1e-12 * Math.sqrt(m));
    const l = both(() => lqReal(m, n, A));
    expect(l.wasm.L).toEqual(l.ts.L);
    expect(l.wasm.Q).toEqual(l.ts.Q);
  });

  it.each([16, 17, 33, 64, 128, 131])('symmetric eigensolvers at n = %i: bit-identical to TypeScript, residual ‖AV−VΛ‖ ≤ 1e-12', (n) => {
    const X = randn(`eig${n}`, n * n);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = X[i * n + j]! + X[j * n + i]!;
    const full = both(() => eighReal(n, A));
    expect(full.wasm.w).toEqual(full.ts.w);
    expect(full.wasm.V).toEqual(full.ts.V);
    const k = n >> 1;
    const top = both(() => eighTopReal(n, A, () => k));
    expect(top.wasm.V).toEqual(top.ts.V);
    expect(top.wasm.w).toEqual(top.ts.w);
    // eigenvector rows: A·v_c = w_c·v_c
    let err = 0;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j]! * top.wasm.V[c * n + j]!;
        err = Math.max(err, Math.abs(s - top.wasm.w[c]! * top.wasm.V[c * n + i]!));
      }
    }
    expect(err).toBeLessThan(1e-12 * n * 4);
  });

  it.each([[64, 64], [128, 96], [40, 130]])('SVDs (Jacobi and Gram) of %i×%i: bit-identical to TypeScript', (m, n) => {
    const A = randn(`svd${m}x${n}`, m * n);
    const j = both(() => svdReal(m, n, A));
    expect(j.wasm.S).toEqual(j.ts.S);
    expect(j.wasm.U).toEqual(j.ts.U);
    const g = both(() => svdGramReal(m, n, A, Math.min(m, n) >> 1));
    expect(g.wasm.S).toEqual(g.ts.S);
    expect(g.wasm.Vh).toEqual(g.ts.Vh);
  });

  it('row orthonormalisation with zero, dependent and near-dependent rows: bit-identical, orthonormal to 1e-13', () => {
    const k = 24, q = 40;
    const X = randn('orth', k * q);
    X.fill(0, 3 * q, 4 * q); // a zero row
    for (let i = 0; i < q; i++) X[7 * q + i] = 2 * X[2 * q + i]!; // a dependent row
    for (let i = 0; i < q; i++) X[9 * q + i] = X[1 * q + i]! + 1e-9 * X[9 * q + i]!; // nearly dependent
    const r = both(() => { const Y = X.slice(); orthonormalizeRows(k, q, Y, null); return Y; });
    expect(r.wasm).toEqual(r.ts);
    let err = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      let d = 0;
      for (let i = 0; i < q; i++) d += r.wasm[a * q + i]! * r.wasm[b * q + i]!;
      err = Math.max(err, Math.abs(d - (a === b ? 1 : 0)));
    }
    expect(err).toBeLessThan(1e-13);
  });

  it('eigenvectors of a matrix with a degenerate top cluster (inverse iteration re-orthogonalises): bit-identical', () => {
    const n = 48;
    // A = Q·diag(λ)·Qᵀ with λ = 1 (×10), 0.5, 0.25, …
    const { Q } = qrReal(n, n, randn('deg', n * n));
    const lam = Array.from({ length: n }, (_, i) => (i < 10 ? 1 : 0.5 ** (i - 9)));
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let t = 0; for (let c = 0; c < n; c++) t += Q[i * n + c]! * lam[c]! * Q[j * n + c]!; A[i * n + j] = t; }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i]!;
    const r = both(() => eighTopReal(n, A, () => 16));
    expect(r.wasm.V).toEqual(r.ts.V);
    expect(r.wasm.w).toEqual(r.ts.w);
    for (let c = 0; c < 10; c++) expect(r.wasm.w[c]).toBeCloseTo(1, 12);
  });
});

describe.skipIf(noWasm)('WebAssembly SIMD kernels, complex (split planes)', () => {
  afterEach(() => { if (wasmAvailable()) setKernelBackend('wasm'); });

  it.each([[16, 16], [17, 5], [40, 23], [64, 32], [33, 70]])('complex QR and LQ of %i×%i: bit-identical, A = QR to 1e-12', (m, n) => {
    const Ar = randn(`cqr${m}x${n}`, m * n), Ai = randn(`cqi${m}x${n}`, m * n);
    const r = both(() => qrComplex(m, n, Ar, Ai));
    expect(r.wasm.Qre).toEqual(r.ts.Qre);
    expect(r.wasm.Qim).toEqual(r.ts.Qim);
    expect(r.wasm.Rre).toEqual(r.ts.Rre);
    expect(r.wasm.Rim).toEqual(r.ts.Rim);
    const Cr = new Float64Array(m * n), Ci = new Float64Array(m * n);
    gemmComplex('N', 'N', m, n, r.wasm.r, r.wasm.Qre, r.wasm.Qim, r.wasm.Rre, r.wasm.Rim, Cr, Ci);
    let err = 0;
    for (let i = 0; i < m * n; i++) err = Math.max(err, Math.abs(Cr[i]! - Ar[i]!), Math.abs(Ci[i]! - Ai[i]!));
    expect(err).toBeLessThan(1e-12 * Math.sqrt(m) * 2);
    const l = both(() => lqComplex(m, n, Ar, Ai));
    expect(l.wasm.Lre).toEqual(l.ts.Lre);
    expect(l.wasm.Qim).toEqual(l.ts.Qim);
  });

  it.each([16, 17, 48, 65])('Hermitian eigensolvers at n = %i: bit-identical, residual ≤ 1e-12', (n) => {
    const Xr = randn(`h${n}`, n * n), Xi = randn(`hi${n}`, n * n);
    const Hr = new Float64Array(n * n), Hi = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { Hr[i * n + j] = Xr[i * n + j]! + Xr[j * n + i]!; Hi[i * n + j] = Xi[i * n + j]! - Xi[j * n + i]!; }
    const full = both(() => eighComplex(n, Hr, Hi));
    expect(full.wasm.w).toEqual(full.ts.w);
    expect(full.wasm.Vre).toEqual(full.ts.Vre);
    expect(full.wasm.Vim).toEqual(full.ts.Vim);
    const k = n >> 1;
    const top = both(() => eighTopComplex(n, Hr, Hi, () => k));
    expect(top.wasm.Vre).toEqual(top.ts.Vre);
    expect(top.wasm.Vim).toEqual(top.ts.Vim);
    // rows are eigenvectors: H·v = w·v
    let err = 0;
    for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) {
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const hr = Hr[i * n + j]!, hi = Hi[i * n + j]!, vr = top.wasm.Vre[c * n + j]!, vi = top.wasm.Vim[c * n + j]!;
        sr += hr * vr - hi * vi; si += hr * vi + hi * vr;
      }
      err = Math.max(err, Math.abs(sr - top.wasm.w[c]! * top.wasm.Vre[c * n + i]!), Math.abs(si - top.wasm.w[c]! * top.wasm.Vim[c * n + i]!));
    }
    expect(err).toBeLessThan(1e-12 * n * 4);
  });

  it('complex Gram SVD and row orthonormalisation with a zero and a dependent row: bit-identical', () => {
    const m = 48, n = 40;
    const Ar = randn('cg', m * n), Ai = randn('cgi', m * n);
    const g = both(() => svdGramComplex(m, n, Ar, Ai, 20));
    expect(g.wasm.S).toEqual(g.ts.S);
    expect(g.wasm.Vhre).toEqual(g.ts.Vhre);
    expect(g.wasm.Vhim).toEqual(g.ts.Vhim);
    const k = 12, q = 30;
    const Re = randn('or', k * q), Im = randn('oi', k * q);
    Re.fill(0, 2 * q, 3 * q); Im.fill(0, 2 * q, 3 * q);
    for (let i = 0; i < q; i++) { Re[5 * q + i] = -Im[1 * q + i]!; Im[5 * q + i] = Re[1 * q + i]!; } // row 5 = i·row 1
    const o = both(() => { const a = Re.slice(), b = Im.slice(); orthonormalizeRows(k, q, a, b); return [a, b]; });
    expect(o.wasm[0]).toEqual(o.ts[0]);
    expect(o.wasm[1]).toEqual(o.ts[1]);
  });
});

describe.skipIf(noWasm)('WebAssembly row orthonormalisation, every path', () => {
  // Rows with finite non-zero norms, a zero row, a non-finite one, a row dependent on earlier
  // ones (dropped and completed), nearly parallel rows (the second pass) and odd sizes: each
  // must match the TypeScript kernel bit for bit.
  it.each([
    ['random 32×64', 32, 64, () => {}],
    ['random 33×65 (odd both)', 33, 65, () => {}],
    ['zero rows at 0, 5 and 6', 20, 40, (re: Float64Array, q: number) => { re.fill(0, 0, q); re.fill(0, 5 * q, 7 * q); }],
    ['row 9 = 2·row 3 − row 1 (dependent: dropped and completed), row 10 = row 9', 16, 30, (re: Float64Array, q: number) => {
      for (let i = 0; i < q; i++) { re[9 * q + i] = 2 * re[3 * q + i]! - re[1 * q + i]!; re[10 * q + i] = re[9 * q + i]!; }
    }],
    ['an infinite entry in row 4, NaN in row 12', 16, 30, (re: Float64Array, q: number) => { re[4 * q + 2] = Infinity; re[12 * q] = NaN; }],
    ['rows nearly parallel (second pass)', 12, 24, (re: Float64Array, q: number) => {
      for (let t = 1; t < 12; t++) for (let i = 0; i < q; i++) re[t * q + i] = re[i]! + 1e-3 * re[t * q + i]!;
    }],
  ] as [string, number, number, (re: Float64Array, q: number) => void][])('%s: bit-identical to TypeScript', (_name, k, q, edit) => {
    const Re = randn(`orth-${k}-${q}`, k * q);
    edit(Re, q);
    for (const from of [0, 1]) {
      const o = both(() => { const a = Re.slice(); orthonormalizeRows(k, q, a, null, from); return a; });
      expect(o.wasm, `from = ${from}`).toEqual(o.ts);
    }
  });
});

describe.skipIf(noWasm)('WebAssembly inverse iteration, two eigenvalues per SIMD lane', () => {
  // Inverse iteration runs two eigenvalues at once (one per SIMD lane) when neither joins a
  // cluster with an earlier one; clustered ones, and the guard against a zero pivot, keep the
  // scalar path. Every row below must give the TypeScript kernel's vectors bit for bit.
  const tridiagonals: [string, () => { d: Float64Array; e: Float64Array }][] = [
    ['random n = 64', () => ({ d: randn('td', 64), e: randn('te', 64) })],
    ['random n = 17 (odd)', () => ({ d: randn('td17', 17), e: randn('te17', 17) })],
    ['graded: d = 2^−i, e = 0.1·2^−i', () => ({ d: Float64Array.from({ length: 40 }, (_, i) => 2 ** -i), e: Float64Array.from({ length: 40 }, (_, i) => 0.1 * 2 ** -i) })],
    ['Wilkinson W21+ (pairs equal to 1e-14)', () => ({ d: Float64Array.from({ length: 21 }, (_, i) => Math.abs(10 - i)), e: new Float64Array(21).fill(1) })],
    ['diagonal, distinct entries (the shift hits a pivot exactly: the guard)', () => ({ d: Float64Array.from({ length: 24 }, (_, i) => (i * 7) % 24 - 11.5), e: new Float64Array(24) })],
    ['diagonal with repeated entries (clusters)', () => ({ d: Float64Array.from({ length: 24 }, (_, i) => Math.floor(i / 3)), e: new Float64Array(24) })],
    ['split: random blocks with zero couplings, tiny entries near the underflow limit', () => {
      const d = randn('tds', 48), e = randn('tes', 48);
      for (let i = 7; i < 48; i += 8) e[i] = 0;
      for (let i = 0; i < 48; i += 5) d[i] = 1e-300 * (i + 1);
      return { d, e };
    }],
    ['a Gram spectrum: eigenvalues s² with s = 0.8^i', () => {
      const n = 64, d = new Float64Array(n), e = new Float64Array(n);
      for (let i = 0; i < n; i++) { d[i] = 0.64 ** i; e[i] = i < n - 1 ? 1e-3 * 0.8 ** i : 0; }
      return { d, e };
    }],
  ];
  it.each(tridiagonals)('inverse iteration, %s: bit-identical to TypeScript for every k', (_name, make) => {
    const { d, e } = make();
    const n = d.length;
    e[n - 1] = 0;
    const T = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      T[i * n + i] = d[i]!;
      if (i < n - 1) { T[i * n + i + 1] = e[i]!; T[(i + 1) * n + i] = e[i]!; }
    }
    const prev = setKernelBackend('ts');
    const all = eighReal(n, T).w; // ascending
    setKernelBackend(prev);
    for (const k of new Set([1, 2, 3, Math.floor(n / 2), n - 1, n])) {
      const w = all.slice(n - k);
      const r = both(() => { const Z = new Float64Array(k * n); return { ok: tridiagEigvecs(n, d, e, w, k, Z), Z }; });
      expect(r.wasm.ok, `k = ${k}`).toBe(r.ts.ok);
      expect(r.wasm.Z, `k = ${k}`).toEqual(r.ts.Z);
    }
  });
});

describe('QDISTILL_WASM=0', () => {
  it('selects the TypeScript kernels in a fresh process', async () => {
    const { execFileSync } = await import('node:child_process');
    const code = "import('./dist/mps/kernels/registry.js').then((m) => process.stdout.write(m.kernelBackend() + ' ' + m.wasmAvailable() + ' ' + m.kernels().backend))";
    expect(execFileSync(process.execPath, ['-e', code], { env: { ...process.env, QDISTILL_WASM: '0' }, encoding: 'utf8' })).toBe('ts false ts');
    expect(execFileSync(process.execPath, ['-e', code], { env: { ...process.env, QDISTILL_WASM: '1' }, encoding: 'utf8' })).toBe('wasm true wasm');
    expect(execFileSync(process.execPath, ['-e', code], { env: { ...process.env, QDISTILL_WASM: '' }, encoding: 'utf8' })).toBe('wasm true wasm');
  });

  it.each(['false', 'no', 'off', ' 0', '0 ', 'ts', '2'])('QDISTILL_WASM=%j is refused when the kernels load, naming the variable and what is allowed', async (value) => {
    const { spawnSync } = await import('node:child_process');
    const code = "import('./dist/mps/kernels/registry.js').then((m) => process.stdout.write(m.kernelBackend()), (e) => { process.stderr.write(e.message); process.exit(3); })";
    const r = spawnSync(process.execPath, ['-e', code], { env: { ...process.env, QDISTILL_WASM: value }, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`QDISTILL_WASM = ${JSON.stringify(value)}: allowed 1 (the WebAssembly kernels, the default) or 0 (the TypeScript kernels)`);
  });
});
