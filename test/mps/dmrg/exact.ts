/**
 * Independent references for the DMRG tests (no engine code beyond the PauliSum type):
 * - a matrix-free real Pauli-sum matvec on 2^n amplitudes (big-endian: qubit 0 is the most
 *   significant bit) and a Lanczos with full reorthogonalisation whose small tridiagonal
 *   problems are solved by ml-matrix (so neither the engine's Lanczos nor its eigh is used);
 * - the dense matrix of a Pauli sum (for small n);
 * - the closed-form ground-state energy of the open TFIM chain (free fermions).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { PauliSum } from '../../../mps/pauli.js';

/** One Pauli string as bit masks: P|x⟩ = sign·(−1)^{popcount(x & z)} |x ⊕ flip⟩. */
interface MaskTerm { flip: number; z: number; sign: number }

/** Masks of a real Pauli sum (every term with an even number of Y factors). */
export function masks(n: number, sum: PauliSum): MaskTerm[] {
  return sum.map((t) => {
    let flip = 0, z = 0, ny = 0;
    for (const f of t.factors) {
      const bit = 1 << (n - 1 - f.q);
      if (f.p === 'X') flip |= bit;
      else if (f.p === 'Z') z |= bit;
      else if (f.p === 'Y') { flip |= bit; z |= bit; ny++; } // Y = i·X·Z
    }
    if (ny % 2 !== 0) throw new Error('exact: term with an odd number of Y is not real');
    return { flip, z, sign: t.coeff * (ny % 4 === 0 ? 1 : -1) };
  });
}

function popParity(x: number): number {
  x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1;
  return x & 1;
}

/** y = H x for a real Pauli sum (matrix-free). */
export function pauliMatvec(n: number, terms: MaskTerm[], x: Float64Array, y: Float64Array): void {
  y.fill(0);
  const N = 1 << n;
  for (const t of terms) {
    for (let b = 0; b < N; b++) {
      const v = x[b]!;
      if (v === 0) continue;
      y[b ^ t.flip]! += (popParity(b & t.z) ? -t.sign : t.sign) * v;
    }
  }
}

/** The dense 2^n × 2^n matrix of a real Pauli sum (row-major). */
export function denseMatrix(n: number, sum: PauliSum): Float64Array {
  const N = 1 << n;
  const H = new Float64Array(N * N);
  const terms = masks(n, sum);
  for (const t of terms) for (let b = 0; b < N; b++) H[(b ^ t.flip) * N + b]! += popParity(b & t.z) ? -t.sign : t.sign;
  return H;
}

/**
 * The two lowest eigenvalues and the ground state of a real Pauli sum on n ≤ 14 qubits by
 * Lanczos with full reorthogonalisation (up to `maxIter` vectors; the ground-state
 * residual reaches ≈ 1e-12). With `project` (an orthogonal projector applied in place, e.g.
 * (1 ± P)/2 for a symmetry P that commutes with H), the Krylov space stays in its range: the
 * lowest two eigenvalues and the ground state of H restricted to that sector.
 */
export function exactGroundState(n: number, sum: PauliSum, seed = 1, maxIter = 300, project?: (v: Float64Array) => void): { e0: number; e1: number; psi: Float64Array; residual: number } {
  const N = 1 << n;
  const terms = masks(n, sum);
  let s = seed >>> 0 || 1;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32 - 0.5; };
  const V: Float64Array[] = [];
  let v = Float64Array.from({ length: N }, rnd);
  project?.(v);
  const norm = (a: Float64Array) => Math.sqrt(a.reduce((acc, x) => acc + x * x, 0));
  const nv = norm(v);
  v = v.map((x) => x / nv);
  const alpha: number[] = [], beta: number[] = [];
  const w = new Float64Array(N);
  let ritz = { e0: NaN, e1: NaN, y: [] as number[], res: Infinity };
  for (let j = 0; j < Math.min(maxIter, N); j++) {
    V.push(v);
    pauliMatvec(n, terms, v, w);
    project?.(w);
    let a = 0;
    for (let i = 0; i < N; i++) a += v[i]! * w[i]!;
    alpha.push(a);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of V) {
        let c = 0;
        for (let i = 0; i < N; i++) c += u[i]! * w[i]!;
        for (let i = 0; i < N; i++) w[i]! -= c * u[i]!;
      }
    }
    const b = norm(w);
    const m = j + 1;
    if (m >= 2 && (m % 10 === 0 || b < 1e-12 || m === Math.min(maxIter, N))) {
      const T = Matrix.zeros(m, m);
      for (let k = 0; k < m; k++) { T.set(k, k, alpha[k]!); if (k + 1 < m) { T.set(k, k + 1, beta[k]!); T.set(k + 1, k, beta[k]!); } }
      const evd = new EigenvalueDecomposition(T, { assumeSymmetric: true });
      const ev = evd.realEigenvalues;
      const order = ev.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
      const i0 = order[0]![1];
      const y = Array.from({ length: m }, (_, k) => evd.eigenvectorMatrix.get(k, i0));
      ritz = { e0: order[0]![0], e1: order[1]![0], y, res: Math.abs(b * y[m - 1]!) };
      if (ritz.res < 1e-13 * Math.max(1, Math.abs(ritz.e0)) && m >= 40) break;
      if (b < 1e-12) break;
    }
    beta.push(b);
    v = w.map((x) => x / b);
  }
  const psi = new Float64Array(N);
  ritz.y.forEach((c, k) => { const u = V[k]!; for (let i = 0; i < N; i++) psi[i]! += c * u[i]!; });
  const np = norm(psi);
  for (let i = 0; i < N; i++) psi[i]! /= np;
  return { e0: ritz.e0, e1: ritz.e1, psi, residual: ritz.res };
}

