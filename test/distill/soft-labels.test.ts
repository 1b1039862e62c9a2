import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeRng } from '../../mps/rng.js';
import { writeJsonChecked } from '../../src/infra/atomic.js';
import {
  loadOrComputeSoftLabels,
  softLabelKey,
  softLabelPath,
  type SoftLabelKeyParts,
  type SoftLabels,
} from '../../src/distill/soft-labels.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qdistill-soft-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KEY: SoftLabelKeyParts = { teacherHash: 'a'.repeat(64), datasetHash: 'b'.repeat(64), maxBond: 16, cutoff: 1e-10 };

/** Seeded soft labels with awkward values (−0, subnormal, NaN, 1/3) to prove bit-exact storage. */
function makeLabels(key: SoftLabelKeyParts, seed = 'labels'): SoftLabels {
  const rng = makeRng(seed);
  const split = (n: number, C: number) => ({
    logits: Array.from({ length: n }, () => Float64Array.from({ length: C }, () => 20 * (rng() - 0.5))),
    fidelity: Float64Array.from({ length: n }, () => 1 - rng() * 1e-3),
    bondReached: Float64Array.from({ length: n }, () => 1 + Math.floor(rng() * key.maxBond!)),
  });
  const train = split(7, 3), test = split(4, 3);
  train.logits[0]!.set([-0, 5e-324, 1 / 3]);
  train.logits[1]![0] = NaN;
  return { splits: { train, test, empty: { logits: [], fidelity: new Float64Array(0), bondReached: new Float64Array(0) } }, key };
}

/** Bitwise equality of two soft-label sets. */
function expectSameBits(a: SoftLabels, b: SoftLabels): void {
  const bits = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex');
  expect(Object.keys(a.splits).sort()).toEqual(Object.keys(b.splits).sort());
  expect(a.key).toEqual(b.key);
  for (const [name, s] of Object.entries(a.splits)) {
    const t = b.splits[name]!;
    expect(t.logits.map(bits)).toEqual(s.logits.map(bits));
    expect(bits(t.fidelity)).toBe(bits(s.fidelity));
    expect(bits(t.bondReached)).toBe(bits(s.bondReached));
    expect(Object.keys(t).sort()).toEqual(['bondReached', 'fidelity', 'logits']);
  }
}

describe('soft-label key', () => {
  it('is stable and the same for equal parts in any order', () => {
    expect(softLabelKey(KEY)).toMatch(/^[0-9a-f]{64}$/);
    expect(softLabelKey({ cutoff: 1e-10, maxBond: 16, datasetHash: KEY.datasetHash, teacherHash: KEY.teacherHash })).toBe(softLabelKey(KEY));
  });

  it.each<[string, Partial<SoftLabelKeyParts>]>([
    ['χ', { maxBond: 32 }],
    ['cutoff', { cutoff: 1e-12 }],
    ['cutoff 0', { cutoff: 0 }],
    ['teacher', { teacherHash: 'c'.repeat(64) }],
    ['dataset', { datasetHash: 'd'.repeat(64) }],
  ])('a different %s gives a different key and file', (_, change) => {
    const other = { ...KEY, ...change };
    expect(softLabelKey(other)).not.toBe(softLabelKey(KEY));
    expect(softLabelPath(dir, other)).not.toBe(softLabelPath(dir, KEY));
  });

  it.each<[Partial<SoftLabelKeyParts>, RegExp]>([
    [{ maxBond: 0 }, /maxBond must be an integer ≥ 1, got 0/],
    [{ maxBond: 2.5 }, /maxBond must be an integer ≥ 1, got 2.5/],
    [{ cutoff: -1 }, /cutoff must be a finite number ≥ 0, got -1/],
    [{ teacherHash: '' }, /teacherHash must be a non-empty string, got ""/],
  ])('rejects bad key parts %#', (change, msg) => {
    expect(() => softLabelKey({ ...KEY, ...change })).toThrow(msg);
  });
});

