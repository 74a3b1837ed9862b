/**
 * Softmax and log-softmax over the last axis (lessons 11 and 18): turning scores into probabilities.
 * Shapes: any `[..., N]`; every row of N entries is normalised on its own.
 * @module
 */
import type { GradOptions, Tensor } from "./tensor";
import { checkAccumulate, checkOptions, checkOut, checkPositive, checkRank, checkShapeIs, gradTarget } from "./internal/check";
import { logSoftmaxBackwardKernel, logSoftmaxForward, softmaxBackwardKernel, softmaxKernel } from "./kernels/softmax";

/** Options of {@link softmax}. @category 11 · Softmax */
export interface SoftmaxOptions {
  /** Divides every score before the softmax: < 1 sharpens, > 1 flattens. Must be > 0. Default 1. */
  temperature?: number;
  /** Where to write the result (same shape as x). May be `x` itself: softmax works in place. */
  out?: Tensor;
}

/**
 * Softmax over the last axis: `y[i] = exp((x[i] − max x)/τ) / Σ_j exp((x[j] − max x)/τ)`.
 *
 * The row maximum is subtracted first, so it never overflows, even at float32's extremes. A row
 * whose entries are all `-Infinity` (fully masked) gives all zeros, not NaN; NaN in a row gives NaN.
 *
 * @param x - scores `[..., N]`
 * @param options - `temperature` (> 0, default 1), `out`
 * @returns probabilities `[..., N]`, each row summing to 1
 * @throws ShapeError for a scalar x or an `out` of the wrong shape; RangeError for a temperature ≤ 0 or NaN
 * @remarks Matches `torch.softmax(x / temperature, dim=-1)` (except for fully masked rows: zeros, not NaN).
 * @category 11 · Softmax
 * @example
 * ```ts
 * const p = softmax(tensor([1, 2, 3], [3]));
 * // p.data ≈ [0.090, 0.245, 0.665]
 * ```
 */
export function softmax(x: Tensor, options?: SoftmaxOptions): Tensor {
  const { temperature = 1, out } = checkOptions("softmax", options, ["temperature", "out"]);
  checkRank("softmax", "x", x, 1, "[..., N]");
  checkPositive("softmax", "temperature", temperature);
  const y = out === x ? x : checkOut("softmax", out, x.shape, [x]);
  const n = x.shape[x.shape.length - 1];
  softmaxKernel(y.data, x.data, n === 0 ? 0 : x.data.length / n, n, 1 / temperature);
  return y;
}

/**
 * Log-softmax over the last axis: `y[i] = x[i] − max x − log Σ_j exp(x[j] − max x)`.
 *
 * More accurate than `log(softmax(x))` for very negative entries. A fully masked row (all
 * `-Infinity`) gives all `-Infinity` (log 0); NaN in a row gives NaN.
 *
 * @param x - scores `[..., N]`
 * @param options - `out` (same shape as x; may be x)
 * @returns log-probabilities `[..., N]`
 * @throws ShapeError for a scalar x or an `out` of the wrong shape
 * @remarks Matches `torch.log_softmax(x, dim=-1)`.
 * @category 11 · Softmax
 * @example
 * ```ts
 * logSoftmax(tensor([0, 0], [2])).data; // [-0.693…, -0.693…]
 * ```
 */
export function logSoftmax(x: Tensor, options?: { out?: Tensor }): Tensor {
  const { out } = checkOptions("logSoftmax", options, ["out"]);
  checkRank("logSoftmax", "x", x, 1, "[..., N]");
  const y = out === x ? x : checkOut("logSoftmax", out, x.shape, [x]);
  const n = x.shape[x.shape.length - 1];
  logSoftmaxForward(y.data, x.data, n === 0 ? 0 : x.data.length / n, n);
  return y;
}

function rowBackward(
  fn: string, dy: Tensor, y: Tensor, options: GradOptions | undefined,
  kernel: (dx: Float32Array, dy: Float32Array, y: Float32Array, rows: number, n: number) => void,
): Tensor {
  const { out, accumulate } = checkOptions(fn, options, ["out", "accumulate"]);
  checkRank(fn, "dy", dy, 1, "[..., N]");
  checkShapeIs(fn, "y", y, dy.shape, "the shape of dy");
  const dx = gradTarget(fn, "out", out, dy.shape, checkAccumulate(fn, accumulate, { name: "out", given: out !== undefined }), [dy, y]);
  const n = dy.shape[dy.shape.length - 1];
  kernel(dx.data, dy.data, y.data, n === 0 ? 0 : dy.data.length / n, n);
  return dx;
}

/**
 * The softmax backward pass: the gradient with respect to x of a loss whose gradient with respect
 * to `y = softmax(x)` is dy: `dx = y ⊙ (dy − Σ_j dy_j·y_j)`, row by row. Takes the forward's output,
 * not its input (as PyTorch's `_softmax_backward_data`).
 *
 * @param dy - the upstream gradient `[..., N]`
 * @param y - `softmax(x)`, `[..., N]`
 * @param options - `out`, `accumulate` ({@link GradOptions})
 * @returns dx `[..., N]`
 * @throws ShapeError when y's shape differs from dy's
 * @remarks Matches `torch.autograd.grad(torch.softmax(x, -1), x, dy)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const y = softmax(tensor([1, 2, 3], [3]));
 * softmaxBackward(tensor([1, 0, 0], [3]), y).data; // ≈ [0.082, -0.022, -0.060]: ∂y₀/∂x
 * ```
 */
export function softmaxBackward(dy: Tensor, y: Tensor, options?: GradOptions): Tensor {
  return rowBackward("softmaxBackward", dy, y, options, softmaxBackwardKernel);
}

/**
 * The log-softmax backward pass: `dx = dy − exp(y)·Σ_j dy_j`, row by row, with `y = logSoftmax(x)`.
 * A fully masked row (y all −∞) gets a zero gradient.
 *
 * @param dy - the upstream gradient `[..., N]`
 * @param y - `logSoftmax(x)`, `[..., N]`
 * @param options - `out`, `accumulate` ({@link GradOptions})
 * @returns dx `[..., N]`
 * @throws ShapeError when y's shape differs from dy's
 * @remarks Matches `torch.autograd.grad(torch.log_softmax(x, -1), x, dy)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const y = logSoftmax(tensor([0, 0], [2]));
 * logSoftmaxBackward(tensor([1, 0], [2]), y).data; // [0.5, -0.5]
 * ```
 */
export function logSoftmaxBackward(dy: Tensor, y: Tensor, options?: GradOptions): Tensor {
  return rowBackward("logSoftmaxBackward", dy, y, options, logSoftmaxBackwardKernel);
}
