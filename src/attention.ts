/**
 * Attention (lessons 7–12): scores, scaled dot-product attention and multi-head self-attention,
 * with an optional KV cache for generation.
 * Shapes: q `[..., H, T, D]`, k `[..., H, S, D]`, v `[..., H, S, Dv]`; x `[..., T, C]` with C = H·D.
 * @module
 */
import type { Tap, Tensor } from "./tensor";
import { type Weight, checkWeightShape, isQuantized } from "./weight";
import { ShapeError, formatShape } from "./tensor";
import type { Linear } from "./linear";
import { linear } from "./linear";
import { mergeHeads, projectQKV, splitHeads } from "./qkv";
import {
  checkAccumulate, checkFinite, checkInteger, checkOptions, checkRank, checkShapeIs, checkTensor, gradTarget, leading, sameShape, isFloat32Array, describe,
  checkGradsApart,
} from "./internal/check";
import { attentionBackwardKernel } from "./kernels/attention-backward";
import { maskRowOffsets } from "./internal/broadcast";
import { type AttentionVariant, PLAIN_ATTENTION, attentionKernel, attentionScoresForward } from "./kernels/attention";
import { kvCacheIn } from "./internal/kv-cache";

/** Options of {@link scaledDotProductAttention}. @category 7–12 · Attention */
export interface AttentionOptions {
  /** Let query t see only keys s ≤ t + (S − T) (aligned to the end). Default false. */
  causal?: boolean;
  /** An additive mask broadcastable to `[..., H, T, S]` (0 = visible, `-Infinity` = hidden). */
  mask?: Tensor;
  /** Multiplies q·k. Default 1/√D. */
  scale?: number;
  /**
   * Sliding window w (an integer ≥ 1; needs `causal`): the query at position i sees the keys at
   * i − w < j ≤ i only (Mistral, Qwen2). Positions: key j at j, query t at t + S − T.
   */
  window?: number;
  /**
   * ALiBi: `true` for {@link alibiSlopes}(H), or the H slopes; adds −slope_h·(i − j) to head h's
   * scores inside the kernel (BLOOM, MPT), never as an `[H, T, S]` tensor.
   */
  alibi?: boolean | Float32Array;
  /**
   * Also return the attention weights `[..., H, T, S]` (costs T·S floats per head). Default false.
   * The output then comes from the JavaScript kernel that writes them (float64 sums), as it does with
   * a `mask`; without either, the WebAssembly kernel (float32 sums) computes it, so the last bits can differ.
   */
  returnWeights?: boolean;
}

/** What attention returns. @category 7–12 · Attention */
export interface AttentionResult {
  /** The attended values: `[..., H, T, Dv]` for {@link scaledDotProductAttention}, `[..., T, C]` for {@link multiHeadAttention}. */
  output: Tensor;
  /** The attention probabilities `[..., H, T, S]`, present when `returnWeights` was set. */
  weights?: Tensor;
}

interface Dims { BH: number; T: number; S: number; D: number; Dv: number; group: number }

/**
 * q [..., H, T, D], k [..., Hkv, S, D], v [..., Hkv, S, Dv]. With `groups`, Hkv may divide H
 * (grouped-query attention: k and v's head axis is their second-to-third axis); else Hkv = H.
 */
