/**
 * Layer normalisation and RMS normalisation over the last axis (lesson 6).
 * Shapes: x `[..., C]`, weight and bias `[C]`.
 * @module
 */
import type { Tensor } from "./tensor";
import { checkGradsApart, checkAccumulate, checkOptions, checkOutInPlace, checkPositive, checkRank, checkShapeIs, gradTarget } from "./internal/check";
import { layerNormBackwardKernel, layerNormForward, rmsNormBackwardKernel, rmsNormForward } from "./kernels/norm";

/** Options of {@link layerNorm} and {@link rmsNorm}. @category 6 · Layer norm */
export interface NormOptions {
  /** Added to the variance before the square root; must be > 0. Default 1e-5 (layerNorm), 1e-6 (rmsNorm). */
  eps?: number;
  /** Where to write the result (same shape as x); may be x itself. */
  out?: Tensor;
}

/** What {@link layerNormWithStats} returns: the output and what a backward pass needs. @category 6 · Layer norm */
export interface LayerNormResult {
  /** The normalised tensor, `[..., C]`. */
  output: Tensor;
  /** Each row's mean, `[...]` (x's shape without its last axis). */
  mean: Tensor;
  /** Each row's reciprocal standard deviation `1/√(var + eps)`, `[...]`. */
  rstd: Tensor;
}

function checkNormArgs(fn: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, eps: unknown): number {
  checkRank(fn, "x", x, 1, "[..., C]");
  const C = x.shape[x.shape.length - 1];
  checkShapeIs(fn, "weight", weight, [C], "the last axis of x");
  if (bias != null) checkShapeIs(fn, "bias", bias, [C], "the last axis of x");
  checkPositive(fn, "eps", eps);
  return C;
}

/**
 * Layer normalisation over the last axis: `y = (x − mean) / √(var + eps) · weight + bias`,
 * with the biased variance `var = mean((x − mean)²)`, as PyTorch.
 *
 * Statistics are computed in float64 in one pass over data shifted by the row's first value,
 * so rows with a large mean and a small spread (mean 1e4, spread 0.1) stay accurate.
 *
 * @param x - `[..., C]`
 * @param weight - the gain γ, `[C]`
 * @param bias - the shift β, `[C]`, or omitted / `null` for none
 * @param options - `eps` (> 0, default 1e-5), `out`
 * @returns `[..., C]`
 * @throws ShapeError when weight or bias is not `[C]`; RangeError when eps ≤ 0
 * @remarks Matches `torch.nn.functional.layer_norm(x, (C,), weight, bias, eps)`.
 * @category 6 · Layer norm
 * @example
 * ```ts
 * const y = layerNorm(tensor([1, 2, 3, 4], [1, 4]), ones([4]), zeros([4]));
 * // y.data ≈ [-1.342, -0.447, 0.447, 1.342]
 * ```
 */
export function layerNorm(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: NormOptions): Tensor {
  const { eps = 1e-5, out } = checkOptions("layerNorm", options, ["eps", "out"]);
  const C = checkNormArgs("layerNorm", x, weight, bias, eps);
  const y = checkOutInPlace("layerNorm", out, x, [weight, bias]);
  layerNormForward(y.data, null, null, x.data, weight.data, bias?.data ?? null, C === 0 ? 0 : x.data.length / C, C, eps);
  return y;
}

/**
 * {@link layerNorm}, also returning each row's `mean` and `rstd` — what a backward pass needs and
 * what a lesson can print.
 * @param x - `[..., C]`
 * @param weight - `[C]`
 * @param bias - `[C]` or omitted
 * @param options - `eps` (default 1e-5)
 * @returns `{ output: [..., C], mean: [...], rstd: [...] }`
 * @throws as {@link layerNorm}
 * @category 6 · Layer norm
 * @example
 * ```ts
 * const { mean, rstd } = layerNormWithStats(tensor([1, 2, 3, 4], [1, 4]), ones([4]));
 * // mean.data = [2.5], rstd.data ≈ [0.894]
 * ```
 */
