/**
 * The GPT forward pass kernel by kernel (lesson 20, and the production path of {@link gptForward},
 * `generate` and training): a workspace and a KV cache allocated once, and the one kernel-level
 * forward over an activation store (./activations.ts). (gptForward without a workspace composes
 * the ops instead — the readable lesson in ./forward.ts; tests keep the two equal.)
 * Buffers hold up to `tokens` rows; C = nEmbd, H = nHead, D = C/H, V = vocabSize.
 * @module
 */
import type { Weight } from "../weight";
import type { KVCache } from "../attention";
import { kvCacheIn } from "../internal/kv-cache";
import { halfKvCachesIn, syncHalfCache } from "../internal/kv-half";
import { checkInteger, checkOptions } from "../internal/check";
import { layerNormForward } from "../kernels/norm";
import { embeddingWeightKernel, linearWeightKernel } from "../kernels/linear-typed";
import { attentionKernel } from "../kernels/attention";
import { geluKernel } from "../kernels/activation";
import { mergeHeadsForward, splitQkvForward } from "../kernels/heads";
import { type GptConfig, type ResolvedConfig, resolveConfig } from "./config";
import type { GptParams } from "./params";
import { type ActivationStore, finalResidual, inferStore, sequenceOf } from "./activations";
import { residualAdd } from "../kernels/residual";

/**
 * Buffers for {@link gptForward}'s `workspace` option, named after the intermediates they hold
 * (the names {@link gptForward}'s `tap` uses). One set serves every layer in turn.
 * @category 13–20 · The model
 */
export interface GptWorkspace {
  /** The most tokens one call may process. */
  readonly tokens: number;
  /** The config it was made for, with defaults filled in. */
  readonly config: Readonly<Required<GptConfig>>;
  /** The residual stream `[tokens, C]` (`embed.sum`, then `h.i.resid1`, `h.i.resid2`). */
  readonly x: Float32Array;
  /** Layer-norm output `[tokens, C]` (`h.i.ln1`, `h.i.ln2`, `lnF`). */
  readonly ln: Float32Array;
  /** The fused Q/K/V projection `[tokens, 3C]`. */
  readonly qkv: Float32Array;
  /** Queries by head `[H, tokens, D]` (`h.i.attn.q`). */
  readonly q: Float32Array;
  /** Keys and values by head `[H, tokens, D]`, used when there is no KV cache. */
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** Attention output by head `[H, tokens, D]` (`h.i.attn.heads`), then merged `[tokens, C]` (`h.i.attn.merged`). */
  readonly heads: Float32Array;
  readonly merged: Float32Array;
  /** A projection's output `[tokens, C]` (`h.i.attn.out`, `h.i.mlp.out`). */
  readonly proj: Float32Array;
  /** The MLP's hidden layer `[tokens, 4C]` (`h.i.mlp.fc`, then `h.i.mlp.act` in place). */
  readonly fc: Float32Array;
  /** Logits `[rows, V]`: allocated at the first call that needs them and grown only when a call needs more rows. */
  readonly logits: Float32Array;
}

/**
 * Allocates the buffers of a forward pass over up to `tokens` tokens (at most blockSize), for
 * {@link gptForward}'s `workspace` option: 15·C floats per token, plus V per row of logits.
 *
 * @param config - the model's config (or its params' `config`)
 * @param options - `tokens`: the most tokens per call (default 1, the size of a generation step)
 * @returns a workspace (reuse it for every call; the logits it returns are overwritten by the next)
 * @throws RangeError for a bad config or tokens
 * @category 13–20 · The model
 * @example
 * ```ts
 * const workspace = createGptWorkspace(params.config, { tokens: 16 });
 * const logits = gptForward(params, ids, { cache, workspace }); // a view into workspace.logits
 * ```
 */
export function createGptWorkspace(config: GptConfig, options?: { tokens?: number }): GptWorkspace {
  const c = resolveConfig("createGptWorkspace", config);
  const { tokens = 1 } = checkOptions("createGptWorkspace", options, ["tokens"]);
  checkInteger("createGptWorkspace", "tokens", tokens, 1);
  return gptWorkspaceIn(c, tokens, (n) => new Float32Array(n));
}

