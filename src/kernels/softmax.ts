// Softmax kernels over the rows of a [rows, n] buffer. Outputs first, dims last; no validation,
// no allocation. `out` may be `x` (in place). Sums run in float64.
import { expNonPositive, expRow } from "./exp";
import { softmaxForwardWasm } from "./wasm";
import { SOFTMAX_MIN_VALUES } from "../backend/thresholds";

/**
 * Row maximum that propagates NaN (a plain `>` scan would skip it and hide it).
 * @example
 * ```ts
 * rowMax(Float32Array.from([1, 5, 2]), 0, 3); // 5
 * ```
 */
export function rowMax(x: Float32Array, base: number, n: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = x[base + j];
    if (v > max) max = v;
    else if (v !== v) return NaN;
  }
  return max;
}

/**
 * out[r, j] = exp((x[r, j] − max_r)·invTemperature) / Σ_j exp(…). A row that is all −∞ gives zeros.
 * @category Kernels
 * @example
 * ```ts
 * softmaxForward(out, x, rows, n, 1); // every row of x [rows, n] → probabilities in out
 * ```
 */
export function softmaxForward(out: Float32Array, x: Float32Array, rows: number, n: number, invTemperature = 1): void {
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const max = rowMax(x, base, n);
    if (max === -Infinity) {
      out.fill(0, base, base + n);
      continue;
    }
    if (max !== max || max === Infinity) { // NaN in the row, or +∞ (∞ − ∞ is NaN): the whole row is NaN, as in PyTorch
      out.fill(NaN, base, base + n);
      continue;
    }
    const sum = expRow(out, x, base, n, max, invTemperature);
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) out[base + j] *= inv;
  }
}

/**
 * out[r, j] = (x[r, j] − max_r) − log Σ_j exp(x[r, j] − max_r), in that order (so log Σ survives next to a
 * large max). A row that is all −∞ stays all −∞.
 * @category Kernels
 * @example
 * ```ts
 * logSoftmaxForward(out, x, rows, n);
 * ```
 */
export function logSoftmaxForward(out: Float32Array, x: Float32Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const max = rowMax(x, base, n);
    if (max === -Infinity) {
      out.fill(-Infinity, base, base + n);
      continue;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += expNonPositive(x[base + j] - max);
    const logSum = Math.log(sum); // subtracted after the max, never added to it: max + log Σ would round log Σ away next to a large max
    for (let j = 0; j < n; j++) out[base + j] = x[base + j] - max - logSum;
  }
}

/**
 * Row softmax by the fastest kernel here: WebAssembly SIMD for rows whose length is a multiple of
 * 4 and at least 4,096 values in all (where available and switched on), else {@link softmaxForward}.
 * @category Kernels
 * @example
 * ```ts
 * softmaxKernel(out, x, rows, n); // WebAssembly SIMD when it can, else softmaxForward
 * ```
 */
export function softmaxKernel(out: Float32Array, x: Float32Array, rows: number, n: number, invTemperature = 1): void {
  if (rows * n >= SOFTMAX_MIN_VALUES && softmaxForwardWasm(out, x, rows, n, invTemperature)) return;
  softmaxForward(out, x, rows, n, invTemperature);
}

/**
 * The softmax backward pass, added into dx: dx[r, j] += y[r, j]·(dy[r, j] − Σ_i dy[r, i]·y[r, i]),
 * where y = softmax(x) (the forward's output). A fully masked row (y all 0) gets nothing.
 * @category Kernels
 * @example
 * ```ts
 * softmaxBackwardKernel(dx, dy, y, rows, n); // dx must start at 0 for the gradient alone
 * ```
 */
export function softmaxBackwardKernel(dx: Float32Array, dy: Float32Array, y: Float32Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    let dot = 0;
    for (let j = 0; j < n; j++) dot += dy[base + j] * y[base + j];
    for (let j = 0; j < n; j++) dx[base + j] += y[base + j] * (dy[base + j] - dot);
  }
}

/**
 * The log-softmax backward pass, added into dx: dx[r, j] += dy[r, j] − exp(y[r, j])·Σ_i dy[r, i], where
 * y = logSoftmax(x). A fully masked row (y all −∞, whose output does not depend on x) gets nothing.
 * @category Kernels
 * @example
 * ```ts
 * logSoftmaxBackwardKernel(dx, dy, y, rows, n);
 * ```
 */
export function logSoftmaxBackwardKernel(dx: Float32Array, dy: Float32Array, y: Float32Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    if (rowMax(y, base, n) === -Infinity) continue;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += dy[base + j];
    for (let j = 0; j < n; j++) dx[base + j] += dy[base + j] - Math.exp(y[base + j]) * sum;
  }
}