export function layerNormWithStats(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: { eps?: number }): LayerNormResult {
  const { eps = 1e-5 } = checkOptions("layerNormWithStats", options, ["eps"]);
  const C = checkNormArgs("layerNormWithStats", x, weight, bias, eps);
  const rowShape = x.shape.slice(0, -1);
  const rows = C === 0 ? 0 : x.data.length / C;
  const output = { data: new Float32Array(x.data.length), shape: [...x.shape] };
  const mean = { data: new Float32Array(rows), shape: rowShape };
  const rstd = { data: new Float32Array(rows), shape: [...rowShape] };
  layerNormForward(output.data, mean.data, rstd.data, x.data, weight.data, bias?.data ?? null, rows, C, eps);
  return { output, mean, rstd };
}

/**
 * RMS normalisation over the last axis: `y = x / √(mean(x²) + eps) · weight` (no centring, no bias).
 *
 * @param x - `[..., C]`
 * @param weight - the gain, `[C]`
 * @param options - `eps` (> 0, default 1e-6), `out`
 * @returns `[..., C]`
 * @throws ShapeError when weight is not `[C]`; RangeError when eps ≤ 0
 * @remarks Matches `torch.nn.functional.rms_norm(x, (C,), weight, eps)` and LLaMA's RMSNorm.
 * @category 6 · Layer norm
 * @example
 * ```ts
 * rmsNorm(tensor([3, 4], [1, 2]), ones([2])).data; // ≈ [0.849, 1.131]
 * ```
 */
export function rmsNorm(x: Tensor, weight: Tensor, options?: NormOptions): Tensor {
  const { eps = 1e-6, out } = checkOptions("rmsNorm", options, ["eps", "out"]);
  const C = checkNormArgs("rmsNorm", x, weight, undefined, eps);
  const y = checkOutInPlace("rmsNorm", out, x, [weight]);
  rmsNormForward(y.data, null, x.data, weight.data, C === 0 ? 0 : x.data.length / C, C, eps);
  return y;
}

/** The gradients of {@link layerNorm}. @category 22–23 · Training */
export interface LayerNormGrads {
  /** `[..., C]` */
  dx: Tensor;
  /** `[C]` */
  dweight: Tensor;
  /** `[C]` (whether or not the forward had a bias) */
  dbias: Tensor;
}

/** Options of {@link layerNormBackward}. @category 22–23 · Training */
export interface LayerNormBackwardOptions {
  /** The forward's epsilon. Default 1e-5. */
  eps?: number;
  /** The forward's row statistics from {@link layerNormWithStats}; computed again from x when absent. */
  saved?: { mean: Tensor; rstd: Tensor };
  dx?: Tensor;
  dweight?: Tensor;
  dbias?: Tensor;
  /** Add to the given tensors instead of overwriting them. */
  accumulate?: boolean;
}

/**
 * The layer-norm backward pass (llm.c's `layernorm_backward`). With `n = (x − mean)·rstd` and
 * `g = dy·weight` per row: `dx = rstd·(g − mean(g) − n·mean(g·n))`, `dweight = Σ dy·n`, `dbias = Σ dy`
 * (sums over every row).
 *
 * @param dy - the upstream gradient `[..., C]`
 * @param x - the forward's input `[..., C]`
 * @param weight - `[C]`
 * @param options - `eps`, `saved` (`{ mean, rstd }` from {@link layerNormWithStats}, shape `[...]`), and `dx`, `dweight`, `dbias`, `accumulate`
 * @returns `{ dx: [..., C], dweight: [C], dbias: [C] }`
 * @throws ShapeError when the shapes do not fit; RangeError when eps ≤ 0
 * @remarks Matches `torch.autograd.grad(F.layer_norm(x, (C,), weight, bias, eps), (x, weight, bias), dy)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4], [1, 4]), w = ones([4]);
 * const saved = layerNormWithStats(x, w);
 * const { dx, dweight } = layerNormBackward(tensor([1, 0, 0, 0], [1, 4]), x, w, { saved });
 * ```
 */