function checkAttentionInputs(fn: string, q: Tensor, k: Tensor, v: Tensor, groups = false): Dims {
  checkRank(fn, "q", q, 2, "[..., H, T, D]");
  checkRank(fn, "k", k, 2, groups ? "[..., Hkv, S, D]" : "[..., H, S, D]");
  checkRank(fn, "v", v, 2, groups ? "[..., Hkv, S, Dv]" : "[..., H, S, Dv]");
  const [T, D] = q.shape.slice(-2);
  const [S, Dk] = k.shape.slice(-2);
  const [Sv, Dv] = v.shape.slice(-2);
  const rank = q.shape.length;
  const H = rank >= 3 ? q.shape[rank - 3] : 1, Hkv = rank >= 3 && k.shape.length === rank ? k.shape[rank - 3] : H;
  const grouped = groups && k.shape.length === rank && Hkv !== H && Hkv > 0 && H % Hkv === 0;
  const lead = grouped ? [...q.shape.slice(0, -3), Hkv] : q.shape.slice(0, -2);
  const heads = groups ? ` (k/v heads Hkv must divide q's H = ${H})` : "";
  if (Dk !== D || !sameShape(k.shape.slice(0, -2), lead)) {
    if (groups && Dk === D && k.shape.length === rank && sameShape(k.shape.slice(0, -3), q.shape.slice(0, -3))) {
      throw new ShapeError(`${fn}: k has ${Hkv} heads, which does not divide q's ${H} heads, expected a divisor of ${H} (grouped-query attention: query head h reads k/v head ⌊h / (H / Hkv)⌋)`);
    }
    throw new ShapeError(`${fn}: k has shape ${formatShape(k.shape)}, expected [${[...lead, "S", D].join(", ")}] (q's leading axes and head size D = ${D}; q has shape ${formatShape(q.shape)})${heads}`);
  }
  if (Sv !== S || !sameShape(v.shape.slice(0, -2), lead)) {
    throw new ShapeError(`${fn}: v has shape ${formatShape(v.shape)}, expected [${[...lead, S, "Dv"].join(", ")}] (the same ${S} keys as k, shape ${formatShape(k.shape)})`);
  }
  return { BH: leading(q.shape, 2), T, S, D, Dv, group: grouped ? H / Hkv : 1 };
}

/**
 * The variant options (`window`, `alibi`) as the kernels take them, checked. H = query heads.
 */
function resolveVariant(fn: string, window: unknown, alibi: unknown, causal: boolean, H: number, group: number): AttentionVariant {
  if (window !== undefined) {
    checkInteger(fn, "window", window as number, 1);
    if (!causal) throw new RangeError(`${fn}: window = ${window as number} needs causal: true (a sliding window looks back from each query), got causal: false`);
  }
  let slopes: Float32Array | null = null;
  if (alibi === true) slopes = alibiSlopes(H);
  else if (isFloat32Array(alibi)) {
    if (alibi.length !== H) throw new ShapeError(`${fn}: alibi has ${alibi.length} slopes, expected ${H} (one per query head)`);
    slopes = alibi;
  } else if (alibi !== undefined && alibi !== false) {
    throw new TypeError(`${fn}: alibi must be true, false or a Float32Array of ${H} slopes (alibiSlopes(H)), got ${describe(alibi)}`);
  }
  if (group === 1 && window === undefined && slopes === null) return PLAIN_ATTENTION;
  return { group, window: (window as number | undefined) ?? 0, slopes };
}

/**
 * The ALiBi slopes of H heads (Press et al., 2022): for H a power of two, 2^(−8i/H) for i = 1…H;
 * otherwise the slopes of the largest power of two below H, then every other slope of twice that
 * (BLOOM's `build_alibi_tensor`).
 * @param H - the number of heads
 * @returns `[H]` slopes, largest first
 * @category 7–12 · Attention
 * @example
 * ```ts
 * alibiSlopes(8); // [0.5, 0.25, 0.125, …, 0.00390625]
 * ```
 */
export function alibiSlopes(H: number): Float32Array {
  checkInteger("alibiSlopes", "H", H, 1);
  const geometric = (n: number) => Array.from({ length: n }, (_, i) => 2 ** ((-8 * (i + 1)) / n));
  const m = 2 ** Math.floor(Math.log2(H));
  const slopes = geometric(m);
  if (m < H) slopes.push(...geometric(2 * m).filter((_, i) => i % 2 === 0).slice(0, H - m));
  return Float32Array.from(slopes);
}

