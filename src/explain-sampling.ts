/**
 * What a sampling step does, token by token (lesson 18): the numbers an educator shows beside a
 * sampled token, computed by the same filters {@link sampleToken} runs.
 * @module
 */
import type { Tensor } from "./tensor";
import { checkRank, describe } from "./internal/check";
import { checkLogitRow, checkSampling, createSamplingScratch, keepMinP, keepTopK, keepTopP } from "./internal/sampling";
import { softmaxForward } from "./kernels/softmax";
import { argmax, type SamplingOptions } from "./sampling";

/** One token of a sampling step, as {@link explainSampling} describes it. @category 18–21 · Sampling and generation */
export interface SamplingCandidate {
  id: number;
  /** The logit as given. */
  logit: number;
  /** logit / temperature (at temperature 0, the logit itself). */
  scaled: number;
  /** Its place by decreasing logit, 0-based (ties → lower id first). */
  rank: number;
  /** The probability `sampleToken` draws it with: after temperature and every filter, renormalised; 0 where cut. */
  probability: number;
  /** The running sum of the probabilities top-p looks at (after temperature and top-k, renormalised), this token included; absent for tokens top-k cut. */
  cumulative?: number;
  /** Whether it survived every filter. */
  kept: boolean;
  /** The first filter that removed it. */
  cutBy?: "temperature" | "topK" | "topP" | "minP";
}

/** What {@link explainSampling} returns. @category 18–21 · Sampling and generation */
export interface SamplingExplanation {
  /** Every token with a probability above 0 before the filters, by decreasing logit (ties → lower id). */
  candidates: SamplingCandidate[];
  /** How many are kept (probability > 0). */
  kept: number;
  /** The options it explains, with the default temperature filled in. */
  options: { temperature: number; topK?: number; topP?: number; minP?: number };
}

/**
 * Explains one sampling step: for every token that has a chance before the filters, its logit,
 * scaled logit, rank, final probability, the cumulative mass top-p looks at, and which filter (if
 * any) cut it — the same computation as {@link sampleToken} (temperature, then top-k, top-p, min-p,
 * softmax), so the kept probabilities are exactly the distribution it draws from. Temperature 0 is
 * greedy: the argmax gets probability 1, every other token `cutBy: "temperature"`.
 *
 * @param logits - `[V]` (a tensor or an array of numbers); not changed
 * @param options - `temperature` (default 1), `topK`, `topP`, `minP` (no rng: nothing is drawn)
 * @returns `{ candidates, kept, options }`
 * @throws RangeError as {@link sampleToken} does, for bad options or logits that cannot be sampled
 * @category 18–21 · Sampling and generation
 * @example
 * ```ts
 * const { candidates } = explainSampling([2, 1, 0.1, -3], { temperature: 0.8, topK: 3, topP: 0.9 });
 * candidates.map((c) => `${c.id}: p = ${c.probability.toFixed(3)}${c.cutBy ? ` (cut by ${c.cutBy})` : ""}`);
 * ```
 */
export function explainSampling(logits: Tensor | ArrayLike<number>, options?: Omit<SamplingOptions, "rng">): SamplingExplanation {
  const fn = "explainSampling";
  if (options != null && typeof options === "object" && "rng" in options) throw new TypeError(`${fn}: unknown option "rng": explaining draws nothing, expected one of "temperature", "topK", "topP", "minP"`);
  const o = checkSampling(fn, options as SamplingOptions, { draws: false });
  let row: ArrayLike<number>;
  if (logits != null && typeof logits === "object" && "shape" in logits && "data" in logits) {
    checkRank(fn, "logits", logits as Tensor, 1, "[V]", 1);
    row = (logits as Tensor).data;
  } else if (logits == null || typeof logits === "string" || typeof (logits as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${fn}: logits must be a [V] tensor or an array of numbers, got ${describe(logits)}`);
  } else row = logits as ArrayLike<number>;
  const n = row.length;
  if (n === 0) throw new RangeError(`${fn}: logits is empty, expected at least one value`);
  checkLogitRow(fn, row, o.temperature);
  const T = o.temperature;
  const explained = { temperature: T, ...(o.topK !== undefined ? { topK: o.topK } : {}), ...(o.topP !== undefined ? { topP: o.topP } : {}), ...(o.minP !== undefined ? { minP: o.minP } : {}) };
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => row[i] > -Infinity)
    .sort((a, b) => (row[b] - row[a]) || (a - b));

  if (T === 0) { // greedy: the filters cannot change the argmax
    const best = argmax(row);
    const candidates = order.map((id, rank): SamplingCandidate => ({
      id, logit: row[id], scaled: row[id], rank, probability: id === best ? 1 : 0, kept: id === best, ...(id === best ? {} : { cutBy: "temperature" as const }),
    }));
    return { candidates, kept: 1, options: explained };
  }

  // the same steps as sampleRow, on float32 rows, recording what each filter removes
  const scratch = createSamplingScratch(n);
  const x = new Float32Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (row[i] > max) max = row[i];
  for (let i = 0; i < n; i++) x[i] = (row[i] - max) / T;
  const before = new Float32Array(n);
  softmaxForward(before, x, 1, n);
  const cutBy = new Array<SamplingCandidate["cutBy"]>(n);
  const mark = (name: "topK" | "topP" | "minP", prev: Float32Array) => {
    for (let i = 0; i < n; i++) if (prev[i] > -Infinity && x[i] === -Infinity && cutBy[i] === undefined) cutBy[i] = name;
  };
  if (o.topK !== undefined) { const prev = x.slice(); keepTopK(x, o.topK, scratch); mark("topK", prev); }
  // what top-p looks at: the distribution after temperature and top-k, in its order
  const nucleus = new Float32Array(n);
  softmaxForward(nucleus, x, 1, n);
  const cumulative = new Float64Array(n).fill(NaN);
  let sum = 0;
  for (const i of order.filter((j) => x[j] > -Infinity).sort((a, b) => (x[b] - x[a]) || (a - b))) cumulative[i] = (sum += nucleus[i]);
  if (o.topP !== undefined) { const prev = x.slice(); keepTopP(x, o.topP, scratch); mark("topP", prev); }
  if (o.minP !== undefined) { const prev = x.slice(); keepMinP(x, o.minP); mark("minP", prev); }
  const probs = new Float32Array(n);
  softmaxForward(probs, x, 1, n);
  const candidates: SamplingCandidate[] = [];
  let kept = 0;
  order.forEach((id) => {
    if (!(before[id] > 0)) return; // no chance before the filters (underflow at a low temperature)
    const c: SamplingCandidate = { id, logit: row[id], scaled: row[id] / T, rank: candidates.length, probability: probs[id], kept: probs[id] > 0 };
    if (!Number.isNaN(cumulative[id])) c.cumulative = cumulative[id];
    if (cutBy[id] !== undefined) c.cutBy = cutBy[id];
    if (c.kept) kept++;
    candidates.push(c);
  });
  return { candidates, kept, options: explained };
}
