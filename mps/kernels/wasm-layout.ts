/**
 * The WebAssembly arena layouts, each described once: for every call (or fused pipeline of
 * calls) into mps/wasm/kernels.wasm, the regions it occupies in the arena, in order, with
 * their lengths in float64 values. The TypeScript wrappers (wasm-ops.ts, wasm-fused.ts,
 * matmul.ts) size the arena and compute every pointer from this table and nothing else.
 *
 * A region is named after the pointer parameter that receives it in the AssemblyScript
 * export(s) listed in `kernels` (mps/wasm/assembly/); the AssemblyScript side takes its
 * pointers as arguments and sizes nothing itself. test/mps/kernels/wasm-layout.test.ts reads
 * the AssemblyScript sources and checks that every pointer parameter of those exports names a
 * region of the table (and every region is passed), and runs each pipeline with guard cells
 * between the regions to check that no kernel writes past the length given here.
 *
 * Notation: p = min(m, n), q = max(m, n), r = min of a QR's dimensions; `packed(rc, k)` is the
 * length of a packed gemm panel of rc rows or columns over an inner dimension k.
 */

/** Packed-panel length (doubles) for `rc` rows or columns over an inner dimension `k` (4-row panels). */
export const packed = (rc: number, k: number): number => ((rc + 3) >> 2) * k * 4;

/** One arena layout: the exports that read it and its regions for given dimensions. */
export interface ArenaLayout<N extends string, D> {
  /** The AssemblyScript exports whose pointer parameters are this layout's regions. */
  readonly kernels: readonly string[];
  /** The regions in arena order: [pointer-parameter name, length in float64 values]. */
  readonly regions: (dims: D) => ReadonlyArray<readonly [N, number]>;
}

function layout<N extends string, D>(kernels: readonly string[], regions: (dims: D) => ReadonlyArray<readonly [N, number]>): ArenaLayout<N, D> {
  return { kernels, regions };
}

/** The real Gram-phase workspace after θ (shared by the real fused splits). */
function gramRegions(m: number, n: number) {
  const p = Math.min(m, n), q = Math.max(m, n);
  return [
    ['g', p * p], ['d', p], ['e', p], ['beta', p], ['w', p], ['tmp', p],
    ['zasc', p * p], ['y', p * p], ['z', p * q], ['s', p], ['u', m * p], ['sw', 12 * p],
  ] as const;
}

/** Packing-buffer length of the Gram phases of an m×n θ. */
const gramPack = (m: number, n: number) => Math.max(packed(Math.min(m, n), Math.max(m, n)), packed(Math.max(m, n), Math.min(m, n)));