/**
 * Attention scores: `scores[..., t, s] = scale · q_t · k_s`.
 *
 * @param q - queries `[..., H, T, D]`
 * @param k - keys `[..., H, S, D]`, with q's leading axes
 * @param options - `scale` (default 1/√D)
 * @returns `[..., H, T, S]` (no mask applied: see {@link applyMask})
 * @throws ShapeError when the head sizes or leading axes of q and k differ
 * @remarks Matches `q @ k.transpose(-2, -1) * scale`.
 * @category 7–12 · Attention
 * @example
 * ```ts
 * const q = tensor([1, 0], [1, 2]), k = tensor([1, 0, 0, 1], [2, 2]);
 * attentionScores(q, k, { scale: 1 }).data; // [1, 0]
 * ```
 */
export function attentionScores(q: Tensor, k: Tensor, options?: { scale?: number }): Tensor {
  const fn = "attentionScores";
  const opts = checkOptions(fn, options, ["scale"]);
  const { BH, T, S, D } = checkAttentionInputs(fn, q, k, k);
  const scale = opts.scale ?? 1 / Math.sqrt(D);
  checkFinite(fn, "scale", scale);
  const data = new Float32Array(BH * T * S);
  attentionScoresForward(data, q.data, k.data, BH, T, S, D, scale);
  return { data, shape: [...q.shape.slice(0, -1), S] };
}

/**
 * Scaled dot-product attention: `output = softmax(scale · q·kᵀ + mask) · v`, per head.
 *
 * Works one query row at a time, so without `returnWeights` it needs O(S) extra memory, not T·S.
 * With `causal`, masked keys are skipped, not computed. A key hidden from a row (causally or by a
 * −∞ mask) adds nothing to it, even where its value is ±∞ or NaN. A query row that can see no key
 * (fully masked) gets a zero output row and zero weights; NaN in gives NaN out.
 *
 * Range: the JavaScript kernels (used with a mask or `returnWeights`, or under `useWasm(false)`) sum
 * dot products in float64; the WebAssembly kernel sums them in float32, as PyTorch does, so a score
 * whose partial sums pass float32's range (|q·k| > 3.4e38) makes its row NaN there.
 *
 * @param q - queries `[..., H, T, D]`
 * @param k - keys `[..., H, S, D]`
 * @param v - values `[..., H, S, Dv]`
 * @param options - `causal`, `mask`, `scale`, `returnWeights`
 * @returns `{ output: [..., H, T, Dv], weights?: [..., H, T, S] }`
 * @throws ShapeError when head sizes, key counts or leading axes disagree, or the mask does not broadcast
 * @remarks Matches `torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask, is_causal=…, scale=…)`
 *   with an additive float mask (PyTorch's `is_causal` aligns to the start when S ≠ T; this aligns to the end, as a KV cache needs).
 * @category 7–12 · Attention
 * @example
 * ```ts
 * const rng = createRng(0);
 * const q = randn([2, 4, 8], rng), k = randn([2, 4, 8], rng), v = randn([2, 4, 8], rng); // H=2, T=4, D=8
 * const { output, weights } = scaledDotProductAttention(q, k, v, { causal: true, returnWeights: true });
 * // output: [2, 4, 8]; weights: [2, 4, 4], lower-triangular, rows sum to 1
 * ```
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions & { returnWeights: true }): Required<AttentionResult>;
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options?: AttentionOptions): AttentionResult;
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options?: AttentionOptions): AttentionResult {
  const fn = "scaledDotProductAttention";
  const opts = checkOptions(fn, options, ["causal", "mask", "scale", "returnWeights", "window", "alibi"]);
  const { BH, T, S, D, Dv, group } = checkAttentionInputs(fn, q, k, v, true);
  const scale = opts.scale ?? 1 / Math.sqrt(D);
  checkFinite(fn, "scale", scale);
  const H = q.shape.length >= 3 ? q.shape[q.shape.length - 3] : 1;
  const variant = resolveVariant(fn, opts.window, opts.alibi, !!opts.causal, H, group);
  const weightsShape = [...q.shape.slice(0, -1), S];
  const m = resolveMask(fn, opts.mask, weightsShape);
  const output = new Float32Array(BH * T * Dv);
  const weights = opts.returnWeights ? new Float32Array(BH * T * S) : null;
  attentionKernel(output, weights, q.data, k.data, v.data, m.data, m.offsets, m.stride, BH, T, S, D, Dv, scale, !!opts.causal, S, variant);
  const result: AttentionResult = { output: { data: output, shape: [...q.shape.slice(0, -1), Dv] } };
  if (weights !== null) result.weights = { data: weights, shape: weightsShape };
  return result;
}

function resolveMask(fn: string, mask: Tensor | undefined, target: readonly number[]) {
  if (mask === undefined) return { data: null, offsets: null, stride: 0 };
  checkTensor(fn, "mask", mask);
  const { offsets, stride } = maskRowOffsets(fn, "mask", mask, target, "[..., H, T, S], the shape of the attention weights");
  return { data: mask.data, offsets, stride };
}

/**
 * Keys and values kept between calls of {@link multiHeadAttention}, so that generating a new token
 * costs O(T) instead of recomputing all T² scores. Layout `[batch, H, capacity, D]`; `length`
 * positions are filled. Set `length = 0` to reuse it for a new sequence.
 * @category 7–12 · Attention
 */
