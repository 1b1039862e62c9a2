/**
 * The two-site tensor of a gate update in TypeScript: θ = A·B on the shared bond, then
 * θ' = G·θ on the physical pair. The fused WebAssembly pipelines (wasm-fused.ts) perform the
 * same operations in the same order.
 */
import { gemmComplex, gemmReal } from './matmul.js';

/** A matrix or tensor on split planes; `im` null when it is real. */
export interface Planes {
  /** Real plane. */
  re: Float64Array;
  /** Imaginary plane, or null for real data. */
  im: Float64Array | null;
}

/**
 * θ' = G·(A·B) for A: (dl·2)×c (legs vL p1 [c]), B: c×(2·dr) (legs [c] p2 vR) and the 4×4
 * gate G (basis 2·b(p1) + b(p2), row-major), as a (vL p1)×(p2 vR) row-major matrix on split
 * planes; `real` (A, B and G all real) gives `im` null. New arrays; no truncation, no
 * finiteness check.
 */
export function twoSiteThetaTs(dl: number, c: number, dr: number, A: Planes, B: Planes, g: Planes, real: boolean): Planes {
  const size = dl * 4 * dr;
  const tre = new Float64Array(size);
  const tim = real ? null : new Float64Array(size);
  if (A.im === null && B.im === null) gemmReal('N', 'N', dl * 2, 2 * dr, c, A.re, B.re, tre);
  else gemmComplex('N', 'N', dl * 2, 2 * dr, c, A.re, A.im, B.re, B.im, tre, tim!);
  // theta': vL t1 t2 vR = G[(t1 t2), [(s1 s2)]] · theta: vL [s1 s2] vR
  const ore = new Float64Array(size);
  const oim = real ? null : new Float64Array(size);
  const gr = g.re, gi = g.im;
  for (let a = 0; a < dl; a++) {
    const base = a * 4 * dr;
    for (let t = 0; t < 4; t++) {
      const ob = base + t * dr;
      for (let s = 0; s < 4; s++) {
        const xr = gr[t * 4 + s]!, xi = gi ? gi[t * 4 + s]! : 0;
        if (xr === 0 && xi === 0) continue;
        const ib = base + s * dr;
        if (oim) {
          for (let b = 0; b < dr; b++) {
            const yr = tre[ib + b]!, yi = tim ? tim[ib + b]! : 0;
            ore[ob + b]! += xr * yr - xi * yi;
            oim[ob + b]! += xr * yi + xi * yr;
          }
        } else {
          for (let b = 0; b < dr; b++) ore[ob + b]! += xr * tre[ib + b]!;
        }
      }
    }
  }
  return { re: ore, im: oim };
}

/** True when every entry of the planes is finite. */
export function allFinite(p: Planes): boolean {
  const { re, im } = p;
  for (let k = 0; k < re.length; k++) if (!Number.isFinite(re[k]!) || (im !== null && !Number.isFinite(im[k]!))) return false;
  return true;
}
