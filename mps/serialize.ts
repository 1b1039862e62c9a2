/**
 * JSON serialisation of an {@link Mps} that round-trips bit-exactly: each plane is stored as
 * the base64 of its little-endian IEEE-754 float64 bytes.
 *
 * Format (version 1):
 * `{ "format": "qdistill-mps", "version": 1, "n": 3, "center": 0,
 *    "sites": [{ "dl": 1, "d": 2, "dr": 2, "re": "<base64>", "im": "<base64>" | null }, …] }`
 */
import { checkNormSquared, Mps, type SiteTensor } from './mps.js';

/** The JSON form of an MPS. */
export interface MpsJson {
  format: 'qdistill-mps';
  version: 1;
  n: number;
  center: number;
  sites: { dl: number; d: number; dr: number; re: string; im: string | null }[];
}

function encode(a: Float64Array): string {
  const le = new Float64Array(a); // copy: DataView-free, platform is little-endian on every Node target
  return Buffer.from(le.buffer, le.byteOffset, le.byteLength).toString('base64');
}

function decode(s: string, expected: number, where: string): Float64Array {
  if (typeof s !== 'string') throw new Error(`${where}: expected a base64 string, got ${typeof s}`);
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== expected * 8) throw new Error(`${where}: expected ${expected} float64 values (${expected * 8} bytes), got ${buf.byteLength} bytes`);
  const out = new Float64Array(expected);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Converts an MPS to its JSON form. */
export function mpsToJson(psi: Mps): MpsJson {
  return {
    format: 'qdistill-mps',
    version: 1,
    n: psi.n,
    center: psi.center,
    sites: psi.sites.map((t) => ({ dl: t.dl, d: t.d, dr: t.dr, re: encode(t.re), im: t.im ? encode(t.im) : null })),
  };
}

/**
 * Rebuilds an MPS from its JSON form (object or string), validating every field.
 * @throws Error naming the field and the value, for a non-finite entry, or when the state's
 *   norm is 0 or overflows.
 */
export function mpsFromJson(input: unknown): Mps {
  const j = (typeof input === 'string' ? JSON.parse(input) : input) as Partial<MpsJson> | null;
  if (!j || typeof j !== 'object') throw new Error('MPS JSON must be an object');
  if (j.format !== 'qdistill-mps') throw new Error(`MPS JSON: format must be 'qdistill-mps', got ${JSON.stringify(j.format)}`);
  if (j.version !== 1) throw new Error(`MPS JSON: unsupported version ${JSON.stringify(j.version)}; allowed: 1`);
  if (!Array.isArray(j.sites) || j.sites.length !== j.n) throw new Error(`MPS JSON: sites must be an array of length n = ${j.n}`);
  const sites: SiteTensor[] = j.sites.map((s, i) => {
    for (const k of ['dl', 'd', 'dr'] as const) {
      if (!Number.isInteger(s[k]) || s[k] < 1) throw new Error(`MPS JSON: sites[${i}].${k} must be an integer ≥ 1, got ${s[k]}`);
    }
    const size = s.dl * s.d * s.dr;
    return {
      dl: s.dl, d: s.d, dr: s.dr,
      re: decode(s.re, size, `MPS JSON: sites[${i}].re`),
      im: s.im === null ? null : decode(s.im, size, `MPS JSON: sites[${i}].im`),
    };
  });
  const psi = new Mps(sites, j.center ?? 0);
  checkNormSquared(psi.normSquared(), 'MPS JSON: the state');
  return psi;
}