export interface KVCache {
  readonly batch: number;
  /** Query heads H. */
  readonly nHead: number;
  /** Key/value heads held, Hkv (= H unless grouped-query). */
  readonly nKvHead: number;
  readonly headSize: number;
  readonly capacity: number;
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** How many positions are filled; each call appends its T positions. */
  length: number;
}

/**
 * Creates an empty KV cache for one attention layer.
 * @param config - `nHead` H, `nKvHead` Hkv (default H; fewer for grouped-query attention), `headSize` D,
 *   `capacity` (the most positions it will hold), `batch` (default 1)
 * @returns a cache with `length = 0`, holding `2 · batch · Hkv · capacity · D` floats (H / Hkv times
 *   fewer with grouped-query attention)
 * @throws RangeError when a size is not a positive integer
 * @category 7–12 · Attention
 * @example
 * ```ts
 * const cache = createKVCache({ nHead: 2, headSize: 4, capacity: 16 });
 * ```
 */
export function createKVCache(config: { nHead: number; nKvHead?: number; headSize: number; capacity: number; batch?: number }): KVCache {
  const fn = "createKVCache";
  const { nHead, nKvHead = nHead, headSize, capacity, batch = 1 } = checkOptions(fn, config, ["nHead", "nKvHead", "headSize", "capacity", "batch"]);
  checkInteger(fn, "nHead", nHead, 1);
  checkInteger(fn, "nKvHead", nKvHead, 1);
  if (nHead % nKvHead !== 0) throw new RangeError(`${fn}: nKvHead = ${nKvHead} does not divide nHead = ${nHead}, expected a divisor of ${nHead}`);
  checkInteger(fn, "headSize", headSize, 1);
  checkInteger(fn, "capacity", capacity, 1);
  checkInteger(fn, "batch", batch, 1);
  return kvCacheIn({ nHead, nKvHead, headSize, capacity, batch }, (n) => new Float32Array(n));
}

/** The parameters of a causal self-attention layer, named as nanoGPT's `attn`. @category 7–12 · Attention */
export interface AttentionParams<W extends Weight = Tensor> {
  /** The fused Q/K/V projection: weight `[3C, C]`, bias `[3C]`. */
  cAttn: Linear<W>;
  /** The output projection: weight `[C, C]`, bias `[C]`. */
  cProj: Linear<W>;
}

