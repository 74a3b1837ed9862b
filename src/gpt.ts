/**
 * The complete GPT (lessons 16–20): configuration, parameters named as the checkpoint,
 * initialisation, the forward pass with inspection taps and a KV cache, and size arithmetic.
 * Shapes: ids of length T, logits `[T, V]`; C = nEmbd, H = nHead, V = vocabSize.
 * @module
 */
import type { Rng } from "./random";
import type { Tap, Tensor } from "./tensor";
import { ShapeError } from "./tensor";
import { kvCacheIn, type KVCache } from "./attention";
import type { BlockParams, Norm } from "./block";
import { transformerBlock } from "./block";
import { embedPositions, embedTokens, inputEmbedding } from "./embedding";
import { layerNorm } from "./norm";
import { linear } from "./linear";
import type { GeluApproximation } from "./activation";
import { checkForwardIds, checkInteger, checkOptions, describe as describeValue, isFloat32Array } from "./internal/check";
import { type ResolvedConfig, checkGptParams, parameterSpecs, resolveConfig, setPath } from "./internal/params";
import type { GptWorkspace } from "./workspace";
import { forwardInWorkspace } from "./internal/forward";

/** The shape of a GPT. @category 13–20 · The model */
export interface GptConfig {
  vocabSize: number;
  /** The longest context: the number of rows of `wpe`. */
  blockSize: number;
  nLayer: number;
  nHead: number;
  /** C, the width of the residual stream; must be divisible by nHead. */
  nEmbd: number;
  /** Biases in linear layers and layer norms. Default true. */
  bias?: boolean;
  /** Default `"tanh"` (GPT-2). */
  gelu?: GeluApproximation;
  /** Layer-norm epsilon. Default 1e-5. */
  eps?: number;
}

/**
 * The shapes of OpenAI's GPT-2 models (Radford et al. 2019; Hugging Face `gpt2`, `gpt2-medium`,
 * `gpt2-large`, `gpt2-xl`): vocabulary 50,257 (r50k_base), context 1,024, tanh GELU, biases, eps 1e-5,
 * LM head tied to `wte`. Their checkpoints carry no config, so pass one of these to
 * {@link gptFromStateDict}. Frozen: spread one to change a field.
 * @category 13–20 · The model
 * @example
 * ```ts
 * countParameters(GPT2_CONFIGS.small); // 124,439,808
 * const params = gptFromStateDict(loadSafetensors(bytes), GPT2_CONFIGS.small); // Hugging Face's gpt2/model.safetensors
 * ```
 */
export const GPT2_CONFIGS: Readonly<Record<"small" | "medium" | "large" | "xl", Readonly<GptConfig>>> = Object.freeze({
  small: gpt2(12, 12, 768),
  medium: gpt2(24, 16, 1024),
  large: gpt2(36, 20, 1280),
  xl: gpt2(48, 25, 1600),
});

function gpt2(nLayer: number, nHead: number, nEmbd: number): Readonly<GptConfig> {
  return Object.freeze({ vocabSize: 50257, blockSize: 1024, nLayer, nHead, nEmbd, bias: true, gelu: "tanh", eps: 1e-5 });
}

/** A GPT's parameters, mirroring the checkpoint (`wte`, `wpe`, `h`, `ln_f`, `lm_head`). @category 13–20 · The model */
export interface GptParams {
  config: GptConfig;
  /** Token embeddings `[V, C]`; also the LM head unless `lmHead` is present (tied, as GPT-2). */
  wte: Tensor;
  /** Position embeddings `[blockSize, C]`. */
  wpe: Tensor;
  /** The blocks. */
  h: BlockParams[];
  /** The final layer norm. */
  lnF: Norm;
  /** A separate LM head `[V, C]` (minGPT); absent when tied to `wte`. */
  lmHead?: Tensor;
}

