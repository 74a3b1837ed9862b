/**
 * Softmax and log-softmax over the last axis (lessons 11 and 18): turning scores into probabilities.
 * Shapes: any `[..., N]`; every row of N entries is normalised on its own.
 * @module
 */
import type { Tensor } from "./tensor";
import { checkOptions, checkOut, checkPositive, checkRank } from "./internal/check";
import { logSoftmaxForward, softmaxKernel } from "./kernels/softmax";

/** Options of {@link softmax}. @category Softmax */
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
 * @category Softmax
 * @example
 * ```ts
 * const p = softmax(tensor([1, 2, 3], [3]));
 * // p.data ≈ [0.090, 0.245, 0.665]
 * ```
 */
export function softmax(x: Tensor, options?: SoftmaxOptions): Tensor {
  const { temperature = 1, out } = checkOptions("softmax", options);
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
 * @category Softmax
 * @example
 * ```ts
 * logSoftmax(tensor([0, 0], [2])).data; // [-0.693…, -0.693…]
 * ```
 */
export function logSoftmax(x: Tensor, options?: { out?: Tensor }): Tensor {
  const { out } = checkOptions("logSoftmax", options);
  checkRank("logSoftmax", "x", x, 1, "[..., N]");
  const y = out === x ? x : checkOut("logSoftmax", out, x.shape, [x]);
  const n = x.shape[x.shape.length - 1];
  logSoftmaxForward(y.data, x.data, n === 0 ? 0 : x.data.length / n, n);
  return y;
}
