/**
 * Choosing the next token (lesson 18): greedy argmax, and sampling with temperature, top-k, top-p
 * (nucleus) and min-p filters. Shapes: logits `[V]` (filters also accept `[..., V]`, row by row).
 * @module
 */
import type { Tensor } from "./tensor";
import { checkInteger, checkRank, describe } from "./internal/check";
export type { SamplingOptions } from "./internal/sampling";
import { type SamplingOptions, checkLogitRow, type SamplingScratch, checkSampling, createSamplingScratch, keepMinP, keepTopK, keepTopP, sampleRow } from "./internal/sampling";

function rowOf(fn: string, logits: Tensor | ArrayLike<number>): Float32Array | ArrayLike<number> {
  if (logits != null && typeof logits === "object" && "shape" in logits && "data" in logits) {
    checkRank(fn, "logits", logits as Tensor, 1, "[V]", 1);
    return (logits as Tensor).data;
  }
  if (logits == null || typeof logits === "string" || typeof (logits as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${fn}: logits must be a [V] tensor or an array of numbers, got ${describe(logits)}`);
  }
  return logits as ArrayLike<number>;
}

/**
 * The index of the largest value; ties go to the lowest index.
 * @param x - a `[V]` tensor or an array of numbers (non-empty, no NaN)
 * @returns an index in [0, V)
 * @throws RangeError for an empty input or a NaN
 * @remarks Matches `torch.argmax` (which also returns the first maximal index).
 * @category 18–21 · Sampling and generation
 * @example
 * ```ts
 * argmax([1, 3, 3, 2]); // 1
 * ```
 */
export function argmax(x: Tensor | ArrayLike<number>): number {
  const v = rowOf("argmax", x);
  if (v.length === 0) throw new RangeError("argmax: x is empty, expected at least one value");
  let best = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== v[i]) throw new RangeError(`argmax: x[${i}] is NaN, expected numbers (a NaN logit means the model broke)`);
    if (v[i] > v[best]) best = i;
  }
  return best;
}

/** Copies logits and applies an in-place row filter to every row of the copy. */
function filtered(logits: Tensor, keep: (row: Float32Array, scratch: SamplingScratch) => void): Tensor {
  const V = logits.shape[logits.shape.length - 1];
  const out = Float32Array.from(logits.data);
  const scratch = createSamplingScratch(V);
  for (let base = 0; base < out.length; base += V) keep(out.subarray(base, base + V), scratch);
  return { data: out, shape: [...logits.shape] };
}

/**
 * Top-k filtering: keeps the k largest logits of each row — and every entry tied with the k-th
 * largest — and sets the rest to `-Infinity`.
 * @param logits - `[..., V]`
 * @param k - an integer ≥ 1 (k ≥ V keeps everything)
 * @returns a new tensor of the same shape
 * @throws RangeError when k is not an integer ≥ 1
 * @category 18–21 · Sampling and generation
 * @example
 * ```ts
 * topK(tensor([1, 3, 2, 3], [4]), 1).data; // [-Inf, 3, -Inf, 3] (ties with the 1st largest are kept)
 * ```
 */
export function topK(logits: Tensor, k: number): Tensor {
  checkRank("topK", "logits", logits, 1, "[..., V]");
  checkInteger("topK", "k", k, 1);
  return filtered(logits, (row, scratch) => keepTopK(row, k, scratch));
}

/**
 * Top-p (nucleus) filtering: keeps the smallest set of tokens, taken by decreasing probability
 * (ties → lower index first), whose cumulative probability reaches p; the token that crosses p is
 * kept, at least one token always is, and p = 1 keeps all. The rest become `-Infinity`.
 * @param logits - `[..., V]`
 * @param p - in (0, 1]
 * @returns a new tensor of the same shape
 * @throws RangeError when p is outside (0, 1]
 * @category 18–21 · Sampling and generation
 * @example
 * ```ts
 * // probabilities ≈ [0.09, 0.67, 0.24]: 0.67 < 0.8, so the next one (0.24) is kept too
 * topP(tensor([1, 3, 2], [3]), 0.8).data; // [-Inf, 3, 2]
 * ```
 */
export function topP(logits: Tensor, p: number): Tensor {
  checkRank("topP", "logits", logits, 1, "[..., V]");
  if (typeof p !== "number" || !(p > 0 && p <= 1)) throw new RangeError(`topP: p must be in (0, 1], got ${describe(p)}`);
  return filtered(logits, (row, scratch) => keepTopP(row, p, scratch));
}

/**
 * Min-p filtering: keeps the tokens whose probability is at least `minP` times the largest
 * probability; the rest become `-Infinity`.
 * @param logits - `[..., V]`
 * @param minP - in [0, 1] (0 keeps all; 1 keeps only the maximum and its ties)
 * @returns a new tensor of the same shape
 * @throws RangeError when minP is outside [0, 1]
 * @category 18–21 · Sampling and generation
 * @example
 * ```ts
 * minP(tensor([0, Math.log(0.5), Math.log(0.01)], [3]), 0.1).data; // [0, -0.69, -Inf]
 * ```
 */
export function minP(logits: Tensor, minP: number): Tensor {
  checkRank("minP", "logits", logits, 1, "[..., V]");
  if (typeof minP !== "number" || !(minP >= 0 && minP <= 1)) throw new RangeError(`minP: minP must be in [0, 1], got ${describe(minP)}`);
  return filtered(logits, (row) => keepMinP(row, minP));
}


/**
 * Picks the next token: temperature, then top-k, top-p and min-p filters, then softmax and one
 * draw from `rng`. Temperature 0 is greedy (argmax; the filters cannot change it).
 * @param logits - `[V]` (a tensor or an array of numbers)
 * @param options - `temperature` (default 1), `topK`, `topP`, `minP`, `rng` (required when temperature > 0)
 * @returns a token id in [0, V)
 * @throws RangeError for a negative temperature, topK < 1 or fractional, topP outside (0, 1], minP outside [0, 1];
 *   for logits that cannot be sampled — NaN, +Infinity at a temperature > 0, or every logit −Infinity — naming
 *   the logit (never a default id); TypeError without rng
 * @category 18–21 · Sampling and generation
 * @example
 * ```ts
 * const rng = createRng(1);
 * sampleToken([2, 1, 0.1], { temperature: 0.8, topK: 2, rng }); // 0 or 1
 * sampleToken([2, 1, 0.1], { temperature: 0 });                  // 0 (greedy)
 * ```
 */
export function sampleToken(logits: Tensor | ArrayLike<number>, options?: SamplingOptions): number {
  const o = checkSampling("sampleToken", options);
  const row = rowOf("sampleToken", logits);
  if (row.length === 0) throw new RangeError("sampleToken: logits is empty, expected at least one value");
  checkLogitRow("sampleToken", row, o.temperature);
  if (o.temperature === 0) return argmax(row);
  return sampleRow(row, o, createSamplingScratch(row.length));
}