/**
 * Initialises a GPT as nanoGPT does: linear and embedding weights N(0, 0.02), residual projections
 * (`attn.c_proj`, `mlp.c_proj`) N(0, 0.02/√(2·nLayer)), biases 0, layer norms weight 1 and bias 0;
 * the LM head is tied to `wte`.
 *
 * @param config - the model's shape
 * @param rng - from {@link createRng}
 * @returns fresh parameters, `config` included (with defaults filled in)
 * @throws RangeError for a bad config (e.g. nEmbd not divisible by nHead)
 * @category 13–20 · The model
 * @example
 * ```ts
 * const params = initGpt({ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }, createRng(0));
 * params.h.length; // 3
 * ```
 */
export function initGpt(config: GptConfig, rng: Rng): GptParams {
  const c = resolveConfig("initGpt", config);
  if (rng == null || typeof rng.normal !== "function") throw new TypeError(`initGpt: rng must come from createRng(seed), got ${describeValue(rng)}`);
  const params = { config: c } as unknown as Record<string, unknown>;
  const residualStd = 0.02 / Math.sqrt(2 * Math.max(1, c.nLayer));
  params.h = [];
  for (const s of parameterSpecs(c, false)) {
    const data = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    if (s.init === "ones") data.fill(1);
    else if (s.init !== "zeros") {
      const std = s.init === "residual" ? residualStd : 0.02;
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    }
    setPath(params, s.path, { data, shape: s.shape });
  }
  return params as unknown as GptParams;
}

/** KV caches for every layer of a model, and how many positions they hold. @category 13–20 · The model */
export interface GptCache {
  readonly layers: KVCache[];
  /** Positions filled; the next token's position. Set to 0 (with {@link resetGptCache}) to start over. */
  readonly length: number;
}

/**
 * Creates an empty KV cache for a model: `2 · nLayer · blockSize · nEmbd` floats.
 * @param config - the model's config (or its params' `config`)
 * @returns a cache with length 0
 * @category 13–20 · The model
 * @example
 * ```ts
 * const cache = createGptCache(params.config);
 * const logits = gptForward(params, [0, 1, 2], { cache }); // cache.length is now 3
 * ```
 */
export function createGptCache(config: GptConfig): GptCache {
  return gptCacheIn(resolveConfig("createGptCache", config), (n) => new Float32Array(n));
}

/** An empty cache for a resolved config, its arrays from `floats` (a generation's residency). */
export function gptCacheIn(c: Readonly<Required<GptConfig>>, floats: (n: number) => Float32Array): GptCache {
  const s = { nHead: c.nHead, nKvHead: c.nHead, headSize: c.nEmbd / c.nHead, capacity: c.blockSize, batch: 1 };
  return { layers: Array.from({ length: c.nLayer }, () => kvCacheIn(s, floats)), length: 0 };
}

/**
 * Empties a cache so it can serve a new sequence. @category 13–20 · The model
 * @example
 * ```ts
 * resetGptCache(cache); // cache.length === 0: the next gptForward starts at position 0
 * ```
 */
export function resetGptCache(cache: GptCache): void {
  for (const l of cache.layers) l.length = 0;
  (cache as { length: number }).length = 0;
}

/** Options of {@link gptForward}. @category 13–20 · The model */
export interface GptForwardOptions {
  /** A cache from {@link createGptCache}: ids are the next tokens after the `cache.length` already seen. */
  cache?: GptCache;
  /**
   * Called with each intermediate, by stable name: `embed.tokens`, `embed.positions`, `embed.sum`;
   * per layer i: `h.i.ln1`, `h.i.attn.q|k|v` `[H, T, D]`, `h.i.attn.scores`, `h.i.attn.weights`
   * `[H, T, S]`, `h.i.attn.heads`, `h.i.attn.merged`, `h.i.attn.out`, `h.i.resid1`, `h.i.ln2`,
   * `h.i.mlp.fc`, `h.i.mlp.act`, `h.i.mlp.out`, `h.i.resid2`; then `lnF` and `logits`.
   * Without a tap nothing extra is computed or kept. Cannot be combined with `workspace`.
   */
  tap?: Tap;
  /**
   * Buffers from {@link createGptWorkspace} to compute in, reused by every call: nothing is allocated
   * (what a generation loop wants). The logits returned are then a view into the workspace, valid
   * until its next use. Takes at most `workspace.tokens` ids per call.
   */
  workspace?: GptWorkspace;
  /**
   * `"all"` (default): logits for every position, `[T, V]`. `"last"`: only the last position's, `[1, V]`
   * — all that generation needs, and it skips (T − 1)·V·C multiply-adds of the LM head (nanoGPT's
   * `lm_head(x[:, [-1], :])` at inference).
   */
  logits?: "all" | "last";
}