/** Options of {@link multiHeadAttention}. @category 7–12 · Attention */
export interface MultiHeadAttentionOptions {
  /** The number of heads H; must divide C. */
  nHead: number;
  /** Key/value heads Hkv (default H); must divide H (grouped-query: Llama 2 70B, Mistral; 1 = multi-query). */
  nKvHead?: number;
  /** A sliding window (see {@link AttentionOptions.window}). */
  window?: number;
  /** ALiBi slopes (see {@link AttentionOptions.alibi}). */
  alibi?: boolean | Float32Array;
  /** Causal self-attention (default true). */
  causal?: boolean;
  /** An additive mask broadcastable to `[..., H, T, S]`. */
  mask?: Tensor;
  /**
   * Also return the weights `[..., H, T, S]`. The output then comes from the JavaScript kernel that
   * writes them (float64 sums), so its last bits can differ from a call without weights on the
   * WebAssembly path (within float32 rounding). A `tap` does not change the output.
   */
  returnWeights?: boolean;
  /** A {@link KVCache}: the new keys and values are appended to it and the queries attend over all of it. */
  cache?: KVCache;
  /**
   * Called with each intermediate: `q`, `k`, `v` `[..., H, T, D]` (k and v: this call's only),
   * `scores` `[..., H, T, S]` (scaled and masked, before softmax), `weights` `[..., H, T, S]`,
   * `heads` `[..., H, T, D]`, `merged` `[..., T, C]`, `out` `[..., T, C]`.
   */
  tap?: Tap;
}

/**
 * Multi-head self-attention as in GPT-2: `q, k, v = cAttn(x)`, split into H heads, scaled
 * dot-product attention per head, heads merged, then `cProj`.
 *
 * @param x - `[..., T, C]`
 * @param params - `{ cAttn: { weight: [3C, C], bias?: [3C] }, cProj: { weight: [C, C], bias?: [C] } }`;
 *   with `nKvHead`, `cAttn.weight` is `[(H + 2·Hkv)·D, C]` (q rows, then k, then v)
 * @param options - `nHead` (required), `nKvHead`, `causal` (default true), `mask`, `window`, `alibi`, `returnWeights`, `cache`, `tap`
 * @returns `{ output: [..., T, C], weights?: [..., H, T, S] }` (S = T, or the cache's length after this call)
 * @throws RangeError when nHead does not divide C or the cache is full; ShapeError for wrong parameter shapes
 * @remarks Matches nanoGPT's `CausalSelfAttention.forward` (without dropout).
 * @category 7–12 · Attention
 * @example
 * ```ts
 * const rng = createRng(0), C = 8;
 * const params = {
 *   cAttn: { weight: randn([3 * C, C], rng, 0.02), bias: zeros([3 * C]) },
 *   cProj: { weight: randn([C, C], rng, 0.02), bias: zeros([C]) },
 * };
 * const { output, weights } = multiHeadAttention(randn([4, C], rng), params, { nHead: 2, returnWeights: true });
 * // output: [4, 8]; weights: [2, 4, 4]
 * ```
 */
