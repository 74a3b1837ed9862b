// Sampling: options checked once (sampleToken and generate share this), the filters over one row,
// written in place on scratch buffers so that a generation loop samples without allocating, and
// the final draw.
import type { Rng } from "../random";
import { checkInteger, checkOptions, describe } from "./check";
import { softmaxForward } from "../kernels/softmax";

/** Options of {@link sampleToken} and {@link generate}. @category 18–21 · Sampling and generation */
export interface SamplingOptions {
  /** Divides the logits; 0 means greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep the k most likely tokens (ties with the k-th kept). */
  topK?: number;
  /** Keep the smallest set reaching cumulative probability p. */
  topP?: number;
  /** Keep tokens with probability ≥ minP · the largest. */
  minP?: number;
  /** Required when temperature > 0: from {@link createRng}. */
  rng?: Rng;
}

const SAMPLING_KEYS = ["temperature", "topK", "topP", "minP", "rng"];

/**
 * Validates sampling options once. `extraKeys` are the caller's own options (generate's); `draws`
 * false (explainSampling) means nothing is drawn, so there is no `rng` to take or require.
 */
export function checkSampling(fn: string, options: SamplingOptions | undefined, { extraKeys = [] as string[], draws = true } = {}): Required<Pick<SamplingOptions, "temperature">> & SamplingOptions {
  const o = checkOptions(fn, options, [...extraKeys, ...(draws ? SAMPLING_KEYS : SAMPLING_KEYS.filter((k) => k !== "rng"))]);
  const temperature = o.temperature ?? 1;
  if (typeof temperature !== "number" || !(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`${fn}: temperature must be a finite number ≥ 0 (0 = greedy), got ${describe(temperature)}`);
  }
  if (o.topK !== undefined) checkInteger(fn, "topK", o.topK, 1);
  if (o.topP !== undefined && (typeof o.topP !== "number" || !(o.topP > 0 && o.topP <= 1))) {
    throw new RangeError(`${fn}: topP must be in (0, 1], got ${describe(o.topP)}`);
  }
  if (o.minP !== undefined && (typeof o.minP !== "number" || !(o.minP >= 0 && o.minP <= 1))) {
    throw new RangeError(`${fn}: minP must be in [0, 1], got ${describe(o.minP)}`);
  }
  if (temperature > 0 && draws) {
    if (o.rng == null) throw new TypeError(`${fn}: rng is required when temperature > 0 (got temperature ${temperature} and no rng); pass rng: createRng(seed), or temperature: 0 for greedy`);
    if (typeof o.rng.uniform !== "function") throw new TypeError(`${fn}: rng must be an Rng from createRng(seed) (with uniform()), got ${typeof o.rng === "function" ? "a function (Math.random is not seeded: pass rng: createRng(seed))" : describe(o.rng)}`);
  }
  return { ...o, temperature };
}

/**
 * Checks a row of logits before sampling: NaN anywhere, +∞ when sampling at a temperature (softmax
 * of ∞ is undefined; PyTorch's multinomial refuses it too), or every logit −∞ (no token has any
 * probability) is an error naming the logits — never a silent default id.
 */
export function checkLogitRow(fn: string, row: ArrayLike<number>, temperature: number): void {
  let finite = false;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v !== v) throw new RangeError(`${fn}: ${fn === "generate" ? "the model's " : ""}logits[${i}] is NaN, expected numbers (a NaN logit means the model broke)`);
    if (v === Infinity && temperature > 0) {
      throw new RangeError(`${fn}: logits[${i}] is Infinity, expected finite logits or -Infinity (at temperature ${temperature} an infinite logit has no probability distribution)`);
    }
    if (v > -Infinity) finite = true;
  }
  if (!finite) throw new RangeError(`${fn}: every one of the ${row.length} logits is -Infinity, so no token can be sampled`);
}

/** Inverse-CDF draw; rounding past the total falls on the last token with probability > 0. */
export function draw(probs: ArrayLike<number>, u: number): number {
  let cum = 0, last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] > 0) last = i;
    cum += probs[i];
    if (u < cum) return i;
  }
  return last;
}

/** Buffers for filtering and sampling rows of V logits. */
export interface SamplingScratch {
  readonly values: Float32Array;
  readonly probs: Float32Array;
  readonly order: Uint32Array;
}

