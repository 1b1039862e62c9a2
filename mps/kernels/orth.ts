/**
 * Re-orthonormalisation of the rows of a k×q row-major matrix (real, or complex on split
 * planes with `im === null` meaning real), with basis completion for rows that are zero or
 * linearly dependent. Used to finish SVDs: completing the singular vectors of zero singular
 * values, and repairing the vectors of the Gram-matrix SVD. Dot products use the two-lane
 * order of mps/kernels/lanes.ts; the real case runs in WebAssembly when available (same
 * operations, bit-identical).
 */
import { cdot2, cdotOut, dot2 } from './lanes.js';
import { WASM_MIN_ORTHO, wasmOrthoRows, wasmOrthoRowsC } from './wasm-ops.js';

/** Inner-product helper: removes from row `t` its projection on rows `0..t-1` (one pass). */
function projectOut(t: number, q: number, re: Float64Array, im: Float64Array | null): void {
  const ot = t * q;
  for (let s = 0; s < t; s++) {
    const os = s * q;
    if (im === null) {
      const d = dot2(re, os, re, ot, q, 0);
      if (d !== 0) for (let i = 0; i < q; i++) re[ot + i] -= d * re[os + i];
    } else {
      // d = <row s, row t> = Σ conj(x_s) x_t
      cdot2(re, im, os, re, im, ot, q, 0, 0);
      const dr = cdotOut[0]!, di = cdotOut[1]!;
      if (dr !== 0 || di !== 0) {
        for (let i = 0; i < q; i++) {
          const ar = re[os + i], ai = im[os + i];
          re[ot + i] -= dr * ar - di * ai;
          im[ot + i] -= dr * ai + di * ar;
        }
      }
    }
  }
}

function rowNorm(t: number, q: number, re: Float64Array, im: Float64Array | null): number {
  const ot = t * q;
  let s = dot2(re, ot, re, ot, q, 0);
  if (im !== null) s += dot2(im, ot, im, ot, q, 0);
  return Math.sqrt(s);
}

function scaleRow(t: number, q: number, re: Float64Array, im: Float64Array | null, f: number): void {
  const ot = t * q;
  for (let i = 0; i < q; i++) re[ot + i] *= f;
  if (im !== null) for (let i = 0; i < q; i++) im[ot + i] *= f;
}

/**
 * Replaces row `t` by a unit vector orthogonal to rows `0..t-1` (assumed orthonormal),
 * trying the coordinate vectors e_0, e_1, … in turn. Requires t < q.
 */
function completeRow(t: number, q: number, re: Float64Array, im: Float64Array | null): void {
  const ot = t * q;
  const accept = Math.sqrt(0.5 / q); // some e_c always leaves a residual ≥ √((q−t)/q)
  for (let c = 0; c < q; c++) {
    re.fill(0, ot, ot + q);
    if (im !== null) im.fill(0, ot, ot + q);
    re[ot + c] = 1;
    projectOut(t, q, re, im);
    projectOut(t, q, re, im);
    const nr = rowNorm(t, q, re, im);
    if (nr > accept) {
      scaleRow(t, q, re, im, 1 / nr);
      return;
    }
  }
}

/**
 * Orthonormalises rows `from..k-1` of the k×q row-major matrix (re, im) against all earlier
 * rows (rows `0..from-1` must already be orthonormal), by modified Gram–Schmidt with a
 * second pass when the first loses more than 30% of the norm ("twice is enough").
 * A row that is zero, or that keeps less than `dropTol` of its norm after the projection,
 * is replaced by a completing unit vector. Requires k ≤ q. In place.
 */
export function orthonormalizeRows(k: number, q: number, re: Float64Array, im: Float64Array | null, from = 0, dropTol = 1e-3): void {
  if (k > from && k * q >= WASM_MIN_ORTHO && (im === null ? wasmOrthoRows(k, q, re, from, dropTol) : wasmOrthoRowsC(k, q, re, im, from, dropTol))) return;
  for (let t = from; t < k; t++) {
    const n0 = rowNorm(t, q, re, im);
    if (n0 === 0 || !Number.isFinite(n0)) {
      completeRow(t, q, re, im);
      continue;
    }
    scaleRow(t, q, re, im, 1 / n0);
    projectOut(t, q, re, im);
    let n1 = rowNorm(t, q, re, im);
    if (n1 < 0.7) {
      // Kahan–Parlett: a second pass only when the first one cancelled much of the row
      projectOut(t, q, re, im);
      n1 = rowNorm(t, q, re, im);
    }
    if (n1 < dropTol) completeRow(t, q, re, im);
    else scaleRow(t, q, re, im, 1 / n1);
  }
}

/**
 * Replaces rows `from..k-1` of the k×q row-major matrix by unit vectors orthogonal to all
 * earlier rows (rows `0..from-1` must be orthonormal). Requires k ≤ q. In place.
 */
export function completeRows(k: number, q: number, re: Float64Array, im: Float64Array | null, from: number): void {
  for (let t = from; t < k; t++) completeRow(t, q, re, im);
}