export function multiHeadAttention(x: Tensor, params: AttentionParams<Weight>, options: MultiHeadAttentionOptions & { returnWeights: true }): Required<AttentionResult>;
export function multiHeadAttention(x: Tensor, params: AttentionParams<Weight>, options: MultiHeadAttentionOptions): AttentionResult;
export function multiHeadAttention(x: Tensor, params: AttentionParams<Weight>, options: MultiHeadAttentionOptions): AttentionResult {
  const fn = "multiHeadAttention";
  if (options == null || typeof options !== "object") {
    throw new TypeError(`${fn}: options must be an object with nHead, got ${String(options)}`);
  }
  checkOptions(fn, options, ["nHead", "nKvHead", "causal", "mask", "returnWeights", "cache", "tap", "window", "alibi"]);
  const { nHead, causal = true, mask, returnWeights = false, cache, tap } = options;
  checkRank(fn, "x", x, 2, "[..., T, C]");
  const C = x.shape[x.shape.length - 1];
  const T = x.shape[x.shape.length - 2];
  checkInteger(fn, "nHead", nHead, 1);
  if (C % nHead !== 0) {
    throw new RangeError(`${fn}: nHead = ${nHead} does not divide C = ${C} (the last axis of x), expected a divisor of ${C}`);
  }
  const nKv = options.nKvHead ?? nHead;
  checkInteger(fn, "nKvHead", nKv, 1);
  if (nHead % nKv !== 0) throw new RangeError(`${fn}: nKvHead = ${nKv} does not divide nHead = ${nHead}, expected a divisor of ${nHead} (each k/v head serves nHead / nKvHead query heads)`);
  if (params == null || params.cAttn == null || params.cProj == null) {
    throw new TypeError(`${fn}: params must be { cAttn: { weight, bias? }, cProj: { weight, bias? } }, got ${params == null ? String(params) : `keys ${Object.keys(params).join(", ")}`}`);
  }
  const D = C / nHead, kvC = nKv * D;
  checkWeightShape(fn, "params.cAttn.weight", params.cAttn.weight, [C + 2 * kvC, C], nKv === nHead ? "[3C, C] for C = the last axis of x" : `[(H + 2·Hkv)·D, C]: q's ${C} rows, then k's and v's ${kvC} each`);
  checkWeightShape(fn, "params.cProj.weight", params.cProj.weight, [C, C], "[C, C]");
  const variant = resolveVariant(fn, options.window, options.alibi, causal, nHead, nHead / nKv);
  const lead = x.shape.slice(0, -2);
  const B = leading(x.shape, 2);
  if (cache !== undefined) checkCache(fn, cache, B, nHead, nKv, D, T);
  const S = cache === undefined ? T : cache.length + T;
  const weightsShape = [...lead, nHead, T, S];
  const m = resolveMask(fn, mask, weightsShape); // every check before the cache is touched

  const { q, k, v } = nKv === nHead && !isQuantized(params.cAttn.weight) ? projectQKV(x, params.cAttn.weight, params.cAttn.bias) : projectGrouped(x, params.cAttn, C, kvC);
  const qh = splitHeads(q, nHead), kh = splitHeads(k, nKv), vh = splitHeads(v, nKv);
  tap?.("q", qh);
  tap?.("k", kh);
  tap?.("v", vh);

  let kData = kh.data, vData = vh.data, kvRows = T;
  if (cache !== undefined) {
    appendToCache(cache, kh.data, vh.data, B * nKv, T, D);
    kData = cache.k;
    vData = cache.v;
    kvRows = cache.capacity;
  }
  const scale = 1 / Math.sqrt(D);
  if (tap) tap("scores", maskedScores(qh.data, kData, m, B * nHead, T, S, D, scale, causal, kvRows, weightsShape, variant));
  const heads = new Float32Array(B * nHead * T * D);
  let weights = returnWeights ? new Float32Array(B * nHead * T * S) : null;
  attentionKernel(heads, weights, qh.data, kData, vData, m.data, m.offsets, m.stride, B * nHead, T, S, D, D, scale, causal, kvRows, variant);
  if (tap && weights === null) { // computed beside, so that a tap leaves the output's bits as they are without one
    weights = new Float32Array(B * nHead * T * S);
    attentionKernel(new Float32Array(heads.length), weights, qh.data, kData, vData, m.data, m.offsets, m.stride, B * nHead, T, S, D, D, scale, causal, kvRows, variant);
  }
  const headsT: Tensor = { data: heads, shape: [...lead, nHead, T, D] };
  const weightsT: Tensor | undefined = weights === null ? undefined : { data: weights, shape: weightsShape };
  if (tap) {
    tap("weights", weightsT!);
    tap("heads", headsT);
  }
  const merged = mergeHeads(headsT);
  tap?.("merged", merged);
  const output = linear(merged, params.cProj.weight, params.cProj.bias);
  tap?.("out", output);
  return returnWeights ? { output, weights: weightsT } : { output };
}

/** q, k, v from a fused projection whose k and v parts have kvC = Hkv·D rows each (grouped-query). */
function projectGrouped(x: Tensor, cAttn: Linear<Weight>, C: number, kvC: number): { q: Tensor; k: Tensor; v: Tensor } {
  const qkv = linear(x, cAttn.weight, cAttn.bias);
  const rows = qkv.data.length / (C + 2 * kvC), lead = x.shape.slice(0, -1);
  const part = (from: number, width: number): Tensor => {
    const data = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) data.set(qkv.data.subarray(r * (C + 2 * kvC) + from, r * (C + 2 * kvC) + from + width), r * width);
    return { data, shape: [...lead, width] };
  };
  return { q: part(0, C), k: part(C, kvC), v: part(C + kvC, kvC) };
}

