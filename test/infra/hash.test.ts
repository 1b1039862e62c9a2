import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, float64FromLeBytes, float64LeBytes, hashFloat64, hashJson, sha256Hex } from '../../src/infra/hash.js';
import { trainOptionsHash, type TrainOptions } from '../../src/train/loop.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('hashJson', () => {
  it('is SHA-256 of canonical JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: 0.1 }] })).toBe('{"a":[true,null,{"c":0.1,"d":"x"}],"b":1}');
    expect(hashJson({ b: 1, a: 2 })).toBe(sha('{"a":2,"b":1}'));
    expect(hashJson({ b: 1, a: { y: [1, 2], x: 'é' } })).toBe(hashJson({ a: { x: 'é', y: [1, 2] }, b: 1 }));
  });

  it.each<[unknown, unknown]>([
    [{ a: 1 }, { a: 2 }],
    [{ a: 1 }, { b: 1 }],
    [[1, 2], [2, 1]],
    [{ a: '1' }, { a: 1 }],
    [0.1 + 0.2, 0.3],
    [{ a: null }, {}],
  ])('distinguishes %j from %j', (x, y) => {
    expect(hashJson(x)).not.toBe(hashJson(y));
  });

  it('drops undefined properties like JSON.stringify, and hashes plain values', () => {
    expect(hashJson({ a: 1, b: undefined })).toBe(hashJson({ a: 1 }));
    expect(hashJson('s')).toBe(sha('"s"'));
    expect(hashJson(1e-10)).toBe(sha('1e-10'));
  });

  it.each<[unknown, RegExp]>([
    [{ a: NaN }, /\$\.a: number must be finite, got NaN/],
    [[1, Infinity], /\$\[1\]: number must be finite/],
    [{ a: new Float64Array(2) }, /typed arrays are not JSON \(use hashFloat64\)/],
    [{ d: new Date(0) }, /only plain objects/],
    [{ f: () => 1 }, /function is not a JSON value/],
    [10n, /bigint is not a JSON value/],
  ])('rejects a non-JSON value %#', (v, msg) => {
    expect(() => hashJson(v)).toThrow(msg);
  });
});

// The canonical form the training loop hashed its options with before it used canonicalJson
// (its own copy): the checkpoint `optionsHash` must not change for any options train() accepts,
// i.e. for plain JSON with finite numbers, or old checkpoints would stop resuming.
function formerLoopCanonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formerLoopCanonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${formerLoopCanonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

describe('one canonical JSON for every hash', () => {
  it('sha256Hex is SHA-256 of the UTF-8 bytes', () => {
    expect(sha256Hex('é{}')).toBe(createHash('sha256').update(Buffer.from('é{}', 'utf8')).digest('hex'));
  });

  it('agrees with the training loop\'s former canonical form on every plain JSON value (fuzz)', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(canonicalJson(v)).toBe(formerLoopCanonicalJson(v));
    }), { numRuns: 500, seed: 13 });
  });

  it('keeps the checkpoint options hash of train() unchanged', () => {
    const opts: TrainOptions = {
      epochs: 3, batchSize: 8, seed: 'run-1',
      optimizer: { type: 'adam', beta1: 0.9 } as TrainOptions['optimizer'],
      schedule: { type: 'cosine', lr: 0.1, lrMin: 0.01, epochs: 3 } as TrainOptions['schedule'],
      earlyStopping: { patience: 2, metric: 'val_loss' },
    };
    const obj = { nParams: 12, nTrain: 40 };
    const expected = sha(formerLoopCanonicalJson({
      nParams: 12, nTrain: 40, batchSize: 8, seed: 'run-1', optimizer: opts.optimizer, schedule: opts.schedule,
      evalSplits: ['train', 'val', 'test'], earlyStopping: opts.earlyStopping, snapshotEvery: undefined,
    }));
    expect(trainOptionsHash(obj, opts)).toBe(expected);
  });
});

describe('hashFloat64', () => {
  it('depends on the exact bits: −0 ≠ 0, 1 ulp counts', () => {
    const a = new Float64Array([1, 0]);
    expect(hashFloat64(a)).toBe(hashFloat64(Float64Array.from(a)));
    expect(hashFloat64(new Float64Array([1, -0]))).not.toBe(hashFloat64(a));
    expect(hashFloat64(new Float64Array([1 + Number.EPSILON, 0]))).not.toBe(hashFloat64(a));
  });

  it('frames array boundaries, and one array hashes like a list of one', () => {
    const x = new Float64Array([1, 2, 3]);
    expect(hashFloat64([x.subarray(0, 1), x.subarray(1)])).not.toBe(hashFloat64([x.subarray(0, 2), x.subarray(2)]));
    expect(hashFloat64([x])).not.toBe(hashFloat64([x, new Float64Array(0)]));
    expect(hashFloat64(x)).toBe(hashFloat64([x]));
  });

  it('hashes a subarray view by its own values, not its buffer', () => {
    const big = new Float64Array([9, 1, 2, 9]);
    expect(hashFloat64(big.subarray(1, 3))).toBe(hashFloat64(new Float64Array([1, 2])));
  });

  it('is pinned to a fixed value (little-endian bytes with length framing)', () => {
    // Recomputed independently: tag, u64 count, u64 length, then IEEE-754 LE bytes.
    const h = createHash('sha256');
    h.update('qdistill:float64:v1\n', 'utf8');
    const buf = Buffer.alloc(8 + 8 + 16);
    buf.writeBigUInt64LE(1n, 0); buf.writeBigUInt64LE(2n, 8);
    buf.writeDoubleLE(0.5, 16); buf.writeDoubleLE(-3, 24);
    h.update(buf);
    expect(hashFloat64(new Float64Array([0.5, -3]))).toBe(h.digest('hex'));
  });

  it('little-endian bytes round-trip exactly, NaN payloads and subnormals included', () => {
    const a = new Float64Array([0, -0, 5e-324, -1.7976931348623157e308, NaN, Infinity, 1 / 3]);
    const back = float64FromLeBytes(Uint8Array.from(float64LeBytes(a)));
    expect(Buffer.from(back.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(() => float64FromLeBytes(new Uint8Array(7))).toThrow(/multiple of 8, got 7/);
  });
});
