/**
 * Perfect sampling of computational-basis bitstrings from an {@link Mps}
 * (Ferris & Vidal, PRB 85, 165146 (2012)): with the centre on site 0 every later site is a
 * right-isometry, so the marginal of qubit q given the earlier outcomes is ‖v·A_q[:, s, :]‖².
 * Cost O(nχ²) per shot; the state is never copied.
 */
import type { Mps } from './mps.js';
import { makeRng, type Rng } from './rng.js';

/**
 * Draws `shots` bitstrings (qubit 0 first) from |ψ|²/⟨ψ|ψ⟩. Moves the centre to 0.
 * @param seed seed for the generator, or an {@link Rng}
 * @throws Error when `shots` is not an integer ≥ 0, or ⟨ψ|ψ⟩ is 0 or not finite (such a
 *   vector defines no distribution to sample from).
 */
export function sampleBitstrings(psi: Mps, shots: number, seed: string | number | Rng): string[] {
  if (!Number.isInteger(shots) || shots < 0) throw new Error(`shots must be an integer ≥ 0, got ${shots}`);
  const rng = typeof seed === 'function' ? seed : makeRng(seed);
  psi.moveCenterInPlace(0);
  const norm2 = psi.normSquared();
  if (!(norm2 > 0) || !Number.isFinite(norm2)) throw new Error(`cannot sample from a state of norm ${Math.sqrt(norm2)}`);
  const widest = Math.max(...psi.sites.map((t) => t.dr), 1);
  let vr = new Float64Array(widest), vi = new Float64Array(widest);
  let wr = new Float64Array(2 * widest), wi = new Float64Array(2 * widest);
  const out: string[] = [];
  const bits = new Array<string>(psi.n);
  for (let shot = 0; shot < shots; shot++) {
    vr[0] = 1; vi[0] = 0;
    for (let q = 0; q < psi.n; q++) {
      const t = psi.sites[q]!;
      const { dl, d, dr } = t;
      // w[s, b] = Σ_a v[a] · A[a, s, b]
      wr.fill(0, 0, d * dr); wi.fill(0, 0, d * dr);
      for (let a = 0; a < dl; a++) {
        const xr = vr[a]!, xi = vi[a]!;
        for (let s = 0; s < d; s++) {
          const off = (a * d + s) * dr;
          for (let b = 0; b < dr; b++) {
            const yr = t.re[off + b]!, yi = t.im ? t.im[off + b]! : 0;
            wr[s * dr + b]! += xr * yr - xi * yi;
            wi[s * dr + b]! += xr * yi + xi * yr;
          }
        }
      }
      const p = new Float64Array(d);
      let tot = 0;
      for (let s = 0; s < d; s++) {
        let acc = 0;
        for (let b = 0; b < dr; b++) acc += wr[s * dr + b]! ** 2 + wi[s * dr + b]! ** 2;
        p[s] = acc; tot += acc;
      }
      let u = rng() * tot;
      let s = 0;
      while (s < d - 1 && (u >= p[s]! || p[s] === 0)) { u -= p[s]!; s++; }
      const scale = 1 / Math.sqrt(p[s]!);
      for (let b = 0; b < dr; b++) { vr[b] = wr[s * dr + b]! * scale; vi[b] = wi[s * dr + b]! * scale; }
      bits[q] = String(s);
    }
    out.push(bits.join(''));
  }
  return out;
}