/** A workspace (config resolved, tokens checked) whose buffers come from `floats` (a generation's residency), with `logitRows` rows of logits made up front. */
export function gptWorkspaceIn(c: Readonly<Required<GptConfig>>, tokens: number, floats: (n: number) => Float32Array, logitRows = 0): GptWorkspace {
  const C = c.nEmbd, rows = Math.min(tokens, c.blockSize), f = floats;
  return {
    tokens: rows, config: c,
    x: f(rows * C), ln: f(rows * C), qkv: f(rows * 3 * C), q: f(rows * C), k: f(rows * C), v: f(rows * C),
    heads: f(rows * C), merged: f(rows * C), proj: f(rows * C), fc: f(rows * 4 * C), logits: f(logitRows * c.vocabSize),
  };
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

/** An empty cache for a resolved config, its arrays from `floats` (a generation's residency); with `halves`, in binary16 (internal/kv-half.ts). */
export function gptCacheIn(c: Readonly<Required<GptConfig>>, floats: (n: number) => Float32Array, halves?: (n: number) => Uint16Array): GptCache {
  const s = { nHead: c.nHead, nKvHead: c.nHead, headSize: c.nEmbd / c.nHead, capacity: c.blockSize, batch: 1 };
  if (halves) return { layers: halfKvCachesIn(s, c.nLayer, floats, halves), length: 0 };
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

/** Which rows of logits a forward pass computes. */
export type LogitRows = "all" | "last" | "none";

/**
 * The forward pass of B sequences of T ids (ids flat, B·T of them, B·T ≤ store.rows) into the
 * store. With a cache (B = 1), the ids follow the cache's positions and their keys and values are
 * appended to it. Returns the number of logit rows written to store.logits. Allocates nothing once
 * the logits buffer is large enough (and, for B > 1, only small views).
 */
export function gptForwardKernels(
  store: ActivationStore, params: GptParams<Weight>, c: ResolvedConfig, ids: ArrayLike<number>, B: number, T: number,
  cache: GptCache | undefined, logitRows: LogitRows,
): number {
  const C = c.nEmbd, H = c.nHead, D = C / H, hidden = 4 * C, scale = 1 / Math.sqrt(D), N = B * T;
  const offset = cache ? cache.length : 0;
  const tanh = c.gelu === "tanh";
  if (B === 1) embeddingWeightKernel(store.embed, ids, params.wte, params.wpe, T, C, offset);
  else for (let b = 0; b < B; b++) embeddingWeightKernel(store.embed.subarray(b * T * C), sequenceOf(ids, b, T), params.wte, params.wpe, T, C, 0);
  let x = store.embed;
  for (let i = 0; i < c.nLayer; i++) {
    const p = params.h[i], a = store.layers[i], layer = cache?.layers[i];
    layerNormForward(a.ln1, a.ln1Mean, a.ln1Rstd, x, p.ln1.weight.data, p.ln1.bias?.data ?? null, N, C, c.eps);
    linearWeightKernel(a.qkv, a.ln1, p.attn.cAttn.weight, p.attn.cAttn.bias?.data ?? null, N, C, 3 * C);
    const k = layer ? layer.k : a.k, v = layer ? layer.v : a.v;
    const kvRows = layer ? layer.capacity : T, at = layer ? layer.length : 0;
    if (B === 1) splitQkvForward(a.q, k, v, a.qkv, T, H, D, kvRows, at);
    else for (let b = 0; b < B; b++) {
      const h = b * H * T * D;
      splitQkvForward(a.q.subarray(h), k.subarray(h), v.subarray(h), a.qkv.subarray(b * T * 3 * C), T, H, D, T, 0);
    }
    if (layer) {
      syncHalfCache(layer, at, T);
      layer.length = at + T;
    }
    attentionKernel(a.heads, null, a.q, k, v, null, null, 0, B * H, T, at + T, D, D, scale, true, kvRows);
    mergeHeadsForward(a.merged, a.heads, B, H, T, D);
    linearWeightKernel(a.attnOut, a.merged, p.attn.cProj.weight, p.attn.cProj.bias?.data ?? null, N, C, C);
    residualAdd(a.resid1, x, a.attnOut, N * C);
    layerNormForward(a.ln2, a.ln2Mean, a.ln2Rstd, a.resid1, p.ln2.weight.data, p.ln2.bias?.data ?? null, N, C, c.eps);
    linearWeightKernel(a.fc, a.ln2, p.mlp.cFc.weight, p.mlp.cFc.bias?.data ?? null, N, C, hidden);
    geluKernel(a.act, a.fc, N * hidden, tanh);
    linearWeightKernel(a.mlpOut, a.act, p.mlp.cProj.weight, p.mlp.cProj.bias?.data ?? null, N, hidden, C);
    residualAdd(a.resid2, a.resid1, a.mlpOut, N * C);
    x = a.resid2;
  }
  if (cache) (cache as { length: number }).length = offset + T;
  if (logitRows === "none") return 0;
  const rows = logitRows === "all" ? N : 1;
  x = finalResidual(store);
  if (rows < N) x.copyWithin(0, (N - 1) * C, N * C); // only the last position's logits are wanted (inference: x is scratch)
  layerNormForward(store.lnF, store.lnFMean, store.lnFRstd, x, params.lnF.weight.data, params.lnF.bias?.data ?? null, rows, C, c.eps);
  const head = params.lmHead ?? params.wte, V = c.vocabSize;
  if (store.logits.length < rows * V) store.logits = new Float32Array(rows * V);
  linearWeightKernel(store.logits, store.lnF, head, null, rows, C, V);
  return rows;
}


const stores = new WeakMap<GptWorkspace, ActivationStore>();

/**
 * The forward pass in a workspace (B = 1, inference): the workspace's buffers seen as an "infer"
 * store. Returns the number of logit rows written to ws.logits.
 */
export function forwardInWorkspace(
  params: GptParams<Weight>, c: ResolvedConfig, ids: ArrayLike<number>, T: number,
  cache: GptCache | undefined, ws: GptWorkspace, logitRows: LogitRows,
): number {
  let store = stores.get(ws);
  if (store === undefined) stores.set(ws, (store = inferStore(c, ws.tokens, ws)));
  store.logits = ws.logits;
  const rows = gptForwardKernels(store, params, c, ids, 1, T, cache, logitRows);
  (ws as { logits: Float32Array }).logits = store.logits;
  return rows;
}