/** Every arena layout of the WebAssembly backend, by wrapper. */
export const ARENA_LAYOUTS = {
  /** One packed product (matmul.ts): panels of op(A) and op(B) over K2, and C (m×n). */
  gemm: layout(['kernelPacked'], ({ m, n, K2 }: { m: number; n: number; K2: number }) => [
    ['ap', packed(m, K2)], ['bp', packed(n, K2)], ['c', m * n],
  ] as const),
  /** Householder tridiagonalisation of a (n×n). */
  tridiagSym: layout(['tridiagSym'], ({ n }: { n: number }) => [['a', n * n], ['d', n], ['er', n], ['beta', n], ['p', n]] as const),
  /** Householder QR of the column-contiguous q×p matrix w. */
  householderQR: layout(['householderQR'], ({ q, p }: { q: number; p: number }) => {
    const r = Math.min(q, p);
    return [['w', p * q], ['tau', r], ['qt', r * q]] as const;
  }),
  /** Back-transformation of the k rows of x (k×n) by the reflectors in a. */
  backTransform: layout(['backTransform'], ({ n, k }: { n: number; k: number }) => [['a', n * n], ['beta', n], ['x', k * n]] as const),
  /** Row orthonormalisation of re (k×q). */
  orthoRows: layout(['orthoRows'], ({ k, q }: { k: number; q: number }) => [['re', k * q]] as const),
  /** Rational QL on the tridiagonal (d, e). */
  tqlrat: layout(['tqlrat'], ({ n }: { n: number }) => [['d', n], ['e', n], ['e2', n]] as const),
  /** Inverse iteration for k eigenvalues w: vectors into z (k×n). */
  stein: layout(['stein'], ({ n, k }: { n: number; k: number }) => [['d', n], ['e', n], ['w', Math.max(k, n)], ['z', k * n], ['work', 12 * n]] as const),
  /** Complex Householder QR (split planes). */
  householderQRc: layout(['householderQRc'], ({ q, p }: { q: number; p: number }) => {
    const r = Math.min(q, p);
    return [['wre', p * q], ['wim', p * q], ['tre', r], ['tim', r], ['qtre', r * q], ['qtim', r * q]] as const;
  }),
  /** Hermitian Householder tridiagonalisation of (a, ai). */
  tridiagHerm: layout(['tridiagHerm'], ({ n }: { n: number }) => [
    ['a', n * n], ['ai', n * n], ['d', n], ['er', n], ['ei', n], ['beta', n], ['pr', n], ['pi', n],
  ] as const),
  /** Complex back-transformation of the k rows (xr, xi). */
  backTransformC: layout(['backTransformC'], ({ n, k }: { n: number; k: number }) => [
    ['a', n * n], ['ai', n * n], ['beta', n], ['xr', k * n], ['xi', k * n],
  ] as const),
  /** Complex row orthonormalisation of (re, im) (k×q). */
  orthoRowsC: layout(['orthoRowsC'], ({ k, q }: { k: number; q: number }) => [['re', k * q], ['im', k * q]] as const),
  /** The real Gram split of x = A (m×n). */
  gramSplitReal: layout(['gramEigvals', 'gramVectors'], ({ m, n }: { m: number; n: number }) => [
    ['x', m * n], ['pa', gramPack(m, n)], ['pb', gramPack(m, n)], ...gramRegions(m, n),
  ] as const),
  /** The real two-site update: θ = a·b into t, θ' = gate·θ into x, ‖θ'‖² into out, then the Gram split of x. */
  twoSiteReal: layout(['twoSiteTheta', 'gramEigvals', 'gramVectors'], ({ dl, c, dr }: { dl: number; c: number; dr: number }) => {
    const m = dl * 2, n = 2 * dr;
    const pack = Math.max(gramPack(m, n), packed(m, c), packed(n, c));
    return [
      ['a', m * c], ['b', c * n], ['gate', 16], ['t', m * n], ['x', m * n], ['out', 1], ['pa', pack], ['pb', pack],
      ...gramRegions(m, n),
    ] as const;
  }),
  /** The complex two-site update (split planes), then the complex Gram split of (xr, xi). */
  twoSiteComplex: layout(['twoSiteThetaC', 'gramEigvalsC', 'gramVectorsC'], ({ dl, c, dr }: { dl: number; c: number; dr: number }) => {
    const m = dl * 2, n = 2 * dr;
    const p = Math.min(m, n), q = Math.max(m, n);
    const pack = Math.max(packed(m, 2 * c), packed(n, 2 * c), packed(p, 2 * q), packed(q, 2 * p));
    const la = m * c, lb = c * n, lx = m * n;
    return [
      ['ar', la], ['ai', la], ['br', lb], ['bi', lb], ['gater', 16], ['gatei', 16],
      ['tr', lx], ['ti', lx], ['xr', lx], ['xi', lx], ['out', 1], ['pa', pack], ['pb', pack],
      ['gr', p * p], ['gi', p * p], ['d', p], ['er', p], ['ei', p], ['beta', p], ['e', p],
      ['phr', p], ['phi', p], ['w', p], ['t1', p], ['t2', p],
      ['zasc', p * p], ['yr', p * p], ['yi', p * p], ['zr', p * q], ['zi', p * q], ['s', p],
      ['ur', m * p], ['ui', m * p], ['sw', 12 * p],
    ] as const;
  }),
  /** Real centre move right: a (m×n) = Q·R, Q into q, R·b (b: n×nb) into out. */
  shiftRight: layout(['shiftRightW'], ({ m, n, nb }: { m: number; n: number; nb: number }) => {
    const r = Math.min(m, n);
    const pack = Math.max(packed(r, n), packed(nb, n));
    return [['a', m * n], ['b', n * nb], ['w', m * n], ['tau', r], ['qt', r * m], ['rr', r * n], ['q', m * r], ['out', r * nb], ['pa', pack], ['pb', pack]] as const;
  }),
  /** Real centre move left: a (m×n) = L·Q, Q into qt, b·L (b: mb×m) into out. */
  shiftLeft: layout(['shiftLeftW'], ({ m, n, mb }: { m: number; n: number; mb: number }) => {
    const r = Math.min(m, n);
    const pack = Math.max(packed(mb, m), packed(r, m));
    return [['a', m * n], ['b', mb * m], ['w', m * n], ['tau', r], ['qt', r * n], ['l', m * r], ['out', mb * r], ['pa', pack], ['pb', pack]] as const;
  }),
  /** Complex centre move right (split planes). */
  shiftRightC: layout(['shiftRightWC'], ({ m, n, nb }: { m: number; n: number; nb: number }) => {
    const r = Math.min(m, n);
    const pack = Math.max(packed(r, 2 * n), packed(nb, 2 * n));
    return [
      ['ar', m * n], ['ai', m * n], ['br', n * nb], ['bi', n * nb], ['w', 2 * m * n], ['tau', 2 * r], ['qt', 2 * r * m], ['rr', 2 * r * n],
      ['qr', m * r], ['qi', m * r], ['or', r * nb], ['oi', r * nb], ['pa', pack], ['pb', pack],
    ] as const;
  }),
  /** Complex centre move left (split planes). */
  shiftLeftC: layout(['shiftLeftWC'], ({ m, n, mb }: { m: number; n: number; mb: number }) => {
    const r = Math.min(m, n);
    const pack = Math.max(packed(mb, 2 * m), packed(r, 2 * m));
    return [
      ['ar', m * n], ['ai', m * n], ['br', mb * m], ['bi', mb * m], ['w', 2 * m * n], ['tau', 2 * r], ['l', 2 * m * r],
      ['qr', r * n], ['qi', r * n], ['or', mb * r], ['oi', mb * r], ['pa', pack], ['pb', pack],
    ] as const;
  }),
} as const;

/** Region names of a layout. */
export type RegionName<L> = L extends ArenaLayout<infer N, unknown> ? N : never;
/** Dimensions of a layout. */
export type LayoutDims<L> = L extends ArenaLayout<string, infer D> ? D : never;
