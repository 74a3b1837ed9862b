/**
 * Attention masks (lesson 10): additive masks that are 0 where a key may be seen and `-Infinity`
 * where it may not, so that softmax gives those keys exactly zero weight.
 * Shapes: scores `[..., T, S]`, masks broadcastable to them.
 * @module
 */
import type { Tensor } from "./tensor";
import { checkInteger, checkOptions, checkOutInPlace, checkRank, checkTensor, describe } from "./internal/check";
import { maskRowOffsets } from "./internal/broadcast";

/**
 * The causal mask: query i may see key j when `j ≤ i + (S − T)`; the mask is 0 there and
 * `-Infinity` elsewhere. Aligned to the end, so with a KV cache (S > T) the T new queries are the
 * last T positions.
 *
 * @param T - the number of queries
 * @param S - the number of keys (default T)
 * @returns `[T, S]`
 * @throws RangeError when T or S is not a non-negative integer
 * @remarks The additive form of `torch.ones(T, S).tril(diagonal=S − T).bool()`.
 * @category 10 · Causal masking
 * @example
 * ```ts
 * causalMask(3).data; // [0, -Inf, -Inf,  0, 0, -Inf,  0, 0, 0]
 * ```
 */
export function causalMask(T: number, S: number = T): Tensor {
  checkInteger("causalMask", "T", T, 0);
  checkInteger("causalMask", "S", S, 0);
  const data = new Float32Array(T * S);
  for (let i = 0; i < T; i++)
    for (let j = 0; j < S; j++) data[i * S + j] = j <= i + (S - T) ? 0 : -Infinity;
  return { data, shape: [T, S] };
}

/**
 * A padding mask over keys: 0 for a valid key, `-Infinity` for a padded one.
 *
 * @param valid - one flag per key position (`true`/`1` = a real token, `false`/`0` = padding)
 * @returns `[1, S]`, broadcastable to any `[..., T, S]`
 * @throws TypeError when an entry is not a boolean, 0 or 1
 * @category 10 · Causal masking
 * @example
 * ```ts
 * paddingMask([1, 1, 0]).data; // [0, 0, -Inf]
 * ```
 */
export function paddingMask(valid: ArrayLike<boolean | 0 | 1>): Tensor {
  if (valid == null || typeof valid === "string" || typeof valid.length !== "number") {
    throw new TypeError(`paddingMask: valid must be an array of booleans or 0/1, got ${describe(valid)}`);
  }
  const data = new Float32Array(valid.length);
  for (let j = 0; j < valid.length; j++) {
    const f = valid[j];
    if (f !== true && f !== false && f !== 0 && f !== 1) {
      throw new TypeError(`paddingMask: valid[${j}] is ${describe(f)}, expected true, false, 0 or 1`);
    }
    data[j] = f === true || f === 1 ? 0 : -Infinity;
  }
  return { data, shape: [1, valid.length] };
}

/**
 * Adds an additive mask to attention scores: `y = scores + mask`, with the mask broadcast
 * (NumPy rules, right-aligned) to the scores' shape.
 *
 * @param scores - `[..., T, S]`
 * @param mask - broadcastable to `[..., T, S]`, e.g. {@link causalMask} `[T, S]` or {@link paddingMask} `[1, S]`
 * @param options - `out` (may be scores itself, to mask in place)
 * @returns `[..., T, S]`
 * @throws ShapeError when the mask does not broadcast to the scores
 * @remarks Matches `scores + mask` in PyTorch.
 * @category 10 · Causal masking
 * @example
 * ```ts
 * applyMask(zeros([2, 2]), causalMask(2)).data; // [0, -Inf, 0, 0]
 * ```
 */
export function applyMask(scores: Tensor, mask: Tensor, options?: { out?: Tensor }): Tensor {
  const { out } = checkOptions("applyMask", options, ["out"]);
  checkRank("applyMask", "scores", scores, 2, "[..., T, S]");
  checkTensor("applyMask", "mask", mask);
  const { offsets, stride } = maskRowOffsets("applyMask", "mask", mask, scores.shape, "the shape of scores");
  const y = checkOutInPlace("applyMask", out, scores, [mask]);
  const S = scores.shape[scores.shape.length - 1];
  const x = scores.data, m = mask.data, o = y.data;
  for (let r = 0; r < offsets.length; r++) {
    const base = r * S, mo = offsets[r];
    for (let j = 0; j < S; j++) o[base + j] = x[base + j] + m[mo + j * stride];
  }
  return y;
}