/**
 * The GPT forward pass: `x = wte[ids] + wpe[pos]`, the blocks, the final layer norm, then the LM
 * head: `logits = lnF(x)·Wᵀ` with W = `lmHead` if present, else `wte` (tied).
 *
 * @param params - from {@link initGpt} or {@link gptFromStateDict}
 * @param ids - T token ids in [0, V); with a cache, the new tokens only
 * @param options - `cache`, `tap`, `workspace`, `logits`
 * @returns logits `[T, V]` (`[1, V]` with `logits: "last"`)
 * @throws RangeError for an id outside the vocabulary or more than blockSize positions; ShapeError when params do not fit their config
 * @remarks Matches nanoGPT's `GPT.forward` for all positions (without dropout).
 * @category 13–20 · The model
 * @example
 * ```ts
 * const params = initGpt({ vocabSize: 3, blockSize: 11, nLayer: 1, nHead: 1, nEmbd: 8 }, createRng(0));
 * gptForward(params, [2, 0, 1]).shape; // [3, 3]
 * ```
 */
export function gptForward(params: GptParams, ids: ArrayLike<number>, options?: GptForwardOptions): Tensor {
  const fn = "gptForward";
  const c = checkGptParams(fn, params);
  checkOptions(fn, options, ["cache", "tap", "workspace", "logits"]);
  const cache = options?.cache;
  const tap = options?.tap;
  const workspace = options?.workspace;
  const logitRows = options?.logits ?? "all";
  const offset = cache ? cache.length : 0;
  const T = checkForwardIds(fn, ids, logitRows, c.vocabSize, c.blockSize, offset, cache !== undefined);
  if (cache) checkGptCache(fn, cache, c, T);
  if (workspace !== undefined) {
    checkWorkspace(fn, workspace, c, T, tap);
    const rows = forwardInWorkspace(params, c, ids, T, cache, workspace, logitRows);
    return { data: workspace.logits.subarray(0, rows * c.vocabSize), shape: [rows, c.vocabSize] };
  }
  let x: Tensor;
  if (tap) {
    const tok = embedTokens(ids, params.wte), pos = embedPositions(T, params.wpe, { offset });
    tap("embed.tokens", tok);
    tap("embed.positions", pos);
    x = inputEmbedding(ids, params.wte, params.wpe, { offset });
    tap("embed.sum", x);
  } else {
    x = inputEmbedding(ids, params.wte, params.wpe, { offset });
  }
  for (let i = 0; i < c.nLayer; i++) {
    x = transformerBlock(x, params.h[i], {
      nHead: c.nHead, eps: c.eps, gelu: c.gelu, cache: cache?.layers[i],
      tap: tap ? (name, t) => tap(`h.${i}.${name}`, t) : undefined,
    });
  }
  if (cache) (cache as { length: number }).length = offset + T;
  if (logitRows === "last" && T > 1) x = { data: x.data.subarray((T - 1) * c.nEmbd), shape: [1, c.nEmbd] };
  x = layerNorm(x, params.lnF.weight, params.lnF.bias, { eps: c.eps, out: tap ? undefined : x });
  tap?.("lnF", x);
  const logits = linear(x, params.lmHead ?? params.wte);
  tap?.("logits", logits);
  return logits;
}

