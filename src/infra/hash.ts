/**
 * Stable content hashes (SHA-256, lowercase hex) for cache keys and checksums (docs/design.md §5:
 * soft labels are keyed by the teacher checkpoint hash and the dataset hash; a training
 * checkpoint by the hash of its options). The one canonical JSON of the project lives here.
 *
 * - {@link sha256Hex}: of a UTF-8 string.
 * - {@link hashJson}: of a JSON value in canonical form (object keys sorted by code unit at
 *   every depth, no whitespace), so key order and formatting never change the hash.
 * - {@link hashFloat64}: of the exact IEEE-754 bytes of Float64Arrays (little-endian on every
 *   platform), with each array's length framed in, so −0 ≠ 0, NaN payloads count, and
 *   [a, b] ≠ [ab].
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

/** A value {@link hashJson} accepts: plain JSON (finite numbers only). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/**
 * Canonical JSON text of `value`: object keys sorted at every depth, properties whose value is
 * `undefined` omitted (as JSON.stringify does), numbers as JSON.stringify writes them (which
 * round-trips float64; −0 is written 0).
 * @throws Error naming the path of a non-finite number, a typed array, a non-plain object, or
 *   any other non-JSON value.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return canon(value, '$');
}

function canon(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`cannot hash ${path}: number must be finite, got ${v}`);
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x: unknown, i) => canon(x, `${path}[${i}]`)).join(',')}]`;
      if (ArrayBuffer.isView(v)) throw new Error(`cannot hash ${path}: typed arrays are not JSON (use hashFloat64)`);
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new Error(`cannot hash ${path}: only plain objects are JSON, got ${Object.prototype.toString.call(v)}`);
      const rec = v as Record<string, unknown>;
      const parts: string[] = [];
      for (const k of Object.keys(rec).sort()) {
        if (rec[k] === undefined) continue;
        parts.push(`${JSON.stringify(k)}:${canon(rec[k], `${path}.${k}`)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new Error(`cannot hash ${path}: ${typeof v} is not a JSON value`);
  }
}

/** Hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * SHA-256 (hex) of {@link canonicalJson}(value).
 * @example hashJson({ b: 1, a: 2 }) === hashJson({ a: 2, b: 1 }) // true
 */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** The exact bytes of `a` in little-endian order (a view, not a copy, on little-endian hosts). */
export function float64LeBytes(a: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * 8);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) dv.setFloat64(8 * i, a[i]!, true);
  return out;
}

/** Float64Array from little-endian bytes (length must be a multiple of 8); always a fresh, aligned copy. */
export function float64FromLeBytes(bytes: Uint8Array): Float64Array {
  if (bytes.length % 8 !== 0) throw new Error(`float64 byte length must be a multiple of 8, got ${bytes.length}`);
  const out = new Float64Array(bytes.length / 8);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = dv.getFloat64(8 * i, true);
  }
  return out;
}

/**
 * SHA-256 (hex) of the exact bytes of one Float64Array or a list of them. The hash covers a
 * domain tag, the number of arrays and each array's length, then its little-endian bytes, so
 * it is the same on every platform and distinguishes how values are split between arrays.
 * A single array hashes like a list of one.
 */
export function hashFloat64(arrays: Float64Array | readonly Float64Array[]): string {
  const list: readonly Float64Array[] = arrays instanceof Float64Array ? [arrays] : arrays;
  const h = createHash('sha256');
  h.update('qdistill:float64:v1\n', 'utf8');
  const header = new DataView(new ArrayBuffer(8));
  const u64 = (n: number) => { header.setBigUint64(0, BigInt(n), true); h.update(new Uint8Array(header.buffer)); };
  u64(list.length);
  list.forEach((a, i) => {
    if (!(a instanceof Float64Array)) throw new Error(`hashFloat64: arrays[${i}] must be a Float64Array, got ${Object.prototype.toString.call(a)}`);
    u64(a.length);
    h.update(float64LeBytes(a));
  });
  return h.digest('hex');
}