function checkCache(fn: string, cache: KVCache, B: number, H: number, Hkv: number, D: number, T: number): void {
  if (cache == null || !isFloat32Array(cache.k) || typeof cache.length !== "number") {
    throw new TypeError(`${fn}: cache must come from createKVCache, got ${String(cache)}`);
  }
  const held = cache.nKvHead ?? cache.nHead;
  if (cache.batch !== B || cache.nHead !== H || held !== Hkv || cache.headSize !== D) {
    throw new ShapeError(`${fn}: cache holds batch ${cache.batch}, ${held} k/v heads of size ${cache.headSize} for ${cache.nHead} query heads, expected batch ${B}, ${Hkv} k/v heads of size ${D} for ${H} (from x, nHead and nKvHead)`);
  }
  if (cache.length + T > cache.capacity) {
    throw new RangeError(`${fn}: cache has ${cache.capacity - cache.length} free positions (capacity ${cache.capacity}, length ${cache.length}), expected at least ${T} for the ${T} new tokens`);
  }
}

function appendToCache(cache: KVCache, k: Float32Array, v: Float32Array, BH: number, T: number, D: number): void {
  for (let p = 0; p < BH; p++) {
    const dst = (p * cache.capacity + cache.length) * D;
    cache.k.set(k.subarray(p * T * D, (p + 1) * T * D), dst);
    cache.v.set(v.subarray(p * T * D, (p + 1) * T * D), dst);
  }
  cache.length += T;
}

function maskedScores(
  q: Float32Array, k: Float32Array, m: { data: Float32Array | null; offsets: Int32Array | null; stride: number },
  BH: number, T: number, S: number, D: number, scale: number, causal: boolean, kvRows: number, shape: number[],
  variant: AttentionVariant,
): Tensor {
  const data = new Float32Array(BH * T * S);
  for (let p = 0; p < BH; p++) {
    const kv = Math.floor(p / variant.group);
    attentionScoresForward(data.subarray(p * T * S), q.subarray(p * T * D), k.subarray(kv * kvRows * D), 1, T, S, D, scale, kvRows);
  }
  for (let row = 0; row < BH * T; row++) {
    const p = Math.floor(row / T), t = row % T, base = row * S, pos = t + S - T;
    if (m.data !== null) {
      const mo = m.offsets![row];
      for (let s = 0; s < S; s++) data[base + s] += m.data[mo + s * m.stride];
    }
    const slope = variant.slopes === null ? 0 : variant.slopes[p % variant.slopes.length];
    if (slope !== 0) for (let s = 0; s < S; s++) data[base + s] -= slope * (pos - s);
    if (variant.window > 0) data.fill(-Infinity, base, base + Math.max(0, Math.min(S, pos - variant.window + 1)));
    if (causal) data.fill(-Infinity, base + Math.max(0, Math.min(S, pos + 1)), base + S);
  }
  return { data, shape };
}

/** The gradients of {@link scaledDotProductAttention}'s output. @category 22–23 · Training */
export interface AttentionGrads {
  /** `[..., H, T, D]` */
  dq: Tensor;
  /** `[..., H, S, D]` */
  dk: Tensor;
  /** `[..., H, S, Dv]` */
  dv: Tensor;
}

/** Options of {@link attentionBackward}: the forward's options, and where to write each gradient. @category 22–23 · Training */
export interface AttentionBackwardOptions {
  causal?: boolean;
  mask?: Tensor;
  scale?: number;
  /** The forward's sliding window (needs `causal`). */
  window?: number;
  /** The forward's ALiBi: `true` for {@link alibiSlopes}, or the slopes `[H]`. */
  alibi?: boolean | Float32Array;
  dq?: Tensor;
  dk?: Tensor;
  dv?: Tensor;
  /** Add to the given tensors instead of overwriting them. */
  accumulate?: boolean;
}

