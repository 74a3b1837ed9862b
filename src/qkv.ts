/**
 * Queries, keys and values (lessons 8 and 9): the fused Q/K/V projection and the reshapes
 * between channels and heads.
 * Shapes: x `[..., T, C]`, heads `[..., H, T, D]` with C = H·D.
 * @module
 */
import type { Tensor } from "./tensor";
import { formatShape } from "./tensor";
import { checkInteger, checkRank, checkShapeIs, leading } from "./internal/check";
import { linearKernel } from "./kernels/linear";
import { mergeHeadsForward } from "./kernels/heads";

/** Queries, keys and values, each `[..., T, C]`. @category 7–9 · Linear layers and Q, K, V */
export interface QKV {
  q: Tensor;
  k: Tensor;
  v: Tensor;
}

/**
 * The fused Q/K/V projection of nanoGPT's `c_attn`: `[q | k | v] = x·Wᵀ + b`, split along the last axis.
 *
 * @param x - `[..., T, C]`
 * @param weight - `[3C, C]`: rows 0…C−1 make q, C…2C−1 make k, 2C…3C−1 make v
 * @param bias - `[3C]`, or omitted
 * @returns `{ q, k, v }`, each `[..., T, C]`
 * @throws ShapeError when weight is not `[3C, C]` or bias not `[3C]`
 * @remarks Matches `q, k, v = F.linear(x, weight, bias).split(C, dim=-1)`.
 * @category 7–9 · Linear layers and Q, K, V
 * @example
 * ```ts
 * const x = randn([4, 8], createRng(0));            // T = 4 tokens, C = 8
 * const { q, k, v } = projectQKV(x, randn([24, 8], createRng(1)));
 * q.shape; // [4, 8]
 * ```
 */
export function projectQKV(x: Tensor, weight: Tensor, bias?: Tensor | null): QKV {
  checkRank("projectQKV", "x", x, 2, "[..., T, C]");
  const C = x.shape[x.shape.length - 1];
  checkShapeIs("projectQKV", "weight", weight, [3 * C, C], "[3C, C] for C = the last axis of x");
  if (bias != null) checkShapeIs("projectQKV", "bias", bias, [3 * C], "[3C]");
  const M = leading(x.shape, 1);
  const make = (part: number): Tensor => {
    const data = new Float32Array(M * C);
    const w = weight.data.subarray(part * C * C, (part + 1) * C * C);
    const b = bias == null ? null : bias.data.subarray(part * C, (part + 1) * C);
    linearKernel(data, x.data, w, b, M, C, C);
    return { data, shape: [...x.shape] };
  };
  return { q: make(0), k: make(1), v: make(2) };
}

/**
 * Splits channels into heads: `y[..., h, t, d] = x[..., t, h·D + d]` with D = C / nHead.
 * Head h takes columns h·D … (h+1)·D − 1.
 *
 * @param x - `[..., T, C]`
 * @param nHead - the number of heads H; must divide C
 * @returns `[..., H, T, D]` (a copy)
 * @throws RangeError when nHead does not divide C
 * @remarks Matches `x.view(..., T, H, D).transpose(-3, -2)`.
 * @category 7–9 · Linear layers and Q, K, V
 * @example
 * ```ts
 * splitHeads(zeros([4, 8]), 2).shape; // [2, 4, 4]
 * ```
 */
export function splitHeads(x: Tensor, nHead: number): Tensor {
  checkRank("splitHeads", "x", x, 2, "[..., T, C]");
  checkInteger("splitHeads", "nHead", nHead, 1);
  const [T, C] = x.shape.slice(-2);
  if (C % nHead !== 0) {
    throw new RangeError(`splitHeads: nHead = ${nHead} does not divide C = ${C} (the last axis of x, shape ${formatShape(x.shape)}), expected a divisor of ${C}`);
  }
  const D = C / nHead, B = leading(x.shape, 2);
  const out = new Float32Array(x.data.length);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < nHead; h++)
      for (let t = 0; t < T; t++) {
        const src = (b * T + t) * C + h * D, dst = ((b * nHead + h) * T + t) * D;
        out.set(x.data.subarray(src, src + D), dst);
      }
  return { data: out, shape: [...x.shape.slice(0, -2), nHead, T, D] };
}

/**
 * Merges heads back into channels, the inverse of {@link splitHeads}: `y[..., t, h·D + d] = x[..., h, t, d]`.
 *
 * @param x - `[..., H, T, D]`
 * @returns `[..., T, H·D]` (a copy)
 * @throws ShapeError when x has rank < 3
 * @remarks Matches `x.transpose(-3, -2).reshape(..., T, H·D)`.
 * @category 7–9 · Linear layers and Q, K, V
 * @example
 * ```ts
 * mergeHeads(zeros([2, 4, 4])).shape; // [4, 8]
 * ```
 */
export function mergeHeads(x: Tensor): Tensor {
  checkRank("mergeHeads", "x", x, 3, "[..., H, T, D]");
  const [H, T, D] = x.shape.slice(-3);
  const out = new Float32Array(x.data.length);
  mergeHeadsForward(out, x.data, leading(x.shape, 3), H, T, D);
  return { data: out, shape: [...x.shape.slice(0, -3), T, H * D] };
}