export function layerNormBackward(dy: Tensor, x: Tensor, weight: Tensor, options?: LayerNormBackwardOptions): LayerNormGrads {
  const fn = "layerNormBackward";
  const o = checkOptions(fn, options, ["eps", "saved", "dx", "dweight", "dbias", "accumulate"]);
  const eps = o.eps ?? 1e-5;
  const C = checkNormArgs(fn, x, weight, undefined, eps);
  checkShapeIs(fn, "dy", dy, x.shape, "the shape of x");
  const rows = C === 0 ? 0 : x.data.length / C;
  let mean: Float32Array, rstd: Float32Array;
  if (o.saved !== undefined) {
    if (o.saved === null || typeof o.saved !== "object") throw new TypeError(`${fn}: saved must be { mean, rstd } from layerNormWithStats, got ${String(o.saved)}`);
    checkShapeIs(fn, "saved.mean", o.saved.mean, x.shape.slice(0, -1), "x's shape without its last axis");
    checkShapeIs(fn, "saved.rstd", o.saved.rstd, x.shape.slice(0, -1), "x's shape without its last axis");
    mean = o.saved.mean.data;
    rstd = o.saved.rstd.data;
  } else {
    mean = new Float32Array(rows);
    rstd = new Float32Array(rows);
    layerNormForward(new Float32Array(x.data.length), mean, rstd, x.data, weight.data, null, rows, C, eps);
  }
  const acc = checkAccumulate(fn, o.accumulate);
  const inputs = [dy, x, weight];
  checkGradsApart(fn, { dx: o.dx, dweight: o.dweight, dbias: o.dbias });
  const dx = gradTarget(fn, "dx", o.dx, x.shape, acc, inputs);
  const dweight = gradTarget(fn, "dweight", o.dweight, [C], acc, inputs);
  const dbias = gradTarget(fn, "dbias", o.dbias, [C], acc, inputs);
  layerNormBackwardKernel(dx.data, dweight.data, dbias.data, dy.data, x.data, weight.data, mean, rstd, rows, C);
  return { dx, dweight, dbias };
}

/**
 * The RMS-norm backward pass. With `r = 1/√(mean(x²) + eps)` and `g = dy·weight` per row:
 * `dx = r·g − x·r³·mean(g·x)`, `dweight = Σ dy·x·r` (over every row).
 *
 * @param dy - the upstream gradient `[..., C]`
 * @param x - the forward's input `[..., C]`
 * @param weight - `[C]`
 * @param options - `eps` (default 1e-6, as {@link rmsNorm}), `dx`, `dweight`, `accumulate`
 * @returns `{ dx: [..., C], dweight: [C] }`
 * @throws ShapeError when the shapes do not fit; RangeError when eps ≤ 0
 * @remarks Matches `torch.autograd.grad` of LLaMA's RMSNorm.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const { dx, dweight } = rmsNormBackward(tensor([1, 0], [1, 2]), tensor([3, 4], [1, 2]), ones([2]));
 * ```
 */
export function rmsNormBackward(
  dy: Tensor, x: Tensor, weight: Tensor,
  options?: { eps?: number; dx?: Tensor; dweight?: Tensor; accumulate?: boolean },
): { dx: Tensor; dweight: Tensor } {
  const fn = "rmsNormBackward";
  const o = checkOptions(fn, options, ["eps", "dx", "dweight", "accumulate"]);
  const eps = o.eps ?? 1e-6;
  const C = checkNormArgs(fn, x, weight, undefined, eps);
  checkShapeIs(fn, "dy", dy, x.shape, "the shape of x");
  const rows = C === 0 ? 0 : x.data.length / C;
  const rstd = new Float32Array(rows);
  rmsNormForward(new Float32Array(x.data.length), rstd, x.data, weight.data, rows, C, eps);
  const acc = checkAccumulate(fn, o.accumulate);
  checkGradsApart(fn, { dx: o.dx, dweight: o.dweight });
  const dx = gradTarget(fn, "dx", o.dx, x.shape, acc, [dy, x, weight]);
  const dweight = gradTarget(fn, "dweight", o.dweight, [C], acc, [dy, x, weight]);
  rmsNormBackwardKernel(dx.data, dweight.data, dy.data, x.data, weight.data, rstd, rows, C);
  return { dx, dweight };
}