/**
 * The attention backward pass: the gradient of `scaledDotProductAttention(q, k, v, options).output`
 * with respect to q, k and v, given the upstream gradient dy. With P the attention weights and
 * `D_t = Σ_s P_ts·(dy_t·v_s)`: `dv_s = Σ_t P_ts·dy_t`, `dS_ts = P_ts·(dy_t·v_s − D_t)`,
 * `dq_t = scale·Σ_s dS_ts·k_s`, `dk_s = scale·Σ_t dS_ts·q_t`.
 *
 * Like the forward, it never materialises the `[..., H, T, S]` weights (flash-attention style): each
 * query row's probabilities are recomputed from q and k, so extra memory is O(S). Keys hidden by
 * `causal` or by `-Infinity` in the mask are skipped, and a row that sees no key contributes nothing.
 * Every variant of the forward has its backward: grouped-query / multi-query k and v with fewer heads
 * (`[..., Hkv, S, D]`; dk and dv come back in that shape, summed over the query heads of each
 * group, as autograd through `repeat_kv` gives), `window` and `alibi`.
 *
 * @param dy - the upstream gradient `[..., H, T, Dv]`
 * @param q - the forward's queries `[..., H, T, D]`
 * @param k - keys `[..., H, S, D]`
 * @param v - values `[..., H, S, Dv]`
 * @param options - the forward's `causal`, `mask`, `scale`, `window`, `alibi`; `dq`, `dk`, `dv`, `accumulate`
 * @returns `{ dq, dk, dv }`, shaped as q, k, v
 * @throws ShapeError as {@link scaledDotProductAttention}, or when dy is not `[..., H, T, Dv]`
 * @remarks Matches `torch.autograd.grad(F.scaled_dot_product_attention(q, k, v, attn_mask), (q, k, v), dy)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const rng = createRng(0);
 * const q = randn([2, 4, 8], rng), k = randn([2, 4, 8], rng), v = randn([2, 4, 8], rng);
 * const { dq, dk, dv } = attentionBackward(ones([2, 4, 8]), q, k, v, { causal: true });
 * ```
 */
export function attentionBackward(dy: Tensor, q: Tensor, k: Tensor, v: Tensor, options?: AttentionBackwardOptions): AttentionGrads {
  const fn = "attentionBackward";
  const o = checkOptions(fn, options, ["causal", "mask", "scale", "window", "alibi", "dq", "dk", "dv", "accumulate"]);
  const { BH, T, S, D, Dv, group } = checkAttentionInputs(fn, q, k, v, true);
  checkShapeIs(fn, "dy", dy, [...q.shape.slice(0, -1), Dv], "the shape of the attention output");
  const scale = o.scale ?? 1 / Math.sqrt(D);
  checkFinite(fn, "scale", scale);
  if (o.causal !== undefined && typeof o.causal !== "boolean") throw new TypeError(`${fn}: causal must be a boolean, got ${String(o.causal)}`);
  const m = resolveMask(fn, o.mask, [...q.shape.slice(0, -1), S]);
  const acc = checkAccumulate(fn, o.accumulate);
  const inputs = [dy, q, k, v];
  checkGradsApart(fn, { dq: o.dq, dk: o.dk, dv: o.dv });
  const dq = gradTarget(fn, "dq", o.dq, q.shape, acc, inputs);
  const dk = gradTarget(fn, "dk", o.dk, k.shape, acc, inputs);
  const dv = gradTarget(fn, "dv", o.dv, v.shape, acc, inputs);
  const variant = resolveVariant(fn, o.window, o.alibi, !!o.causal, q.shape[q.shape.length - 3] ?? 1, group);
  attentionBackwardKernel(dq.data, dk.data, dv.data, dy.data, q.data, k.data, v.data, m.data, m.offsets, m.stride, BH, T, S, D, Dv, scale, !!o.causal, variant);
  return { dq, dk, dv };
}
