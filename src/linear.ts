/**
 * Linear layers and matrix products (lessons 7 and 12).
 * Shapes: x `[..., in]`, weight `[out, in]` (PyTorch's nn.Linear layout), bias `[out]`.
 * @module
 */
import type { Tensor } from "./tensor";
import { ShapeError, formatShape } from "./tensor";
import { checkGradsApart, checkAccumulate, checkOptions, checkOut, checkRank, checkShapeIs, gradTarget, leading, sameShape } from "./internal/check";
import { linearBackwardKernel, linearKernel, matmulForward } from "./kernels/linear";
import { linearWeightKernel } from "./kernels/linear-typed";
import { type QuantizedTensor, type Weight, checkQuantized, isQuantized } from "./weight";

/**
 * A linear layer: `y = x·Wᵀ + b`, applied to every row of x.
 *
 * @param x - `[..., in]`
 * @param weight - `[out, in]`, the `nn.Linear` layout (a Hugging Face Conv1D `[in, out]` weight must be transposed first):
 *   a float32 Tensor, or a {@link QuantizedTensor} (F16, BF16), read as stored and widened inside the kernel
 * @param bias - `[out]`, or omitted / `null`
 * @param options - `out`: where to write `[..., out]` (must not alias x)
 * @returns `[..., out]`
 * @throws ShapeError when weight is not rank 2, its second axis is not x's last, or bias is not `[out]`
 * @remarks Matches `torch.nn.functional.linear(x, weight, bias)`. The kernel depends on the row count M
 *   (all rows of x): below 16 rows JavaScript sums each dot product in float64; from 16 rows the
 *   WebAssembly kernel sums in float32 (as PyTorch's CPU kernels do), so one row's last bits can
 *   differ between a batch of 1 and a batch of 16 (by float32 rounding, ~1e-7·Σ|x·w|). Under
 *   `useWasm(false)` every row gets the same bits whatever the batch.
 * @category 7–9 · Linear layers and Q, K, V
 * @example
 * ```ts
 * const x = tensor([1, 2], [1, 2]);
 * const w = tensor([1, 0, 0, 1, 1, 1], [3, 2]); // 2 → 3
 * linear(x, w, tensor([0, 0, 10], [3])).data; // [1, 2, 13]
 * ```
 */
export function linear(x: Tensor, weight: Weight, bias?: Tensor | null, options?: { out?: Tensor }): Tensor {
  const { out } = checkOptions("linear", options, ["out"]);
  checkRank("linear", "x", x, 1, "[..., in]");
  if (isQuantized(weight)) return linearStored(x, weight, bias, out);
  checkRank("linear", "weight", weight, 2, "[out, in]", 2);
  const K = x.shape[x.shape.length - 1];
  const [N, Kw] = weight.shape;
  if (Kw !== K) {
    throw new ShapeError(`linear: weight has shape ${formatShape(weight.shape)}, expected [out, ${K}] (its second axis must be the last axis of x, shape ${formatShape(x.shape)})`);
  }
  if (bias != null) checkShapeIs("linear", "bias", bias, [N], "the first axis of weight");
  const shape = [...x.shape.slice(0, -1), N];
  const y = checkOut("linear", out, shape, [x, weight, bias ?? undefined]);
  linearKernel(y.data, x.data, weight.data, bias?.data ?? null, leading(x.shape, 1), K, N);
  return y;
}

/** linear over a stored weight: checked as linear checks a Tensor, then run on its bytes. */
function linearStored(x: Tensor, weight: QuantizedTensor, bias: Tensor | null | undefined, out: Tensor | undefined): Tensor {
  checkQuantized("linear", "weight", weight);
  const K = x.shape[x.shape.length - 1];
  if (weight.shape.length !== 2 || weight.shape[1] !== K) {
    throw new ShapeError(`linear: weight has shape ${formatShape(weight.shape)}, expected [out, ${K}] (its second axis must be the last axis of x, shape ${formatShape(x.shape)})`);
  }
  const N = weight.shape[0];
  if (bias != null) checkShapeIs("linear", "bias", bias, [N], "the first axis of weight");
  const y = checkOut("linear", out, [...x.shape.slice(0, -1), N], [x, bias ?? undefined]);
  linearWeightKernel(y.data, x.data, weight, bias?.data ?? null, leading(x.shape, 1), K, N);
  return y;
}

