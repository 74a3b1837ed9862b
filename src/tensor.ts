/**
 * Tensors: a `Float32Array` and a shape, row-major and contiguous, plus the constructors and the
 * `ShapeError` every function throws for a wrong shape.
 *
 * Shape letters used across the library: B batch, T query length, S key length, C channels,
 * H heads, D head size (C = H·D), V vocabulary size.
 * @module
 */

/**
 * A row-major, contiguous float32 tensor. `data.length === product(shape)`; a scalar has shape `[]`.
 * @category 1 · Tensors
 */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Thrown for a wrong shape, rank or size. Its message names the function, the argument, what was
 * expected and what was given, e.g. `layerNorm: weight has shape [512], expected [768] (the last axis of x)`.
 * @category 1 · Tensors
 * @example
 * ```ts
 * try { layerNorm(zeros([2, 768]), ones([512])); } catch (e) { e instanceof ShapeError; } // true
 * ```
 */
export class ShapeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

/**
 * Writes a shape as error messages and printouts do.
 * @category 1 · Tensors
 * @example
 * ```ts
 * formatShape([2, 3]); // "[2, 3]"
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The number of elements of a tensor of this shape (1 for a scalar `[]`).
 * @category 1 · Tensors
 * @example
 * ```ts
 * sizeOf([2, 3, 4]); // 24
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(fn: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: shape must be an array of dimensions, got ${String(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${fn}: shape ${formatShape(shape)} has dimension ${i} = ${d}, expected a non-negative integer`);
    }
  }
}

/**
 * Makes a tensor from numbers, copying them into a fresh `Float32Array`.
 * @param data - the values in row-major order; `data.length` must equal the product of `shape`
 * @param shape - the dimensions, e.g. `[T, C]`
 * @returns a new tensor that owns a copy of `data`
 * @throws ShapeError when `data.length` is not the product of `shape`
 * @category 1 · Tensors
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]); // 2 rows, 3 columns
 * x.data[4]; // 5 (row 1, column 1)
 * ```
 */
export function tensor(data: ArrayLike<number>, shape: readonly number[]): Tensor {
  checkShape("tensor", shape);
  const n = sizeOf(shape);
  if (data == null || typeof data.length !== "number") {
    throw new TypeError(`tensor: data must be an array-like of numbers, got ${String(data)}`);
  }
  if (data.length !== n) {
    throw new ShapeError(`tensor: data has length ${data.length}, expected ${n} (the product of shape ${formatShape(shape)})`);
  }
  if (!ArrayBuffer.isView(data)) {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (typeof v !== "number") throw new TypeError(`tensor: data[${i}] is ${v === undefined ? "missing (undefined)" : `the ${typeof v} ${JSON.stringify(v)}`}, expected a number`);
    }
  }
  return { data: Float32Array.from(data), shape: [...shape] };
}

/**
 * A tensor filled with one value.
 * @param shape - the dimensions
 * @param value - the fill value (rounded to float32)
 * @category 1 · Tensors
 * @example
 * ```ts
 * full([2, 2], 0.5).data; // Float32Array [0.5, 0.5, 0.5, 0.5]
 * ```
 */
export function full(shape: readonly number[], value: number): Tensor {
  checkShape("full", shape);
  return { data: new Float32Array(sizeOf(shape)).fill(value), shape: [...shape] };
}

/**
 * A tensor of zeros.
 * @category 1 · Tensors
 * @example
 * ```ts
 * zeros([2, 3]).data.length; // 6
 * ```
 */
export function zeros(shape: readonly number[]): Tensor {
  checkShape("zeros", shape);
  return { data: new Float32Array(sizeOf(shape)), shape: [...shape] };
}

/**
 * A tensor of ones.
 * @category 1 · Tensors
 * @example
 * ```ts
 * ones([3]).data; // Float32Array [1, 1, 1]
 * ```
 */
export function ones(shape: readonly number[]): Tensor {
  checkShape("ones", shape);
  return full(shape, 1);
}

/**
 * Reads one element by its indices (for examples and tests; kernels index `data` directly).
 * @throws ShapeError when the number of indices is not the rank, or an index is out of range
 * @category 1 · Tensors
 * @example
 * ```ts
 * at(tensor([1, 2, 3, 4], [2, 2]), 1, 0); // 3
 * ```
 */
export function at(t: Tensor, ...index: number[]): number {
  if (index.length !== t.shape.length) {
    throw new ShapeError(`at: got ${index.length} indices for a tensor of shape ${formatShape(t.shape)}, expected ${t.shape.length}`);
  }
  let offset = 0;
  for (let i = 0; i < index.length; i++) {
    const j = index[i];
    if (!Number.isInteger(j) || j < 0 || j >= t.shape[i]) {
      throw new ShapeError(`at: index ${i} is ${j}, expected an integer in [0, ${t.shape[i]}) for shape ${formatShape(t.shape)}`);
    }
    offset = offset * t.shape[i] + j;
  }
  return t.data[offset];
}

/**
 * The same data seen with another shape of the same size (no copy: the result shares `data`).
 * @throws ShapeError when the sizes differ
 * @category 1 · Tensors
 * @example
 * ```ts
 * reshape(zeros([2, 6]), [3, 4]).shape; // [3, 4]
 * ```
 */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  checkShape("reshape", shape);
  if (sizeOf(shape) !== t.data.length) {
    throw new ShapeError(`reshape: cannot view shape ${formatShape(t.shape)} (${t.data.length} elements) as ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  return { data: t.data, shape: [...shape] };
}

/**
 * An inspection hook: called with the stable name of an intermediate and its value, e.g.
 * `tap("h.0.attn.weights", w)`. The tensor is the library's own buffer: copy it to keep it.
 * @category 1 · Tensors
 */
export type Tap = (name: string, value: Tensor) => void;

/**
 * Where a backward pass puts a gradient: by default a fresh tensor. With `out`, it writes there
 * instead (same shape; not sharing memory with an input), and with `accumulate: true` it adds to
 * what `out` already holds — how a parameter used twice sums its gradients without a copy.
 * @category 22–23 · Training
 */
export interface GradOptions {
  out?: Tensor;
  accumulate?: boolean;
}