/** Checks a cache against the config before anything is written to it (the workspace path writes to it directly). */
function checkGptCache(fn: string, cache: GptCache, c: ResolvedConfig, T: number): void {
  if (cache == null || !Array.isArray(cache.layers) || typeof cache.length !== "number") {
    throw new TypeError(`${fn}: cache must come from createGptCache, got ${describeValue(cache)}`);
  }
  if (cache.layers.length !== c.nLayer) {
    throw new ShapeError(`${fn}: cache has ${cache.layers.length} layers, expected ${c.nLayer} (config.nLayer)`);
  }
  const D = c.nEmbd / c.nHead;
  cache.layers.forEach((l, i) => {
    if (l == null || !isFloat32Array(l.k) || l.batch !== 1 || l.nHead !== c.nHead || l.headSize !== D || l.capacity < cache.length + T || l.length !== cache.length) {
      throw new ShapeError(`${fn}: cache.layers[${i}] holds batch ${l?.batch}, ${l?.nHead} heads of size ${l?.headSize}, capacity ${l?.capacity}, length ${l?.length}; expected batch 1, ${c.nHead} heads of size ${D}, room for ${T} more after ${cache.length} (a cache from createGptCache for this config)`);
    }
  });
}

function checkWorkspace(fn: string, ws: GptWorkspace, c: ResolvedConfig, T: number, tap: Tap | undefined): void {
  if (ws == null || typeof ws !== "object" || !isFloat32Array(ws.x) || ws.config == null) {
    throw new TypeError(`${fn}: workspace must come from createGptWorkspace, got ${describeValue(ws)}`);
  }
  if (tap) throw new TypeError(`${fn}: tap and workspace cannot be combined (the workspace reuses each buffer for the next layer); drop one of them`);
  const w = ws.config;
  if (w.nEmbd !== c.nEmbd || w.nHead !== c.nHead || w.vocabSize !== c.vocabSize) {
    throw new ShapeError(`${fn}: workspace was made for nEmbd ${w.nEmbd}, nHead ${w.nHead}, vocabSize ${w.vocabSize}, expected nEmbd ${c.nEmbd}, nHead ${c.nHead}, vocabSize ${c.vocabSize} (params.config)`);
  }
  if (T > ws.tokens) {
    throw new RangeError(`${fn}: ${T} ids do not fit the workspace, expected at most ${ws.tokens} (createGptWorkspace's tokens)`);
  }
}

/**
 * The number of parameters of a GPT with this config (every weight and bias, position embeddings
 * included; the LM head counted only when untied).
 * @param config - the model's shape
 * @param options - `lmHead: true` to count a separate LM head
 * @category 13–20 · The model
 * @example
 * ```ts
 * countParameters({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 }); // 124,439,808 (GPT-2 small)
 * ```
 */
export function countParameters(config: GptConfig, options?: { lmHead?: boolean }): number {
  const c = resolveConfig("countParameters", config);
  checkOptions("countParameters", options, ["lmHead"]);
  return parameterSpecs(c, !!options?.lmHead).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Forward-pass FLOPs per token at context length T: `2·(12·nLayer·C² + V·C) + 4·nLayer·T·C` —
 * two FLOPs per multiply-add of every weight matrix (biases, norms and softmax ignored), plus q·kᵀ and
 * weights·v over T keys. Training costs about 3× this (forward + backward).
 * @param config - the model's shape
 * @param T - the context length
 * @category 13–20 · The model
 * @example
 * ```ts
 * flopsPerToken({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 }, 1024); // ≈ 2.9e8
 * ```
 */
export function flopsPerToken(config: GptConfig, T: number): number {
  const c = resolveConfig("flopsPerToken", config);
  checkInteger("flopsPerToken", "T", T, 0);
  const C = c.nEmbd;
  return 2 * (12 * c.nLayer * C * C + c.vocabSize * C) + 4 * c.nLayer * T * C;
}