describe('loadOrComputeSoftLabels', () => {
  it('miss: computes once and stores soft-labels-<key>.json; hit: does not compute, identical bits', async () => {
    const compute = vi.fn(async () => makeLabels(KEY));
    const first = await loadOrComputeSoftLabels(dir, KEY, compute);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(first.source).toBe('computed');
    expect(first.path).toBe(join(dir, `soft-labels-${softLabelKey(KEY)}.json`));
    expect(await readdir(dir)).toEqual([`soft-labels-${softLabelKey(KEY)}.json`]);

    const again = vi.fn(async () => makeLabels(KEY, 'other'));
    const second = await loadOrComputeSoftLabels(dir, KEY, again);
    expect(again).not.toHaveBeenCalled();
    expect(second.source).toBe('cache');
    expectSameBits(second.labels, makeLabels(KEY));
    expect(Object.is(second.labels.splits['train']!.logits[0]![0], -0)).toBe(true);
    expect(second.labels.splits['train']!.logits[0]![1]).toBe(5e-324);
  });

  it('creates a missing cache directory', async () => {
    const sub = join(dir, 'a', 'b');
    const r = await loadOrComputeSoftLabels(sub, KEY, async () => makeLabels(KEY));
    expect(r.path.startsWith(sub)).toBe(true);
    expect(await readdir(sub)).toHaveLength(1);
  });

  it('a different χ or cutoff misses the cache and computes again', async () => {
    await loadOrComputeSoftLabels(dir, KEY, async () => makeLabels(KEY));
    for (const other of [{ ...KEY, maxBond: 8 }, { ...KEY, cutoff: 1e-8 }]) {
      const compute = vi.fn(async () => makeLabels(other));
      expect((await loadOrComputeSoftLabels(dir, other, compute)).source).toBe('computed');
      expect(compute).toHaveBeenCalledTimes(1);
    }
    expect(await readdir(dir)).toHaveLength(3);
  });

  it.each<[string, (text: string) => string, RegExp]>([
    ['a flipped digit', (t) => t.replace(/"n":7/, '"n":8'), /is corrupted \(checksum mismatch\)/],
    ['truncation', (t) => t.slice(0, Math.floor(t.length / 2)), /is corrupted \(truncated\)/],
    ['an empty file', () => '', /is corrupted \(no checksum header; file is empty\)/],
  ])('a corrupted file (%s) throws an error naming the file, and compute is not called', async (_, damage, msg) => {
    const { path } = await loadOrComputeSoftLabels(dir, KEY, async () => makeLabels(KEY));
    await writeFile(path, damage(await readFile(path, 'utf8')));
    const compute = vi.fn(async () => makeLabels(KEY));
    const err = await loadOrComputeSoftLabels(dir, KEY, compute).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`soft-label cache ${path}`);
    expect((err as Error).message).toMatch(msg);
    expect(compute).not.toHaveBeenCalled();
  });

  it('a well-checksummed file holding another key or malformed data is corrupt too', async () => {
    const path = softLabelPath(dir, KEY);
    await writeJsonChecked(path, { format: 'qdistill.soft-labels', version: 1, key: { ...KEY, maxBond: 99 }, splits: {} });
    await expect(loadOrComputeSoftLabels(dir, KEY, async () => makeLabels(KEY))).rejects.toThrow(`soft-label cache ${path} is corrupted (holds key`);
    await writeJsonChecked(path, { format: 'qdistill.soft-labels', version: 1, key: KEY, splits: { train: { n: 2, classes: 3, logits: 'AAAA', fidelity: '', maxBond: '' } } });
    await expect(loadOrComputeSoftLabels(dir, KEY, async () => makeLabels(KEY))).rejects.toThrow(/is corrupted \(float64 byte length must be a multiple of 8/);
    await writeJsonChecked(path, { hello: 1 });
    await expect(loadOrComputeSoftLabels(dir, KEY, async () => makeLabels(KEY))).rejects.toThrow(/is corrupted \(not a soft-label file/);
  });

  it("onCorrupt: 'recompute' recomputes, overwrites, and reports the damage", async () => {
    const { path } = await loadOrComputeSoftLabels(dir, KEY, async () => makeLabels(KEY));
    await writeFile(path, 'garbage');
    const compute = vi.fn(async () => makeLabels(KEY, 'fresh'));
    const r = await loadOrComputeSoftLabels(dir, KEY, compute, { onCorrupt: 'recompute' });
    expect(compute).toHaveBeenCalledTimes(1);
    expect(r.source).toBe('recomputed');
    expect(r.corruption).toMatch(/is corrupted/);
    const reread = await loadOrComputeSoftLabels(dir, KEY, async () => { throw new Error('must not compute'); });
    expectSameBits(reread.labels, makeLabels(KEY, 'fresh'));
  });

  it.each<[string, (l: SoftLabels) => void, RegExp]>([
    ['a wrong key', (l) => { l.key = { ...l.key, maxBond: 4 }; }, /computed soft labels carry key/],
    ['ragged logits', (l) => { l.splits['train']!.logits[2] = new Float64Array(4); }, /logits\[2\] has 4 classes, expected 3/],
    ['a short fidelity', (l) => { l.splits['test']!.fidelity = new Float64Array(1); }, /fidelity has 1 entries for 4 samples/],
    ['a short bondReached', (l) => { const s = l.splits['test']!; s.bondReached = new Float64Array(1); }, /bondReached has 1 entries for 4 samples/],
    ['no bondReached', (l) => { const s = l.splits['train'] as Partial<SoftLabels['splits'][string]>; delete s.bondReached; }, /split 'train': bondReached is missing/],
  ])('rejects computed labels with %s and writes nothing', async (_, spoil, msg) => {
    const labels = makeLabels(KEY);
    spoil(labels);
    await expect(loadOrComputeSoftLabels(dir, KEY, async () => labels)).rejects.toThrow(msg);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['bondReached', (b: Float64Array) => ({ bondReached: b })],
    ['bondReached and an extra field, which is dropped', (b: Float64Array) => ({ bondReached: b, extra: b.slice() })],
  ] as const)('accepts computed labels with %s and stores and reloads them as bondReached', async (_, bonds) => {
    const ref = makeLabels(KEY);
    const input = { key: ref.key, splits: Object.fromEntries(Object.entries(ref.splits).map(([n, s]) => [n, { logits: s.logits, fidelity: s.fidelity, ...bonds(s.bondReached) }])) };
    const first = await loadOrComputeSoftLabels(dir, KEY, async () => input);
    expectSameBits(first.labels, ref);
    const reread = await loadOrComputeSoftLabels(dir, KEY, async () => { throw new Error('must not compute'); });
    expectSameBits(reread.labels, ref);
    // the file keeps format version 1: the bonds reached are stored under its field name maxBond
    const splits = (JSON.parse(await readFile(first.path, 'utf8')) as { payload: { splits: Record<string, object> } }).payload.splits;
    expect(Object.keys(splits['train']!).sort()).toEqual(['classes', 'fidelity', 'logits', 'maxBond', 'n']);
  });

  it('rejects unknown options', async () => {
    await expect(loadOrComputeSoftLabels(dir, KEY, async () => makeLabels(KEY), { onCorrupt: 'ignore' as 'throw' })).rejects.toThrow(/onCorrupt must be 'throw' or 'recompute', got "ignore"/);
  });
});