export function createSamplingScratch(V: number): SamplingScratch {
  return { values: new Float32Array(V), probs: new Float32Array(V), order: new Uint32Array(V) };
}

/** Keeps the k largest entries of row (and every entry tied with the k-th largest); the rest → −∞. */
export function keepTopK(row: Float32Array, k: number, scratch: SamplingScratch): void {
  const n = row.length;
  if (k >= n) return;
  const a = scratch.probs; // free at this point: used as the selection buffer
  for (let i = 0; i < n; i++) a[i] = row[i];
  const kth = select(a, n, k - 1);
  for (let i = 0; i < n; i++) if (!(row[i] >= kth)) row[i] = -Infinity;
}

/** The value of rank r (0 = largest) among a[0…n), by quickselect (reorders a). */
function select(a: Float32Array, n: number, r: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) { // Hoare partition, descending: [lo, j] ≥ pivot ≥ [i, hi]
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i]; a[i] = a[j]; a[j] = t;
        i++; j--;
      }
    }
    if (r <= j) hi = j;
    else if (r >= i) lo = i;
    else return a[r];
  }
  return a[r];
}

/**
 * Keeps the smallest set of entries, by decreasing value (ties → lower index first), whose softmax
 * probabilities reach p (the crossing entry kept); the rest → −∞. Pops a heap of the finite entries,
 * so it costs O(V + kept·log V), not a full sort.
 */
export function keepTopP(row: Float32Array, p: number, scratch: SamplingScratch): void {
  if (p >= 1) return;
  const n = row.length, probs = scratch.probs, heap = scratch.order;
  softmaxForward(probs, row, 1, n);
  let size = 0;
  for (let i = 0; i < n; i++) if (row[i] > -Infinity) heap[size++] = i;
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, size, i, row);
  let cum = 0;
  while (size > 0) {
    const top = heap[0];
    cum += probs[top];
    if (cum >= p) { // top crosses p: keep it and everything before it in the order
      for (let i = 0; i < n; i++) if (i !== top && !before(row, i, top)) row[i] = -Infinity;
      return;
    }
    heap[0] = heap[--size];
    siftDown(heap, size, 0, row);
  }
}

/** Whether entry a comes before entry b: larger value first, then lower index. */
function before(row: Float32Array, a: number, b: number): boolean {
  return row[a] > row[b] || (row[a] === row[b] && a < b);
}

function siftDown(heap: Uint32Array, size: number, i: number, row: Float32Array): void {
  for (;;) {
    const l = 2 * i + 1, r = l + 1;
    let best = i;
    if (l < size && before(row, heap[l], heap[best])) best = l;
    if (r < size && before(row, heap[r], heap[best])) best = r;
    if (best === i) return;
    const t = heap[i]; heap[i] = heap[best]; heap[best] = t;
    i = best;
  }
}

/** Keeps entries whose probability is at least minP times the largest; the rest → −∞. */
export function keepMinP(row: Float32Array, minP: number): void {
  const threshold = Math.log(minP); // p_i ≥ minP·p_max  ⇔  logit_i − logit_max ≥ log(minP)
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]);
  for (let i = 0; i < row.length; i++) if (!(row[i] - max >= threshold)) row[i] = -Infinity;
}

/**
 * Picks a token from one row of logits (checked options, no NaN): greedy at temperature 0, else
 * logits/temperature, the filters (top-k, top-p, min-p, in that order), softmax and one draw.
 * Allocates nothing: the work happens in scratch (sized for the row).
 */
export function sampleRow(logits: ArrayLike<number>, o: ReturnType<typeof checkSampling>, scratch: SamplingScratch): number {
  const n = logits.length;
  const row = scratch.values.length === n ? scratch.values : scratch.values.subarray(0, n);
  // (x − max)/T, not x/T: the same distribution, and a tiny temperature cannot overflow float32 into ∞ − ∞
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  for (let i = 0; i < n; i++) row[i] = (logits[i] - max) / o.temperature;
  if (o.topK !== undefined) keepTopK(row, o.topK, scratch);
  if (o.topP !== undefined) keepTopP(row, o.topP, scratch);
  if (o.minP !== undefined) keepMinP(row, o.minP);
  softmaxForward(scratch.probs, row, 1, n);
  return draw(scratch.probs, o.rng!.uniform());
}
