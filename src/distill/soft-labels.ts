/**
 * The teacher soft-label cache (docs/design.md §5): the teacher's logits are computed once at its
 * bond dimension χ_T and cutoff, stored on disk with each sample's fidelity estimate, and
 * keyed by (teacher checkpoint hash, dataset hash, χ_T, cutoff). A changed teacher, data set,
 * χ_T or cutoff gives a different file; the same ones reload the stored values exactly.
 *
 * File: `<cacheDir>/soft-labels-<key>.json`, written atomically and checksummed by
 * `writeJsonChecked` (docs/design.md §8). Float64Arrays are stored as base64 of their
 * little-endian bytes, so every value (−0, subnormals, NaN) round-trips bit for bit. The file
 * (format version 1) stores the per-sample bond reached under the field name `maxBond`, the
 * name it had when the format was fixed; in memory it is `bondReached`.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonChecked, writeJsonChecked } from '../infra/atomic.js';
import { float64FromLeBytes, float64LeBytes, hashJson } from '../infra/hash.js';

/** Teacher outputs on one split (train, test, …), one entry per sample in data-set order. */
export interface SoftLabelSplit {
  /** Teacher logits z_t per sample, each of length C (the same C for every sample). */
  logits: Float64Array[];
  /** Per-sample fidelity estimate of the teacher's truncated simulation (1 = exact). */
  fidelity: Float64Array;
  /** Per-sample largest bond dimension the teacher's state reached (≤ χ_T). */
  bondReached: Float64Array;
}

/** Teacher outputs on one split as a computation hands them to {@link loadOrComputeSoftLabels} (the bond reached per sample as `bondReached`). */
export interface SoftLabelSplitInput {
  /** As {@link SoftLabelSplit.logits}. */
  logits: Float64Array[];
  /** As {@link SoftLabelSplit.fidelity}. */
  fidelity: Float64Array;
  /** As {@link SoftLabelSplit.bondReached}. */
  bondReached: Float64Array;
}

/** Soft labels as a computation hands them to {@link loadOrComputeSoftLabels} (see {@link SoftLabelSplitInput}). */
export interface SoftLabelsInput {
  /** Split name → teacher outputs on that split. */
  splits: Record<string, SoftLabelSplitInput>;
  /** The key parts they were computed under. */
  key: SoftLabelKeyParts;
}

/** What a soft-label cache entry depends on. */
export interface SoftLabelKeyParts {
  /** Content hash of the teacher checkpoint (e.g. `hashJson` of its saved JSON). */
  teacherHash: string;
  /** Content hash of the data set the labels are for (e.g. `hashFloat64` of its features). */
  datasetHash: string;
  /**
   * The teacher's bond-dimension cap χ_T (integer ≥ 1). Absent means no cap (an uncapped MPS
   * teacher, or a state-vector teacher); `0`, `null` and `Infinity` are refused, so one key
   * never has two spellings.
   */
  maxBond?: number;
  /**
   * The teacher's SVD truncation cutoff (finite, ≥ 0). Absent for a teacher that never
   * truncates (the state-vector backend).
   */
  cutoff?: number;
}

/** Cached teacher soft labels: per split, and the key they were computed under. */
export interface SoftLabels {
  /** Split name → teacher outputs on that split. */
  splits: Record<string, SoftLabelSplit>;
  /** The key parts they were computed under (checked against the requested key on load). */
  key: SoftLabelKeyParts;
}

/** Options of {@link loadOrComputeSoftLabels}. */
export interface SoftLabelCacheOptions {
  /**
   * What to do when the cache file exists but is damaged (truncated, checksum mismatch,
   * malformed, or holding another key): `'throw'` an Error naming the file (docs/design.md §8),
   * or `'recompute'` and overwrite it. Default {@link DEFAULT_ON_CORRUPT}.
   */
  onCorrupt?: 'throw' | 'recompute';
}

/** Default reaction to a damaged cache file: throw. */
export const DEFAULT_ON_CORRUPT = 'throw';

/** The outcome of {@link loadOrComputeSoftLabels}. */
export interface SoftLabelsLoad {
  /** The soft labels. */
  labels: SoftLabels;
  /** The cache file. */
  path: string;
  /** `'cache'`: read from disk; `'computed'`: no file, computed and stored; `'recomputed'`: the file was damaged, computed and overwritten. */
  source: 'cache' | 'computed' | 'recomputed';
  /** With `'recomputed'`: the error the damaged file raised. */
  corruption?: string;
}

const FORMAT = 'qdistill.soft-labels';
const VERSION = 1;

/**
 * Validates key parts, naming the field and the value.
 * @throws Error for an unknown part, an empty hash, a `maxBond` that is present but not an
 *   integer ≥ 1, or a `cutoff` that is present but not a finite number ≥ 0.
 */