/**
 * Matrix product over the last two axes: `y[..., i, j] = Σ_k a[..., i, k]·b[..., k, j]`.
 *
 * @param a - `[..., M, K]`
 * @param b - `[K, N]` (shared by every batch) or `[..., K, N]` with exactly a's leading axes
 * @param options - `out`: where to write `[..., M, N]` (must not alias a or b)
 * @returns `[..., M, N]`
 * @throws ShapeError when the inner sizes differ or the leading axes of b are not a's (nothing is broadcast)
 * @remarks Matches `torch.matmul(a, b)` for these shapes.
 * @category 7–9 · Linear layers and Q, K, V
 * @example
 * ```ts
 * const a = tensor([1, 2, 3, 4], [2, 2]);
 * matmul(a, tensor([1, 0, 0, 1], [2, 2])).data; // [1, 2, 3, 4]
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options?: { out?: Tensor }): Tensor {
  const { out } = checkOptions("matmul", options, ["out"]);
  checkRank("matmul", "a", a, 2, "[..., M, K]");
  checkRank("matmul", "b", b, 2, "[K, N] or [..., K, N]");
  const [M, K] = a.shape.slice(-2);
  const [Kb, N] = b.shape.slice(-2);
  if (Kb !== K) {
    throw new ShapeError(`matmul: b has shape ${formatShape(b.shape)}, expected [${K}, N] in its last two axes (a has shape ${formatShape(a.shape)}, so K = ${K})`);
  }
  const bBatched = b.shape.length > 2;
  if (bBatched && !sameShape(b.shape.slice(0, -2), a.shape.slice(0, -2))) {
    throw new ShapeError(`matmul: b has shape ${formatShape(b.shape)}, expected [${[...a.shape.slice(0, -2), K, "N"].join(", ")}] or [${K}, N] (b's leading axes must be a's; nothing is broadcast)`);
  }
  const shape = [...a.shape.slice(0, -1), N];
  const y = checkOut("matmul", out, shape, [a, b]);
  matmulForward(y.data, a.data, b.data, leading(a.shape, 2), M, K, N, bBatched);
  return y;
}

/**
 * The parameters of a linear layer, named as in the checkpoint: `weight [out, in]`, `bias [out]`.
 * @category 7–9 · Linear layers and Q, K, V
 */
export interface Linear<W extends Weight = Tensor> {
  weight: W;
  bias?: Tensor | null;
}

/** The gradients of a linear layer. @category 22–23 · Training */
export interface LinearGrads {
  /** With respect to the input, `[..., in]`. */
  dx: Tensor;
  /** With respect to the weight, `[out, in]`. */
  dweight: Tensor;
  /** With respect to the bias, `[out]` (whether or not the layer had one). */
  dbias: Tensor;
}

/** Options of {@link linearBackward}: tensors to write each gradient into, and whether to add to them. @category 22–23 · Training */
export interface LinearBackwardOptions {
  dx?: Tensor;
  dweight?: Tensor;
  dbias?: Tensor;
  /** Add to the given tensors instead of overwriting them (a weight used twice, or gradient accumulation). */
  accumulate?: boolean;
}

/**
 * The linear backward pass, for `y = x·Wᵀ + b`: `dx = dy·W`, `dW = dyᵀ·x` (summed over every
 * leading axis), `db = Σ dy`.
 *
 * Both products run on the same tiled kernel as {@link linear} (WebAssembly SIMD where available),
 * after transposing their operands.
 *
 * @param dy - the upstream gradient `[..., out]`
 * @param x - the forward's input `[..., in]`, the same leading axes
 * @param weight - `[out, in]`
 * @param options - `dx`, `dweight`, `dbias`: where to write (or, with `accumulate: true`, add) each gradient
 * @returns `{ dx: [..., in], dweight: [out, in], dbias: [out] }`
 * @throws ShapeError when the shapes do not fit together
 * @remarks Matches `torch.autograd.grad(F.linear(x, W, b), (x, W, b), dy)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const x = tensor([1, 2], [1, 2]), w = tensor([1, 0, 0, 1, 1, 1], [3, 2]);
 * const { dx, dweight, dbias } = linearBackward(tensor([1, 0, 1], [1, 3]), x, w);
 * // dx.data = [2, 1], dweight.data = [1, 2, 0, 0, 1, 2], dbias.data = [1, 0, 1]
 * ```
 */
export function linearBackward(dy: Tensor, x: Tensor, weight: Tensor, options?: LinearBackwardOptions): LinearGrads {
  const fn = "linearBackward";
  const o = checkOptions(fn, options, ["dx", "dweight", "dbias", "accumulate"]);
  checkRank(fn, "dy", dy, 1, "[..., out]");
  checkRank(fn, "x", x, 1, "[..., in]");
  checkRank(fn, "weight", weight, 2, "[out, in]", 2);
  const [N, K] = weight.shape;
  if (x.shape[x.shape.length - 1] !== K) {
    throw new ShapeError(`${fn}: x has shape ${formatShape(x.shape)}, expected [..., ${K}] (the second axis of weight, shape ${formatShape(weight.shape)})`);
  }
  checkShapeIs(fn, "dy", dy, [...x.shape.slice(0, -1), N], "x's leading axes, then the first axis of weight");
  const acc = checkAccumulate(fn, o.accumulate);
  const inputs = [dy, x, weight];
  checkGradsApart(fn, { dx: o.dx, dweight: o.dweight, dbias: o.dbias });
  const dx = gradTarget(fn, "dx", o.dx, x.shape, acc, inputs);
  const dweight = gradTarget(fn, "dweight", o.dweight, weight.shape, acc, inputs);
  const dbias = gradTarget(fn, "dbias", o.dbias, [N], acc, inputs);
  linearBackwardKernel(dx.data, dweight.data, dbias.data, dy.data, x.data, weight.data, leading(x.shape, 1), K, N);
  return { dx, dweight, dbias };
}