/**
 * Closed-form ground-state energy of the open TFIM chain H = −J Σ_{i<n−1} Z_i Z_{i+1} − h Σ_i X_i
 * (Lieb–Schultz–Mattis 1961, Pfeuty 1970): after the Jordan–Wigner transformation the
 * single-particle energies Λ_k are the singular values of the n×n bidiagonal M
 * (M_ii = h, M_{i,i+1} = J) and E0 = −Σ_k Λ_k. The Λ_k are read as the non-negative
 * eigenvalues of the symmetric 2n×2n matrix [[0, M], [Mᵀ, 0]] (eigenvalues ±Λ_k; this keeps
 * full absolute accuracy for the exponentially small edge mode of the ordered phase), and
 * E0 = −½ Σ |eigenvalues|.
 */
export function tfimFreeFermionEnergy(n: number, J: number, h: number): number {
  const B = Matrix.zeros(2 * n, 2 * n);
  for (let i = 0; i < n; i++) {
    B.set(i, n + i, h); B.set(n + i, i, h);
    if (i + 1 < n) { B.set(i, n + i + 1, J); B.set(n + i + 1, i, J); }
  }
  const ev = new EigenvalueDecomposition(B, { assumeSymmetric: true }).realEigenvalues;
  // Kahan-free but ordered summation (smallest first) for a reproducible sum
  const abs = ev.map(Math.abs).sort((a, b) => a - b);
  let s = 0;
  for (const x of abs) s += x;
  return -0.5 * s;
}

/**
 * The orthogonal projector onto a symmetry sector, in place on 2^n amplitudes (big-endian):
 * - `{ flip, sign }`: (1 + sign·F)/2 with F|x⟩ = |x ⊕ flip⟩ (a product of X on the flip mask);
 * - `{ zmask, sign }`: (1 + sign·Z)/2 with Z|x⟩ = (−1)^{popcount(x & zmask)}|x⟩;
 * - `{ ones }`: keeps the basis states with exactly `ones` bits set (a magnetisation sector).
 * Several are applied in turn (they commute).
 */
export type SectorProjector = { flip: number; sign: 1 | -1 } | { zmask: number; sign: 1 | -1 } | { ones: number };

/** The projector onto the intersection of the sectors `ps` (see {@link SectorProjector}), applied in place. */
export function sectorProjector(n: number, ps: SectorProjector[]): (v: Float64Array) => void {
  const N = 1 << n;
  const pop = (x: number) => { let c = 0; while (x) { x &= x - 1; c++; } return c; };
  return (v) => {
    for (const p of ps) {
      if ('flip' in p) {
        const t = v.slice();
        for (let x = 0; x < N; x++) v[x] = 0.5 * (t[x]! + p.sign * t[x ^ p.flip]!);
      } else if ('zmask' in p) {
        for (let x = 0; x < N; x++) if ((pop(x & p.zmask) % 2 === 1 ? -1 : 1) !== p.sign) v[x] = 0;
      } else {
        for (let x = 0; x < N; x++) if (pop(x) !== p.ones) v[x] = 0;
      }
    }
  };
}