export function validateSoftLabelKeyParts(parts: SoftLabelKeyParts): void {
  for (const k of Object.keys(parts)) {
    if (!['teacherHash', 'datasetHash', 'maxBond', 'cutoff'].includes(k)) throw new Error(`unknown soft-label key part '${k}' (allowed: teacherHash, datasetHash, maxBond, cutoff)`);
  }
  for (const k of ['teacherHash', 'datasetHash'] as const) {
    if (typeof parts[k] !== 'string' || parts[k].length === 0) throw new Error(`soft-label ${k} must be a non-empty string, got ${JSON.stringify(parts[k])}`);
  }
  if (parts.maxBond !== undefined && !(Number.isInteger(parts.maxBond) && parts.maxBond >= 1)) {
    throw new Error(`soft-label maxBond must be an integer ≥ 1, got ${parts.maxBond} (omit maxBond for a teacher without a bond cap)`);
  }
  if (parts.cutoff !== undefined && !(typeof parts.cutoff === 'number' && Number.isFinite(parts.cutoff) && parts.cutoff >= 0)) {
    throw new Error(`soft-label cutoff must be a finite number ≥ 0, got ${parts.cutoff} (omit cutoff for a teacher that never truncates)`);
  }
}

/**
 * The cache key: SHA-256 (hex) of the canonical JSON of the key parts (with a format tag and
 * version). Equal parts give equal keys; any change of teacher, data set, χ_T or cutoff
 * changes it.
 */
export function softLabelKey(parts: SoftLabelKeyParts): string {
  validateSoftLabelKeyParts(parts);
  const { teacherHash, datasetHash, maxBond, cutoff } = parts;
  return hashJson({ format: FORMAT, version: VERSION, teacherHash, datasetHash, maxBond, cutoff });
}

/** The cache file for `parts` inside `cacheDir`. */
export function softLabelPath(cacheDir: string, parts: SoftLabelKeyParts): string {
  return join(cacheDir, `soft-labels-${softLabelKey(parts)}.json`);
}

function sameKey(a: SoftLabelKeyParts, b: SoftLabelKeyParts): boolean {
  return a.teacherHash === b.teacherHash && a.datasetHash === b.datasetHash && a.maxBond === b.maxBond && (a.cutoff === undefined ? b.cutoff === undefined : Object.is(a.cutoff, b.cutoff));
}

/**
 * The soft labels of a computation, each split reduced to its logits, fidelities and bonds reached.
 * @throws Error naming the split when `bondReached` is missing.
 */
function normalizeSoftLabels(labels: SoftLabelsInput): SoftLabels {
  const splits = Object.fromEntries(Object.entries(labels.splits).map(([name, s]): [string, SoftLabelSplit] => {
    if (s.bondReached === undefined) throw new Error(`soft labels split '${name}': bondReached is missing (a Float64Array, one entry per sample)`);
    return [name, { logits: s.logits, fidelity: s.fidelity, bondReached: s.bondReached }];
  }));
  return { splits, key: labels.key };
}

/** Checks the shapes of `labels`: every split has as many fidelities and bonds as samples, and one C. */
export function validateSoftLabels(labels: SoftLabels): void {
  validateSoftLabelKeyParts(labels.key);
  for (const [name, s] of Object.entries(labels.splits)) {
    if (!Array.isArray(s.logits)) throw new Error(`soft labels split '${name}': logits must be an array of Float64Array`);
    for (const f of ['fidelity', 'bondReached'] as const) {
      if (!(s[f] instanceof Float64Array)) throw new Error(`soft labels split '${name}': ${f} must be a Float64Array`);
      if (s[f].length !== s.logits.length) throw new Error(`soft labels split '${name}': ${f} has ${s[f].length} entries for ${s.logits.length} samples`);
    }
    const C = s.logits[0]?.length ?? 0;
    s.logits.forEach((z, i) => {
      if (!(z instanceof Float64Array)) throw new Error(`soft labels split '${name}': logits[${i}] must be a Float64Array`);
      if (z.length !== C || C < 1) throw new Error(`soft labels split '${name}': logits[${i}] has ${z.length} classes, expected ${C} (≥ 1, as logits[0])`);
    });
  }
}

/** A stored split; `maxBond` holds the bonds reached (the format's field name, kept for version 1). */
interface StoredSplit { n: number; classes: number; logits: string; fidelity: string; maxBond: string }
interface StoredSoftLabels { format: string; version: number; key: SoftLabelKeyParts; splits: Record<string, StoredSplit> }

const b64 = (a: Float64Array): string => Buffer.from(float64LeBytes(a)).toString('base64');

