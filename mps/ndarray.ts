/**
 * The public tensor type for interchange: scijs `ndarray` views.
 *
 * The kernels work on flat row-major `Float64Array`s with split complex planes (see
 * `complex.ts`); this module is the boundary between that layout and the scijs convention of
 * `(data, shape, stride, offset)` views:
 *
 * - **Complex data is two real ndarrays**, `{ re, im }`, one per plane, of equal shape. This is
 *   the engine's own layout, so a view of an engine tensor is zero-copy (no interleaving, no
 *   trailing complex axis). `im === null` marks exactly real data, as in `CArray`.
 * - **Outputs** ({@link ndView}) are row-major views of a `Float64Array` with offset 0: element
 *   (i₀, …, i_{k−1}) of shape (n₀, …, n_{k−1}) sits at the flat index Σ i_j · Π_{l>j} n_l.
 * - **Inputs** ({@link flattenNdArray}) may have any shape, strides (negative ones included),
 *   offset and numeric backing store (typed array, plain array, or a `get`/`set` store); they
 *   are read in row-major order of their *logical* index, so a transposed or stepped view gives
 *   the tensor it displays, not the memory behind it. Inputs are always copied.
 */
import ndarray from 'ndarray';

/** A float64 ndarray: what qdistill returns. */
export type NdArray = ndarray.NdArray<Float64Array>;

/** Any numeric ndarray: what qdistill accepts (typed array, plain array or `get`/`set` store). */
export type NdArrayLike = ndarray.NdArray<ndarray.Data<number>>;

/** A complex ndarray as two real planes of equal shape; `im === null` when exactly real. */
export interface ComplexNdArray {
  /** Real plane. */
  re: NdArray;
  /** Imaginary plane, or `null` when the data is exactly real. */
  im: NdArray | null;
}

/** A complex ndarray input: two planes of equal shape (`im` absent or null for real data). */
export interface ComplexNdArrayLike {
  /** Real plane. */
  re: NdArrayLike;
  /** Imaginary plane; absent or null for real data. */
  im?: NdArrayLike | null;
}

/** True when `x` has the fields of an ndarray (`data`, `shape`, `stride`, numeric `offset`). */
export function isNdArray(x: unknown): x is NdArrayLike {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return o['data'] !== undefined && Array.isArray(o['shape']) && Array.isArray(o['stride']) && typeof o['offset'] === 'number' &&
    (o['shape'] as unknown[]).length === (o['stride'] as unknown[]).length;
}

/**
 * A zero-copy row-major view of `data` with the given shape (offset 0).
 * @throws when the product of `shape` differs from `data.length`.
 */
export function ndView(data: Float64Array, shape: readonly number[]): NdArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new Error(`ndView: shape [${shape.join(', ')}] has ${size} elements, data has ${data.length}`);
  return ndarray(data, [...shape]);
}

/**
 * Copies an ndarray into a new flat row-major `Float64Array`, honouring its shape, strides
 * (negative ones included) and offset: element k of the result is the view's element at the
 * k-th multi-index in row-major order.
 * @param what  the argument's name, for error messages.
 * @throws when `x` is not an ndarray, or its shape holds a non-integer or negative extent.
 */
export function flattenNdArray(x: NdArrayLike, what: string): Float64Array {
  if (!isNdArray(x)) throw new Error(`${what}: expected an ndarray (data, shape, stride, offset), got ${describe(x)}`);
  const shape = x.shape, stride = x.stride, dims = shape.length;
  for (let j = 0; j < dims; j++) {
    if (!Number.isInteger(shape[j]) || shape[j]! < 0) throw new Error(`${what}: shape[${j}] must be an integer ≥ 0, got ${shape[j]}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  if (size === 0) return out;
  const data = x.data as ArrayLike<number> | ndarray.GenericArray<number>;
  const read: (i: number) => number = typeof (data as ndarray.GenericArray<number>).get === 'function' && !ArrayBuffer.isView(data) && !Array.isArray(data)
    ? (i) => (data as ndarray.GenericArray<number>).get(i)
    : (i) => (data as ArrayLike<number>)[i]!;
  if (dims === 0) { out[0] = read(x.offset); return out; }
  // odometer over the multi-index; the innermost axis runs in a tight loop
  const idx = new Array<number>(dims).fill(0);
  const inner = shape[dims - 1]!, sInner = stride[dims - 1]!;
  let base = x.offset;
  for (let k = 0; k < size; k += inner) {
    for (let i = 0; i < inner; i++) out[k + i] = read(base + i * sInner);
    for (let j = dims - 2; j >= 0; j--) {
      idx[j]!++;
      base += stride[j]!;
      if (idx[j]! < shape[j]!) break;
      base -= idx[j]! * stride[j]!;
      idx[j] = 0;
    }
  }
  return out;
}

/** A short description of a value for error messages. */
function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  return typeof x;
}