function encode(labels: SoftLabels): StoredSoftLabels {
  const splits = Object.fromEntries(Object.entries(labels.splits).map(([name, s]) => {
    const n = s.logits.length, C = s.logits[0]?.length ?? 0;
    const flat = new Float64Array(n * C); // sample-major: [sample, class]
    s.logits.forEach((z, i) => flat.set(z, i * C));
    return [name, { n, classes: C, logits: b64(flat), fidelity: b64(s.fidelity), maxBond: b64(s.bondReached) }];
  }));
  return { format: FORMAT, version: VERSION, key: { ...labels.key }, splits };
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes a stored payload, or throws the reason (without the file name). */
function decode(raw: unknown, expected: SoftLabelKeyParts): SoftLabels {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(raw) || raw['format'] !== FORMAT) throw new Error(`not a soft-label file (format ${JSON.stringify(isObj(raw) ? raw['format'] : raw)})`);
  if (raw['version'] !== VERSION) throw new Error(`unsupported version ${JSON.stringify(raw['version'])} (expected ${VERSION})`);
  const key = raw['key'];
  if (!isObj(key)) throw new Error('missing key');
  const parts = { teacherHash: key['teacherHash'], datasetHash: key['datasetHash'], ...('maxBond' in key ? { maxBond: key['maxBond'] } : {}), ...('cutoff' in key ? { cutoff: key['cutoff'] } : {}) } as SoftLabelKeyParts;
  validateSoftLabelKeyParts(parts);
  if (!sameKey(parts, expected)) throw new Error(`holds key ${JSON.stringify(parts)}, expected ${JSON.stringify(expected)}`);
  const rawSplits = raw['splits'];
  if (!isObj(rawSplits)) throw new Error('missing splits');
  const arr = (s: Record<string, unknown>, f: string, len: number, where: string): Float64Array => {
    const v = s[f];
    if (typeof v !== 'string' || !BASE64_RE.test(v)) throw new Error(`${where}.${f} is not base64`);
    const a = float64FromLeBytes(Buffer.from(v, 'base64'));
    if (a.length !== len) throw new Error(`${where}.${f} has ${a.length} values, expected ${len}`);
    return a;
  };
  const splits = Object.fromEntries(Object.entries(rawSplits).map(([name, s]): [string, SoftLabelSplit] => {
    const where = `split '${name}'`;
    if (!isObj(s)) throw new Error(`${where} is not an object`);
    const n = s['n'], C = s['classes'];
    if (!(Number.isInteger(n) && Number.isInteger(C) && (n as number) >= 0 && (C as number) >= 0)) throw new Error(`${where} has bad sizes n=${String(n)}, classes=${String(C)}`);
    const nn = n as number, cc = C as number;
    const flat = arr(s, 'logits', nn * cc, where);
    const logits = Array.from({ length: nn }, (_, i) => flat.slice(i * cc, (i + 1) * cc));
    const bondReached = arr(s, 'maxBond', nn, where);
    return [name, { logits, fidelity: arr(s, 'fidelity', nn, where), bondReached }];
  }));
  return { splits, key: parts };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Returns the teacher soft labels for `keyParts`: read from `cacheDir/soft-labels-<key>.json`
 * when it exists (exact values; `compute` is not called), otherwise `compute()`d, normalised
 * (each split reduced to logits, fidelities and bonds reached), checked
 * (its `key` must equal `keyParts`; shapes as {@link validateSoftLabels}) and stored
 * atomically (creating `cacheDir` if needed).
 *
 * A file that exists but is damaged — unreadable, truncated, checksum mismatch, malformed, or
 * holding another key — throws an Error naming the file, e.g. `soft-label cache
 * /c/soft-labels-….json is corrupted (checksum mismatch)`, unless `onCorrupt: 'recompute'`,
 * which recomputes and overwrites it (and reports the damage in the result).
 */
export async function loadOrComputeSoftLabels(
  cacheDir: string,
  keyParts: SoftLabelKeyParts,
  compute: () => Promise<SoftLabelsInput>,
  options: SoftLabelCacheOptions = {},
): Promise<SoftLabelsLoad> {
  for (const k of Object.keys(options)) {
    if (k !== 'onCorrupt') throw new Error(`unknown soft-label cache option '${k}' (allowed: onCorrupt)`);
  }
  const onCorrupt = options.onCorrupt ?? DEFAULT_ON_CORRUPT;
  if (onCorrupt !== 'throw' && onCorrupt !== 'recompute') throw new Error(`soft-label cache onCorrupt must be 'throw' or 'recompute', got ${JSON.stringify(onCorrupt)}`);
  const path = softLabelPath(cacheDir, keyParts);
  const label = 'soft-label cache';

  let corruption: string | undefined;
  if (await exists(path)) {
    try {
      const raw = await readJsonChecked(path, { label });
      let labels: SoftLabels;
      try {
        labels = decode(raw, keyParts);
      } catch (err) {
        throw new Error(`${label} ${path} is corrupted (${(err as Error).message})`);
      }
      return { labels, path, source: 'cache' };
    } catch (err) {
      if (onCorrupt === 'throw') throw err;
      corruption = (err as Error).message;
    }
  }

  const labels = normalizeSoftLabels(await compute());
  validateSoftLabels(labels);
  if (!sameKey(labels.key, keyParts)) throw new Error(`computed soft labels carry key ${JSON.stringify(labels.key)}, expected ${JSON.stringify(keyParts)}`);
  await mkdir(cacheDir, { recursive: true });
  await writeJsonChecked(path, encode(labels));
  return corruption === undefined ? { labels, path, source: 'computed' } : { labels, path, source: 'recomputed', corruption };
}
